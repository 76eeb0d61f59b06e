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
from ...model.seeing import FOOLING, OUTPUTS, STATIC, Found
from ..views.seeing import FOOLING_PAGE, OUTPUTS_PAGE, STATIC_PAGE, SeeingPage
from ..window.redraws import Redraws
from .base import Lazy
from .dreams import (FOOLING_STEPS_PER_TICK, OUT_OF_DATE, OUTPUT_STEPS_PER_TICK, WAITING, Finder, Finding,
                     example_pixels, shown_if_asked, side_by_side)


class SeeingComponent(Finding):
    """The tab "What the network sees": the ten output dreams, the example on show (or static)
    fooled into a chosen digit, and static read as each digit."""

    def __init__(self, model: WindowModel, page: SeeingPage, redraws: Redraws, parent: QtCore.QObject):
        super().__init__(model, redraws, parent)
        self.page = page
        seeing = model.seeing
        self.finders = {OUTPUTS: Finder(seeing, OUTPUT_STEPS_PER_TICK, self),
                        FOOLING: Finder(seeing, FOOLING_STEPS_PER_TICK, self),
                        STATIC: Finder(seeing, OUTPUT_STEPS_PER_TICK, self)}
        self._formed: dict[str, dict] = {OUTPUTS: {}, FOOLING: {}, STATIC: {}}
        #: The digits whose pictures changed since the last tick drew them.
        self._fresh: dict[str, set[int]] = {OUTPUTS: set(), STATIC: set()}
        page.outputs.requested.connect(self._on_outputs_requested)
        page.static.requested.connect(self._on_static_requested)
        page.fooling.fool_requested.connect(self._on_fool_requested)
        page.fooling.static_requested.connect(self._on_fool_static_requested)
        self._lazy = {OUTPUTS: Lazy(page.outputs, self._draw_outputs, self),
                      FOOLING: Lazy(page.fooling, self._draw_fooling, self),
                      STATIC: Lazy(page.static, self._draw_static, self)}
        self.follow(self._on_classes, "dataset")
        self.follow(self._on_changed, *self.EVENTS)
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
        self.finders[OUTPUTS].start(asked, network.params, side_by_side(steps), self._take_output_step,
                                    self._draw_outputs_so_far, self._outputs_found)

    def _take_output_step(self, item: tuple[int, DreamStep]) -> None:
        self._formed[OUTPUTS][item[0]] = item[1]
        self._fresh[OUTPUTS].add(item[0])

    def _draw_outputs_so_far(self) -> None:
        if self._still_shown(OUTPUTS, self.page.outputs):
            for j in sorted(self._fresh[OUTPUTS]):
                self.page.outputs.show_dream_step((j, self._formed[OUTPUTS][j]))
        self._fresh[OUTPUTS].clear()

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
        self.finders[STATIC].start(asked, network.params, side_by_side(steps), self._take_static_step,
                                   self._draw_static_so_far, self._static_found)

    def _take_static_step(self, item: tuple[int, Fooling]) -> None:
        self._formed[STATIC][item[0]] = item[1]
        self._fresh[STATIC].add(item[0])

    def _draw_static_so_far(self) -> None:
        if self._still_shown(STATIC, self.page.static):
            names = self.model.dataset.class_names
            for j in sorted(self._fresh[STATIC]):
                fooling = self._formed[STATIC][j]
                self.page.static.show_picture(j, fooling.image, fooling.outputs_after[j], names[j])
        self._fresh[STATIC].clear()

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
        x = static_start(network, seeing.target, seeing.static_seed) if static else example_pixels(model)
        try:
            steps = fooling_steps(network, x, seeing.target, confidence=CONFIDENT if static else 0.0, shape=shape)
        except NnvizError as error:
            view.clear(str(error))
            return
        self.page.show_note(FOOLING_PAGE, "")
        self._formed[FOOLING] = {"source": f"static (seed {seeing.static_seed})" if static else self._example_text()}
        self.finders[FOOLING].start(asked, network.params, steps, self._take_fooling_step, self._check_fooling_shown,
                                    self._fooling_found)

    def _example_text(self) -> str:
        model = self.model
        if model.example.source == Source.DRAWING:
            return "your drawing"
        x, label = model.current_input()
        return f"{model.example.split} example {shown(model.example.index)}, a {model.dataset.class_names[label]}"

    def _take_fooling_step(self, fooling: Fooling) -> None:
        self._formed[FOOLING]["last"] = fooling

    def _check_fooling_shown(self) -> None:
        self._still_shown(FOOLING, self.page.fooling)  # the result alone is drawn, once found

    def _fooling_found(self):
        return self._formed[FOOLING]["last"], self._formed[FOOLING]["source"]

    # -------------------------------------------------------------------------------------------------

    def _note(self, page: int, kind: str, found: Found | None) -> None:
        seeing = self.model.seeing
        current = seeing.current(kind) or seeing.asked(kind) is None
        self.page.show_note(page, "" if current else OUT_OF_DATE if found is not None else WAITING)
