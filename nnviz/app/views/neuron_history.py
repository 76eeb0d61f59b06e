"""One neuron followed through the run: its activation for the example on show, and the length
of its incoming weight vector, at every checkpoint, with the time cursor marked."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from ..shell import theme
from .plot import Plot

#: Short, so that they fit the narrow tab of a 1280x720 screen; the tooltips say it in full.
ACTIVATION_TITLE = "Activation"
WEIGHTS_TITLE = "Weights <nobr>|w|</nobr>"  # a line may break at "|": not inside the symbol
TOOLTIPS = {ACTIVATION_TITLE: "Its activation for the example on show, through the run",
            WEIGHTS_TITLE: "The length of its incoming weight vector |w|, through the run"}


class NeuronHistory(QtWidgets.QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.activation_plot = Plot()
        self.weights_plot = Plot()
        self.activation_curve = self.activation_plot.plot([], [], pen=pg.mkPen(theme.ACCENT, width=2))
        self.weights_curve = self.weights_plot.plot([], [], pen=pg.mkPen(theme.POSITIVE, width=2))
        self.cursors = []
        self.titles: list[QtWidgets.QLabel] = []
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for plot, title in ((self.activation_plot, ACTIVATION_TITLE), (self.weights_plot, WEIGHTS_TITLE)):
            plot.setMouseEnabled(False, False)
            plot.setLabel("bottom", "epochs")
            line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(theme.TEXT, width=1))
            plot.addItem(line, ignoreBounds=True)
            self.cursors.append(line)
            # A label above the plot, not the plot's own title: that one is clipped when the tab is
            # narrow (a plot's title never wraps), a label wraps to the width it gets.
            label = QtWidgets.QLabel(title)
            label.setTextFormat(QtCore.Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setAlignment(QtCore.Qt.AlignmentFlag.AlignHCenter | QtCore.Qt.AlignmentFlag.AlignBottom)
            label.setMinimumWidth(60)
            label.setToolTip(TOOLTIPS[title])
            plot.setToolTip(TOOLTIPS[title])
            self.titles.append(label)
            column = QtWidgets.QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(label)
            column.addWidget(plot, 1)
            layout.addLayout(column)

    def show_series(self, positions: np.ndarray, activations: np.ndarray, norms: np.ndarray) -> None:
        finite = np.isfinite(activations)
        self.activation_curve.setData(positions[finite], activations[finite])
        self.weights_curve.setData(positions, norms)

    def set_cursor(self, position: float) -> None:
        for line in self.cursors:
            line.setValue(position)
