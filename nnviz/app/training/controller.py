"""Training in a process of its own (``core/worker.py``), steered from the window.

The worker process owns the live network and its Trainer; the window only ever sees copies
(``TrainingSnapshot``), sent at most every ``SNAPSHOT_INTERVAL`` seconds, whenever training stops,
and never more than the window has handled (see the worker's module for the messages). The
process starts with the first network trained and serves every later one; the pipe is read
in the GUI thread when it has something (a QSocketNotifier), so the window needs no thread.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6 import QtCore

import nnviz

from ...core.data import Dataset
from ...core.errors import one_line
from ...core.history import RunHistory
from ...core.network import Network
from ...core.pipe import NonBlockingEnd
from ...core.training import TrainerState
from ...core.worker import SNAPSHOT_INTERVAL, Attach, TrainingSnapshot
from ...core.options import TrainingOptions
from ...model.window_model import TrainingMode

__all__ = ["SNAPSHOT_INTERVAL", "TrainingController", "TrainingSnapshot"]

# Short names for the modes; they compare equal to their strings ("idle", ...).
IDLE, RUNNING, BATCHES, EPOCH = TrainingMode.IDLE, TrainingMode.RUNNING, TrainingMode.BATCHES, TrainingMode.EPOCH


class TrainingController(QtCore.QObject):
    """The window's handle on the training process: commands in, snapshots out as signals."""

    progressed = QtCore.Signal(object)  # a TrainingSnapshot, its history the whole record
    failed = QtCore.Signal(str)
    state_changed = QtCore.Signal(object)  # a TrainingMode

    def __init__(self, parent=None):
        super().__init__(parent)
        self._process: subprocess.Popen | None = None
        self._pipe: NonBlockingEnd | None = None
        self._readable: QtCore.QSocketNotifier | None = None
        self._writable: QtCore.QSocketNotifier | None = None
        self._sent_dataset: Dataset | None = None
        #: Which attach the snapshots now arriving must belong to; older ones are dropped.
        self._generation = 0
        self._attached = False
        #: The record as the window knows it; each snapshot's news is added to it.
        self._history: RunHistory | None = None
        self.state = IDLE
        #: Commands sent so far (their numbers).
        self._commands = 0
        #: Whether snapshots carry the last step's details (slow motion), for every process started.
        self._detail = False
        #: What reads the pipe (None: ``_on_readable``); a benchmark times the reading with it.
        self._notifier_slot = None

    @property
    def attached(self) -> bool:
        return self._attached

    # -- commands ---------------------------------------------------------------------------------

    def attach(self, network: Network, dataset: Dataset, options: TrainingOptions, epochs_done: int = 0,
               max_rate: float | None = None, history: RunHistory | None = None,
               state: TrainerState | None = None, mask: np.ndarray | None = None) -> None:
        """Train a copy of ``network`` from now on (the previous one is forgotten first);
        ``mask`` holds parameters at 0 (Trainer's ``mask``). Raises ValueError when the network
        does not fit the dataset."""
        self.shutdown()
        misfit = dataset.misfit(network.sizes)
        if misfit:
            raise ValueError(misfit)
        if not self._start_process():
            return
        if dataset is not self._sent_dataset:
            self._send(("dataset", dataset))
            self._sent_dataset = dataset
        # What the window knows of the record; if the process starts another (a network trained
        # elsewhere, or none sent), its first snapshot carries it whole.
        self._history = history.copy() if history is not None else RunHistory()
        self._generation += 1
        self._attached = True
        # Copies: a message waits in the queue until the process takes it, and the window's own
        # network may change meanwhile.
        self._send(("attach", self._generation, Attach(network.copy(), options, epochs_done, max_rate, history, state,
                                                       None if mask is None else np.array(mask))))
        if self._detail:
            self._send(("detail", True))

    def start(self, stop_at: int | None = None) -> None:
        """Train until paused, or until ``stop_at`` epochs are done in all."""
        self._command(RUNNING, stop_at=stop_at)

    def pause(self) -> None:
        self._command(IDLE)

    def step_batches(self, n: int = 1) -> None:
        self._command(BATCHES, n)

    def step_epoch(self) -> None:
        self._command(EPOCH)

    def set_options(self, options: TrainingOptions) -> None:
        if self._attached:
            self._send(("options", options))

    def set_max_rate(self, max_rate: float | None) -> None:
        if self._attached:
            self._send(("max_rate", max_rate))

    def set_detail(self, on: bool) -> None:
        """Whether snapshots carry the last step's StepDetail (slow motion)."""
        self._detail = bool(on)
        if self._process is not None:
            self._send(("detail", self._detail))

    def shutdown(self, timeout_ms: int = 3000) -> bool:
        """Stop training the network on show and forget it; whatever it sends from now on is
        dropped. The process stays, ready for the next network. Returns True (kept for callers
        of the time training had a thread to wait for)."""
        if self._attached:
            self._attached = False
            self._generation += 1
            self._send(("detach",))
        self._set_state(IDLE)
        return True

    def close(self, timeout: float = 1.0) -> None:
        """End the training process (the window is closing); killed if it does not end in time."""
        self.shutdown()
        process = self._process
        if process is None:
            return
        self._send(("quit",))
        if self._pipe is not None and self._pipe.pending:  # a queue the process never took
            process.kill()
        self._drop_connection()
        self._process = None
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    @property
    def process_id(self) -> int | None:
        return self._process.pid if self._process is not None and self._process.poll() is None else None

    # -- the process ------------------------------------------------------------------------------

    def _start_process(self) -> bool:
        if self._process is not None and self._process.poll() is None and self._pipe is not None:
            return True
        self._drop_connection()
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        # The worker imports nnviz as this process does, installed or not.
        root = str(Path(nnviz.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        # One BLAS thread: the trainer's matrices are small, the window has the other core, and
        # BLAS threads waiting for a busy core made each product milliseconds long (batch 32 ran
        # 4x slower on a loaded 2-core machine; benchmarks/train_speed.py).
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(name, "1")
        try:
            with theirs:
                # A session of its own: Ctrl+C in the terminal is the window's to handle.
                self._process = subprocess.Popen(
                    [sys.executable, "-m", "nnviz.core.worker", str(theirs.fileno())],
                    pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        except OSError as error:
            ours.close()
            self._process = None
            self.failed.emit(one_line(f"Training cannot start: the training process did not start ({error})"))
            return False
        self._pipe = NonBlockingEnd(ours)
        self._sent_dataset = None
        Type = QtCore.QSocketNotifier.Type
        self._readable = QtCore.QSocketNotifier(self._pipe.fileno(), Type.Read, self)
        self._readable.activated.connect(self._notifier_slot or self._on_readable)
        self._writable = QtCore.QSocketNotifier(self._pipe.fileno(), Type.Write, self)
        self._writable.setEnabled(False)
        self._writable.activated.connect(self._on_writable)
        return True

    def _drop_connection(self) -> None:
        for notifier in (self._readable, self._writable):
            if notifier is not None:
                notifier.setEnabled(False)
                notifier.deleteLater()
        self._readable = self._writable = None
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None

    def _send(self, message: tuple) -> None:
        """Queue ``message``; what the socket does not take now is written as it drains."""
        if self._pipe is None:
            return
        try:
            self._pipe.put(message)
        except OSError:
            self._lost()
            return
        self._writable.setEnabled(self._pipe.pending)

    @QtCore.Slot()
    def _on_writable(self) -> None:
        if self._pipe is None:
            return
        try:
            self._pipe.flush()
        except OSError:
            self._lost()
            return
        self._writable.setEnabled(self._pipe.pending)

    def _lost(self) -> None:
        """The process ended without being asked to: say so once, and start afresh next time."""
        attached = self._attached
        process, code = self._process, None
        if process is not None:  # reaped, not left a zombie
            try:
                code = process.wait(2)
            except subprocess.TimeoutExpired:  # its pipe closed, yet it runs on: it cannot be told anything
                process.kill()
                code = process.wait()
        self._drop_connection()
        self._process = None
        self._attached = False
        self._generation += 1
        self._set_state(IDLE)
        if attached:
            how = f" (exit code {code})" if code is not None else ""
            self.failed.emit(f"The training process ended unexpectedly{how}; the network shown is the last one it sent.")

    # -- what the process sends ---------------------------------------------------------------------

    @QtCore.Slot()
    def _on_readable(self) -> None:
        # One message a turn of the event loop, so that timers, input and paints get their turn
        # in between; the notifier fires again while the socket has more, and a message already
        # read gets a turn of its own.
        if self._pipe is None:
            return
        try:
            messages = self._pipe.take(limit=1)
        except (EOFError, OSError):
            self._lost()
            return
        for message in messages:
            self._handle(message)
        if self._pipe is not None and self._pipe.buffered:
            QtCore.QTimer.singleShot(0, self._notifier_slot or self._on_readable)

    def _handle(self, message: tuple) -> None:
        kind, generation = message[0], message[1]
        current = self._attached and generation == self._generation
        if kind == "snapshot":
            try:
                if current:
                    self._take(message[2])
            finally:
                self._send(("ack",))  # handled: the worker may send the next
        elif kind == "failed" and (current or generation == -1):
            if message[3]:  # the worker has no network now (it could not start one, or a bug ends it)
                self._attached = False
            self._set_state(IDLE)
            self.failed.emit(message[2])

    def _take(self, snapshot: TrainingSnapshot) -> None:
        if snapshot.history is not None:
            self._history = self._history.apply(snapshot.history)
        state = TrainingMode(snapshot.state)
        if state == IDLE and snapshot.command != self._commands:
            # Stopped before it read the window's latest command (Pause, then Train at once):
            # not where the run stands for the window, which has asked it to go on.
            state, trainer_state = self.state, None
        else:
            trainer_state = snapshot.trainer_state
        snapshot = replace(snapshot, state=state, history=self._history, trainer_state=trainer_state)
        self.progressed.emit(snapshot)
        if snapshot.state == IDLE:
            self._set_state(IDLE)

    def _command(self, mode: TrainingMode, budget: int = 0, stop_at: int | None = None) -> None:
        # The state is the one asked for from now on (the process may still be starting); it
        # becomes idle again with the snapshot that says training stopped.
        if self._attached:
            self._commands += 1
            self._send(("command", str(mode), budget, stop_at, self._commands))
            self._set_state(mode)

    def _set_state(self, state: TrainingMode) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
