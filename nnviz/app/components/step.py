"""Slow motion (M): each training step drawn on the network — its mini-batch's digits and their
cost before and after under the network, the edges coloured by how much the step changed each
weight (the network picture component draws those), and, moving in time, the change from one
checkpoint to the next."""

from __future__ import annotations

from PySide6 import QtCore

from ...core.formatting import learning_rate_text
from ...model import Cause, Source, WindowModel
from ...model.pacing import Redraw
from ..views.step_strip import StepStrip
from ..window.redraws import Redraws
from .base import Component

EDGES_SAY = "Edges: each weight's change (blue up, red down, brighter = bigger); arrows: each bias's change."


class StepComponent(Component):
    def __init__(self, model: WindowModel, strip: StepStrip, redraws: Redraws, parent: QtCore.QObject):
        super().__init__(model, parent)
        self.strip, self.redraws = strip, redraws
        self.follow(self._on_step, "shown", "example", "slow_motion", "network", "dataset")
        self._draw()

    def _on_step(self, cause: Cause) -> None:
        self.redraws.request(Redraw.READOUT, self._draw, cause)

    def _draw(self) -> None:
        model = self.model
        self.strip.setVisible(model.slow_motion)
        if not model.slow_motion:
            return
        detail = model.step_detail
        if model.cursor is None and detail is not None:
            train = model.dataset.train
            indices = [int(i) for i in detail.indices]
            example = model.example
            on_show = example.index if example.source == Source.DATASET and example.split == "train" else None
            marked = indices.index(on_show) if on_show in indices else None
            names = model.dataset.class_names
            where = "" if marked is not None else " (The example on show is not one of them.)"
            self.strip.show_step([train.image(i) for i in indices], [names[int(train.labels[i])] for i in indices],
                                 marked,
                                 f"<b>Epoch {detail.epoch}, mini-batch {detail.batch:,}</b>: one step (η = "
                                 f"{learning_rate_text(model.options.learning_rate)}) took these {len(indices)} digits' "
                                 f"average cost from <b>{detail.cost_before:#.3g}</b> to <b>{detail.cost_after:#.3g}</b>."
                                 f"{where}<br>{EDGES_SAY}")
            return
        if model.cursor is not None and model.cursor > 0:
            before = model.history.checkpoint_positions[model.cursor - 1]
            self.strip.show_change(f"<b>From checkpoint {model.cursor} to {model.cursor + 1}</b> (epoch {before:.2f} → "
                                   f"{model.position:.2f}): edges and arrows show how much the weights and biases "
                                   "changed in between (blue: up, red: down).")
            return
        self.strip.show_change("<b>Slow motion</b>: press Train (Space) or 1 mini-batch (B) and watch each step: its "
                               "digits, its cost before and after, and what it changed on the network. Press M to "
                               "leave slow motion.")
