"""The stepper's small pictures: the first layer's nudges as images, the input's wish beside the
input, and the outputs before and after a step (or an example's cost over repeated steps)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

from ...shell import theme
from ....lessons.numbers import apart_all, significant
from ..plot import Plot

MAX_IMAGES = 16
#: Plot titles, as a share of the text's size: small enough that each fits the panel's width on one line.
TITLE_SHARE = 0.7


def image_limits(nudges: np.ndarray, shared: bool) -> np.ndarray:
    """The symmetric colour range ±limit of each row's picture: its own largest |nudge|, or one for all."""
    own = np.max(np.abs(nudges), axis=1)
    limits = np.full(len(own), own.max()) if shared else own
    return np.where(limits > 0, limits, 1.0)


def picture_shape(size: int, image_shape=None) -> tuple[int, int]:
    if image_shape is not None and int(np.prod(image_shape)) == size:
        return tuple(image_shape)
    side = int(np.sqrt(size))
    return (side, side) if side * side == size else (1, size)


def image_box(grid: pg.GraphicsLayoutWidget, row: int, col: int) -> tuple[pg.ViewBox, pg.ImageItem]:
    box = grid.addViewBox(row=row, col=col, lockAspect=True, invertY=True, enableMouse=False, enableMenu=False)
    box.setBorder(pg.mkPen(theme.mix(theme.BACKGROUND, theme.TEXT, 0.25)))
    item = pg.ImageItem(axisOrder="row-major")
    box.addItem(item)
    return box, item


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
        self._shape: tuple[int, int] = (1, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.shared)
        row.addWidget(self.legend, 1)
        layout.addLayout(row)

    def show_nudges(self, nudges: np.ndarray, image_shape=None) -> None:
        """``nudges`` (n_1, n_0): one picture per row, of ``image_shape``."""
        nudges = np.asarray(nudges)
        n = min(len(nudges), MAX_IMAGES)
        shape = picture_shape(nudges.shape[1], image_shape)
        if len(self.items) != n or shape != self._shape:
            self.grid.clear()
            self.items = []
            columns = int(np.ceil(np.sqrt(n)))
            for i in range(n):
                _, item = image_box(self.grid, i // columns, i % columns)
                item.setLookupTable(theme.diverging_lookup_table())
                self.items.append(item)
            self._shape = shape
        self._nudges = nudges
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


class InputWish(QtWidgets.QWidget):
    """The example beside −η ∂C/∂x: how each of its pixels would like to change (blue brighter, red darker)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grid = pg.GraphicsLayoutWidget()
        self.grid.setBackground(theme.BACKGROUND)
        self.grid.setFixedHeight(180)
        _, self.example = image_box(self.grid, 0, 0)
        self.example.setLookupTable(theme.grey_lookup_table())
        _, self.wish = image_box(self.grid, 0, 1)
        self.wish.setLookupTable(theme.diverging_lookup_table())
        self.legend = QtWidgets.QLabel("Left: the example. Right: how each pixel would like to change, −η ∂C/\u2060∂x "
                                       "(blue: brighter, red: darker, full colour: the largest wish).")
        self.legend.setWordWrap(True)
        self.limit = 1.0
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid)
        layout.addWidget(self.legend)

    def show_wish(self, example: np.ndarray, wish: np.ndarray) -> None:
        """``example`` and ``wish``, two pictures of the same shape (rows, cols)."""
        self.limit = float(np.max(np.abs(wish))) or 1.0
        self.example.setImage(np.asarray(example, np.float64), autoLevels=False, levels=(0.0, 1.0))
        self.wish.setImage(np.asarray(wish, np.float64), autoLevels=False, levels=(-self.limit, self.limit))


class CostAxis(pg.AxisItem):
    """Cost ticks with as many digits as tell them apart: 0.00512, 0.00508, never 0.005, 0.005."""

    def tickStrings(self, values, scale, spacing):
        return apart_all([v * scale for v in values])


def title_size(widget: QtWidgets.QWidget) -> str:
    """The size of a plot's title beside text in ``widget``'s font (9pt beside the window's 13 px)."""
    return f"{max(5, round(TITLE_SHARE * QtGui.QFontInfo(widget.font()).pixelSize()))}pt"


class OutputBars(Plot):
    """The ten outputs before and after a step (or an example's cost over repeated steps)."""

    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"left": CostAxis("left")})
        self.setFixedHeight(170)
        for side in ("left", "bottom"):
            self.getAxis(side).enableAutoSIPrefix(False)
        self.setMouseEnabled(False, False)
        self.hideButtons()
        self.before = self.after = None
        self.costs = None
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
        self.getAxis("left").setTicks([[(v, f"{v:.1f}") for v in (0.0, 0.5, 1.0)]])
        self.setXRange(-0.6, len(before) - 0.4, padding=0)
        self.setYRange(0, 1, padding=0.02)
        self.setTitle(("Applied: outputs" if applied else "Outputs") + " before (grey), after (blue; target green)",
                      size=title_size(self))

    def show_costs(self, costs: np.ndarray) -> None:
        """The example's cost before the first step and after each: ``costs`` (n + 1,)."""
        self.getPlotItem().clear()
        self.costs = np.asarray(costs)
        steps = len(costs) - 1
        self.plot(np.arange(len(costs)), costs, pen=pg.mkPen(theme.ACCENT, width=2), symbol="o", symbolSize=6,
                  symbolBrush=theme.ACCENT)
        every = max(1, int(np.ceil(steps / 5)))
        self.getAxis("bottom").setTicks([[(i, str(i)) for i in range(0, steps + 1, every)]])
        self.getAxis("left").setTicks(None)
        # Half a step of room on each side: the last tick's label ("10") is never cut at the edge.
        self.setXRange(-0.5, steps + 0.5, padding=0)
        low, high = float(np.min(costs)), float(np.max(costs))
        self.setYRange(low, high if high > low else low + 1e-9, padding=0.08)
        self.setTitle(f"This example's cost before and after each of {steps} steps", size=title_size(self))
