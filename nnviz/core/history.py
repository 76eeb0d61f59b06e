"""The record a training run leaves: its cost curve, its epochs, and checkpoints of the network.

Positions on the time axis are epochs as floats: the end of mini-batch b (1-based) of epoch e
(1-based) is at ``(e - 1) + b / batches_per_epoch`` (precisely, ``(e - 1) + examples seen in the
epoch / training examples``, which is the same while the mini-batch size stays put); 0.0 is the
initial network and a whole number e the end of epoch e.

Checkpoints are copies of all the parameters, laid out as ``Network.params``. They are dense
where the network changes fastest, at geometrically spaced mini-batch counts in the first epoch,
and thin out to one per epoch (see ``checkpoint_batches``). A recorded checkpoint never changes,
so copies of a history share them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

import numpy as np

#: The Training plot's smoothed curve: one point for the mean of this many mini-batch costs.
COST_POINT_BATCHES = 50
#: Checkpoints within the first epoch, at geometrically spaced mini-batch counts (and its end).
FIRST_EPOCH_CHECKPOINTS = 60


@dataclass(frozen=True)
class EpochRecord:
    """What an epoch ended with; ``learning_rate`` is the η in force at its last mini-batch."""

    epoch: int
    training_cost: float
    validation_accuracy: float
    test_accuracy: float | None
    learning_rate: float


def checkpoint_batches(epoch: int, batches_per_epoch: int) -> list[int]:
    """The mini-batch numbers (1-based) within ``epoch`` after which a checkpoint is taken,
    besides the epoch's end, which always has one.

    The first epoch, where the network changes most, gets ~FIRST_EPOCH_CHECKPOINTS at
    geometrically spaced counts (1, 2, 3, ... then ever further apart); the second epoch one
    every quarter, the third to fifth one at the half, later epochs only their end.
    """
    b = batches_per_epoch
    if b <= 1:
        return []
    if epoch == 1:
        wanted = min(FIRST_EPOCH_CHECKPOINTS, b)
        count = wanted
        while True:
            batches = np.unique(np.round(np.geomspace(1, b, count)).astype(np.int64))
            if len(batches) >= wanted or count > 4 * wanted:
                break
            count += 1
        return [int(k) for k in batches if k < b]
    parts = 4 if epoch == 2 else 2 if epoch <= 5 else 1
    return sorted({max(1, round(b * i / parts)) for i in range(1, parts)} - {b})


class RunHistory:
    """The record of one run. Grows only at its end (``record_*``); ``truncated`` cuts it.

    ``cost_positions``/``cost_values``: the smoothed cost curve (float64 arrays);
    ``epochs``: an EpochRecord per finished epoch; ``learning_rate_changes``: (position, new η)
    for every change of η after the start; ``checkpoint_positions`` (float64, sorted) with
    ``parameters(i)`` the network at checkpoint i.
    """

    def __init__(
        self,
        cost_positions: Iterable[float] = (),
        cost_values: Iterable[float] = (),
        epochs: Iterable[EpochRecord] = (),
        learning_rate_changes: Iterable[tuple[float, float]] = (),
        checkpoint_positions: Iterable[float] = (),
        checkpoints: Iterable[np.ndarray] = (),
    ):
        self._cost_positions = [float(p) for p in cost_positions]
        self._cost_values = [float(v) for v in cost_values]
        self.epochs: list[EpochRecord] = list(epochs)
        self.learning_rate_changes: list[tuple[float, float]] = [(float(p), float(r)) for p, r in learning_rate_changes]
        self._checkpoint_positions = [float(p) for p in checkpoint_positions]
        self._checkpoints = [_frozen(c) for c in checkpoints]
        if len(self._cost_positions) != len(self._cost_values):
            raise ValueError("cost positions and values differ in number")
        if len(self._checkpoint_positions) != len(self._checkpoints):
            raise ValueError("checkpoint positions and checkpoints differ in number")
        self._arrays: dict[str, np.ndarray] = {}

    @classmethod
    def empty(cls) -> RunHistory:
        return cls()

    # -- reading ----------------------------------------------------------------------------

    def __len__(self) -> int:
        """The number of checkpoints."""
        return len(self._checkpoints)

    def __bool__(self) -> bool:
        return bool(self._checkpoints or self._cost_values or self.epochs)

    @property
    def cost_positions(self) -> np.ndarray:
        return self._array("cost_positions", self._cost_positions)

    @property
    def cost_values(self) -> np.ndarray:
        return self._array("cost_values", self._cost_values)

    @property
    def checkpoint_positions(self) -> np.ndarray:
        return self._array("checkpoint_positions", self._checkpoint_positions)

    @property
    def end(self) -> float:
        """The position of the last checkpoint (0.0 for an empty history)."""
        return self._checkpoint_positions[-1] if self._checkpoints else 0.0

    def parameters(self, i: int) -> np.ndarray:
        """The parameters at checkpoint ``i``, laid out as ``Network.params`` (read-only)."""
        return self._checkpoints[i]

    def index_at(self, position: float) -> int:
        """The last checkpoint at or before ``position`` (0 before the first)."""
        if not self._checkpoints:
            raise IndexError("the history has no checkpoints")
        return max(0, int(np.searchsorted(self.checkpoint_positions, position, side="right")) - 1)

    def learning_rate_at(self, position: float, initial: float) -> float:
        """η in force just after ``position``, given the ``initial`` η of the run."""
        rate = initial
        for at, new in self.learning_rate_changes:
            if at <= position:
                rate = new
        return rate

    # -- deriving ---------------------------------------------------------------------------

    def truncated(self, i: int) -> RunHistory:
        """A new history ending at checkpoint ``i``: later checkpoints, cost points, epochs and
        changes of η are dropped."""
        if not 0 <= i < len(self):
            raise IndexError(f"no checkpoint {i} in a history of {len(self)}")
        return self.truncated_at(self._checkpoint_positions[i])

    def truncated_at(self, position: float) -> RunHistory:
        """A new history with nothing recorded after ``position``."""
        keep_costs = sum(1 for p in self._cost_positions if p <= position)
        keep_checkpoints = sum(1 for p in self._checkpoint_positions if p <= position)
        return RunHistory(
            self._cost_positions[:keep_costs],
            self._cost_values[:keep_costs],
            [e for e in self.epochs if e.epoch <= position],
            [(p, r) for p, r in self.learning_rate_changes if p <= position],
            self._checkpoint_positions[:keep_checkpoints],
            self._checkpoints[:keep_checkpoints],
        )

    def copy(self) -> RunHistory:
        """An independent history sharing the (immutable) checkpoints."""
        return self.truncated_at(math.inf)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RunHistory):
            return NotImplemented
        return (
            self._cost_positions == other._cost_positions
            and self._cost_values == other._cost_values
            and self.epochs == other.epochs
            and self.learning_rate_changes == other.learning_rate_changes
            and self._checkpoint_positions == other._checkpoint_positions
            and all(np.array_equal(a, b) for a, b in zip(self._checkpoints, other._checkpoints))
        )

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        return f"RunHistory({len(self)} checkpoints to {self.end:g}, {len(self.epochs)} epochs, {len(self._cost_values)} cost points)"

    # -- sending what is new (a trainer in another process) -------------------------------------

    def mark(self) -> HistoryMark:
        """Where the history stands now, for ``since``."""
        return HistoryMark(len(self._cost_values), len(self.epochs), len(self.learning_rate_changes),
                           len(self._checkpoints), self._checkpoints[-1] if self._checkpoints else None)

    def since(self, mark: HistoryMark | None) -> HistoryDelta:
        """What was recorded after ``mark``; everything when ``mark`` is None or no longer fits
        (the history was cut since), so that ``apply`` to a copy taken at ``mark`` gives this history."""
        fits = mark is not None and mark.costs <= len(self._cost_values) and mark.epochs <= len(self.epochs) \
            and mark.rates <= len(self.learning_rate_changes) and mark.checkpoints <= len(self._checkpoints)
        if not fits:
            mark, full = HistoryMark(0, 0, 0, 0, None), True
        else:
            full = False
        first = mark.checkpoints
        if first and self._checkpoints[first - 1] is not mark.last:
            first -= 1  # the last checkpoint sent was replaced by one at the same position
        return HistoryDelta(
            full,
            tuple(self._cost_positions[mark.costs:]), tuple(self._cost_values[mark.costs:]),
            tuple(self.epochs[mark.epochs:]), tuple(self.learning_rate_changes[mark.rates:]),
            tuple(self._checkpoint_positions[first:]), tuple(self._checkpoints[first:]),
        )

    def apply(self, delta: HistoryDelta) -> RunHistory:
        """This history with ``delta`` added (or replaced by it when the delta is full).

        The delta's checkpoints become the new history's, read-only, without a copy: a delta is
        what the pipe made (each array a buffer of its own) or another history's read-only
        checkpoints, and nobody writes to it after. A run's first delta carries its first
        epoch's densely spaced checkpoints: copied, they kept the window ~25 ms for 784-128-64-10.
        """
        checkpoints = [_taken(c) for c in delta.checkpoints]
        if delta.full:
            return RunHistory(delta.cost_positions, delta.cost_values, delta.epochs, delta.learning_rate_changes,
                              delta.checkpoint_positions, checkpoints)
        history = self.copy()
        for position, value in zip(delta.cost_positions, delta.cost_values):
            history.record_cost(position, value)
        history.epochs.extend(delta.epochs)
        history.learning_rate_changes.extend(delta.learning_rate_changes)
        for position, checkpoint in zip(delta.checkpoint_positions, checkpoints):
            history._keep_checkpoint(position, checkpoint)
        return history

    # -- recording (the trainer) ---------------------------------------------------------------

    def record_cost(self, position: float, value: float) -> None:
        self._cost_positions.append(float(position))
        self._cost_values.append(float(value))
        self._arrays.pop("cost_positions", None)
        self._arrays.pop("cost_values", None)

    def record_epoch(self, record: EpochRecord) -> None:
        self.epochs.append(record)

    def record_learning_rate(self, position: float, learning_rate: float) -> None:
        self.learning_rate_changes.append((float(position), float(learning_rate)))

    def record_checkpoint(self, position: float, params: np.ndarray) -> None:
        """Keep a copy of ``params`` as the network at ``position`` (replacing a checkpoint
        already at that position)."""
        checkpoint = np.array(params, copy=True)
        checkpoint.flags.writeable = False
        self._keep_checkpoint(position, checkpoint)

    def _keep_checkpoint(self, position: float, checkpoint: np.ndarray) -> None:
        """``record_checkpoint`` of a read-only array, kept as it is."""
        if self._checkpoints and position <= self._checkpoint_positions[-1]:
            if position < self._checkpoint_positions[-1]:
                raise ValueError(f"checkpoint at {position} is before the last one, at {self._checkpoint_positions[-1]}")
            self._checkpoints.pop()
            self._checkpoint_positions.pop()
        self._checkpoint_positions.append(float(position))
        self._checkpoints.append(checkpoint)
        self._arrays.pop("checkpoint_positions", None)

    def _array(self, key: str, values: Sequence[float]) -> np.ndarray:
        array = self._arrays.get(key)
        if array is None:
            array = self._arrays[key] = np.array(values, np.float64)
            array.flags.writeable = False
        return array


class HistoryMark(NamedTuple):
    """How much of a history was already sent: counts, and the last checkpoint itself (which a
    checkpoint at the same position replaces)."""

    costs: int
    epochs: int
    rates: int
    checkpoints: int
    last: np.ndarray | None


class HistoryDelta(NamedTuple):
    """What a history recorded after a mark (``full``: the whole history, replacing the old)."""

    full: bool
    cost_positions: tuple[float, ...]
    cost_values: tuple[float, ...]
    epochs: tuple[EpochRecord, ...]
    learning_rate_changes: tuple[tuple[float, float], ...]
    checkpoint_positions: tuple[float, ...]
    checkpoints: tuple[np.ndarray, ...]


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.asarray(array)
    if array.flags.writeable:
        array = array.copy()
        array.flags.writeable = False
    return array


def _taken(array: np.ndarray) -> np.ndarray:
    """``array`` itself, made read-only: its holder gives it up (see ``RunHistory.apply``)."""
    array = np.asarray(array)
    array.flags.writeable = False
    return array
