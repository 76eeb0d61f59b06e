"""The time cursor: which checkpoint of the run the window shows (a part of ``WindowModel``).

The cursor is a checkpoint index, or None for the network as it is now (the live end). Moving
it shows that checkpoint's parameters in a network of its own (``shown``), never in the live
one, and fires ``cursor`` then ``shown``: every view that draws the network on show follows.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.formatting import epoch_text
from ..core.network import Network
from .causes import Cause


class TimeCursor:
    """Mixed into WindowModel, which provides ``network``, ``history``, ``cursor``, ``progress``,
    ``epochs_done``, ``metadata``, ``comparison``, ``_checkpoint``, ``answers`` and ``_emit``."""

    @property
    def shown(self) -> Network:
        """The network on show: the live one, or the checkpoint the cursor is on."""
        return self.network if self.cursor is None else self._checkpoint

    def stop_count(self) -> int:
        """How many places the cursor can be: the checkpoints, and the network as it is now when
        it is not the last checkpoint (paused mid-epoch, or a run without a record)."""
        n = len(self.history)
        # At the record's end, the last stop is the network as it is now (a file may keep its
        # checkpoints rounded; the network itself is exact).
        if n and (self.live_position <= self.history.end + 1e-9
                  or np.array_equal(self.history.parameters(n - 1), self.network.params)):
            return n
        return n + 1

    def stop_index(self) -> int:
        """The cursor as an index among ``stop_count()`` places."""
        return self.stop_count() - 1 if self.cursor is None else self.cursor

    def stop_positions(self) -> np.ndarray:
        """Where each place of the cursor is on the time axis (epochs), the live end last."""
        positions = self.history.checkpoint_positions
        if self.stop_count() > len(positions):
            positions = np.append(positions, self.live_position)
        return positions

    def cursor_text(self) -> str:
        """Where the cursor is, in words: the epoch (and mini-batch) and the checkpoint."""
        where = f"epoch {epoch_text(self.position)}"
        if self.cursor is None:
            return f"{where} · now"
        return f"{where} · checkpoint {self.cursor + 1} of {len(self.history)}"

    def neuron_through_time(self, layer: int, k: int, x: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Neuron ``k`` of ``layer`` at every place of the cursor: (positions, its activation for
        input ``x`` (NaN without one), the length |w| of its incoming weights)."""
        positions = self.stop_positions()
        probe = self.network.copy()
        activations = np.full(len(positions), np.nan)
        norms = np.empty(len(positions))
        for i in range(len(positions)):
            probe.params[:] = self.history.parameters(i) if i < len(self.history) else self.network.params
            norms[i] = float(np.linalg.norm(probe.weights[layer - 1][k]))
            if x is not None:
                activations[i] = float(probe.forward(x).activations[layer][0, k])
        return positions, activations, norms

    @property
    def live_position(self) -> float:
        """Where the network as it is now stands on the time axis (epochs)."""
        position = self.history.end if len(self.history) else float(self.epochs_done)
        p = self.progress
        if p is not None and p.batches_per_epoch:
            position = max(position, p.epoch - 1 + p.batch / p.batches_per_epoch)
        return position

    @property
    def position(self) -> float:
        """Where the cursor is on the time axis (epochs)."""
        return self.live_position if self.cursor is None else float(self.history.checkpoint_positions[self.cursor])

    def move_to(self, index: int | None) -> None:
        """Show the network at checkpoint ``index`` (clamped); None, or the last place, is the
        network as it is now."""
        last = self.stop_count() - 1
        if index is not None:
            index = min(max(int(index), 0), last)
        if index is None or index == last:
            if self.cursor is None:
                return
            self.cursor, self._checkpoint = None, None
        else:
            if index == self.cursor:
                return
            if self._checkpoint is None:
                self._checkpoint = self.network.copy()
            self._checkpoint.params[:] = self.history.parameters(index)
            self.cursor = index
        self.answers.forget()
        if self.comparison is not None:
            self.comparison.follow(self.position)
        self._emit(Cause.CURSOR, "cursor", "shown", "comparison")

    def move_by(self, steps: int) -> None:
        """``steps`` checkpoints later (negative: earlier)."""
        self.move_to(self.stop_index() + steps)

    def move_to_position(self, position: float) -> None:
        """The last checkpoint at or before ``position`` (epochs); at or past the live end, now."""
        if position >= self.live_position or not len(self.history):
            self.move_to(None)
        else:
            self.move_to(self.history.index_at(position))

    def move_by_epochs(self, direction: int) -> None:
        """To the end of the next (+1) or the previous (-1) epoch from the cursor."""
        position = self.position
        target = math.floor(position + 1e-9) + 1 if direction > 0 else math.ceil(position - 1e-9) - 1
        self.move_to_position(max(target, 0))

    def branch_here(self) -> None:
        """Make the checkpoint on show the network as it is now: the run's later record is dropped
        (in memory; a file on disk changes only when saved)."""
        if self.cursor is None:
            return
        self.network.params[:] = self._checkpoint.params
        self.history = self.history.truncated(self.cursor)
        self.cursor, self._checkpoint = None, None
        self.trainer_state = None  # the trainer continues from this checkpoint, not where it stopped
        self.epochs_done = int(math.floor(self.history.end + 1e-9))
        last = self.history.epochs[-1] if self.history.epochs else None
        for key in ("training_cost", "validation_accuracy", "test_accuracy"):
            self.metadata.pop(key, None)
        self.metadata["epochs_trained"] = self.epochs_done
        if last is not None:
            self.metadata.update(training_cost=last.training_cost, validation_accuracy=last.validation_accuracy,
                                 test_accuracy=last.test_accuracy)
        self.progress = None
        self.recent_params.clear()
        self.answers.forget()
        self.dirty = True
        self._emit(Cause.BRANCH, "history", "cursor", "params", "shown", "progress", "epoch", "trainer_state", "file")
