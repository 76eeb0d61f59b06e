"""The window's side of the run's record: the timeline, the plots' cursor, a neuron through time.

A mixin of ``MainWindow``. Moving the model's time cursor puts a checkpoint's parameters into
the network on show and fires ``params``: the network view, the weight images, the example's
answer, the neuron panel and the confusion matrix follow from there (main_window.py); this part
keeps the timeline, the plots' cursor line and the neuron's series in step.
"""

from __future__ import annotations

import time

from PySide6 import QtWidgets

from ...core.history import RunHistory
from ...model import TrainingMode
from ..shell import actions
from ...model.pacing import Redraw

#: While training runs, the timeline's stops are redrawn at most this often.
TIMELINE_INTERVAL = 0.5

#: Stepping through the run, by the names of their keys in the registry (actions.py). Not Space
#: or the arrows: those run training and browse examples.
TIMELINE_MOVES = {
    "checkpoint_back": lambda m: m.move_by(-1),
    "checkpoint_on": lambda m: m.move_by(+1),
    "epoch_back": lambda m: m.move_by_epochs(-1),
    "epoch_on": lambda m: m.move_by_epochs(+1),
    "run_start": lambda m: m.move_to(0),
    "run_now": lambda m: m.move_to(None),
}

class TimelineWiring:
    """Mixed into MainWindow after the views exist (``timeline``, ``plots``, ``neuron_history``)."""

    def _connect_timeline(self) -> None:
        events = self.model.events
        events.history.connect(self._on_history)
        events.cursor.connect(self._on_cursor)
        self.timeline.moved.connect(self._on_timeline_moved)
        self.plots.position_clicked.connect(self._on_plot_clicked)
        self._last_timeline = 0.0
        self.timeline_shortcuts = [
            actions.make_action(name, self, lambda _=False, move=move: self._move_cursor(move))
            for name, move in TIMELINE_MOVES.items()]

    def _move_cursor(self, move) -> None:
        if self.stepping:
            # The stepper walks one network; moving in time under it would show another.
            self.statusBar().showMessage("Close the backpropagation steps to move in time", 3000)
            return
        if self.model.mode != TrainingMode.IDLE:
            self.statusBar().showMessage("The timeline follows training; pause to look back", 3000)
            self.timeline.stop_replay()
            return
        move(self.model)

    def _on_timeline_moved(self, index: int) -> None:
        self._move_cursor(lambda m: m.move_to(index))

    def _on_plot_clicked(self, position: float) -> None:
        self._move_cursor(lambda m: m.move_to_position(position))

    def _on_history(self, history: RunHistory) -> None:
        self.plots.show_history(history)
        if self.model.mode == TrainingMode.IDLE:  # while training, the snapshots pace the redraws
            self.plots.refresh(force=True)
        self._update_timeline()

    def _update_timeline(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and self.model.mode != TrainingMode.IDLE and now - self._last_timeline < TIMELINE_INTERVAL:
            return
        self._last_timeline = now
        model = self.model
        self.timeline.show_run(model.stop_positions(), [p for p, _ in model.history.learning_rate_changes])
        self._on_cursor(model.cursor)

    def _on_cursor(self, cursor: int | None) -> None:
        model = self.model
        self.timeline.show_cursor(model.stop_index(), model.cursor_text())
        # A cursor line makes its plot repaint whole (axes and all): while training, only with
        # the plots' own paced redraw (training_wiring.py), not at every snapshot.
        if self._due(Redraw.PLOTS):
            self.show_plot_cursors()

    def show_plot_cursors(self) -> None:
        model = self.model
        # While training the curves' ends are the cursor; a moving line would repaint both plots.
        training = model.mode != TrainingMode.IDLE
        self.plots.set_cursor(model.position if len(model.history) and not training else None)
        self.neuron_history.set_cursor(model.position)

    def _show_neuron_history(self) -> None:
        """The selected neuron's series across the run (recomputed when the neuron, the example or
        the run changes; a cursor move only moves the line)."""
        selected = self.model.selected_neuron
        if selected is None or self.bottom.currentWidget() is not self.neuron_tab \
                or self.model.mode != TrainingMode.IDLE:  # a run that grows is shown when it stops
            return
        x, _ = self.model.current_input()
        key = (selected, self.model.example, id(self.model.history), len(self.model.history),
               self.model.cursor is None and self.model.mode == TrainingMode.IDLE)
        if key == getattr(self, "_neuron_history_key", None):
            return
        self._neuron_history_key = key
        self.neuron_history.show_series(*self.model.neuron_through_time(*selected, x))

    def _confirm_branch(self) -> bool:
        """Training from an earlier checkpoint drops the run's later record: ask first."""
        if self.model.cursor is None:
            return True
        if self.ask_branch() != QtWidgets.QMessageBox.StandardButton.Yes:
            return False
        self.controller.shutdown()  # its network is the live end, not this checkpoint
        self.model.branch_here()
        return True

    def ask_branch(self) -> QtWidgets.QMessageBox.StandardButton:
        buttons = QtWidgets.QMessageBox.StandardButton
        return QtWidgets.QMessageBox.question(
            self, "Train from this checkpoint?",
            f"Training from {self.model.cursor_text()} drops what the run recorded after it (in memory; the file "
            "on disk changes only when you save).", buttons.Yes | buttons.Cancel, buttons.Cancel)
