"""The arrays that the network (network.py) and its fast passes (kernel.py) both speak.

How the flat parameters divide into layers, inputs with their constant 1, one-hot targets, and
the record of a forward pass. Kept apart, importing neither of those two modules, so that
neither has to import the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np


def layer_views(flat: np.ndarray, sizes: Sequence[int]) -> list[np.ndarray]:
    """Each layer's [W[l] | b[l]], (n_l, n_{l-1} + 1), as a view of ``flat``."""
    layers, start = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers.append(flat[start : start + n_out * (n_in + 1)].reshape(n_out, n_in + 1))
        start += n_out * (n_in + 1)
    return layers


def with_ones(x: np.ndarray) -> np.ndarray:
    """``x`` (n, k) with a column of ones appended, (n, k + 1): the input a Workspace takes."""
    x1 = np.empty((len(x), x.shape[1] + 1), x.dtype)
    x1[:, :-1] = x
    x1[:, -1] = 1
    return x1


def one_hot(labels: np.ndarray, n_classes: int, dtype=np.float32) -> np.ndarray:
    """Targets y of shape (n, n_classes): 1 at each label, 0 elsewhere."""
    y = np.zeros((len(labels), n_classes), dtype)
    y[np.arange(len(labels)), labels] = 1.0
    return y


@dataclass(frozen=True)
class ForwardPass:
    """Everything a picture of the network needs; arrays have one row per example.

    ``activations[0]`` is the input; ``zs[l-1]`` and ``activations[l]`` belong to layer l.
    """

    zs: list[np.ndarray]
    activations: list[np.ndarray]

    @property
    def output(self) -> np.ndarray:
        return self.activations[-1]
