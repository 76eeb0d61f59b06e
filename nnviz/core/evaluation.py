"""How well a network does on a set of examples."""

from __future__ import annotations

import numpy as np

from .data import Split
from .network import Network

EVALUATION_CHUNK = 2000


def predictions(network: Network, split: Split, chunk: int = EVALUATION_CHUNK) -> np.ndarray:
    """The network's answer for every example of ``split``: shape (n,)."""
    answers = np.empty(len(split), np.int64)
    for start in range(0, len(split), chunk):
        index = slice(start, start + chunk)
        answers[index] = network.predict(split.inputs(index, network.dtype))
    return answers


def accuracy(network: Network, split: Split) -> float:
    """The fraction of ``split`` that ``network`` classifies correctly."""
    return float((predictions(network, split) == split.labels).mean()) if len(split) else 0.0


def confusion_matrix(labels: np.ndarray, answers: np.ndarray, n_classes: int) -> np.ndarray:
    """Counts of shape (n_classes, n_classes): row = true class, column = the network's answer."""
    matrix = np.zeros((n_classes, n_classes), np.int64)
    np.add.at(matrix, (labels, answers), 1)
    return matrix
