"""The training kernel: forward and backward passes over a mini-batch with nothing allocated.

``Network`` (network.py) reads like the book; this module is what makes its passes and the
trainer's steps fast. On mini-batches of 10 a step costs mostly the number of NumPy calls, not
the arithmetic, so a ``Workspace`` preallocates every array a pass needs, lays them out so that
each operation runs on a contiguous block, and lists once what each layer reads and writes;
``QuietIterator`` keeps NumPy's overflow warnings out of the training loop at no cost per step.
The figures behind these choices are in docs/kernel.md.
"""

from __future__ import annotations

import contextvars
from typing import Iterator, Protocol

import numpy as np

from .arrays import ForwardPass, layer_views
from .functions import Activation, Cost


class LayeredNetwork(Protocol):
    """What a Workspace reads of a network (``network.Network`` is one): its layers'
    [W[l] | b[l]] as views of the flat ``params``, their activations and the cost."""

    sizes: tuple[int, ...]
    params: np.ndarray
    layers: list[np.ndarray]
    cost: Cost

    @property
    def dtype(self) -> np.dtype: ...

    def layer_activation(self, layer: int) -> Activation: ...


class Workspace:
    """Preallocated arrays for forward and backward passes over exactly ``m`` examples.

    Inside, arrays hold one *column* per example, as in the book's z = W a + b. Then layer l's
    activations with their row of ones below, ``inputs[l]`` (n_l + 1, m), and the activations
    alone, ``a[l]`` (its first n_l rows), are both contiguous: on arrays this small a NumPy call
    on a strided view costs several times one on a contiguous block, and calls are most of what
    a step costs. For the same reason products are ``a.dot(b, out)``: the function ``np.dot``
    first goes through NumPy's ``__array_function__`` dispatch. The trainer keeps a workspace for
    each mini-batch size it is using, so that a step allocates nothing.

    ``input_scale`` c lets the caller hand over c · [x, 1] instead of [x, 1]: the trainer passes
    MNIST's pixel values as stored (0-255) with 255 for the 1, because converting uint8 to float
    costs about half as much as converting and dividing. The workspace divides z[1] and δ[1] by
    c instead: two operations on 16 x m numbers.
    """

    def __init__(self, network: LayeredNetwork, m: int, input_scale: float = 1.0):
        self.network = network
        self.m = m
        dtype, sizes = network.dtype, network.sizes
        self.input_scale = input_scale
        self._unscale = None if input_scale == 1 else np.array(1 / input_scale, dtype)
        # inputs[0] is c · [x; 1] itself, set by forward(); the others are owned here. a[0] is an
        # empty placeholder, so that a[l] is layer l: forward_pass() works x out from inputs[0].
        self._no_input = np.ones((sizes[0] + 1, 0), dtype)
        self.inputs: list[np.ndarray] = [self._no_input]
        self.inputs += [np.ones((n + 1, m), dtype) for n in sizes[1:-1]]
        self.a = [extended[:-1] for extended in self.inputs] + [np.empty((sizes[-1], m), dtype)]
        self.z = [np.empty((n, m), dtype) for n in sizes[1:]]
        # ∂C/∂[a; 1] = [W | b]ᵀ δ: the whole matrix multiplies faster than its strided W part,
        # so the last row, for the constant 1, is computed and ignored.
        self.da_with_one = [np.empty((n + 1, m), dtype) for n in sizes[1:-1]]
        self.da = [extended[:-1] for extended in self.da_with_one] + [np.empty((sizes[-1], m), dtype)]
        self.delta = [np.empty((n, m), dtype) for n in sizes[1:]]
        self.scratch = [np.empty((n, m), dtype) for n in sizes[1:]]
        self.gradient = np.empty_like(network.params)
        self.gradient_layers = layer_views(self.gradient, sizes)
        self.activations = [network.layer_activation(l) for l in range(1, len(sizes))]
        # What each layer after the first reads and writes, listed once instead of every pass.
        self._later_layers = list(zip(network.layers[1:], self.inputs[1:], self.z[1:], self.activations[1:], self.a[2:]))
        self._backward_layers = [
            (
                self.inputs[l], self.delta[l], self.gradient_layers[l], network.layers[l],  # this layer
                self.da_with_one[l - 1], self.da[l - 1], self.activations[l - 1],  # the one before
                self.z[l - 1], self.a[l], self.scratch[l - 1], self.delta[l - 1],
            )
            for l in range(len(sizes) - 2, 0, -1)  # layers L..2 (0-based: L-1..1); the first is apart
        ]

    def forward(self, x1: np.ndarray) -> None:
        """z[l] = [W[l] | b[l]] · [a[l-1]; 1] and a[l] = f(z[l]) for every layer.

        ``x1`` is (m, n_0 + 1): one example per row followed by a 1 (see ``arrays.with_ones``), all
        multiplied by ``input_scale``.
        """
        x1 = self.inputs[0] = x1.T
        self.network.layers[0].dot(x1, self.z[0])
        self._forward_from_first_z()

    def forward_columns(self, x1: np.ndarray, columns: np.ndarray) -> None:
        """``forward`` for inputs that are 0 but at ``columns`` of ``[x, 1]`` (the last of them the
        1's): ``x1`` (m, len(columns)) holds those, the rest are left out of the first product. For
        evaluating: ``backward`` and ``forward_pass`` need the whole input, so they cannot follow."""
        self.inputs[0] = self._no_input
        self.network.layers[0][:, columns].dot(x1.T, self.z[0])
        self._forward_from_first_z()

    def _whole_input(self) -> np.ndarray:
        if self.inputs[0] is self._no_input:
            raise ValueError("this needs the whole input of the last forward pass: forward_columns had only part of it")
        return self.inputs[0]

    def _forward_from_first_z(self) -> None:
        z = self.z[0]
        if self._unscale is not None:
            np.multiply(z, self._unscale, z)
        self.activations[0].forward(z, self.a[1])
        for layer, inputs, z, f, a in self._later_layers:
            layer.dot(inputs, z)
            f.forward(z, a)

    def backward(self, y: np.ndarray, scale: np.ndarray | None = None) -> float:
        """The gradient of scale · Σ_x C_x into ``self.gradient``, after ``forward``; returns Σ_x C_x.

        ``y`` (n_L, m) holds the targets, one column per example.

            δ[L] = ∂C/∂a[L] ⊙ f'(z[L])                       (the cost's delta)
            ∂C/∂[W[l] | b[l]] = δ[l] · [a[l-1]; 1]ᵀ          (the bias's column sums δ[l])
            ∂C/∂a[l-1] = W[l]ᵀ · δ[l]        δ[l-1] = ∂C/∂a[l-1] ⊙ f'(z[l-1])

        ``scale`` (a 0-d array of the network's dtype) multiplies δ[L], and so everything after
        it: the trainer passes -η/m to get its step directly.
        """
        delta = self.delta[-1]
        cost = self.network.cost.cost_and_delta(self.z[-1], self.a[-1], y, delta, self.scratch[-1])
        if scale is not None:
            np.multiply(delta, scale, delta)
        for inputs, delta, gradient, layer, da_with_one, da, f, z, a, scratch, delta_before in self._backward_layers:
            delta.dot(inputs.T, gradient)
            layer.T.dot(delta, da_with_one)
            np.multiply(da, f.derivative(z, a, scratch), delta_before)
        delta = self.delta[0]
        if self._unscale is not None:
            delta = np.multiply(delta, self._unscale, self.scratch[0])
        delta.dot(self._whole_input().T, self.gradient_layers[0])
        return cost

    def forward_pass(self) -> ForwardPass:
        """Copies of the last forward pass's arrays, one row per example, safe to keep."""
        x = self._whole_input()[:-1].T / self.input_scale
        return ForwardPass(zs=[z.T.copy() for z in self.z], activations=[x] + [a.T.copy() for a in self.a[1:]])


class QuietIterator:
    """Runs ``generator`` in a context of its own, in which NumPy does not warn of overflow or
    invalid values.

    A diverging run overflows before the trainer's check stops it with TrainingDiverged, which
    says what happened in words; NumPy's warnings would only be noise. ``np.errstate`` around
    every step costs a noticeable share of a step at mini-batch 10, and one around the whole
    loop would reach past each ``yield`` into the caller's code. A ``contextvars.Context`` that
    only the generator runs in does neither: NumPy keeps its error settings in a context variable.
    """

    def __init__(self, generator: Iterator):
        self._generator = generator
        self._context = contextvars.copy_context()
        self._context.run(np.seterr, over="ignore", invalid="ignore")

    def __iter__(self) -> QuietIterator:
        return self

    def __next__(self):
        return self._context.run(next, self._generator)
