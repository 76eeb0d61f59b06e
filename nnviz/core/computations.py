"""The window's heavy maths as generator functions: each yields its result so far, and its last
yield is the whole result. The window runs them in a process of its own (``jobs.py``), by name,
and may stop one between any two yields; the command line and the tests call them directly.

- ``valley``: the cost over a plane with paths of checkpoints on it (``valley.valley_stages``,
  after choosing the plane here, where its maths belongs);
- ``race``: gradient descent against SGD from one network (``race.Race``), reported as a
  ``RaceProgress`` at most every ``interval`` seconds, with both lanes' records at the end;
- ``answers``: a network's answer for every example of a split (the Mistakes tab's), computed a
  chunk at a time and yielded whole.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np

from .data import Dataset, Split
from .errors import NnvizError
from .evaluation import answering, cutting
from .history import RunHistory
from .landscape import COARSE_GRID, GRID
from .network import Network
from .race import Race
from .valley import Valley, plane_named, valley_stages
from .valley_planes import ValleyPlane, local_plane, shared_plane, start_plane

#: A race reports its progress at most this often (seconds): SGD steps every 0.1 ms or so.
RACE_INTERVAL = 0.1


def valley(network: Network, plane: str, paths: Sequence[tuple[str, RunHistory]], x: np.ndarray, labels: np.ndarray,
           at: int = -1, step: np.ndarray | None = None, seed: int = 0, size: int = GRID,
           coarse: int = COARSE_GRID) -> Iterator[Valley]:
    """The valley of ``paths`` (name, history) on ``plane``, in ``valley_stages``' stages.

    ``plane``: "run" (the first path's own plane), "random", "local", "shared" (through both
    ends of the first two paths: ``shared_plane``) or "start" (through the first two paths'
    common start and both ends: ``start_plane``). "local" passes through checkpoint ``at`` of
    the first path, along −∇C on (``x``, ``labels``) and ``step`` (made orthogonal to it), or
    the step from the checkpoint before when ``step`` is None. ``network`` gives the
    architecture, cost and dtype; its parameters are not used.
    """
    if not paths:
        raise NnvizError("a valley needs a path to draw")
    yield from valley_stages(network, choose_plane(network, plane, paths, x, labels, at, step, seed), paths, x, labels,
                             size, coarse)


def choose_plane(network: Network, plane: str, paths: Sequence[tuple[str, RunHistory]], x: np.ndarray,
                 labels: np.ndarray, at: int = -1, step: np.ndarray | None = None, seed: int = 0) -> ValleyPlane:
    """The plane ``valley`` draws on (see there)."""
    history = paths[0][1]
    if plane in ("shared", "start"):
        if len(paths) < 2:
            raise NnvizError(f"a {plane} plane needs two paths")
        if plane == "start":
            return start_plane(history, paths[1][1], (paths[0][0], paths[1][0]), seed)
        return shared_plane(history, paths[1][1], seed)
    if plane == "local" and step is not None:
        origin = network.copy()
        origin.params[:] = history.parameters(range(len(history))[at])
        return local_plane(origin, x, labels, np.asarray(step, np.float64), seed)
    return plane_named(plane, network, history, x, labels, at, seed)


def answers(network: Network, split: Split) -> Iterator[np.ndarray | None]:
    """``network``'s answer for every example of ``split``, shape (n,), as the last yield; before it
    a None after each step of cutting the split (a process's first job on it) and each chunk of
    examples but the last: nobody needs part of the answers, and there a newer job may replace
    this one (a step or a chunk is a few milliseconds of work). The chunks every evaluation takes
    (``evaluation.pixel_chunks``): the same sums as the test accuracy a run records."""
    yield from cutting(split)
    result = np.empty(len(split), np.int64)
    for done in answering(network, split, result):
        if done < len(split):
            yield None
    yield result


@dataclass(frozen=True)
class LaneProgress:
    """One lane of a race so far: its settings, the steps it took, and its measurements (parallel
    arrays, the first at the start): ``examples`` processed, ``seconds`` of its own computing and
    ``costs`` on the sample."""

    name: str
    batch_size: int
    learning_rate: float
    steps: int
    examples: np.ndarray
    seconds: np.ndarray
    costs: np.ndarray


@dataclass(frozen=True)
class RaceProgress:
    """Where a race stands: both lanes (gradient descent first), the budget of examples each,
    whether it is over, and — once it is — each lane's record (``histories``), for its valley."""

    lanes: tuple[LaneProgress, LaneProgress]
    examples: int
    sample_size: int
    done: bool = False
    histories: tuple[RunHistory, RunHistory] | None = None

    @property
    def share_done(self) -> float:
        """How much of the race is run, from 0 to 1."""
        return min(1.0, min(int(lane.examples[-1]) for lane in self.lanes) / self.examples)


def race(network: Network, dataset: Dataset, epochs: float, seed: int = 0,
         interval: float = RACE_INTERVAL) -> Iterator[RaceProgress]:
    """Gradient descent against SGD from ``network`` (copied), ``epochs`` training sets' worth of
    examples each: a RaceProgress at the start, at most every ``interval`` seconds, and at the end
    (``done``, with the lanes' records)."""
    contest = Race(network, dataset, examples=max(1, round(epochs * len(dataset.train))), seed=seed)
    steps = [0, 0]
    yield _progress(contest, steps)
    last = time.monotonic()
    for step in contest.steps():
        steps[step.lane] += 1
        if time.monotonic() - last >= interval:
            yield _progress(contest, steps)
            last = time.monotonic()
    yield _progress(contest, steps, done=True)


def _progress(contest: Race, steps: list[int], done: bool = False) -> RaceProgress:
    lanes = tuple(LaneProgress(lane.name, lane.batch_size, lane.learning_rate, steps[i],
                               np.array(lane.measured_examples, np.int64), np.array(lane.measured_seconds),
                               np.array(lane.measured_costs))
                  for i, lane in enumerate(contest.lanes))
    histories = tuple(lane.history.copy() for lane in contest.lanes) if done else None
    return RaceProgress(lanes, contest.budget_examples, len(contest.sample_labels), done, histories)
