"""Training, from the window: Train/Pause and the single steps, the learning settings, the speed,
the epoch's progress and the read-out; the training process's snapshots become model changes.

The process trains its own copy of the network. Whenever the model says the live network changed
by anything but a snapshot (an edit, a step, a branch, another network), the copy is dropped
here, once, and the next Train starts from the model's network.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6 import QtCore

from ...core.formatting import schedule_end_text
from ...core.options import Architecture, TrainingOptions
from ...model import Cause, TrainingMode, WindowModel
from ...model.options import SLOW_RATE
from ...model.pacing import Redraw
from ..shell.actions import Actions
from ..shell.dialogs import Button, Dialogs
from ..shell.status import Lasting, Status
from ..training.controller import TrainingController, TrainingSnapshot
from ..views.controls import ControlsPanel
from ..views.toolbar import Readout, RunToolbar
from ..window.redraws import Redraws
from .base import Component


#: How long an interrupted window waits for training to stop before it saves what it has.
STOP_TIMEOUT_MS = 2000


class TrainingComponent(Component):
    def __init__(self, model: WindowModel, controls: ControlsPanel, toolbar: RunToolbar, readout: Readout,
                 controller: TrainingController, redraws: Redraws, actions: Actions, dialogs: Dialogs,
                 status: Status, parent: QtCore.QObject):
        super().__init__(model, parent)
        self.controls, self.toolbar, self.readout, self.controller = controls, toolbar, readout, controller
        self.redraws, self.dialogs, self.status = redraws, dialogs, status
        self._stopping: QtCore.QEventLoop | None = None
        self.run_action = actions.serve("train", self._on_run_triggered)
        actions.serve("step_batch", self._on_step_batch)
        actions.serve("step_epoch", self.step_epoch)
        actions.serve("slow_motion", self._on_slow_motion_triggered)
        controls.options_changed.connect(self._on_options_typed)
        controls.architecture_changed.connect(self._on_architecture_typed)
        controls.edge_fraction_changed.connect(self._on_edge_fraction_moved)
        controls.new_network_requested.connect(actions["new_network"].trigger)
        controls.show_new_network_tip(actions["new_network"].toolTip())
        toolbar.speed_moved.connect(self._on_speed_moved)
        controller.progressed.connect(self._on_snapshot)
        controller.failed.connect(self._on_failed)
        controller.state_changed.connect(self._on_process_state)
        self.follow(self._on_network_changed, "params", "network", "dataset")
        self.follow(self._show_mode, "mode", "lesson")
        self.follow(self._show_options, "options")
        self.follow(self._show_architecture, "architecture")
        self.follow(self._on_speed, "speed")
        self.follow(self._on_slow_motion, "slow_motion")
        self.follow(self._show_edge_fraction, "edge_fraction", "network", "dataset")
        self.follow(self._on_progress, "progress", "epoch", "network", "edits", "history")
        self._show_mode()
        self._show_options()
        self._show_architecture()
        self._on_speed()
        self._on_slow_motion()
        self._show_edge_fraction()
        self._show_readout()

    # -- what a person does -----------------------------------------------------------------------

    def _on_run_triggered(self) -> None:
        # The action toggled itself; what it shows is the model's mode, until training starts.
        self._show_mode()
        if self.model.mode != TrainingMode.IDLE:
            self.controller.pause()
        elif self._ready():
            target, model = self.model.epoch_target(), self.model
            if model.epochs_done >= model.options.epochs:
                # A finished run goes on: say so, or Space looks like it restarted something.
                rate = model.max_rate
                pace = "" if rate is None or model.slow_motion else f" at {rate:g}/s: drag Speed right for full speed"
                more = target - model.epochs_done
                self.status.say(f"Training {more} more epoch{'s' if more != 1 else ''}, to epoch {target}{pace}. "
                                "Space pauses.", Lasting.REPORT)
            self.controller.start(target)

    def _on_step_batch(self) -> None:
        self.step_batches(1)

    def step_batches(self, n: int = 1) -> None:
        """Learn from ``n`` mini-batches, then stop."""
        if self.model.mode == TrainingMode.IDLE and self._ready():
            self.controller.step_batches(n)

    def step_epoch(self) -> None:
        if self.model.mode == TrainingMode.IDLE and self._ready():
            self.controller.step_epoch()

    def _ready(self) -> bool:
        """Ask what must be asked before training, and give the process the network to train."""
        model = self.model
        if model.lesson is not None:
            self.status.say("Leave the backpropagation steps (Done or Esc) to train the network", Lasting.WARNING)
            return False
        if model.cursor is not None:
            if self.dialogs.ask_branch(model.cursor_text()) != Button.Yes:
                return False
            model.branch_here()
        if model.edits.applied:
            keep = False
            if model.edits.switched_off():
                answer = self.dialogs.ask_keep_switched_off(len(model.edits.switched_off()))
                if answer == Button.Cancel:
                    return False
                keep = answer == Button.Yes
            model.commit_edits(keep_switched_off=keep)
        else:
            model.commit_edits()
        if not self.controller.attached:
            try:
                self.controller.attach(model.network, model.dataset, model.options, model.epochs_done, model.max_rate,
                                       model.history, model.trainer_state, mask=model.training_mask)
            except ValueError as error:
                self.dialogs.show_error("Cannot train", str(error))
                return False
        rate = model.max_rate
        if rate is not None and not model.slow_motion:
            batches = "mini-batch" if rate == 1 else "mini-batches"
            self.status.say(f"Training at {rate:g} {batches} a second, slow enough to watch each nudge: drag Speed "
                            "right for full speed", Lasting.REPORT)
        return True

    def _on_slow_motion_triggered(self) -> None:
        self.model.set_slow_motion(not self.model.slow_motion)

    def _on_slow_motion(self, cause: Cause | None = None) -> None:
        self.toolbar.show_slow_motion(self.model.slow_motion)
        self.controller.set_detail(self.model.slow_motion)

    def _on_options_typed(self, typed: TrainingOptions) -> None:
        # The panel knows nothing of the run's schedule and weight decay: those stay the run's.
        model = self.model
        model.set_options(replace(typed, seed=model.options.seed, halve_after=model.options.halve_after,
                                  weight_decay=model.options.weight_decay))

    def _on_architecture_typed(self, architecture: Architecture) -> None:
        # One seed for the new network and the shuffles of its run: the same seed, the same run.
        self.model.set_architecture(architecture)
        self.model.set_options(replace(self.model.options, seed=architecture.seed))

    def _on_speed_moved(self, index: int) -> None:
        self.model.set_speed(index)

    def _on_edge_fraction_moved(self, fraction: float) -> None:
        self.model.set_edge_fraction(fraction)

    # -- the training process ------------------------------------------------------------------------

    def stop_and_wait(self, timeout_ms: int = STOP_TIMEOUT_MS) -> None:
        """Pause training and wait (at most ``timeout_ms``) for the snapshot that says it stopped,
        which carries the trainer's state: a run saved now resumes exactly."""
        if self.model.mode == TrainingMode.IDLE:
            return
        self._stopping = loop = QtCore.QEventLoop()
        self.controller.progressed.connect(self._on_stopping_snapshot)
        QtCore.QTimer.singleShot(timeout_ms, loop.quit)
        self.controller.pause()
        loop.exec()
        self.controller.progressed.disconnect(self._on_stopping_snapshot)
        self._stopping = None

    def _on_stopping_snapshot(self, snapshot: TrainingSnapshot) -> None:
        if snapshot.state == TrainingMode.IDLE and self._stopping is not None:
            self._stopping.quit()

    def _slow(self) -> bool:
        rate = self.model.max_rate
        return rate is not None and rate <= SLOW_RATE

    @QtCore.Slot(object)
    def _on_snapshot(self, snapshot: TrainingSnapshot) -> None:
        stopped = snapshot.state == TrainingMode.IDLE
        # A finished epoch's numbers are never held back.
        also = frozenset({Redraw.READOUT}) if snapshot.report is not None else frozenset()
        with self.redraws.snapshot(every=stopped or self._slow(), also=also):
            self.model.take_snapshot(snapshot)
            if stopped:
                self.model.set_mode(TrainingMode.IDLE)
        if stopped:
            self.redraws.flush()
        if snapshot.report is not None and snapshot.report.schedule_ended:
            self.status.say(schedule_end_text(snapshot.report.epoch, snapshot.learning_rate), Lasting.STAYS)

    def _on_process_state(self, state) -> None:
        self.model.set_mode(state)
        if state == TrainingMode.IDLE:
            # Training can end with no snapshot to say so (its process died, or the window moved
            # on): whatever a snapshot's plan left for later is drawn now.
            self.redraws.flush()

    def _on_failed(self, message: str) -> None:
        self.dialogs.show_error("Training stopped", message)

    def _on_network_changed(self, cause: Cause) -> None:
        # The process trains its own copy: after any other change its next snapshot would undo it.
        if cause != Cause.SNAPSHOT:
            self.controller.shutdown()

    def _on_speed(self, cause: Cause | None = None) -> None:
        self.toolbar.show_speed(self.model.speed)
        self.controller.set_max_rate(self.model.max_rate)

    # -- what the views show -------------------------------------------------------------------------

    def _show_mode(self, cause: Cause | None = None) -> None:
        running = self.model.mode != TrainingMode.IDLE
        self.toolbar.show_running(running)
        # While the lesson is open nothing trains that the learner did not start: its Space is the walk's.
        lesson = self.model.lesson is not None
        self.toolbar.run_action.setEnabled(not lesson)
        self.toolbar.batch_action.setEnabled(not running and not lesson)
        self.toolbar.epoch_action.setEnabled(not running and not lesson)

    def _show_options(self, cause: Cause | None = None) -> None:
        self.controls.show_options(self.model.options)
        self.controller.set_options(self.model.options)

    def _show_architecture(self, cause: Cause | None = None) -> None:
        self.controls.show_architecture(self.model.architecture)

    def _show_edge_fraction(self, cause: Cause | None = None) -> None:
        self.controls.show_edge_fraction(self.model.edge_fraction, self.model.network.sizes[0] * self.model.network.sizes[1]
                                         if len(self.model.network.sizes) > 1 else 0)

    def _on_progress(self, cause: Cause) -> None:
        self.redraws.request(Redraw.READOUT, self._show_readout, cause)

    def _show_readout(self) -> None:
        self.toolbar.show_progress(*self.model.progress_text())
        self.readout.setText(self.model.readout())
