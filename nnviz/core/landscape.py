"""The cost surface around the network's parameters, as the article draws gradient descent.

The network has one parameter per weight and bias (13,002 for 784-16-16-10), so its cost is a
surface over a 13,002-dimensional space. What can be drawn is a slice of it: a line through the
parameters θ along the gradient, C(θ - t ∇C), or a plane through θ spanned by two directions,

    C(θ + α u + β v)        u = -∇C / |∇C|,  v a unit vector orthogonal to u

(v: the previous step made orthogonal to u, or a random direction made orthogonal to u). Any
other path of parameters (the steps training took) is drawn on the plane by projecting it:
(α, β) = ((p - θ)·u, (p - θ)·v), which loses whatever part of p - θ lies outside the plane.

Evaluating the plane is cheap because the first layer is linear in its weights: with
x̃ = [x; 1], z[1] = (L₀ + αU₀ + βV₀) x̃ = L₀x̃ + α U₀x̃ + β V₀x̃, so the three 784-wide products
are made once and each grid point costs only the small layers after them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .arrays import layer_views, one_hot, with_ones
from .network import Network

GRID = 41
COARSE_GRID = 11
#: Grid points evaluated together, so that memory stays bounded for any grid (8 x 16 x 1,000 activations;
#: benchmarks/landscape_speed.py compares it with whole rows of 41 points: no slower).
POINTS_AT_ONCE = 8


@dataclass(frozen=True)
class Plane:
    """A plane through ``origin`` (θ, flat like ``Network.params``) spanned by unit vectors u and v."""

    origin: np.ndarray
    u: np.ndarray
    v: np.ndarray
    second: str  # what v is: "the previous step" or "a random direction"

    def project(self, params: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """(α, β) of each parameter vector: its offset from θ projected onto u and v."""
        offsets = np.array([np.asarray(p, np.float64) - self.origin for p in params]).reshape(-1, len(self.origin))
        return offsets @ self.u, offsets @ self.v

    def point(self, alpha: float, beta: float) -> np.ndarray:
        """θ + α u + β v, flat like ``Network.params`` (float64)."""
        return self.origin + alpha * self.u + beta * self.v


def flat_gradient(network: Network, x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """∇C of the mean cost over ``x`` (n, n_0), flat in the order of ``Network.params`` (float64)."""
    g = network.backprop(x, labels)
    return np.concatenate([np.column_stack([w, b]).ravel() for w, b in zip(g.weights, g.biases)]).astype(np.float64)


def plane_through(network: Network, gradient: np.ndarray, previous_step: np.ndarray | None = None,
                  seed: int = 0) -> Plane:
    """The plane through the network's θ spanned by -∇C and the previous step (or a random direction).

    A previous step that is (nearly) parallel to the gradient spans no plane; then, as without
    one, a random direction from ``seed`` is made orthogonal to the gradient.
    """
    origin = network.params.astype(np.float64)
    rng = np.random.default_rng(seed)
    norm = float(np.linalg.norm(gradient))
    u = -np.asarray(gradient, np.float64) / norm if norm > 0 else _unit(rng.standard_normal(len(origin)))
    if previous_step is not None:
        v = _orthogonal(np.asarray(previous_step, np.float64), u)
        if v is not None:
            return Plane(origin, u, v, "the previous step")
    return Plane(origin, u, _orthogonal(rng.standard_normal(len(origin)), u), "a random direction")


def last_step(path: Sequence[np.ndarray], params: np.ndarray) -> np.ndarray | None:
    """The move from the last parameter vector of ``path`` that differs from ``params`` to ``params``."""
    theta = np.asarray(params, np.float64)
    others = [np.asarray(p, np.float64) for p in path if not np.array_equal(p, params)]
    return theta - others[-1] if others else None


def _orthogonal(v: np.ndarray, u: np.ndarray) -> np.ndarray | None:
    """The unit vector along the part of ``v`` orthogonal to unit ``u``; None if there is none."""
    rest = v - (v @ u) * u
    size = float(np.linalg.norm(rest))
    return rest / size if size > 1e-6 * float(np.linalg.norm(v)) and size > 0 else None


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


class PlaneCosts:
    """The mean cost over examples ``x`` (n, n_0) at points θ + αu + βv of a plane, in the network's dtype."""

    def __init__(self, network: Network, x: np.ndarray, labels: np.ndarray, plane: Plane):
        self.network = network
        self.sizes = network.sizes
        # In the network's dtype: float32 halves the time of the activations, which is most of it.
        dtype = self.dtype = network.dtype
        x1 = with_ones(network.check_inputs(x)).T  # (n_0 + 1, m)
        self.y = one_hot(np.asarray(labels), self.sizes[-1], dtype)  # (m, n_L)
        self.layers = [layer_views(v.astype(dtype), self.sizes) for v in (plane.origin, plane.u, plane.v)]
        # the three products of the first layer, made once
        self.first = [layers[0] @ x1 for layers in self.layers]
        self.activations = [network.layer_activation(l) for l in range(1, len(self.sizes))]

    def costs(self, alphas: np.ndarray, betas: np.ndarray) -> np.ndarray:
        """C at every (α_i, β_i), the two taken pairwise: shape (len(alphas),)."""
        alphas, betas = np.asarray(alphas, self.dtype), np.asarray(betas, self.dtype)
        # a few points at a time, so that memory stays bounded whatever the grid
        return np.concatenate([self._costs(alphas[i : i + POINTS_AT_ONCE], betas[i : i + POINTS_AT_ONCE])
                               for i in range(0, len(alphas), POINTS_AT_ONCE)] or [np.zeros(0)])

    def _costs(self, alphas: np.ndarray, betas: np.ndarray) -> np.ndarray:
        alphas, betas = alphas[:, None, None], betas[:, None, None]
        base, along_u, along_v = self.first
        z = base + alphas * along_u
        z += betas * along_v  # (g, n_1, m): one block of examples per grid point
        for l, f in enumerate(self.activations):
            if l > 0:
                matrices = self.layers[0][l] + alphas * self.layers[1][l] + betas * self.layers[2][l]
                z = matrices[:, :, :-1] @ a
                z += matrices[:, :, -1:]
            if f.name == "softmax":  # normalises each column: give it (neurons, examples) columns
                g, n, m = z.shape
                columns = np.ascontiguousarray(z.transpose(1, 0, 2)).reshape(n, g * m)
                a = f.forward(columns, columns).reshape(n, g, m).transpose(1, 0, 2)
            else:
                a = f.forward(z, z)
        per_example = self.network.cost.per_example(a.transpose(0, 2, 1), self.y)  # (g, m)
        return per_example.mean(axis=1, dtype=np.float64)

    def grid(self, alphas: np.ndarray, betas: np.ndarray):
        """C over the grid, one row of β at a time: yields (j, costs at (alphas, β_j))."""
        alphas = np.asarray(alphas, self.dtype)
        for j, beta in enumerate(betas):
            yield j, self.costs(alphas, np.full_like(alphas, beta))


def cost_along(network: Network, x: np.ndarray, labels: np.ndarray, direction: np.ndarray, ts: np.ndarray) -> np.ndarray:
    """C(θ + t · direction) for each t, the mean cost over ``x``: the cost along one line."""
    direction = np.asarray(direction, np.float64)
    norm = float(np.linalg.norm(direction))
    if norm == 0:
        return np.full(len(ts), network.cost_of(x, labels))
    plane = Plane(network.params.astype(np.float64), direction / norm, np.zeros_like(direction), "")
    return PlaneCosts(network, x, labels, plane).costs(np.asarray(ts, np.float64) * norm, np.zeros(len(ts)))


def slice_extent(step_length: float, alphas: np.ndarray = (), betas: np.ndarray = ()) -> float:
    """Half the width of a square slice around θ that shows the step and every projected point."""
    reach = max([abs(step_length)] + [abs(float(a)) for a in alphas] + [abs(float(b)) for b in betas])
    return 1.5 * reach if reach > 0 else 1.0
