"""Looking inside: the first hidden layer's weights as images, one neuron up close (the mistakes:
``confusion``)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ...core.naming import shown
from ..shell import theme
from .plot import Plot


def _image_box(layout: pg.GraphicsLayoutWidget, row: int, col: int) -> tuple[pg.ViewBox, pg.ImageItem]:
    box = layout.addViewBox(row=row, col=col, lockAspect=True, invertY=True, enableMouse=False, enableMenu=False)
    box.setDefaultPadding(0.0)
    box.setBorder(pg.mkPen(theme.mix(theme.BACKGROUND, theme.TEXT, 0.25)))
    item = pg.ImageItem(axisOrder="row-major")
    item.setLookupTable(theme.diverging_lookup_table())
    box.addItem(item)
    return box, item


#: The smallest a weight picture is drawn, in screen pixels: two to a weight of a 28x28 image.
MIN_PICTURE_PX = 56
#: The line between two pictures, in the pictures' own pixels.
GAP = 1
#: The size of the neuron numbers written on the pictures.
NUMBER_POINTS = 7.5


class WeightImages(QtWidgets.QWidget):
    """Each first-hidden-layer neuron's 784 incoming weights as a picture: what it looks for.

    Blue is positive, red negative, one symmetric colour scale for all of them, so that the
    pictures can be compared with each other. They are drawn side by side into one image (one
    repaint for all of them), as large as the tab lets them be; when they would be smaller than
    MIN_PICTURE_PX (a wide first layer in a small tab), they come in pages that ``previous`` and
    ``next`` turn. Hovering a picture names its neuron.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setBackground(theme.PANEL)
        self.canvas.ci.setContentsMargins(2, 2, 2, 2)
        self.box = self.canvas.addViewBox(lockAspect=True, invertY=True, enableMouse=False, enableMenu=False)
        self.box.setDefaultPadding(0.0)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.box.addItem(self.image)
        self.previous = QtWidgets.QPushButton("‹ Previous")
        self.next = QtWidgets.QPushButton("Next ›")
        self.page_label = QtWidgets.QLabel()
        self.page_label.setObjectName("dim")
        for button in (self.previous, self.next):
            button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.previous.clicked.connect(self._on_previous)
        self.next.clicked.connect(self._on_next)
        self.pages_bar = QtWidgets.QWidget()
        bar = QtWidgets.QHBoxLayout(self.pages_bar)
        bar.setContentsMargins(4, 0, 4, 2)
        bar.addWidget(self.previous)
        bar.addWidget(self.page_label, 1, QtCore.Qt.AlignmentFlag.AlignCenter)
        bar.addWidget(self.next)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.pages_bar)
        self.pages_bar.hide()
        self.canvas.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._lookup = theme.diverging_lookup_table()[:, :3].astype(np.uint8)
        self._border = np.array(theme.mix(theme.BACKGROUND, theme.TEXT, 0.25).getRgb()[:3], np.uint8)
        self.weights: np.ndarray | None = None
        self.image_shape: tuple[int, int] = (28, 28)
        self.limit = 1.0
        #: The first neuron of the page on show, the neurons a page holds, and its (rows, columns).
        self.first = 0
        self.per_page = 1
        self.grid = (1, 1)
        #: Each picture's neuron number in its corner (as the network counts them: from 1).
        self.numbers: list[pg.TextItem] = []

    def show_weights(self, weights: np.ndarray, image_shape: tuple[int, int]) -> None:
        """``weights`` (n_1, n_0): row j becomes neuron j's picture."""
        if self.weights is None or len(weights) != len(self.weights):
            self.first = 0
        self.weights = np.array(weights, np.float32)
        self.image_shape = tuple(image_shape)
        # A robust scale: a handful of large weights would otherwise leave every picture dark.
        self.limit = float(np.percentile(np.abs(self.weights), 99.5)) or 1.0
        self._arrange()

    def picture(self, k: int) -> np.ndarray:
        """The values neuron ``k``'s picture shows, shaped like an image."""
        return self.weights[k].reshape(self.image_shape)

    @property
    def shown(self) -> range:
        """The neurons whose pictures are on show."""
        return range(self.first, min(self.first + self.per_page, 0 if self.weights is None else len(self.weights)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange()

    # -- internals ----------------------------------------------------------------------------

    def _arrange(self) -> None:
        """Choose the grid for the room the tab has now, and draw the page on show."""
        if self.weights is None:
            return
        n = len(self.weights)
        bar = self.pages_bar.sizeHint().height()
        width, height = max(self.width() - 4, 1), max(self.height() - 4, 1)
        rows, columns = self._best_grid(n, width, height)
        if self._picture_px(rows, columns, width, height) < MIN_PICTURE_PX and n > 1:
            # Pages, the bar taking room from them: as many as fit at the smallest readable size.
            height = max(height - bar, 1)
            cell = MIN_PICTURE_PX * (self.image_shape[1] + GAP) / self.image_shape[1]
            columns = max(1, int(width // cell))
            rows = max(1, int(height // cell))
            self.per_page = rows * columns
            rows, columns = self._best_grid(min(self.per_page, n), width, height)
        else:
            self.per_page = n
        self.grid = (rows, columns)
        self.first = self.first // self.per_page * self.per_page
        self.pages_bar.setVisible(self.per_page < n)
        self._draw()

    def _best_grid(self, n: int, width: float, height: float) -> tuple[int, int]:
        """(rows, columns) for ``n`` pictures that gives each the most room."""
        shapes = [(-(-n // columns), columns) for columns in range(1, n + 1)]
        return max(shapes, key=lambda shape: (self._picture_px(*shape, width, height), -shape[0] * shape[1]))

    def _picture_px(self, rows: int, columns: int, width: float, height: float) -> float:
        h, w = self.image_shape
        return min(width / (columns * (w + GAP) - GAP) * w, height / (rows * (h + GAP) - GAP) * h)

    def _draw(self) -> None:
        shown = self.shown
        rows, columns = self.grid
        h, w = self.image_shape
        values = self.weights[shown.start:shown.stop]
        index = np.clip(np.rint((values / self.limit + 1) * 127.5), 0, 255).astype(np.intp)
        pictures = self._lookup[index].reshape(len(values), h, w, 3)
        cells = np.empty((rows * columns, h + GAP, w + GAP, 3), np.uint8)
        cells[:] = self._border
        cells[:len(values), :h, :w] = pictures
        cells[len(values):] = np.array(theme.PANEL.getRgb()[:3], np.uint8)  # empty places at the end
        mosaic = cells.reshape(rows, columns, h + GAP, w + GAP, 3).transpose(0, 2, 1, 3, 4)
        mosaic = mosaic.reshape(rows * (h + GAP), columns * (w + GAP), 3)[:-GAP or None, :-GAP or None]
        self.image.setImage(mosaic, autoLevels=False, levels=None)
        self.box.setRange(QtCore.QRectF(0, 0, mosaic.shape[1], mosaic.shape[0]), padding=0)
        self._number(shown, columns)
        total = len(self.weights)
        self.page_label.setText(f"Neurons {shown.start + 1}–{shown.stop} of {total}")
        self.previous.setEnabled(shown.start > 0)
        self.next.setEnabled(shown.stop < total)

    def _number(self, neurons: range, columns: int) -> None:
        """Write each picture's neuron number in its top left corner."""
        h, w = self.image_shape
        while len(self.numbers) < len(neurons):
            number = pg.TextItem(color=theme.TEXT, fill=pg.mkBrush(theme.mix(theme.PANEL, theme.BACKGROUND, 0.5)),
                                 anchor=(0, 0))
            font = number.textItem.font()
            font.setPointSizeF(NUMBER_POINTS)
            number.setFont(font)
            self.box.addItem(number)
            self.numbers.append(number)
        for i, number in enumerate(self.numbers):
            number.setVisible(i < len(neurons))
            if i < len(neurons):
                row, column = divmod(i, columns)
                number.setText(str(shown(neurons.start + i)))
                number.setPos(column * (w + GAP), row * (h + GAP))

    def _on_previous(self) -> None:
        self.first = max(0, self.first - self.per_page)
        self._draw()

    def _on_next(self) -> None:
        if self.first + self.per_page < len(self.weights):
            self.first += self.per_page
            self._draw()

    def neuron_at(self, point: QtCore.QPointF) -> int | None:
        """The neuron whose picture is under ``point`` (the image's pixels), or None."""
        h, w = self.image_shape
        row, column = int(point.y() // (h + GAP)), int(point.x() // (w + GAP))
        rows, columns = self.grid
        if not (0 <= row < rows and 0 <= column < columns) or point.x() < 0 or point.y() < 0:
            return None
        k = self.first + row * columns + column
        return k if k in self.shown else None

    def _on_mouse_moved(self, position) -> None:
        if self.weights is None:
            return
        k = self.neuron_at(self.image.mapFromScene(position))
        # Numbered as everywhere a person reads them: from 1 (core.naming).
        self.canvas.setToolTip("" if k is None else f"Hidden layer 1, neuron {shown(k)}: what it looks for")


class NeuronPanel(QtWidgets.QWidget):
    """The neuron last clicked, on pages of its own (a bottom tab is short): its numbers and
    incoming weights, what excites it (``dream``), its ``history`` through the run, and its
    weights to edit (``editor``). Which neuron it is stays written beside the pages' names. The
    history and dream pages may be ``Later`` pages, their views made when first shown."""

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
        self.plot = Plot()
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
