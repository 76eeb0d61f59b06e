"""The network picture: the network on show, its edges coloured by weight (or by the difference
from a compared run), its neurons shaded by the example's activations, the selected neuron's edges
picked out; or, while the backpropagation lesson is open, the lesson's page (``lesson.picture``),
where a click on a neuron follows it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore

from ...core.arrays import layer_views
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
        self._lesson = None  # the lesson whose events this follows
        view.neuron_clicked.connect(self._on_neuron_clicked)
        view.selection_cleared.connect(self._on_selection_cleared)
        view.edges_redrawn.connect(self._on_edges_redrawn)
        view.painted.connect(self._on_painted)
        actions.serve("reset_zoom", view.reset_zoom)
        self.follow(self._on_network, "network", "dataset", "lesson", "slow_motion")
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
        lesson = self.model.lesson
        if lesson is None:
            self.inspect(layer, k)
        elif not lesson.needs_target:
            lesson.follow(layer, k)

    def _on_selection_cleared(self) -> None:
        if self.model.lesson is None:
            self.model.select_neuron(None)

    # -- what the view shows ------------------------------------------------------------------------

    def _on_network(self, cause: Cause) -> None:
        self._show_all()

    def _show_all(self) -> None:
        model = self.model
        self._follow_lesson(model.lesson)
        self.view.show_network(model.shown, model.dataset.image_shape, model.dataset.class_names)
        if model.lesson is not None:
            self._show_lesson()
            return
        self.view.show_lesson(None)
        self._show_edges()
        self._show_activations()
        self._show_selection()

    # -- the lesson -----------------------------------------------------------------------------------

    def _follow_lesson(self, lesson) -> None:
        """Follow the events of ``lesson`` (the one open now, or None) instead of the last one's."""
        if lesson is self._lesson:
            return
        if self._lesson is not None:
            self._lesson.events.disconnect_owner(self)
        self._lesson = lesson
        if lesson is not None:
            for name in lesson.events.names:
                getattr(lesson.events, name).connect(self._on_lesson_network if name == "network" else
                                                     self._on_lesson_changed)

    def _on_lesson_changed(self, value=None) -> None:
        self._show_lesson()

    def _on_lesson_network(self, network) -> None:
        # An applied step or an undo: the tooltips' biases too.
        self.view.show_network(self.model.shown, self.model.dataset.image_shape, self.model.dataset.class_names)
        self._show_lesson()

    def _show_lesson(self) -> None:
        picture = self.model.lesson.picture
        if picture is None:  # a drawing's target is not chosen yet: the network as it reads it
            self.view.show_lesson(None)
            reading = self.model.reading()
            self.view.show_forward(reading.forward, reading.answer, None)
        else:
            self.view.show_lesson(picture)
        self.view.select_neuron(None)

    def detach(self) -> None:
        self._follow_lesson(None)
        super().detach()

    def _on_edges_changed(self, cause: Cause) -> None:
        self.redraws.request(Redraw.EDGES, self._show_edges, cause)

    def _show_edges(self) -> None:
        model = self.model
        if model.lesson is not None:
            return  # the lesson follows the network itself (continue_from), then draws its page
        self.view.show_network(model.shown, model.dataset.image_shape, model.dataset.class_names)
        change = model.edge_change()
        if change is not None:
            # Slow motion: the edges say how much the step changed each weight, not the weights.
            self.view.show_edge_values([layer[:, :-1] for layer in layer_views(change, model.shown.sizes)])
            return
        comparison = model.comparison
        if comparison is not None and comparison.show_difference:
            difference = comparison.difference(model.shown)
            if difference is not None:
                self.view.show_edge_values(difference)

    def _on_activations_changed(self, cause: Cause) -> None:
        self.redraws.request(Redraw.ACTIVATIONS, self._show_activations, cause)

    def _show_activations(self) -> None:
        if self.model.lesson is not None:
            return
        reading = self.model.reading()
        self.view.show_forward(reading.forward, reading.answer, reading.label)
        change = self.model.edge_change()
        # In slow motion each neuron's arrow is how much the step changed its bias.
        self.view.show_arrows([] if change is None else [layer[:, -1] for layer in layer_views(change, self.model.shown.sizes)])

    def _show_selection(self, cause: Cause | None = None) -> None:
        if self.model.lesson is None:
            self.view.select_neuron(self.model.selected_neuron)

    def _show_edge_fraction(self, cause: Cause | None = None) -> None:
        self.view.set_edge_fraction(self.model.edge_fraction)

    def _on_edges_redrawn(self, seconds: float) -> None:
        # What new weights cost the GUI thread paces how often a snapshot redraws them.
        self.redraws.measured(Redraw.EDGES, seconds)

    def _on_painted(self, seconds: float) -> None:
        # The repaint is what new activations cost, beyond their handler.
        self.redraws.measured(Redraw.ACTIVATIONS, seconds, part=True)

