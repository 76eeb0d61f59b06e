"""The run controls as a toolbar across the window: Train/Pause, 1 mini-batch, 1 epoch, the
speed, the epoch's progress, and the backpropagation stepper; and the read-out of where the
network stands, which the window puts in its status bar."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

#: Room the read-out keeps for a typical line, so that new numbers do not relayout the status bar.
READOUT_ROOM = "30 epochs trained · cost 0.0000 · validation 00.00% · test 00.00%"
PROGRESS_WIDTH = 200
SPEED_WIDTH = 100


class RunToolbar(QtWidgets.QToolBar):
    """Buttons are the window's actions (their keys live on the window, not on the buttons) and
    never take the keyboard focus, so that Space is never also a click on a focused button.

    ``speed_moved(index)`` when the person moves the speed slider; ``show_speed`` shows one."""

    speed_moved = QtCore.Signal(int)

    def __init__(self, actions, speeds, parent: QtWidgets.QWidget | None = None):
        super().__init__("Training", parent)
        self.setObjectName("run_toolbar")
        self.setMovable(False)
        self.setFloatable(False)
        self.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setIconSize(QtCore.QSize(16, 16))
        self._speeds = tuple(speeds)
        self.run_action, self.batch_action = actions["train"], actions["step_batch"]
        self.epoch_action, self.backprop_action = actions["step_epoch"], actions["backprop"]

        self.run_button = self._button(self.run_action, "primary")
        # Wide enough for "Pause" and "Train" alike: the toolbar does not shift when it changes.
        self.run_button.setMinimumWidth(self.run_button.fontMetrics().horizontalAdvance("Pause") + 48)
        self.addSeparator()
        self.batch_button = self._button(self.batch_action)
        self.epoch_button = self._button(self.epoch_action)
        self.slow_action = actions["slow_motion"]
        self.slow_button = self._button(self.slow_action)
        self.addSeparator()

        self.speed_label = QtWidgets.QLabel()
        self.speed_label.setObjectName("dim")
        self.speed_label.setMinimumWidth(self.speed_label.fontMetrics().horizontalAdvance("Speed: 1000/s") + 8)
        self.speed = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.speed.setRange(0, len(self._speeds) - 1)
        self.speed.setPageStep(1)  # a click in the groove steps, never jumps to an end
        self.speed.setFixedWidth(SPEED_WIDTH)
        self.speed.setToolTip("Mini-batches a second: slow training down to watch single nudges")
        self.speed.valueChanged.connect(self._on_speed_moved)
        self.addWidget(self.speed_label)
        self.addWidget(self.speed)
        self.addSeparator()

        self.progress = QtWidgets.QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFixedWidth(PROGRESS_WIDTH)
        self.progress.setFormat("")
        self.progress.setToolTip("The current epoch's mini-batches")
        self.addWidget(self.progress)
        self.addSeparator()
        self.backprop_button = self._button(self.backprop_action)

    def show_running(self, running: bool) -> None:
        """Train or Pause, and the single steps only while nothing runs."""
        self.run_action.setChecked(running)
        # The action's text, not a button's: the key lives on the action and survives any text.
        self.run_action.setText("Pause" if running else "Train")

    def show_slow_motion(self, on: bool) -> None:
        self.slow_action.setChecked(on)

    def show_speed(self, index: int) -> None:
        self.speed.blockSignals(True)
        self.speed.setValue(index)
        self.speed.blockSignals(False)
        rate = self._speeds[index]
        self.speed_label.setText("Speed: full" if rate is None else f"Speed: {rate:g}/s")

    def show_progress(self, value: int, maximum: int, text: str) -> None:
        """The epoch's progress; ``text`` in full as the tooltip, shortened on the bar to fit."""
        self.progress.setMaximum(max(maximum, 1))
        self.progress.setValue(value)
        room = self.progress.width() - 12
        metrics = self.progress.fontMetrics()
        shown = text
        if metrics.horizontalAdvance(shown) > room:
            shown = shown.removesuffix(" mini-batches")
        # The format is a pattern: a literal % must be doubled.
        self.progress.setFormat(metrics.elidedText(shown, QtCore.Qt.TextElideMode.ElideRight, room).replace("%", "%%"))
        self.progress.setToolTip(text)

    def _on_speed_moved(self, index: int) -> None:
        self.speed_moved.emit(index)

    def _button(self, action, name: str | None = None) -> QtWidgets.QToolButton:
        self.addAction(action)
        button = self.widgetForAction(action)
        button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        if name:
            button.setObjectName(name)
        return button


class Readout(QtWidgets.QLabel):
    """One line of where the network stands: epochs, cost, accuracies."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__("Not trained yet", parent)
        self.setObjectName("readout")
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(READOUT_ROOM) + 8)
