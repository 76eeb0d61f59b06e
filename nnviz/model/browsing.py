"""Which examples the arrows step through: a split, filtered by digit, by mistakes, or by a
confusion-matrix cell. Plain NumPy; the model asks the core for the predictions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SPLITS = ("test", "validation", "train")


@dataclass(frozen=True)
class Filters:
    split: str = "test"
    digit: int | None = None
    only_mistakes: bool = False
    #: (true class, answer) from a click in the confusion matrix; None when browsing freely.
    cell: tuple[int, int] | None = None

    @property
    def needs_predictions(self) -> bool:
        return self.only_mistakes or self.cell is not None

    def describe(self, names) -> str:
        if self.cell is not None:
            return f"{names[self.cell[0]]}s the network reads as {names[self.cell[1]]}"
        parts = [f"{names[self.digit]}s" if self.digit is not None else "examples"]
        if self.only_mistakes:
            parts.append("it gets wrong")
        return " ".join(parts)


def candidates(labels: np.ndarray, filters: Filters, predictions: np.ndarray | None) -> np.ndarray:
    """Indices of the examples that pass ``filters`` (``predictions`` needed for mistakes and cells)."""
    keep = np.ones(len(labels), bool)
    if filters.cell is not None:
        keep &= (labels == filters.cell[0]) & (predictions == filters.cell[1])
        return np.flatnonzero(keep)
    if filters.digit is not None:
        keep &= labels == filters.digit
    if filters.only_mistakes:
        keep &= predictions != labels
    return np.flatnonzero(keep)


def step_to(indices: np.ndarray, current: int, step: int, rng: np.random.Generator) -> int | None:
    """The next (+1), previous (-1) or a random (0) index among ``indices``, wrapping around."""
    if len(indices) == 0:
        return None
    if step == 0:
        return int(rng.choice(indices))
    if step > 0:
        position = np.searchsorted(indices, current, side="right")
        return int(indices[position % len(indices)])
    position = np.searchsorted(indices, current, side="left") - 1
    return int(indices[position % len(indices)])
