"""The multi-layer perceptron: its parameters, the forward pass and backpropagation.

Notation follows the video and Nielsen's book. Layer l (1..L) has weights W[l] of shape
(n_l, n_{l-1}) and biases b[l] of shape (n_l,); with a[0] = x the input,

    z[l] = a[l-1] · W[l]ᵀ + b[l]        a[l] = f(z[l])

one row per example. The hidden layers use the chosen activation f; the output layer uses the
cost's own (sigmoid under squared error, softmax under cross-entropy).

All parameters live in one flat array, ``params``, layer after layer. Layer l's part is the
matrix [W[l] | b[l]] of shape (n_l, n_{l-1} + 1): row j holds neuron j's incoming weights and then
its bias, which is the weight from an extra neuron that is always 1. With that 1 appended to
the previous layer's activations, z = [W | b] · [a; 1] is one matrix product, and the gradient
of W and b together is one more. One flat array makes copying, checking and stepping the whole
network one NumPy call each.

The passes themselves run in a ``kernel.Workspace``: preallocated arrays arranged for speed,
which this module's methods wrap in the book's one-row-per-example form. At the end of this
module the same passes are written out as the book writes them, one example at a time
(``feedforward_by_the_book``, ``backprop_by_the_book``): the oracle the tests hold the fast path to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .arrays import ForwardPass, layer_views, one_hot, with_ones
from .errors import ShapeError
from .functions import Activation, Cost, activation_named, cost_named
from .kernel import Workspace

DEFAULT_SIZES = (784, 16, 16, 10)
#: The largest layer nnviz will build, so that a bad file cannot ask for terabytes.
MAX_LAYER_SIZE = 100_000
MAX_PARAMETERS = 50_000_000


def check_sizes(sizes: Sequence[int]) -> tuple[int, ...]:
    """The layer sizes as a tuple of ints, or a ShapeError that says what is wrong."""
    try:
        sizes = tuple(int(n) for n in sizes)
    except (TypeError, ValueError):
        raise ShapeError(f"layer sizes must be whole numbers, not {sizes!r}") from None
    if len(sizes) < 2:
        raise ShapeError(f"a network needs at least an input and an output layer, got {sizes}")
    if any(n < 1 or n > MAX_LAYER_SIZE for n in sizes):
        raise ShapeError(f"every layer needs between 1 and {MAX_LAYER_SIZE:,} neurons, got {sizes}")
    if parameter_count(sizes) > MAX_PARAMETERS:
        raise ShapeError(f"layers {sizes} would need more than {MAX_PARAMETERS:,} parameters")
    return sizes


def parameter_count(sizes: Sequence[int]) -> int:
    return sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


@dataclass(frozen=True)
class Gradients:
    """∂C/∂W[l] and ∂C/∂b[l] of the mean cost over the examples, plus how they came about.

    ``activation_gradients[l-1]`` is ∂C_x/∂a[l] and ``deltas[l-1]`` is δ[l] = ∂C_x/∂z[l], one row
    per example: the quantities backpropagation passes from layer to layer.
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    forward: ForwardPass
    activation_gradients: list[np.ndarray]
    deltas: list[np.ndarray]
    cost: float


