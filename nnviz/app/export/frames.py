"""A run's history as frames: the network reading one example, the cost and accuracy plots with a
cursor, and a caption; and the export the window and ``nnviz animate`` call.

Frames are rendered offscreen from a widget of the requested size and handed to
``nnviz.animation.writers`` as RGB arrays. The network view is the app's own, driven only through
its public ``show_network``/``show_forward``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ...animation.options import (DEFAULT_FPS, DEFAULT_SECONDS, DEFAULT_SECONDS_PER_PAGE, DEFAULT_SIZE, Example,
                                 frame_count)
from ...animation.writers import Progress, check_writable, write_animation
from ...core.data import Dataset
from ...core.errors import NnvizError
from ...core.evaluation import accuracy
from ...core.history import RunHistory
from ...core.network import Network
from ...lessons.lesson import Lesson, LessonExample
from ...lessons.screen import screen_of
from ..shell import theme
from ..views.network.network_view import DEFAULT_EDGE_FRACTION, NetworkView
from ..views.plot import Plot
from ..views.plots import legend_below
from ..views.stepper import StepperPanel

class FramesWidget(QtWidgets.QWidget):
    """What both renderers are: an offscreen widget of a fixed size in the window's colours, the
    network view on the left, a side panel on its right, and an optional caption above both."""

    def __init__(self, size: tuple[int, int], edge_fraction: float = DEFAULT_EDGE_FRACTION):
        super().__init__()
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.setStyleSheet(theme.STYLE_SHEET)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QtGui.QPalette.ColorRole.Window, theme.BACKGROUND)
        self.setPalette(palette)
        self.frame_size = size
        self.view = NetworkView()
        self.view.setMinimumSize(1, 1)
        # The input edges the window draws: a frame shows what the window showed.
        self.view.set_edge_fraction(edge_fraction)

    def arrange(self, side: QtWidgets.QWidget, view_stretch: int, side_stretch: int,
                caption: QtWidgets.QWidget | None = None) -> None:
        body = QtWidgets.QHBoxLayout()
        body.addWidget(self.view, view_stretch)
        body.addWidget(side, side_stretch)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        if caption is not None:
            layout.addWidget(caption)
        layout.addLayout(body, 1)
        self.setFixedSize(*self.frame_size)

    def present(self) -> None:
        """Lay the frame out at its size, offscreen, and fit the network view to it."""
        self.show()
        self.view.reset_zoom()


class RunFrames(FramesWidget):
    """The frame of a run at any checkpoint of its ``history``, ``size`` pixels (width, height)."""

    def __init__(self, network: Network, history: RunHistory, dataset: Dataset, example: Example,
                 size: tuple[int, int] = DEFAULT_SIZE, edge_fraction: float = DEFAULT_EDGE_FRACTION):
        if not len(history):
            raise NnvizError("the file has no training history to animate (train it with nnviz 0.2 or later)")
        super().__init__(size, edge_fraction)
        self.network = network.copy()
        self.history = history
        self.dataset = dataset
        self.example = example
        split = dataset.split(example.split)
        self.inputs = split.inputs(slice(example.index, example.index + 1))
        self.label = int(split.labels[example.index])
        self.caption = QtWidgets.QLabel()
        font = self.caption.font()
        font.setPixelSize(max(12, size[1] // 30))
        self.caption.setFont(font)
        self.caption.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.cost_plot, self.cost_cursor = self._plot("cost", history.end)
        self.cost_plot.plot(history.cost_positions, history.cost_values, pen=pg.mkPen(theme.ACCENT, width=2))
        self.accuracy_plot, self.accuracy_cursor = self._plot("accuracy (%)", history.end)
        # As in the window: the legend in a row below the axes, never on the curves.
        self.accuracy_legend = legend_below(self.accuracy_plot)
        epochs = history.epochs
        x = [record.epoch for record in epochs]
        curve = self.accuracy_plot.plot(x, [100 * r.validation_accuracy for r in epochs],
                                        pen=pg.mkPen(theme.POSITIVE, width=2), symbol="o", symbolSize=6,
                                        symbolBrush=theme.POSITIVE)
        self.accuracy_legend.addItem(curve, "validation")
        tested = [(r.epoch, 100 * r.test_accuracy) for r in epochs if r.test_accuracy is not None]
        if tested:
            curve = self.accuracy_plot.plot(*zip(*tested), pen=pg.mkPen(theme.CORRECT, width=2),
                                            symbol="o", symbolSize=6, symbolBrush=theme.CORRECT)
            self.accuracy_legend.addItem(curve, "test")
        # Every checkpoint's own test accuracy, as a line the cursor's dot runs along: with a
        # fixed range the plot does not jump from frame to frame.
        self.checkpoint_accuracy = []
        for i in range(len(history)):
            self.network.params[:] = history.parameters(i)
            self.checkpoint_accuracy.append(accuracy(self.network, dataset.test))
        curve = self.accuracy_plot.plot(history.checkpoint_positions, 100 * np.array(self.checkpoint_accuracy),
                                        pen=pg.mkPen(theme.mix(theme.PANEL, theme.CORRECT, 0.5), width=1))
        self.accuracy_legend.addItem(curve, "test, every checkpoint")
        self._fit_legend(self.accuracy_legend, room=size[0] * 2 / 5 - 50)
        lowest = min(self.checkpoint_accuracy + [r.validation_accuracy for r in epochs])
        self.accuracy_plot.setYRange(100 * lowest, 100, padding=0.03)
        self.accuracy_dot = self.accuracy_plot.plot([], [], pen=None, symbol="o", symbolSize=10, symbolBrush=theme.TEXT)
        plots = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(plots)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.cost_plot)
        column.addWidget(self.accuracy_plot)
        self.arrange(plots, 3, 2, caption=self.caption)
        self.view.show_network(self.network, dataset.image_shape, dataset.class_names)
        self.present()

    @staticmethod
    def _fit_legend(legend: pg.LegendItem, room: float) -> None:
        """As few rows as fit ``room`` pixels: a legend wider than its plot widens the plot past
        the frame, which then cuts off the plot's right end."""
        for columns in (3, 2, 1):
            legend.setColumnCount(columns)
            if legend.sizeHint(QtCore.Qt.SizeHint.PreferredSize).width() <= room:
                return

    def _plot(self, title: str, end: float) -> tuple[pg.PlotWidget, pg.InfiniteLine]:
        plot = Plot()
        plot.setTitle(title, color=theme.TEXT)
        plot.setLabel("bottom", "epoch")
        plot.setMouseEnabled(False, False)
        plot.hideButtons()
        plot.setXRange(0, max(end, 1e-3), padding=0.02)
        cursor = pg.InfiniteLine(0, angle=90, pen=pg.mkPen(theme.TEXT, width=1, style=QtCore.Qt.PenStyle.DashLine))
        plot.addItem(cursor)
        return plot, cursor

    def checkpoint_schedule(self, frames: int, hold: int) -> list[int]:
        """Which checkpoint each of ``frames`` frames shows, then the last one for ``hold`` frames.

        Time runs as the square of the frame's place (epoch = end · t²): slow at the start,
        where the network changes fastest and the checkpoints are densest, faster later.
        """
        moving = max(1, frames - hold)
        end = float(self.history.end)
        steps = [self.history.index_at(end * (i / max(1, moving - 1)) ** 2 + 1e-9) for i in range(moving)]
        return (steps + [len(self.history) - 1] * frames)[:frames]

    def render(self, index: int) -> np.ndarray:
        """The frame at checkpoint ``index`` as (height, width, 3) uint8."""
        self.network.params[:] = self.history.parameters(index)
        position = float(self.history.checkpoint_positions[index])
        forward = self.network.forward(self.inputs)
        answer = int(forward.output[0].argmax())
        self.view.show_network(self.network, self.dataset.image_shape, self.dataset.class_names)
        self.view.show_forward(forward, answer, self.label)
        # The live window draws new edges in slices across event-loop turns; a frame needs them now.
        self.view.finish_drawing()
        test = self.checkpoint_accuracy[index]
        self.cost_cursor.setValue(position)
        self.accuracy_cursor.setValue(position)
        self.accuracy_dot.setData([position], [100 * test])
        name = self.dataset.class_names[answer]
        verdict = "right" if answer == self.label else f"wrong, it is {self.dataset.class_names[self.label]}"
        self.caption.setText(
            f"Epoch {position:.2f}  ·  test accuracy {test:.1%}  ·  "
            f"{self.example.describe()} read as {name} ({verdict})"
        )
        return grab_rgb(self)


