"""The tab "What the network sees": what a 0 … 9 looks like to the network (the ten output dreams),
the example on show (or static) fooled into a chosen digit, and static read as each digit; each
found only while its page is shown and nothing trains (see ``dreams.Finding``).
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore

from ...core.dreams import DreamStep, dream_steps
from ...core.errors import NnvizError
from ...core.fooling import CONFIDENT, Fooling, fooling_steps, static_start
from ...core.naming import shown
from ...model import Source, WindowModel
from ...core.network import Network
from ...model.seeing import FOOLING, OUTPUTS, STATIC, Asked, Found
from ..views.dreams import DigitStrip
from ..views.later import Later
from ..views.seeing import FOOLING_PAGE, OUTPUTS_PAGE, STATIC_PAGE, SeeingPage
from ..window.redraws import Redraws
from .base import Lazy
from .dreams import (FOOLING_STEPS_PER_TICK, OUT_OF_DATE, OUTPUT_STEPS_PER_TICK, WAITING, Finder, Finding,
                     example_pixels, shown_if_asked, side_by_side)


def dream_picture(j: int, step: DreamStep) -> tuple[np.ndarray, float]:
    """An output dream's picture: its image, and output j's activation for it."""
    return step.image, step.activation


def static_picture(j: int, fooling: Fooling) -> tuple[np.ndarray, float]:
    """Static read as digit j: its image, and output j for it."""
    return fooling.image, float(fooling.outputs_after[j])


class Strip:
    """One strip of pictures found side by side, one per class (the output dreams, the static):
    its page, its view, how a step becomes a picture, and what the steps formed so far."""

    def __init__(self, owner: SeeingComponent, kind: str, page: int, view: DigitStrip, picture):
        self.owner, self.kind, self.page, self.view, self.picture = owner, kind, page, view, picture
        self.formed: dict[int, object] = {}
        #: The classes whose pictures changed since the last tick drew them.
        self.fresh: set[int] = set()

    def draw(self, found: Found | None) -> None:
        """What was found (a step of each class), or empty pictures."""
        dataset = self.owner.model.dataset
        if found is None:
            self.view.start(dataset.class_names, dataset.image_shape)
            return
        images, values = zip(*(self.picture(j, step) for j, step in enumerate(found.value)))
        self.view.show_pictures(np.array(images), values, dataset.class_names, dataset.image_shape)

    def start(self, asked: Asked, params: np.ndarray, steps: list) -> None:
        dataset = self.owner.model.dataset
        self.view.start(dataset.class_names, dataset.image_shape)
        self.formed, self.fresh = {}, set()
        self.owner.finders[self.kind].start(asked, params, side_by_side(steps), self.take, self.draw_so_far, self.found)

    def take(self, item: tuple[int, object]) -> None:
        j, step = item
        self.formed[j] = step
        self.fresh.add(j)

    def draw_so_far(self) -> None:
        if self.owner.still_shown(self.kind, self.view):
            names = self.owner.model.dataset.class_names
            for j in sorted(self.fresh):
                self.view.show_picture(j, *self.picture(j, self.formed[j]), names[j])
        self.fresh.clear()

    def found(self) -> list:
        return [self.formed[j] for j in sorted(self.formed)]


class SeeingComponent(Finding):
    """The tab "What the network sees": the ten output dreams, the example on show (or static)
    fooled into a chosen digit, and static read as each digit."""

    def __init__(self, model: WindowModel, page: Later[SeeingPage], redraws: Redraws, parent: QtCore.QObject):
        super().__init__(model, redraws, parent)
        self._later = page
        seeing = model.seeing
        self.finders = {OUTPUTS: Finder(seeing, OUTPUT_STEPS_PER_TICK, self),
                        FOOLING: Finder(seeing, FOOLING_STEPS_PER_TICK, self),
                        STATIC: Finder(seeing, OUTPUT_STEPS_PER_TICK, self)}
        self.strips: dict[str, Strip] = {}
        self._fooling: dict[str, object] = {}
        page.when_made(self._attach)  # until then nothing is drawn (no ``Lazy`` of a page yet)
        self.follow(self._on_classes, "dataset")
        self.follow(self._on_changed, *self.EVENTS)

    @property
    def page(self) -> SeeingPage:
        return self._later.view

    def _attach(self, page: SeeingPage) -> None:
        self.strips = {OUTPUTS: Strip(self, OUTPUTS, OUTPUTS_PAGE, page.outputs, dream_picture),
                       STATIC: Strip(self, STATIC, STATIC_PAGE, page.static, static_picture)}
        page.outputs.requested.connect(self._on_outputs_requested)
        page.static.requested.connect(self._on_static_requested)
        page.fooling.fool_requested.connect(self._on_fool_requested)
        page.fooling.static_requested.connect(self._on_fool_static_requested)
        self._lazy = {OUTPUTS: Lazy(page.outputs, self._draw_outputs, self),
                      FOOLING: Lazy(page.fooling, self._draw_fooling, self),
                      STATIC: Lazy(page.static, self._draw_static, self)}
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
        if self._later.made():  # else when it is
            self.page.fooling.set_classes(self.model.dataset.class_names)

    # -- the ten output dreams, static read as each digit ---------------------------------------------

    def _draw_outputs(self) -> None:
        self.page.outputs.show_settings(self.model.seeing.output_settings)
        self._draw_strip(self.strips[OUTPUTS], self._output_steps)

    def _draw_static(self) -> None:
        self._draw_strip(self.strips[STATIC], self._static_steps)

    def _output_steps(self, network: Network) -> list:
        settings, shape = self.model.seeing.output_settings, self.model.dataset.image_shape
        return [dream_steps(network, len(network.sizes) - 1, j, settings, shape=shape) for j in range(network.sizes[-1])]

    def _static_steps(self, network: Network) -> list:
        seed, shape = self.model.seeing.static_seed, self.model.dataset.image_shape
        return [fooling_steps(network, static_start(network, j, seed), j, confidence=CONFIDENT, shape=shape)
                for j in range(network.sizes[-1])]

    def _draw_strip(self, strip: Strip, steps) -> None:
        """``strip`` as found, and found if it is to be: ``steps(network)``, one iterator a class."""
        model, seeing = self.model, self.model.seeing
        asked = seeing.asked(strip.kind)
        if self.finders[strip.kind].finding(asked, model.shown.params):
            return
        found = shown_if_asked(seeing, strip.kind, asked)
        strip.draw(found)
        if not self._should_find(strip.kind, asked):
            self._note(strip.page, strip.kind, found)
            return
        network = model.shown.copy()
        try:
            started = steps(network)
        except NnvizError as error:
            self.page.show_note(strip.page, str(error))
            return
        self.page.show_note(strip.page, "")
        strip.start(asked, network.params, started)

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
        x = static_start(network, seeing.target, seeing.static_seed) if static else example_pixels(model)
        try:
            steps = fooling_steps(network, x, seeing.target, confidence=CONFIDENT if static else 0.0, shape=shape)
        except NnvizError as error:
            view.clear(str(error))
            return
        self.page.show_note(FOOLING_PAGE, "")
        self._fooling = {"source": f"static (seed {seeing.static_seed})" if static else self._example_text()}
        self.finders[FOOLING].start(asked, network.params, steps, self._take_fooling_step, self._check_fooling_shown,
                                    self._fooling_found)

    def _example_text(self) -> str:
        model = self.model
        if model.example.source == Source.DRAWING:
            return "your drawing"
        x, label = model.current_input()
        return f"{model.example.split} example {shown(model.example.index)}, a {model.dataset.class_names[label]}"

    def _take_fooling_step(self, fooling: Fooling) -> None:
        self._fooling["last"] = fooling

    def _check_fooling_shown(self) -> None:
        self.still_shown(FOOLING, self.page.fooling)  # the result alone is drawn, once found

    def _fooling_found(self):
        return self._fooling["last"], self._fooling["source"]

    # -------------------------------------------------------------------------------------------------

    def _note(self, page: int, kind: str, found: Found | None) -> None:
        seeing = self.model.seeing
        current = seeing.current(kind) or seeing.asked(kind) is None
        self.page.show_note(page, "" if current else OUT_OF_DATE if found is not None else WAITING)
