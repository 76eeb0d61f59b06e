"""Gradient descent against SGD, as the article's last section draws it: both paths on one valley
(gradient descent solid, SGD dashed, as on the cost plot beside it), the cost of each against the
examples it processed or the seconds it computed, and a few sentences on why the stumbling one
gets further. A pure view: plain values in, what the person asked for out as signals."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from ..shell import theme
from .plot import Plot
from .plots import legend_below
from .valley import OTHER_PEN, PATH_PEN, ValleyView
from .valley_drawing import nice_ticks

#: The plot's horizontal axes, as ``axis_chosen`` names them, with their buttons' text.
AXES = (("examples", "against examples"), ("seconds", "against seconds"))
AXIS_LABELS = {"examples": "training examples processed", "seconds": "seconds of computing"}
MOST_EPOCHS = 20
LABEL_STYLE = {"color": theme.TEXT.name(), "font-size": "9pt"}


class _Thousands(pg.AxisItem):
    """Whole numbers with thousands separators (150,000 examples, not 150000 or 1.5e5)."""

    def tickStrings(self, values, scale, spacing):
        if spacing >= 1:
            return [f"{v * scale:,.0f}" for v in values]
        return super().tickStrings(values, scale, spacing)


class RaceView(QtWidgets.QWidget):
    """``show_lanes(lanes, axis)`` draws each lane's cost; ``show_text``, ``show_running``,
    ``show_epochs`` and ``show_axis`` the rest; ``valley`` is the valley of both paths.

    ``run_requested(epochs)``: a race of ``epochs`` training sets' worth of examples each;
    ``stop_requested``; ``closed``: back to the run's valley; ``axis_chosen("examples"|"seconds")``.
    """

    run_requested = QtCore.Signal(float)
    stop_requested = QtCore.Signal()
    closed = QtCore.Signal()
    axis_chosen = QtCore.Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.valley = ValleyView(compact=True)
        self.valley.show_caption(False)
        self.valley.show_ball_at_all(False)  # no timeline runs through a race

        self.plot = Plot(axisItems={"bottom": _Thousands("bottom")})
        self.plot.hideButtons()
        self.plot.setMouseEnabled(False, False)
        self.plot.setLogMode(y=True)
        self.plot.setLabel("left", "cost", **LABEL_STYLE)
        for side in ("left", "bottom"):
            self.plot.getAxis(side).setTextPen(theme.TEXT)
            self.plot.getAxis(side).enableAutoSIPrefix(False)
        self.legend = legend_below(self.plot)
        self.curves = [self.plot.plot([], [], pen=pen) for pen in (PATH_PEN, OTHER_PEN)]

        self.axis_buttons = QtWidgets.QButtonGroup(self)
        axes = QtWidgets.QHBoxLayout()
        for name, text in AXES:
            button = QtWidgets.QToolButton()
            button.setText(text)
            button.setCheckable(True)
            button.setObjectName(f"axis_{name}")
            self.axis_buttons.addButton(button)
            axes.addWidget(button)
        axes.addStretch(1)
        self.axis_buttons.buttonClicked.connect(self._on_axis_button)

        self.title = QtWidgets.QLabel("<b>Gradient descent against SGD</b>")
        self.text = QtWidgets.QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.text.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
        self.epochs = QtWidgets.QSpinBox()
        self.epochs.setRange(1, MOST_EPOCHS)
        self.epochs.setSuffix(" × the training set")
        self.epochs.setToolTip("How many examples each way down may process: this many times the whole training set")
        self.run_button = QtWidgets.QPushButton("Race again")
        self.run_button.setToolTip("A new race from the network on show, with this many examples each")
        self.run_button.clicked.connect(self._on_run_clicked)
        self.stop_button = QtWidgets.QPushButton("Stop")
        self.stop_button.clicked.connect(self.stop_requested)
        self.close_button = QtWidgets.QPushButton("Back to the valley")
        self.close_button.setToolTip("Back to the valley of the run on show (the race is forgotten)")
        self.close_button.clicked.connect(self.closed)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(QtWidgets.QLabel("Examples each:"))
        for widget in (self.epochs, self.run_button, self.stop_button, self.close_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)

        words = QtWidgets.QWidget()
        side = QtWidgets.QVBoxLayout(words)
        side.setContentsMargins(6, 2, 6, 2)
        side.addWidget(self.title)
        side.addWidget(self.text)
        side.addLayout(buttons)
        side.addStretch(1)
        self.words = words
        # The valley gets the width (a race's paths run far one way and little the other), the
        # costs the rest of the row, and the words the whole width under both.
        plot = QtWidgets.QVBoxLayout()
        plot.setContentsMargins(0, 0, 0, 0)
        plot.addWidget(self.plot, 1)
        plot.addLayout(axes)
        pictures = QtWidgets.QHBoxLayout()
        pictures.addWidget(self.valley, 3)
        pictures.addLayout(plot, 2)
        body = QtWidgets.QVBoxLayout(self)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addLayout(pictures, 1)
        body.addWidget(self.words)

    # -- showing --------------------------------------------------------------------------------

    def show_lanes(self, lanes: Sequence[tuple[str, np.ndarray, np.ndarray]], axis: str) -> None:
        """Each lane (name, x, cost) as a curve: gradient descent solid, SGD dashed; ``axis``
        says what x is ("examples" or "seconds")."""
        self.legend.clear()
        for curve, (name, x, costs) in zip(self.curves, lanes):
            curve.setData(np.asarray(x, np.float64), np.asarray(costs, np.float64))
            self.legend.addItem(curve, name)
        for curve in self.curves[len(lanes):]:
            curve.setData([], [])
        costs = np.concatenate([np.asarray(c, np.float64) for _, _, c in lanes] or [np.zeros(0)])
        costs = costs[np.isfinite(costs) & (costs > 0)]
        if costs.size:  # costs of the 1-2-5 series: a log axis otherwise labels 0.2, 0.3, … on top of each other
            ticks = nice_ticks(float(costs.min()), float(costs.max()))
            self.plot.getAxis("left").setTicks([[(math.log10(t), f"{t:g}") for t in ticks], []])
        self.plot.setLabel("bottom", AXIS_LABELS[axis], **LABEL_STYLE)
        self.show_axis(axis)

    def show_axis(self, axis: str) -> None:
        for button in self.axis_buttons.buttons():
            button.setChecked(button.objectName() == f"axis_{axis}")

    def show_text(self, text: str) -> None:
        self.text.setText(text)

    def show_running(self, running: bool) -> None:
        """While a race runs it can be stopped; once over, run again."""
        self.stop_button.setEnabled(running)
        self.run_button.setEnabled(not running)
        self.epochs.setEnabled(not running)

    def show_epochs(self, epochs: float) -> None:
        self.epochs.setValue(int(round(epochs)))

    # -- the person -----------------------------------------------------------------------------

    def _on_run_clicked(self) -> None:
        self.run_requested.emit(float(self.epochs.value()))

    def _on_axis_button(self, button: QtWidgets.QAbstractButton) -> None:
        self.axis_chosen.emit(button.objectName().removeprefix("axis_"))
