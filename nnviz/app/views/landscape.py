"""Gradient descent as the article draws it: the cost along the gradient and a 2-D slice with the path.

The maths is ``core.landscape``; this view computes it on a worker thread (a QThreadPool of one
thread) so the window never waits, coarse first and then at full resolution, and drops a
computation as soon as a newer network arrives: the latest request wins.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from ...core.landscape import (COARSE_GRID, GRID, PlaneCosts, cost_along, flat_gradient, last_step, plane_through,
                              slice_extent)
from ...core.network import Network
from ..shell import theme

LINE_POINTS = 41


@dataclass(frozen=True)
class Request:
    network: Network
    x: np.ndarray
    labels: np.ndarray
    path: tuple[np.ndarray, ...]  # earlier parameter vectors, oldest first
    learning_rate: float
    example: tuple[np.ndarray, int] | None


@dataclass(frozen=True)
class Line:
    ts: np.ndarray
    sample: np.ndarray
    example: np.ndarray | None


@dataclass(frozen=True)
class Slice:
    axis: np.ndarray  # the α (and β) of the grid's columns (rows)
    costs: np.ndarray  # (rows, columns), NaN where not yet computed
    path: tuple[np.ndarray, np.ndarray]  # projected (α, β) of the path, then θ
    step: float  # α of η's step along -∇C
    second: str
    done: bool


class _Signals(QtCore.QObject):
    line_ready = QtCore.Signal(int, object)
    slice_ready = QtCore.Signal(int, object)
    finished = QtCore.Signal(int)


class _Latest:
    """The newest request's number, shared with the worker as a plain Python object: the job
    never touches the view, which may be deleted (its window closed) while the job runs."""

    def __init__(self):
        self.generation = 0

    def stop(self) -> None:
        """The view went away: a running job stops at its next look."""
        self.generation = -1


class _CollectorPause:
    """Python's automatic garbage collection is off while a landscape job runs.

    The cyclic collector runs in whichever thread happens to allocate past its threshold and frees
    all the garbage there is, Qt widgets included. A widget freed on the worker thread is destroyed
    off the GUI thread, which Qt forbids: a segfault follows, in ``QObject::~QObject`` reached from
    shiboken's deferred deletion (reproduced with a garbage LandscapeView collected on another
    thread). Turned off in the GUI thread before a job starts and back on as the job's last act,
    the collector only ever runs in the GUI thread.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._jobs = 0
        self._was_enabled = False

    def hold(self) -> None:
        with self._lock:
            if self._jobs == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._jobs += 1

    def release(self) -> None:
        with self._lock:
            self._jobs -= 1
            if self._jobs == 0 and self._was_enabled:
                gc.enable()


_COLLECTOR = _CollectorPause()


class _Job(QtCore.QRunnable):
    def __init__(self, generation: int, request: Request, latest: _Latest, signals: _Signals):
        super().__init__()
        self.generation, self.request, self.latest, self.signals = generation, request, latest, signals

    def run(self) -> None:
        try:
            self._compute()
        except RuntimeError:
            # The signals' receiver went away (the window closed): nobody waits for this result.
            self.latest.generation = -1
        finally:
            try:
                self.signals.finished.emit(self.generation)
            except RuntimeError:
                pass
            finally:
                _COLLECTOR.release()  # last: this thread allocates nothing after it

    def _stale(self) -> bool:
        return self.latest.generation != self.generation

    def _compute(self) -> None:
        r = self.request
        network = r.network
        gradient = flat_gradient(network, r.x, r.labels)
        eta = r.learning_rate
        ts = np.linspace(0, 3 * eta, LINE_POINTS)
        example = None
        if r.example is not None:
            ex, label = np.asarray(r.example[0])[None, :], np.array([r.example[1]])
            example = cost_along(network, ex, label, -flat_gradient(network, ex, label), ts)
        self.signals.line_ready.emit(self.generation, Line(ts, cost_along(network, r.x, r.labels, -gradient, ts), example))
        if self._stale():
            return
        theta = network.params.astype(np.float64)
        path = [np.asarray(p, np.float64) for p in r.path]
        plane = plane_through(network, gradient, last_step(path, network.params))
        alphas, betas = plane.project(path + [theta])
        step = eta * float(np.linalg.norm(gradient))
        extent = slice_extent(step, alphas, betas)
        costs = PlaneCosts(network, r.x, r.labels, plane)
        for n in (COARSE_GRID, GRID):
            axis = np.linspace(-extent, extent, n)
            grid = np.full((n, n), np.nan)
            for j, row in costs.grid(axis, axis):
                if self._stale():
                    return
                grid[j] = row
                if n == GRID and j % 10 == 9 and j < n - 1:  # refine progressively
                    self.signals.slice_ready.emit(self.generation, Slice(axis, grid.copy(), (alphas, betas), step,
                                                                         plane.second, False))
            self.signals.slice_ready.emit(self.generation, Slice(axis, grid, (alphas, betas), step, plane.second, n == GRID))


