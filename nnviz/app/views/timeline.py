"""The timeline under the network: a scrubber over the run's checkpoints, and replay.

Takes plain values (the stops' positions in epochs, where η changed, the cursor) and emits
``moved(stop index)``; the window turns that into a move of the model's time cursor.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from ..shell import theme

#: What the label next to the scrubber needs room for.
LABEL_ROOM = "epoch 100.00 · checkpoint 999 of 999"
#: The scrubber's least size: a track with its epochs' numbers under it, long enough to aim at.
SCRUBBER_HEIGHT = 34
SCRUBBER_MINIMUM_WIDTH = 160
#: Below this, the label beside the scrubber takes two lines to leave it room.
SCRUBBER_ROOM = 320
#: Checkpoints a second the replay offers.
REPLAY_SPEEDS = (2, 5, 10, 25)


class Scrubber(QtWidgets.QWidget):
    """A track from epoch 0 to the end of the run: epoch ticks, η markers, a dot per checkpoint
    and a handle at the cursor. Press or drag to move to the nearest stop."""

    moved = QtCore.Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumHeight(SCRUBBER_HEIGHT)
        self.setMinimumWidth(SCRUBBER_MINIMUM_WIDTH)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)
        self.setToolTip("Drag through the run: every view shows the network at that checkpoint. "
                        "A red triangle marks where the learning rate η changed.")
        self.positions = np.zeros(1)
        self.rate_changes: list[float] = []
        self.index = 0
        self._margin = 14

    def set_stops(self, positions: np.ndarray, rate_changes: list[float]) -> None:
        self.positions = np.asarray(positions, float) if len(positions) else np.zeros(1)
        self.rate_changes = list(rate_changes)
        self.update()

    def set_index(self, index: int) -> None:
        self.index = int(index)
        self.update()

    @property
    def end(self) -> float:
        return max(float(self.positions[-1]), 1.0)

    def x_of(self, position: float) -> float:
        return self._margin + (self.width() - 2 * self._margin) * position / self.end

    def stop_at(self, x: float) -> int:
        """The stop nearest to ``x`` (pixels)."""
        xs = self._margin + (self.width() - 2 * self._margin) * self.positions / self.end
        return int(np.argmin(np.abs(xs - x)))

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:
        self.moved.emit(self.stop_at(event.position().x()))

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:
        if event.buttons() & QtCore.Qt.MouseButton.LeftButton:
            index = self.stop_at(event.position().x())
            if index != self.index:
                self.moved.emit(index)

    def paintEvent(self, event) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        y = self.height() * 0.45
        left, right = self.x_of(0.0), self.x_of(self.end)
        painter.setPen(QtGui.QPen(theme.mix(theme.BACKGROUND, theme.TEXT, 0.35), 3))
        painter.drawLine(QtCore.QPointF(left, y), QtCore.QPointF(right, y))
        # epoch ticks, labelled sparsely enough to be read
        epochs = int(np.floor(self.end))
        every = max(1, int(np.ceil(epochs * 28 / max(right - left, 1))))
        font = painter.font()
        font.setPixelSize(10)
        painter.setFont(font)
        for e in range(0, epochs + 1):
            x = self.x_of(e)
            painter.setPen(QtGui.QPen(theme.DIM_TEXT, 1))
            painter.drawLine(QtCore.QPointF(x, y - 6), QtCore.QPointF(x, y + 6))
            if e % every == 0:
                painter.drawText(QtCore.QRectF(x - 20, y + 6, 40, 14), QtCore.Qt.AlignmentFlag.AlignCenter, str(e))
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(theme.mix(theme.BACKGROUND, theme.POSITIVE, 0.7))
        for p in self.positions:
            painter.drawEllipse(QtCore.QPointF(self.x_of(p), y), 1.6, 1.6)
        painter.setBrush(theme.NEGATIVE)
        for p in self.rate_changes:  # η changed here
            x = self.x_of(p)
            painter.drawPolygon(QtGui.QPolygonF([QtCore.QPointF(x, y - 5), QtCore.QPointF(x - 4, y - 12),
                                                 QtCore.QPointF(x + 4, y - 12)]))
        index = min(max(self.index, 0), len(self.positions) - 1)
        painter.setBrush(theme.ACCENT)
        painter.setPen(QtGui.QPen(theme.BACKGROUND, 1.5))
        painter.drawEllipse(QtCore.QPointF(self.x_of(self.positions[index]), y), 6, 6)
        painter.end()


class Timeline(QtWidgets.QWidget):
    """The scrubber, a read-out of where the cursor is, and Replay with a speed."""

    moved = QtCore.Signal(int)  # a stop index

    def __init__(self, parent=None):
        super().__init__(parent)
        self.scrubber = Scrubber()
        self.scrubber.moved.connect(self.moved)
        self.replay_button = QtWidgets.QPushButton("Replay")
        self.replay_button.setCheckable(True)
        self.replay_button.setToolTip("Play the run from the cursor, one checkpoint at a time")
        self.replay_button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.replay_button.toggled.connect(self._on_replay_toggled)
        self.speed = QtWidgets.QComboBox()
        self.speed.addItems([f"{s}/s" for s in REPLAY_SPEEDS])
        self.speed.setCurrentIndex(1)
        self.speed.setToolTip("Checkpoints a second")
        self.speed.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.speed.currentIndexChanged.connect(self._on_speed_changed)
        self.label = QtWidgets.QLabel()
        self.label.setObjectName("dim")
        self._where = ""
        self.label.setToolTip(", and . step one checkpoint, Ctrl+, and Ctrl+. one epoch, Home and End go to the ends")
        self._timer = QtCore.QTimer(self)
        self._timer.timeout.connect(self._on_tick)
        self._on_speed_changed()
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(self.replay_button)
        layout.addWidget(self.speed)
        layout.addWidget(self.scrubber, 1)
        layout.addWidget(self.label)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_label()

    def _fit_label(self) -> None:
        """Where the cursor is, on one line where the scrubber keeps ``SCRUBBER_ROOM`` beside it,
        else on two, split at its "·" (wrapped by words, a line ended in a lone "·"). A width of
        its own, the longest text's, so that the scrubber does not move as the text changes."""
        metrics = self.label.fontMetrics()
        one_line = metrics.horizontalAdvance(LABEL_ROOM) + 8
        layout = self.layout()
        beside = sum(widget.sizeHint().width() for widget in (self.replay_button, self.speed))
        margins = layout.contentsMargins()
        room = self.width() - beside - 3 * layout.spacing() - margins.left() - margins.right() - one_line
        split = room < SCRUBBER_ROOM
        parts = [part.strip() for part in LABEL_ROOM.split("·")]
        self.label.setFixedWidth(max(metrics.horizontalAdvance(part) for part in parts) + 8 if split else one_line)
        text = "\n".join(part.strip() for part in self._where.split("·")) if split else self._where
        if text != self.label.text():
            self.label.setText(text)

    @property
    def count(self) -> int:
        return len(self.scrubber.positions)

    @property
    def index(self) -> int:
        return self.scrubber.index

    def show_run(self, positions: np.ndarray, rate_changes: list[float]) -> None:
        """The stops (epochs; the last is the network as it is now) and where η changed."""
        self.scrubber.set_stops(positions, rate_changes)

    def show_cursor(self, index: int, text: str) -> None:
        self.scrubber.set_index(index)
        self._where = text
        self._fit_label()
        if self.replay_button.isChecked() and index >= self.count - 1 and not self._timer.isActive():
            self.replay_button.setChecked(False)

    def stop_replay(self) -> None:
        self.replay_button.setChecked(False)

    def _on_replay_toggled(self, playing: bool) -> None:
        self.replay_button.setText("Pause replay" if playing else "Replay")
        if playing:
            if self.index >= self.count - 1:
                self.moved.emit(0)  # from the start, as a replay of a finished run should
            self._timer.start()
        else:
            self._timer.stop()

    def _on_speed_changed(self) -> None:
        self._timer.setInterval(round(1000 / REPLAY_SPEEDS[self.speed.currentIndex()]))

    def _on_tick(self) -> None:
        if self.index >= self.count - 1:
            self.replay_button.setChecked(False)
            return
        self.moved.emit(self.index + 1)
