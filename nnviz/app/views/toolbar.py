"""The run controls as a toolbar across the window: Train/Pause, 1 mini-batch, 1 epoch, the
speed, the epoch's progress, and the backpropagation stepper."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ..shell import actions

#: Mini-batches per second the speed slider offers; None is "as fast as possible".
SPEEDS: list[float | None] = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, None]


class RunToolbar(QtWidgets.QToolBar):
    """Buttons are the registry's actions (their keys live on the window, not on the buttons) and
    never take the keyboard focus, so that Space is never also a click on a focused button."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__("Training", parent)
        self.setObjectName("run_toolbar")
        self.setMovable(False)
        self.setFloatable(False)
        self.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setIconSize(QtCore.QSize(16, 16))
        # The actions are added to this toolbar; the window adds them to itself too, so that their
        # keys keep working should the toolbar be hidden.
        self.run_action = actions.make_action("train", self, checkable=True)
        self.batch_action = actions.make_action("step_batch", self)
        self.epoch_action = actions.make_action("step_epoch", self)
        self.backprop_action = actions.make_action("backprop", self)

        self.run_button = self._button(self.run_action, "primary")
        # Wide enough for "Pause" and "Train" alike: the toolbar does not shift when it changes.
        self.run_button.setMinimumWidth(self.run_button.fontMetrics().horizontalAdvance("Pause") + 48)
        self.addSeparator()
        self.batch_button = self._button(self.batch_action)
        self.epoch_button = self._button(self.epoch_action)
        self.addSeparator()

        self.speed_label = QtWidgets.QLabel()
        self.speed_label.setObjectName("dim")
        self.speed_label.setMinimumWidth(self.speed_label.fontMetrics().horizontalAdvance("Speed: 1000/s") + 8)
        self.speed = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(len(SPEEDS) - 1)
        self.speed.setFixedWidth(100)
        self.speed.setToolTip("Mini-batches a second: slow training down to watch single nudges")
        self.addWidget(self.speed_label)
        self.addWidget(self.speed)
        self.addSeparator()

        self.progress = QtWidgets.QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFixedWidth(200)
        self.progress.setFormat("")
        self.progress.setToolTip("The current epoch's mini-batches")
        self.addWidget(self.progress)
        self.addSeparator()
        self.backprop_button = self._button(self.backprop_action)
        self.speed.valueChanged.connect(self._update_speed_label)
        self._update_speed_label()

    def max_rate(self) -> float | None:
        return SPEEDS[self.speed.value()]

    def _button(self, action, name: str | None = None) -> QtWidgets.QToolButton:
        self.addAction(action)
        button = self.widgetForAction(action)
        button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        if name:
            button.setObjectName(name)
        return button

    def _update_speed_label(self) -> None:
        rate = self.max_rate()
        self.speed_label.setText("Speed: full" if rate is None else f"Speed: {rate:g}/s")
