"""Planes through the network's parameter space on which a run's valley is drawn.

A network of 784-16-16-10 has 13,002 parameters, so its cost is a surface over 13,002
dimensions and any picture of it is a slice. Li, Xu, Taylor, Studer and Goldstein ("Visualizing
the Loss Landscape of Neural Nets", NeurIPS 2018) show which slices are worth drawing:

- **the run's plane** (their trajectory plots): through the run's end θ_final, spanned by the two
  principal directions of the checkpoints' offsets θ_i − θ_final. A path through 13,002
  dimensions usually lies close to such a plane, so it can be drawn there with little lost;
- **a random plane** with *filter normalisation*: two random directions, each neuron's part scaled
  to the size of that neuron's own parameters, so that one unit along an axis means the same
  relative change everywhere in the network. Random directions are almost orthogonal to a path
  (in 13,002 dimensions almost everything is), which is the point of showing one: the picture
  depends on the slice;
- **the local plane**: through the network now, spanned by −∇C and the previous step (the
  stepper's step page; ``landscape.plane_through``);
- **a plane shared by two runs**, for "the path depends on where we start" (``shared_plane``);
- **a plane of two runs from one start** (gradient descent against SGD: ``start_plane``).

A plane is an origin and two directions d₁, d₂ (flat like ``Network.params``); the point at
coordinates (α, β) is origin + α d₁ + β d₂. Any parameter vector p is drawn at the (α, β) that
come closest to it (least squares; plain dot products when the directions are orthonormal), and
the distance left over, |p − point(α, β)|, says honestly how far from the plane it really is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .errors import NnvizError
from .history import RunHistory
from .arrays import layer_views
from .landscape import Plane, flat_gradient, plane_through
from .network import Network

#: The planes a valley can be drawn on (``plane_named`` builds one from its name).
PLANE_KINDS = ("run", "random", "local", "shared", "start")


@dataclass(frozen=True)
class ValleyPlane:
    """A plane through ``origin`` (P,) spanned by ``directions`` (2, P), both float64.

    ``axis_names`` name the two directions for axis labels; ``description`` says in one sentence
    what the plane is; ``unit`` what one unit along an axis means; ``reach`` the smallest half-width
    worth drawing around the origin (a random plane's path may be a dot; its valley is not).
    """

    kind: str
    origin: np.ndarray
    directions: np.ndarray
    axis_names: tuple[str, str]
    description: str
    unit: str
    reach: float = 0.0

    def point(self, alpha: float, beta: float) -> np.ndarray:
        """origin + α d₁ + β d₂, flat like ``Network.params`` (float64)."""
        return self.origin + alpha * self.directions[0] + beta * self.directions[1]

    def as_plane(self) -> Plane:
        """The same plane as ``landscape.Plane``, which ``landscape.PlaneCosts`` evaluates."""
        return Plane(self.origin, self.directions[0], self.directions[1], self.axis_names[1])

    def offsets(self, params: Sequence[np.ndarray]) -> np.ndarray:
        """p − origin for each parameter vector: shape (n, P), float64."""
        return np.asarray(params, np.float64).reshape(-1, len(self.origin)) - self.origin

    def coordinates(self, params: Sequence[np.ndarray]) -> np.ndarray:
        """(α, β) of each parameter vector, shape (n, 2): the point of the plane closest to it."""
        d = self.directions
        return np.linalg.solve(d @ d.T, d @ self.offsets(params).T).T

    def distances(self, params: Sequence[np.ndarray]) -> np.ndarray:
        """How far each parameter vector lies from the plane, shape (n,): |p − point(α, β)|."""
        return np.linalg.norm(self.offsets(params) - self.coordinates(params) @ self.directions, axis=1)

    def explained(self, params: Sequence[np.ndarray]) -> np.ndarray:
        """The share of Σ|p − origin|² that lies along each axis, shape (2,), summing to at most 1.

        Measured along d₁ and along d₂ made orthogonal to d₁, so that the two shares add up to
        the part of the path the plane holds. For the run's plane these are the principal
        directions' explained variance (their squared singular values over the sum of all).
        """
        offsets = self.offsets(params)
        total = float(np.sum(offsets**2))
        if total == 0:
            return np.zeros(2)
        basis, _ = np.linalg.qr(self.directions.T)  # (P, 2), orthonormal, first column along d₁
        return np.sum((offsets @ basis) ** 2, axis=0) / total


def history_parameters(history: RunHistory) -> np.ndarray:
    """Every checkpoint of ``history``, shape (n, P), float64."""
    return np.array([history.parameters(i) for i in range(len(history))], np.float64).reshape(len(history), -1)


def run_plane(history: RunHistory, seed: int = 0) -> ValleyPlane:
    """The run's plane: through its last checkpoint θ_final, spanned by the first two principal
    directions of the checkpoints' offsets θ_i − θ_final.

    The offsets are not centred on their mean, as Li et al.'s PCA (scikit-learn's) centres them:
    the plane must pass through θ_final, and of all planes through θ_final the one spanned by the
    offsets' two leading right singular vectors lies closest to the checkpoints (least total
    squared distance, which is what ``distances`` reports). Signs are chosen so that the start
    lies to the left (α ≤ 0) and above (β ≥ 0): the ball rolls from the top left to the end at (0, 0).
    A path along a single line spans no plane; its second direction is then random (``seed``).
    """
    if len(history) < 2:
        raise NnvizError("the run has no training history to draw its valley from (it needs at least two checkpoints)")
    params = history_parameters(history)
    origin = params[-1].copy()
    offsets = params - origin
    directions, explained = _principal_directions(offsets, np.random.default_rng(seed))
    directions = _start_at_top_left(directions, offsets[0])
    return ValleyPlane(
        "run", origin, directions, ("PC1", "PC2"),
        "the plane of the run's own path: through its end, along the two directions it moved most",
        "1 = a change of length 1 in the parameters",
    )


def shared_plane(first: RunHistory, second: RunHistory, seed: int = 0) -> ValleyPlane:
    """A plane for two runs: through the first run's end, along the line to the second run's end
    and then the direction both paths moved most besides.

    Chosen over a PCA of both paths so that both ends lie exactly on the plane: the surface drawn
    between them is then the true cost on the straight line from one end to the other (the 1-D
    interpolation of Goodfellow, Vinyals and Saxe, 2015), so a ridge between the ends means two
    valleys, and none means one. The second direction is the leading principal direction of both
    paths' checkpoints (offsets from the first run's end) once their part along the first is
    removed. The second run's end lies to the right, at (|θ_B − θ_A|, 0). Two runs that end at the
    same point fall back to the principal directions of both.
    """
    for history in (first, second):
        if len(history) < 2:
            raise NnvizError("both runs need a training history to share a valley (at least two checkpoints each)")
    a, b = history_parameters(first), history_parameters(second)
    if a.shape[1] != b.shape[1]:
        raise NnvizError(f"the two runs' networks differ in size ({a.shape[1]:,} and {b.shape[1]:,} parameters)")
    origin = a[-1].copy()
    offsets = np.concatenate([a, b]) - origin
    rng = np.random.default_rng(seed)
    between = b[-1] - origin
    length = float(np.linalg.norm(between))
    if length <= 1e-9 * max(1.0, float(np.linalg.norm(origin))):
        directions, _ = _principal_directions(offsets, rng)
        names = ("PC1 of both", "PC2 of both")
    else:
        towards = between / length
        rest = offsets - np.outer(offsets @ towards, towards)
        other, _ = _principal_directions(rest, rng, count=1, orthogonal_to=towards)
        directions = np.stack([towards, other[0]])
        names = ("to the second end", "both paths' next")
    # The second run's end stays on the right (α > 0); only β turns, to put the first start on top.
    directions = _start_at_top_left(directions, offsets[0]) if names[0].startswith("PC") else \
        directions * np.array([[1.0], [-1.0 if offsets[0] @ directions[1] < 0 else 1.0]])
    return ValleyPlane(
        "shared", origin, directions, names,
        "a plane shared by two runs: through the first run's end and the second run's end",
        "1 = a change of length 1 in the parameters",
    )


def start_plane(first: RunHistory, second: RunHistory, names: tuple[str, str] = ("the first run", "the second run"),
                seed: int = 0) -> ValleyPlane:
    """A plane for two runs from one start (their first checkpoint): through the start, along the
    line to the end farther from it, and the line to the other end made orthogonal to that.

    The start and both ends lie exactly on the plane, so the two paths leave one point and each
    arrives at its true end. Chosen for gradient descent against SGD over ``shared_plane``, whose
    plane through the two ends leaves the start far off it (4.4 from it on MNIST, where gradient
    descent's three steps went 4.4: its whole path would be a dot). The farther end lies on the
    right, at (its distance, 0), the nearer above the α axis: the longer way runs across the
    picture. Ends on one line with the start (or at it) leave a random second direction (``seed``).
    """
    a, b = history_parameters(first), history_parameters(second)
    if a.shape[1] != b.shape[1]:
        raise NnvizError(f"the two runs' networks differ in size ({a.shape[1]:,} and {b.shape[1]:,} parameters)")
    if not len(a) or not len(b) or not np.array_equal(a[0], b[0]):
        raise NnvizError("the two runs do not start from the same network")
    origin = a[0].copy()
    ends = [a[-1] - origin, b[-1] - origin]
    far = int(np.linalg.norm(ends[1]) > np.linalg.norm(ends[0]))
    rng = np.random.default_rng(seed)
    towards = ends[far] if float(np.linalg.norm(ends[far])) > 1e-12 else rng.standard_normal(len(origin))
    along = towards / np.linalg.norm(towards)
    rest = ends[1 - far] - (ends[1 - far] @ along) * along
    if float(np.linalg.norm(rest)) <= 1e-9 * max(1.0, float(np.linalg.norm(ends[1 - far]))):
        offsets = np.concatenate([a, b]) - origin
        across, _ = _principal_directions(offsets - np.outer(offsets @ along, along), rng, count=1, orthogonal_to=along)
        across = across[0]
    else:
        across = rest / np.linalg.norm(rest)
    return ValleyPlane(
        "start", origin, np.stack([along, across]), (f"to {names[far]}'s end", f"to {names[1 - far]}'s end ⊥"),
        f"a plane through both runs' start, {names[0]}'s end and {names[1]}'s end",
        "1 = a change of length 1 in the parameters",
    )


def random_plane(params: np.ndarray, sizes: Sequence[int], seed: int = 0) -> ValleyPlane:
    """Two random directions through ``params`` with Li et al.'s filter normalisation.

    Each direction starts as Gaussian noise from ``seed``; then, neuron by neuron, the row of the
    direction that feeds neuron j of layer l, [W[l]_j | b[l]_j], is scaled to the norm of the same
    row of the network. That row is this network's "filter": ``Network.params`` stores a neuron's
    bias as the weight from an always-1 input, beside its incoming weights, and z = [W | b]·[a; 1].
    So biases are scaled with their neuron's weights rather than set to zero (as Li et al.'s code
    does for convolutional nets, where biases and batch-norm parameters are few and scale-free):
    here a neuron's bias sets where its sigmoid switches, and a picture that never moved it would
    hide half of what the neuron does. One unit along an axis moves every neuron by its own size.
    The two directions are not made orthogonal (in 13,002 dimensions they nearly are);
    ``ValleyPlane.coordinates`` solves for (α, β) by least squares, so that is exact anyway.
    """
    origin = np.asarray(params, np.float64).copy()
    rng = np.random.default_rng(seed)
    directions = np.stack([filter_normalised(rng.standard_normal(len(origin)), origin, sizes) for _ in range(2)])
    return ValleyPlane(
        "random", origin, directions, ("random 1", "random 2"),
        "a plane of two random directions through the run's end, each neuron's part scaled to that neuron's size",
        "1 = every neuron's incoming weights and bias moved by their own length", reach=1.0,
    )


def filter_normalised(direction: np.ndarray, params: np.ndarray, sizes: Sequence[int]) -> np.ndarray:
    """``direction`` with each neuron's row [W_j | b_j] scaled to the norm of that row of ``params``.

    A row of the direction that is zero stays zero.
    """
    out = np.array(direction, np.float64, copy=True)
    for d, theta in zip(layer_views(out, sizes), layer_views(np.asarray(params, np.float64), sizes)):
        norms = np.linalg.norm(d, axis=1, keepdims=True)
        d *= np.divide(np.linalg.norm(theta, axis=1, keepdims=True), norms, out=np.zeros_like(norms), where=norms > 0)
    return out


def local_plane(network: Network, x: np.ndarray, labels: np.ndarray, previous_step: np.ndarray | None = None,
                seed: int = 0) -> ValleyPlane:
    """The plane through the network now, spanned by −∇C on (``x``, ``labels``) and the previous
    step made orthogonal to it (a random direction when there is none): ``landscape.plane_through``.
    """
    plane = plane_through(network, flat_gradient(network, x, labels), previous_step, seed)
    second = "previous step" if plane.second == "the previous step" else "random direction"
    return ValleyPlane(
        "local", plane.origin, np.stack([plane.u, plane.v]), ("−∇C", f"{second} ⊥"),
        f"the local plane: through the network on show, along −∇C and {plane.second}",
        "1 = a change of length 1 in the parameters",
    )


def _principal_directions(offsets: np.ndarray, rng: np.random.Generator, count: int = 2,
                          orthogonal_to: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The ``count`` leading right singular vectors of ``offsets`` (n, P) and their share of the
    squared norm; directions the offsets do not span are filled with random unit vectors
    orthogonal to the others (and to ``orthogonal_to``).

    From the eigenvectors of the small Gram matrix O·Oᵀ (n, n) rather than an SVD of O itself:
    the same leading directions (O's right singular vectors are Oᵀu/σ), in a hundredth of the time
    for a hundred checkpoints of 13,002 parameters.
    """
    eigenvalues, eigenvectors = np.linalg.eigh(offsets @ offsets.T)
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues, eigenvectors = np.clip(eigenvalues[order], 0, None), eigenvectors[:, order]
    total = float(eigenvalues.sum())
    directions, shares = [], []
    for k in range(min(count, len(eigenvalues))):
        if not eigenvalues[k] > 1e-12 * eigenvalues[0]:
            break
        direction = offsets.T @ eigenvectors[:, k]
        directions.append(direction / np.linalg.norm(direction))
        shares.append(float(eigenvalues[k] / total))
    while len(directions) < count:
        v = rng.standard_normal(offsets.shape[1])
        for u in directions + ([orthogonal_to] if orthogonal_to is not None else []):
            v -= (v @ u) * u
        directions.append(v / np.linalg.norm(v))
        shares.append(0.0)
    return np.stack(directions), np.array(shares)


def _start_at_top_left(directions: np.ndarray, start_offset: np.ndarray) -> np.ndarray:
    """``directions`` with signs flipped so that the start's α ≤ 0 and β ≥ 0."""
    signs = np.array([-1.0 if start_offset @ directions[0] > 0 else 1.0, -1.0 if start_offset @ directions[1] < 0 else 1.0])
    return directions * signs[:, None]