class LandscapeView(QtWidgets.QWidget):
    """C(θ − t∇C) along the real gradient, and a slice through θ spanned by −∇C and a second direction.

    ``show_landscape(network, x, labels, path, learning_rate, example)``: ``x``/``labels`` a fixed
    sample of training examples; ``path`` the parameter vectors of the last steps (oldest first),
    drawn projected onto the slice; ``example`` (x, label) adds that one example's own curve.
    """

    def __init__(self, compact: bool = False, parent=None):
        super().__init__(parent)
        self._pool = QtCore.QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        # No parent: the worker may still emit on it while the view is being deleted.
        self._signals = _Signals()
        self._latest = _Latest()
        # A closing window stops the computation at once; the pool (a child) then waits for it.
        self.destroyed.connect(self._latest.stop)
        self._signals.line_ready.connect(self._on_line_ready)
        self._signals.slice_ready.connect(self._on_slice_ready)
        self._signals.finished.connect(self._on_finished)
        self._generation = 0
        self._running: int | None = None
        self._pending: Request | None = None
        self._sample_size = 0
        self.line: Line | None = None
        self.slice: Slice | None = None

        self.line_plot = pg.PlotWidget(background=theme.PANEL)
        self.line_plot.setTitle("Cost along −∇C: C(θ − t∇C)", size="9pt")
        self.line_plot.setLabel("bottom", "t (the step η is marked)")
        self.legend = self.line_plot.addLegend(offset=(-5, 5))
        self.sample_curve = self.line_plot.plot([], [], pen=pg.mkPen(theme.POSITIVE, width=2), name="training sample")
        self.example_curve = self.line_plot.plot([], [], pen=pg.mkPen(theme.ACCENT, width=2), name="this example")
        self.eta_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(theme.CORRECT, width=1.5, style=QtCore.Qt.PenStyle.DashLine),
                                        label="η", labelOpts={"color": theme.CORRECT, "position": 0.9})
        self.line_plot.addItem(self.eta_line)
        self.slice_plot = pg.PlotWidget(background=theme.PANEL)
        self.slice_plot.setTitle("A 2-D slice of a 13,002-dimensional cost", size="9pt")
        self.slice_plot.setAspectLocked(True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("viridis"))
        self.slice_plot.addItem(self.image)
        self.path_curve = self.slice_plot.plot([], [], pen=pg.mkPen(theme.TEXT, width=1.5), symbol="o", symbolSize=5,
                                               symbolBrush=theme.TEXT)
        self.here = self.slice_plot.plot([], [], pen=None, symbol="+", symbolSize=12, symbolPen=pg.mkPen(theme.ACCENT, width=2))
        self.eta_step = self.slice_plot.plot([], [], pen=pg.mkPen(theme.CORRECT, width=2), symbol="t2", symbolSize=8,
                                             symbolBrush=theme.CORRECT)
        for plot in (self.line_plot, self.slice_plot):
            for side in ("left", "bottom"):
                plot.getAxis(side).enableAutoSIPrefix(False)
        self.caption = QtWidgets.QLabel()
        self.caption.setWordWrap(True)
        self.caption.setObjectName("caption" if not compact else "")
        plots = QtWidgets.QBoxLayout(QtWidgets.QBoxLayout.Direction.TopToBottom if compact
                                     else QtWidgets.QBoxLayout.Direction.LeftToRight)
        plots.addWidget(self.line_plot, 2)
        plots.addWidget(self.slice_plot, 3)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(plots, 1)
        layout.addWidget(self.caption)

    def show_landscape(self, network: Network, x: np.ndarray, labels: np.ndarray, path=(), learning_rate: float = 1.0,
                       example: tuple[np.ndarray, int] | None = None) -> None:
        """Compute and draw the landscape around ``network`` (a copy is kept; the latest call wins)."""
        self._generation += 1
        self._latest.generation = self._generation  # a running job sees this and stops
        self._sample_size = len(labels)
        self._pending = Request(network.copy(), np.asarray(x), np.asarray(labels),
                                tuple(np.array(p, copy=True) for p in path), float(learning_rate), example)
        self._start_pending()

    def busy(self) -> bool:
        return self._running is not None or self._pending is not None

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (tests, closing); pending signals still need the event loop."""
        return self._pool.waitForDone(msecs)

    def _start_pending(self) -> None:
        if self._running is not None or self._pending is None:
            return
        request, self._pending = self._pending, None
        self._running = self._generation
        job = _Job(self._generation, request, self._latest, self._signals)
        _COLLECTOR.hold()  # released by the job when it ends (a started job always runs)
        self._pool.start(job)

    def _on_finished(self, generation: int) -> None:
        self._running = None
        self._start_pending()

    def _on_line_ready(self, generation: int, line: Line) -> None:
        if generation != self._generation:
            return
        self.line = line
        self.sample_curve.setData(line.ts, line.sample)
        listed = self.legend.getLabel(self.example_curve) is not None
        if line.example is not None:
            self.example_curve.setData(line.ts, line.example)
            if not listed:
                self.legend.addItem(self.example_curve, "this example")
        else:
            self.example_curve.setData([], [])
            if listed:
                self.legend.removeItem(self.example_curve)
        self.eta_line.setValue(line.ts[-1] / 3)

    def _on_slice_ready(self, generation: int, s: Slice) -> None:
        if generation != self._generation:
            return
        self.slice = s
        finite = s.costs[np.isfinite(s.costs)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        self.image.setImage(np.nan_to_num(s.costs, nan=high), autoLevels=False, levels=(low, high if high > low else low + 1))
        width = s.axis[-1] - s.axis[0]
        cell = width / (len(s.axis) - 1)
        self.image.setRect(QtCore.QRectF(s.axis[0] - cell / 2, s.axis[0] - cell / 2, width + cell, width + cell))
        alphas, betas = s.path
        self.path_curve.setData(alphas, betas)
        self.here.setData(alphas[-1:], betas[-1:])
        self.eta_step.setData([alphas[-1], alphas[-1] + s.step], [betas[-1], betas[-1]])
        state = "" if s.done else f" (refining: {int(np.isfinite(s.costs).all(axis=1).sum())} of {len(s.axis)} rows)"
        self.slice_plot.setLabel("bottom", "along −∇C")
        self.slice_plot.setLabel("left", f"{s.second} (⊥)".replace("the ", "").replace("a random", "random"))
        self.slice_plot.setRange(xRange=(s.axis[0], s.axis[-1]), yRange=(s.axis[0], s.axis[-1]), padding=0.02)
        self.caption.setText(
            f"Cost on {self._sample_size:,} training examples, from {low:.3f} (dark) to {high:.3f} (bright), on a {len(s.axis)}x"
            f"{len(s.axis)} slice{state}. + is the network now; the green step is what η takes along −∇C; "
            f"white: the path, projected. Up: {s.second}, made orthogonal to −∇C. A slice of 13,002 dimensions hides the other 13,000: a path can "
            f"cross its contours.")
