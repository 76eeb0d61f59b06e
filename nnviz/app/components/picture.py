"""The network picture: the network on show, its edges coloured by weight (or by the difference
from a compared run, or by the lesson's nudges), its neurons shaded by the example's activations,
the selected neuron's edges picked out."""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore

from ...model import Cause, WindowModel
from ...model.pacing import Redraw
from ..shell.actions import Actions
from ..views.network.network_view import NetworkView
from ..window.redraws import Redraws
from .base import Component


class NetworkPicture(Component):
    def __init__(self, model: WindowModel, view: NetworkView, redraws: Redraws, actions: Actions,
                 reveal_neuron: Callable[[], None], parent: QtCore.QObject):
        super().__init__(model, parent)
        self.view, self.redraws, self.reveal_neuron = view, redraws, reveal_neuron
        view.neuron_clicked.connect(self._on_neuron_clicked)
        view.selection_cleared.connect(self._on_selection_cleared)
        view.edges_redrawn.connect(self._on_edges_redrawn)
        view.painted.connect(self._on_painted)
        actions.serve("reset_zoom", view.reset_zoom)
        self.follow(self._on_network, "network", "dataset", "lesson")
        self.follow(self._on_edges_changed, "shown", "comparison")
        self.follow(self._on_activations_changed, "shown", "example", "edits")
        self.follow(self._show_selection, "neuron")
        self.follow(self._show_edge_fraction, "edge_fraction")
        self._show_edge_fraction()
        self._show_all()

    # -- what a person does -----------------------------------------------------------------------

    def inspect(self, layer: int, k: int) -> None:
        """A click on neuron ``k`` of ``layer``: it is selected and its tab comes to the front."""
        self.model.select_neuron((layer, k))
        self.reveal_neuron()

    def _on_neuron_clicked(self, layer: int, k: int) -> None:
        self.inspect(layer, k)

    def _on_selection_cleared(self) -> None:
        self.model.select_neuron(None)

    # -- what the view shows ------------------------------------------------------------------------

    def _on_network(self, cause: Cause) -> None:
        self._show_all()

    def _show_all(self) -> None:
        model = self.model
        self.view.show_network(model.shown, model.dataset.image_shape, model.dataset.class_names)
        self._show_edges()
        self._show_activations()
        self._show_selection()

    def _on_edges_changed(self, cause: Cause) -> None:
        self.redraws.request(Redraw.EDGES, self._show_edges, cause)

    def _show_edges(self) -> None:
        model = self.model
        picture = model.lesson_picture
        if picture is not None:
            self.view.show_edge_values(picture.edge_values)
            return
        self.view.show_network(model.shown, model.dataset.image_shape, model.dataset.class_names)
        comparison = model.comparison
        if comparison is not None and comparison.show_difference:
            difference = comparison.difference(model.shown)
            if difference is not None:
                self.view.show_edge_values(difference)

    def _on_activations_changed(self, cause: Cause) -> None:
        self.redraws.request(Redraw.ACTIVATIONS, self._show_activations, cause)

    def _show_activations(self) -> None:
        picture = self.model.lesson_picture
        if picture is not None:
            self.view.show_forward(picture.forward, picture.answer, picture.label)
            self.view.show_arrows(picture.arrows)
            return
        reading = self.model.reading()
        self.view.show_forward(reading.forward, reading.answer, reading.label)
        self.view.show_arrows([])

    def _show_selection(self, cause: Cause | None = None) -> None:
        self.view.select_neuron(self.model.selected_neuron)

    def _show_edge_fraction(self, cause: Cause | None = None) -> None:
        self.view.set_edge_fraction(self.model.edge_fraction)

    def _on_edges_redrawn(self, seconds: float) -> None:
        # What new weights cost the GUI thread paces how often a snapshot redraws them.
        self.redraws.measured(Redraw.EDGES, seconds)

    def _on_painted(self, seconds: float) -> None:
        # The repaint is what new activations cost, beyond their handler.
        self.redraws.measured(Redraw.ACTIVATIONS, seconds, part=True)

