"""What the network sees, in the window: how what is asked is found, and the selected neuron's
dream and the test images that excite it (a page of the Neuron tab); the tab of the ten output
dreams, a fooled example and static is ``seeing.SeeingComponent``.

What is asked and what was found live in the model (``model.seeing``). A component finds what is
asked only while its view is shown and nothing trains: a ``Finder`` takes the computation's steps
a few per tick of a timer on the GUI thread, shows
each, and hands the result to the model, whose event then draws it. While training runs, what
was found last stays on show, said to be out of date, and is found again when training pauses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
from PySide6 import QtCore

from ...core.dreams import DreamStep, dream_steps, exciting_images
from ...core.errors import NnvizError
from ...model import Source, TrainingMode, WindowModel
from ...model.causes import Cause
from ...model.pacing import Redraw
from ...model.seeing import EXTREMES, NEURON, Asked, Found, Seeing
from ..views.dreams import NeuronDreamView, StepPlayer
from ..views.later import Later
from ..window.redraws import Redraws
from .base import Component, Lazy

#: Steps taken per tick of the timer (16 ms), each slice well under a frame (benchmarks/dream_slices.py):
#: a neuron's 200-step dream forms in about a second, the ten output dreams side by side (a step
#: of each a tick) in a few; a fooling takes at most 200 sign steps.
NEURON_STEPS_PER_TICK = 4
OUTPUT_STEPS_PER_TICK = 10
FOOLING_STEPS_PER_TICK = 10
OUT_OF_DATE = "Out of date: found for the network before training went on; found again when training pauses."
WAITING = "Found when training pauses."
DREAM_TITLE = "Its dream: the image that excites it most"


class Finder(QtCore.QObject):
    """Finds one result in slices: plays ``steps`` (StepPlayer), hands each to ``take``, calls
    ``draw()`` once a tick (what the steps made so far), and at the end gives the value
    ``finish()`` makes to the model as the answer to ``asked``."""

    def __init__(self, seeing: Seeing, per_tick: int, parent: QtCore.QObject):
        super().__init__(parent)
        self.seeing = seeing
        self.player = StepPlayer(per_tick, parent=self)
        self.player.stepped.connect(self._on_stepped)
        self.player.ticked.connect(self._on_ticked)
        self.player.finished.connect(self._on_finished)
        self.asked: Asked | None = None
        self.params: np.ndarray | None = None
        self._take: Callable[[object], None] | None = None
        self._draw: Callable[[], None] | None = None
        self._finish: Callable[[], object] | None = None

    def busy(self) -> bool:
        return self.player.running

    def finding(self, asked: Asked | None, params: np.ndarray) -> bool:
        """Whether it is finding the answer to ``asked`` for a network with ``params`` right now."""
        return (self.busy() and asked is not None and asked == self.asked and self.params.shape == params.shape
                and bool(np.array_equal(self.params, params)))

    def start(self, asked: Asked, params: np.ndarray, steps: Iterator, take: Callable[[object], None],
              draw: Callable[[], None] | None, finish: Callable[[], object]) -> None:
        self.asked, self.params = asked, params.copy()
        self._take, self._draw, self._finish = take, draw, finish
        self.player.play(steps)

    def stop(self) -> None:
        self.player.stop()
        self.asked = None

    def finish(self) -> None:
        """Find the rest of the answer now, in one go."""
        self.player.finish()

    def _on_stepped(self, item) -> None:
        self._take(item)

    def _on_ticked(self) -> None:
        if self._draw is not None:
            self._draw()

    def _on_finished(self) -> None:
        asked, params, self.asked = self.asked, self.params, None
        if asked is not None:  # (stopped as it ended: nothing was asked any more)
            self.seeing.found(asked, params, self._finish())


def side_by_side(iterators: list[Iterator]) -> Iterator[tuple[int, object]]:
    """(i, the next item of iterator i), taking one of each in turn until all have ended."""
    going = list(enumerate(iterators))
    while going:
        still = []
        for i, items in going:
            for item in items:
                yield i, item
                still.append((i, items))
                break
        going = still


def example_pixels(model: WindowModel) -> np.ndarray | None:
    """The example on show in float64 (None: nothing drawn), as ``nnviz dream`` and ``nnviz fool``
    read an example: the same steps from the same start give the same pixels."""
    if model.example.source == Source.DRAWING:
        return None if model.drawing is None else np.asarray(model.drawing, np.float64)
    return model.dataset.split(model.example.split).inputs(model.example.index, np.float64)


def shown_if_asked(seeing: Seeing, kind: str, asked: Asked | None) -> Found | None:
    """What was found of ``kind`` if it answers ``asked`` (perhaps for an earlier network)."""
    found = seeing.result(kind)
    return found if found is not None and asked is not None and found.asked == asked else None


class Finding(Component):
    """What NeuronDreamComponent and seeing.SeeingComponent share: finders per kind, each kind's
    view drawn only while shown (``Lazy``), and the rule of when to find (shown, idle, not current,
    not already finding). A training snapshot's redraw (of what was found, said to be out of date)
    comes at the pace of the network's edges."""

    #: The model's events that change what is asked, what was found, or whether to find it.
    EVENTS = ("shown", "network", "dataset", "example", "seeing", "mode")

    def __init__(self, model: WindowModel, redraws: Redraws, parent: QtCore.QObject):
        super().__init__(model, parent)
        self.redraws = redraws
        self.finders: dict[str, Finder] = {}
        self._lazy: dict[str, Lazy] = {}

    def busy(self) -> bool:
        """Whether something is being found (the tests wait until it is not)."""
        return any(finder.busy() for finder in self.finders.values())

    def finish(self) -> None:
        """Find what is being found now, in one go."""
        for finder in self.finders.values():
            finder.finish()

    def detach(self) -> None:
        for finder in self.finders.values():
            finder.stop()
        super().detach()

    def _on_changed(self, cause: Cause) -> None:
        self.redraws.request(Redraw.EDGES, self._redraw, cause)

    def _redraw(self) -> None:
        for lazy in self._lazy.values():
            lazy()

    def _should_find(self, kind: str, asked: Asked | None) -> bool:
        """Whether ``kind`` is to be found now (not found yet for the network on show, and idle);
        a finder at work on something else stops."""
        finder = self.finders.get(kind)
        if finder is not None and not finder.finding(asked, self.model.shown.params):
            finder.stop()
        return asked is not None and not self.model.seeing.current(kind) and self.model.mode == TrainingMode.IDLE

    def still_shown(self, kind: str, view) -> bool:
        """False (and the finder stopped, to go on when shown again) once ``view`` is hidden."""
        if view.isVisible():
            return True
        self.finders[kind].stop()
        self._lazy[kind].stale = True
        return False


