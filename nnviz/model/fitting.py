"""Does this network fit this dataset? Said once, by the dataset (``Dataset.misfit``)."""

from __future__ import annotations

from collections.abc import Sequence

from ..core.data import Dataset


def misfit(dataset: Dataset, sizes: Sequence[int]) -> str | None:
    """None when a network of layer ``sizes`` can read ``dataset``, else a one-line reason."""
    return dataset.misfit(sizes)
