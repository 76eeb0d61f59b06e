"""The edges of the lesson's pages that explain nudges: coloured AND thickened by the nudge.

The network's own edges (edge_item.py) tell weights apart by colour and at most two widths: on
a page about nudges that hides which weights get the big ones. Here the strongest nudges are
drawn instead, blue to grow and red to shrink, from hair-thin and faint to thick and bright by
their size relative to the largest on show (one scale for every layer drawn, so that thickness
compares across layers), weak first so the strong end up on top.
A few hundred to a couple of thousand lines: drawn as one painter path per sign and width,
cached at the view's zoom.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ....render.geometry import Layout
from ...shell import theme

#: Widths (and brightnesses) the nudges are sorted into, per sign.
LEVELS = 8
THINNEST, THICKEST = 0.7, 6.0  # pixels
#: Nudges smaller than this share of the largest are not drawn: invisible anyway.
SMALLEST = 0.02
#: At most this many edges of one layer (its strongest): 12,544 thick lines would be a blot.
MOST = 1500


def width_of(level: int) -> float:
    return THINNEST + (THICKEST - THINNEST) * ((level + 1) / LEVELS) ** 1.3


class NudgeEdges(pg.GraphicsObject):
    """``set_values(matrices)``: each shaped like W[l] (None or all zeros: that layer is not drawn)."""

    def __init__(self, layout: Layout, rect: QtCore.QRectF):
        super().__init__()
        self._layout = layout
        self._rect = rect
        self._paths: list[tuple[QtGui.QPen, QtGui.QPainterPath]] = []
        #: How many edges of each layer are drawn, and each one's width in pixels (for tests).
        self.drawn: list[np.ndarray] = []
        self.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def boundingRect(self) -> QtCore.QRectF:
        return self._rect

    def set_values(self, matrices) -> None:
        self._paths, self.drawn = [], []
        chosen = []  # (layer, edge indices, their levels, their signs)
        layers = [np.zeros(0) if m is None else np.asarray(m, np.float64).ravel() for m in matrices or []]
        largest = max((float(np.abs(v).max()) for v in layers if v.size), default=0.0)
        for l, values in enumerate(layers, start=1):
            magnitude = np.abs(values)
            if largest == 0 or not magnitude.any():
                self.drawn.append(np.zeros(0))
                continue
            order = np.argsort(-magnitude, kind="stable")[:MOST]
            order = order[magnitude[order] >= SMALLEST * largest]
            levels = np.minimum((magnitude[order] / largest * LEVELS).astype(int), LEVELS - 1)
            chosen.append((l, order, levels, values[order] > 0))
            self.drawn.append(np.array([width_of(v) for v in levels]))
        table, offsets = self._layout.edge_table, self._layout.edge_offsets
        for level in range(LEVELS):
            for positive in (False, True):
                rows = [offsets[l - 1] + order[(levels == level) & (signs == positive)]
                        for l, order, levels, signs in chosen]
                rows = np.concatenate(rows) if rows else np.zeros(0, int)
                if not len(rows):
                    continue
                segments = table[rows]
                xs = np.column_stack([segments[:, 0], segments[:, 2]]).ravel()
                ys = np.column_stack([segments[:, 1], segments[:, 3]]).ravel()
                colour = theme.mix(theme.BACKGROUND, theme.POSITIVE if positive else theme.NEGATIVE,
                                   0.35 + 0.65 * (level + 1) / LEVELS)
                pen = QtGui.QPen(colour, width_of(level))
                pen.setCosmetic(True)
                pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
                self._paths.append((pen, pg.functions.arrayToQPath(xs, ys, connect="pairs", finiteCheck=False)))
        self.update()

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        if not self._paths:
            return
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        for pen, path in self._paths:
            painter.setPen(pen)
            painter.drawPath(path)
