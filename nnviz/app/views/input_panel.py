"""Where the example comes from: browsing a dataset split, or a digit drawn with the mouse."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ...core.formatting import activation_text
from ..shell import actions, theme

#: Eight screen pixels per MNIST pixel: big enough to draw with a mouse, small enough for a 720-line screen.
CANVAS_SIZE = 224
IMAGE_SIZE = 140
#: The example's caption ("Label 7 · network says 7 (a = 0.99)") has room for this many lines.
CAPTION_LINES = 3


class DrawingCanvas(QtWidgets.QWidget):
    """White ink on black, drawn with the mouse; ``changed`` after every stroke segment."""

    changed = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFixedSize(CANVAS_SIZE, CANVAS_SIZE)
        self.setCursor(QtCore.Qt.CursorShape.CrossCursor)
        self.pen_width = round(22 * CANVAS_SIZE / 280)
        self._image = QtGui.QImage(CANVAS_SIZE, CANVAS_SIZE, QtGui.QImage.Format.Format_Grayscale8)
        self._image.fill(0)
        self._last: QtCore.QPointF | None = None

    def clear(self) -> None:
        self._image.fill(0)
        self.update()
        self.changed.emit()

    def ink(self) -> np.ndarray:
        """The drawing as (h, w) floats in [0, 1]."""
        pointer = self._image.constBits()
        array = np.frombuffer(pointer, np.uint8).reshape(CANVAS_SIZE, self._image.bytesPerLine())[:, :CANVAS_SIZE]
        return array.astype(np.float32) / 255.0

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:
        self._last = event.position()
        self._stroke(event.position())

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:
        if self._last is not None:
            self._stroke(event.position())

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:
        self._last = None

    def _stroke(self, to: QtCore.QPointF) -> None:
        painter = QtGui.QPainter(self._image)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        pen = QtGui.QPen(QtGui.QColor(255, 255, 255), self.pen_width, QtCore.Qt.PenStyle.SolidLine,
                         QtCore.Qt.PenCapStyle.RoundCap, QtCore.Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.drawLine(self._last, to)
        painter.end()
        self._last = to
        self.update()
        self.changed.emit()

    def paintEvent(self, event) -> None:
        painter = QtGui.QPainter(self)
        painter.drawImage(0, 0, self._image)
        painter.setPen(QtGui.QPen(theme.DIM_TEXT, 1, QtCore.Qt.PenStyle.DotLine))
        margin = CANVAS_SIZE * 4 / 28  # MNIST's 20x20 box inside 28x28
        painter.drawRect(QtCore.QRectF(margin, margin, CANVAS_SIZE - 2 * margin, CANVAS_SIZE - 2 * margin))
        painter.end()


class InputPanel(QtWidgets.QTabWidget):
    """Two tabs: browse the dataset, or draw. Emits what the person asked for; the window decides."""

    browsed = QtCore.Signal(int)  # -1 previous, +1 next, 0 random
    filters_changed = QtCore.Signal()
    index_chosen = QtCore.Signal(int)
    drawing_changed = QtCore.Signal()
    source_changed = QtCore.Signal(str)  # "dataset" or "drawing"

    def __init__(self, parent=None):
        super().__init__(parent)
        # -- browse --
        browse = QtWidgets.QWidget()
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground(theme.BACKGROUND)
        self.view.setFixedSize(IMAGE_SIZE, IMAGE_SIZE)
        self.view.ci.setContentsMargins(0, 0, 0, 0)
        box = self.view.addViewBox(lockAspect=True, invertY=True, enableMouse=False, enableMenu=False)
        box.setDefaultPadding(0.0)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(theme.grey_lookup_table())
        box.addItem(self.image)
        self._image: np.ndarray | None = None
        self.caption = QtWidgets.QLabel()
        self.caption.setObjectName("caption")
        self.caption.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.caption.setWordWrap(True)
        # Fixed heights: labels whose size hint changes with every snapshot would relayout the panel.
        self.caption.setFixedHeight(CAPTION_LINES * self.caption.fontMetrics().lineSpacing() + 6)
        self.position = QtWidgets.QLabel()
        self.position.setObjectName("dim")
        self.position.setWordWrap(True)
        self.position.setFixedHeight(2 * self.position.fontMetrics().lineSpacing() + 4)
        self.split = QtWidgets.QComboBox()
        self.split.addItems(["test", "validation", "train"])
        self.digit = QtWidgets.QComboBox()
        self.only_mistakes = QtWidgets.QCheckBox("only the ones it gets wrong")
        self.index = QtWidgets.QSpinBox()
        self.index.setKeyboardTracking(False)
        self.index.setToolTip("Go to this example (counting from 1)")
        for widget in (self.split, self.digit):
            widget.currentIndexChanged.connect(self.filters_changed)
        self.only_mistakes.toggled.connect(self.filters_changed)
        self.index.valueChanged.connect(self._on_index_typed)
        buttons = QtWidgets.QHBoxLayout()
        self.previous_button = QtWidgets.QPushButton("◀")
        self.random_button = QtWidgets.QPushButton("Random")
        self.next_button = QtWidgets.QPushButton("▶")
        self._steps = QtWidgets.QButtonGroup(self)
        for button, step, name in ((self.previous_button, -1, "previous_example"), (self.random_button, 0, "random_example"),
                                   (self.next_button, 1, "next_example")):
            button.setToolTip(actions.tooltip(name))
            self._steps.addButton(button, step + 1)  # ids from 0: a button group numbers -1 itself
            buttons.addWidget(button)
        self._steps.idClicked.connect(self._on_step_clicked)
        self.only_mistakes.setToolTip("Browse only the examples the network answers wrongly")
        self.split.setToolTip("The training, validation or test set")
        self.digit.setToolTip("Only this digit (or any)")
        # The picture beside what it is, the filters under both: the panel must fit a 720-line screen.
        text = QtWidgets.QVBoxLayout()
        text.addWidget(self.caption)
        text.addWidget(self.position)
        text.addStretch(1)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.view, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        top.addLayout(text, 1)
        form = QtWidgets.QGridLayout()
        form.addWidget(QtWidgets.QLabel("Set"), 0, 0)
        form.addWidget(self.split, 0, 1)
        form.addWidget(QtWidgets.QLabel("Digit"), 0, 2)
        form.addWidget(self.digit, 0, 3)
        form.addWidget(self.only_mistakes, 1, 0, 1, 4)
        form.addWidget(QtWidgets.QLabel("Example"), 2, 0)
        form.addWidget(self.index, 2, 1, 1, 3)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        layout = QtWidgets.QVBoxLayout(browse)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addLayout(form)
        layout.addStretch(1)
        self.addTab(browse, "Dataset")
        # -- draw --
        draw = QtWidgets.QWidget()
        self.canvas = DrawingCanvas()
        self.canvas.changed.connect(self.drawing_changed)
        self.clear_button = QtWidgets.QPushButton("Clear")
        self.clear_button.setToolTip("Wipe the drawing")
        self.clear_button.clicked.connect(self.canvas.clear)
        self.pen = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.pen.setRange(round(8 * CANVAS_SIZE / 280), round(40 * CANVAS_SIZE / 280))
        self.pen.setValue(self.canvas.pen_width)
        self.pen.valueChanged.connect(self._on_pen_moved)
        self.draw_caption = QtWidgets.QLabel()
        self.draw_caption.setObjectName("caption")
        self.draw_caption.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.draw_caption.setWordWrap(True)
        self.draw_caption.setFixedHeight(2 * self.draw_caption.fontMetrics().lineSpacing() + 6)
        pen_row = QtWidgets.QHBoxLayout()
        pen_row.addWidget(QtWidgets.QLabel("Pen"))
        pen_row.addWidget(self.pen)
        pen_row.addWidget(self.clear_button)
        layout = QtWidgets.QVBoxLayout(draw)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.canvas, alignment=QtCore.Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(pen_row)
        layout.addWidget(self.draw_caption)
        layout.addStretch(1)
        self.addTab(draw, "Draw")
        self.currentChanged.connect(self._on_tab_chosen)

    def _on_step_clicked(self, button_id: int) -> None:
        self.browsed.emit(button_id - 1)

    def _on_index_typed(self, number: int) -> None:
        self.index_chosen.emit(number - 1)  # the box counts from 1

    def _on_pen_moved(self, width: int) -> None:
        self.canvas.pen_width = width

    def _on_tab_chosen(self, index: int) -> None:
        self.source_changed.emit("drawing" if index == 1 else "dataset")

    def set_classes(self, names) -> None:
        self.digit.blockSignals(True)
        self.digit.clear()
        self.digit.addItem("any")
        self.digit.addItems(list(names))
        self.digit.blockSignals(False)

    @property
    def digit_filter(self) -> int | None:
        return None if self.digit.currentIndex() <= 0 else self.digit.currentIndex() - 1

    def typed_filters(self) -> tuple[str, int | None, bool]:
        """(split, digit or None, only mistakes) as the person chose them with these controls."""
        return self.split.currentText(), self.digit_filter, self.only_mistakes.isChecked()

    def show_filters(self, split: str, digit: int | None, mistakes: bool) -> None:
        """Show the filters in force without announcing them as the person's choice."""
        for widget in (self.split, self.digit, self.only_mistakes):
            widget.blockSignals(True)
        self.split.setCurrentText(split)
        self.digit.setCurrentIndex(0 if digit is None else digit + 1)
        self.only_mistakes.setChecked(mistakes)
        for widget in (self.split, self.digit, self.only_mistakes):
            widget.blockSignals(False)

    def show_source(self, drawing: bool) -> None:
        """The Draw tab (True) or the Dataset tab, without announcing it."""
        self.blockSignals(True)
        self.setCurrentIndex(1 if drawing else 0)
        self.blockSignals(False)

    def drawing_ink(self) -> np.ndarray:
        """The drawing as (h, w) floats in [0, 1]."""
        return self.canvas.ink()

    def show_example(self, image: np.ndarray, label_name: str, answer_name: str, confidence: float,
                     correct: bool, where: str, index: int, count: int) -> None:
        if self._image is None or not np.array_equal(image, self._image):
            self._image = np.array(image, copy=True)
            self.image.setImage(np.asarray(image, np.float32) / 255.0, autoLevels=False, levels=(0.0, 1.0))
        self.caption.setText(_caption(label_name, answer_name, confidence, correct))
        self.position.setText(where)
        # Set only when changed: even the same range re-lays out the panel, repainting it again a turn later.
        if (self.index.minimum(), self.index.maximum(), self.index.value()) != (1, max(count, 1), index + 1):
            self.index.blockSignals(True)
            self.index.setRange(1, max(count, 1))
            self.index.setValue(index + 1)
            self.index.blockSignals(False)

    def show_drawing_answer(self, answer_name: str | None, confidence: float = 0.0) -> None:
        self.draw_caption.setText("Draw a digit in the box" if answer_name is None else
                                  f"The network says <b style='color:{theme.ACCENT.name()}'>{answer_name}</b> (a = {activation_text(confidence)})")


def _caption(label_name: str, answer_name: str, confidence: float, correct: bool) -> str:
    colour = theme.CORRECT if correct else theme.WRONG
    return (f"Label <b>{label_name}</b> · network says "
            f"<b style='color:{colour.name()}'>{answer_name}</b> (a = {activation_text(confidence)})")
