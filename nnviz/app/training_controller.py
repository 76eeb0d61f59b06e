"""Training in a worker thread, steered from the window.

The worker owns the live network and its Trainer; the window only ever sees copies
(``TrainingSnapshot``), sent at most every ``SNAPSHOT_INTERVAL`` seconds and whenever training
stops, so the view never reads an array the trainer is writing. Commands go the other way
through a condition variable, checked between any two mini-batches: pause, resume and quit
answer within one mini-batch.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
from PySide6 import QtCore

from ..core.data import Dataset
from ..core.errors import TrainingDiverged
from ..core.network import Network
from ..core.history import RunHistory
from ..core.training import BatchDone, EpochDone, Trainer, TrainerState
from ..model.options import TrainingOptions
from ..model.window_model import TrainingMode

SNAPSHOT_INTERVAL = 0.05
# Short names for the modes; they compare equal to their strings ("idle", ...).
IDLE, RUNNING, BATCHES, EPOCH = TrainingMode.IDLE, TrainingMode.RUNNING, TrainingMode.BATCHES, TrainingMode.EPOCH


@dataclass(frozen=True)
class TrainingSnapshot:
    """A copy of the network and where training stands; safe to keep in the GUI thread."""

    params: np.ndarray
    epoch: int
    batch: int
    batches_per_epoch: int
    batches_done: int
    running_cost: float
    learning_rate: float
    #: Each mini-batch's cost since the previous snapshot, for the per-mini-batch plot.
    batch_costs: np.ndarray
    #: The report of an epoch that ended since the previous snapshot.
    report: EpochDone | None = None
    state: TrainingMode = IDLE
    #: The run's record so far (a copy sharing the immutable checkpoints).
    history: RunHistory | None = None
    #: How to continue the run exactly; only in snapshots sent when training stopped.
    trainer_state: TrainerState | None = None


class TrainingWorker(QtCore.QObject):
    """Runs the trainer's loop in its thread (``run``); the other methods are thread-safe."""

    progressed = QtCore.Signal(object)
    failed = QtCore.Signal(str)
    state_changed = QtCore.Signal(object)  # a TrainingMode
    finished = QtCore.Signal()

    def __init__(self, network: Network, dataset: Dataset, options: TrainingOptions, epochs_done: int = 0,
                 max_rate: float | None = None, history: RunHistory | None = None, state: TrainerState | None = None,
                 mask: np.ndarray | None = None):
        super().__init__()
        self._network = network
        if state is not None and history is not None and len(history):
            # the same run, continued exactly where the file left it
            self._trainer = Trainer.resume(network, dataset, options, state, history, mask=mask)
        else:
            if (history is None or not len(history)) and epochs_done:
                # A network trained elsewhere without a record: its record starts where it stands.
                history = RunHistory(checkpoint_positions=[float(epochs_done)], checkpoints=[network.params])
            self._trainer = Trainer.from_options(network, dataset, options, history=history, mask=mask)
        self._options_changed = False
        self._options = options
        #: Mini-batches per second at most; None for as fast as possible.
        self._max_rate = max_rate
        #: RUNNING stops once this many epochs are done in all (None: until paused).
        self._stop_at: int | None = options.epochs
        self._condition = threading.Condition()
        self._mode = IDLE
        self._budget = 0
        self._quit = False
        self._batches_done = 0
        self._costs: list[float] = []
        self._report: EpochDone | None = None
        self._last: BatchDone | None = None

    # -- commands (any thread) ------------------------------------------------------------------

    def command(self, mode: TrainingMode, budget: int = 0, stop_at: int | None = None) -> None:
        with self._condition:
            self._mode, self._budget = mode, budget
            if mode == RUNNING:
                self._stop_at = stop_at
            self._condition.notify_all()

    def set_options(self, options: TrainingOptions) -> None:
        """Applies from the next mini-batch (the seed only to a new worker)."""
        with self._condition:
            self._options = options
            self._options_changed = True
            self._condition.notify_all()

    def set_max_rate(self, max_rate: float | None) -> None:
        with self._condition:
            self._max_rate = max_rate
            self._condition.notify_all()

    def quit(self) -> None:
        with self._condition:
            self._quit = True
            self._condition.notify_all()

    # -- the loop (worker thread) ------------------------------------------------------------------

    @QtCore.Slot()
    def run(self) -> None:
        last_emit = 0.0
        state = IDLE
        while True:
            with self._condition:
                if self._mode == IDLE and state != IDLE:
                    state = IDLE
                    self._emit(IDLE)
                    last_emit = time.monotonic()
                while not self._quit and self._mode == IDLE:
                    self._condition.wait()
                if self._quit:
                    break
                mode = self._mode
                options = self._options
                max_rate = self._max_rate
                if self._options_changed:  # otherwise η is the run's own (its schedule may have changed it)
                    self._trainer.learning_rate = options.learning_rate
                    self._trainer.batch_size = options.batch_size
                    self._trainer.momentum = options.momentum
                    self._options_changed = False
            if state != mode:
                state = mode
                self.state_changed.emit(mode)
            started = time.monotonic()
            try:
                event = next(self._trainer.events())
            except TrainingDiverged as error:
                self._stop()
                self.failed.emit(str(error))
                continue
            force = self._account(event, mode, max_rate)
            now = time.monotonic()
            if force or now - last_emit >= SNAPSHOT_INTERVAL:
                self._emit(self._mode)
                last_emit = now
            if max_rate:
                self._pause_for(started + 1.0 / max_rate - time.monotonic())
        self._emit(IDLE)
        self.finished.emit()

    def _account(self, event, mode: TrainingMode, max_rate: float | None) -> bool:
        """Book the event; returns True when the window must see it at once."""
        if isinstance(event, BatchDone):
            self._batches_done += 1
            self._costs.append(event.cost)
            self._last = event
            if mode == BATCHES:
                with self._condition:
                    self._budget -= 1
                    if self._budget <= 0 and self._mode == BATCHES:
                        self._mode = IDLE
                        return True
            return bool(max_rate and max_rate <= 1 / SNAPSHOT_INTERVAL)
        self._report = event
        with self._condition:
            if self._mode == EPOCH or (self._mode == RUNNING and self._stop_at and event.epoch >= self._stop_at):
                self._mode = IDLE
        return True

    def _stop(self) -> None:
        with self._condition:
            self._mode = IDLE

    def _pause_for(self, seconds: float) -> None:
        # Waiting on the condition, not sleeping, so that pause and quit cut a slow step short.
        if seconds > 0:
            with self._condition:
                self._condition.wait_for(lambda: self._quit or self._mode == IDLE, timeout=seconds)

    def _emit(self, state: TrainingMode) -> None:
        last = self._last
        self.progressed.emit(
            TrainingSnapshot(
                params=self._network.params.copy(),
                epoch=last.epoch if last else self._trainer.epochs_done,
                batch=last.batch if last else 0,
                batches_per_epoch=last.batches_per_epoch if last else 0,
                batches_done=self._batches_done,
                running_cost=last.running_cost if last else float("nan"),
                learning_rate=self._trainer.learning_rate,
                batch_costs=np.array(self._costs),
                report=self._report,
                state=state,
                history=self._trainer.history.copy(),
                trainer_state=self._trainer.state() if state == IDLE else None,
            )
        )
        self._costs = []
        self._report = None


