"""Training in a process of its own, steered through a pipe by the window.

Why a process and not a thread: the trainer and the window's drawing are both Python, and in one
process they take turns under the interpreter's lock, so the window's every redraw is time the
trainer stands still and every mini-batch is time the window cannot answer. In a process of its
own the trainer has a core and a lock to itself (docs/performance.md has the figures).

Run as ``python -m nnviz.core.worker FD`` with FD one end of a socket pair; the window
(``app/training_controller.py``) holds the other. Messages are tuples, sent as ``pipe.py`` says:

window → worker
    ("dataset", Dataset)                     the dataset the next attaches train on
    ("attach", generation, Attach)           train this network from now on (replaces any other)
    ("command", mode, budget, stop_at, n)    a Mode: run, a number of mini-batches, an epoch, idle;
                                             n numbers the window's commands
    ("options", TrainingOptions)             η, mini-batch size and momentum from the next mini-batch
    ("max_rate", float | None)               mini-batches a second at most
    ("detail", bool)                         whether snapshots carry the last step's StepDetail
    ("ack",)                                 the window has handled one snapshot
    ("detach",) / ("quit",)                  forget the network / end the process
worker → window
    ("snapshot", generation, TrainingSnapshot)   with ``history`` a HistoryDelta since the last one
    ("failed", generation, message, dropped)     one line for the person; the worker is idle, and
                                                 without a network when ``dropped``

Every message the worker sends carries the generation of the attach it belongs to, so that the
window can drop what was under way when it attached another network. At most ``CREDIT``
snapshots are in flight: the worker sends the next only when the window has handled one, so a
busy window gets fewer, fresher snapshots instead of a queue of stale ones. A big snapshot (a
whole record) may make the worker wait until the window reads; the window never waits on the
pipe, so the pair cannot deadlock. A snapshot names the last command the worker had read when it
was sent, so that the window can tell "stopped" from "stopped, and since asked to go on".
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from .data import Dataset
from .errors import TrainingDiverged, one_line
from .history import HistoryDelta, HistoryMark, RunHistory
from .network import Network
from .options import TrainerState, TrainingOptions
from .pipe import BlockingEnd, serve_the_window
from .training import BatchDone, EpochDone, Trainer

#: Seconds between snapshots while training at full speed.
SNAPSHOT_INTERVAL = 0.05
#: A StepDetail's cost after the step is computed this many examples at a time.
DETAIL_CHUNK = 4096
#: Snapshots sent and not yet handled by the window, at most.
CREDIT = 2
#: While training, the pipe is looked at every this many seconds (a look is a system call, a
#: sizeable share of a mini-batch of 10): a pause is answered within about a millisecond.
READ_INTERVAL = 0.001


class Mode(StrEnum):
    """What the worker is asked to do; equal to the window's TrainingMode of the same name."""

    IDLE = "idle"
    RUNNING = "running"  # until paused, ``stop_at`` epochs are done or the schedule ends the run
    BATCHES = "batches"  # a number of mini-batches, then idle
    EPOCH = "epoch"      # to the end of the current epoch, then idle


@dataclass(frozen=True)
class Attach:
    """Everything a worker needs to train ``network`` as the window would."""

    network: Network
    options: TrainingOptions
    epochs_done: int = 0
    max_rate: float | None = None
    history: RunHistory | None = None
    state: TrainerState | None = None
    mask: np.ndarray | None = None


@dataclass(frozen=True)
class StepDetail:
    """One SGD step, for drawing it on the network: the mini-batch and what the step changed.

    ``indices`` (m,) index the training split's examples of the mini-batch, in the order learned
    from; ``cost_before`` is its mean cost before the step (the BatchDone's cost) and
    ``cost_after`` after it (one more forward pass of the mini-batch). ``params_before`` are the
    parameters before the step and ``change`` what the step added to them (after - before, weight
    decay's shrink included), both laid out as ``Network.params``.
    """

    epoch: int
    batch: int
    indices: np.ndarray
    cost_before: float
    cost_after: float
    params_before: np.ndarray
    change: np.ndarray


