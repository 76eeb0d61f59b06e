"""The plots of a run: training cost and accuracy against epochs, drawn from its RunHistory.

A second run (a comparison) is drawn on the same plots, dashed; a vertical line marks the time
cursor, and a click on a plot asks to move it there. Legends sit below the axes, never on the data.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ...core.history import COST_POINT_BATCHES, RunHistory
from ..shell import theme
from .plot import Plot

#: Kept for readers of the old name: the smoothed curve is the mean of this many mini-batches.
SMOOTHING = COST_POINT_BATCHES
#: Plots redraw at most this often while a run streams in: re-rendering their axes is the
#: most expensive thing the window does besides the edges.
PLOT_INTERVAL = 0.5
COMPARE_COLOUR = theme.mix(theme.TEXT, theme.NEGATIVE, 0.35)


LEGEND_COLUMNS = 4
#: The plots' ranges move in steps, not with every new point: the epochs' axis to the next whole
#: epoch, cost to the next quarter of a decade (log) or half of its order of magnitude (linear),
#: accuracy to the next whole percent. A live run then changes the axes a few times an epoch
#: instead of at each refresh (every change lays their ticks out again, milliseconds of a busy
#: turn), and the learner watches the current epoch fill its plot.
LOG_STEP = 0.25
ACCURACY_STEP = 1.0
#: Room beyond the data on each side, a share of the range: the labels of the last ticks fit.
PADDING = 0.05
#: The widest tick label each plot's left axis makes room for (a cost of 10⁻⁴, 100%).
WIDEST_TICKS = {"cost": "0.0001", "accuracy": "100.0"}
#: The least distance between two labelled ticks of a left axis, in pixels (a label is ~11 high).
TICK_GAP = 14
TICKS = 6


def stepped(low: float, high: float, step: float) -> tuple[float, float]:
    """The smallest range of whole ``step``s holding ``low``..``high`` (one step if they are equal)."""
    start, stop = math.floor(low / step) * step, math.ceil(high / step) * step
    return (start, stop) if stop > start else (start, start + step)


def linear_step(low: float, high: float) -> float:
    """Half of the order of magnitude of the span, the span taken as at least 1% of the values (a
    flat cost's ticks would need more digits than the axis has room for)."""
    span = max(high - low, 0.01 * max(abs(low), abs(high))) or 1.0
    return 10.0 ** math.floor(math.log10(span)) / 2


def legend_below(plot: pg.PlotWidget) -> pg.LegendItem:
    """A legend in its own row under the bottom axis: outside the data, and in every export."""
    legend = pg.LegendItem(colCount=LEGEND_COLUMNS)
    legend.setLabelTextColor(theme.TEXT)
    plot.plotItem.layout.addItem(legend, 4, 1)
    return legend


def _padded(low: float, high: float) -> tuple[float, float]:
    margin = (high - low) * PADDING
    return low - margin, high + margin


class _SpacedAxis(pg.AxisItem):
    """A vertical axis whose ticks are ``TICK_GAP`` pixels apart at least, a step of 1, 2 or 5
    times a power of ten, and at most ``TICKS`` of them. pyqtgraph aims at log(pixels) ticks: six
    labels, 0 to 100 in steps of 20, in a 50-pixel plot at 1280x720, written over each other."""

    def tickSpacing(self, minVal, maxVal, size):
        span = maxVal - minVal
        if not (span > 0 and size > 0):
            return super().tickSpacing(minVal, maxVal, size)
        least = max(TICK_GAP * span / size, span / TICKS)
        power = 10.0 ** np.floor(np.log10(least))
        return [(next(m * power for m in (1, 2, 5, 10) if m * power >= least * (1 - 1e-9)), 0)]


class _DecadeAxis(_SpacedAxis):
    """On a log scale, labels only at powers of ten: a short plot otherwise writes 2, 3, ... 9
    of every decade on top of each other."""

    def logTickStrings(self, values, scale, spacing):
        strings = super().logTickStrings(values, scale, spacing)
        return [text if abs(value - round(value)) < 1e-6 else "" for value, text in zip(values, strings)]


class _TimedPlot(Plot):
    """A plot that knows what its last repaint cost (most of a plot's redraw is its paint, later
    than the new data, and the window's pacer must count it), and whether the learner moved its
    view (``held``): its "A" button shows only then, and a click on it says ``released``."""

    released = QtCore.Signal()
    last_paint_seconds = 0.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.held = False
        item = self.getPlotItem()
        item.vb.sigRangeChangedManually.connect(self._on_moved)
        item.autoBtn.clicked.connect(self._on_auto)
        # pyqtgraph shows "A" whenever its own autorange is off, which here is always.
        item.updateButtons = self._update_buttons

    def paintEvent(self, event) -> None:
        start = time.perf_counter()
        super().paintEvent(event)
        self.last_paint_seconds = time.perf_counter() - start

    def _on_moved(self, _mask) -> None:
        self.held = True
        self._update_buttons()

    def _on_auto(self) -> None:
        self.held = False
        self._update_buttons()
        self.released.emit()

    def _update_buttons(self) -> None:
        item = self.getPlotItem()
        item.autoBtn.setVisible(self.held and item.mouseHovering and not item.buttonsHidden)


class PlotsPanel(QtWidgets.QWidget):
    """Training cost (the mean of every SMOOTHING mini-batches, and per epoch) and accuracy per epoch."""

    position_clicked = QtCore.Signal(float)  # epochs: where a click on a plot asks the cursor to go

    def __init__(self, parent=None):
        super().__init__(parent)
        # No grid and no antialiasing: pyqtgraph draws the grid with translucent lines, which Qt's raster engine blends
        # slowly enough here to make each plot update take 50 ms instead of 10.
        pg.setConfigOptions(antialias=False)
        self.cost_plot = _TimedPlot(title="Cost", axisItems={"left": _DecadeAxis("left")})
        self.accuracy_plot = _TimedPlot(title="Accuracy (%)", axisItems={"left": _SpacedAxis("left")})
        self.cost_legend = legend_below(self.cost_plot)
        self.accuracy_legend = legend_below(self.accuracy_plot)
        blue = theme.mix(theme.PANEL, theme.POSITIVE, 0.8)
        # The curves redrawn at every live refresh are 1 px wide: Qt draws those directly, while a
        # 1.5 px line is stroked as polygons, three to four times the plot's repaint.
        self.batch_curve = self._curve(self.cost_plot, f"mini-batches (mean of {SMOOTHING})", pg.mkPen(blue, width=1))
        self.epoch_curve = self._curve(self.cost_plot, "epoch mean", pg.mkPen(theme.ACCENT, width=2), symbol="o",
                                       symbolSize=6, symbolBrush=theme.ACCENT)
        self.validation_curve = self._curve(self.accuracy_plot, "validation", pg.mkPen(theme.CORRECT, width=2),
                                            symbol="o", symbolSize=6, symbolBrush=theme.CORRECT)
        self.test_curve = self._curve(self.accuracy_plot, "test", pg.mkPen(theme.POSITIVE, width=2), symbol="t",
                                      symbolSize=7, symbolBrush=theme.POSITIVE)
        dashed = QtCore.Qt.PenStyle.DashLine
        self.other_cost_curve = pg.PlotDataItem([], [], pen=pg.mkPen(COMPARE_COLOUR, width=1, style=dashed))
        self.other_validation_curve = pg.PlotDataItem([], [], pen=pg.mkPen(COMPARE_COLOUR, width=2, style=dashed),
                                                      symbol="o", symbolSize=5, symbolBrush=COMPARE_COLOUR)
        # No "dynamic range limit": with it pyqtgraph rebuilds every curve's points at each change
        # of the view's range, which a live run makes at every refresh. It guards against points a
        # million views off screen, which only a zoom of a million times would bring.
        for curve in (self.batch_curve, self.epoch_curve, self.validation_curve, self.test_curve,
                      self.other_cost_curve, self.other_validation_curve):
            curve.setDynamicRangeLimit(None)
        # A long run's mini-batch costs are thousands of points to a few hundred pixels: drawn as
        # each column's lowest and highest (the same picture), its repaint takes a third less.
        for curve in (self.batch_curve, self.other_cost_curve):
            curve.setDownsampling(auto=True, method="peak")
        self.cost_plot.addItem(self.other_cost_curve)
        self.accuracy_plot.addItem(self.other_validation_curve)
        # The left axes keep one width: one that widened as its labels changed ("0.1" to "0.01")
        # laid the plot out again mid-run, repainting both plots whole in one turn.
        for name, plot in self.named_plots():
            axis = plot.getAxis("left")
            width = QtGui.QFontMetrics(axis.font()).horizontalAdvance(WIDEST_TICKS[name])
            axis.setStyle(autoExpandTextSpace=False, autoReduceTextSpace=False, tickTextWidth=width)
        self.cursors = []
        for plot in (self.cost_plot, self.accuracy_plot):
            plot.setLabel("bottom", "epochs")
            for side in ("left", "bottom"):
                plot.getAxis(side).enableAutoSIPrefix(False)
            cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(theme.TEXT, width=1))
            cursor.setZValue(10)
            cursor.hide()
            plot.addItem(cursor, ignoreBounds=True)
            self.cursors.append(cursor)
        #: The range each plot was last given (None: none yet). A plot follows its data; one the
        #: learner zoomed or panned (``held``) stays until its "A" button or the next run.
        self._framed: dict[pg.PlotWidget, list | None] = {self.cost_plot: None, self.accuracy_plot: None}
        self.cost_plot.released.connect(self._frame_cost)
        self.accuracy_plot.released.connect(self._frame_accuracy)
        for plot in (self.cost_plot, self.accuracy_plot):
            plot.setToolTip("Scroll or drag to look closer; the A button that then appears at the "
                            "bottom left shows the whole run again. Click to move the time cursor there.")
        self.cost_plot.scene().sigMouseClicked.connect(self._on_cost_click)
        self.accuracy_plot.scene().sigMouseClicked.connect(self._on_accuracy_click)
        self.log_scale = QtWidgets.QCheckBox("log scale")
        self.log_scale.setToolTip("Cost on a logarithmic axis: the slow later epochs stay visible")
        self.log_scale.setChecked(True)
        self.log_scale.toggled.connect(self.set_log_scale)
        plots = QtWidgets.QHBoxLayout()
        plots.setContentsMargins(0, 0, 0, 0)
        plots.addWidget(self.cost_plot)
        plots.addWidget(self.accuracy_plot)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(plots, 1)
        layout.addWidget(self.log_scale)
        self._history = RunHistory()
        self._other: RunHistory | None = None
        self._other_name = ""
        self._stale = False
        self._accuracy_drawn = None
        #: What the epochs' curve and the other run's curve were last drawn from.
        self._epochs_drawn = self._other_drawn = None
        self._last_draw = 0.0
        self.set_log_scale(True)
        self.clear()

    def _curve(self, plot: pg.PlotWidget, name: str, pen, **style) -> pg.PlotDataItem:
        curve = plot.plot([], [], pen=pen, **style)
        legend = self.cost_legend if plot is self.cost_plot else self.accuracy_legend
        legend.addItem(curve, name)
        return curve

    # -- what is shown -------------------------------------------------------------------------------

    def clear(self) -> None:
        self._history = RunHistory()
        self._stale = True
        self._accuracy_drawn = self._epochs_drawn = self._other_drawn = None  # redrawn with the next refresh
        self._follow()
        self.refresh(force=True)

    def show_history(self, history: RunHistory) -> None:
        """The run to plot; drawn at the next ``refresh``."""
        self._history = history
        self._stale = True

    def show_comparison(self, history: RunHistory | None, name: str = "") -> None:
        """A second run, dashed, on the same plots (None: no comparison)."""
        if history is self._other and name == self._other_name:
            return
        for legend, curve in ((self.cost_legend, self.other_cost_curve), (self.accuracy_legend, self.other_validation_curve)):
            legend.removeItem(curve)
        self._other, self._other_name = history, name
        # Two columns with a third entry: four would make the legend wider than a narrow plot.
        for legend in (self.cost_legend, self.accuracy_legend):
            legend.setColumnCount(2 if history is not None else LEGEND_COLUMNS)
        if history is not None:
            self.cost_legend.addItem(self.other_cost_curve, f"{name} (dashed)")
            self.accuracy_legend.addItem(self.other_validation_curve, f"{name}: validation")
        self._stale = True
        self._accuracy_drawn = self._other_drawn = None  # redrawn with the next refresh
        self.refresh(force=True)

    def named_plots(self) -> tuple[tuple[str, pg.PlotWidget], ...]:
        """The plots by the names an export gives them."""
        return (("cost", self.cost_plot), ("accuracy", self.accuracy_plot))

    @property
    def last_paint_seconds(self) -> float:
        """What the plots' last repaints cost together."""
        return self.cost_plot.last_paint_seconds + self.accuracy_plot.last_paint_seconds

    def set_cursor(self, position: float | None) -> None:
        """A vertical line at ``position`` (epochs) on both plots; None hides it."""
        for line in self.cursors:
            line.setVisible(position is not None)
            if position is not None:
                line.setValue(position)

    def set_log_scale(self, on: bool) -> None:
        self.log_scale.blockSignals(True)
        self.log_scale.setChecked(on)
        self.log_scale.blockSignals(False)
        self.cost_plot.setLogMode(y=on)
        self.cost_plot.setLabel("left", "cost (log)" if on else "cost")
        self._framed[self.cost_plot] = None  # its values' scale changed: frame it anew
        self._frame_cost()

    def refresh(self, force: bool = False, accuracy: bool = True) -> bool:
        """Redraw the curves if anything changed and PLOT_INTERVAL has passed (or ``force``);
        ``accuracy`` False leaves the accuracy plot for ``refresh_accuracy`` (a later turn of the
        event loop: each plot's repaint is a block of the GUI thread of its own)."""
        now = time.monotonic()
        if not self._stale or (not force and now - self._last_draw < PLOT_INTERVAL):
            if accuracy and not self._stale:
                self.refresh_accuracy()
            return False
        h = self._history
        self.batch_curve.setData(h.cost_positions, h.cost_values)
        # The epochs' means change only when an epoch ends, and the other run not at all: each
        # setData costs milliseconds (the view's range and axes follow), in a turn already full.
        if self._epochs_key() != self._epochs_drawn:
            epochs = self.epochs
            self.epoch_curve.setData(np.array([row[0] for row in epochs], float), [row[1] for row in epochs])
            self._epochs_drawn = self._epochs_key()
        other = self._other
        other_key = (id(other), other is not None and len(other.cost_values))
        if other_key != self._other_drawn:
            if other is not None:
                self.other_cost_curve.setData(other.cost_positions, other.cost_values)
            else:
                self.other_cost_curve.setData([], [])
            self._other_drawn = other_key
        self._frame_cost()
        self._stale = False
        self._last_draw = now
        if accuracy:
            self.refresh_accuracy()
        return True

    @property
    def accuracy_stale(self) -> bool:
        """Whether the accuracy plot shows fewer epochs (or another comparison, or a shorter
        epochs' axis) than it has."""
        return self._accuracy_drawn != self._accuracy_key()

    def _epochs_key(self):
        # The epochs' records themselves: each snapshot of a live run is a new history object.
        return tuple(self._history.epochs)

    def _accuracy_key(self):
        # What the accuracy plot depends on: the epochs, the comparison and the epochs' axis.
        return self._epochs_key(), id(self._other), self._epochs_shown()

    def refresh_accuracy(self) -> None:
        """The accuracy plot, only if its epochs changed (they change at an epoch's end) or its
        epochs' axis grew (at an epoch's start)."""
        if not self.accuracy_stale:
            return
        drawn, self._accuracy_drawn = self._accuracy_drawn, self._accuracy_key()
        epochs, other = self.epochs, self._other
        self._frame_accuracy()
        if drawn is not None and drawn[:2] == self._accuracy_drawn[:2]:
            return  # only the axis moved: the points are where they were
        e = np.array([row[0] for row in epochs], float)
        self.validation_curve.setData(e, [100 * row[2] for row in epochs])
        tests = [(row[0], 100 * row[3]) for row in epochs if row[3] is not None]
        self.test_curve.setData(*(map(list, zip(*tests)) if tests else ([], [])))
        if other is not None:
            self.other_validation_curve.setData([r.epoch for r in other.epochs],
                                                [100 * r.validation_accuracy for r in other.epochs])
        else:
            self.other_validation_curve.setData([], [])

    # -- ranges --------------------------------------------------------------------------------------

    def _follow(self) -> None:
        """Both plots follow their data again (a new run)."""
        for plot in self._framed:
            self._framed[plot] = None
            plot.held = False

    def _epochs_shown(self) -> tuple[float, float]:
        """The epochs' axis: from 0 to the next whole epoch after both runs' ends."""
        ends = [self._end(self._history)] + ([self._end(self._other)] if self._other is not None else [])
        return 0.0, float(max(1, math.ceil(max(ends) - 1e-9)))

    @staticmethod
    def _end(history: RunHistory) -> float:
        positions = history.cost_positions
        last_epoch = history.epochs[-1].epoch if history.epochs else 0
        return max(float(positions[-1]) if len(positions) else 0.0, float(last_epoch), history.end)

    def _frame_cost(self) -> None:
        values = [self._history.cost_values, np.array([row[1] for row in self.epochs], float)]
        if self._other is not None:
            values.append(self._other.cost_values)
        values = np.concatenate(values)
        log = self.log_scale.isChecked()
        values = values[np.isfinite(values) & (values > 0)] if log else values[np.isfinite(values)]
        if log:
            low, high = (np.log10(values.min()), np.log10(values.max())) if len(values) else (-2.0, 0.0)
            shown = stepped(low, high, LOG_STEP)
        else:
            low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
            shown = stepped(low, high, linear_step(low, high))
        self._frame(self.cost_plot, self._epochs_shown(), shown)

    def _frame_accuracy(self) -> None:
        epochs, other = self.epochs, self._other
        accuracies = [100 * row[2] for row in epochs] + [100 * row[3] for row in epochs if row[3] is not None]
        if other is not None:
            accuracies += [100 * r.validation_accuracy for r in other.epochs]
        low, high = (min(accuracies), max(accuracies)) if accuracies else (0.0, 100.0)
        self._frame(self.accuracy_plot, self._epochs_shown(), stepped(low, high, ACCURACY_STEP))

    def _frame(self, plot: _TimedPlot, x: tuple[float, float], y: tuple[float, float]) -> None:
        """Show ``x`` by ``y`` (padded) on ``plot`` unless the learner moved its view; nothing when
        it shows them already (each change lays its axes out again)."""
        if plot.held:
            return
        box = plot.plotItem.vb
        wanted = [list(_padded(*x)), list(_padded(*y))]
        if self._framed[plot] == wanted and not any(box.autoRangeEnabled()):
            return
        box.disableAutoRange()
        box.setRange(xRange=wanted[0], yRange=wanted[1], padding=0)
        self._framed[plot] = wanted

    def flush(self) -> None:
        """Training stopped: draw what came in since the last redraw."""
        self.refresh(force=True)

    @property
    def epochs(self) -> list[tuple[int, float, float, float | None]]:
        """(epoch, training cost, validation accuracy, test accuracy) of every epoch plotted."""
        return [(r.epoch, r.training_cost, r.validation_accuracy, r.test_accuracy) for r in self._history.epochs]

    @property
    def batch_points(self) -> int:
        return len(self._history.cost_values)

    # -- clicks ----------------------------------------------------------------------------------------

    def _on_cost_click(self, event) -> None:
        self._on_click(self.cost_plot, event)

    def _on_accuracy_click(self, event) -> None:
        self._on_click(self.accuracy_plot, event)

    def _on_click(self, plot: pg.PlotWidget, event) -> None:
        box = plot.plotItem.vb
        if not box.sceneBoundingRect().contains(event.scenePos()):
            return
        x = box.mapSceneToView(event.scenePos()).x()
        event.accept()
        self.position_clicked.emit(max(float(x), 0.0))
