"""The example on show and the neuron selected, as part of the window's state (no Qt).

A mixin of ``WindowModel``: browsing a split through the filters, the drawing, the example run
through the network on show (``reading``), the selected neuron. Changes fire ``example``,
``filters`` and ``neuron``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np

from ..core.arrays import ForwardPass
from ..core.evaluation import dead_neurons
from .browsing import Filters, candidates, step_to
from .causes import Cause
from .seeing import DEAD


class Source(StrEnum):
    DATASET = "dataset"
    DRAWING = "drawing"



@dataclass(frozen=True)
class Example:
    """The example on show: an index into a split, or the drawing."""

    source: Source = Source.DATASET
    split: str = "test"
    index: int = 0


@dataclass(frozen=True)
class Reading:
    """The example run through the network: ``answer`` and ``label`` None when there is none."""

    forward: ForwardPass
    answer: int | None
    label: int | None

    @property
    def correct(self) -> bool:
        return self.answer is not None and self.answer == self.label


class ExampleOnShow:
    """The example on show and the selected neuron (``WindowModel`` has the state these read)."""

    def split_predictions(self, name: str | None = None) -> np.ndarray:
        """The shown network's answers for a whole split (default: the one browsed), shape (n,),
        computed once per state of the parameters (the Mistakes tab has them from the compute process)."""
        return self.answers.of(name or self.filters.split)

    def candidates(self) -> np.ndarray:
        """The indices the filters let through in their split."""
        split = self.dataset.split(self.filters.split)
        answers = self.split_predictions() if self.filters.needs_predictions else None
        return candidates(split.labels, self.filters, answers)

    def browse(self, step: int) -> int:
        """Next (+1), previous (-1) or a random (0) example the filters let through; switches to
        the dataset. Returns how many examples pass the filters (0: none, nothing moved)."""
        indices = self.candidates()
        current = self.example.index if self.example.split == self.filters.split else -1
        chosen = step_to(indices, current, step, self._rng)
        if chosen is None:
            return 0
        self._set_example(Example(Source.DATASET, self.filters.split, chosen))
        return len(indices)

    def go_to(self, index: int, split: str | None = None) -> None:
        """Show example ``index`` of ``split`` (the filters' by default; another split becomes the
        one the arrows browse)."""
        split = split or self.filters.split
        if split != self.filters.split:
            self.filters = Filters(split)
            self._emit(Cause.USER, "filters")
        self._set_example(Example(Source.DATASET, split, index % len(self.dataset.split(split))))

    def set_filters(self, filters: Filters) -> int:
        """Browse with ``filters`` from the start of their split; returns how many pass (when
        none do, the split's first example is shown)."""
        self.filters = filters
        self.example = replace(self.example, split=filters.split, index=-1)
        indices = self.candidates()
        chosen = step_to(indices, -1, +1, self._rng)
        self.example = Example(Source.DATASET, filters.split, 0 if chosen is None else chosen)
        self._emit(Cause.USER, "filters", "example")
        return len(indices)

    def set_source(self, source: Source) -> None:
        self._set_example(replace(self.example, source=Source(source)))

    def set_drawing(self, x: np.ndarray | None) -> None:
        """The drawing as the network's input (n_0,), or None while there is no digit to read."""
        self.drawing = None if x is None else np.asarray(x)
        if self.example.source == Source.DRAWING:
            self._emit(Cause.USER, "example")

    def _set_example(self, example: Example) -> None:
        if example.source == Source.DATASET:
            example = replace(example, index=example.index % len(self.dataset.split(example.split)))
        if example != self.example:
            self.example = example
            self._emit(Cause.USER, "example")

    def current_input(self) -> tuple[np.ndarray | None, int | None]:
        """The input on show (n_0,) and its label (None for the drawing, or no digit drawn)."""
        if self.example.source == Source.DRAWING:
            return (None if self.drawing is None else self.drawing.astype(self.network.dtype)), None
        split = self.dataset.split(self.example.split)
        return split.inputs(self.example.index, self.network.dtype), int(split.labels[self.example.index])

    def reading(self) -> Reading:
        """The example on show run through the network on show."""
        x, label = self.current_input()
        if x is None:
            return Reading(self.shown.forward(np.zeros(self.network.sizes[0], self.network.dtype)), None, None)
        forward = self.hold_switched_off(self.shown.forward(x))
        return Reading(forward, int(forward.output[0].argmax()), label)

    def dead_neurons(self) -> list[tuple[int, int]]:
        """The hidden neurons of the network on show that are never active on the training set
        (``core.evaluation.dead_neurons``): (layer, k). Found once per state of its parameters
        (what ``seeing`` found of ``DEAD``; a window finds it in slices)."""
        if not self.seeing.current(DEAD):
            self.seeing.found(self.seeing.asked(DEAD), self.shown.params, dead_neurons(self.shown, self.dataset.train))
        return self.seeing.result(DEAD).value

    def confidence(self, output: np.ndarray) -> float:
        """The answer's own output activation, as on its neuron: not a share of the ten outputs'
        sum, which under squared error is no probability and reads much lower (0.69 -> 13%)."""
        return float(output.max())

    def select_neuron(self, selected: tuple[int, int] | None) -> None:
        selected = None if selected is None else (int(selected[0]), int(selected[1]))
        if selected != self.selected_neuron:
            self.selected_neuron = selected
            self._emit(Cause.USER, "neuron")
