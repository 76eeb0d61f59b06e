"""One neuron followed through the run: its activation for the example on show, and the length
of its incoming weight vector, at every checkpoint, with the time cursor marked."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from . import theme


class NeuronHistory(QtWidgets.QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.activation_plot = pg.PlotWidget(background=theme.PANEL, title="its activation for this example")
        self.weights_plot = pg.PlotWidget(background=theme.PANEL, title="length of its incoming weights |w|")
        self.activation_curve = self.activation_plot.plot([], [], pen=pg.mkPen(theme.ACCENT, width=2))
        self.weights_curve = self.weights_plot.plot([], [], pen=pg.mkPen(theme.POSITIVE, width=2))
        self.cursors = []
        for plot in (self.activation_plot, self.weights_plot):
            plot.setMouseEnabled(False, False)
            plot.setLabel("bottom", "epochs")
            line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(theme.TEXT, width=1))
            plot.addItem(line, ignoreBounds=True)
            self.cursors.append(line)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.activation_plot)
        layout.addWidget(self.weights_plot)

    def show_series(self, positions: np.ndarray, activations: np.ndarray, norms: np.ndarray) -> None:
        finite = np.isfinite(activations)
        self.activation_curve.setData(positions[finite], activations[finite])
        self.weights_curve.setData(positions, norms)

    def set_cursor(self, position: float) -> None:
        for line in self.cursors:
            line.setValue(position)