#: Workers asked to stop whose threads had not ended yet, kept alive until they do.
_STOPPING: set = set()


def _forget_stopped(pair) -> None:
    _STOPPING.discard(pair)
    for item in pair:
        item.deleteLater()


class TrainingController(QtCore.QObject):
    """Owns the worker thread for one network; the window talks to this, never to the thread."""

    progressed = QtCore.Signal(object)
    failed = QtCore.Signal(str)
    state_changed = QtCore.Signal(object)  # a TrainingMode

    def __init__(self, parent=None):
        super().__init__(parent)
        self._thread: QtCore.QThread | None = None
        self._worker: TrainingWorker | None = None
        self.state = IDLE

    @property
    def attached(self) -> bool:
        return self._worker is not None

    def attach(self, network: Network, dataset: Dataset, options: TrainingOptions, epochs_done: int = 0,
               max_rate: float | None = None, history: RunHistory | None = None,
               state: TrainerState | None = None, mask: np.ndarray | None = None) -> None:
        """Train a copy of ``network`` from now on (any previous worker is shut down first);
        ``mask`` holds parameters at 0 (Trainer's ``mask``)."""
        self.shutdown()
        self._thread = QtCore.QThread()
        self._thread.setObjectName("nnviz-training")
        self._worker = TrainingWorker(network.copy(), dataset, options, epochs_done, max_rate,
                                      history.copy() if history is not None else None, state, mask)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        # Direct: the GUI thread may be blocked in shutdown()'s wait() when this fires.
        self._worker.finished.connect(self._thread.quit, QtCore.Qt.ConnectionType.DirectConnection)
        self._worker.progressed.connect(self._on_progressed)
        self._worker.failed.connect(self.failed)
        self._worker.state_changed.connect(self._on_state_changed)
        self._thread.start()

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
        if self._worker is not None:
            self._worker.set_options(options)

    def set_max_rate(self, max_rate: float | None) -> None:
        if self._worker is not None:
            self._worker.set_max_rate(max_rate)

    def shutdown(self, timeout_ms: int = 3000) -> bool:
        """Stop the worker and wait for its thread; True if it ended in time."""
        if self._worker is None:
            return True
        worker, thread = self._worker, self._thread
        self._worker = self._thread = None
        worker.progressed.disconnect(self._on_progressed)
        worker.quit()
        thread.quit()  # leaves the thread's event loop as soon as run() returns
        ended = thread.wait(timeout_ms)
        if ended:
            worker.deleteLater()
            thread.deleteLater()
        else:
            # Still inside a mini-batch or an evaluation (a loaded machine): deleting either now
            # would pull them from under the running thread. Keep both until the thread ends.
            _STOPPING.add((worker, thread))
            thread.finished.connect(lambda pair=(worker, thread): _forget_stopped(pair))
        self._set_state(IDLE)
        return ended

    def _command(self, mode: TrainingMode, budget: int = 0, stop_at: int | None = None) -> None:
        if self._worker is not None:
            self._worker.command(mode, budget, stop_at)
            if mode == IDLE:
                self._set_state(IDLE)

    @QtCore.Slot(object)
    def _on_progressed(self, snapshot: TrainingSnapshot) -> None:
        if self.sender() is not self._worker:
            return  # queued before a shutdown: that network is no longer the one on show
        self.progressed.emit(snapshot)
        if snapshot.state == IDLE:
            self._set_state(IDLE)

    @QtCore.Slot(object)
    def _on_state_changed(self, state: TrainingMode) -> None:
        self._set_state(state)

    def _set_state(self, state: TrainingMode) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
