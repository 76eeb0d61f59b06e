"""The run's record over time: the timeline under the network (its checkpoints, the cursor,
replay) and the training plots (cost and accuracy, a second run's curves, the cursor's line).

Moving the cursor is a model change (``move_to``); every view of the network on show follows
its ``shown`` event by itself.
"""

from __future__ import annotations

import time

from PySide6 import QtCore

from ...model import Cause, TrainingMode, WindowModel
from ...model.pacing import Redraw
from ..shell.actions import Actions
from ..shell.status import Lasting, Status
from ..views.plots import PlotsPanel
from ..views.timeline import Timeline
from ..window.redraws import Redraws
from .base import Component

#: The timeline's moves, by the names of their keys in the registry: (model method, argument).
#: Not Space or the arrows: those run training and browse examples.
MOVES = {
    "checkpoint_back": ("move_by", -1),
    "checkpoint_on": ("move_by", +1),
    "epoch_back": ("move_by_epochs", -1),
    "epoch_on": ("move_by_epochs", +1),
    "run_start": ("move_to", 0),
    "run_now": ("move_to", None),
}


def next_turn(parent: QtCore.QObject, work) -> QtCore.QTimer:
    """A timer that runs ``work`` in a turn of the event loop of its own once started. A timer,
    not singleShot(0): that is a posted call, run in the same batch of posted events as the
    snapshot's own repaints, which is the pile-up it is meant to avoid."""
    timer = QtCore.QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(1)
    timer.timeout.connect(work)
    return timer


class RecordComponent(Component):
    def __init__(self, model: WindowModel, timeline: Timeline, plots: PlotsPanel, redraws: Redraws, actions: Actions,
                 status: Status, parent: QtCore.QObject):
        super().__init__(model, parent)
        self.timeline, self.plots, self.redraws, self.status = timeline, plots, redraws, status
        timeline.moved.connect(self._on_timeline_moved)
        plots.position_clicked.connect(self._on_plot_clicked)
        for name in MOVES:
            actions.serve(name, getattr(self, f"_{name}"))
        # While training, the plots redraw in a turn of the event loop of their own, the accuracy
        # plot (new points only when an epoch ends) a turn after the cost plot.
        self._plots_timer = next_turn(self, self._redraw_plots_later)
        self._accuracy_timer = next_turn(self, self._redraw_accuracy_later)
        self.follow(self._on_run, "network")
        self.follow(self._on_history, "history", "comparison")
        self.follow(self._on_stops, "history", "progress", "cursor", "network", "params")
        self.follow(self._on_mode, "mode")
        self._on_run(Cause.NETWORK)

    # -- moving in time -----------------------------------------------------------------------------

    def move(self, method: str, argument=None) -> None:
        """Move the model's time cursor (``method`` of the model), unless the model cannot now."""
        reason = self._locked()
        if reason:
            self.status.say(reason, Lasting.BRIEF)
            self.timeline.stop_replay()
            return
        getattr(self.model, method)(argument)

    def _locked(self) -> str | None:
        if self.model.lesson is not None:
            # The lesson walks one network; moving in time under it would show another.
            return "Leave the backpropagation steps to move in time"
        if self.model.mode != TrainingMode.IDLE:
            return "The timeline follows training; pause to look back"
        return None

    def _on_timeline_moved(self, index: int) -> None:
        self.move("move_to", index)

    def _on_plot_clicked(self, position: float) -> None:
        self.move("move_to_position", position)

    def _checkpoint_back(self) -> None:
        self.move(*MOVES["checkpoint_back"])

    def _checkpoint_on(self) -> None:
        self.move(*MOVES["checkpoint_on"])

    def _epoch_back(self) -> None:
        self.move(*MOVES["epoch_back"])

    def _epoch_on(self) -> None:
        self.move(*MOVES["epoch_on"])

    def _run_start(self) -> None:
        self.move(*MOVES["run_start"])

    def _run_now(self) -> None:
        self.move(*MOVES["run_now"])

    # -- what the views show -------------------------------------------------------------------------

    def _on_run(self, cause: Cause) -> None:
        self.plots.clear()
        self._on_history(cause)
        self._show_stops()

    def _on_history(self, cause: Cause) -> None:
        self.redraws.request(Redraw.PLOTS, self._redraw_plots, cause)

    def _redraw_plots(self) -> None:
        model = self.model
        comparison = model.comparison
        self.plots.show_comparison(None if comparison is None else comparison.history,
                                   "" if comparison is None else comparison.name)
        self.plots.show_history(model.history)
        if model.mode == TrainingMode.IDLE:
            self.plots.refresh(force=True)
            self._show_plot_cursor()
        else:  # a turn of the event loop of its own: the snapshot's other redraws are painted first
            self._plots_timer.start()

    def _redraw_plots_later(self) -> None:
        start = time.perf_counter()
        if self.plots.refresh(force=True, accuracy=False):
            # its new data now, and the plots' last repaint (this one's comes after)
            self.redraws.measured(Redraw.PLOTS, time.perf_counter() - start + self.plots.last_paint_seconds)
            if self.plots.accuracy_stale:
                self._accuracy_timer.start()

    def _redraw_accuracy_later(self) -> None:
        self.plots.refresh_accuracy()

    def _on_stops(self, cause: Cause) -> None:
        # The timeline's words and the progress bar come from the same state: they are drawn together.
        self.redraws.request(Redraw.READOUT, self._show_stops, cause)

    def _show_stops(self) -> None:
        model = self.model
        self.timeline.show_run(model.stop_positions(), [p for p, _ in model.history.learning_rate_changes])
        self.timeline.show_cursor(model.stop_index(), model.cursor_text())
        if model.mode == TrainingMode.IDLE:
            self._show_plot_cursor()

    def _show_plot_cursor(self) -> None:
        # While training the curves' ends are the cursor; a moving line would repaint both plots.
        model = self.model
        training = model.mode != TrainingMode.IDLE
        self.plots.set_cursor(model.position if len(model.history) and not training else None)

    def _on_mode(self, cause: Cause) -> None:
        if self.model.mode != TrainingMode.IDLE:
            self.timeline.stop_replay()
        else:
            self.plots.flush()
        self._show_plot_cursor()
