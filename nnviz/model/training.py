"""Training as part of the window's state (no Qt): the options and speed, the mode, progress,
slow motion, the snapshots that come in from the training process, and the read-out.

A mixin of ``WindowModel``. Changes fire ``options``, ``architecture``, ``speed``,
``edge_fraction``, ``slow_motion``, ``mode``, ``trainer_state``, ``progress``, ``epoch`` and, with a
snapshot, ``params``/``shown``/``history``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from ..core.options import Architecture, TrainingOptions
from ..core.worker import TrainingSnapshot
from .causes import Cause
from .options import SLOW_MOTION_RATE, SPEEDS


class TrainingMode(StrEnum):
    """What the trainer is doing; a str, so that it prints and compares as its name."""

    IDLE = "idle"
    RUNNING = "running"  # until paused or the epoch target is reached
    BATCHES = "batches"  # a given number of mini-batches, then idle
    EPOCH = "epoch"      # to the end of the current epoch, then idle


@dataclass(frozen=True)
class Progress:
    """Where training stands; ``batch`` counts from 1 within ``epoch`` (which counts from 1)."""

    epoch: int
    batch: int
    batches_per_epoch: int
    running_cost: float = math.nan


class Training:
    """Training's state and its snapshots (``WindowModel`` holds the attributes these read)."""

    def set_options(self, options: TrainingOptions) -> None:
        if options != self.options:
            self.options = options
            self._emit(Cause.USER, "options")

    def set_architecture(self, architecture: Architecture) -> None:
        if architecture != self.architecture:
            self.architecture = architecture
            self._emit(Cause.USER, "architecture")

    def set_speed(self, speed: int) -> None:
        """The speed slider's position: an index into SPEEDS (the last is full speed)."""
        speed = int(min(max(speed, 0), len(SPEEDS) - 1))
        if speed != self.speed:
            self.speed = speed
            self._emit(Cause.USER, "speed")

    @property
    def max_rate(self) -> float | None:
        """Mini-batches a second at most; None for as fast as possible."""
        return SPEEDS[self.speed]

    def set_edge_fraction(self, fraction: float) -> None:
        fraction = float(min(max(fraction, 0.0), 1.0))
        if fraction != self.edge_fraction:
            self.edge_fraction = fraction
            self._emit(Cause.USER, "edge_fraction")

    def set_slow_motion(self, on: bool) -> None:
        """Slow motion: a step at a time (at most SLOW_MOTION_RATE a second), the network's edges
        coloured by how much each step changed them, the step's mini-batch and cost shown."""
        on = bool(on)
        if on == self.slow_motion:
            return
        self.slow_motion = on
        changed = ["slow_motion", "shown"]
        if on and (self.max_rate is None or self.max_rate > SLOW_MOTION_RATE):
            self.speed = SPEEDS.index(SLOW_MOTION_RATE)
            changed.append("speed")
        if not on:
            self.step_detail = None
        self._emit(Cause.USER, *changed)

    def edge_change(self) -> np.ndarray | None:
        """In slow motion, what the edges are coloured by: the change of the parameters (flat,
        like ``Network.params``) that led to the network on show — the last training step's, or
        from the checkpoint before the cursor's; None when there is none to show."""
        if not self.slow_motion:
            return None
        if self.cursor is None:
            if self.step_detail is not None:
                return self.step_detail.change
            if not len(self.history) or np.array_equal(self.history.parameters(len(self.history) - 1),
                                                       self.network.params):
                return self._checkpoint_change(len(self.history) - 1) if len(self.history) > 1 else None
            return self.network.params.astype(np.float64) - self.history.parameters(len(self.history) - 1)
        return self._checkpoint_change(self.cursor) if self.cursor > 0 else None

    def _checkpoint_change(self, i: int) -> np.ndarray:
        return (np.asarray(self.history.parameters(i), np.float64)
                - np.asarray(self.history.parameters(i - 1), np.float64))

    def set_mode(self, mode: TrainingMode) -> None:
        mode = TrainingMode(mode)
        if mode != self.mode:
            self.mode = mode
            changed = ["mode"]
            if mode != TrainingMode.IDLE and self.trainer_state is not None:
                self.trainer_state = None  # it describes where the trainer stopped, which it no longer is
                changed.append("trainer_state")
            self._emit(Cause.TRAINING, *changed)

    def set_trainer_state(self, state) -> None:
        if state is not self.trainer_state:
            self.trainer_state = state
            self._emit(Cause.USER, "trainer_state")

    def epoch_target(self) -> int:
        """The epoch Train stops at: Epochs in all; once that many are done, Epochs more."""
        epochs = self.options.epochs
        return epochs if self.epochs_done < epochs else self.epochs_done + epochs

    def set_progress(self, progress: Progress | None, cause: Cause = Cause.USER) -> None:
        if progress != self.progress:
            self.progress = progress
            self._emit(cause, "progress")

    def take_snapshot(self, snapshot: TrainingSnapshot) -> None:
        """What the training process sent: its parameters, the run's record (whole), where it
        stands, an epoch's report, and when it stopped, how to continue exactly."""
        changed = ["params", "shown", "progress", "trainer_state"]
        if snapshot.history is not None and snapshot.history is not self.history:
            self.history = snapshot.history
            changed.append("history")
        self.trainer_state = snapshot.trainer_state  # None while running: a save must not pair it with newer params
        self.recent_params.append(self.network.params.copy())
        self.step_detail = snapshot.detail if self.slow_motion else None
        self.network.params[:] = snapshot.params
        self.answers.forget()
        if self.comparison is not None:
            self.comparison.follow(self.position)
        report = snapshot.report
        if report is not None:
            self._end_epoch(report.epoch, report.training_cost, report.validation_accuracy, report.test_accuracy)
            changed.append("epoch")
        if snapshot.batches_per_epoch:
            self.progress = Progress(snapshot.epoch, snapshot.batch, snapshot.batches_per_epoch, snapshot.running_cost)
        if snapshot.batches_done and not self.dirty:
            self.dirty = True
            changed.append("file")
        self._emit(Cause.SNAPSHOT, *changed)

    def end_epoch(self, epoch: int, training_cost: float, validation_accuracy: float,
                  test_accuracy: float | None) -> None:
        """An epoch ended with these numbers (what a snapshot's report says)."""
        self._end_epoch(epoch, training_cost, validation_accuracy, test_accuracy)
        self._emit(Cause.SNAPSHOT, "epoch")

    def _end_epoch(self, epoch, training_cost, validation_accuracy, test_accuracy) -> None:
        self.epochs_done = epoch
        self.metadata.update(epochs_trained=epoch, training_cost=training_cost,
                             validation_accuracy=validation_accuracy, test_accuracy=test_accuracy)

    def readout(self) -> str:
        """One line of where the network stands, from the current numbers only."""
        parts = [f"{self.epochs_done} epoch{'s' if self.epochs_done != 1 else ''} trained"]
        if self.progress is not None and math.isfinite(self.progress.running_cost):
            # Three significant digits: a cost of 0.0095 is not "0.0095" but 0.00949.
            parts.append(f"cost {self.progress.running_cost:#.3g}")
        if self.metadata.get("validation_accuracy") is not None:
            parts.append(f"validation {self.metadata['validation_accuracy']:.2%}")
        if self.metadata.get("test_accuracy") is not None:
            parts.append(f"test {self.metadata['test_accuracy']:.2%}")
        return " · ".join(parts)

    def progress_text(self) -> tuple[int, int, str]:
        """(value, maximum, text) for a progress bar: the mini-batch in the epoch under way, or
        nothing under way yet."""
        p = self.progress
        if p is None or not p.batches_per_epoch:
            return 0, 1, f"{self.epochs_done} epoch{'s' if self.epochs_done != 1 else ''} trained"
        return p.batch, p.batches_per_epoch, f"epoch {p.epoch}: {p.batch:,} / {p.batches_per_epoch:,} mini-batches"

    def training_metadata(self) -> dict:
        """What a saved file says about the network besides its run and options (those have
        entries of their own in the file)."""
        info = {k: v for k, v in self.metadata.items()
                if k not in ("format", "version", "sizes", "activation", "cost", "created", "training", "history",
                             "state", "trainer_state")}
        info.setdefault("dataset", self.dataset.name)
        info["epochs_trained"] = self.epochs_done
        return info
