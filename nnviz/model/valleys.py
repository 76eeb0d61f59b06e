"""The valley the window shows, as part of its state: the plane chosen, the valley computed and
the state of the run it was computed for, whether it takes the network's place, and a race of
gradient descent against SGD (a part of ``WindowModel``; no Qt).

The valley itself is computed elsewhere (the window's compute process); the model says what it
must be computed from (``valley_inputs``) and keeps what came back (``set_valley``) with the
inputs it belongs to, so that anyone can tell whether the valley on show is current
(``valley_current``) — a second window built from the model shows the same valley, and a valley
of an older state of the run is never mistaken for this one's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..core.computations import RaceProgress
from ..core.data import Dataset
from ..core.history import RunHistory
from ..core.network import Network
from ..core.valley import Valley
from .causes import Cause

#: The planes a person can choose (with another run to compare, "run" becomes "shared").
PLANES = ("run", "random", "local")
#: What the race's plot measures the cost against.
RACE_AXES = ("examples", "seconds")
#: What a race runs by default: this many training sets' worth of examples for each lane.
RACE_EPOCHS = 3


@dataclass(frozen=True, eq=False)
class ValleyInputs:
    """What a valley is computed from.

    ``plane``: "run", "random", "local" or "shared"; ``network``: the architecture, activation,
    cost and dtype (a copy; its parameters are the path's last point); ``path``: a point for each
    place of the time cursor: the run's checkpoints, the network as it is now last; ``at``: for the local plane, the checkpoint of ``path`` it passes through (-1
    otherwise); ``other``: a second run (name, checkpoints) drawn on the same plane.
    """

    plane: str
    network: Network
    dataset: Dataset
    path: RunHistory
    at: int = -1
    other: tuple[str, RunHistory] | None = None

    @property
    def paths(self) -> list[tuple[str, RunHistory]]:
        return [("this run", self.path)] + ([self.other] if self.other is not None else [])

    def same_as(self, other: ValleyInputs | None) -> bool:
        """Whether ``other`` gives the same valley (the same plane, network kind, data and paths)."""
        return other is not None and self.difference(other) is None

    def difference(self, older: ValleyInputs) -> str | None:
        """What changed since ``older``, in words for "Out of date: …"; None when nothing did."""
        if self.dataset is not older.dataset:
            return "the dataset changed"
        a, b = self.network, older.network
        if (a.sizes, a.activation.name, a.cost.name, a.dtype) != (b.sizes, b.activation.name, b.cost.name, b.dtype):
            return "the network changed"
        if not _same_path(self.path, older.path):
            n = len(self.path)
            if n == len(older.path) and n > 1 and _same_path(self.path.truncated(n - 2), older.path.truncated(n - 2)):
                return "the network now changed"
            return "the run changed"
        if (self.other is None) != (older.other is None) or (
                self.other is not None and (self.other[0] != older.other[0] or not _same_path(self.other[1], older.other[1]))):
            return "the run compared with changed"  # (which may also make the run's plane a shared one)
        if self.plane != older.plane:
            return "another plane was chosen"
        if self.at != older.at:
            return "the checkpoint on show changed"
        return None


def _same_path(a: RunHistory, b: RunHistory) -> bool:
    if a is b:
        return True
    if len(a) != len(b) or not np.array_equal(a.checkpoint_positions, b.checkpoint_positions):
        return False
    # A recorded checkpoint never changes, so the same array is the same point; the network now
    # is a copy each time, compared by value.
    return all(p is q or np.array_equal(p, q) for p, q in ((a.parameters(i), b.parameters(i)) for i in range(len(a))))


@dataclass(frozen=True)
class RaceState:
    """Gradient descent against SGD from ``network`` (a copy of the network on show when it
    began, ``start`` says which in words), ``epochs`` training sets' worth of examples each:
    how far it got (``progress``), the valley of both paths once it is over, or why it stopped."""

    network: Network
    start: str
    epochs: float
    progress: RaceProgress | None = None
    valley: Valley | None = None
    stopped: str | None = None

    @property
    def running(self) -> bool:
        return self.stopped is None and (self.progress is None or not self.progress.done)


class Valleys:
    """Mixed into WindowModel, which provides ``network``, ``history``, ``dataset``, ``comparison``,
    the time cursor (``stop_count``, ``stop_index``, ``live_position``, ``cursor_text``), ``name``
    and ``_emit``."""

    def _init_valleys(self) -> None:
        self.valley_plane = "run"
        #: The valley computed last (maybe still partial), and what it was computed from.
        self.valley: Valley | None = None
        self.valley_made_from: ValleyInputs | None = None
        #: Whether the valley takes the network's place (else it is a bottom tab).
        self.valley_in_front = False
        self.race: RaceState | None = None
        self.race_axis = RACE_AXES[0]

    # -- the run's valley ---------------------------------------------------------------------------

    def valley_inputs(self) -> ValleyInputs | str:
        """What the valley on the chosen plane is computed from now, or why there is none."""
        # One point per place of the time cursor, the network as it is now last (a place of its
        # own, or the record's last: edited, stepped, or kept rounded in a file), so that the ball
        # at the cursor's place is the network on show.
        history = self.history
        positions = list(self.stop_positions())
        checkpoints = [history.parameters(i) for i in range(len(positions) - 1)] + [self.network.params.copy()]
        path = RunHistory(checkpoint_positions=positions, checkpoints=checkpoints)
        other = self._other_run()
        plane = self.valley_plane
        if plane == "run":
            if len(path) < 2:
                return ("The valley is drawn on the plane of the run's own path, and this network has no run yet: "
                        "train it a little (Space), or open a trained network. A random plane needs no run.")
            if other is not None and len(other[1]) >= 2:
                plane = "shared"
        return ValleyInputs(plane, self.network.copy(), self.dataset, path, self.stop_index() if plane == "local" else -1,
                            other)

    def _other_run(self) -> tuple[str, RunHistory] | None:
        """The run compared with, when its path can be drawn on this run's surface: the same
        network, computing the same way (another activation's costs are not on this surface)."""
        comparison = self.comparison
        if comparison is None or not len(comparison.history):
            return None
        mine, theirs = self.network, comparison.network
        if (mine.sizes, mine.activation.name, mine.cost.name) != (theirs.sizes, theirs.activation.name, theirs.cost.name):
            return None
        return comparison.name, comparison.history

    def valley_current(self, inputs: ValleyInputs | str | None = None) -> bool:
        """Whether the valley kept was computed from ``inputs`` (default: the inputs now)."""
        inputs = self.valley_inputs() if inputs is None else inputs
        return self.valley is not None and isinstance(inputs, ValleyInputs) and inputs.same_as(self.valley_made_from)

    def choose_valley_plane(self, plane: str) -> None:
        if plane not in PLANES:
            raise ValueError(f"no plane called {plane!r}")
        if plane != self.valley_plane:
            self.valley_plane = plane
            self._emit(Cause.USER, "valley")

    def set_valley(self, valley: Valley, inputs: ValleyInputs) -> bool:
        """``valley`` (partial or complete) was computed from ``inputs``; False (and nothing
        changes) when the valley kept is the same one further computed (two windows of one model
        computing it, the second later)."""
        if self.valley is not None and valley.progress < self.valley.progress and inputs.same_as(self.valley_made_from):
            return False
        self.valley, self.valley_made_from = valley, inputs
        self._emit(Cause.COMPUTED, "valley")
        return True

    def set_valley_in_front(self, on: bool) -> None:
        """Let the valley take the network's place (or give it back)."""
        if bool(on) != self.valley_in_front:
            self.valley_in_front = bool(on)
            self._emit(Cause.USER, "valley")

    # -- gradient descent against SGD -----------------------------------------------------------------

    def start_race(self, epochs: float = RACE_EPOCHS) -> RaceState:
        """A race from the network on show (a copy), ``epochs`` training sets' worth of examples each."""
        self.race = RaceState(self.shown.copy(), f"{self.name}, {self.cursor_text()}", float(epochs))
        self._emit(Cause.USER, "race")
        return self.race

    def set_race_progress(self, progress: RaceProgress) -> None:
        if self.race is not None:
            self.race = replace(self.race, progress=progress)
            self._emit(Cause.COMPUTED, "race")

    def set_race_valley(self, valley: Valley) -> None:
        if self.race is not None:
            self.race = replace(self.race, valley=valley)
            self._emit(Cause.COMPUTED, "race")

    def stop_race(self, why: str) -> None:
        """The race (or its valley) ends before it is complete: ``why`` in a sentence."""
        if self.race is not None and self.race.stopped is None:
            self.race = replace(self.race, stopped=why)
            self._emit(Cause.USER, "race")

    def close_race(self) -> None:
        if self.race is not None:
            self.race = None
            self._emit(Cause.USER, "race")

    def set_race_axis(self, axis: str) -> None:
        if axis not in RACE_AXES:
            raise ValueError(f"no axis called {axis!r}")
        if axis != self.race_axis:
            self.race_axis = axis
            self._emit(Cause.USER, "race")


def race_text(race: RaceState) -> str:
    """What the race shows, in words: each lane's steps, cost and seconds, and once it is over,
    which one got further for the same examples, and why."""
    examples = race.progress.examples if race.progress is not None else None
    each = f"{examples:,} examples each ({race.epochs:g}\u00a0× the training set)" if examples else \
        f"{race.epochs:g}\u00a0× the training set's examples each"
    lines = [f"From {race.start}: {each}."]
    progress = race.progress
    if progress is None:
        return "\n".join(lines + ["Starting…"])
    for lane, manner, line in zip(progress.lanes, ("careful", "stumbling"), ("solid", "dashed")):
        lines.append(f"{lane.name[:1].upper()}{lane.name[1:]} ({line}): {lane.steps:,} {manner} "
                     f"step{'s' * (lane.steps != 1)} of {lane.batch_size:,}, cost {lane.costs[-1]:.3f} "
                     f"({lane.seconds[-1]:.2f}\u00a0s).")
    descent, sgd = progress.lanes
    if race.stopped is not None:
        lines.append(race.stopped)
    elif not progress.done:
        lines.append(f"Racing: {progress.share_done:.0%} of the examples… Both paths' valley comes at the end.")
    elif sgd.costs[-1] < descent.costs[-1]:
        lines.append(f"SGD got further. Each of its steps averages only {sgd.batch_size} examples' nudges, so it "
                     f"points only roughly downhill and stumbles; but it takes {descent.batch_size // sgd.batch_size:,} "
                     f"for the work of one careful step. Many rough steps down beat a few exact ones.")
    else:
        lines.append("Here gradient descent got further: its few exact steps beat SGD's many rough ones. That happens "
                     "near the bottom of a valley (a network already trained: SGD's rough steps jostle around the "
                     "bottom while exact ones still creep down) or when η is too large for steps that rough. From an "
                     "untrained start (Home on the timeline, then race again) SGD wins by far, as the article says.")
    if progress.done and race.stopped is None and (race.valley is None or not race.valley.complete):
        lines.append("Drawing the valley of both paths…")
    return "\n".join(lines)
