"""The window's side of training: commands to the worker, its snapshots into the model.

A mixin of ``MainWindow``. The worker owns the live network and sends copies
(``TrainingSnapshot``); each becomes a change of the model, and the views follow at a pace
the GUI thread can keep.
"""

from __future__ import annotations

import time

from PySide6 import QtCore

from ...model import Progress, TrainingMode
from ...model.pacing import Pacer, Redraw
from ..training.controller import TrainingSnapshot

#: Slowed down to SLOW_RATE mini-batches a second or fewer, every nudge is drawn whole; faster,
#: the pacer (pacing.py) chooses what each snapshot redraws from what redraws have cost.
SLOW_RATE = 25


class TrainingWiring:
    """Train/Pause, 1 mini-batch, 1 epoch; snapshots into the model; mixed into MainWindow."""

    def _connect_training(self) -> None:
        # What each training snapshot redraws; _plan is the plan of the snapshot being handled,
        # None outside one.
        self.pacer = Pacer()
        self._plan: frozenset[Redraw] | None = None
        self._weights_seconds = 0.0
        self._plots_timer = self._next_turn(lambda: self._redraw_plots(not self._slow()))
        self._accuracy_timer = self._next_turn(lambda: self.plots.refresh_accuracy())
        self.controls.run_toggled.connect(self._on_run_toggled)
        self.controls.step_batch_requested.connect(lambda: self._step(lambda: self.controller.step_batches(1)))
        self.controls.step_epoch_requested.connect(lambda: self._step(self.controller.step_epoch))
        self.controls.new_network_requested.connect(self.new_network)
        self.controls.options_changed.connect(self._set_options_from_controls)
        self.controls.max_rate_changed.connect(self.controller.set_max_rate)
        self.controller.progressed.connect(self._on_progressed)
        self.controller.failed.connect(self._on_failed)
        self.controller.state_changed.connect(self.model.set_mode)
        self.controller.state_changed.connect(self._on_training_state)
        self.network_view.edges_redrawn.connect(self._on_edges_redrawn)

    def _next_turn(self, work) -> QtCore.QTimer:
        """A timer that runs ``work`` in a turn of the event loop of its own once started. A timer,
        not singleShot(0): that is a posted call, run in the same batch of posted events as the
        snapshot's own repaints, which is the pile-up it is meant to avoid."""
        timer = QtCore.QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(1)
        timer.timeout.connect(work)
        return timer

    def _ensure_trainer(self) -> None:
        if not self.controller.attached:
            self.controller.attach(self.network, self.dataset, self.model.options, self.epochs_done,
                                   self.controls.max_rate(), self.model.history, self.model.trainer_state,
                                   mask=getattr(self, "_training_mask", None))

    def _on_run_toggled(self, run: bool) -> None:
        if run:
            if not self._confirm_branch() or not self._confirm_edits():
                self.controls.set_running(False)
                return
            self.timeline.stop_replay()
            self._ensure_trainer()
            self.controller.start(self.model.epoch_target())
        else:
            self.controller.pause()

    def _step(self, command) -> None:
        if not self._confirm_branch() or not self._confirm_edits():
            return
        self.timeline.stop_replay()
        self._ensure_trainer()
        command()

    def _slow(self) -> bool:
        rate = self.controls.max_rate()
        return rate is not None and rate <= SLOW_RATE

    @QtCore.Slot(object)
    def _on_progressed(self, snapshot: TrainingSnapshot) -> None:
        stopped = snapshot.state == TrainingMode.IDLE
        plan = self.pacer.plan(time.monotonic(), every=stopped or self._slow())
        if snapshot.report is not None:
            plan |= {Redraw.READOUT}  # a finished epoch's numbers are never held back
        # The model's events below reach _on_params and _on_progress, which draw what the plan
        # holds; any other change of the model (a timeline move, a new network) draws everything.
        self._plan = plan
        try:
            self._take_snapshot(snapshot, stopped)
        finally:
            self._plan = None
        if Redraw.PLOTS in plan:
            if stopped:
                self._redraw_plots(True, stopped=True)
            else:  # a turn of the event loop of its own: the snapshot's redraws are painted first
                self._plots_timer.start()
        if stopped:
            self._update_timeline(force=True)

    def _on_training_state(self, state) -> None:
        # Training can end with no snapshot to say so (its process died, or the window moved on):
        # the plots then show all they have, with their cursor.
        if state == TrainingMode.IDLE:
            self.plots.flush()
            self.show_plot_cursors()

    def _redraw_plots(self, force: bool, stopped: bool = False) -> None:
        start = time.perf_counter()
        self.show_plot_cursors()
        # Paced, the pacer has waited already; drawing every snapshot, the panel's own interval
        # holds. While training, the accuracy plot (new points only at an epoch's end) gets a
        # turn of the event loop of its own after the cost plot's.
        if self.plots.refresh(force=force, accuracy=stopped):
            # new data now, and the plots' last repaint (this one's comes after)
            self.pacer.measured(Redraw.PLOTS, time.perf_counter() - start + self.plots.last_paint_seconds)
            if not stopped and self.plots.accuracy_stale:
                self._accuracy_timer.start()

    def _take_snapshot(self, snapshot: TrainingSnapshot, stopped: bool) -> None:
        if snapshot.history is not None:
            self.model.set_history(snapshot.history)
        # None while running: a save then must not pair this network with an older stop's state.
        self.model.trainer_state = snapshot.trainer_state
        if stopped:
            self.plots.flush()
            self.model.set_mode(TrainingMode.IDLE)
        self._frame_had_edges = False  # compare.py's second picture follows the first one's edges
        self._recent_params.append(self.network.params.copy())
        self.model.set_params(snapshot.params, dirty=bool(snapshot.batches_done))
        if self.bottom.currentWidget() is self.landscape and (not self.landscape.busy() or stopped):
            self._update_landscape()
        if snapshot.batches_done and not self.isWindowModified():
            self.setWindowModified(True)
        if stopped and self._weights_stale and not self.stepping:
            self._show_weights()
        report = snapshot.report
        if report is not None:
            self.model.end_epoch(report.epoch, report.training_cost, report.validation_accuracy, report.test_accuracy)
        if snapshot.batches_per_epoch:
            self.model.set_progress(Progress(snapshot.epoch, snapshot.batch, snapshot.batches_per_epoch,
                                             snapshot.running_cost))

    def _due(self, kind: Redraw) -> bool:
        """Whether the snapshot being handled redraws ``kind`` (outside a snapshot: always)."""
        return self._plan is None or kind in self._plan

    def _on_edges_redrawn(self) -> None:
        # What new weights cost the GUI thread: preparing them (binning, the weight pictures),
        # counted once, and drawing the picture in slices (a re-zoom costs only the latter).
        self.pacer.measured(Redraw.EDGES, self.network_view.edges.last_seconds + self._weights_seconds)
        self._weights_seconds = 0.0

    def _on_failed(self, message: str) -> None:
        self.show_error("Training stopped", message)
