"""What the backpropagation lesson draws on the neurons: each neuron's wish as an arrow, the bias
nudges as bars, the neuron the text follows ringed, and the neurons a question names circled.

Every mark sits on its own neuron, inside the band of height its layer's spacing gives each
neuron, so that no mark ever reaches a neighbour: an arrow is at most that band long, centred on
the neuron; a bias bar at most half of it, from the centre up (grow) or down (shrink). Lengths
follow the zoom; widths are in pixels, so that an arrow reads as one however small the network.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from ....render.geometry import NEURON_DIAMETER, NEURON_SPACING, Layout
from ...shell import theme

#: The longest arrow, as a share of the band its neuron has (the rest keeps neighbours apart).
FILL = 0.94
#: Wishes below this share of the largest get no arrow: they would be a dot.
SMALLEST = 0.03
HEAD = (4.0, 9.0)  # the arrow head's half-width in pixels: a third of the band, within these bounds
BAR = 2.0  # a bias bar's half-width in pixels


def bands(layout: Layout) -> list[float]:
    """The height each neuron of layer l (0..L) has to itself: its layer's spacing."""
    found = []
    for positions in layout.positions:
        ys = np.sort(positions[:, 1])
        found.append(float(np.min(np.diff(ys))) if len(ys) > 1 else NEURON_SPACING)
    return found


def arrow(x: float, y: float, length: float, up: bool, band: float) -> QtGui.QPolygonF:
    """A vertical arrow ``length`` pixels long centred on (x, y), pointing up (y decreasing) or down,
    on a neuron whose band is ``band`` pixels high."""
    s = -1.0 if up else 1.0
    tip, tail = y + s * length / 2, y - s * length / 2
    half = float(np.clip(band / 3, *HEAD))
    head = min(0.6 * length, 1.2 * half)
    neck = tip - s * head
    width = max(1.0, half / 3)
    points = [(x - width, tail), (x - width, neck), (x - half, neck), (x, tip), (x + half, neck), (x + width, neck),
              (x + width, tail)]
    return QtGui.QPolygonF([QtCore.QPointF(px, py) for px, py in points])


class LessonMarks:
    """The lesson's marks for one layout; ``paint`` draws them in item (scene) coordinates."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.bands = bands(layout)
        L = len(layout.sizes) - 1
        self.arrows: list[np.ndarray | None] = [None] * L
        self.bias_marks: list[np.ndarray | None] = [None] * L
        self.ringed: tuple[int, int] | None = None
        self.marked: tuple[tuple[int, int], ...] = ()
        self._brushes = {True: QtGui.QBrush(theme.POSITIVE), False: QtGui.QBrush(theme.NEGATIVE)}
        self._outline = QtGui.QPen(theme.BACKGROUND, 1.0)
        self._outline.setCosmetic(True)
        self._ring = QtGui.QPen(theme.TEXT, 3.0)
        self._ring.setCosmetic(True)
        self._circle = QtGui.QPen(theme.ACCENT, 2.0, QtCore.Qt.PenStyle.DashLine)
        self._circle.setCosmetic(True)

    def set(self, arrows, bias_marks, ringed, marked) -> None:
        L = len(self.arrows)
        self.arrows = (list(arrows) + [None] * L)[:L]
        self.bias_marks = (list(bias_marks) + [None] * L)[:L]
        self.ringed = None if ringed is None else (int(ringed[0]), int(ringed[1]))
        self.marked = tuple((int(l), int(k)) for l, k in marked)

    def clear(self) -> None:
        self.set([], [], None, ())

    @property
    def empty(self) -> bool:
        return (all(a is None for a in self.arrows) and all(b is None for b in self.bias_marks)
                and self.ringed is None and not self.marked)

    def paint(self, painter: QtGui.QPainter) -> None:
        """Draw on ``painter``, set to item (scene) coordinates."""
        if self.empty:
            return
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        self._paint_rings(painter)
        transform = painter.transform()
        painter.resetTransform()  # arrows and bars in pixels
        try:
            self._paint_bars(painter, transform)
            self._paint_arrows(painter, transform)
        finally:
            painter.setTransform(transform)

    def _in_pixels(self, transform: QtGui.QTransform, l: int):
        """Layer ``l``'s neuron centres in pixels, and the band each has, in pixels."""
        centres = [transform.map(QtCore.QPointF(x, y)) for x, y in self.layout.positions[l].tolist()]
        return [(c.x(), c.y()) for c in centres], self.bands[l] * abs(transform.m22())

    @staticmethod
    def _largest(layers) -> float:
        values = [float(np.max(np.abs(v))) for v in layers if v is not None and np.size(v)]
        return max(values, default=0.0) or 1.0

    def _paint_arrows(self, painter: QtGui.QPainter, transform: QtGui.QTransform) -> None:
        biggest = self._largest(self.arrows)  # one scale for all arrows on show: lengths compare
        painter.setPen(self._outline)
        for l, values in enumerate(self.arrows, start=1):
            if values is None:
                continue
            centres, band = self._in_pixels(transform, l)
            for (x, y), value in zip(centres, np.asarray(values, float).tolist()):
                share = abs(value) / biggest
                if share < SMALLEST:
                    continue
                painter.setBrush(self._brushes[value > 0])
                painter.drawPolygon(arrow(x, y, FILL * band * share, value > 0, band))

    def _paint_bars(self, painter: QtGui.QPainter, transform: QtGui.QTransform) -> None:
        biggest = self._largest(self.bias_marks)
        for l, values in enumerate(self.bias_marks, start=1):
            if values is None:
                continue
            centres, band = self._in_pixels(transform, l)
            for (x, y), value in zip(centres, np.asarray(values, float).tolist()):
                height = FILL * band / 2 * abs(value) / biggest
                if height < 2 * BAR:  # shorter than it is wide, it would read as a minus sign
                    continue
                # No outline: on a short bar it would be all there is to see.
                painter.setPen(QtCore.Qt.PenStyle.NoPen)
                painter.setBrush(self._brushes[value > 0])
                top = y - height if value > 0 else y
                painter.drawRect(QtCore.QRectF(x - BAR, top, 2 * BAR, height))

    def _paint_rings(self, painter: QtGui.QPainter) -> None:
        r = NEURON_DIAMETER / 2
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.setPen(self._circle)
        for l, k in self.marked:
            x, y = self.layout.positions[l][k]
            if l == 0:  # a pixel of the input image
                side = 2.2 * self.layout.pixel_size
                painter.drawRect(QtCore.QRectF(x - side / 2, y - side / 2, side, side))
            else:
                painter.drawEllipse(QtCore.QPointF(x, y), r * 1.6, r * 1.6)
        if self.ringed is not None:
            l, k = self.ringed
            x, y = self.layout.positions[l][k]
            painter.setPen(self._ring)
            painter.drawEllipse(QtCore.QPointF(x, y), r * 1.8, r * 1.8)
