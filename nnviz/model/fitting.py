"""Does this network fit this dataset? Said once, here."""

from __future__ import annotations

from collections.abc import Sequence

from ..core.data import Dataset


def misfit(dataset: Dataset, sizes: Sequence[int]) -> str | None:
    """None when a network of layer ``sizes`` can read ``dataset``, else a one-line reason."""
    if sizes[0] == dataset.n_inputs and sizes[-1] == dataset.n_classes:
        return None
    return (f"a network with {sizes[0]} inputs and {sizes[-1]} outputs cannot read {dataset.name}'s "
            f"{dataset.n_inputs}-pixel images of {dataset.n_classes} classes")
