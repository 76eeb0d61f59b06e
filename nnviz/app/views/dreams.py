"""What a neuron looks for: its weight picture, its dream forming with its activation rising, and
the test images that excite it most and least; a strip of ten pictures, one per digit (the ten
output dreams, or static the network reads as each digit).

Pure views: they show the values they are given (``core.dreams`` computes them) and ask for new
ones with signals. ``StepPlayer`` feeds a dream's steps to a view a few per tick of a timer, so
that the dream is seen forming while the window stays responsive.
"""

from __future__ import annotations

import sys
from typing import Iterator, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from ...core.dreams import DreamSettings, DreamStep, Extremes
from ..shell import theme
from .plot import Plot
from .tiles import Tiles, diverging_levels, grey_levels

#: The smoothing a person can choose: the total-variation penalty λ_tv of each.
SMOOTHING = (("no smoothing", 0.0), ("a little smoothing", 0.01), ("smooth", 0.03))
STARTS = (("from grey", "grey"), ("from static", "static"), ("from the example on show", "example"))


def as_inputs(images: np.ndarray) -> np.ndarray:
    """Images as the network's inputs in [0, 1]: uint8 pixels are divided by 255."""
    images = np.asarray(images)
    return images / 255.0 if images.dtype == np.uint8 else images.astype(np.float64)


def weight_limit(weights: np.ndarray) -> float:
    """A robust colour scale for a weight picture: a handful of large weights would leave it dark."""
    return float(np.percentile(np.abs(weights), 99.5)) or 1.0


def rounded_up(value: float) -> float:
    """``value`` > 0 rounded up to one significant digit (1 → 1, 23.7 → 30): an axis's top."""
    unit = 10.0 ** np.floor(np.log10(value))
    return float(np.ceil(value / unit - 1e-9) * unit)


def caption(text: str, lines: int = 2) -> QtWidgets.QLabel:
    """A picture's title, always ``lines`` lines high: the pictures of a row stay the same size
    whichever titles wrap at the width they get."""
    label = QtWidgets.QLabel(text)
    label.setObjectName("dim")
    label.setAlignment(QtCore.Qt.AlignmentFlag.AlignHCenter | QtCore.Qt.AlignmentFlag.AlignBottom)
    label.setWordWrap(True)
    label.setFixedHeight(label.fontMetrics().lineSpacing() * lines + 2)
    label.setMinimumWidth(60)
    return label


def column(title: QtWidgets.QLabel, body: QtWidgets.QWidget, stretch: int = 1) -> QtWidgets.QVBoxLayout:
    layout = QtWidgets.QVBoxLayout()
    layout.setSpacing(2)
    layout.addWidget(title)
    layout.addWidget(body, stretch)
    return layout


class DreamControls(QtWidgets.QWidget):
    """Where a dream starts, how smooth it must be, and the button that asks for it.

    ``requested(settings, from_example)``: a DreamSettings, and whether to start from the example
    on show (then its ``start`` is ignored). Each start from static takes the next seed, so that
    asking again shows another, and the same seed is the same dream.
    """

    requested = QtCore.Signal(object, bool)

    def __init__(self, button: str = "Dream", starts: bool = True, parent=None):
        super().__init__(parent)
        self.seed = 0
        self.start = QtWidgets.QComboBox()
        for text, value in STARTS:
            self.start.addItem(text, value)
        self.start.setVisible(starts)
        self.smoothing = QtWidgets.QComboBox()
        for text, value in SMOOTHING:
            self.smoothing.addItem(text, value)
        self.smoothing.setToolTip("A penalty on the picture's total variation: how much neighbouring pixels may differ")
        self.button = QtWidgets.QPushButton(button)
        self.button.clicked.connect(self._on_clicked)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.start)
        layout.addWidget(self.smoothing)
        layout.addWidget(self.button)

    def settings(self) -> DreamSettings:
        start = "static" if self.start.currentData() == "static" else "grey"
        return DreamSettings(smoothness=self.smoothing.currentData(), start=start, seed=self.seed)

    def show_settings(self, settings: DreamSettings, from_example: bool = False) -> None:
        """The choices that made ``settings`` (the next start from static takes the next seed)."""
        start = "example" if from_example else settings.start
        self.start.setCurrentIndex(max(0, self.start.findData(start)))
        smoothing = self.smoothing.findData(settings.smoothness)
        if smoothing < 0:
            self.smoothing.addItem(f"smoothing λ = {settings.smoothness:g}", settings.smoothness)
            smoothing = self.smoothing.count() - 1
        self.smoothing.setCurrentIndex(smoothing)
        self.seed = settings.seed + (1 if start == "static" else 0)

    def _on_clicked(self) -> None:
        settings = self.settings()
        if self.start.currentData() == "static":
            self.seed += 1
        self.requested.emit(settings, self.start.currentData() == "example")


