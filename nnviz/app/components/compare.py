"""Runs side by side (File > Compare with…): the second run's network beside the first, following
the same time cursor; its curves on the same plots (the record component draws those); a switch
that draws the difference of their weights on the first network's picture."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6 import QtCore

from ...core.errors import NnvizError
from ...core.files import load_run
from ...core.formatting import epoch_text
from ...model import Cause, WindowModel
from ...model.pacing import Redraw
from ..shell.actions import Actions
from ..shell.dialogs import Dialogs
from ..views.compare_view import CompareView
from ..window.redraws import Redraws
from .base import Component


class CompareComponent(Component):
    def __init__(self, model: WindowModel, view: CompareView, redraws: Redraws, actions: Actions, dialogs: Dialogs,
                 folder, parent: QtCore.QObject):
        super().__init__(model, parent)
        self.view, self.redraws, self.dialogs, self.folder = view, redraws, dialogs, folder
        actions.serve("compare_with", self.compare_with)
        self.close_action = actions.serve("close_comparison", model.close_comparison)
        view.closed.connect(model.close_comparison)
        view.difference_toggled.connect(model.show_difference)
        self.follow(self._on_comparison, "comparison", "network", "dataset")
        self.follow(self._on_shown, "shown", "example", "edge_fraction")
        self._on_comparison(Cause.USER)

    def compare_with(self, path: str | Path | None = None) -> bool:
        """Open a second run from a file and show it beside the one on show."""
        path = path or self.dialogs.open_file("Compare with", self.folder())
        if not path:
            return False
        try:
            run = load_run(path)
            self.model.compare_with(Path(path).name, run.network, run.history)
        except (NnvizError, ValueError) as error:
            self.dialogs.show_error("Cannot compare", f"{Path(path).name}: {error}")
            return False
        return True

    def _on_comparison(self, cause: Cause) -> None:
        comparison = self.model.comparison
        self.view.setVisible(comparison is not None)
        self.close_action.setEnabled(comparison is not None)
        if comparison is not None:
            self.view.show_difference(comparison.comparable(self.model.network), comparison.show_difference)
            self._draw()

    def _on_shown(self, cause: Cause) -> None:
        if self.model.comparison is not None:
            # while training, the other picture follows when the first one's edges do
            self.redraws.request(Redraw.EDGES, self._draw, cause)

    def _draw(self) -> None:
        model, comparison = self.model, self.model.comparison
        if comparison is None:
            return
        other, view = comparison.network, self.view.network_view
        view.set_edge_fraction(model.edge_fraction)
        view.show_network(other, model.dataset.image_shape, model.dataset.class_names)
        x, label = model.current_input()
        x = np.zeros(other.sizes[0], other.dtype) if x is None else x
        forward = other.forward(x)
        view.show_forward(forward, int(forward.output[0].argmax()), label)
        name = comparison.name + ("" if other.activation.name == model.network.activation.name
                                  else f" ({other.activation.name})")
        if len(comparison.history):
            text = f"<b>{name}</b> at epoch {epoch_text(min(model.position, comparison.history.end or 0))}"
        else:
            text = f"<b>{name}</b>"
        if comparison.show_difference:
            text += " · left: the difference"
        self.view.show_title(text)
