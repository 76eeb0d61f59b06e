"""The hidden and output neurons of the network view: discs shaded by activation, their values, the
answer; and, during the backpropagation lesson, its marks on them (lesson_marks.py)."""

from __future__ import annotations

import math

import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from ....core.naming import shown
from ....render.geometry import NEURON_DIAMETER, Layout
from ...shell import theme
from .labels import FONT_PX, label_for
from .lesson_marks import LessonMarks

#: Pixels kept between two output names' digits (closer, every other name is written).
LABEL_GAP = 3


class NeuronItem(pg.GraphicsObject):
    """Hidden and output neurons: discs shaded by activation, values where they fit, the answer.

    Hovering a neuron shows its numbers as a tooltip; clicking one emits ``clicked(layer, index)``.
    """

    clicked = QtCore.Signal(int, int)

    def __init__(self, layout: Layout, class_names: tuple[str, ...], activation: str):
        super().__init__()
        self.setAcceptHoverEvents(True)
        self.vector = False  # True while exporting SVG: draw discs as shapes, not pixmaps
        self.show_values = True  # the activations written inside the circles
        self.last_paint_seconds = 0.0  # what the last repaint cost, for pacing
        self._sprite_cache: dict[int, list[QtGui.QPixmap]] = {}
        self._statics: dict[str, QtGui.QStaticText] = {}
        self.selected: tuple[int, int] | None = None
        self.zs: list[np.ndarray] | None = None
        self.biases: list[np.ndarray] | None = None
        self._layout = layout
        self._class_names = class_names
        self._activation = activation
        self._brushes = theme.shade_brushes()
        self._outline = QtGui.QPen(theme.mix(theme.BACKGROUND, theme.TEXT, 0.45))
        self._outline.setCosmetic(True)
        self._ring = QtGui.QPen(theme.ACCENT, 2.5)
        self._ring.setCosmetic(True)
        self._select_pen = QtGui.QPen(theme.POSITIVE, 3, QtCore.Qt.PenStyle.DotLine)
        self._select_pen.setCosmetic(True)
        self._values: list[np.ndarray] = [np.zeros(n) for n in layout.sizes[1:]]
        self._shades: list[np.ndarray] = [np.zeros(n, np.int64) for n in layout.sizes[1:]]
        self._answer: int | None = None
        self._label: int | None = None
        #: The lesson's arrows, bias bars, ring and circles (none outside the lesson).
        self.lesson = LessonMarks(layout)
        self._font = QtGui.QFont()
        self._font.setPixelSize(FONT_PX)
        metrics = QtGui.QFontMetricsF(self._font)
        # From the top of a value's box to the middle of its digits' ink.
        self._lift = metrics.ascent() - metrics.tightBoundingRect("0").height() / 2
        self._label_font = QtGui.QFont()
        self._label_font.setPixelSize(14)
        points = np.concatenate(layout.positions[1:])
        self._rect_margin = 3.4 * NEURON_DIAMETER
        # Built once: this item repaints at every training snapshot.
        self._centres = [QtCore.QPointF(x, y) for x, y in points.tolist()]
        self._points = points
        self._activations = [activation] * (len(points) - layout.sizes[-1]) + ["sigmoid"] * layout.sizes[-1]
        # Where each layer's neurons are in the lists above: (first, stop), layers 1..L.
        ends = np.cumsum(layout.sizes[1:]).tolist()
        self._spans = list(zip([0] + ends[:-1], ends))
        # A dense layer's circles are smaller than NEURON_DIAMETER (Layout.diameters).
        self._radii = np.repeat(np.asarray(layout.diameters) / 2, layout.sizes[1:])
        m = self._rect_margin
        # The lesson circles pixels of the input image too.
        every = np.concatenate(layout.positions)
        left, top = min(points[:, 0].min() - m, 0.0), min(points[:, 1].min() - m, every[:, 1].min() - m)
        self._rect = QtCore.QRectF(left, top, points[:, 0].max() + m + 30 - left,
                                   max(points[:, 1].max(), every[:, 1].max()) + m - top)

    def set_activations(self, activations: list[np.ndarray], answer: int | None, label: int | None) -> None:
        """``activations[l-1]`` are layer l's (1..L) for one example."""
        self._values = [np.asarray(a, np.float64) for a in activations]
        last = len(self._values) - 1
        self._shades = [theme.shade_index(a, "sigmoid" if l == last else self._activation) for l, a in enumerate(self._values)]
        self._answer, self._label = answer, label
        self.update()

    def neuron_at(self, point: QtCore.QPointF) -> tuple[int, int] | None:
        """(layer 1..L, index) of the neuron under ``point`` (item coordinates), or None."""
        layout = self._layout
        for l, positions in enumerate(layout.positions[1:], start=1):
            reach = layout.diameters[l - 1] / 2 * 1.15
            dx, dy = np.abs(positions[:, 0] - point.x()), np.abs(positions[:, 1] - point.y())
            k = int(np.argmin(np.hypot(dx, dy)))
            # In a dense column a point between two circles belongs to the nearer one.
            if np.hypot(dx[k], dy[k]) <= reach or (dx[k] <= reach and dy[k] <= layout.spacings[l - 1] / 2):
                return l, k
        return None

    def describe(self, layer: int, k: int) -> str:
        """The numbers of neuron ``k`` of layer ``layer``, as the tooltip and the neuron panel say them."""
        last = len(self._layout.sizes) - 1
        name = f"output {self._class_names[k] if k < len(self._class_names) else k}" if layer == last else \
            f"hidden layer {layer}, neuron {shown(k)}"
        text = f"<b>{name}</b><br>activation a = {self._values[layer - 1][k]:.4f}"
        if self.zs is not None:
            text += f"<br>weighted input z = {self.zs[layer - 1][k]:+.4f}"
        if self.biases is not None:
            text += f"<br>bias b = {self.biases[layer - 1][k]:+.4f}"
        return text

    def hoverMoveEvent(self, event) -> None:
        hit = self.neuron_at(event.pos())
        self.setToolTip(self.describe(*hit) if hit else "")

    def mouseClickEvent(self, event) -> None:
        hit = self.neuron_at(event.pos())
        if hit is not None and event.button() == QtCore.Qt.MouseButton.LeftButton:
            event.accept()
            self.clicked.emit(*hit)

    def set_selected(self, selected: tuple[int, int] | None) -> None:
        self.selected = selected
        self.update()

    def set_lesson(self, arrows=(), bias_marks=(), ringed: tuple[int, int] | None = None, marked=()) -> None:
        """The lesson's marks: ``arrows[l-1]`` layer l's wishes and ``bias_marks[l-1]`` its bias
        nudges (None: none there); the neuron ``ringed``; the neurons ``marked`` (layer 0: pixels)."""
        self.lesson.set(arrows, bias_marks, ringed, marked)
        self.update()

    @property
    def arrows(self) -> list[np.ndarray | None]:
        return list(self.lesson.arrows)

    def boundingRect(self) -> QtCore.QRectF:
        return self._rect

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        start = time.perf_counter()
        self._paint(painter)
        self.last_paint_seconds = time.perf_counter() - start

    def _paint(self, painter: QtGui.QPainter) -> None:
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        r = NEURON_DIAMETER / 2
        shades = np.concatenate(self._shades).tolist()
        transform = painter.transform()
        if self.vector or NEURON_DIAMETER * transform.m11() > 160:
            painter.setPen(self._outline)
            for centre, shade, radius in zip(self._centres, shades, self._radii.tolist()):
                painter.setBrush(self._brushes[shade])
                painter.drawEllipse(centre, radius, radius)
        else:
            # Stamping prerendered discs is one cheap call per neuron instead of two expensive
            # ones; this item repaints at every training snapshot.
            painter.resetTransform()
            t = transform
            corners = self._points @ np.array([[t.m11(), t.m12()], [t.m21(), t.m22()]]) + (t.dx(), t.dy())
            for (first, stop), diameter in zip(self._spans, self._layout.diameters):
                sprites = self._sprites(diameter * transform.m11())
                half = sprites[0].width() / 2
                for (x, y), shade in zip((corners[first:stop] - half).tolist(), shades[first:stop]):
                    painter.drawPixmap(QtCore.QPointF(x, y), sprites[shade])
            painter.setTransform(transform)
        if self.selected is not None:
            painter.setPen(self._select_pen)
            painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            layer, k = self.selected
            x, y = self._layout.positions[layer][k]
            ring = max(1.3 * self._layout.diameters[layer - 1] / 2, 0.7 * r)  # found even among tiny circles
            painter.drawEllipse(QtCore.QPointF(x, y), ring, ring)
        output = self._layout.positions[-1]
        if self._answer is not None:
            painter.setPen(self._ring)
            painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            x, y = output[self._answer]
            ring = 1.45 * self._layout.diameters[-1] / 2
            painter.drawEllipse(QtCore.QPointF(x, y), ring, ring)
        self._paint_text(painter, r)
        self.lesson.paint(painter)

    def _sprites(self, diameter_px: float) -> list[QtGui.QPixmap]:
        """One disc per shade of this size, kept until the zoom changes."""
        key = round(diameter_px * 4)
        sprites = self._sprite_cache.get(key)
        if sprites is None:
            if len(self._sprite_cache) > len(self._spans):  # the zoom changed: the old sizes are done with
                self._sprite_cache.clear()
            size = int(np.ceil(diameter_px)) + 3
            pen = QtGui.QPen(self._outline.color(), 1.0)
            sprites = self._sprite_cache[key] = []
            for brush in self._brushes:
                pixmap = QtGui.QPixmap(size, size)
                pixmap.fill(QtCore.Qt.GlobalColor.transparent)
                p = QtGui.QPainter(pixmap)
                p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
                p.setPen(pen)
                p.setBrush(brush)
                p.drawEllipse(QtCore.QPointF(size / 2, size / 2), diameter_px / 2, diameter_px / 2)
                p.end()
                sprites.append(pixmap)
        return sprites

    def _static_text(self, text: str) -> QtGui.QStaticText:
        """Laid out once: few different labels ever appear."""
        static = self._statics.get(text)
        if static is None:
            static = self._statics[text] = QtGui.QStaticText(text)
            static.prepare(QtGui.QTransform(), self._font)
        return static

    def _paint_text(self, painter: QtGui.QPainter, r: float) -> None:
        # Text keeps its size in pixels whatever the zoom: map the anchors to device
        # coordinates and draw untransformed.
        transform = painter.transform()
        painter.resetTransform()
        painter.setFont(self._font)
        lift = self._lift
        values = np.concatenate(self._values).tolist()
        shades = np.concatenate(self._shades).tolist()
        for (first, stop), diameter in zip(self._spans, self._layout.diameters):
            diameter_px = diameter * transform.m11()
            if not self.show_values or label_for(0.0, "relu", diameter_px) is None:
                continue
            labels = [label_for(value, activation, diameter_px)
                      for value, activation in zip(values[first:stop], self._activations[first:stop])]
            if None in labels:
                # All of a layer's values or none: a lone "1" or "0" where a 0.8 does not fit would
                # read as the neuron's number.
                continue
            for point, label, shade in zip(self._centres[first:stop], labels, shades[first:stop]):
                centre = transform.map(point)
                painter.setPen(theme.BACKGROUND if shade > theme.SHADES * 0.55 else theme.TEXT)
                text = self._static_text(label)
                # Centred by the digits' ink, not by the line, which has room for descenders below.
                painter.drawStaticText(QtCore.QPointF(centre.x() - text.size().width() / 2, centre.y() - lift), text)
        painter.setFont(self._label_font)
        outputs = self._layout.positions[-1]
        # Closer than a line of text, the names would stack: every n-th, and always the answer's.
        top, bottom = (transform.map(QtCore.QPointF(float(x), float(y))).y() for x, y in (outputs[0], outputs[-1]))
        spacing = abs(bottom - top) / max(len(outputs) - 1, 1)
        ink = QtGui.QFontMetricsF(self._label_font).tightBoundingRect("0123456789").height() + LABEL_GAP
        every = max(1, math.ceil(ink / max(spacing, 1e-6)))
        for k, (x, y) in enumerate(outputs):
            near_answer = self._answer is not None and 0 < abs(k - self._answer) < every
            if k != self._answer and (k % every or near_answer):
                continue
            anchor = transform.map(QtCore.QPointF(x + r * 1.9, y))
            winner = k == self._answer
            colour = theme.ACCENT if winner else theme.DIM_TEXT
            if winner and self._label is not None:
                colour = theme.CORRECT if k == self._label else theme.WRONG
            painter.setPen(colour)
            name = self._class_names[k] if k < len(self._class_names) else str(k)
            painter.drawText(QtCore.QRectF(anchor.x(), anchor.y() - 10, 200, 20), QtCore.Qt.AlignmentFlag.AlignVCenter, name)
        painter.setTransform(transform)
