"""The valley a run rolls down: the cost over a plane of parameters, with the run's path on it.

The article draws gradient descent as a ball rolling down a surface over two parameters. A real
run moves through all 13,002, but it moves mostly within a plane (``valley_planes.run_plane``), so
the picture can be drawn honestly: the cost over that plane as a grid, and every checkpoint of
the run at its projection onto the plane, with

- its coordinates (α, β) on the plane,
- its true cost (the network at the checkpoint itself),
- the surface's cost at its projection (the network at the nearest point of the plane),
- its distance from the plane: how much of it the picture leaves out.

Where the two costs differ, the checkpoint lies off the plane, and the ball's height on the
drawn surface is not the run's. Costs are the mean cost over a fixed sample of training examples
(``training_sample``: 1,000), the network's own cost function without weight decay.

``valley_stages`` computes it in stages and yields a ``Valley`` after each (the geometry, a coarse
grid, the checkpoints' costs, then the fine grid row by row), so that a caller on another thread
can show progress, stop early (stop iterating) or drop a stale computation. The grid reuses
``landscape.PlaneCosts``: the first layer is linear in the plane's coordinates, so its
784-wide products are made once for the whole grid.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Iterator, Sequence

import numpy as np

from .data import Split
from .errors import NnvizError
from .history import RunHistory
from .landscape import COARSE_GRID, GRID, PlaneCosts
from .arrays import with_ones
from .kernel import Workspace
from .arrays import one_hot
from .network import Network
from .valley_planes import PLANE_KINDS, ValleyPlane, history_parameters, local_plane, random_plane, run_plane

SAMPLE_SIZE = 1000
#: Room around the path, on every side, as a fraction of the longer side of its bounding box.
MARGIN = 0.15
#: The grid's longer side is at most this many times its shorter: a path that moved along one
#: direction only still gets a valley to lie in, not a sliver.
MAX_ASPECT = 2.5
#: Roughly what one checkpoint's true cost costs, in grid points (a forward pass against the
#: small layers PlaneCosts evaluates): progress is measured in grid points.
CHECKPOINT_WORK = 10
FORMAT_NAME = "nnviz-valley"
FORMAT_VERSION = 1


def training_sample(train: Split, size: int = SAMPLE_SIZE, seed: int = 0, dtype=np.float32) -> tuple[np.ndarray, np.ndarray]:
    """A fixed sample of ``size`` training examples, drawn by ``seed`` and kept in their order:
    inputs (size, n_0) of ``dtype`` and labels (size,)."""
    rng = np.random.default_rng(seed)
    indices = np.sort(rng.choice(len(train.labels), size=min(size, len(train.labels)), replace=False))
    return train.inputs(indices, dtype), np.asarray(train.labels[indices])


@dataclass(frozen=True)
class ValleyPath:
    """A run's checkpoints on a plane; every array has one entry per checkpoint.

    ``positions`` (n,) in epochs; ``coordinates`` (n, 2) the (α, β) of each projection;
    ``distances`` (n,) each checkpoint's distance from the plane; ``costs`` (n,) its true cost on
    the sample and ``surface`` (n,) the cost at its projection (NaN until computed).
    """

    name: str
    positions: np.ndarray
    coordinates: np.ndarray
    distances: np.ndarray
    costs: np.ndarray
    surface: np.ndarray

    def __len__(self) -> int:
        return len(self.positions)


@dataclass(frozen=True)
class Valley:
    """The cost over a plane, and paths of checkpoints on it.

    ``alphas`` (n,) and ``betas`` (m,) are the grid's coordinates along the plane's two axes (equal
    units on both), ``costs`` (m, n) the cost at (alphas[i], betas[j]) in row j, column i, NaN where
    not yet computed; ``coarse`` the same over the same extent on a coarser grid (None once the
    fine grid is complete, or before the coarse one is). ``explained`` (2,) is the share of the
    first path's squared distance from the plane's origin that lies along each axis.
    ``progress`` runs from 0 to 1 (complete).
    """

    kind: str
    description: str
    axis_names: tuple[str, str]
    unit: str
    explained: np.ndarray
    alphas: np.ndarray
    betas: np.ndarray
    costs: np.ndarray
    paths: tuple[ValleyPath, ...]
    sample_size: int
    progress: float = 1.0
    coarse: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    @property
    def complete(self) -> bool:
        return self.progress >= 1.0

    @property
    def rows_done(self) -> int:
        """How many rows of the fine grid are computed."""
        return int(np.isfinite(self.costs).all(axis=1).sum())

    def axis_label(self, axis: int) -> str:
        """Axis ``axis`` (0: α, 1: β) with the share of the path along it, e.g. "PC1 (86% of the path)"."""
        share = 100 * float(self.explained[axis])
        shown = f"{share:.0f}%" if share >= 1 or share == 0 else f"{share:.1g}%" if share >= 0.01 else "<0.01%"
        return f"{self.axis_names[axis]} ({shown} of the path)"

    def nearest_checkpoint(self, alpha: float, beta: float, path: int = 0) -> int:
        """The checkpoint of ``paths[path]`` drawn nearest to (α, β)."""
        coordinates = self.paths[path].coordinates
        return int(np.argmin(np.sum((coordinates - (alpha, beta)) ** 2, axis=1)))

    def preview(self) -> np.ndarray:
        """``costs`` with the rows not yet computed filled in from the coarse grid (bilinear), so a
        picture can show the whole valley while the fine grid comes in; NaN where neither has a value."""
        if self.coarse is None:
            return self.costs
        alphas, betas, coarse = self.coarse
        if not np.isfinite(coarse).all():
            return self.costs
        across = np.array([np.interp(self.alphas, alphas, row) for row in coarse])  # (coarse rows, n)
        estimate = np.array([np.interp(self.betas, betas, column) for column in across.T]).T  # (m, n)
        return np.where(np.isfinite(self.costs), self.costs, estimate)

    # -- saving --------------------------------------------------------------------------------

    def to_dict(self) -> dict:
        """Everything a reader of the picture needs, as plain JSON values (NaN as null)."""
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "plane": {
                "kind": self.kind,
                "description": self.description,
                "unit": self.unit,
                "axes": [{"name": name, "explained_variance": float(share)}
                         for name, share in zip(self.axis_names, self.explained)],
            },
            "sample_size": self.sample_size,
            "complete": self.complete,
            "grid": {"alphas": _floats(self.alphas), "betas": _floats(self.betas),
                     "costs": [_floats(row) for row in self.costs]},
            "paths": [
                {"name": path.name,
                 "checkpoints": [{"position": p, "alpha": a, "beta": b, "cost": c, "surface": s, "distance": d}
                                 for p, (a, b), c, s, d in zip(_floats(path.positions), path.coordinates.tolist(),
                                                               _floats(path.costs), _floats(path.surface),
                                                               _floats(path.distances))]}
                for path in self.paths
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1)

    @classmethod
    def from_json(cls, text: str) -> Valley:
        """The valley ``to_json`` wrote; a NnvizError for anything else."""
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT_NAME or data.get("version") != FORMAT_VERSION:
                raise ValueError("not an nnviz valley of a known version")
            plane, grid = data["plane"], data["grid"]
            paths = tuple(_path_from_dict(path) for path in data["paths"])
            return cls(plane["kind"], plane["description"], tuple(axis["name"] for axis in plane["axes"]), plane["unit"],
                       _array([axis["explained_variance"] for axis in plane["axes"]]), _array(grid["alphas"]),
                       _array(grid["betas"]), _array(grid["costs"]).reshape(len(grid["betas"]), len(grid["alphas"])),
                       paths, int(data["sample_size"]), 1.0 if data["complete"] else 0.0)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise NnvizError(f"not a valley written by nnviz ({error})") from None


def _floats(values) -> list:
    return [None if not np.isfinite(v) else float(v) for v in np.asarray(values, np.float64).ravel()]


def _array(values) -> np.ndarray:
    return np.array(values, np.float64)  # None (a NaN written as null) becomes NaN


def _path_from_dict(path: dict) -> ValleyPath:
    checkpoints = path["checkpoints"]

    def column(key: str) -> np.ndarray:
        return _array([c[key] for c in checkpoints])

    return ValleyPath(path["name"], column("position"), np.stack([column("alpha"), column("beta")], axis=1).reshape(-1, 2),
                      column("distance"), column("cost"), column("surface"))


def plane_named(kind: str, network: Network, history: RunHistory, x: np.ndarray, labels: np.ndarray,
                index: int = -1, seed: int = 0) -> ValleyPlane:
    """The plane ``kind`` ("run", "random" or "local") for a run recorded in ``history``, whose
    network has ``network``'s architecture.

    "run": ``run_plane(history)``; "random": two filter-normalised random directions through the
    run's end (the network itself when there is no history); "local": through checkpoint
    ``index`` (the network itself without a history), along −∇C on (``x``, ``labels``) and the
    step from the checkpoint before. A NnvizError when the run has no history to draw a plane from.
    """
    if kind == "run":
        return run_plane(history, seed)
    if kind == "random":
        return random_plane(history.parameters(-1) if len(history) else network.params, network.sizes, seed)
    if kind == "local":
        at = network.copy()
        previous = None
        if len(history):
            index = range(len(history))[index]
            at.params[:] = history.parameters(index)
            if index > 0:
                previous = np.asarray(history.parameters(index), np.float64) - history.parameters(index - 1)
        return local_plane(at, x, labels, previous, seed)
    raise NnvizError(f"no plane called {kind!r}: choose one of {', '.join(PLANE_KINDS[:3])}")


def grid_extent(coordinates: np.ndarray, reach: float = 0.0, margin: float = MARGIN,
                max_aspect: float = MAX_ASPECT) -> tuple[float, float, float, float]:
    """(α low, α high, β low, β high) of a grid covering ``coordinates`` (k, 2) and the origin with
    ``margin``, at least ±``reach`` around the origin, and no longer than ``max_aspect`` times as wide."""
    points = np.vstack([np.asarray(coordinates, np.float64).reshape(-1, 2), [[0.0, 0.0]]])
    points = points[np.isfinite(points).all(axis=1)]
    low, high = points.min(axis=0), points.max(axis=0)
    room = margin * float(max(high - low))
    low, high = np.minimum(low - room, -reach), np.maximum(high + room, reach)
    width = high - low
    if not width.max() > 0:
        low, high, width = np.full(2, -1.0), np.full(2, 1.0), np.full(2, 2.0)
    short = int(np.argmin(width))
    wanted = width.max() / max_aspect
    if width[short] < wanted:
        centre = (low[short] + high[short]) / 2
        low[short], high[short] = centre - wanted / 2, centre + wanted / 2
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])


def valley_stages(network: Network, plane: ValleyPlane, paths: Sequence[tuple[str, RunHistory]], x: np.ndarray,
                  labels: np.ndarray, size: int = GRID, coarse: int = COARSE_GRID) -> Iterator[Valley]:
    """The valley of ``paths`` (name, history) on ``plane``, in stages; the last one yielded is complete.

    ``network`` gives the architecture, cost and dtype (float32 halves the time); its parameters
    are not used. Costs are means over ``x`` (n, n_0) with ``labels`` (n,). The first path's share
    of its squared distance from the origin gives ``explained``. Yields: the geometry (grid and
    checkpoint costs all NaN); the ``coarse`` x ``coarse`` grid; the checkpoints' true costs and
    surface values; then the ``size`` x ``size`` grid, once per row. Stop iterating to stop.
    """
    if size < 2 or coarse < 2:
        raise NnvizError(f"a grid needs at least 2 points a side, not {min(size, coarse)}")
    if not paths:
        raise NnvizError("a valley needs a path to draw")
    if any(len(history) == 0 for _, history in paths):
        raise NnvizError("a path to draw has no checkpoints")
    checkpoints = [history_parameters(history) for _, history in paths]
    for params in checkpoints:
        if params.shape[1] != len(plane.origin):
            raise NnvizError(f"a path of {params.shape[1]:,} parameters does not fit a network of {len(plane.origin):,}")
    projected = []
    for (name, history), params in zip(paths, checkpoints):
        unknown = np.full(len(params), np.nan)
        projected.append(ValleyPath(name, np.array(history.checkpoint_positions, np.float64),
                                    plane.coordinates(params), plane.distances(params), unknown, unknown.copy()))
    a_low, a_high, b_low, b_high = grid_extent(np.vstack([p.coordinates for p in projected]), plane.reach)
    alphas, betas = np.linspace(a_low, a_high, size), np.linspace(b_low, b_high, size)
    coarse_alphas, coarse_betas = np.linspace(a_low, a_high, coarse), np.linspace(b_low, b_high, coarse)
    total = coarse * coarse + CHECKPOINT_WORK * sum(len(p) for p in projected) + size * size
    valley = Valley(plane.kind, plane.description, plane.axis_names, plane.unit,
                    plane.explained(checkpoints[0]),
                    alphas, betas, np.full((size, size), np.nan), tuple(projected), len(labels), 0.0,
                    (coarse_alphas, coarse_betas, np.full((coarse, coarse), np.nan)))
    yield valley

    surface = PlaneCosts(network, x, labels, plane.as_plane())
    coarse_costs = np.array([row for _, row in surface.grid(coarse_alphas, coarse_betas)])
    done = coarse * coarse
    valley = replace(valley, coarse=(coarse_alphas, coarse_betas, coarse_costs), progress=done / total)
    yield valley

    costed = []
    true_cost = CheckpointCosts(network, x, labels)
    for path, params in zip(projected, checkpoints):
        true = np.array([true_cost(p) for p in params])
        costed.append(replace(path, costs=true, surface=surface.costs(path.coordinates[:, 0], path.coordinates[:, 1])))
        done += CHECKPOINT_WORK * len(params)
    valley = replace(valley, paths=tuple(costed), progress=done / total)
    yield valley

    costs = valley.costs.copy()
    for j, row in surface.grid(alphas, betas):
        costs[j] = row
        done += size
        last = j == size - 1
        yield replace(valley, costs=costs.copy(), progress=1.0 if last else done / total, coarse=None if last else valley.coarse)


class CheckpointCosts:
    """``Network.cost_of`` at many parameter vectors on the same examples, with the inputs checked,
    converted and given their row of ones once, and one workspace for every pass."""

    def __init__(self, network: Network, x: np.ndarray, labels: np.ndarray):
        self.network = network.copy()
        x = self.network.check_inputs(x)
        self.x1 = with_ones(x)
        self.y = one_hot(np.asarray(labels), network.sizes[-1], network.dtype)
        self.workspace = Workspace(self.network, len(x))

    def __call__(self, params: np.ndarray) -> float:
        """The mean cost of the network with ``params`` (flat like ``Network.params``)."""
        self.network.params[:] = params
        self.workspace.forward(self.x1)
        return float(self.network.cost.per_example(self.workspace.a[-1].T, self.y).mean())


def compute_valley(network: Network, plane: ValleyPlane, paths: Sequence[tuple[str, RunHistory]], x: np.ndarray,
                   labels: np.ndarray, size: int = GRID) -> Valley:
    """The complete valley (``valley_stages``' last stage)."""
    valley = None
    for valley in valley_stages(network, plane, paths, x, labels, size, min(COARSE_GRID, size)):
        pass
    return valley
