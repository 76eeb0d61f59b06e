"""The live plots of training."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from . import theme

#: Mini-batch costs are averaged over this many to draw one point of the smoothed curve.
SMOOTHING = 50
#: Plots redraw at most this often while points stream in: re-rendering their axes is the
#: most expensive thing the window does (measured: 4 ms a plot, a third of the GUI thread's time
#: when redrawn at every snapshot).
PLOT_INTERVAL = 0.5


class PlotsPanel(QtWidgets.QWidget):
    """Training cost (per mini-batch, smoothed, and per epoch) and accuracy per epoch."""

    def __init__(self, parent=None):
        super().__init__(parent)
        # No grid and no antialiasing: pyqtgraph draws the grid with translucent lines, which Qt's raster engine blends
        # slowly enough here to make each plot update take 50 ms instead of 10.
        pg.setConfigOptions(antialias=False)
        self.cost_plot = pg.PlotWidget(background=theme.PANEL, title="Training cost")
        self.cost_plot.setLabel("bottom", "epochs")
        self.cost_plot.addLegend(offset=(-10, 10))
        self.batch_curve = self.cost_plot.plot([], [], pen=pg.mkPen(theme.mix(theme.PANEL, theme.POSITIVE, 0.8), width=1.5),
                                               name=f"mini-batches (mean of {SMOOTHING})")
        self.epoch_curve = self.cost_plot.plot([], [], pen=pg.mkPen(theme.ACCENT, width=2), symbol="o", symbolSize=6,
                                               symbolBrush=theme.ACCENT, name="epoch mean")
        self.accuracy_plot = pg.PlotWidget(background=theme.PANEL, title="Accuracy")
        self.accuracy_plot.setLabel("bottom", "epochs")
        self.accuracy_plot.addLegend(offset=(-10, -10))
        self.validation_curve = self.accuracy_plot.plot([], [], pen=pg.mkPen(theme.CORRECT, width=2), symbol="o",
                                                        symbolSize=6, symbolBrush=theme.CORRECT, name="validation")
        self.test_curve = self.accuracy_plot.plot([], [], pen=pg.mkPen(theme.POSITIVE, width=2), symbol="t",
                                                  symbolSize=7, symbolBrush=theme.POSITIVE, name="test")
        for plot in (self.cost_plot, self.accuracy_plot):
            for side in ("left", "bottom"):
                plot.getAxis(side).enableAutoSIPrefix(False)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.cost_plot)
        layout.addWidget(self.accuracy_plot)
        self.clear()

    def clear(self) -> None:
        self._pending: list[tuple[float, float]] = []
        self._batch_x: list[float] = []
        self._batch_y: list[float] = []
        self._epochs: list[tuple[int, float, float, float | None]] = []
        self._stale = False
        self._last_draw = 0.0
        for curve in (self.batch_curve, self.epoch_curve, self.validation_curve, self.test_curve):
            curve.setData([], [])
        # An empty plot keeps whatever range it had: show a neutral one until data comes.
        self.cost_plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0.02)
        self.accuracy_plot.setRange(xRange=(0, 1), yRange=(0, 100), padding=0.02)
        for plot in (self.cost_plot, self.accuracy_plot):
            plot.enableAutoRange()

    def add_batch_costs(self, costs: np.ndarray, end: float, batches_per_epoch: int) -> None:
        """Mini-batch costs, the last of which ended at ``end`` epochs (2.5: halfway through the third).

        One point per SMOOTHING mini-batches; what is left over waits for more, or for ``flush``.
        """
        costs = np.asarray(costs, float)
        positions = end - (len(costs) - 1 - np.arange(len(costs))) / max(batches_per_epoch, 1)
        self._pending.extend(zip(positions.tolist(), costs.tolist()))
        while len(self._pending) >= SMOOTHING:
            self._add_point(self._pending[:SMOOTHING])
            self._pending = self._pending[SMOOTHING:]

    def add_epoch(self, epoch: int, cost: float, validation: float, test: float | None) -> None:
        self._epochs.append((epoch, cost, validation, test))
        self._stale = True

    def flush(self) -> None:
        """Draw the mini-batches still pending as a (shorter) last point: training stopped."""
        if self._pending:
            self._add_point(self._pending)
            self._pending = []

    def refresh(self, force: bool = False) -> bool:
        """Redraw the curves if anything changed and PLOT_INTERVAL has passed (or ``force``)."""
        now = time.monotonic()
        if not self._stale or (not force and now - self._last_draw < PLOT_INTERVAL):
            return False
        self.batch_curve.setData(self._batch_x, self._batch_y)
        e = np.array([row[0] for row in self._epochs], float)
        self.epoch_curve.setData(e, [row[1] for row in self._epochs])
        self.validation_curve.setData(e, [100 * row[2] for row in self._epochs])
        tests = [(row[0], 100 * row[3]) for row in self._epochs if row[3] is not None]
        self.test_curve.setData(*(map(list, zip(*tests)) if tests else ([], [])))
        self._stale = False
        self._last_draw = now
        return True

    def _add_point(self, group: list[tuple[float, float]]) -> None:
        self._batch_x.append(group[-1][0])
        self._batch_y.append(float(np.mean([c for _, c in group])))
        self._stale = True

    @property
    def epochs(self) -> list[tuple[int, float, float, float | None]]:
        return list(self._epochs)

    @property
    def batch_points(self) -> int:
        return len(self._batch_x)
