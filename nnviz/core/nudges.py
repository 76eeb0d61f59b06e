"""Backpropagation told for one example at a time: which nudges the cost asks for, layer by layer.

Everything here is read off ``Network.backprop`` (nothing is computed twice); the stepper view
shows it. A *nudge* is a change the example asks for, scaled by the learning rate η, so that
applying the nudges is exactly one step of gradient descent on that example's cost:

    nudge to θ = -η ∂C_x/∂θ

Layers count from 1 (the first hidden layer) to L (the output layer), as in ``network.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import ForwardPass, one_hot
from .functions import BINARY_CROSS_ENTROPY
from .network import Network


@dataclass(frozen=True)
class LayerNudges:
    """What layer ``layer`` (1..L) is asked to change, for one example (or a mean over several).

    ``activation_nudges``: -η ∂C/∂a[l], the change each neuron's activation should make. For the
    output layer it comes from the cost directly (-η · 2(a - y) under squared error: up for the
    right answer, down for the rest); for a hidden layer it is the sum over the next layer's
    neurons j of their wishes weighted by the weights, -η Σ_j w_jk δ_j (see ``wishes``).
    ``bias_nudges``: -η ∂C/∂b[l] = -η δ[l].
    ``weight_nudges``: -η ∂C/∂W[l] = -η δ[l] a[l-1]ᵀ, shape (n_l, n_{l-1}): a weight from a brighter
    neuron of the previous layer gets a proportionally bigger nudge.
    ``wishes``: for a hidden layer, shape (n_{l+1}, n_l): row j is what neuron j of the next layer
    wants from each neuron of this one, -η w_jk δ_j; summed over j it is ``activation_nudges``.

    The chain that links them, neuron by neuron: ``activation_gradients`` ∂C/∂a (how much the cost
    wants the activation to move) times ``derivatives`` f'(z) (how much the activation can move:
    a(1 - a) for the sigmoid) is δ = ∂C/∂z. ``derivatives`` is None for a softmax output under
    cross-entropy, whose δ is a - y with no f'(z) factor.
    """

    layer: int
    activation_nudges: np.ndarray
    activation_gradients: np.ndarray
    derivatives: np.ndarray | None
    deltas: np.ndarray
    bias_nudges: np.ndarray
    weight_nudges: np.ndarray
    wishes: np.ndarray | None


@dataclass(frozen=True)
class ExampleNudges:
    """The whole story for one example: its forward pass, its cost, every layer's nudges.

    ``input_nudges`` (n_0,): -η ∂C/∂x = -η W[1]ᵀ δ[1], how the example itself would like to
    change (the network cannot change its input; the picture shows what it takes as evidence).
    """

    x: np.ndarray
    label: int
    target: np.ndarray
    forward: ForwardPass
    costs: np.ndarray  # each output's contribution to C_x, e.g. (a_j - y_j)²
    cost: float
    learning_rate: float
    layers: list[LayerNudges]
    input_nudges: np.ndarray

    @property
    def output(self) -> np.ndarray:
        return self.forward.output[0]

    def layer(self, l: int) -> LayerNudges:
        return self.layers[l - 1]


@dataclass(frozen=True)
class StepResult:
    """The example's cost and output activations before and after the nudges are applied."""

    network: Network
    cost_before: float
    cost_after: float
    output_before: np.ndarray
    output_after: np.ndarray


@dataclass(frozen=True)
class BatchNudges:
    """Each example's nudges, and their mean: the step SGD takes for the mini-batch."""

    examples: list[ExampleNudges]
    weight_nudges: list[np.ndarray]
    bias_nudges: list[np.ndarray]
    cost: float


