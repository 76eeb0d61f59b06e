"""The example on show: browsing a split (by digit, by mistakes, by a confusion cell), going to a
number, or drawing a digit; the input panel shows the model's example and the network's answer."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore

from ...core.drawing import preprocess
from ...model import Cause, Source, WindowModel
from ...model.pacing import Redraw
from ..shell.actions import Actions
from ..shell.status import Lasting, Status
from ..views.input_panel import InputPanel
from ..window.redraws import Redraws
from .base import Component

#: MNIST's digits fill a 20x20 box inside their 28x28 image; a drawing is scaled the same way.
DIGIT_BOX = 20 / 28
BROWSE_STEPS = {"next_example": +1, "previous_example": -1, "random_example": 0}


class ExampleComponent(Component):
    def __init__(self, model: WindowModel, panel: InputPanel, actions: Actions, status: Status, redraws: Redraws,
                 parent: QtCore.QObject):
        super().__init__(model, parent)
        self.panel, self.status, self.redraws = panel, status, redraws
        panel.browsed.connect(self.browse)
        panel.filters_changed.connect(self._on_filters_typed)
        panel.index_chosen.connect(self._on_index_chosen)
        panel.drawing_changed.connect(self._on_drawing_changed)
        panel.source_changed.connect(self._on_source_chosen)
        for name in BROWSE_STEPS:
            actions.serve(name, getattr(self, f"_{name}"))
        self.follow(self._show_classes, "dataset", "network")
        self.follow(self._show_filters, "filters", "dataset", "network")
        self.follow(self._on_reading_changed, "example", "shown", "edits", "dataset", "network")
        self._show_classes()
        self._show_filters()
        self._show_reading()

    # -- what a person does -----------------------------------------------------------------------

    def browse(self, step: int) -> None:
        """Next (+1), previous (-1) or a random (0) example among those the filters let through."""
        if self._refused():
            return
        model = self.model
        found = model.browse(step)
        what, split = model.filters.describe(model.dataset.class_names), model.filters.split
        if found:
            self.status.say(f"{what}: {found:,} in the {split} set", Lasting.BRIEF)
        else:
            self.status.say(f"No {what} in the {split} set", Lasting.NOTICE)

    def _next_example(self) -> None:
        self.browse(+1)

    def _previous_example(self) -> None:
        self.browse(-1)

    def _random_example(self) -> None:
        self.browse(0)

    def _on_filters_typed(self) -> None:
        if self._refused():
            return
        filters = self.panel.filters()
        if not self.model.set_filters(filters):
            self.status.say(f"No {filters.describe(self.model.dataset.class_names)} in the {filters.split} set",
                            Lasting.NOTICE)

    def _on_index_chosen(self, index: int) -> None:
        if not self._refused():
            self.model.go_to(index)

    def _on_source_chosen(self, source: str) -> None:
        if self._refused():
            return
        if source == Source.DRAWING:
            self.model.set_drawing(self.drawn_input())
        self.model.set_source(Source(source))

    def _on_drawing_changed(self) -> None:
        self.model.set_drawing(self.drawn_input())

    def drawn_input(self) -> np.ndarray | None:
        """The drawing as the network's input, or None while there is no digit to read."""
        rows, cols = self.model.dataset.image_shape
        side = max(rows, cols)
        image = preprocess(self.panel.drawing_ink(), size=side, box=round(side * DIGIT_BOX))
        if image is None or image.shape != (rows, cols):
            return None
        return image.reshape(-1).astype(self.model.network.dtype)

    def _refused(self) -> bool:
        """The lesson explains one example: another waits until it is done."""
        if self.model.lesson is None:
            return False
        self.status.say("Leave the backpropagation steps (Done or Esc) to choose another example", Lasting.WARNING)
        self._show_filters()
        self._show_reading()
        return True

    # -- what the panel shows -------------------------------------------------------------------------

    def _show_classes(self, cause: Cause | None = None) -> None:
        self.panel.set_classes(self.model.dataset.class_names)
        self._show_filters()

    def _show_filters(self, cause: Cause | None = None) -> None:
        self.panel.show_filters(self.model.filters)

    def _on_reading_changed(self, cause: Cause) -> None:
        self.redraws.request(Redraw.ACTIVATIONS, self._show_reading, cause)

    def _show_reading(self) -> None:
        model = self.model
        example = model.example
        self.panel.show_source(example.source == Source.DRAWING)
        reading = model.reading()
        names = model.dataset.class_names
        confidence = model.confidence(reading.forward.output[0])
        if example.source == Source.DRAWING:
            self.panel.show_drawing_answer(None if reading.answer is None else names[reading.answer], confidence)
            return
        split = model.dataset.split(example.split)
        where = f"{example.split} example {example.index + 1:,} of {len(split):,}"
        if model.filters.cell is not None:
            where += f" · {model.filters.describe(names)}"
        self.panel.show_example(split.image(example.index), names[reading.label], names[reading.answer], confidence,
                                reading.correct, where, example.index, len(split))

