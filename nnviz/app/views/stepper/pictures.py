"""The stepper's small pictures: the first layer's nudges as images, the outputs before and after."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from ...shell import theme
from ....lessons.pages import significant

MAX_IMAGES = 16


def image_limits(nudges: np.ndarray, shared: bool) -> np.ndarray:
    """The symmetric colour range ±limit of each row's picture: its own largest |nudge|, or one for all."""
    own = np.max(np.abs(nudges), axis=1)
    limits = np.full(len(own), own.max()) if shared else own
    return np.where(limits > 0, limits, 1.0)


class NudgeImages(QtWidgets.QWidget):
    """Each first-layer neuron's weight nudges as a picture (blue: grow, red: shrink)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grid = pg.GraphicsLayoutWidget()
        self.grid.setBackground(theme.BACKGROUND)
        self.grid.setFixedHeight(230)
        self.shared = QtWidgets.QCheckBox("One shared scale")
        self.shared.setToolTip("Draw all pictures on the scale of the largest nudge, to compare neurons")
        self.shared.toggled.connect(self._redraw)
        self.legend = QtWidgets.QLabel()
        self.legend.setWordWrap(True)
        self.items: list[pg.ImageItem] = []
        self.limits = np.zeros(0)
        self._nudges: np.ndarray | None = None
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.shared)
        row.addWidget(self.legend, 1)
        layout.addLayout(row)

    def make(self, sizes) -> None:
        self.grid.clear()
        self.items = []
        n = min(sizes[1], MAX_IMAGES)
        side = int(np.sqrt(sizes[0]))
        self._shape = (side, side) if side * side == sizes[0] else (1, sizes[0])
        columns = int(np.ceil(np.sqrt(n)))
        for i in range(n):
            box = self.grid.addViewBox(row=i // columns, col=i % columns, lockAspect=True, invertY=True,
                                       enableMouse=False, enableMenu=False)
            box.setBorder(pg.mkPen(theme.mix(theme.BACKGROUND, theme.TEXT, 0.25)))
            item = pg.ImageItem(axisOrder="row-major")
            item.setLookupTable(theme.diverging_lookup_table())
            box.addItem(item)
            self.items.append(item)

    def show_nudges(self, nudges: np.ndarray) -> None:
        self._nudges = np.asarray(nudges)
        self._redraw()

    def _redraw(self) -> None:
        if self._nudges is None:
            return
        rows = self._nudges[: len(self.items)]
        self.limits = image_limits(rows, self.shared.isChecked())
        for item, row, limit in zip(self.items, rows, self.limits):
            item.setImage(row.reshape(self._shape), autoLevels=False, levels=(-limit, limit))
        if self.shared.isChecked():
            self.legend.setText(f"One scale for all: full blue = +{significant(self.limits[0], sign=False)}, "
                                f"full red = −{significant(self.limits[0], sign=False)}.")
        else:
            self.legend.setText("Each picture on its own scale (full colour = that neuron's largest nudge): "
                                "compare patterns, not brightness.")


class OutputBars(pg.PlotWidget):
    """The ten outputs before and after a step (or an example's cost over repeated steps)."""

    def __init__(self, parent=None):
        super().__init__(parent, background=theme.PANEL)
        self.setFixedHeight(170)
        for side in ("left", "bottom"):
            self.getAxis(side).enableAutoSIPrefix(False)
        self.setMouseEnabled(False, False)
        self.before = self.after = None
        self.reset()

    def reset(self) -> None:
        self.getPlotItem().clear()
        self.before = self.after = None
        self.costs = None
        self.setTitle("")

    def show_outputs(self, before: np.ndarray, after: np.ndarray, target: int, names, applied: bool = False) -> None:
        self.getPlotItem().clear()
        self.costs = None
        x = np.arange(len(before))
        self.before = pg.BarGraphItem(x=x - 0.18, height=before, width=0.34, brush=theme.mix(theme.PANEL, theme.TEXT, 0.45))
        brushes = [theme.CORRECT if j == target else theme.POSITIVE for j in range(len(after))]
        self.after = pg.BarGraphItem(x=x + 0.18, height=after, width=0.34, brushes=brushes)
        self.addItem(self.before)
        self.addItem(self.after)
        self.getAxis("bottom").setTicks([[(j, names[j]) for j in range(len(before))]])
        self.setYRange(0, 1, padding=0.02)
        self.setTitle(("Applied: " if applied else "") + "outputs before (grey) and after (blue, target green) the step",
                      size="9pt")

    def show_costs(self, costs: np.ndarray) -> None:
        self.getPlotItem().clear()
        self.costs = np.asarray(costs)
        self.plot(np.arange(len(costs)), costs, pen=pg.mkPen(theme.ACCENT, width=2), symbol="o", symbolSize=6,
                  symbolBrush=theme.ACCENT)
        self.getAxis("bottom").setTicks(None)
        self.enableAutoRange()
        self.setTitle(f"This example's cost over {len(costs) - 1} steps", size="9pt")
