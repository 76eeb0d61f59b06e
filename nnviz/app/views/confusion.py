"""The Mistakes tab: the test set's confusion matrix, each cell's count written in it."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ...core.formatting import epoch_text
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
    Each number is laid out once (``QStaticText``), not at every paint: a move of the timeline
    paints the matrix in its busiest turn.
    """

    #: Laid-out numbers kept at most; the counts of a 10-class test set are far fewer.
    KEPT_TEXTS = 4096

    def __init__(self):
        super().__init__()
        self.counts = np.zeros((0, 0), np.int64)
        self._font = QtGui.QFont()
        self._font.setPixelSize(10)
        self._texts: dict[str, tuple[QtGui.QStaticText, QtCore.QPointF]] = {}

    def set_counts(self, counts: np.ndarray) -> None:
        if counts.shape != self.counts.shape:
            self.prepareGeometryChange()
        self.counts = np.array(counts, copy=True)
        self.update()

    def _text(self, number: str) -> tuple[QtGui.QStaticText, QtCore.QPointF]:
        """The number laid out, and half its size (from its top left corner to its centre)."""
        kept = self._texts.get(number)
        if kept is None:
            if len(self._texts) >= self.KEPT_TEXTS:
                self._texts.clear()
            text = QtGui.QStaticText(number)
            text.setTextFormat(QtCore.Qt.TextFormat.PlainText)
            text.prepare(QtGui.QTransform(), self._font)
            size = text.size()
            kept = self._texts[number] = (text, QtCore.QPointF(size.width() / 2, size.height() / 2))
        return kept

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
        for r, row in enumerate(self.counts.tolist()):
            for c, count in enumerate(row):
                text, half = self._text(str(count))
                painter.setPen(theme.CORRECT if r == c else theme.TEXT)
                painter.drawStaticText(transform.map(QtCore.QPointF(c + 0.5, r + 0.5)) - half, text)
        painter.setTransform(transform)


class PerClass(QtWidgets.QWidget):
    """Each class's share of right answers, in two columns of name and share, painted: as a
    rich-text table in a label, laying it out again took a fifth of a timeline move's longest turn."""

    #: Pixels between a name and its share, and between the two columns.
    GAP, COLUMN_GAP = 8, 20

    def __init__(self):
        super().__init__()
        self.rows: list[tuple[str, str]] = []
        self._names: list[str] = []
        self._widths = (0, 0)

    def set_shares(self, names: list[str], shares: np.ndarray) -> None:
        """``shares[k]``: the share of class ``names[k]``'s examples answered right (0..1)."""
        self.rows = [(name, f"{share:.1%}") for name, share in zip(names, shares)]
        if names != self._names:
            self._names = list(names)
            metrics = self.fontMetrics()
            self._widths = (max((metrics.horizontalAdvance(n) for n in names), default=0),
                            metrics.horizontalAdvance("100.0%"))
            self.updateGeometry()
        self.update()

    def text(self) -> str:
        """What it shows, a class a line (for tests and the accessible description)."""
        return "\n".join(f"{name} {share}" for name, share in self.rows)

    def sizeHint(self) -> QtCore.QSize:
        column = self._widths[0] + self.GAP + self._widths[1]
        return QtCore.QSize(2 * column + self.COLUMN_GAP, self._line() * ((len(self.rows) + 1) // 2))

    def _line(self) -> int:
        return self.fontMetrics().height() + 3

    def paintEvent(self, event) -> None:
        painter = QtGui.QPainter(self)
        painter.setPen(self.palette().color(QtGui.QPalette.ColorRole.WindowText))
        half = (len(self.rows) + 1) // 2
        name_width, share_width = self._widths
        column = name_width + self.GAP + share_width + self.COLUMN_GAP
        line = self._line()
        left, right = QtCore.Qt.AlignmentFlag.AlignLeft, QtCore.Qt.AlignmentFlag.AlignRight
        for k, (name, share) in enumerate(self.rows):
            x, y = (k // half) * column, (k % half) * line
            painter.drawText(QtCore.QRect(x, y, name_width, line), left | QtCore.Qt.AlignmentFlag.AlignVCenter, name)
            painter.drawText(QtCore.QRect(x + name_width + self.GAP, y, share_width, line),
                             right | QtCore.Qt.AlignmentFlag.AlignVCenter, share)
        painter.end()


class _Steady(QtWidgets.QWidget):
    """Holds the summary's label and the shares under it, with no layout: a new text, which
    changes the label's size hint (a word-wrapped label's does), re-lays out nothing around it.
    Through a layout each new text re-laid out the whole tab and repainted it a second time a
    turn later."""

    def __init__(self, label: QtWidgets.QLabel, shares: PerClass):
        super().__init__()
        self.label, self.shares = label, shares
        label.setParent(self)
        shares.setParent(self)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding)

    def place(self) -> None:
        """The label as tall as its text, the shares under it."""
        width = self.width()
        height = min(self.label.heightForWidth(width), self.height())
        if self.label.geometry() != QtCore.QRect(0, 0, width, height):
            self.label.setGeometry(0, 0, width, height)
        below = QtCore.QRect(0, height + 4, width, max(0, self.height() - height - 4))
        if self.shares.geometry() != below:
            self.shares.setGeometry(below)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        self.place()


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
        for side in ("left", "bottom"):  # ticks toward their labels: pointing in, they crossed the counts
            self.view.getAxis(side).setStyle(tickLength=4)
        self.image = pg.ImageItem(axisOrder="row-major")
        # Painted from a picture of it kept at the screen's scale: drawn straight into the plot,
        # under its clip, it was a costly part of each of a move's repaints.
        self.image.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
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
        #: Each class's share of right answers.
        self.shares = PerClass()
        self._steady = _Steady(self.summary, self.shares)
        layout.addWidget(self._steady, 1)
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

    def show_matrix(self, matrix: np.ndarray, class_names, earlier: str | None = None,
                    position: float | None = None) -> None:
        """The confusion matrix of the network on show (at ``position``, epochs into its run, if
        given); or, with ``earlier`` (what it is instead, one sentence), of an earlier network while
        the answers of the one on show are computed: drawn as it is (training: a new network every
        moment, it would always be faded), and clicks on it do nothing."""
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
        self.shares.set_shares(names, per_class)
        at = f" at epoch {epoch_text(position)}" if position is not None and earlier is None else ""
        self._say(f"Test accuracy <b>{np.trace(matrix) / max(matrix.sum(), 1):.2%}</b> ({np.trace(matrix):,} "
                  f"of {matrix.sum():,}){at}.<br>{earlier or 'Click a cell to browse those examples.'}"
                  f"<br>Answered right, by true digit:")

    def _say(self, text: str) -> None:
        self.summary.setText(text)
        self._steady.place()

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
        self._say(f"The network's answers could not be computed: {line}")

    def _fade_now(self) -> None:
        if self.computing:
            self._set_opacity(COMPUTING_OPACITY)
            self._say(f"Computing the network's answers for the {self._examples:,} test images…")

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