def example_nudges(network: Network, x: np.ndarray, label: int, learning_rate: float = 1.0) -> ExampleNudges:
    """Backpropagation for the single example ``x`` (shape (n_0,)) with the right answer ``label``."""
    label = int(label)
    gradients = network.backprop(np.asarray(x)[None, :], np.array([label]))
    eta = float(learning_rate)
    output = gradients.forward.output[0]
    target = one_hot(np.array([label]), network.sizes[-1], output.dtype)[0]
    layers = []
    n_layers = len(network.sizes) - 1
    for l in range(1, n_layers + 1):
        delta = gradients.deltas[l - 1][0]
        derivatives = None
        f = network.layer_activation(l)
        if f.name != "softmax":
            z, a = gradients.forward.zs[l - 1][0], gradients.forward.activations[l][0]
            derivatives = f.derivative(z, a, np.empty_like(z))
        wishes = None
        if l < n_layers:
            # row j: -η w_jk δ_j, what neuron j of layer l+1 asks of neuron k of this layer
            wishes = -eta * network.weights[l] * gradients.deltas[l][0][:, None]
        layers.append(
            LayerNudges(
                layer=l,
                activation_nudges=-eta * gradients.activation_gradients[l - 1][0],
                activation_gradients=gradients.activation_gradients[l - 1][0],
                derivatives=derivatives,
                deltas=delta,
                bias_nudges=-eta * gradients.biases[l - 1],
                weight_nudges=-eta * gradients.weights[l - 1],
                wishes=wishes,
            )
        )
    return ExampleNudges(
        x=np.array(x, copy=True), label=label, target=target, forward=gradients.forward,
        costs=network.cost.per_output(output, target),
        cost=gradients.cost, learning_rate=eta, layers=layers,
        input_nudges=-eta * gradients.deltas[0][0] @ network.weights[0],
    )


def apply_nudges(network: Network, weight_nudges, bias_nudges, x: np.ndarray, label: int) -> StepResult:
    """A copy of ``network`` with the nudges added, and what that did to example ``x``'s cost."""
    after = network.copy()
    for w, b, dw, db in zip(after.weights, after.biases, weight_nudges, bias_nudges):
        w += dw
        b += db
    x = np.asarray(x)[None, :]
    return StepResult(
        network=after,
        cost_before=network.cost_of(x, [label]),
        cost_after=after.cost_of(x, [label]),
        output_before=network.output(x)[0],
        output_after=after.output(x)[0],
    )


def step(network: Network, nudges: ExampleNudges) -> StepResult:
    """Apply one example's nudges (one step of gradient descent on its cost alone)."""
    return apply_nudges(network, [l.weight_nudges for l in nudges.layers], [l.bias_nudges for l in nudges.layers],
                        nudges.x, nudges.label)


def batch_nudges(network: Network, x: np.ndarray, labels: np.ndarray, learning_rate: float = 1.0) -> BatchNudges:
    """Every example's nudges and their mean, which is -η times the mini-batch's gradient."""
    examples = [example_nudges(network, xi, li, learning_rate) for xi, li in zip(x, labels)]
    n_layers = len(network.sizes) - 1
    weights = [np.mean([e.layers[l].weight_nudges for e in examples], axis=0) for l in range(n_layers)]
    biases = [np.mean([e.layers[l].bias_nudges for e in examples], axis=0) for l in range(n_layers)]
    return BatchNudges(examples, weights, biases, float(np.mean([e.cost for e in examples])))


def twin(network: Network, cost=None, dtype=None) -> Network:
    """A copy of ``network`` with the same parameters, judged by ``cost`` (a name or a Cost, with
    its output layer) and computing in ``dtype``; None keeps the network's own."""
    copy = Network(network.sizes, network.activation, network.cost if cost is None else cost, seed=0,
                   dtype=network.dtype if dtype is None else dtype)
    copy.params[:] = network.params
    return copy


def under_cost(network: Network, cost: str) -> Network:
    """A copy of ``network`` with the same parameters judged by another cost (and its output layer)."""
    return twin(network, cost)


def under_book_cross_entropy(network: Network) -> Network:
    """A copy of ``network`` judged by cross-entropy on its own sigmoid outputs (Nielsen, chapter 3).

    The outputs stay what they are; only the cost changes, and with it the output layer's δ,
    which becomes a - y (see ``functions.BinaryCrossEntropyCost``).
    """
    return twin(network, BINARY_CROSS_ENTROPY)


