"""The answers of the network on show for whole splits: computed once per state of its parameters,
here or elsewhere (the window's compute process), and kept for the checkpoints already shown and
those around the cursor computed ahead."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.evaluation import predictions
from ..core.network import Network

#: How many checkpoints' answers (per split) are kept while scrubbing: 10,000 answers each.
CHECKPOINT_PREDICTIONS = 128
#: Checkpoints each side of the cursor whose answers may be computed ahead (``ask_ahead``): a
#: run's whole timeline unless it is longer than what is kept, then the kept ones around the
#: cursor, with room to spare for those shown meanwhile.
AHEAD = (CHECKPOINT_PREDICTIONS - 8) // 2


@dataclass(frozen=True)
class Asked:
    """The answers for split ``name`` of the network on show, to compute elsewhere: ``network`` is a
    copy of it as it was asked, at ``position`` (epochs into the run), ``version`` which state of
    the network on show that was. Asked ahead (``Answers.ask_ahead``), they are those of the run's
    ``checkpoint`` (its parameters, as the history holds them) instead."""

    name: str
    version: int
    position: float
    network: Network
    checkpoint: np.ndarray | None = None


@dataclass(frozen=True)
class Latest:
    """The newest answers computed for a split (shape (n,)), of the network on show at ``position``
    (epochs) when they were asked; ``current``: the network on show is still that one."""

    answers: np.ndarray
    position: float
    current: bool


class Answers:
    """The answers of ``model.shown`` for its dataset's splits.

    Scrubbing back and forth or replaying again recomputes nothing: the answers at a checkpoint
    are kept under the checkpoint's array (immutable in the history; kept with them so that its
    id cannot be reused meanwhile). The model calls ``forget`` whenever the network on show
    changes and ``forget_all`` when the run or the dataset does.
    """

    def __init__(self, model):
        self._model = model
        self._now: dict[str, np.ndarray] = {}
        self._at_checkpoints: dict[tuple[int, str], tuple[np.ndarray, np.ndarray]] = {}
        #: The live network's answers for each split, with a copy of the parameters they answer:
        #: the end of the run is shown again after every visit to a checkpoint.
        self._live: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        #: The newest answers taken for each split, with what they were asked for.
        self._latest: dict[str, tuple[np.ndarray, Asked]] = {}
        #: Counts the changes of the network on show: answers asked for an earlier one are not its own.
        self.version = 0
        #: The first version of this run and dataset: answers asked before it are nobody's.
        self._since = 0

    def forget(self) -> None:
        """The network on show changed."""
        self._now.clear()
        self.version += 1

    def forget_all(self) -> None:
        """The run or the dataset changed: the checkpoints' answers go too, and the latest."""
        self.forget()
        self._since = self.version
        self._at_checkpoints.clear()
        self._latest.clear()
        self._live.clear()

    def known(self, name: str) -> np.ndarray | None:
        """The answers for split ``name`` if they were computed already, else None (no work)."""
        if name in self._now:
            return self._now[name]
        key = self._key(name)
        if key in self._at_checkpoints:
            self._now[name] = self._at_checkpoints[key][1]
            return self._now[name]
        live = self._live.get(name)
        if self._model.cursor is None and live is not None and np.array_equal(live[0], self._model.network.params):
            self._now[name] = live[1]
            return self._now[name]
        return None

    def of(self, name: str) -> np.ndarray:
        """The answers for split ``name``, shape (n,), computed now if need be."""
        answers = self.known(name)
        if answers is None:
            answers = predictions(self._model.shown, self._model.dataset.split(name))
            self._keep(name, answers)
        return answers

    def ask(self, name: str) -> Asked:
        """What to compute elsewhere for the answers of split ``name``; hand them to ``take``."""
        # A copy: the live network's parameters, and the checkpoint's, are changed in place.
        return Asked(name, self.version, self._model.position, self._model.shown.copy())

    def ask_ahead(self, name: str, reach: int, direction: int = 1) -> Asked | None:
        """While nothing else is asked: the answers for split ``name`` of the checkpoint nearest the
        cursor, at most ``reach`` checkpoints away, that are not known yet (those in ``direction``,
        +1 later or -1 earlier, count as half as far: Replay and a scrub keep going their way).
        None if the cursor is not on a checkpoint or all of them are known."""
        model = self._model
        if model.cursor is None:
            return None
        ahead = 1 if direction >= 0 else -1
        around = [model.cursor + d for d in range(-reach, reach + 1) if d and 0 <= model.cursor + d < len(model.history)]

        def order(index: int) -> tuple[int, bool]:
            step = index - model.cursor
            behind = step * ahead < 0
            return abs(step) * (2 if behind else 1), behind  # on a tie, the one ahead first

        wanted = sorted(around, key=order)
        # Those kept within reach go to the back of the line, the nearest last (the cursor's own
        # too): what is kept is pushed out oldest first, and must never be what is wanted again.
        for index in [*reversed(wanted), model.cursor]:
            key = (id(model.history.parameters(index)), name)
            if key in self._at_checkpoints:
                self._at_checkpoints[key] = self._at_checkpoints.pop(key)
        for index in wanted:
            checkpoint = model.history.parameters(index)
            if (id(checkpoint), name) not in self._at_checkpoints:
                network = model.shown.copy()
                network.params[:] = checkpoint
                return Asked(name, self.version, float(model.history.checkpoint_positions[index]), network, checkpoint)
        return None

    def known_checkpoints(self, name: str) -> list[int]:
        """The checkpoints of the run whose answers for split ``name`` are kept."""
        history = self._model.history
        return [i for i in range(len(history)) if (id(history.parameters(i)), name) in self._at_checkpoints]

    def for_shown(self, asked: Asked) -> bool:
        """Whether ``asked`` is for the network on show as it is now."""
        if asked.version < self._since:
            return False
        if asked.checkpoint is None:
            return asked.version == self.version
        model = self._model
        return model.cursor is not None and asked.checkpoint is model.history.parameters(model.cursor)

    def take(self, asked: Asked, answers: np.ndarray) -> bool:
        """The answers computed for ``asked``, shape (n,): the network on show's if it has not changed
        since (True), else only the ``latest``, an earlier network's; asked ahead, its checkpoint's
        (True if the cursor is on it now)."""
        if asked.version < self._since:
            return False  # another run's or dataset's
        if asked.checkpoint is not None:
            self._keep_at(asked.checkpoint, asked.name, answers)
            shown = self.for_shown(asked)
            if shown and asked.name not in self._now:
                self._now[asked.name] = answers
            return shown
        self._latest[asked.name] = (answers, asked)
        if asked.version != self.version:
            return False
        if self.known(asked.name) is None:
            self._keep(asked.name, answers)
        return True

    def latest(self, name: str) -> Latest | None:
        """The newest answers for split ``name`` computed elsewhere, current or not (None: none yet
        for this run and dataset)."""
        if name not in self._latest:
            return None
        answers, asked = self._latest[name]
        return Latest(answers, asked.position, asked.version == self.version)

    def _key(self, name: str) -> tuple[int, str] | None:
        model = self._model
        return None if model.cursor is None else (id(model.history.parameters(model.cursor)), name)

    def _keep(self, name: str, answers: np.ndarray) -> None:
        self._now[name] = answers
        if self._model.cursor is not None:
            self._keep_at(self._model.history.parameters(self._model.cursor), name, answers)
        else:  # compared with the live network's parameters when shown again: whatever changed them
            self._live[name] = (self._model.network.params.copy(), answers)

    def _keep_at(self, checkpoint: np.ndarray, name: str, answers: np.ndarray) -> None:
        key = (id(checkpoint), name)
        self._at_checkpoints.pop(key, None)  # kept last: the oldest go first
        if len(self._at_checkpoints) >= CHECKPOINT_PREDICTIONS:
            self._at_checkpoints.pop(next(iter(self._at_checkpoints)))
        self._at_checkpoints[key] = (checkpoint, answers)