def application() -> QtWidgets.QApplication:
    """The running QApplication, made if there is none (the command line renders headless)."""
    return QtWidgets.QApplication.instance() or QtWidgets.QApplication(["nnviz"])


def grab_rgb(widget: QtWidgets.QWidget) -> np.ndarray:
    """What ``widget`` shows, as (height, width, 3) uint8."""
    image = widget.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes()).reshape(height, image.bytesPerLine())
    return rows[:, : width * 3].reshape(height, width, 3).copy()


def export_timeline(path: str | Path, network: Network, history: RunHistory, dataset: Dataset, example: Example,
                    size: tuple[int, int] = DEFAULT_SIZE, fps: float = DEFAULT_FPS, seconds: float = DEFAULT_SECONDS,
                    progress: Progress | None = None, edge_fraction: float = DEFAULT_EDGE_FRACTION) -> Path:
    """Write the replay of ``history`` to ``path`` (.gif, .webp, .apng or .mp4), its input edges
    drawn as the window's are (``edge_fraction``).

    ``progress(done, total)`` is called after every frame; returning False cancels (no file is
    left behind, AnimationCancelled is raised). Needs a QApplication.
    """
    check_writable(path)
    frames = frame_count(fps, seconds)
    renderer = RunFrames(network, history, dataset, example, size, edge_fraction)
    try:
        schedule = renderer.checkpoint_schedule(frames, hold=min(round(fps), frames // 5))
        # The last frame has colours the first lacks (a right answer in green): both choose a GIF's palette.
        last = renderer.render(schedule[-1]) if Path(path).suffix.lower() == ".gif" else None
        return write_animation((renderer.render(i) for i in schedule), path, fps, frames, progress,
                               palette_frames=() if last is None else (last,))
    finally:
        renderer.close()
        renderer.deleteLater()


class WalkFrames(FramesWidget):
    """The backpropagation walk for one example, as frames of ``size``: each page of a ``Lesson`` as
    the window shows it, the network picture on the left and the stepper's explanation on the right
    (its words and pictures; no controls, no scroll bar)."""

    #: The explanation's share of the frame's width, and its text's size as a share of the frame's height.
    SIDE_SHARE, FONT_SHARE = 0.42, 1 / 52
    #: The explanation's pictures (nudge images, the input's wish, the step's bars): at most this share of its height.
    PICTURE_SHARE = 0.3
    #: The smallest text a page shrinks to when it would not fit the frame otherwise (pixels).
    SMALLEST_FONT = 7

    def __init__(self, network: Network, dataset: Dataset, example: Example, learning_rate: float,
                 batch_size: int = 10, size: tuple[int, int] = DEFAULT_SIZE, edge_fraction: float = DEFAULT_EDGE_FRACTION):
        super().__init__(size, edge_fraction)
        shown = LessonExample.from_split(dataset, example.split, example.index, network.dtype)
        self.lesson = Lesson(network, dataset, shown, learning_rate, batch_size=batch_size)
        self.stepper = StepperPanel()
        self.stepper.show_explanation_only(picture_height=round(size[1] * self.PICTURE_SHARE))
        self.font_size = int(np.clip(size[1] * self.FONT_SHARE, 9, 15))
        self._set_font(self.font_size)
        self.stepper.setFixedWidth(max(260, round(size[0] * self.SIDE_SHARE)))
        self.arrange(self.stepper, 1, 0)
        self.view.show_network(network, dataset.image_shape, dataset.class_names)
        self.present()

    @property
    def pages(self) -> int:
        return len(self.lesson.pages)

    def _set_font(self, pixels: int) -> None:
        # By style sheet: under the window's style sheet a font set on a parent no longer reaches its children.
        self.stepper.setStyleSheet(f"* {{ font-size: {pixels}px; }} QLabel#caption {{ font-size: {round(1.4 * pixels)}px; }}")
        self.view.legend.setStyleSheet(f"font-size: {pixels}px;")

    def _fits(self) -> bool:
        """The page's explanation fits the frame's height (a video cannot scroll)."""
        explanation, room = self.stepper.explanation, self.stepper.scroll.viewport()
        return explanation.heightForWidth(room.width()) <= room.height()

    def render(self, page: int) -> np.ndarray:
        self.lesson.go(page)
        self.stepper.show_screen(screen_of(self.lesson))
        self.view.show_lesson(self.lesson.picture)
        # A long page in a small frame: smaller text, rather than a page cut off at the bottom.
        for pixels in range(self.font_size, self.SMALLEST_FONT - 1, -1):
            self._set_font(pixels)
            QtWidgets.QApplication.processEvents()  # the page's layout, before it is measured and taken
            if self._fits():
                break
        self.view.reset_zoom()
        self.view.finish_drawing()
        return grab_rgb(self)


def export_backprop_walk(path: str | Path, network: Network, dataset: Dataset, example: Example, learning_rate: float,
                         size: tuple[int, int] = DEFAULT_SIZE, fps: float = DEFAULT_FPS, seconds_per_page: float = DEFAULT_SECONDS_PER_PAGE,
                         progress: Progress | None = None, edge_fraction: float = DEFAULT_EDGE_FRACTION) -> Path:
    """Write the backpropagation walk for ``example`` to ``path``: each page of the stepper held
    for ``seconds_per_page``, with its caption. ``progress`` as for ``export_timeline``."""
    check_writable(path)
    per_page = frame_count(fps, seconds_per_page)
    renderer = WalkFrames(network, dataset, example, learning_rate, size=size, edge_fraction=edge_fraction)
    try:
        total = per_page * renderer.pages

        def frames():
            for page in range(renderer.pages):
                frame = renderer.render(page)
                for _ in range(per_page):
                    yield frame

        return write_animation(frames(), path, fps, total, progress)
    finally:
        renderer.close()
        renderer.deleteLater()
