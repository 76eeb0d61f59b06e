"""The Mistakes tab: the test set's confusion matrix, each cell's count written in it."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ..shell import theme
from .plot import Plot

#: How the matrix looks while the answers for the network on show are being computed.
COMPUTING_OPACITY = 0.35
#: Answers that come within this many milliseconds never fade the matrix: a timeline move, a
#: snapshot while training would make it blink.
FADE_AFTER_MS = 300


class CellCounts(pg.GraphicsObject):
    """The counts of an n x n matrix, each written at the centre of its unit cell, upright and
    at a fixed pixel size whatever the zoom: the diagonal (right answers) in green.

    One item painting every count: 100 text items cost a third of the whole window's repaint.
    """

    def __init__(self):
        super().__init__()
        self.counts = np.zeros((0, 0), np.int64)
        self._font = QtGui.QFont()
        self._font.setPixelSize(10)

    def set_counts(self, counts: np.ndarray) -> None:
        if counts.shape != self.counts.shape:
            self.prepareGeometryChange()
        self.counts = np.array(counts, copy=True)
        self.update()

    def boundingRect(self) -> QtCore.QRectF:
        rows, cols = self.counts.shape
        return QtCore.QRectF(0, 0, cols, rows)

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        rows, cols = self.counts.shape
        if not rows:
            return
        transform = painter.transform()
        painter.resetTransform()
        painter.setFont(self._font)
        box = QtCore.QRectF(-40, -10, 80, 20)
        flags = QtCore.Qt.AlignmentFlag.AlignCenter
        for r, row in enumerate(self.counts.tolist()):
            for c, count in enumerate(row):
                painter.setPen(theme.CORRECT if r == c else theme.TEXT)
                painter.drawText(box.translated(transform.map(QtCore.QPointF(c + 0.5, r + 0.5))), flags, str(count))
        painter.setTransform(transform)


class _Steady(QtWidgets.QWidget):
    """Holds a label filling it, with no layout: the label's new text, which changes its size
    hint (a word-wrapped label's does), re-lays out nothing around it. Through a layout each
    new text re-laid out the whole tab and repainted it a second time a turn later."""

    def __init__(self, label: QtWidgets.QLabel):
        super().__init__()
        self.label = label
        label.setParent(self)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        self.label.setGeometry(self.rect())


class ConfusionPanel(QtWidgets.QWidget):
    """The test set's confusion matrix; clicking a cell asks to browse those examples."""

    cell_clicked = QtCore.Signal(int, int)  # true class, answer

    def __init__(self, parent=None):
        super().__init__(parent)
        self.view = Plot()
        self.view.invertY(True)
        self.view.setMouseEnabled(False, False)
        self.view.setLabel("left", "true digit")
        self.view.setLabel("bottom", "the network's answer")
        self.image = pg.ImageItem(axisOrder="row-major")
        table = np.linspace(np.array(theme.BACKGROUND.getRgb()[:3]), np.array(theme.NEGATIVE.getRgb()[:3]), 256)
        self.image.setLookupTable(np.round(table).astype(np.uint8))
        self.view.addItem(self.image)
        self.image.mouseClickEvent = self._on_click
        self.counts = CellCounts()
        self.view.addItem(self.counts)
        self.summary = QtWidgets.QLabel()
        self.summary.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(self.view, 2)
        layout.addWidget(_Steady(self.summary), 1)
        #: The matrix on show, or None before the first; ``computing``: it is an earlier network's,
        #: faded if they take long, while the answers of the network on show are computed.
        self.matrix: np.ndarray | None = None
        self.computing = False
        self._faded, self._examples = False, 0
        self._fade_timer = QtCore.QTimer(self)
        self._fade_timer.setSingleShot(True)
        self._fade_timer.setInterval(FADE_AFTER_MS)
        self._fade_timer.timeout.connect(self._fade_now)
        self._class_names: list[str] | None = None

    def show_matrix(self, matrix: np.ndarray, class_names, earlier: str | None = None) -> None:
        """The confusion matrix of the network on show; or, with ``earlier`` (what it is instead,
        one sentence), of an earlier network while the answers of the one on show are computed:
        drawn as it is (training: a new network every moment, it would always be faded), and
        clicks on it do nothing."""
        self.matrix = np.array(matrix, copy=True)
        self._fade(False)
        self.computing = earlier is not None
        n = len(matrix)
        # Off-diagonal cells are the interesting ones: scale the colours by them, not by the diagonal.
        off = matrix.astype(float).copy()
        np.fill_diagonal(off, 0)
        shown = off / max(off.max(), 1)  # the diagonal stays dark; its counts are written in green
        self.image.setImage(shown, autoLevels=False, levels=(0, 1))
        self.counts.set_counts(matrix)
        names = [str(name) for name in class_names]
        if names != self._class_names:  # the axes redraw whenever their ticks are set
            self._class_names = names
            ticks = [[(i + 0.5, name) for i, name in enumerate(names)]]
            self.view.getAxis("bottom").setTicks(ticks)
            self.view.getAxis("left").setTicks(ticks)
            self.view.setRange(xRange=(0, n), yRange=(0, n), padding=0)
        totals = matrix.sum(axis=1)
        per_class = np.divide(np.diag(matrix), totals, out=np.zeros(n), where=totals > 0)
        cells = [f"<td>{name}</td><td align=right>{acc:.1%}</td>" for name, acc in zip(names, per_class)]
        half = (len(cells) + 1) // 2
        rows = "".join(f"<tr>{left}<td width=16></td>{right}</tr>"
                       for left, right in zip(cells[:half], cells[half:] + ["<td></td><td></td>"]))
        self.summary.setText(
            f"Test accuracy <b>{np.trace(matrix) / max(matrix.sum(), 1):.2%}</b> ({np.trace(matrix):,} of {matrix.sum():,})."
            f"<br>{earlier or 'Click a cell to browse those examples.'}<table cellspacing=3>{rows}</table>")

    def show_computing(self, examples: int) -> None:
        """The answers of the network on show are being computed: the matrix on show is not its
        own, so clicks on it do nothing, and if the answers take long it fades and the summary says so."""
        self.computing = True
        self._examples = examples
        if not self._fade_timer.isActive() and not self._faded:
            self._fade_timer.start()

    def show_failed(self, line: str) -> None:
        """The answers of the network on show could not be computed (``line`` says why)."""
        self.computing = True
        self._fade_timer.stop()
        self._set_opacity(COMPUTING_OPACITY)
        self.summary.setText(f"The network's answers could not be computed: {line}")

    def _fade_now(self) -> None:
        if self.computing:
            self._set_opacity(COMPUTING_OPACITY)
            self.summary.setText(f"Computing the network's answers for the {self._examples:,} test images…")

    def _fade(self, computing: bool) -> None:
        self.computing = computing
        if not computing:
            self._fade_timer.stop()
            self._set_opacity(1.0)

    def _set_opacity(self, opacity: float) -> None:
        self._faded = opacity < 1.0
        self.image.setOpacity(opacity)
        self.counts.setOpacity(opacity)

    def _on_click(self, event) -> None:
        if self.matrix is None or self.computing:
            return
        point = event.pos()
        row, col = int(point.y()), int(point.x())
        if 0 <= row < len(self.matrix) and 0 <= col < len(self.matrix):
            event.accept()
            self.cell_clicked.emit(row, col)
