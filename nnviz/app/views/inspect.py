"""Looking inside: the first hidden layer's weights as images, one neuron up close, the mistakes."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ...core.naming import shown
from ..shell import theme


def _image_box(layout: pg.GraphicsLayoutWidget, row: int, col: int) -> tuple[pg.ViewBox, pg.ImageItem]:
    box = layout.addViewBox(row=row, col=col, lockAspect=True, invertY=True, enableMouse=False, enableMenu=False)
    box.setDefaultPadding(0.0)
    box.setBorder(pg.mkPen(theme.mix(theme.BACKGROUND, theme.TEXT, 0.25)))
    item = pg.ImageItem(axisOrder="row-major")
    item.setLookupTable(theme.diverging_lookup_table())
    box.addItem(item)
    return box, item


class WeightImages(pg.GraphicsLayoutWidget):
    """Each first-hidden-layer neuron's 784 incoming weights as a picture: what it looks for.

    Blue is positive, red negative, one symmetric colour scale for all of them, so that the
    pictures can be compared with each other.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setBackground(theme.PANEL)
        self.items: list[pg.ImageItem] = []
        self.limit = 1.0
        self._key = None

    def show_weights(self, weights: np.ndarray, image_shape: tuple[int, int]) -> None:
        """``weights`` (n_1, n_0): row j becomes neuron j's picture."""
        key = (weights.shape, tuple(image_shape))
        if key != self._key:
            self.clear()
            self.items = []
            columns = min(8, len(weights)) if len(weights) <= 16 else int(np.ceil(np.sqrt(len(weights))))
            for j in range(min(len(weights), 64)):
                _, item = _image_box(self, j // columns, j % columns)
                self.items.append(item)
            self._key = key
        # A robust scale: a handful of large weights would otherwise leave every picture dark.
        self.limit = float(np.percentile(np.abs(weights), 99.5)) or 1.0
        for item, row in zip(self.items, weights):
            item.setImage(row.reshape(image_shape), autoLevels=False, levels=(-self.limit, self.limit))


class NeuronPanel(QtWidgets.QWidget):
    """The neuron last clicked, on pages of its own (a bottom tab is short): its numbers and
    incoming weights, what excites it (``dream``), its ``history`` through the run, and its
    weights to edit (``editor``). Which neuron it is stays written beside the pages' names."""

    PROMPT = "Click a neuron in the network to see what it listens to."
    PAGES = ("Numbers", "What excites it", "Through the run", "Edit its weights")

    def __init__(self, history: QtWidgets.QWidget, editor: QtWidgets.QWidget, dream: QtWidgets.QWidget,
                 parent=None):
        super().__init__(parent)
        self.history, self.editor, self.dream = history, editor, dream
        self.caption = QtWidgets.QLabel(self.PROMPT)
        self.caption.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.caption.setWordWrap(True)
        self.caption.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
        self.plot = pg.PlotWidget(background=theme.PANEL)
        self.plot.setMouseEnabled(False, False)
        self.picture = pg.GraphicsLayoutWidget()
        self.picture.setBackground(theme.PANEL)
        self.picture_box, self.picture_item = _image_box(self.picture, 0, 0)
        self.bars: pg.BarGraphItem | None = None
        # In the short tab of a small screen the caption scrolls rather than losing its last lines.
        self.caption_scroll = QtWidgets.QScrollArea()
        self.caption_scroll.setWidget(self.caption)
        self.caption_scroll.setWidgetResizable(True)
        self.caption_scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.caption_scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.numbers = QtWidgets.QWidget()
        numbers = QtWidgets.QHBoxLayout(self.numbers)
        numbers.setContentsMargins(6, 4, 6, 4)
        numbers.addWidget(self.caption_scroll, 3)
        numbers.addWidget(self.picture, 2)
        numbers.addWidget(self.plot, 2)
        self.pages = QtWidgets.QTabWidget()
        self.pages.setDocumentMode(True)
        for page, title in zip((self.numbers, dream, history, editor), self.PAGES):
            self.pages.addTab(page, title)
        self.title = QtWidgets.QLabel()
        self.title.setObjectName("dim")
        self.pages.setCornerWidget(self.title, QtCore.Qt.Corner.TopRightCorner)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.picture.hide()
        self.plot.hide()
        self.incoming: np.ndarray | None = None

    def show_nothing(self) -> None:
        self.caption.setText(self.PROMPT)
        self.incoming = None
        self.picture.hide()
        self.plot.hide()

    def show_title(self, title: str) -> None:
        """Which neuron the pages are about ("" for none)."""
        self.title.setText(title)

    def show_neuron(self, text: str, incoming: np.ndarray, image_shape: tuple[int, int] | None) -> None:
        """``text`` says the neuron's numbers; ``incoming`` are the weights into it, shown as an
        image when ``image_shape`` is given."""
        self.caption.setText(text)
        self.incoming = np.array(incoming, copy=True)
        limit = float(np.percentile(np.abs(incoming), 99.5)) or 1.0
        if image_shape is not None:
            self.picture_item.setImage(self.incoming.reshape(image_shape), autoLevels=False, levels=(-limit, limit))
            self.picture.show()
            self.plot.hide()
            return
        self.plot.clear()
        # Numbered as everywhere a person reads them: from 1 (core.naming).
        x = shown(np.arange(len(incoming)))
        brushes = [pg.mkBrush(theme.POSITIVE if w >= 0 else theme.NEGATIVE) for w in incoming]
        self.bars = pg.BarGraphItem(x=x, height=self.incoming, width=0.8, brushes=brushes, pen=None)
        self.plot.addItem(self.bars)
        # First, middle and last only: the plot may be narrow; the caption says of which layer.
        ends = sorted({1, (len(x) + 1) // 2, len(x)}) if len(x) > 2 else list(x)
        self.plot.getAxis("bottom").setTicks([[(int(i), str(i)) for i in ends]])
        self.plot.setLabel("bottom", "neuron")
        self.plot.setLabel("left", "weight")
        self.plot.show()
        self.picture.hide()


class ConfusionPanel(QtWidgets.QWidget):
    """The test set's confusion matrix; clicking a cell asks to browse those examples."""

    cell_clicked = QtCore.Signal(int, int)  # true class, answer

    def __init__(self, parent=None):
        super().__init__(parent)
        self.view = pg.PlotWidget(background=theme.PANEL)
        self.view.invertY(True)
        self.view.setMouseEnabled(False, False)
        self.view.setLabel("left", "true digit")
        self.view.setLabel("bottom", "the network's answer")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.view.addItem(self.image)
        self.image.mouseClickEvent = self._on_click
        self.texts: list[pg.TextItem] = []
        self._font = QtGui.QFont()
        self._font.setPixelSize(10)
        self.summary = QtWidgets.QLabel()
        self.summary.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
        side = QtWidgets.QVBoxLayout()
        side.addWidget(self.summary, 1)
        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(self.view, 2)
        layout.addLayout(side, 1)
        self.matrix: np.ndarray | None = None

    def show_matrix(self, matrix: np.ndarray, class_names) -> None:
        self.matrix = np.array(matrix, copy=True)
        n = len(matrix)
        # Off-diagonal cells are the interesting ones: scale the colours by them, not by the diagonal.
        off = matrix.astype(float).copy()
        np.fill_diagonal(off, 0)
        shown = off / max(off.max(), 1)  # the diagonal stays dark; its counts are written in green
        table = np.vstack([np.linspace(np.array(theme.BACKGROUND.getRgb()[:3]), np.array(theme.NEGATIVE.getRgb()[:3]), 256)])
        self.image.setLookupTable(np.round(table).astype(np.uint8))
        self.image.setImage(shown, autoLevels=False, levels=(0, 1))
        if len(self.texts) != n * n:
            # Made once per size: creating 100 TextItems costs far more than setting their text,
            # and the timeline shows a new matrix at every checkpoint.
            for text in self.texts:
                self.view.removeItem(text)
            self.texts = []
            for r in range(n):
                for c in range(n):
                    text = pg.TextItem("", color=theme.CORRECT if r == c else theme.TEXT, anchor=(0.5, 0.5))
                    text.setFont(self._font)
                    text.setPos(c + 0.5, r + 0.5)
                    self.view.addItem(text)
                    self.texts.append(text)
        for text, count in zip(self.texts, matrix.ravel().tolist()):
            text.setPlainText(str(count))
        ticks = [[(i + 0.5, str(name)) for i, name in enumerate(class_names)]]
        self.view.getAxis("bottom").setTicks(ticks)
        self.view.getAxis("left").setTicks(ticks)
        self.view.setRange(xRange=(0, n), yRange=(0, n), padding=0)
        totals = matrix.sum(axis=1)
        per_class = np.divide(np.diag(matrix), totals, out=np.zeros(n), where=totals > 0)
        cells = [f"<td>{name}</td><td align=right>{acc:.1%}</td>" for name, acc in zip(class_names, per_class)]
        half = (len(cells) + 1) // 2
        rows = "".join(f"<tr>{left}<td width=16></td>{right}</tr>"
                       for left, right in zip(cells[:half], cells[half:] + ["<td></td><td></td>"]))
        self.summary.setText(
            f"Test accuracy <b>{np.trace(matrix) / max(matrix.sum(), 1):.2%}</b> ({np.trace(matrix):,} of {matrix.sum():,})."
            f"<br>Click a cell to browse those examples.<table cellspacing=3>{rows}</table>")

    def _on_click(self, event) -> None:
        if self.matrix is None:
            return
        point = event.pos()
        row, col = int(point.y()), int(point.x())
        if 0 <= row < len(self.matrix) and 0 <= col < len(self.matrix):
            event.accept()
            self.cell_clicked.emit(row, col)
