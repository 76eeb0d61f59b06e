"""Activation functions and costs, each with its derivative beside it.

Every function works in place on preallocated arrays (``out``), because the trainer calls
them thousands of times a second on small mini-batches where allocating would cost more
than the arithmetic. Activations take arrays with one column per example (neurons x examples),
as the network's workspace holds them; of them only softmax, which normalises each column,
cares. The costs' ``per_output``, ``per_example`` and ``activation_gradient`` take one row per
example, as the network's results come.
"""

from __future__ import annotations

import numpy as np


def _constant(value: float) -> np.ndarray:
    # A 0-d float32 array rather than a Python float: NumPy converts a Python (or NumPy) scalar
    # on every call, which about doubles the cost of an operation on 10x16 numbers (figures in
    # docs/kernel.md). float32 holds these constants exactly and promotes to float64 with a
    # float64 array, so float64 networks compute exactly as before.
    constant = np.array(value, np.float32)
    constant.flags.writeable = False
    return constant


ZERO, HALF, ONE, TWO = _constant(0.0), _constant(0.5), _constant(1.0), _constant(2.0)


class Activation:
    """a = f(z), applied elementwise, with the starting weights that suit it.

    ``weight_variance(n_in, n_out)`` is the variance of the normal distribution a layer's
    weights are drawn from when its inputs are this activation's outputs (every layer after the
    first reads the hidden activation; the first reads pixels in [0, 1], treated alike). Each
    rule keeps the spread of z roughly the same from layer to layer, so that no layer starts
    saturated (sigmoid, tanh) or silent (ReLU).
    """

    name: str = ""

    def weight_variance(self, n_in: int, n_out: int) -> float:
        """LeCun et al., "Efficient BackProp" (1998): Var w = 1/n_in, so that Var z ≈ Var a."""
        return 1.0 / n_in

    def forward(self, z: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Write f(z) into ``out`` and return it."""
        raise NotImplementedError

    def derivative(self, z: np.ndarray, a: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Write f'(z) into ``out``; ``a`` is f(z), which is the cheaper input for some f."""
        raise NotImplementedError

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return self.forward(z, np.empty_like(z))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Sigmoid(Activation):
    """σ(z) = 1 / (1 + e^(-z)); σ'(z) = σ(z)(1 - σ(z)).

    Starting weights: LeCun's Var w = 1/n_in (the base class's), which keeps z in σ's sensitive
    range around 0 whatever the fan-in.
    """

    name = "sigmoid"

    def forward(self, z, out):
        # Computed as ½ tanh(z/2) + ½, the same function: tanh cannot overflow where e^(-z)
        # does (z < -88 in float32), so no floating-point warnings need silencing, which
        # costs more than the arithmetic on a mini-batch of 10.
        np.multiply(z, HALF, out)
        np.tanh(out, out)
        np.multiply(out, HALF, out)
        return np.add(out, HALF, out)

    def derivative(self, z, a, out):
        np.subtract(ONE, a, out)
        return np.multiply(out, a, out)


class ReLU(Activation):
    """relu(z) = max(0, z); relu'(z) = 1 where z > 0, else 0."""

    name = "relu"

    def weight_variance(self, n_in, n_out):
        """He, Zhang, Ren and Sun, "Delving Deep into Rectifiers" (2015): Var w = 2/n_in.

        A ReLU zeroes the negative half of z, so its outputs carry half the second moment of
        z; twice LeCun's variance makes up for it, and z keeps its spread through the layers.
        With 1/n_in each layer's z shrinks by √2, and more neurons start (and stay) dead.
        """
        return 2.0 / n_in

    def forward(self, z, out):
        return np.maximum(z, ZERO, out=out)  # by keyword: a third positional argument is deprecated here

    def derivative(self, z, a, out):
        return np.greater(z, ZERO, out)


class Tanh(Activation):
    """tanh(z); tanh'(z) = 1 - tanh(z)²."""

    name = "tanh"

    def weight_variance(self, n_in, n_out):
        """Glorot and Bengio, "Understanding the difficulty of training deep feedforward neural
        networks" (2010): Var w = 2/(n_in + n_out).

        Derived for tanh, which is linear near 0 with slope 1: 1/n_in keeps the forward
        signal's spread, 1/n_out the backward gradient's; their harmonic mean serves both.
        """
        return 2.0 / (n_in + n_out)

    def forward(self, z, out):
        return np.tanh(z, out)

    def derivative(self, z, a, out):
        np.multiply(a, a, out)
        return np.subtract(ONE, out, out)


class Softmax(Activation):
    """softmax(z)_j = e^(z_j) / Σ_k e^(z_k), column by column (one column per example).

    Only used as the output layer under cross-entropy, whose delta a - y already contains the
    softmax's Jacobian, so ``derivative`` is never needed.
    """

    name = "softmax"

    def forward(self, z, out):
        # Subtracting the column maximum changes nothing mathematically and keeps exp finite.
        np.subtract(z, z.max(axis=0, keepdims=True), out)
        np.exp(out, out)
        out /= out.sum(axis=0, keepdims=True)
        return out

    def derivative(self, z, a, out):
        raise NotImplementedError("softmax is only used with cross-entropy, whose delta is a - y")


class Cost:
    """The cost of one example, C_x(a, y), for output activations a and one-hot target y.

    The cost of a set of examples is the mean of C_x over them. ``per_output``, ``per_example``
    and ``activation_gradient`` take one row per example, as the network's results come;
    ``cost_and_delta`` works inside the workspace, where any layout will do.
    """

    name: str = ""
    #: The output layer's activation that this cost is paired with.
    output_activation: Activation

    def per_output(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Each output neuron's share of C_x, shaped like ``a``; a row sums to C_x."""
        raise NotImplementedError

    def per_example(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """C_x for each row: shape (n,)."""
        return self.per_output(a, y).sum(axis=-1)

    def activation_gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∂C_x/∂a for each row: the direction the cost wants each output to move against."""
        raise NotImplementedError

    def cost_and_delta(self, z, a, y, delta, scratch) -> float:
        """Σ_x C_x over the rows, with δ = ∂C_x/∂z of the output layer written into ``delta``.

        One function, because both start from the same difference a - y. ``scratch`` is shaped
        like ``a`` and may be overwritten.
        """
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class QuadraticCost(Cost):
    """Squared error as in the video: C_x = Σ_j (a_j - y_j)²; ∂C_x/∂a_j = 2(a_j - y_j)."""

    name = "mse"
    output_activation = Sigmoid()

    def per_output(self, a, y):
        return np.square(a - y)

    def activation_gradient(self, a, y):
        return 2.0 * (a - y)

    def cost_and_delta(self, z, a, y, delta, scratch):
        # δ = 2(a - y) ⊙ σ'(z)
        np.subtract(a, y, delta)
        cost = float(np.vdot(delta, delta))
        self.output_activation.derivative(z, a, scratch)
        np.multiply(scratch, TWO, scratch)
        np.multiply(delta, scratch, delta)
        return cost


class CrossEntropyCost(Cost):
    """Softmax outputs with C_x = -Σ_j y_j ln a_j; then δ = a - y exactly."""

    name = "cross-entropy"
    output_activation = Softmax()

    def per_output(self, a, y):
        with np.errstate(divide="ignore"):
            return np.where(y > 0, -y * np.log(np.where(y > 0, a, 1.0)), 0.0).astype(a.dtype)

    def activation_gradient(self, a, y):
        # a softmax output can round to 0 (or below the smallest normal float): its -1/a is infinite
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.where(y > 0, -y / a, 0.0).astype(a.dtype)

    def cost_and_delta(self, z, a, y, delta, scratch):
        # y is one-hot, so only the log of the right answer's probability counts.
        with np.errstate(divide="ignore"):
            np.log(a, scratch)
        np.subtract(a, y, delta)
        return -float(np.vdot(scratch, y))


class BinaryCrossEntropyCost(Cost):
    """Cross-entropy as Nielsen's chapter 3 has it, on the same sigmoid outputs as squared error:
    C_x = -Σ_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)]; ∂C_x/∂a_j = (a_j - y_j) / (a_j (1 - a_j)), so
    that δ = ∂C_x/∂a ⊙ σ'(z) = a - y: σ' cancels, and a saturated wrong output still learns fast.

    Not a training option (not in ``COSTS``): there "cross-entropy" pairs softmax outputs with
    the log-likelihood. The stepper judges a squared-error network by this one to show that
    only the cost changes, not the outputs.
    """

    name = "binary cross-entropy"
    output_activation = Sigmoid()

    @staticmethod
    def _inside(a: np.ndarray) -> np.ndarray:
        # A sigmoid output rounded to exactly 0 or 1 would make the cost infinite: keep it one
        # rounding step inside, where the cost is large but finite.
        eps = np.finfo(a.dtype).eps if np.issubdtype(a.dtype, np.floating) else np.finfo(float).eps
        return np.clip(a, eps, 1 - eps)

    def per_output(self, a, y):
        a = self._inside(a)
        return -(y * np.log(a) + (1 - y) * np.log1p(-a))

    def activation_gradient(self, a, y):
        a = self._inside(a)
        return (a - y) / (a * (1 - a))

    def cost_and_delta(self, z, a, y, delta, scratch):
        np.subtract(a, y, delta)
        return float(self.per_output(a, y).sum())


ACTIVATIONS: dict[str, Activation] = {f.name: f for f in (Sigmoid(), ReLU(), Tanh())}
COSTS: dict[str, Cost] = {c.name: c for c in (QuadraticCost(), CrossEntropyCost())}
BINARY_CROSS_ENTROPY = BinaryCrossEntropyCost()


def activation_named(name: str) -> Activation:
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}") from None


def cost_named(name: str) -> Cost:
    if name == BINARY_CROSS_ENTROPY.name:  # so that a network judged by it can be copied and pickled
        return BINARY_CROSS_ENTROPY
    try:
        return COSTS[name]
    except KeyError:
        raise ValueError(f"unknown cost {name!r}; choose one of {', '.join(COSTS)}") from None