class Network:
    """A fully connected network of ``sizes`` neurons per layer, input first.

    ``layers[l-1]`` is [W[l] | b[l]] (n_l, n_{l-1} + 1), ``weights[l-1]`` is W[l] (n_l, n_{l-1})
    and ``biases[l-1]`` is b[l] (n_l,), for l = 1..L: views into ``params``, so writing to them
    changes the network.

    The same ``seed`` gives the same initial parameters: weights ~ N(0, v) with the variance v
    that suits the hidden activation (``Activation.weight_variance``: 1/n_in for the sigmoid,
    He's 2/n_in for ReLU, Glorot's 2/(n_in + n_out) for tanh), so that z starts with about the
    same spread in every layer, and biases 0 (for the sigmoid, measured on MNIST with 30 epochs:
    about half a percent more test accuracy than biases ~ N(0, 1)). Given ``params`` (flat, as
    ``params`` is), the network starts from a copy of them instead.
    """

    def __init__(
        self,
        sizes: Sequence[int] = DEFAULT_SIZES,
        activation: str | Activation = "sigmoid",
        cost: str | Cost = "mse",
        *,
        seed: int | None = 0,
        dtype=np.float32,
        params: np.ndarray | None = None,
    ):
        self.sizes = check_sizes(sizes)
        self.activation = activation_named(activation) if isinstance(activation, str) else activation
        self.cost = cost_named(cost) if isinstance(cost, str) else cost
        count = parameter_count(self.sizes)
        if params is not None and np.shape(params) != (count,):
            raise ShapeError(f"{np.shape(params)} parameters do not fit a {'-'.join(map(str, self.sizes))} network")
        # Given parameters are copied, not drawn and overwritten (drawing 270,000 is 5 ms).
        self.params = np.zeros(count, dtype) if params is None else np.array(params, dtype)
        self.layers = layer_views(self.params, self.sizes)
        self.weights = [layer[:, :-1] for layer in self.layers]
        self.biases = [layer[:, -1] for layer in self.layers]
        if params is not None:
            return
        rng = np.random.default_rng(seed)
        for w in self.weights:
            n_out, n_in = w.shape
            w[:] = rng.standard_normal(w.shape) * np.sqrt(self.activation.weight_variance(n_in, n_out))

    @classmethod
    def from_parameters(cls, weights, biases, activation="sigmoid", cost="mse", dtype=None) -> Network:
        """A network with the given weights (n_out, n_in) and biases (n_out,), validated."""
        if len(weights) != len(biases) or not weights:
            raise ShapeError(f"{len(weights)} weight matrices but {len(biases)} bias vectors")
        sizes = [np.shape(weights[0])[-1]] + [np.shape(w)[0] for w in weights]
        dtype = dtype or np.result_type(*weights, *biases)
        network = cls(sizes, activation, cost, seed=0, dtype=dtype)
        network.set_parameters(weights, biases)
        return network

    # -- parameters -----------------------------------------------------------------------

    @property
    def dtype(self):
        return self.params.dtype

    def layer_activation(self, layer: int) -> Activation:
        """f for layer ``layer`` (1..L)."""
        return self.cost.output_activation if layer == len(self.sizes) - 1 else self.activation

    def set_parameters(self, weights, biases) -> None:
        """Replace every weight and bias, after checking all of them (nothing changes on error)."""
        expected = [(n_out, n_in) for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])]
        if len(weights) != len(expected) or len(biases) != len(expected):
            raise ShapeError(f"expected {len(expected)} layers of weights and biases")
        for l, (w, b, shape) in enumerate(zip(weights, biases, expected), start=1):
            if np.shape(w) != shape or np.shape(b) != shape[:1]:
                raise ShapeError(
                    f"layer {l}: weights {np.shape(w)} and biases {np.shape(b)} do not fit "
                    f"{shape[1]} inputs and {shape[0]} neurons"
                )
            if not (np.isfinite(w).all() and np.isfinite(b).all()):
                raise ShapeError(f"layer {l} has NaN or infinite parameters")
        for w_to, b_to, w, b in zip(self.weights, self.biases, weights, biases):
            w_to[:] = w
            b_to[:] = b

    def copy(self) -> Network:
        return Network(self.sizes, self.activation, self.cost, dtype=self.dtype, params=self.params)

    def __reduce__(self):
        # Rebuilt from its parameters: pickled attribute by attribute, ``weights`` and ``biases``
        # would come back as arrays of their own instead of views into ``params``.
        return _network_from_params, (self.sizes, self.activation.name, self.cost.name, self.params)

    def same_architecture(self, other: Network) -> bool:
        return (self.sizes, self.activation.name, self.cost.name) == (
            other.sizes,
            other.activation.name,
            other.cost.name,
        )

    # -- passes -----------------------------------------------------------------------------

    def check_inputs(self, x: np.ndarray) -> np.ndarray:
        """``x`` as a 2-D array of this network's dtype, or a ShapeError."""
        x = np.asarray(x)
        if x.ndim == 1:
            x = x[None, :]
        if x.ndim != 2 or x.shape[1] != self.sizes[0]:
            raise ShapeError(f"inputs of shape {np.shape(x)} do not fit {self.sizes[0]} input neurons")
        if not np.isfinite(x).all():
            raise ShapeError("the inputs contain NaN or infinite values")
        return x.astype(self.dtype, copy=False)

    def forward(self, x: np.ndarray) -> ForwardPass:
        """Every layer's z and a for inputs ``x`` of shape (n, n_0) (or one input of shape (n_0,))."""
        x = self.check_inputs(x)
        workspace = Workspace(self, len(x))
        workspace.forward(with_ones(x))
        return workspace.forward_pass()

    def output(self, x: np.ndarray, chunk: int = 4096) -> np.ndarray:
        """a[L] of shape (n, n_L), computed ``chunk`` rows at a time to bound memory."""
        x = self.check_inputs(x)
        out = np.empty((len(x), self.sizes[-1]), self.dtype)
        for start in range(0, len(x), chunk):
            rows = x[start : start + chunk]
            workspace = Workspace(self, len(rows))
            workspace.forward(with_ones(rows))
            out[start : start + len(rows)] = workspace.a[-1].T
        return out

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The most active output neuron for each input: shape (n,)."""
        return self.output(x).argmax(axis=1)

    def cost_of(self, x: np.ndarray, labels: np.ndarray) -> float:
        """The mean cost over the examples."""
        a = self.output(x)
        return float(self.cost.per_example(a, one_hot(labels, self.sizes[-1], a.dtype)).mean())

    def backprop(self, x: np.ndarray, labels: np.ndarray) -> Gradients:
        """The gradient of the mean cost over ``x`` (n, n_0) with targets ``labels`` (n,).

        Changes nothing: the caller decides what to do with the gradient (Nielsen's split of
        ``backprop`` and ``update_mini_batch``).
        """
        x = self.check_inputs(x)
        labels = np.atleast_1d(np.asarray(labels))
        if labels.shape != (len(x),) or labels.min() < 0 or labels.max() >= self.sizes[-1]:
            raise ShapeError(f"need one label in 0..{self.sizes[-1] - 1} per example")
        m = len(x)
        workspace = Workspace(self, m)
        y = one_hot(labels, self.sizes[-1], self.dtype)
        workspace.forward(with_ones(x))
        cost = workspace.backward(np.ascontiguousarray(y.T)) / m
        layers = layer_views(workspace.gradient / m, self.sizes)
        return Gradients(
            weights=[layer[:, :-1] for layer in layers],
            biases=[layer[:, -1] for layer in layers],
            forward=workspace.forward_pass(),
            activation_gradients=[d.T.copy() for d in workspace.da[:-1]]
            + [self.cost.activation_gradient(workspace.a[-1].T, y)],
            deltas=[d.T.copy() for d in workspace.delta],
            cost=cost,
        )

    def input_gradient(self, forward: ForwardPass, layer: int, dz: np.ndarray) -> np.ndarray:
        """∂J/∂x, shape (n, n_0), at the inputs of ``forward`` (n examples), for any quantity J whose
        gradient with respect to layer ``layer``'s weighted inputs is ``dz`` = ∂J/∂z[layer] (n, n_layer).

        Backpropagation carried on past the first layer, to the pixels:

            δ[l-1] = (δ[l] · W[l]) ⊙ f'(z[l-1])        ∂J/∂x = δ[1] · W[1]

        With ``dz`` one-hot at neuron k it is ∂z_k/∂x, the pixels that make neuron k's weighted
        input grow; with the output layer's δ = ∂C/∂z[L] it is ∂C/∂x, how the example's cost
        would change with each pixel. Changes nothing.
        """
        n = len(forward.activations[0])
        delta = np.asarray(dz, self.dtype).reshape(n, self.sizes[layer])
        for l in range(layer, 1, -1):
            z, a = forward.zs[l - 2], forward.activations[l - 1]
            delta = delta.dot(self.weights[l - 1]) * self.layer_activation(l - 1).derivative(z, a, np.empty_like(z))
        return delta.dot(self.weights[0])



# -- the article's network, literally -----------------------------------------------------------
# The same maths as the article and Nielsen's book write it: one example at a time, a column
# vector per layer, layer by layer. Slow and allocating; it is here to be read, and the tests
# hold the fast path above to it.


def feedforward_by_the_book(network: Network, x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(zs, activations) for one example ``x`` (n_0,): z = W a + b and a = f(z), layer by layer.

    Column vectors: ``zs[l-1]`` and ``activations[l]`` are (n_l, 1); ``activations[0]`` is x.
    """
    activation = np.reshape(x, (-1, 1))
    zs, activations = [], [activation]
    for l, (w, b) in enumerate(zip(network.weights, network.biases), start=1):
        z = w @ activation + b.reshape(-1, 1)
        activation = network.layer_activation(l)(z)
        zs.append(z)
        activations.append(activation)
    return zs, activations