def step_detail(trainer: Trainer, event: BatchDone, params_before: np.ndarray) -> StepDetail:
    """The StepDetail of the step ``event`` reports, just taken by ``trainer`` from ``params_before``."""
    indices = trainer.batch_indices(event)
    network, train = trainer.network, trainer.dataset.train
    total = 0.0
    # A few thousand at a time: a mini-batch may be the whole training set.
    for part in np.array_split(indices, -(-len(indices) // DETAIL_CHUNK)):
        total += network.cost_of(train.inputs(part, network.dtype), train.labels[part]) * len(part)
    return StepDetail(event.epoch, event.batch, indices, event.cost, total / len(indices), params_before,
                      network.params - params_before)


@dataclass(frozen=True)
class TrainingSnapshot:
    """A copy of the network and where training stands."""

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
    state: str = Mode.IDLE
    #: The run's record: what is new since the previous snapshot (a HistoryDelta) on the wire,
    #: the whole record (a RunHistory) once the window has added it to what it had.
    history: HistoryDelta | RunHistory | None = None
    #: How to continue the run exactly; only in snapshots sent when training stopped.
    trainer_state: TrainerState | None = None
    #: The number of the last command the worker had read.
    command: int = 0
    #: The last step, while the window asks for details (("detail", True)); None otherwise.
    detail: StepDetail | None = None


def starting_history(network: Network, history: RunHistory | None, epochs_done: int) -> RunHistory | None:
    """The record a run continues: ``history``, or for a network trained elsewhere without one,
    a record that starts where it stands (None: the trainer starts a new one)."""
    if (history is None or not len(history)) and epochs_done:
        return RunHistory(checkpoint_positions=[float(epochs_done)], checkpoints=[network.params])
    return history


def make_trainer(dataset: Dataset, attach: Attach) -> Trainer:
    """The trainer that continues ``attach``'s run: exactly, when it carries a trainer state."""
    history = attach.history
    if attach.state is not None and history is not None and len(history):
        return Trainer.resume(attach.network, dataset, attach.options, attach.state, history, mask=attach.mask)
    return Trainer.from_options(attach.network, dataset, attach.options,
                                history=starting_history(attach.network, history, attach.epochs_done), mask=attach.mask)


class Worker:
    """The loop of a training process: messages in between any two mini-batches."""

    def __init__(self, connection: BlockingEnd):
        self._connection = connection
        self._dataset: Dataset | None = None
        self._trainer: Trainer | None = None
        self._generation = 0
        self._credit = CREDIT
        self._quit = False
        self._last_read = 0.0
        self._command = 0
        self._detail = False
        self._forget()

    def _forget(self) -> None:
        """No network: nothing to train or to send."""
        self._trainer = None
        self._mode = self._state = Mode.IDLE
        self._budget = 0
        self._stop_at: int | None = None
        self._max_rate: float | None = None
        self._options: TrainingOptions | None = None
        self._batches_done = 0
        self._costs: list[float] = []
        self._report: EpochDone | None = None
        self._last: BatchDone | None = None
        self._due = False  # a snapshot to send as soon as there is credit
        self._last_sent = 0.0
        self._history: RunHistory | None = None  # the record the mark below belongs to
        self._mark: HistoryMark | None = None
        self._step_detail: StepDetail | None = None

    # -- the loop ---------------------------------------------------------------------------------

    def serve(self) -> None:
        while not self._quit:
            # Nothing to do but wait for the window: no network, or stopped with nothing to send
            # that can be sent (a due snapshot waits for the window's ack).
            waiting = self._trainer is None or (self._mode == Mode.IDLE and (
                self._credit <= 0 or (self._state == Mode.IDLE and not self._due)))
            now = time.monotonic()
            if waiting or now - self._last_read >= READ_INTERVAL:
                self._last_read = now
                self._read(block=waiting)
            if self._quit or self._trainer is None:
                continue
            if self._mode == Mode.IDLE:
                if self._state != Mode.IDLE:  # paused: the window gets where the run stands
                    self._due = True
                self._send_due()
                continue
            self._state = self._mode
            self._train_one()

    def _train_one(self) -> None:
        started = time.monotonic()
        trainer = self._trainer
        # Only in detail mode: the copy and the extra forward pass would slow every full-speed step.
        before = trainer.network.params.copy() if self._detail else None
        try:
            event = next(trainer.events())
        except TrainingDiverged as error:
            self._mode = Mode.IDLE
            # The epoch starts again: what was counted of its broken part is no longer so.
            self._last, self._costs = None, []
            self._send(("failed", self._generation, str(error), False))
            return
        if before is not None and isinstance(event, BatchDone):
            self._step_detail = step_detail(trainer, event, before)
        if self._account(event) or started - self._last_sent >= SNAPSHOT_INTERVAL:
            self._due = True
        self._send_due()
        if self._max_rate:
            self._wait(started + 1.0 / self._max_rate)

    def _account(self, event: BatchDone | EpochDone) -> bool:
        """Book the event; True when the window must see it at once."""
        if isinstance(event, BatchDone):
            self._batches_done += 1
            self._costs.append(event.cost)
            self._last = event
            if self._mode == Mode.BATCHES:
                self._budget -= 1
                if self._budget <= 0:
                    self._mode = Mode.IDLE
                    return True
            return bool(self._max_rate and self._max_rate <= 1 / SNAPSHOT_INTERVAL)
        self._report = event
        if self._mode == Mode.EPOCH or event.schedule_ended or (
                self._mode == Mode.RUNNING and self._stop_at and event.epoch >= self._stop_at):
            self._mode = Mode.IDLE
        return True

    def _wait(self, until: float) -> None:
        """Sleep until ``until`` (monotonic), reading messages meanwhile: a pause or quit cuts it short."""
        while not self._quit and self._mode != Mode.IDLE and self._trainer is not None:
            left = until - time.monotonic()
            if left <= 0 or not self._connection.poll(left):
                return
            self._read(block=False)

    # -- messages ---------------------------------------------------------------------------------

    def _read(self, block: bool) -> None:
        self._connection.read(self._handle, block, self._quitting)

    def _quitting(self) -> bool:
        return self._quit

    def _handle(self, message: tuple) -> None:
        kind = message[0]
        if kind == "ack":
            self._credit += 1
        elif kind == "command":
            if self._trainer is not None:
                _, mode, budget, stop_at, self._command = message
                self._mode, self._budget = Mode(mode), budget
                if self._mode == Mode.RUNNING:
                    self._stop_at = stop_at
        elif kind == "options":
            self._set_options(message[1])
        elif kind == "max_rate":
            self._max_rate = message[1]
        elif kind == "detail":
            self._detail = bool(message[1])
            if not self._detail:
                self._step_detail = None
        elif kind == "attach":
            self._attach(message[1], message[2])
        elif kind == "dataset":
            self._dataset = message[1]
        elif kind == "detach":
            self._forget()
        elif kind == "quit":
            self._quit = True
        else:
            raise ValueError(f"unknown message {kind!r}")

    def _attach(self, generation: int, attach: Attach) -> None:
        self._forget()
        self._generation = generation
        # The window holds the history it sent: from now on it gets what is new, counted from
        # before the trainer adds to it (a new run's first checkpoint).
        self._history = attach.history
        self._mark = attach.history.mark() if attach.history is not None else None
        try:
            if self._dataset is None:
                raise ValueError("no dataset was sent before the network")
            self._trainer = make_trainer(self._dataset, attach)
        except ValueError as error:
            self._send(("failed", generation, one_line(f"Training cannot start: {error}"), True))
            return
        self._max_rate = attach.max_rate
        self._stop_at = attach.options.epochs

    def _set_options(self, options: TrainingOptions) -> None:
        # The seed only matters to a new run; otherwise η is the run's own until the person
        # changes it (its schedule may have changed it).
        if self._trainer is not None:
            self._trainer.learning_rate = options.learning_rate
            self._trainer.batch_size = options.batch_size
            self._trainer.momentum = options.momentum

    def _send_due(self) -> None:
        if not self._due or self._credit <= 0:
            return
        trainer, last = self._trainer, self._last
        history = trainer.history
        mark = self._mark if history is self._history else None  # cut since (a divergence): all of it
        stopped = self._mode == Mode.IDLE
        snapshot = TrainingSnapshot(
            params=trainer.network.params.copy(),
            epoch=last.epoch if last else trainer.epochs_done,
            batch=last.batch if last else 0,
            batches_per_epoch=last.batches_per_epoch if last else 0,
            batches_done=self._batches_done,
            running_cost=last.running_cost if last else float("nan"),
            learning_rate=trainer.learning_rate,
            batch_costs=np.array(self._costs),
            report=self._report,
            state=str(self._mode),
            history=history.since(mark),
            trainer_state=trainer.state() if stopped else None,
            command=self._command,
            detail=self._step_detail,
        )
        self._send(("snapshot", self._generation, snapshot))
        self._credit -= 1
        self._due = False
        self._last_sent = time.monotonic()
        self._costs, self._report = [], None
        self._history, self._mark = history, history.mark()
        if stopped:
            self._state = Mode.IDLE

    def _send(self, message: tuple) -> None:
        self._connection.send(message)


def main(argv: list[str] | None = None) -> int:
    return serve_the_window(_serve, _failure, argv)


def _serve(connection: BlockingEnd) -> None:
    Worker(connection).serve()


def _failure(line: str) -> tuple:
    return ("failed", -1, line, True)  # the worker has no network now


if __name__ == "__main__":
    # Through the module's own name, so that what it pickles names nnviz.core.worker, not __main__.
    from nnviz.core.worker import main as worker_main

    sys.exit(worker_main())
