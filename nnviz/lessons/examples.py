"""The example a lesson walks through, and the mini-batch and training sample around it (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.data import Dataset

#: The fixed sample of the training set on which an Apply's effect on the other examples is measured.
SAMPLE_SIZE = 1000


@dataclass(frozen=True)
class LessonExample:
    """The example walked through: its input x (n_0,) in [0, 1], its label (None for a drawing, whose
    target the learner chooses), and where it comes from (``split`` and ``index``; None for a drawing)."""

    x: np.ndarray
    label: int | None = None
    split: str | None = None
    index: int | None = None

    @classmethod
    def from_split(cls, dataset: Dataset, split: str, index: int, dtype=np.float32) -> LessonExample:
        part = dataset.split(split)
        return cls(part.inputs(index, dtype), int(part.labels[index]), split, int(index))

    @classmethod
    def drawing(cls, pixels: np.ndarray) -> LessonExample:
        return cls(np.array(pixels, copy=True).ravel())


def choose_batch(example: LessonExample, n_train: int, batch_size: int, rng: np.random.Generator) -> np.ndarray:
    """The mini-batch's other members: ``batch_size - 1`` indices into the training split.

    The example on show is always member 1, so that the page's numbers and the network's picture
    follow it; a training example is not drawn a second time among the others. (A test image or a
    drawing in a mini-batch is the lesson's liberty: training itself learns from training examples
    only, and the page says so.)
    """
    size = min(batch_size, n_train + 1) - 1
    pool = np.arange(n_train)
    if example.split == "train" and example.index is not None:
        pool = np.delete(pool, example.index)
        size = min(size, len(pool))
    return rng.choice(pool, size=size, replace=False).astype(np.int64)


def choose_sample(n_train: int, rng: np.random.Generator) -> np.ndarray:
    """SAMPLE_SIZE sorted indices into the training split (all of a smaller one)."""
    return np.sort(rng.choice(n_train, size=min(SAMPLE_SIZE, n_train), replace=False))