class NeuronDreamView(QtWidgets.QWidget):
    """One neuron: its weight picture (a first-layer neuron's), its dream forming beside its
    activation step by step, the nine test images that excite it most and the nine least.

    ``example_clicked(i)``: test example ``i`` (0-based) was clicked among the eighteen.
    """

    dream_requested = QtCore.Signal(object, bool)
    example_clicked = QtCore.Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QtWidgets.QLabel("Click a neuron in the network to see what it looks for.")
        self.title.setObjectName("caption")
        self.controls = DreamControls()
        self.controls.requested.connect(self.dream_requested)
        self.weights = Tiles()
        self.weights_title = caption("Weights (blue +, red −)")
        self.dream = Tiles()
        self.dream_title = caption("Dream")
        self.curve_plot = Plot()
        self.curve_plot.setMouseEnabled(False, False)
        self.curve_plot.hideButtons()
        self.curve_plot.setMinimumWidth(110)
        for side in ("left", "bottom"):
            self.curve_plot.getAxis(side).enableAutoSIPrefix(False)
        # Major ticks only: the plot is a bottom tab's height, where 0, 0.2, … 1 would overlap.
        self.curve_plot.getAxis("bottom").setStyle(maxTickLevel=0)
        self.curve = self.curve_plot.plot([], [], pen=pg.mkPen(theme.ACCENT, width=2))
        self.curve_title = caption("Its activation, step by step")
        self.most, self.least = Tiles(3, 3), Tiles(3, 3)
        self.most_title = caption("The 9 test images it likes most")
        self.least_title = caption("… and the 9 it likes least")
        self.most.clicked.connect(self._on_most_clicked)
        self.least.clicked.connect(self._on_least_clicked)
        self.most_indices = self.least_indices = np.zeros(0, int)
        self.activations: list[float] = []
        self.steps = 0
        self.shape: tuple[int, int] | None = None  # set by show_neuron, which comes first
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.controls)
        pictures = QtWidgets.QHBoxLayout()
        pictures.setSpacing(10)
        for title, body, stretch in ((self.weights_title, self.weights, 2), (self.dream_title, self.dream, 2),
                                     (self.curve_title, self.curve_plot, 2), (self.most_title, self.most, 2),
                                     (self.least_title, self.least, 2)):
            pictures.addLayout(column(title, body), stretch)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addLayout(pictures, 1)

    def show_neuron(self, title: str, weights: np.ndarray | None, shape: tuple[int, int]) -> None:
        """A new neuron: ``weights`` (n_0,) are its incoming weights if it is in the first hidden
        layer (drawn as a picture), else None. Its dream and images are cleared until shown."""
        self.title.setText(title)
        self.shape = tuple(shape)
        has_picture = weights is not None
        self.weights.setVisible(has_picture)
        self.weights_title.setVisible(has_picture)
        if has_picture:
            weights = np.asarray(weights, np.float64)
            levels, table = diverging_levels(weight_limit(weights))
            self.weights.show_tile(0, weights.reshape(shape), levels, table)
        for tiles in (self.dream, self.most, self.least):
            tiles.clear()
        self.start_dream(0)

    def show_settings(self, settings: DreamSettings, from_example: bool) -> None:
        """How the dreams are found (the controls show it)."""
        self.controls.show_settings(settings, from_example)

    def show_note(self, text: str) -> None:
        """Says something about the dream on show instead of its step (that it is out of date)."""
        self.dream_title.setText(text)

    def start_dream(self, steps: int) -> None:
        """A dream of ``steps`` steps is about to form: the curve starts again."""
        self.steps = steps
        self.activations = []
        self.curve.setData([], [])
        self.curve_plot.setXRange(0, max(steps, 1), padding=0.02)
        self.dream_title.setText("Dream")

    def show_dream_step(self, step: int, image: np.ndarray, activation: float) -> None:
        """The dream after ``step`` steps, ``image`` (n_0,), and the neuron's ``activation`` for it."""
        levels, table = grey_levels()
        self.dream.show_tile(0, np.asarray(image).reshape(self.shape), levels, table, f"a = {activation:.2f}")
        del self.activations[step:]
        self.activations.append(float(activation))
        self.curve.setData(np.arange(len(self.activations)), np.array(self.activations))
        top = rounded_up(max(1.0, max(self.activations)))
        self.curve_plot.setYRange(0, top, padding=0.06)  # room for the top tick's label
        self.curve_plot.getAxis("left").setTicks([[(v, f"{v:g}") for v in (0, top / 2, top)]])
        of = f"/{self.steps}" if self.steps else ""
        self.dream_title.setText(f"Dream, step {step}{of}")

    def show_forming(self, image: np.ndarray, activations: Sequence[float]) -> None:
        """The dream so far, of the ``steps`` that ``start_dream`` announced: ``image`` (n_0,) after
        len(activations) - 1 steps, and the neuron's activation after each (the curve drawn once)."""
        self.activations = [float(a) for a in activations[:-1]]
        self.show_dream_step(len(activations) - 1, image, activations[-1])

    def show_step(self, step: DreamStep) -> None:
        """One step of ``core.dreams.dream_steps`` (connect a StepPlayer's ``stepped`` here)."""
        self.show_dream_step(step.step, step.image, step.activation)

    def show_dream(self, image: np.ndarray, activations: Sequence[float]) -> None:
        """A finished dream at once: its final ``image`` and the activation after each step."""
        self.start_dream(len(activations) - 1)
        self.activations = [float(a) for a in activations[:-1]]
        self.show_dream_step(len(activations) - 1, image, activations[-1])

    def show_extremes(self, extremes: Extremes, images: np.ndarray, labels: np.ndarray, names: Sequence[str]) -> None:
        """The test images ``extremes`` names, taken from ``images`` (n, n_0; uint8 or [0, 1]) with their ``labels``."""
        levels, table = grey_levels()
        self.most_indices, self.least_indices = np.asarray(extremes.most), np.asarray(extremes.least)
        for tiles, indices, activations in ((self.most, extremes.most, extremes.most_activations),
                                            (self.least, extremes.least, extremes.least_activations)):
            tiles.show_tiles([as_inputs(images[i]).reshape(self.shape) for i in indices], levels, table,
                             [f"{a:.2f}" for a in activations], [str(names[labels[i]]) for i in indices])

    def _on_most_clicked(self, i: int) -> None:
        if i < len(self.most_indices):
            self.example_clicked.emit(int(self.most_indices[i]))

    def _on_least_clicked(self, i: int) -> None:
        if i < len(self.least_indices):
            self.example_clicked.emit(int(self.least_indices[i]))


