"""Does the first hidden layer detect edges and lines? The article's hope, put to the test.

The article hopes that "each layer will be responsible for detecting … edges and lines". A
neuron of the first hidden layer that detects a stroke at one place would have a weight picture
that is *smooth* (a stroke is many neighbouring pixels; neighbouring weights agree) and
*local* (its weight sits in one small patch: the rest of the image does not matter to it). Two
numbers measure that, each against what the same weights give when shuffled among the pixels at
random (pictures of pure noise with the same weights):

smoothness      the correlation of each weight with its right and lower neighbours'. Noise: ≈ 0;
                a picture made of strokes and blobs: well above.
concentration   the share of the picture's weight (Σ w²) inside the best-placed square of a third
                of the image's side (10x10 of 28x28). Noise spreads evenly: about a fifth to a
                third; a single stroke puts most of its weight in one patch.

Both count only the pixels that the digits use (ink in at least 1% of the training images):
weights from pixels that are always blank never receive a gradient and keep their random
starting values, which would make every picture look noisy at its edges whatever the neuron does.

The reading: below ``NOISY`` smoothness a picture cannot be told from noise; smooth and at least
``LOCAL`` times as concentrated as its shuffled weights, it is a stroke in one place (an edge or
a line, the article's hope); smooth but spread out, it is a broad pattern of blobs over much of
the digit (a template, not an edge). The labels of the test images that excite the neuron most
say which digits it answers to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .dreams import EXTREMES, DreamSettings, Extremes, dreams, extremes, image_shape, layer_values
from .errors import ShapeError
from .naming import shown
from .network import Network

#: A pixel is "used by the digits" if at least this share of the training images has ink there.
IN_USE = 0.01
#: Smoothness below this cannot be told from noise (shuffled weights give 0.00 ± 0.03 on MNIST).
NOISY = 0.2
#: Concentrated at least this many times more than the same weights shuffled: local.
LOCAL = 2.0
SHUFFLES = 20
#: The square of ``concentration`` is this fraction of the image's shorter side.
WINDOW = 0.36

#: The page's dreams: without smoothing a first-layer neuron's dream is only the sign of its
#: weights (its z is linear in the pixels), white where a weight is positive, speckled wherever
#: the weights are; smoothed, it shows which blobs of them matter.
PAGE_DREAMS = DreamSettings(smoothness=0.03)

KINDS = ("stroke", "pattern", "noise")
KIND_WORDS = {"stroke": "a stroke in one place", "pattern": "a broad pattern", "noise": "noise"}


@dataclass(frozen=True)
class NeuronEvidence:
    """What the weight picture and the favourite images of one first-layer neuron say.

    ``smoothness`` and ``concentration`` are the neuron's; ``*_noise`` the mean of the same
    weights shuffled ``SHUFFLES`` times; ``sign`` says whether the weight in its best square is
    mostly positive (+1: ink there excites it) or negative (-1: ink there switches it off). ``favourites``: the test images that excite it most and
    least; ``favourite_labels``: the labels of the most exciting ones (count,)."""

    neuron: int
    kind: str
    sign: int
    smoothness: float
    smoothness_noise: float
    concentration: float
    concentration_noise: float
    favourites: Extremes
    favourite_labels: np.ndarray
    reading: str


@dataclass(frozen=True)
class Verdict:
    """Every first-layer neuron's evidence and a summary in plain words."""

    neurons: list[NeuronEvidence]
    counts: dict[str, int]
    summary: str


def pixels_in_use(images: np.ndarray, share: float = IN_USE) -> np.ndarray:
    """Which pixels the digits use: bool (n_0,), from ``images`` (n, n_0) of any number type."""
    images = np.asarray(images)
    return (images > 0).mean(axis=0) >= share if len(images) else np.ones(images.shape[1], bool)


def smoothness(pictures: np.ndarray, shape: tuple[int, int], in_use: np.ndarray) -> np.ndarray:
    """The correlation of each weight with its right and lower neighbours', over pairs of pixels
    both in use: shape (n,) for ``pictures`` (n, rows·cols)."""
    pictures = np.asarray(pictures, np.float64).reshape(-1, *shape)
    use = np.asarray(in_use, bool).reshape(shape)
    pairs = [(pictures[:, :, :-1], pictures[:, :, 1:], use[:, :-1] & use[:, 1:]),
             (pictures[:, :-1, :], pictures[:, 1:, :], use[:-1, :] & use[1:, :])]
    first = np.concatenate([a[:, both] for a, _, both in pairs], axis=1)
    second = np.concatenate([b[:, both] for _, b, both in pairs], axis=1)
    first = first - first.mean(axis=1, keepdims=True)
    second = second - second.mean(axis=1, keepdims=True)
    spread = np.sqrt((first**2).sum(axis=1) * (second**2).sum(axis=1))
    return np.divide((first * second).sum(axis=1), spread, out=np.zeros(len(first)), where=spread > 0)


