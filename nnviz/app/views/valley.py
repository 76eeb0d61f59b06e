"""The valley a run rolls down (``core.valley``): the cost over a plane as a heat map with contours
and a colour bar, the run's checkpoints as a path, and a ball at the checkpoint on show.

A pure view: it draws the plain values it is given (``Valley``, ``ValleyPath``) and says what
the person did by signals (``checkpoint_clicked``, ``plane_chosen``); computing the valley, off the
GUI thread, is its owner's job. Where OpenGL works, a 3-D surface that can be turned is offered
too (valley_3d.py); without it (no PyOpenGL, an offscreen platform, no GPU) the toggle is
disabled, quietly.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ...core.valley import Valley, ValleyPath
from ..shell import theme
from .plot import Plot
from .valley_3d import Surface3D, opengl_available
from .valley_drawing import caption, contour_lines, label_anchor, nice_ticks, upsampled

__all__ = ["PLANES", "SMOOTHING", "ValleyView", "contour_lines", "upsampled"]

#: The choices of plane, as ``plane_chosen`` names them, with their buttons' text and tooltips.
PLANES = (
    ("run", "The run's plane", "The plane of the run's own path: through its end, along the two directions it moved most"),
    ("random", "A random plane", "Two random directions, each neuron's part scaled to that neuron's size (Li et al., 2018): "
                                 "the same valley cut another way, to show that the picture depends on the slice"),
    ("local", "The local plane", "Through the network at the checkpoint on show, along −∇C and the step that led there"),
)
CONTOUR_LEVELS = 12
#: The picture shows the grid bilinearly interpolated this many times finer (the contours and
#: every number come from the grid itself): a 41x41 grid drawn as blocks looks like a mosaic.
SMOOTHING = 4
#: In side-by-side layout the text keeps at least this many pixels.
SIDE_MIN_WIDTH = 320
COLOUR_MAP = "viridis"  # dark = low, as the colour bar says; perceptually even
#: Side by side (plot | text) when the view is this many times wider than tall; else stacked.
SIDE_BY_SIDE = 2.0
BALL_SIZE = 18
LABEL_STYLE = {"color": theme.TEXT.name(), "font-size": "9pt"}
PATH_PEN = pg.mkPen(theme.TEXT, width=2)
SHADOW_PEN = pg.mkPen(QtGui.QColor(0, 0, 0, 160), width=5)
OTHER_PEN = pg.mkPen(theme.ACCENT, width=2, style=QtCore.Qt.PenStyle.DashLine)
CONTOUR_PEN = pg.mkPen(QtGui.QColor(255, 255, 255, 90), width=1)


class ValleyView(QtWidgets.QWidget):
    """The cost over a plane of parameters, the run's path on it, and a ball at one checkpoint.

    ``show_valley(valley)`` draws a complete valley, ``show_partial(valley)`` one still being
    computed (the coarse grid fills in what the fine one lacks); ``show_ball(index)`` puts the ball at
    checkpoint ``index`` of the first path; ``show_paths(paths)`` draws further paths on the same
    plane, dashed; ``show_message(text)`` replaces the picture by a sentence (nothing to draw yet,
    or out of date); ``clear()`` draws nothing. ``checkpoint_clicked(i)``: a click on the plot, at
    the nearest checkpoint i; ``plane_chosen(kind)``: "run", "random" or "local" was chosen;
    ``in_front_toggled(on)``: the valley should take the network's place (or give it back);
    ``race_requested``: the race of gradient descent against SGD was asked for.

    ``compact``: the picture and its caption only, no buttons (a valley inside another panel).
    """

    checkpoint_clicked = QtCore.Signal(int)
    plane_chosen = QtCore.Signal(str)
    in_front_toggled = QtCore.Signal(bool)
    race_requested = QtCore.Signal()

    def __init__(self, compact: bool = False, parent=None):
        super().__init__(parent)
        self.valley: Valley | None = None
        self.ball: int | None = None
        self.others: tuple[ValleyPath, ...] = ()
        self.other_labels: list[pg.TextItem] = []
        self._surface_3d = None

        self.plot = Plot()
        self.plot.setAspectLocked(True, ratio=1)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.enableAutoSIPrefix(False)
            axis.setTextPen(theme.TEXT)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(values=(0, 1), colorMap=pg.colormap.get(COLOUR_MAP), interactive=False,
                                          width=14)
        self.colour_bar.setImageItem(self.image, insert_in=self.plot.getPlotItem())
        self.plot.adopt(self.colour_bar)
        # the convention of the picture, said once
        self.colour_bar.getAxis("left").setLabel("cost (dark = low)", **LABEL_STYLE)
        self._label_font = QtGui.QFont(self.font())
        self._label_font.setPointSize(9)  # LABEL_STYLE's
        self.colour_bar.axis.setTextPen(theme.TEXT)
        self.contours = pg.PlotDataItem([], [], pen=CONTOUR_PEN, connect="pairs")
        self.shadow = pg.PlotDataItem([], [], pen=SHADOW_PEN)
        self.path = pg.PlotDataItem([], [], pen=PATH_PEN, symbol="o", symbolSize=4, symbolPen=None,
                                    symbolBrush=theme.TEXT)
        self.other_paths = pg.PlotDataItem([], [], pen=OTHER_PEN, connect="finite")
        self.start = pg.ScatterPlotItem(size=12, symbol="s", pen=pg.mkPen(theme.TEXT, width=2), brush=None)
        self.start_label = pg.TextItem("start", color=theme.TEXT, anchor=(0.5, 1.3))
        self.end_label = pg.TextItem("end", color=theme.TEXT, anchor=(-0.25, 0.5))
        self.ball_item = pg.ScatterPlotItem(size=BALL_SIZE, symbol="o", pen=pg.mkPen("w", width=2),
                                            brush=pg.mkBrush(theme.NEGATIVE))
        for item in (self.contours, self.other_paths, self.shadow, self.path, self.start, self.start_label,
                     self.end_label, self.ball_item):
            self.plot.addItem(item)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.plot.getPlotItem().vb.sigResized.connect(self._label_axes)

        self.plane_buttons = QtWidgets.QButtonGroup(self)
        self.controls = QtWidgets.QWidget()
        chooser = QtWidgets.QHBoxLayout(self.controls)
        chooser.setContentsMargins(0, 0, 0, 0)
        for kind, text, tip in PLANES:
            button = QtWidgets.QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setCheckable(True)
            button.setObjectName(f"plane_{kind}")
            self.plane_buttons.addButton(button)
            chooser.addWidget(button)
        self.plane_buttons.buttons()[0].setChecked(True)
        self.plane_buttons.buttonClicked.connect(self._on_plane_button)
        self.toggle_3d = QtWidgets.QToolButton()
        self.toggle_3d.setText("3-D")
        self.toggle_3d.setCheckable(True)
        self.toggle_3d.toggled.connect(self._on_toggle_3d)
        chooser.addWidget(self.toggle_3d)
        chooser.addStretch(1)
        self.in_front_button = QtWidgets.QToolButton()
        self.in_front_button.setText("Show it large")
        self.in_front_button.setCheckable(True)
        self.in_front_button.setToolTip("The valley in the network's place, big, with the timeline under it "
                                        "(View > Valley in the network's place, V)")
        self.in_front_button.clicked.connect(self._on_in_front_clicked)
        self.race_button = QtWidgets.QToolButton()
        self.race_button.setText("Race SGD against gradient descent…")
        self.race_button.setToolTip("From the network on show, take careful steps on all 50,000 training examples "
                                    "(gradient descent) and stumbling ones on 10 at a time (SGD): both paths on "
                                    "one valley, and which gets further for the same work")
        self.race_button.clicked.connect(self.race_requested)
        self.more = QtWidgets.QWidget()
        more = QtWidgets.QHBoxLayout(self.more)
        more.setContentsMargins(0, 0, 0, 0)
        more.addWidget(self.in_front_button)
        more.addWidget(self.race_button)
        more.addStretch(1)
        self.caption = QtWidgets.QLabel("The valley appears when the run has a history to draw.")
        self.caption.setWordWrap(True)
        self.caption.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
        self.caption.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.side = QtWidgets.QWidget()
        side = QtWidgets.QVBoxLayout(self.side)
        side.setContentsMargins(6, 4, 6, 4)
        side.addWidget(self.controls)
        side.addWidget(self.more)
        side.addWidget(self.caption, 1)
        for row in (self.controls, self.more):
            row.setVisible(not compact)

        self.pictures = QtWidgets.QStackedWidget()
        self.pictures.addWidget(self.plot)
        self.body = QtWidgets.QBoxLayout(QtWidgets.QBoxLayout.Direction.LeftToRight, self)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(0)
        self.body.addWidget(self.pictures, 3)
        self.body.addWidget(self.side, 2)
        self._has_3d: bool | None = None
        self.toggle_3d.setEnabled(False)
        self.toggle_3d.setToolTip("The valley as a surface you can turn (needs OpenGL and PyOpenGL)")

    # -- showing --------------------------------------------------------------------------------

    def show_valley(self, valley: Valley) -> None:
        """Draw ``valley`` (complete or not); the ball stays at its checkpoint, or goes to the end."""
        for side in ("left", "bottom"):
            self.plot.getPlotItem().showAxis(side)
        if valley is self.valley:  # drawn already (a message may have greyed it since)
            self.pictures.setEnabled(True)
            self.caption.setText(self._caption())
            return
        self.valley = valley
        self.pictures.setEnabled(True)
        self._select_plane(valley.kind)
        costs = valley.preview()
        finite = costs[np.isfinite(costs) & (costs > 0)]
        if finite.size:
            self._draw_surface(valley, costs, float(finite.min()), float(finite.max()))
        else:
            self.image.clear()
            self.contours.setData([], [])
        path = valley.paths[0]
        x, y = path.coordinates[:, 0], path.coordinates[:, 1]
        self.shadow.setData(x, y)
        self.path.setData(x, y)
        self.start.setData(x[:1], y[:1])
        self.start_label.setAnchor(label_anchor(valley, x[0], y[0], beside=False))
        self.start_label.setPos(float(x[0]), float(y[0]))
        self.end_label.setAnchor(label_anchor(valley, x[-1], y[-1], beside=True))
        self.end_label.setPos(float(x[-1]), float(y[-1]))
        # With other paths on the plane, each end says whose it is.
        end = path.name if len(valley.paths) > 1 else "end"
        # A path that projects to a dot (a random plane) has its start on its end: one label says both.
        together = np.hypot(x[0] - x[-1], y[0] - y[-1]) < 0.06 * max(np.ptp(valley.alphas), np.ptp(valley.betas))
        self.start_label.setText("start and end" if together and end == "end" else "start")
        self.end_label.setText(end)
        self.end_label.setVisible(not together or end != "end")
        if together:  # the other label above the point: this one below it
            self.end_label.setAnchor((self.start_label.anchor.x(), -0.3 if self.start_label.anchor.y() > 0 else 1.3))
        self._label_axes()
        self.plot.setRange(xRange=(valley.alphas[0], valley.alphas[-1]), yRange=(valley.betas[0], valley.betas[-1]),
                           padding=0)
        self.show_paths(valley.paths[1:])
        self._arrange(self.size())
        self.show_ball(len(path) - 1 if self.ball is None else self.ball)
        if self._surface_3d is not None and self.toggle_3d.isChecked():
            self._update_3d()

    def show_partial(self, valley: Valley) -> None:
        """Draw a valley still being computed (``valley_stages``' stages): the same as ``show_valley``,
        with its progress in the caption."""
        self.show_valley(valley)

    def show_ball(self, index: int) -> None:
        """Put the ball at checkpoint ``index`` of the run's path (clamped to the path)."""
        if self.valley is None:
            self.ball = index
            return
        path = self.valley.paths[0]
        self.ball = int(np.clip(index, 0, len(path) - 1))
        alpha, beta = path.coordinates[self.ball]
        self.ball_item.setData([alpha], [beta])
        self.caption.setText(self._caption())
        if self.pictures.currentIndex() == 1:
            self._update_3d()

    def show_ball_at_all(self, visible: bool) -> None:
        """Show the ball, or not (a picture of paths, not of a run on a timeline)."""
        self.ball_item.setVisible(visible)

    def show_paths(self, paths: Sequence[ValleyPath]) -> None:
        """Draw ``paths`` (projected on the plane on show), dashed, besides the run's own."""
        self.others = tuple(paths)
        xs = [np.append(p.coordinates[:, 0], np.nan) for p in self.others]
        ys = [np.append(p.coordinates[:, 1], np.nan) for p in self.others]
        self.other_paths.setData(np.concatenate(xs) if xs else [], np.concatenate(ys) if ys else [])
        while len(self.other_labels) < len(self.others):
            self.other_labels.append(pg.TextItem("", color=theme.ACCENT))
            self.plot.addItem(self.other_labels[-1])
        for label, path in zip(self.other_labels, self.others):
            label.setText(path.name)
            if self.valley is not None:
                label.setAnchor(label_anchor(self.valley, *path.coordinates[-1], beside=True))
                label.setPos(*map(float, path.coordinates[-1]))
        for label in self.other_labels[len(self.others):]:
            label.setText("")
        if self.valley is not None:
            self.caption.setText(self._caption())

    def show_controls(self, visible: bool) -> None:
        """Show or hide the plane chooser, the 3-D toggle and the buttons under them (a picture for
        a file has no use for them)."""
        self.controls.setVisible(visible)
        self.more.setVisible(visible)

    def show_caption(self, visible: bool) -> None:
        """Show or hide the text beside the picture (a panel that says it in its own words)."""
        self.side.setVisible(visible)
        self._arrange(self.size())

    def show_plane(self, kind: str) -> None:
        """Mark ``kind`` ("run", "random" or "local") as the plane chosen."""
        self._select_plane(kind)

    def show_in_front(self, on: bool) -> None:
        """Say whether the valley is in the network's place."""
        self.in_front_button.setChecked(on)
        self.in_front_button.setText("Back to the tab" if on else "Show it large")

    def clear(self) -> None:
        """Draw nothing: no valley to show (``show_message`` says why)."""
        self.valley = None
        self.others = ()
        self.image.clear()
        for item in (self.contours, self.shadow, self.path, self.other_paths):
            item.setData([], [])
        for item in (self.start, self.ball_item):
            item.setData([], [])
        self.start_label.setText("")
        self.end_label.setVisible(False)
        for label in self.other_labels:
            label.setText("")
        self.plot.setLabel("bottom", "")
        self.plot.setLabel("left", "")
        # No axes of nothing: left to themselves they would range over ±1e-154.
        for side in ("left", "bottom"):
            self.plot.getPlotItem().hideAxis(side)

    def show_message(self, text: str) -> None:
        """Say ``text`` instead of a caption, with the picture greyed out (nothing to draw, or stale)."""
        self.pictures.setEnabled(False)
        self.caption.setText(text)

    # -- what it says ---------------------------------------------------------------------------

    def _caption(self) -> str:
        ball = len(self.valley.paths[0]) - 1 if self.ball is None else self.ball
        return caption(self.valley, ball, [p.name for p in self.others])

    # -- drawing --------------------------------------------------------------------------------

    def _draw_surface(self, valley: Valley, costs: np.ndarray, low: float, high: float) -> None:
        # Colour on a log scale: the valley floor, where a run spends most of its time, would be one
        # dark patch on a linear one. The colour bar's ticks are labelled in costs.
        high = max(high, low * 1.0001)
        filled = np.where(np.isfinite(costs), costs, high)
        image = np.log10(np.clip(upsampled(filled, SMOOTHING), low, high))
        self.image.setImage(image, autoLevels=False, levels=(math.log10(low), math.log10(high)))
        self.colour_bar.setLevels((math.log10(low), math.log10(high)))
        self.colour_bar.axis.setTicks([[(math.log10(t), f"{t:g}") for t in nice_ticks(low, high)], []])
        width, height = valley.alphas[-1] - valley.alphas[0], valley.betas[-1] - valley.betas[0]
        # pixels centred on their samples: grid point k of the image sits exactly at alphas[k]
        cell_a, cell_b = width / (image.shape[1] - 1), height / (image.shape[0] - 1)
        self.image.setRect(QtCore.QRectF(valley.alphas[0] - cell_a / 2, valley.betas[0] - cell_b / 2,
                                         width + cell_a, height + cell_b))
        levels = np.geomspace(low, high, CONTOUR_LEVELS + 2)[1:-1]
        self.contours.setData(*contour_lines(filled, valley.alphas, valley.betas, levels))

    # -- layout ---------------------------------------------------------------------------------

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(event.size())

    def _label_axes(self) -> None:
        """Each axis named with the share of the path along it; where the axis is too short for
        that, its name alone; where even that does not fit, its name cut short."""
        if self.valley is None:
            return
        metrics = QtGui.QFontMetrics(self._label_font)
        for axis, side in ((0, "bottom"), (1, "left")):
            item = self.plot.getAxis(side)
            room = (item.geometry().width() if side == "bottom" else item.geometry().height()) - 8
            text = self.valley.axis_label(axis)
            if room > 0 and metrics.horizontalAdvance(text) > room:
                # on two lines ("to gradient descent's end ⊥ (4% of the path)" is long for a short
                # axis); failing that, the name alone, cut short if need be
                lines = two_lines(text, lambda line: metrics.horizontalAdvance(line) <= room)
                text = "<br>".join(lines) if lines else \
                    metrics.elidedText(self.valley.axis_names[axis], QtCore.Qt.TextElideMode.ElideRight, int(room))
            if item.labelText != text:
                self.plot.setLabel(side, text, **LABEL_STYLE)

    def _arrange(self, size: QtCore.QSize) -> None:
        """Side by side in a wide strip (a bottom tab), the plot as wide as the valley at that
        height and the text beside it; stacked, with the text below, when there is height to spare."""
        wide = size.width() >= SIDE_BY_SIDE * size.height()
        direction = QtWidgets.QBoxLayout.Direction.LeftToRight if wide else QtWidgets.QBoxLayout.Direction.TopToBottom
        if self.body.direction() != direction:
            self.body.setDirection(direction)
            self.body.setStretch(0, 1)
            self.body.setStretch(1, 1 if wide else 0)
        most = 16777215  # QWIDGETSIZE_MAX
        if wide and self.valley is not None and not self.side.isHidden():
            box = self.plot.getPlotItem().vb.sceneBoundingRect()
            around_w = max(0.0, self.plot.width() - box.width()) if box.width() > 0 else 140.0
            around_h = max(0.0, self.plot.height() - box.height()) if box.height() > 0 else 50.0
            aspect = np.ptp(self.valley.alphas) / max(np.ptp(self.valley.betas), 1e-300)
            wanted = around_w + (size.height() - around_h) * aspect
            most = int(max(SIDE_MIN_WIDTH, min(wanted, size.width() - SIDE_MIN_WIDTH)))
        self.pictures.setMaximumWidth(most)

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        if self._has_3d is None:  # asked once, when there is a platform to ask
            self._has_3d = opengl_available()
            self.toggle_3d.setEnabled(self._has_3d)
            if not self._has_3d:
                self.toggle_3d.setToolTip("A 3-D surface needs OpenGL (and the PyOpenGL package); "
                                          "the map shows the same valley from above")
        super().showEvent(event)

    # -- the person -----------------------------------------------------------------------------

    def _select_plane(self, kind: str) -> None:
        kind = "run" if kind == "shared" else kind  # two runs' plane is their run's plane
        for button in self.plane_buttons.buttons():
            if button.objectName() == f"plane_{kind}":
                button.setChecked(True)

    def _on_plane_button(self, button: QtWidgets.QAbstractButton) -> None:
        self.plane_chosen.emit(button.objectName().removeprefix("plane_"))

    def _on_in_front_clicked(self, checked: bool) -> None:
        self.in_front_button.setChecked(not checked)  # until the owner says where the valley is
        self.in_front_toggled.emit(checked)

    def _on_click(self, event) -> None:
        box = self.plot.getPlotItem().vb
        if self.valley is None or not box.sceneBoundingRect().contains(event.scenePos()):
            return
        point = box.mapSceneToView(event.scenePos())
        event.accept()
        self.checkpoint_clicked.emit(self.valley.nearest_checkpoint(point.x(), point.y()))

    # -- 3-D ------------------------------------------------------------------------------------

    def _on_toggle_3d(self, on: bool) -> None:
        if self._has_3d is None:
            self._has_3d = opengl_available()
        if on and not self._has_3d:
            self.toggle_3d.setChecked(False)
            return
        if on and self._surface_3d is None:
            try:
                self._surface_3d = Surface3D(BALL_SIZE, COLOUR_MAP)
            except Exception:  # noqa: BLE001 - OpenGL failed after all: the map stays, the toggle goes
                self.toggle_3d.setChecked(False)
                self.toggle_3d.setEnabled(False)
                return
            self.pictures.addWidget(self._surface_3d.widget)
        if on:
            self._update_3d()
        self.pictures.setCurrentIndex(1 if on and self._surface_3d is not None else 0)

    def _update_3d(self) -> None:
        if self.valley is not None:
            self._surface_3d.show_valley(self.valley, len(self.valley.paths[0]) - 1 if self.ball is None else self.ball)


def two_lines(text: str, fits) -> tuple[str, str] | None:
    """``text`` broken at a space into two lines that each ``fits``, the first as long as it can be; None if none do."""
    words = text.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        if fits(first) and fits(second):
            return first, second
    return None
