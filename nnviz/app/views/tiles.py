"""Small images in a grid, painted crisp: a weight picture, a dream, the nine images a neuron likes.

One widget paints the whole grid (nine child widgets per grid would cost more than the drawing),
as the largest square grid its size allows, each image scaled by whole-pixel blocks without
smoothing, so a 28x28 picture stays a picture of 784 pixels. A tile may carry a caption along its
bottom (an activation) and a mark in its top-left corner (a label), drawn once the tile is large
enough to read them.
"""

from __future__ import annotations

import functools
from typing import Sequence

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from ..shell import theme

#: Below this many pixels a tile shows its image only; its texts stay in its tooltip.
TEXT_FROM = 36
GAP = 2


def grey_levels() -> tuple[tuple[float, float], np.ndarray]:
    """Levels and lookup table for the network's inputs: 0 dark, 1 white."""
    return (0.0, 1.0), _table(theme.grey_lookup_table)


def diverging_levels(limit: float) -> tuple[tuple[float, float], np.ndarray]:
    """Levels and lookup table for weights or changes: red -limit, blue +limit."""
    return (-limit, limit), _table(theme.diverging_lookup_table)


@functools.cache
def _table(make) -> np.ndarray:
    # Made once: a dream forming shows ten pictures a tick, and making the table cost more than using it.
    table = make()
    table.flags.writeable = False
    return table


def to_qimage(values: np.ndarray, levels: tuple[float, float], table: np.ndarray) -> QtGui.QImage:
    """``values`` (h, w) through ``table`` (256, 3) uint8, ``levels`` mapping to its ends."""
    low, high = levels
    scale = 255 / (high - low) if high > low else 0.0
    index = np.clip(np.round((np.nan_to_num(np.asarray(values, np.float64)) - low) * scale), 0, 255).astype(np.uint8)
    rgb = np.ascontiguousarray(table[index])
    h, w = index.shape
    return QtGui.QImage(rgb.data, w, h, 3 * w, QtGui.QImage.Format.Format_RGB888).copy()


class Tiles(QtWidgets.QWidget):
    """``rows`` x ``cols`` small images; ``clicked(i)`` names the tile clicked (row by row)."""

    clicked = QtCore.Signal(int)

    def __init__(self, rows: int = 1, cols: int = 1, parent=None):
        super().__init__(parent)
        self.rows, self.cols = rows, cols
        n = rows * cols
        self.images: list[np.ndarray | None] = [None] * n
        self.levels: list[tuple[float, float] | None] = [None] * n
        self.captions: list[str] = [""] * n
        self.corners: list[str] = [""] * n
        self._qimages: list[QtGui.QImage | None] = [None] * n
        self._font = QtGui.QFont()
        self._font.setPixelSize(10)
        self.setMinimumSize(24 * cols, 24 * rows)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(120, 120 * self.rows // self.cols)

    def clear(self) -> None:
        n = self.rows * self.cols
        self.images, self.levels, self._qimages = [None] * n, [None] * n, [None] * n
        self.captions, self.corners = [""] * n, [""] * n
        self.update()

    def show_tile(self, i: int, image: np.ndarray, levels: tuple[float, float], table: np.ndarray,
                  caption: str = "", corner: str = "") -> None:
        """Tile ``i`` shows ``image`` (h, w) through ``table`` with ``levels`` at its ends."""
        self.images[i] = np.array(image, np.float64, copy=True)
        self.levels[i] = levels
        self.captions[i], self.corners[i] = caption, corner
        self._qimages[i] = to_qimage(self.images[i], levels, table)
        self.update()

    def show_tiles(self, images: Sequence[np.ndarray], levels: tuple[float, float], table: np.ndarray,
                   captions: Sequence[str] = (), corners: Sequence[str] = ()) -> None:
        """The first len(images) tiles show ``images``; the rest are emptied."""
        self.clear()
        for i, image in enumerate(list(images)[: len(self.images)]):
            self.show_tile(i, image, levels, table, captions[i] if i < len(captions) else "",
                           corners[i] if i < len(corners) else "")

    # -- geometry and painting ------------------------------------------------------------------

    def tile_rect(self, i: int) -> QtCore.QRect:
        """Where tile ``i`` is painted: square, the grid centred in the widget."""
        side = max(1, min((self.width() - GAP * (self.cols - 1)) // self.cols,
                          (self.height() - GAP * (self.rows - 1)) // self.rows))
        left = (self.width() - (side * self.cols + GAP * (self.cols - 1))) // 2
        top = (self.height() - (side * self.rows + GAP * (self.rows - 1))) // 2
        row, col = divmod(i, self.cols)
        return QtCore.QRect(left + col * (side + GAP), top + row * (side + GAP), side, side)

    def paintEvent(self, event) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.setFont(self._font)
        border = theme.mix(theme.BACKGROUND, theme.TEXT, 0.25)
        for i, qimage in enumerate(self._qimages):
            rect = self.tile_rect(i)
            if qimage is None:
                painter.fillRect(rect, theme.BACKGROUND)
                continue
            painter.drawImage(rect, qimage)
            painter.setPen(border)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
            if rect.width() >= TEXT_FROM:
                self._paint_texts(painter, rect, self.captions[i], self.corners[i])
        painter.end()

    def _paint_texts(self, painter: QtGui.QPainter, rect: QtCore.QRect, caption: str, corner: str) -> None:
        metrics = painter.fontMetrics()
        for text, at_top in ((corner, True), (caption, False)):
            if not text:
                continue
            width = metrics.horizontalAdvance(text) + 6
            height = metrics.height()
            x = rect.left() + 1 if at_top else rect.center().x() - width // 2
            y = rect.top() + 1 if at_top else rect.bottom() - height
            box = QtCore.QRect(x, y, min(width, rect.width() - 2), height)
            painter.fillRect(box, QtGui.QColor(0, 0, 0, 170))
            painter.setPen(theme.ACCENT if at_top else theme.TEXT)
            painter.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, text)

    def tile_at(self, point: QtCore.QPoint) -> int | None:
        for i in range(len(self.images)):
            if self.images[i] is not None and self.tile_rect(i).contains(point):
                return i
        return None

    def mousePressEvent(self, event) -> None:
        i = self.tile_at(event.position().toPoint())
        if i is not None and event.button() == QtCore.Qt.MouseButton.LeftButton:
            self.clicked.emit(i)
            event.accept()
            return
        super().mousePressEvent(event)

    def event(self, event) -> bool:
        if event.type() == QtCore.QEvent.Type.ToolTip:
            i = self.tile_at(event.pos())
            text = " · ".join(t for t in (self.corners[i], self.captions[i]) if t) if i is not None else ""
            if text:
                QtWidgets.QToolTip.showText(event.globalPos(), text, self)
            else:
                QtWidgets.QToolTip.hideText()
            return True
        return super().event(event)
