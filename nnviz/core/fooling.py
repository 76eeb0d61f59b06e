"""Fooling the network: small pixel changes that make it read an image as another digit, and
random static that it reads as a digit with confidence.

Both take iterative steps along the sign of the input gradient (the fast gradient sign method of
Goodfellow, Shlens and Szegedy, ICLR 2015, taken repeatedly as Kurakin, Goodfellow and Bengio
do, 2016): each pixel moves one grey level (1/255) in the direction that lowers the cost of the
chosen answer, is kept in [0, 1], and the steps stop as soon as the network gives that answer.
The sign, not the gradient itself, bounds the change of every pixel: after s steps no pixel has
moved more than s/255, so stopping at the first success finds a change whose largest pixel
change is about as small as this walk can make it. Steps of one grey level also keep the image
on the 8-bit grid of a PNG, so the fooling image survives being saved.

The cost whose gradient is followed has output δ = a - y (y the chosen digit, one-hot): the
cross-entropy's. For a network trained with cross-entropy it is that network's own cost; for one
trained with squared error it avoids the factor σ'(z) of the squared error's δ, which is ≈ 0 for
an output the network is sure is off, the very output to be switched on (Nielsen's book, chapter
3, introduces the cross-entropy to cure the same slowdown in learning).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np

from .data import Split
from .dreams import STATIC_BRIGHTNESS, checked_image, image_shape, static
from .errors import NnvizError
from .naming import parse_class, shown
from .network import Network

#: One grey level of an 8-bit image.
GREY_LEVEL = 1 / 255
MAX_STEPS = 200
#: Static must be read as its digit with at least this activation.
CONFIDENT = 0.9


@dataclass(frozen=True)
class Fooling:
    """What ``steps`` sign steps did to ``original`` (n_0,): the ``image`` they made, whether the
    network now reads it as ``target`` (``fooled``), and its outputs (n_L,) before and after."""

    original: np.ndarray
    image: np.ndarray
    target: int
    steps: int
    fooled: bool
    outputs_before: np.ndarray
    outputs_after: np.ndarray
    step_size: float

    @property
    def change(self) -> np.ndarray:
        """image - original, (n_0,)."""
        return self.image - self.original

    @property
    def largest_change(self) -> float:
        """The largest change of one pixel, on the [0, 1] scale of the input."""
        return float(np.abs(self.change).max(initial=0.0))

    @property
    def pixels_changed(self) -> int:
        return int(np.count_nonzero(self.change))


def check_target(network: Network, target) -> int:
    """``target`` as the index of an output neuron, or a NnvizError."""
    if isinstance(target, (int, np.integer)) and not isinstance(target, bool):
        if 0 <= target < network.sizes[-1]:
            return int(target)
        raise NnvizError(f"{target} is not a class of this network (its classes are 0 to {network.sizes[-1] - 1})")
    return parse_class(str(target), network.sizes[-1])


def sign_steps(network: Network, x: np.ndarray, target: int, step_size: float = GREY_LEVEL
               ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(image, the network's outputs for it) before each sign step towards ``target``, for ever."""
    y = np.zeros((1, network.sizes[-1]), network.dtype)
    y[0, target] = 1
    last = len(network.sizes) - 1
    while True:
        # Network.forward, as the window and nnviz eval read the network: whether the target wins
        # must not depend on the order of a sum when the margin is a few float32 ulps.
        forward = network.forward(x)
        outputs = forward.output[0].astype(np.float64)
        yield x, outputs
        gradient = network.input_gradient(forward, last, forward.output - y)[0].astype(np.float64)
        x = np.clip(x - step_size * np.sign(gradient), 0.0, 1.0)


def fooling_steps(network: Network, x: np.ndarray, target, step_size: float = GREY_LEVEL, max_steps: int = MAX_STEPS,
                  confidence: float = 0.0, shape: Sequence[int] | None = None) -> Iterator[Fooling]:
    """What the sign steps towards ``target`` have made of ``x`` (n_0,) after 0, 1, 2, … steps; the
    last one yielded is ``fool``'s answer. Everything is checked before the first is yielded.

    For a window that takes the steps a few at a time between its redraws."""
    original = checked_image(network, x, shape)
    target = check_target(network, target)
    if not 0 < step_size <= 1:
        raise NnvizError(f"the step size must lie in (0, 1], not {step_size!r}")
    return _fooling_steps(network, original, target, step_size, max_steps, confidence)


def _fooling_steps(network: Network, original: np.ndarray, target: int, step_size: float, max_steps: int,
                   confidence: float) -> Iterator[Fooling]:
    before = None
    for step, (image, outputs) in enumerate(sign_steps(network, original, target, step_size)):
        before = outputs if before is None else before
        fooled = int(outputs.argmax()) == target and outputs[target] >= confidence
        yield Fooling(original, image, target, step, fooled, before, outputs, step_size)
        if fooled or step >= max_steps:
            return


def fool(network: Network, x: np.ndarray, target, step_size: float = GREY_LEVEL, max_steps: int = MAX_STEPS,
         confidence: float = 0.0, shape: Sequence[int] | None = None) -> Fooling:
    """The image ``x`` (n_0,) changed until the network reads it as ``target`` (with at least
    ``confidence`` for the target's output, if given), in at most ``max_steps`` sign steps."""
    *_, found = fooling_steps(network, x, target, step_size, max_steps, confidence, shape)
    return found


def fool_example(network: Network, split: Split, index: int, target, step_size: float = GREY_LEVEL,
                 max_steps: int = MAX_STEPS) -> Fooling:
    """Example ``index`` (0-based) of ``split`` fooled into being read as ``target``."""
    if not (isinstance(index, (int, np.integer)) and 0 <= index < len(split)):
        raise NnvizError(f"there is no {split.name} example {shown(index) if isinstance(index, (int, np.integer)) else index!r}"
                         f" (the {split.name} set has examples 1 to {len(split):,})")
    return fool(network, split.inputs(index, np.float64), target, step_size, max_steps, shape=split.image_shape)


def static_start(network: Network, target, seed: int = 0, brightness: float = STATIC_BRIGHTNESS) -> np.ndarray:
    """The static (n_0,) that ``fooling_static`` starts from for ``target``: it depends on ``seed``
    and the target only."""
    return static([seed, check_target(network, target)], network.sizes[0], brightness)


def fooling_static(network: Network, target, seed: int = 0, brightness: float = STATIC_BRIGHTNESS,
                   confidence: float = CONFIDENT, step_size: float = GREY_LEVEL, max_steps: int = MAX_STEPS,
                   shape: Sequence[int] | None = None) -> Fooling:
    """Random static (see ``dreams.static``) changed until the network reads it as ``target`` with
    an output of at least ``confidence``. The static depends on ``seed`` and the target only."""
    image_shape(network.sizes, shape)
    return fool(network, static_start(network, target, seed, brightness), target, step_size, max_steps, confidence,
                shape)


def static_row(network: Network, seed: int = 0, **options) -> list[Fooling]:
    """Static read as each class in turn: a 0, a 1, … a 9 made of noise."""
    return [fooling_static(network, j, seed, **options) for j in range(network.sizes[-1])]
