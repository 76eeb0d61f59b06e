"""Looking inside the network on show: the first hidden layer's weights as pictures, one neuron up
close (its numbers, incoming weights, history through the run, editable weights); the test set's
mistakes are ``mistakes.py``. Each tab redraws only while it is shown (``Lazy``), and catches up
when shown."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore

from ...core.edits import CutEdge, Edit, EditError
from ...core.evaluation import silent_neurons
from ...core.naming import neuron_title
from ...model import Cause, TrainingMode, WindowModel
from ...model.pacing import Redraw
from ...model.seeing import DEAD
from ..shell.status import Lasting, Status
from ..views.inspect import NeuronPanel, WeightImages
from ..views.later import Later
from ..window.redraws import Redraws
from .base import Component, Lazy
from .dreams import Finder

#: Training images a forward pass when finding the dead neurons, and passes a tick. Small passes:
#: from 128 examples up, OpenBLAS shares each product among threads, which on a busy 2-core
#: machine wait for a core (docs/performance.md: the whole training set took 30 times longer).
DEAD_CHUNK = 64
DEAD_CHUNKS_PER_TICK = 40


class WeightsComponent(Component):
    """Hidden layer 1's neurons' incoming weights, each as a picture of what it looks for."""

    def __init__(self, model: WindowModel, page: Later[WeightImages], redraws: Redraws, parent: QtCore.QObject):
        super().__init__(model, parent)
        self.page, self.redraws = page, redraws
        self._lazy = Lazy(page, self._draw, self)
        self.follow(self._on_weights_changed, "shown", "network", "dataset")
        self._lazy()

    def _on_weights_changed(self, cause: Cause) -> None:
        self.redraws.request(Redraw.EDGES, self._lazy, cause)

    def _draw(self) -> None:
        model = self.model
        self.page.view.show_weights(model.shown.weights[0], model.dataset.image_shape)


class NeuronComponent(Component):
    """The selected neuron: what it is and computes for the example, whether it is dead, its
    incoming weights (a picture for hidden layer 1), its activation and |w| through the run, its
    editable weights (its dream and favourite images are ``dreams.NeuronDreamComponent``'s)."""

    def __init__(self, model: WindowModel, view: NeuronPanel, redraws: Redraws, status: Status,
                 parent: QtCore.QObject):
        super().__init__(model, parent)
        self.view, self.redraws, self.status = view, redraws, status
        view.editor.edit_made.connect(self._on_edit_made)
        # The numbers are cheap and always drawn, but whether the neuron is dead (a pass over the
        # training set) only on the page shown; the long table of weights and the neuron's history
        # through the run only while their pages are shown.
        self._numbers = Lazy(view.numbers, self._draw_numbers, self)
        self._editor = Lazy(view.editor, self._draw_editor, self)
        self._history = Lazy(view.history, self._draw_history, self)
        self._dead = Finder(model.seeing, DEAD_CHUNKS_PER_TICK, self)
        self._silent: list[tuple[int, int]] = []
        self.follow(self._on_numbers_changed, "neuron", "shown", "example", "edits", "network", "mode")
        self.follow(self._on_seeing, "seeing")
        self.follow(self._on_history_changed, "neuron", "example", "history", "network")
        self.follow(self._on_cursor, "cursor", "shown", "mode")
        self._draw_title()
        self._draw_numbers()
        self._editor()
        self._history()

    def _on_edit_made(self, edit: Edit) -> None:
        if self.model.mode != TrainingMode.IDLE:
            # The training process trains its own copy: an edit now would be undone by its next snapshot.
            self.status.say("Pause training before editing the network", Lasting.WARNING)
            self._draw_editor()
            return
        try:
            outcome = self.model.add_edit(edit)
        except EditError as error:
            self.status.say(str(error), Lasting.WARNING)
            self._draw_editor()
            return
        self.status.say(outcome.describe(), Lasting.REPORT)

    def _on_numbers_changed(self, cause: Cause) -> None:
        self.redraws.request(Redraw.EDGES, self._draw_title, cause)
        self.redraws.request(Redraw.EDGES, self._draw_numbers, cause)
        self.redraws.request(Redraw.EDGES, self._editor, cause)

    def _on_seeing(self, cause: Cause) -> None:
        if self.model.seeing.current(DEAD) and self.view.numbers.isVisible():
            self._draw_numbers()

    def busy(self) -> bool:
        """Whether the dead neurons are being found (the tests wait until they are)."""
        return self._dead.busy()

    def finish(self) -> None:
        """Find the dead neurons now, in one go."""
        self._dead.finish()

    def detach(self) -> None:
        self._dead.stop()
        super().detach()

    def _on_history_changed(self, cause: Cause) -> None:
        self.redraws.request(Redraw.PLOTS, self._history, cause)

    def _on_cursor(self, cause: Cause) -> None:
        if self.view.history.made():  # else drawn whole when first shown
            self.view.history.view.set_cursor(self.model.position)

    def _draw_title(self) -> None:
        model = self.model
        selected = model.selected_neuron
        title = "" if selected is None else neuron_title(model.shown.sizes, *selected, model.dataset.class_names)
        self.view.show_title(title[:1].upper() + title[1:])

    def _draw_numbers(self) -> None:
        model = self.model
        shown = self.view.numbers.isVisible()
        self._numbers.stale = not shown  # drawn again when shown, saying whether it is dead
        selected = model.selected_neuron
        if selected is None:
            self.view.show_nothing()
            return
        layer, k = selected
        network, sizes = model.shown, model.shown.sizes
        reading = model.reading()
        names = model.dataset.class_names
        off = (layer, k) in model.edits.switched_off()
        cut = sum(1 for e in model.edits.applied
                  if isinstance(e, CutEdge) and (layer, k) in ((e.layer, e.neuron), (e.layer - 1, e.source)))
        lines = [f"<b>{neuron_title(sizes, layer, k, names)}</b>"]
        if off:
            lines.append("<b>switched off</b> (Edit › Undo brings it back)")
        if shown:
            lines += self._dead_lines(layer, k)
        lines.append(f"activation a = {reading.forward.activations[layer][0, k]:.4f}")
        lines.append(f"weighted input z = {reading.forward.zs[layer - 1][0, k]:+.4f}")
        lines.append(f"bias b = {network.biases[layer - 1][k]:+.4f}")
        if cut:
            lines.append(f"{cut} of its edges cut")
        incoming = network.weights[layer - 1][k]
        if layer == 1:
            lines.append(f"<br>Its {len(incoming):,} incoming weights as a picture: blue pixels push it on, red ones "
                         "off. This is what it looks for.")
        else:
            lines.append(f"<br>Its {len(incoming)} incoming weights, one bar per neuron of the layer before.")
        lines.append("<i>Click empty space in the network to show all edges again.</i>")
        self.view.show_neuron("<br>".join(lines), incoming, model.dataset.image_shape if layer == 1 else None)

    def _dead_lines(self, layer: int, k: int) -> list[str]:
        """Whether the neuron is dead, and how many are, for a hidden neuron, once found (a pass over
        the training set, a chunk a tick); nothing while training runs."""
        model, seeing = self.model, self.model.seeing
        if not 0 < layer < len(model.shown.sizes) - 1 or model.mode != TrainingMode.IDLE:
            return []
        if not seeing.current(DEAD):
            if not self._dead.finding(seeing.asked(DEAD), model.shown.params):
                network = model.shown.copy()
                self._silent = []
                self._dead.start(seeing.asked(DEAD), network.params,
                                 silent_neurons(network, model.dataset.train, DEAD_CHUNK), self._take_silent, None,
                                 self._silent_found)
            return []
        dead = seeing.result(DEAD).value
        n = len(model.dataset.train)
        lines = []
        if (layer, k) in dead:
            lines.append(f"<b>dead</b>: 0 for every one of the {n:,} training images, so no gradient reaches its "
                         "incoming weights and training cannot bring it back")
        if dead:
            hidden = sum(model.shown.sizes[1:-1])
            lines.append(f"{len(dead)} of the {hidden} hidden neurons {'is' if len(dead) == 1 else 'are'} dead.")
        return lines

    def _take_silent(self, silent: list[tuple[int, int]]) -> None:
        self._silent = silent

    def _silent_found(self) -> list[tuple[int, int]]:
        return self._silent

    def _draw_editor(self) -> None:
        model = self.model
        if model.selected_neuron is None:
            return
        layer, k = model.selected_neuron
        network, sizes = model.shown, model.shown.sizes
        last = len(sizes) - 1
        outgoing = network.weights[layer][:, k] if layer < last else None
        editable = model.mode == TrainingMode.IDLE and model.cursor is None
        off = (layer, k) in model.edits.switched_off()
        self.view.editor.show_neuron(layer, k, network.weights[layer - 1][k], float(network.biases[layer - 1][k]),
                                     outgoing, 0 < layer < last, sizes, switched_off=off, editable=editable)

    def _draw_history(self) -> None:
        model, history = self.model, self.view.history.view
        history.set_cursor(model.position)
        if model.selected_neuron is None:
            history.show_series(np.zeros(0), np.zeros(0), np.zeros(0))
            return
        x, _ = model.current_input()
        history.show_series(*model.neuron_through_time(*model.selected_neuron, x))