class DigitStrip(QtWidgets.QWidget):
    """One picture per digit in a row, each with its digit and a number: the ten output dreams
    (``DigitStrip.output_dreams()``) or static read as each digit (``DigitStrip.static()``).

    ``requested(settings, False)`` asks for them again (settings None without dream controls).
    """

    requested = QtCore.Signal(object, bool)

    def __init__(self, title: str, explanation: str, button: str, dream_controls: bool, count: int = 10, parent=None):
        super().__init__(parent)
        self.title = QtWidgets.QLabel(title)
        self.title.setObjectName("caption")
        self.explanation = QtWidgets.QLabel(explanation)
        self.explanation.setObjectName("dim")
        self.explanation.setWordWrap(True)
        self.controls = DreamControls(button, starts=False) if dream_controls else None
        self.tiles = Tiles(1, count)
        self.tiles.setMinimumHeight(60)
        self.names: list[str] = []
        self.shape: tuple[int, int] | None = None  # set by start or show_pictures
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.title, 1)
        if self.controls is not None:
            self.controls.requested.connect(self.requested)
            top.addWidget(self.controls)
        else:
            again = QtWidgets.QPushButton(button)
            again.clicked.connect(self._on_again)
            top.addWidget(again)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.explanation)
        layout.addWidget(self.tiles, 1)

    def _on_again(self) -> None:
        self.requested.emit(None, False)

    @classmethod
    def output_dreams(cls, parent=None) -> DigitStrip:
        return cls("What each digit looks like to this network",
                   "The image that excites each output most: gradient ascent on the pixels, 200 steps from grey. "
                   "The number is the output's activation for it.", "Dream again", True, parent=parent)

    @classmethod
    def static(cls, parent=None) -> DigitStrip:
        return cls("Static it reads as each digit",
                   "Random static, changed one grey level a step until the network reads it as the digit with an "
                   "output above 0.9. The number is that output.", "New static", False, parent=parent)

    def show_settings(self, settings: DreamSettings) -> None:
        if self.controls is not None:
            self.controls.show_settings(settings)

    def start(self, names: Sequence[str], shape: tuple[int, int]) -> None:
        """Empty pictures for the classes ``names``, about to form one step at a time."""
        self.names, self.shape = [str(name) for name in names], tuple(shape)
        self.tiles.clear()

    def show_dream_step(self, item: tuple[int, DreamStep]) -> None:
        """(j, a step of class j's dream): connect a StepPlayer that plays
        ``((j, step) for j in range(10) for step in dream_steps(network, L, j))`` here, after ``start``."""
        j, step = item
        self.show_picture(j, step.image, step.activation, self.names[j])

    def show_pictures(self, images: np.ndarray, activations: Sequence[float], names: Sequence[str],
                      shape: tuple[int, int]) -> None:
        """``images`` (k, n_0) in [0, 1], one per class, and each class's output for its image."""
        self.names, self.shape = [str(name) for name in names], tuple(shape)
        levels, table = grey_levels()
        self.tiles.show_tiles([np.asarray(image).reshape(shape) for image in images], levels, table,
                              [f"{a:.2f}" for a in activations], [str(name) for name in names])

    def show_picture(self, j: int, image: np.ndarray, activation: float, name: str) -> None:
        """Class ``j``'s picture alone (a dream forming)."""
        levels, table = grey_levels()
        self.tiles.show_tile(j, np.asarray(image).reshape(self.shape), levels, table, f"{activation:.2f}", str(name))


