"""How well a network does on a set of examples, and which of its neurons take part."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from .data import MAX_PIXEL, Split, pixels_with_255
from .kernel import Workspace
from .network import Network

EVALUATION_CHUNK = 2000


def forward_chunks(network: Network, split: Split, chunk: int = EVALUATION_CHUNK) -> Iterator[tuple[int, Workspace]]:
    """Forward passes over ``split``, ``chunk`` examples at a time: (the chunk's first example,
    a workspace holding its pass, one column per example). The workspace is reused: read it
    before taking the next.

    Straight from the stored pixels, the way the trainer feeds them, rather than through
    Network.forward on images scaled to [0, 1]: several times faster (docs/kernel.md).
    """
    workspace = inputs = None
    for start in range(0, len(split), chunk):
        images = split.images[start : start + chunk]
        if workspace is None or workspace.m != len(images):
            workspace = Workspace(network, len(images), input_scale=MAX_PIXEL)
        inputs = pixels_with_255(images, network.dtype, inputs)
        workspace.forward(inputs[: len(images)])
        yield start, workspace


def predictions(network: Network, split: Split, chunk: int = EVALUATION_CHUNK) -> np.ndarray:
    """The network's answer for every example of ``split``: shape (n,)."""
    answers = np.empty(len(split), np.int64)
    for _ in answering(network, split, answers, chunk):
        pass
    return answers


def answering(network: Network, split: Split, answers: np.ndarray, chunk: int = EVALUATION_CHUNK) -> Iterator[int]:
    """Writes the network's answers for ``split`` into ``answers`` (shape (n,)) a chunk at a
    time, yielding how many are written after each chunk (a window takes one chunk a turn)."""
    for start, workspace in forward_chunks(network, split, chunk):
        answers[start : start + workspace.m] = workspace.a[-1].argmax(axis=0)
        yield start + workspace.m


def accuracy(network: Network, split: Split) -> float:
    """The fraction of ``split`` that ``network`` classifies correctly."""
    return float((predictions(network, split) == split.labels).mean()) if len(split) else 0.0


def dead_neurons(network: Network, split: Split, chunk: int = EVALUATION_CHUNK) -> list[tuple[int, int]]:
    """The hidden neurons that are never active on ``split``: (layer, k), layer 1..L-1, k from 0.

    Never active means an activation of exactly 0 on every example. That is a dead ReLU: z ≤ 0
    whatever the input, so relu'(z) = 0 too, its incoming weights get no gradient, and nothing
    but the step's weight decay ever changes them: it stays dead and the layer works with one
    neuron fewer. A sigmoid is 0 only far out (below z ≈ -20 in float32, where σ' rounds to 0
    as well: dead in the same sense) and tanh only at z = 0 exactly (a neuron whose weights and
    bias are all 0, switched off), so for them the list is empty but for such extremes. An empty
    split has no active neurons: all are listed.
    """
    *_, dead = silent_neurons(network, split, chunk)
    return dead


def silent_neurons(network: Network, split: Split, chunk: int = EVALUATION_CHUNK) -> Iterator[list[tuple[int, int]]]:
    """The hidden neurons not active on any example of ``split`` so far, (layer, k), after each
    ``chunk`` of it: the last list is ``dead_neurons``. Ends early once every neuron was active
    (a sigmoid network's are, in the first chunk); a window takes it a chunk at a time."""
    hidden = range(1, len(network.sizes) - 1)
    active = [np.zeros(network.sizes[l], bool) for l in hidden]
    silent = [(l, k) for l in hidden for k in range(network.sizes[l])]
    if not len(split):
        yield silent
    for _, workspace in forward_chunks(network, split, chunk):
        for ever, a in zip(active, workspace.a[1:-1]):
            ever |= a.any(axis=1)
        silent = [(l, int(k)) for l, ever in zip(hidden, active) for k in np.flatnonzero(~ever)]
        yield silent
        if not silent:
            return


def confusion_matrix(labels: np.ndarray, answers: np.ndarray, n_classes: int) -> np.ndarray:
    """Counts of shape (n_classes, n_classes): row = true class, column = the network's answer."""
    matrix = np.zeros((n_classes, n_classes), np.int64)
    np.add.at(matrix, (labels, answers), 1)
    return matrix
