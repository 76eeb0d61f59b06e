"""How well a network does on a set of examples."""

from __future__ import annotations

import numpy as np

from .data import MAX_PIXEL, Split, pixels_with_255
from .kernel import Workspace
from .network import Network

EVALUATION_CHUNK = 2000


def predictions(network: Network, split: Split, chunk: int = EVALUATION_CHUNK) -> np.ndarray:
    """The network's answer for every example of ``split``: shape (n,)."""
    answers = np.empty(len(split), np.int64)
    workspace = inputs = None
    # Straight from the stored pixels, the way the trainer feeds them, rather than through
    # Network.predict on images scaled to [0, 1]: several times faster (docs/kernel.md).
    for start in range(0, len(split), chunk):
        images = split.images[start : start + chunk]
        if workspace is None or workspace.m != len(images):
            workspace = Workspace(network, len(images), input_scale=MAX_PIXEL)
        inputs = pixels_with_255(images, network.dtype, inputs)
        workspace.forward(inputs[: len(images)])
        answers[start : start + len(images)] = workspace.a[-1].argmax(axis=0)
    return answers


def accuracy(network: Network, split: Split) -> float:
    """The fraction of ``split`` that ``network`` classifies correctly."""
    return float((predictions(network, split) == split.labels).mean()) if len(split) else 0.0


def confusion_matrix(labels: np.ndarray, answers: np.ndarray, n_classes: int) -> np.ndarray:
    """Counts of shape (n_classes, n_classes): row = true class, column = the network's answer."""
    matrix = np.zeros((n_classes, n_classes), np.int64)
    np.add.at(matrix, (labels, answers), 1)
    return matrix
