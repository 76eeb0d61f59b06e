"""How well a network does on a set of examples, and which of its neurons take part."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

from .data import MAX_PIXEL, Split, pixels_with_255
from .errors import ShapeError
from .kernel import Workspace
from .network import Network

#: Examples a forward pass over a split takes at a time: small enough for the chunk's inputs to
#: stay in the processor's cache (``python -m benchmarks.answers_speed``), and one size for every
#: evaluation (see ``pixel_chunks``).
EVALUATION_CHUNK = 500
#: Examples ``cutting`` looks at in one step while it orders a split, and chunks it gathers in one.
PIXEL_BLOCK = 2000
CHUNKS_PER_STEP = 4


@dataclass(frozen=True)
class PixelChunk:
    """Examples of a split evaluated together, and the only pixels any of them lights."""

    examples: np.ndarray  # their indices in the split, (m,)
    columns: np.ndarray  # those pixels' indices, then the 1's (n): the first layer's columns used
    pixels: np.ndarray  # (m, len(columns) - 1) uint8: the examples' values there


def pixel_chunks(split: Split, chunk: int = EVALUATION_CHUNK) -> list[PixelChunk]:
    """``split`` cut into chunks of ``chunk`` examples for evaluating, each with only the pixels
    its examples light (cut once per split and chunk size, and kept with the split).

    A handwritten digit lights a fifth of the pixels, so most of the first layer's product, the
    bulk of a forward pass, multiplies zeros. A pixel dark in every example of a chunk is left
    out of it: the product is the same but for the order of its sums' rounding. To leave out
    many, the examples are grouped by the rarest pixel each lights: those reaching into the
    corners go together, and chunks of ordinary digits leave out many of the pixels
    (``python -m benchmarks.answers_speed`` says how many).

    Every evaluation takes the same chunks, so that two processes evaluating one network on one
    split with one BLAS thread (the window's training and compute processes) get the same sums:
    the test accuracy a run records and the Mistakes tab's answers agree to the example. What is
    kept is the split's lit pixels once more, at most.
    """
    for _ in cutting(split, chunk):
        pass
    return split.derived[("pixel chunks", chunk)]


def cutting(split: Split, chunk: int = EVALUATION_CHUNK) -> Iterator[None]:
    """``pixel_chunks``' work in steps of a few milliseconds (a None after each): the first job of
    a compute process takes it so, and a newer job may replace it in between. Nothing once the
    split is cut."""
    key = ("pixel chunks", chunk)
    if key in split.derived:
        return
    images, n = split.images, split.images.shape[1]
    blocks = range(0, len(split), PIXEL_BLOCK)
    examples_per_pixel = np.zeros(n, np.int64)
    for b in blocks:
        examples_per_pixel += (images[b : b + PIXEL_BLOCK] > 0).sum(axis=0)
        yield None
    rarest_first = np.argsort(examples_per_pixel, kind="stable")
    # Each example's rarest lit pixel, as its place in that order (a blank example: after all).
    rarest = np.empty(len(split), np.int64)
    for b in blocks:
        lit = images[b : b + PIXEL_BLOCK, rarest_first] > 0
        rarest[b : b + PIXEL_BLOCK] = np.where(lit.any(axis=1), lit.argmax(axis=1), n)
        yield None
    order = np.argsort(rarest, kind="stable")
    chunks = []
    for start in range(0, len(split), chunk):
        examples = order[start : start + chunk]
        pixels = images[examples]
        used = np.flatnonzero(pixels.any(axis=0))
        chunks.append(PixelChunk(examples, np.append(used, n), np.ascontiguousarray(pixels[:, used])))
        if len(chunks) % CHUNKS_PER_STEP == 0:
            yield None
    split.derived[key] = chunks


def forward_chunks(network: Network, split: Split, chunk: int = EVALUATION_CHUNK) -> Iterator[tuple[np.ndarray, Workspace]]:
    """Forward passes over ``split``, ``chunk`` examples at a time (``pixel_chunks``, in their
    order): (the chunk's examples, a workspace holding its pass, one column per example). The
    workspace is reused: read it before taking the next.

    Straight from the stored pixels, the way the trainer feeds them, rather than through
    Network.forward on images scaled to [0, 1]: several times faster (docs/kernel.md).
    """
    _check_fits(network, split)
    workspace = None
    buffer = np.empty(min(chunk, len(split)) * (split.images.shape[1] + 1), network.dtype)
    for part in pixel_chunks(split, chunk):
        m, n = part.pixels.shape
        if workspace is None or workspace.m != m:
            workspace = Workspace(network, m, input_scale=MAX_PIXEL)
        # One buffer for every chunk, its start taken contiguous in the chunk's shape.
        inputs = pixels_with_255(part.pixels, network.dtype, buffer[: m * (n + 1)].reshape(m, n + 1))
        workspace.forward_columns(inputs, part.columns)
        yield part.examples, workspace


def forward_in_order(network: Network, split: Split, chunk: int) -> Iterator[Workspace]:
    """Forward passes over ``split`` in its order, ``chunk`` examples at a time, every pixel: for
    a search that may end after a few small chunks, where cutting the split first would cost more
    than the search (``silent_neurons``)."""
    _check_fits(network, split)
    workspace = inputs = None
    for start in range(0, len(split), chunk):
        images = split.images[start : start + chunk]
        if workspace is None or workspace.m != len(images):
            workspace = Workspace(network, len(images), input_scale=MAX_PIXEL)
        inputs = pixels_with_255(images, network.dtype, inputs)
        workspace.forward(inputs[: len(images)])
        yield workspace


def _check_fits(network: Network, split: Split) -> None:
    if network.sizes[0] != split.images.shape[1]:
        raise ShapeError(f"a {network.sizes[0]}-input network cannot read {split.images.shape[1]}-pixel images")


def predictions(network: Network, split: Split, chunk: int = EVALUATION_CHUNK) -> np.ndarray:
    """The network's answer for every example of ``split``: shape (n,)."""
    answers = np.empty(len(split), np.int64)
    for _ in answering(network, split, answers, chunk):
        pass
    return answers


def answering(network: Network, split: Split, answers: np.ndarray, chunk: int = EVALUATION_CHUNK) -> Iterator[int]:
    """Writes the network's answers for ``split`` into ``answers`` (shape (n,)) a chunk at a
    time, yielding how many are written after each chunk (a window takes one chunk a turn)."""
    done = 0
    for examples, workspace in forward_chunks(network, split, chunk):
        answers[examples] = workspace.a[-1].argmax(axis=0)
        done += len(examples)
        yield done


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
    for workspace in forward_in_order(network, split, chunk):
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