def window_side(shape: tuple[int, int]) -> int:
    return max(2, round(WINDOW * min(shape)))


def concentration(pictures: np.ndarray, shape: tuple[int, int], in_use: np.ndarray) -> np.ndarray:
    """The largest share of Σ w² (over pixels in use) inside one square of ``window_side``: (n,)."""
    energy = _energy(pictures, shape, in_use)
    total = energy.sum(axis=(1, 2))
    return np.divide(_square_sums(energy, window_side(shape)).max(axis=(1, 2)), total, out=np.zeros(len(total)),
                     where=total > 0)


def square_sign(pictures: np.ndarray, shape: tuple[int, int], in_use: np.ndarray) -> np.ndarray:
    """+1 or -1 for each picture (n, rows·cols): the sign of Σ w over the pixels in use of the square
    that holds the most weight. -1: ink there switches the neuron off (red in its picture)."""
    use = np.asarray(in_use, bool).reshape(shape)
    side = window_side(shape)
    squares = _square_sums(_energy(pictures, shape, in_use), side)
    sums = _square_sums(np.asarray(pictures, np.float64).reshape(-1, *shape) * use, side)
    best = squares.reshape(len(squares), -1).argmax(axis=1)
    return np.where(sums.reshape(len(sums), -1)[np.arange(len(best)), best] < 0, -1, 1)


def _energy(pictures: np.ndarray, shape: tuple[int, int], in_use: np.ndarray) -> np.ndarray:
    return np.asarray(pictures, np.float64).reshape(-1, *shape) ** 2 * np.asarray(in_use, bool).reshape(shape)


def _square_sums(values: np.ndarray, side: int) -> np.ndarray:
    """The sum of ``values`` (n, rows, cols) over every placement of a side x side square:
    (n, rows - side + 1, cols - side + 1), from the running sums along both axes."""
    running = np.pad(values.cumsum(axis=1).cumsum(axis=2), ((0, 0), (1, 0), (1, 0)))
    return running[:, side:, side:] - running[:, :-side, side:] - running[:, side:, :-side] + running[:, :-side, :-side]


