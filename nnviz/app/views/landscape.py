"""Gradient descent as the article draws it: the cost along the gradient and a 2-D slice with the path.

The maths is ``core.landscape``; this view computes it in the GUI thread in slices of a few grid
points each (a timer runs one slice a turn of the event loop, so the window answers in between),
coarse first and then at full resolution, and drops a computation as soon as a newer network
arrives: the latest request wins. No thread: a computation on another thread of the window's
process lets Python's garbage collector run there and free Qt objects off the GUI thread.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from ...core.landscape import (COARSE_GRID, GRID, POINTS_AT_ONCE, Plane, PlaneCosts, cost_along, flat_gradient,
                              last_step, plane_through, slice_extent)
from ...core.network import Network
from ..shell import theme
from .plot import Plot

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


def sliced_costs(costs: PlaneCosts, alphas: np.ndarray, betas: np.ndarray, out: list) -> Iterator[None]:
    """C at the pairs (α_i, β_i), appended to ``out`` POINTS_AT_ONCE at a time, yielding after each."""
    for i in range(0, len(alphas), POINTS_AT_ONCE):
        out.append(costs.costs(alphas[i:i + POINTS_AT_ONCE], betas[i:i + POINTS_AT_ONCE]))
        yield


class LandscapeView(QtWidgets.QWidget):
    """C(θ − t∇C) along the real gradient, and a slice through θ spanned by −∇C and a second direction.

    ``show_landscape(network, x, labels, path, learning_rate, example)``: ``x``/``labels`` a fixed
    sample of training examples; ``path`` the parameter vectors of the last steps (oldest first),
    drawn projected onto the slice; ``example`` (x, label) adds that one example's own curve.
    """

    def __init__(self, compact: bool = False, parent=None):
        super().__init__(parent)
        #: The computation under way: a generator that does one slice of the work per step.
        self._work: Iterator[None] | None = None
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        self._sample_size = 0
        self.line: Line | None = None
        self.slice: Slice | None = None

        self.line_plot = Plot()
        self.line_plot.setTitle("Cost along −∇C: C(θ − t∇C)", size="9pt")
        self.line_plot.setLabel("bottom", "t (the step η is marked)")
        self.legend = self.line_plot.addLegend(offset=(-5, 5))
        self.sample_curve = self.line_plot.plot([], [], pen=pg.mkPen(theme.POSITIVE, width=2), name="training sample")
        self.example_curve = self.line_plot.plot([], [], pen=pg.mkPen(theme.ACCENT, width=2), name="this example")
        self.eta_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(theme.CORRECT, width=1.5, style=QtCore.Qt.PenStyle.DashLine),
                                        label="η", labelOpts={"color": theme.CORRECT, "position": 0.9})
        self.line_plot.addItem(self.eta_line)
        self.slice_plot = Plot()
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
        self._sample_size = len(labels)
        request = Request(network.copy(), np.asarray(x), np.asarray(labels),
                          tuple(np.array(p, copy=True) for p in path), float(learning_rate), example)
        self._work = self._compute(request)
        self._timer.start()

    def busy(self) -> bool:
        return self._work is not None

    def wait(self, msecs: int = -1) -> bool:
        """Do the rest of the computation now, for at most ``msecs`` (tests, pictures); True when done."""
        deadline = time.monotonic() + msecs / 1000 if msecs >= 0 else None
        while self._work is not None and (deadline is None or time.monotonic() < deadline):
            self._step()
        return self._work is None

    def _step(self) -> None:
        if self._work is not None:
            try:
                next(self._work)
                return
            except StopIteration:
                self._work = None
        self._timer.stop()

    def _compute(self, r: Request) -> Iterator[None]:
        """The whole computation, a slice of a few grid points between two yields."""
        network = r.network
        gradient = flat_gradient(network, r.x, r.labels)
        yield
        eta = r.learning_rate
        ts = np.linspace(0, 3 * eta, LINE_POINTS)
        example = None
        if r.example is not None:
            ex, label = np.asarray(r.example[0])[None, :], np.array([r.example[1]])
            example = cost_along(network, ex, label, -flat_gradient(network, ex, label), ts)
        norm = float(np.linalg.norm(gradient))
        sample = []
        if norm > 0:
            along = PlaneCosts(network, r.x, r.labels, Plane(network.params.astype(np.float64), -gradient / norm,
                                                              np.zeros_like(gradient), ""))
            yield
            yield from sliced_costs(along, ts * norm, np.zeros_like(ts), sample)
        else:
            sample = [np.full(len(ts), network.cost_of(r.x, r.labels))]
        self._on_line_ready(Line(ts, np.concatenate(sample), example))
        theta = network.params.astype(np.float64)
        path = [np.asarray(p, np.float64) for p in r.path]
        plane = plane_through(network, gradient, last_step(path, network.params))
        alphas, betas = plane.project(path + [theta])
        step = eta * norm
        extent = slice_extent(step, alphas, betas)
        costs = PlaneCosts(network, r.x, r.labels, plane)
        yield
        for n in (COARSE_GRID, GRID):
            axis = np.linspace(-extent, extent, n)
            grid = np.full((n, n), np.nan)
            for j, beta in enumerate(axis):
                row = []
                yield from sliced_costs(costs, axis, np.full(n, beta), row)
                grid[j] = np.concatenate(row)
                if n == GRID and j % 10 == 9 and j < n - 1:  # refine progressively
                    self._on_slice_ready(Slice(axis, grid.copy(), (alphas, betas), step, plane.second, False))
            self._on_slice_ready(Slice(axis, grid, (alphas, betas), step, plane.second, n == GRID))

    def _on_line_ready(self, line: Line) -> None:
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

    def _on_slice_ready(self, s: Slice) -> None:
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