class NeuronDreamComponent(Finding):
    """The selected neuron's dream, forming beside its activation, and the nine test images that
    excite it most and least; a click on one shows that example."""

    def __init__(self, model: WindowModel, page: Later[NeuronDreamView], redraws: Redraws, parent: QtCore.QObject):
        super().__init__(model, redraws, parent)
        self.page = page
        self.finders[NEURON] = Finder(model.seeing, NEURON_STEPS_PER_TICK, self)
        self._formed: list[DreamStep] = []
        page.when_made(self._attach)
        self._lazy[NEURON] = Lazy(page, self._draw, self)
        self.follow(self._on_changed, "neuron", *self.EVENTS)
        self._redraw()

    @property
    def view(self) -> NeuronDreamView:
        return self.page.view

    def _attach(self, view: NeuronDreamView) -> None:
        view.dream_requested.connect(self._on_dream_requested)
        view.example_clicked.connect(self._on_example_clicked)

    def _on_dream_requested(self, settings, from_example: bool) -> None:
        self.model.seeing.dream_neuron(settings, from_example)

    def _on_example_clicked(self, index: int) -> None:
        if self.model.lesson is None:
            self.model.go_to(index, "test")

    def _draw(self) -> None:
        model, seeing = self.model, self.model.seeing
        asked = seeing.asked(NEURON)
        if self.finders[NEURON].finding(asked, model.shown.params):
            return
        if self._should_find(EXTREMES, seeing.asked(EXTREMES)):
            self._find_extremes()  # one product over the test set; the model's event draws the rest
            return
        selected = model.selected_neuron
        network, shape = model.shown, model.dataset.image_shape
        self.view.show_settings(seeing.neuron_settings, seeing.neuron_from_example)
        if selected is None or selected[0] < 1:
            self.view.show_neuron("Click a neuron in the network to see what excites it.", None, shape)
            return
        layer, k = selected
        # Which neuron it is stays written beside the Neuron tab's pages: this says what a dream is.
        self.view.show_neuron(DREAM_TITLE, network.weights[0][k] if layer == 1 else None, shape)
        extremes = shown_if_asked(seeing, EXTREMES, seeing.asked(EXTREMES))
        if extremes is not None:
            test = model.dataset.test
            self.view.show_extremes(extremes.value, test.images, test.labels, model.dataset.class_names)
        found = shown_if_asked(seeing, NEURON, asked)
        if found is not None:
            image, activations = found.value
            self.view.show_dream(image, activations)
        if self._should_find(NEURON, asked):
            self._find_dream(asked)
        elif asked is None:
            self.view.show_note("Draw a digit to dream from")
        elif not seeing.current(NEURON):
            self.view.show_note(OUT_OF_DATE if found is not None else WAITING)

    def _find_extremes(self) -> None:
        model = self.model
        asked = model.seeing.asked(EXTREMES)
        layer, k = asked.what
        found = exciting_images(model.shown, model.dataset.test.inputs(), layer, k)
        model.seeing.found(asked, model.shown.params, found)

    def _find_dream(self, asked: Asked) -> None:
        model, seeing = self.model, self.model.seeing
        network = model.shown.copy()
        layer, k = model.selected_neuron
        start = example_pixels(model) if seeing.neuron_from_example else None
        settings = seeing.neuron_settings
        try:
            steps = dream_steps(network, layer, k, settings, start, model.dataset.image_shape)
        except NnvizError as error:
            self.view.show_note(str(error))
            return
        self._formed = []
        self.view.start_dream(settings.steps)
        self.finders[NEURON].start(asked, network.params, steps, self._formed.append, self._draw_dream_so_far,
                                   self._dream_found)

    def _draw_dream_so_far(self) -> None:
        if self.still_shown(NEURON, self.page):
            self.view.show_forming(self._formed[-1].image, [step.activation for step in self._formed])

    def _dream_found(self):
        return self._formed[-1].image, np.array([step.activation for step in self._formed])