def shuffled(pictures: np.ndarray, in_use: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``pictures`` (n, n_0) with each row's weights on pixels in use shuffled among those pixels."""
    out = np.array(pictures, np.float64)
    used = np.flatnonzero(in_use)
    out[:, used] = rng.permuted(out[:, used], axis=1)
    return out


def edges_and_loops(network: Network, test_images: np.ndarray, test_labels: np.ndarray, in_use: np.ndarray | None = None,
                    shape: Sequence[int] | None = None, class_names: Sequence[str] | None = None,
                    count: int = EXTREMES, seed: int = 0) -> Verdict:
    """The evidence for each neuron of the first hidden layer, and what it says.

    ``test_images`` (n, n_0) in [0, 1] with ``test_labels`` (n,) give each neuron's favourite images;
    ``in_use`` (n_0,) the pixels the digits use (``pixels_in_use`` of the training images; all if None).
    """
    shape = image_shape(network.sizes, shape)
    if len(network.sizes) < 3:
        raise ShapeError("the network has no hidden layer whose weights could be pictures")
    in_use = np.ones(network.sizes[0], bool) if in_use is None else np.asarray(in_use, bool)
    names = list(class_names) if class_names is not None else [str(j) for j in range(network.sizes[-1])]
    weights = network.weights[0].astype(np.float64)
    smooth, local = smoothness(weights, shape, in_use), concentration(weights, shape, in_use)
    signs = square_sign(weights, shape, in_use)
    rng = np.random.default_rng(seed)
    noise = [shuffled(weights, in_use, rng) for _ in range(SHUFFLES)]
    smooth_noise = np.mean([smoothness(w, shape, in_use) for w in noise], axis=0)
    local_noise = np.mean([concentration(w, shape, in_use) for w in noise], axis=0)
    zs, activations = layer_values(network, test_images, 1)
    labels = np.asarray(test_labels)
    neurons = []
    for k in range(network.sizes[1]):
        favourites = extremes(zs[:, k], activations[:, k], count)
        evidence = dict(smoothness=float(smooth[k]), smoothness_noise=float(smooth_noise[k]), sign=int(signs[k]),
                        concentration=float(local[k]), concentration_noise=float(local_noise[k]),
                        kind="noise" if smooth[k] < NOISY else "stroke" if local[k] >= LOCAL * local_noise[k] else "pattern")
        favourite_labels = labels[favourites.most]
        neurons.append(NeuronEvidence(neuron=k, favourites=favourites, favourite_labels=favourite_labels,
                                      reading=_reading(evidence, favourite_labels, names), **evidence))
    counts = {kind: sum(n.kind == kind for n in neurons) for kind in KINDS}
    missing_strokes = sum(e.kind == "stroke" and e.sign < 0 for e in neurons)
    return Verdict(neurons, counts, _summary(counts, len(neurons), missing_strokes))


def _reading(evidence: dict, labels: np.ndarray, names) -> str:
    """One neuron's evidence in plain words."""
    kind, smooth, local = evidence["kind"], evidence["smoothness"], evidence["concentration"]
    values, counts = np.unique(labels, return_counts=True)
    top = np.argsort(-counts, kind="stable")
    if len(labels) and counts[top[0]] * 2 > len(labels):
        answers = f"Its favourite test images are mostly {names[values[top[0]]]}s ({counts[top[0]]} of {len(labels)})."
    else:
        answers = f"Its favourite test images are a mix of digits ({', '.join(names[v] for v in values[top[:4]])}…)."
    correlation = f"(correlation {smooth:.2f}; noise {_no_minus_zero(evidence['smoothness_noise'])})"
    agree = f"neighbouring weights agree {correlation}"
    square = f"{local:.0%} of its weight in one small square (noise {evidence['concentration_noise']:.0%})"
    if kind == "noise":
        return f"Looks like noise: neighbouring weights hardly agree {correlation}. It may never have learned. {answers}"
    if kind == "stroke":
        missing = (" Its stroke is red: ink there switches it off, so it answers to that stroke being missing."
                   if evidence["sign"] < 0 else "")
        return f"A stroke in one place, as the article hopes: {agree}, and {square}.{missing} {answers}"
    return f"A broad pattern of blobs, not an edge or a line: {agree}, but only {square}. {answers}"


def _no_minus_zero(value: float) -> str:
    text = f"{value:.2f}"
    return text.removeprefix("-") if float(text) == 0 else text


def _summary(counts: dict[str, int], n: int, missing_strokes: int) -> str:
    strokes, patterns, noisy = counts["stroke"], counts["pattern"], counts["noise"]
    missing = f" ({missing_strokes} of them firing when it is missing)" if missing_strokes else ""
    found = (f"{strokes} of {n} first-layer neurons look like a stroke in one place{missing}, {patterns} like a broad "
             f"pattern spread over the digit, {noisy} like noise.")
    if strokes * 2 > n:
        verdict = "Mostly yes: most neurons of the first layer look for a piece of stroke somewhere, as the article hopes."
    elif noisy * 2 > n:
        verdict = "No: most weight pictures cannot be told from noise."
    elif strokes:
        verdict = ("Mostly no: some neurons look for a stroke in one place, but most weigh up blobs spread over the "
                   "whole digit at once. Not noise where digits are written, but not edges and lines either.")
    else:
        verdict = ("No: none looks for a stroke in one place; they weigh up blobs spread over the whole digit at once "
                   "(not noise where digits are written, but not edges and lines either).")
    return f"{found} {verdict}"


def first_layer_dreams(network: Network, settings: DreamSettings = PAGE_DREAMS,
                       shape: Sequence[int] | None = None) -> np.ndarray:
    """The dream of every neuron of the first hidden layer: (n_1, n_0)."""
    return np.array([d.image for d in dreams(network, 1, range(network.sizes[1]), settings, shape=shape)])


def neuron_caption(evidence: NeuronEvidence) -> str:
    """A short title for a neuron's row: "Neuron 5: a stroke in one place"."""
    return f"Neuron {shown(evidence.neuron)}: {KIND_WORDS[evidence.kind]}"