def predicted_change(nudges: ExampleNudges) -> float:
    """ΔC to first order when every nudge is applied: ∇C · (-η ∇C) = -η |∇C|² = -|nudges|² / η."""
    if nudges.learning_rate == 0:
        return 0.0
    total = sum(float(np.vdot(l.weight_nudges, l.weight_nudges) + np.vdot(l.bias_nudges, l.bias_nudges))
                for l in nudges.layers)
    return -total / nudges.learning_rate


def scaled_steps(network: Network, nudges: ExampleNudges, factors) -> np.ndarray:
    """The example's cost after its step taken with η × each of ``factors``: shape (len(factors),)."""
    return np.array([apply_nudges(network, [f * l.weight_nudges for l in nudges.layers],
                                  [f * l.bias_nudges for l in nudges.layers], nudges.x, nudges.label).cost_after
                     for f in factors])


@dataclass(frozen=True)
class RepeatedSteps:
    """The same example's step taken again and again: its cost before each step and at the end."""

    network: Network
    costs: np.ndarray  # shape (times + 1,): before the first step, then after each


def repeat_step(network: Network, x: np.ndarray, label: int, learning_rate: float, times: int) -> RepeatedSteps:
    """Take ``times`` steps of gradient descent on example ``x``'s cost alone, on a copy of ``network``."""
    current = network.copy()
    costs = [current.cost_of(np.asarray(x)[None, :], [label])]
    for _ in range(times):
        result = step(current, example_nudges(current, x, label, learning_rate))
        current = result.network
        costs.append(result.cost_after)
    return RepeatedSteps(current, np.array(costs))


@dataclass(frozen=True)
class Parameter:
    """One weight or bias: the weight into neuron ``neuron`` of layer ``layer`` (1..L) from neuron
    ``source`` of the layer before, or that neuron's bias when ``source`` is None (0-based)."""

    layer: int
    neuron: int
    source: int | None = None

    @property
    def is_bias(self) -> bool:
        return self.source is None

    def index(self, sizes) -> tuple[int, int]:
        """Row and column in ``Network.layers[layer - 1]``, [W | b]: the bias is the last column."""
        return self.neuron, sizes[self.layer - 1] if self.source is None else self.source


@dataclass(frozen=True)
class Wiggle:
    """One parameter θ changed by ±ε on its own, and the example's cost C around it.

    ``gradient`` is ∂C/∂θ from backpropagation; the slopes ``(C(θ+ε) - C(θ))/ε`` and
    ``(C(θ) - C(θ-ε))/ε`` agree with it to a few digits, the closer the smaller ε: a nudge
    -η ∂C/∂θ is a slope times a step.
    """

    parameter: Parameter
    value: float
    epsilon: float
    cost: float
    cost_up: float
    cost_down: float
    gradient: float

    @property
    def slope_up(self) -> float:
        return (self.cost_up - self.cost) / self.epsilon

    @property
    def slope_down(self) -> float:
        return (self.cost - self.cost_down) / self.epsilon


def wiggle(network: Network, x: np.ndarray, label: int, parameter: Parameter, epsilon: float) -> Wiggle:
    """Change ``parameter`` of ``network`` by ±``epsilon`` alone and measure example ``x``'s cost.

    Computed in float64 whatever the network's dtype: in float32 the change a small ε makes to
    C is lost in rounding, and the slope would disagree with the gradient for no good reason.
    """
    if not epsilon > 0:
        raise ValueError(f"ε must be a positive number, not {epsilon!r}")
    exact = twin(network, dtype=np.float64)
    row, column = parameter.index(exact.sizes)
    layer = exact.layers[parameter.layer - 1]
    x = np.asarray(x, np.float64)[None, :]
    value = float(layer[row, column])
    costs = {}
    for sign in (1, -1):
        layer[row, column] = value + sign * epsilon
        costs[sign] = exact.cost_of(x, [label])
    layer[row, column] = value
    gradients = exact.backprop(x, np.array([label]))
    gradient = gradients.biases if parameter.is_bias else gradients.weights
    at = (parameter.neuron,) if parameter.is_bias else (parameter.neuron, parameter.source)
    return Wiggle(parameter, value, float(epsilon), gradients.cost, costs[1], costs[-1],
                  float(gradient[parameter.layer - 1][at]))