def backprop_by_the_book(network: Network, x: np.ndarray, y: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(nabla_b, nabla_w): ∂C_x/∂b[l] (n_l, 1) and ∂C_x/∂W[l] (n_l, n_{l-1}) for l = 1..L, for one
    example ``x`` (n_0,) with target ``y`` (n_L,). The four equations of backpropagation:

        δ[L] = ∇_a C ⊙ f'(z[L])        (a - y for softmax outputs under cross-entropy)
        δ[l] = W[l+1]ᵀ δ[l+1] ⊙ f'(z[l])
        ∂C/∂b[l] = δ[l]                 ∂C/∂W[l] = δ[l] a[l-1]ᵀ
    """
    zs, activations = feedforward_by_the_book(network, x)
    y = np.reshape(y, (-1, 1))
    nabla_b, nabla_w = [None] * len(network.weights), [None] * len(network.weights)
    output = network.cost.output_activation
    if output.name == "softmax":
        delta = activations[-1] - y
    else:
        sp = output.derivative(zs[-1], activations[-1], np.empty_like(zs[-1]))
        delta = network.cost.activation_gradient(activations[-1], y) * sp
    nabla_b[-1] = delta
    nabla_w[-1] = delta @ activations[-2].T
    for l in range(2, len(network.sizes)):  # as in the book, l counts layers from the end here
        z = zs[-l]
        sp = network.activation.derivative(z, activations[-l], np.empty_like(z))
        delta = (network.weights[-l + 1].T @ delta) * sp
        nabla_b[-l] = delta
        nabla_w[-l] = delta @ activations[-l - 1].T
    return nabla_b, nabla_w


def _network_from_params(sizes, activation: str, cost: str, params: np.ndarray) -> Network:
    return Network(sizes, activation, cost, dtype=params.dtype, params=params)
