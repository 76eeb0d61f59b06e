"""What the network sees, in the window: the selected neuron's dream and the test images that
excite it (a page of the Neuron tab), and the tab of the ten output dreams, the example on show
fooled into another digit, and static read as each digit.

What is asked and what was found live in the model (``model.seeing``). A component finds what is
asked only while its view is shown and nothing trains: a ``Finder`` takes the computation's steps
a few per tick of a timer on the GUI thread (a dream step is a fraction of a millisecond), shows
each, and hands the result to the model, whose event then draws it. While training runs, what
was found last stays on show, said to be out of date, and is found again when training pauses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
from PySide6 import QtCore

from ...core.dreams import DreamStep, dream_steps, exciting_images
from ...core.errors import NnvizError
from ...core.fooling import CONFIDENT, Fooling, fooling_steps, static_start
from ...core.naming import neuron_title, shown
from ...model import Source, TrainingMode, WindowModel
from ...model.seeing import EXTREMES, FOOLING, NEURON, OUTPUTS, STATIC, Asked, Found, Seeing
from ..views.dreams import NeuronDreamView, StepPlayer
from ..views.seeing import FOOLING_PAGE, OUTPUTS_PAGE, STATIC_PAGE, SeeingPage
from .base import Component, Lazy

#: Steps shown per tick of the timer (16 ms): a neuron's 200-step dream forms in under a second,
#: the ten output dreams side by side (4 steps of each a tick) in about as long.
NEURON_STEPS_PER_TICK = 4
OUTPUT_STEPS_PER_TICK = 40
FOOLING_STEPS_PER_TICK = 20
OUT_OF_DATE = "Out of date: found for the network before training went on; found again when training pauses."
WAITING = "Found when training pauses."


class Finder(QtCore.QObject):
    """Finds one result in slices: plays ``steps`` (StepPlayer), hands each to ``show`` and, at
    the end, the value ``finish()`` makes to the model as the answer to ``asked``."""

    def __init__(self, seeing: Seeing, per_tick: int, parent: QtCore.QObject):
        super().__init__(parent)
        self.seeing = seeing
        self.player = StepPlayer(per_tick, parent=self)
        self.player.stepped.connect(self._on_stepped)
        self.player.finished.connect(self._on_finished)
        self.asked: Asked | None = None
        self.params: np.ndarray | None = None
        self._show: Callable[[object], None] | None = None
        self._finish: Callable[[], object] | None = None

    def busy(self) -> bool:
        return self.player.running

    def finding(self, asked: Asked | None, params: np.ndarray) -> bool:
        """Whether it is finding the answer to ``asked`` for a network with ``params`` right now."""
        return (self.busy() and asked is not None and asked == self.asked and self.params.shape == params.shape
                and bool(np.array_equal(self.params, params)))

    def start(self, asked: Asked, params: np.ndarray, steps: Iterator, show: Callable[[object], None],
              finish: Callable[[], object]) -> None:
        self.asked, self.params, self._show, self._finish = asked, params.copy(), show, finish
        self.player.play(steps)

    def stop(self) -> None:
        self.player.stop()
        self.asked = None

    def _on_stepped(self, item) -> None:
        self._show(item)

    def _on_finished(self) -> None:
        asked, params, self.asked = self.asked, self.params, None
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


def shown_if_asked(seeing: Seeing, kind: str, asked: Asked | None) -> Found | None:
    """What was found of ``kind`` if it answers ``asked`` (perhaps for an earlier network)."""
    found = seeing.result(kind)
    return found if found is not None and asked is not None and found.asked == asked else None


class Finding(Component):
    """What the two components below share: finders per kind, each kind's view drawn only while
    shown (``Lazy``), and the rule of when to find (shown, idle, not current, not already finding)."""

    def __init__(self, model: WindowModel, parent: QtCore.QObject):
        super().__init__(model, parent)
        self.finders: dict[str, Finder] = {}
        self._lazy: dict[str, Lazy] = {}

    def busy(self) -> bool:
        """Whether something is being found (the tests wait until it is not)."""
        return any(finder.busy() for finder in self.finders.values())

    def detach(self) -> None:
        for finder in self.finders.values():
            finder.stop()
        super().detach()

    def _redraw(self, cause=None) -> None:
        for lazy in self._lazy.values():
            lazy()

    def _should_find(self, kind: str, asked: Asked | None) -> bool:
        """Whether ``kind`` is to be found now (not found yet for the network on show, and idle);
        a finder at work on something else stops."""
        finder = self.finders.get(kind)
        if finder is not None and not finder.finding(asked, self.model.shown.params):
            finder.stop()
        return asked is not None and not self.model.seeing.current(kind) and self.model.mode == TrainingMode.IDLE

    def _still_shown(self, kind: str, view) -> bool:
        """False (and the finder stopped, to go on when shown again) once ``view`` is hidden."""
        if view.isVisible():
            return True
        self.finders[kind].stop()
        self._lazy[kind].stale = True
        return False


class NeuronDreamComponent(Finding):
    """The selected neuron's dream, forming beside its activation, and the nine test images that
    excite it most and least; a click on one shows that example."""

    def __init__(self, model: WindowModel, view: NeuronDreamView, parent: QtCore.QObject):
        super().__init__(model, parent)
        self.view = view
        self.finders[NEURON] = Finder(model.seeing, NEURON_STEPS_PER_TICK, self)
        self._formed: list[DreamStep] = []
        view.dream_requested.connect(self._on_dream_requested)
        view.example_clicked.connect(self._on_example_clicked)
        self._lazy[NEURON] = Lazy(view, self._draw, self)
        self.follow(self._redraw, "neuron", "shown", "network", "dataset", "example", "seeing", "mode")
        self._redraw()

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
        title = neuron_title(network.sizes, layer, k, model.dataset.class_names)
        self.view.show_neuron(f"{title[:1].upper()}{title[1:]}: what excites it",
                              network.weights[0][k] if layer == 1 else None, shape)
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
        start = model.current_input()[0] if seeing.neuron_from_example else None
        settings = seeing.neuron_settings
        try:
            steps = dream_steps(network, layer, k, settings, start, model.dataset.image_shape)
        except NnvizError as error:
            self.view.show_note(str(error))
            return
        self._formed = []
        self.view.start_dream(settings.steps)
        self.finders[NEURON].start(asked, network.params, steps, self._show_dream_step, self._dream_found)

    def _show_dream_step(self, step: DreamStep) -> None:
        if self._still_shown(NEURON, self.view):
            self._formed.append(step)
            self.view.show_step(step)

    def _dream_found(self):
        return self._formed[-1].image, np.array([step.activation for step in self._formed])


class SeeingComponent(Finding):
    """The tab "What the network sees": the ten output dreams, the example on show (or static)
    fooled into a chosen digit, and static read as each digit."""

    def __init__(self, model: WindowModel, page: SeeingPage, parent: QtCore.QObject):
        super().__init__(model, parent)
        self.page = page
        seeing = model.seeing
        self.finders = {OUTPUTS: Finder(seeing, OUTPUT_STEPS_PER_TICK, self),
                        FOOLING: Finder(seeing, FOOLING_STEPS_PER_TICK, self),
                        STATIC: Finder(seeing, OUTPUT_STEPS_PER_TICK, self)}
        self._formed: dict[str, dict] = {OUTPUTS: {}, FOOLING: {}, STATIC: {}}
        page.outputs.requested.connect(self._on_outputs_requested)
        page.static.requested.connect(self._on_static_requested)
        page.fooling.fool_requested.connect(self._on_fool_requested)
        page.fooling.static_requested.connect(self._on_fool_static_requested)
        self._lazy = {OUTPUTS: Lazy(page.outputs, self._draw_outputs, self),
                      FOOLING: Lazy(page.fooling, self._draw_fooling, self),
                      STATIC: Lazy(page.static, self._draw_static, self)}
        self.follow(self._on_classes, "dataset")
        self.follow(self._redraw, "shown", "network", "dataset", "example", "seeing", "mode")
        self._on_classes()
        self._redraw()

    # -- what a person asks --------------------------------------------------------------------------

    def _on_outputs_requested(self, settings, from_example: bool) -> None:
        self.model.seeing.dream_outputs(settings)

    def _on_static_requested(self, settings, from_example: bool) -> None:
        self.model.seeing.new_static()

    def _on_fool_requested(self, target: int) -> None:
        self.model.seeing.fool(target, "example")

    def _on_fool_static_requested(self, target: int) -> None:
        self.model.seeing.fool(target, "static")

    def _on_classes(self, cause=None) -> None:
        self.page.fooling.set_classes(self.model.dataset.class_names)

    # -- the ten output dreams -----------------------------------------------------------------------

    def _draw_outputs(self) -> None:
        model, seeing, view = self.model, self.model.seeing, self.page.outputs
        asked = seeing.asked(OUTPUTS)
        if self.finders[OUTPUTS].finding(asked, model.shown.params):
            return
        view.show_settings(seeing.output_settings)
        found = shown_if_asked(seeing, OUTPUTS, asked)
        if found is not None:
            images, activations = found.value
            view.show_pictures(images, activations, model.dataset.class_names, model.dataset.image_shape)
        else:
            view.start(model.dataset.class_names, model.dataset.image_shape)
        if not self._should_find(OUTPUTS, asked):
            self._note(OUTPUTS_PAGE, OUTPUTS, found)
            return
        network = model.shown.copy()
        last = len(network.sizes) - 1
        settings, shape = seeing.output_settings, model.dataset.image_shape
        try:
            steps = [dream_steps(network, last, j, settings, shape=shape) for j in range(network.sizes[-1])]
        except NnvizError as error:
            self.page.show_note(OUTPUTS_PAGE, str(error))
            return
        self.page.show_note(OUTPUTS_PAGE, "")
        view.start(model.dataset.class_names, shape)
        self._formed[OUTPUTS] = {}
        self.finders[OUTPUTS].start(asked, network.params, side_by_side(steps), self._show_output_step,
                                    self._outputs_found)

    def _show_output_step(self, item: tuple[int, DreamStep]) -> None:
        if self._still_shown(OUTPUTS, self.page.outputs):
            self._formed[OUTPUTS][item[0]] = item[1]
            self.page.outputs.show_dream_step(item)

    def _outputs_found(self):
        formed = self._formed[OUTPUTS]
        steps = [formed[j] for j in sorted(formed)]
        return np.array([step.image for step in steps]), np.array([step.activation for step in steps])

    # -- static read as each digit --------------------------------------------------------------------

    def _draw_static(self) -> None:
        model, seeing, view = self.model, self.model.seeing, self.page.static
        asked = seeing.asked(STATIC)
        if self.finders[STATIC].finding(asked, model.shown.params):
            return
        names, shape = model.dataset.class_names, model.dataset.image_shape
        found = shown_if_asked(seeing, STATIC, asked)
        if found is not None:
            view.show_pictures(np.array([f.image for f in found.value]),
                               [f.outputs_after[j] for j, f in enumerate(found.value)], names, shape)
        else:
            view.start(names, shape)
        if not self._should_find(STATIC, asked):
            self._note(STATIC_PAGE, STATIC, found)
            return
        network = model.shown.copy()
        try:
            steps = [fooling_steps(network, static_start(network, j, seeing.static_seed), j, confidence=CONFIDENT,
                                   shape=shape) for j in range(network.sizes[-1])]
        except NnvizError as error:
            self.page.show_note(STATIC_PAGE, str(error))
            return
        self.page.show_note(STATIC_PAGE, "")
        view.start(names, shape)
        self._formed[STATIC] = {}
        self.finders[STATIC].start(asked, network.params, side_by_side(steps), self._show_static_step,
                                   self._static_found)

    def _show_static_step(self, item: tuple[int, Fooling]) -> None:
        if self._still_shown(STATIC, self.page.static):
            j, fooling = item
            self._formed[STATIC][j] = fooling
            self.page.static.show_picture(j, fooling.image, fooling.outputs_after[j], self.model.dataset.class_names[j])

    def _static_found(self):
        formed = self._formed[STATIC]
        return [formed[j] for j in sorted(formed)]

    # -- the example on show fooled ------------------------------------------------------------------

    def _draw_fooling(self) -> None:
        model, seeing, view = self.model, self.model.seeing, self.page.fooling
        asked = seeing.asked(FOOLING)
        if self.finders[FOOLING].finding(asked, model.shown.params):
            return
        view.show_target(seeing.target)
        names, shape = model.dataset.class_names, model.dataset.image_shape
        found = shown_if_asked(seeing, FOOLING, asked)
        if found is not None:
            fooling, source = found.value
            view.show_fooling(fooling, source, names, shape)
        elif seeing.target is None:
            view.clear("Choose a digit and press Fool it: the example on show is changed, one grey level a step, "
                       "until the network reads that digit.")
        else:
            view.clear("Draw a digit first: the drawing is what is changed." if asked is None else "")
        if not self._should_find(FOOLING, asked):
            self._note(FOOLING_PAGE, FOOLING, found)
            return
        network = model.shown.copy()
        static = seeing.fooling_source == "static"
        x = static_start(network, seeing.target, seeing.static_seed) if static else model.current_input()[0]
        try:
            steps = fooling_steps(network, x, seeing.target, confidence=CONFIDENT if static else 0.0, shape=shape)
        except NnvizError as error:
            view.clear(str(error))
            return
        self.page.show_note(FOOLING_PAGE, "")
        self._formed[FOOLING] = {"source": f"static (seed {seeing.static_seed})" if static else self._example_text()}
        self.finders[FOOLING].start(asked, network.params, steps, self._show_fooling_step, self._fooling_found)

    def _example_text(self) -> str:
        model = self.model
        if model.example.source == Source.DRAWING:
            return "your drawing"
        x, label = model.current_input()
        return f"{model.example.split} example {shown(model.example.index)}, a {model.dataset.class_names[label]}"

    def _show_fooling_step(self, fooling: Fooling) -> None:
        if self._still_shown(FOOLING, self.page.fooling):
            self._formed[FOOLING]["last"] = fooling

    def _fooling_found(self):
        return self._formed[FOOLING]["last"], self._formed[FOOLING]["source"]

    # -------------------------------------------------------------------------------------------------

    def _note(self, page: int, kind: str, found: Found | None) -> None:
        seeing = self.model.seeing
        current = seeing.current(kind) or seeing.asked(kind) is None
        self.page.show_note(page, "" if current else OUT_OF_DATE if found is not None else WAITING)
