"""What a neuron looks for: its dream, and the test images that excite it most and least.

A neuron's *dream* is the image that excites it most, found the way training finds weights but
with the pixels as the unknowns: gradient ascent on the 784 pixels x, kept in [0, 1], of

    J(x) = z_k(x) - λ_tv · TV(x) - λ_2 · ½ Σ_i x_i²

where z_k is the chosen neuron's weighted input, TV the image's total variation (smoothed, see
``total_variation``) and λ_tv, λ_2 the optional penalties that keep the dream smooth or small.

Why z_k and not the activation a_k = f(z_k): every activation nnviz offers rises with z, so for a
hidden neuron or a sigmoid output the two ask for the same pixels, but f flattens out: σ'(z) ≈ 0
once a neuron is nearly sure (a ≈ 1), and ReLU's gradient is 0 wherever z < 0, so ascent on a_k
would stall at the very moment a neuron is nearly off or nearly on. For a softmax output z_k is
the class's own score: raising its probability a_k could be done by lowering the *other* digits'
scores instead, which asks "what is not a 3?" rather than "what is a 3?" (Simonyan, Vedaldi and
Zisserman, "Deep inside convolutional networks", 2014, maximise the score for that reason). The
activation is what is reported at every step.

Each step moves along the gradient of J, scaled so that the pixels free to move (not pressed
against 0 or 1) move by ``step_size`` in root mean square: one step size suits every neuron,
however large its weights, and a neuron's dream forms at the same pace as another's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np

from .errors import NnvizError, ShapeError
from .naming import shown
from .arrays import ForwardPass
from .network import Network

GREY = 0.5
#: Static as bright on average as MNIST's digits (their mean pixel is 0.13): uniform in [0, 0.26].
#: Brighter static (mean 0.5) drives many hidden sigmoids to their flat ends, where no gradient
#: says which way to go: from it, the sign steps of ``fooling`` stall below 0.9 for some digits.
STATIC_BRIGHTNESS = 0.13
#: Differences of neighbouring pixels below about this count nearly quadratically in the total
#: variation (the smoothing that gives it a gradient everywhere): about five grey levels.
TV_SMOOTHING = 0.02
EXTREMES = 9
#: Dreams climbed side by side. More rows make each step's products big enough for OpenBLAS to
#: share them among threads, which wait for a busy core on a loaded machine: two hundred times
#: slower a product at 64 rows (the figures are in docs/performance.md).
ROWS_AT_ONCE = 8


@dataclass(frozen=True)
class DreamSettings:
    """How a dream is found: ``steps`` steps of ``step_size`` (pixels' RMS move) from ``start``
    ("grey", or "static" drawn from ``seed``), with the penalties ``smoothness`` (λ_tv) and
    ``smallness`` (λ_2), in units of the neuron's weighted input z."""

    steps: int = 200
    step_size: float = 0.05
    smoothness: float = 0.0
    smallness: float = 0.0
    start: str = "grey"
    seed: int = 0

    def __post_init__(self):
        if self.start not in ("grey", "static"):
            raise NnvizError(f"a dream starts from grey or from static, not {self.start!r}")
        if not (isinstance(self.steps, int) and self.steps >= 0):
            raise NnvizError(f"a dream takes a whole number of steps, at least 0, not {self.steps!r}")
        if not 0 < self.step_size < math.inf:
            raise NnvizError(f"the step size must be a positive number, not {self.step_size!r}")
        if not (0 <= self.smoothness < math.inf and 0 <= self.smallness < math.inf):
            raise NnvizError("the penalties must be numbers of at least 0")


@dataclass(frozen=True)
class DreamStep:
    """The image after ``step`` steps (0: the start), (n_0,) in [0, 1]; the neuron's weighted
    input ``z`` and ``activation`` for it; J, and ∇J (n_0,), which the next step follows."""

    step: int
    image: np.ndarray
    z: float
    activation: float
    objective: float
    gradient: np.ndarray


@dataclass(frozen=True)
class Dream:
    """A neuron's dream: the ``start`` and final ``image`` (n_0,), the neuron's activation and J
    after each step (steps + 1,), the network's ``outputs`` (n_L,) for the final image."""

    layer: int
    neuron: int
    start: np.ndarray
    image: np.ndarray
    activations: np.ndarray
    objectives: np.ndarray
    outputs: np.ndarray

    @property
    def steps(self) -> int:
        return len(self.activations) - 1

    @property
    def activation(self) -> float:
        return float(self.activations[-1])


@dataclass(frozen=True)
class Extremes:
    """The examples that excite a neuron most (``most``, most active first) and least (``least``,
    least active first): indices into the examples and the neuron's activation for each."""

    most: np.ndarray
    most_activations: np.ndarray
    least: np.ndarray
    least_activations: np.ndarray


# -- checks -------------------------------------------------------------------------------------

def image_shape(sizes: Sequence[int], shape: Sequence[int] | None = None) -> tuple[int, int]:
    """The (rows, cols) of the network's input image: ``shape`` if it fits the input layer, else
    the square the input layer makes; a ShapeError if the input is not an image."""
    n = sizes[0]
    if shape is not None:
        rows, cols = (int(s) for s in shape)
        if rows * cols != n:
            raise ShapeError(f"the network's {n:,} inputs are not a {rows}x{cols} image")
        return rows, cols
    side = math.isqrt(n)
    if side * side != n:
        raise ShapeError(f"the network's {n:,} inputs are not a square image, so nnviz cannot draw "
                         "what it sees; give the image's height and width")
    return side, side


def check_neuron(sizes: Sequence[int], layer: int, k: int) -> None:
    """A NnvizError unless neuron ``k`` (0-based) of ``layer`` is a hidden or output neuron."""
    last = len(sizes) - 1
    if not (isinstance(layer, (int, np.integer)) and 1 <= layer <= last):
        raise NnvizError(f"there is no layer {layer!r} of hidden or output neurons (layers 1 to {last})")
    if not (isinstance(k, (int, np.integer)) and 0 <= k < sizes[layer]):
        what = "outputs 0" if layer == last else "neurons 1"
        count = sizes[layer] - 1 if layer == last else sizes[layer]
        raise NnvizError(f"there is no neuron {shown(k) if layer < last else k} in layer {layer} "
                         f"(it has {what} to {count})")


def checked_image(network: Network, x, shape: Sequence[int] | None = None) -> np.ndarray:
    """``x`` as a float64 image of the network's n_0 pixels, or a ShapeError (not in [0, 1], wrong size)."""
    image_shape(network.sizes, shape)
    x = np.asarray(x, np.float64).ravel()
    if x.shape != (network.sizes[0],):
        raise ShapeError(f"an image of {x.size:,} pixels does not fit the network's {network.sizes[0]:,} inputs")
    if not np.isfinite(x).all() or x.min() < 0 or x.max() > 1:
        raise ShapeError("an image's pixels must lie in [0, 1]")
    return x


def static(seed, n: int, brightness: float = STATIC_BRIGHTNESS) -> np.ndarray:
    """Random static (n,) in [0, 2·brightness], the same for the same ``seed`` (an int or a list of ints)."""
    return np.random.default_rng(seed).random(n) * (2 * brightness)


# -- the dream ----------------------------------------------------------------------------------

def total_variation(images: np.ndarray, shape: tuple[int, int], smoothing: float = TV_SMOOTHING) -> np.ndarray:
    """TV(x) of each row of ``images`` (n, rows·cols): over all pairs of horizontal and vertical
    neighbours, Σ (√(d² + ε²) - ε) with d their difference and ε = ``smoothing``. Shape (n,)."""
    d_across, d_down = _differences(images, shape)
    return sum((np.sqrt(d * d + smoothing**2) - smoothing).sum(axis=(1, 2)) for d in (d_across, d_down))


def total_variation_gradient(images: np.ndarray, shape: tuple[int, int], smoothing: float = TV_SMOOTHING) -> np.ndarray:
    """∂TV/∂x for each row of ``images`` (n, rows·cols): same shape."""
    d_across, d_down = _differences(images, shape)
    gradient = np.zeros((len(images), *shape))
    across = d_across / np.sqrt(d_across**2 + smoothing**2)  # ∂/∂ of the right pixel; minus it, the left
    down = d_down / np.sqrt(d_down**2 + smoothing**2)
    gradient[:, :, 1:] += across
    gradient[:, :, :-1] -= across
    gradient[:, 1:, :] += down
    gradient[:, :-1, :] -= down
    return gradient.reshape(len(images), -1)


def _differences(images: np.ndarray, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    pictures = np.asarray(images, np.float64).reshape(-1, *shape)
    return np.diff(pictures, axis=2), np.diff(pictures, axis=1)


def dream_steps(network: Network, layer: int, k: int, settings: DreamSettings = DreamSettings(),
                start: np.ndarray | None = None, shape: Sequence[int] | None = None) -> Iterator[DreamStep]:
    """The dream of neuron ``k`` (0-based) of ``layer`` (1..L) forming: the start, then each of
    ``settings.steps`` steps. ``start`` (n_0,) replaces the settings' grey or static start.

    Ends early if no pixel can move (each pressed against 0 or 1 by the gradient: a maximum).
    Everything is checked before the first step is taken.
    """
    check_neuron(network.sizes, layer, k)
    shape = image_shape(network.sizes, shape)
    x = _starts(network, settings, None if start is None else [start], 1, shape)
    return (DreamStep(step, x[0], float(z[0]), float(a[0]), float(j[0]), g[0])
            for step, x, z, a, j, g, _ in _climb(network, layer, np.array([k]), settings, x, shape))


def dreams(network: Network, layer: int, neurons: Sequence[int], settings: DreamSettings = DreamSettings(),
           starts: np.ndarray | None = None, shape: Sequence[int] | None = None) -> list[Dream]:
    """The dreams of several neurons of one layer, climbed side by side, ``ROWS_AT_ONCE`` at a time
    (one product a step for each group, not one each). ``starts`` (len(neurons), n_0) replaces
    the settings' start."""
    for k in neurons:
        check_neuron(network.sizes, layer, k)
    shape = image_shape(network.sizes, shape)
    neurons = np.asarray(neurons, int)
    begin = _starts(network, settings, starts, len(neurons), shape)
    found = []
    for first in range(0, len(neurons), ROWS_AT_ONCE):
        group = slice(first, first + ROWS_AT_ONCE)
        images = begin[group]
        activations, objectives = [[] for _ in neurons[group]], [[] for _ in neurons[group]]
        for _, images, _, a, j, _, climbing in _climb(network, layer, neurons[group], settings, begin[group], shape):
            for i in np.flatnonzero(climbing):
                activations[i].append(a[i])
                objectives[i].append(j[i])
        outputs = network.output(images).astype(np.float64)
        found += [Dream(layer, int(k), start, image, np.array(a), np.array(j), out) for k, start, image, a, j, out
                  in zip(neurons[group], begin[group], images, activations, objectives, outputs)]
    return found


def dream(network: Network, layer: int, k: int, settings: DreamSettings = DreamSettings(),
          start: np.ndarray | None = None, shape: Sequence[int] | None = None) -> Dream:
    """Neuron ``k`` of ``layer``'s dream, every step taken (see ``dream_steps``)."""
    return dreams(network, layer, [k], settings, None if start is None else np.asarray(start)[None], shape)[0]


def output_dreams(network: Network, settings: DreamSettings = DreamSettings(),
                  shape: Sequence[int] | None = None) -> list[Dream]:
    """The dream of every output neuron: what a 0 … 9 looks like to this network."""
    return dreams(network, len(network.sizes) - 1, range(network.sizes[-1]), settings, shape=shape)


def _starts(network: Network, settings: DreamSettings, starts, m: int, shape: tuple[int, int]) -> np.ndarray:
    """(m, n_0): the given images, checked, or m copies of the settings' grey or static start."""
    if starts is not None:
        starts = [checked_image(network, start, shape) for start in starts]
        if len(starts) != m:
            raise ShapeError(f"{len(starts)} starting images for {m} dreams")
        return np.array(starts)
    n = network.sizes[0]
    return np.tile(static(settings.seed, n) if settings.start == "static" else np.full(n, GREY), (m, 1))


def _climb(network: Network, layer: int, neurons: np.ndarray, settings: DreamSettings, x: np.ndarray,
           shape: tuple[int, int]):
    """Gradient ascent of J for neuron neurons[i] from row i of ``x`` (m, n_0), all rows at once.

    Yields, for the start and after each step: the step, the images (m, n_0), z, a and J (m,),
    ∇J (m, n_0) and which rows are still climbing; a row stops once none of its pixels can move.
    """
    rows = np.arange(len(neurons))
    one_hot = np.zeros((len(neurons), network.sizes[layer]), network.dtype)
    one_hot[rows, neurons] = 1
    climbing = np.ones(len(neurons), bool)
    for step in range(settings.steps + 1):
        forward = forward_to(network, x, layer)
        z = forward.zs[layer - 1][rows, neurons].astype(np.float64)
        activation = forward.activations[layer][rows, neurons].astype(np.float64)
        gradient = network.input_gradient(forward, layer, one_hot).astype(np.float64)
        objective = z.copy()
        if settings.smoothness:
            objective -= settings.smoothness * total_variation(x, shape)
            gradient -= settings.smoothness * total_variation_gradient(x, shape)
        if settings.smallness:
            objective -= settings.smallness * 0.5 * (x * x).sum(axis=1)
            gradient -= settings.smallness * x
        yield step, x.copy(), z, activation, objective, gradient, climbing.copy()
        free = ~(((x <= 0) & (gradient < 0)) | ((x >= 1) & (gradient > 0)))
        moving = np.where(free & climbing[:, None], gradient, 0.0)
        size = np.sqrt((moving * moving).sum(axis=1) / np.maximum(free.sum(axis=1), 1))
        climbing &= size > 0
        if step == settings.steps or not climbing.any():
            return
        scale = np.divide(settings.step_size, size, out=np.zeros_like(size), where=size > 0)
        x = np.clip(x + scale[:, None] * moving, 0.0, 1.0)


# -- the images that excite it -------------------------------------------------------------------

def forward_to(network: Network, x: np.ndarray, layer: int) -> ForwardPass:
    """The forward pass of ``x`` (n, n_0) up to ``layer`` only (1..L), layer by layer as the article
    writes it, z = a · Wᵀ + b: all that ``Network.input_gradient`` needs from ``layer`` down.

    A first-layer neuron's dream then costs one small product a step, not the whole network; over
    the test set it takes a tenth of the time of ``Network.forward``, which copies every layer.
    """
    a = network.check_inputs(x)
    zs, activations = [], [a]
    for l in range(1, layer + 1):
        z = a.dot(network.weights[l - 1].T) + network.biases[l - 1]
        # one column per example, as activations take them (softmax normalises each column)
        a = network.layer_activation(l)(z.T).T
        zs.append(z)
        activations.append(a)
    return ForwardPass(zs, activations)


def layer_values(network: Network, x: np.ndarray, layer: int) -> tuple[np.ndarray, np.ndarray]:
    """z[layer] and a[layer] for every example of ``x`` (n, n_0): each (n, n_layer)."""
    forward = forward_to(network, x, layer)
    return forward.zs[-1], forward.activations[-1]


def extremes(zs: np.ndarray, activations: np.ndarray, count: int = EXTREMES) -> Extremes:
    """The examples with the ``count`` largest and smallest weighted inputs ``zs`` (n,), and their
    ``activations`` (n,). Ranked by z: a sigmoid's activations of many examples round to the same
    1.0 (or 0.0) in float32, their z do not. Ties go to the earlier example."""
    zs, activations = np.asarray(zs), np.asarray(activations)
    most = np.argsort(-zs, kind="stable")[:count]
    least = np.argsort(zs, kind="stable")[:count]
    return Extremes(most, activations[most], least, activations[least])


def exciting_images(network: Network, x: np.ndarray, layer: int, k: int, count: int = EXTREMES) -> Extremes:
    """The examples of ``x`` (n, n_0) that activate neuron ``k`` of ``layer`` most and least."""
    check_neuron(network.sizes, layer, k)
    zs, activations = layer_values(network, x, layer)
    return extremes(zs[:, k], activations[:, k], count)