class StepPlayer(QtCore.QObject):
    """Plays an iterator (a dream's steps) a few items per tick of a timer: ``stepped(item)`` for
    each, ``ticked()`` after each tick's items (draw then: once a tick, not once an item), and
    ``finished()`` at its end. Playing another one stops the first."""

    stepped = QtCore.Signal(object)
    ticked = QtCore.Signal()
    finished = QtCore.Signal()

    def __init__(self, per_tick: int = 4, interval_ms: int = 16, parent=None):
        super().__init__(parent)
        self.per_tick = per_tick
        self._items: Iterator | None = None
        #: Counts plays and stops: an end is said only if neither came while its last tick was drawn.
        self._plays = 0
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_tick)

    @property
    def running(self) -> bool:
        return self._items is not None

    def play(self, items: Iterator) -> None:
        self._plays += 1
        self._items = iter(items)
        self._timer.start()

    def stop(self) -> None:
        self._plays += 1
        self._timer.stop()
        self._items = None

    def finish(self) -> None:
        """Play what is left now, in one tick (the result wanted at once: a test's, a picture's)."""
        per_tick, self.per_tick = self.per_tick, sys.maxsize
        try:
            self._on_tick()
        finally:
            self.per_tick = per_tick

    def _on_tick(self) -> None:
        for _ in range(self.per_tick):
            if self._items is None:
                return
            try:
                item = next(self._items)
            except StopIteration:
                self._timer.stop()
                self._items = None
                plays = self._plays
                self.ticked.emit()
                # The last tick's drawing may have stopped this player, or played another in it
                # (what it drew changed what is asked): then this end is no one's answer.
                if self._plays == plays:
                    self.finished.emit()
                return
            self.stepped.emit(item)
        if self._items is not None:
            self.ticked.emit()
