"""The whole network on one canvas: edges coloured by weight, neurons shaded by activation.

Three layers of graphics, so that each change repaints only what it must:
- ``EdgeItem`` draws every edge as 32 painter paths (one per colour bin), cached as a
  pixmap by Qt (DeviceCoordinateCache): a change of activations never redraws an edge;
- an ``ImageItem`` shows the input image, whose pixels are the 784 input neurons;
- ``NeuronItem`` paints the other neurons, their values and the answer.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ..core.network import ForwardPass, Network
from . import theme
from .geometry import NEURON_DIAMETER, EdgeBins, Layout, bin_edges, draw_order, make_layout

DEFAULT_EDGE_FRACTION = 0.25


class EdgeItem(pg.GraphicsObject):
    """Edges as one path per colour bin, drawn weak to strong so strong edges end up on top."""

    def __init__(self, rect: QtCore.QRectF):
        super().__init__()
        self._rect = rect
        self._paths: list[QtGui.QPainterPath] = []
        self._pens = theme.edge_pens()
        self._order = draw_order()
        self.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_bins(self, bins: EdgeBins) -> None:
        self._paths = [
            pg.functions.arrayToQPath(s[:, 0], s[:, 1], connect="pairs", finiteCheck=False) if len(s) else QtGui.QPainterPath()
            for s in bins.segments
        ]
        self.update()

    def boundingRect(self) -> QtCore.QRectF:
        return self._rect

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        # Antialiasing costs 2.5x for hair-thin lines that gain little from it.
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        for b in self._order:
            if b < len(self._paths):
                painter.setPen(self._pens[b])
                painter.drawPath(self._paths[b])


class NeuronItem(pg.GraphicsObject):
    """Hidden and output neurons: discs shaded by activation, values where they fit, the answer.

    Hovering a neuron shows its numbers as a tooltip; clicking one emits ``clicked(layer, index)``.
    """

    clicked = QtCore.Signal(int, int)

    def __init__(self, layout: Layout, class_names: tuple[str, ...], activation: str):
        super().__init__()
        self.setAcceptHoverEvents(True)
        self.vector = False  # True while exporting SVG: draw discs as shapes, not pixmaps
        self._sprite_key: int | None = None
        self._sprite_cache: list[QtGui.QPixmap] = []
        self._statics: dict[str, QtGui.QStaticText] = {}
        self.selected: tuple[int, int] | None = None
        self.zs: list[np.ndarray] | None = None
        self.biases: list[np.ndarray] | None = None
        self._layout = layout
        self._class_names = class_names
        self._activation = activation
        self._brushes = theme.shade_brushes()
        self._outline = QtGui.QPen(theme.mix(theme.BACKGROUND, theme.TEXT, 0.45))
        self._outline.setCosmetic(True)
        self._ring = QtGui.QPen(theme.ACCENT, 2.5)
        self._ring.setCosmetic(True)
        self._select_pen = QtGui.QPen(theme.POSITIVE, 3, QtCore.Qt.PenStyle.DotLine)
        self._select_pen.setCosmetic(True)
        self._values: list[np.ndarray] = [np.zeros(n) for n in layout.sizes[1:]]
        self._shades: list[np.ndarray] = [np.zeros(n, np.int64) for n in layout.sizes[1:]]
        self._answer: int | None = None
        self._label: int | None = None
        self._arrows: list[np.ndarray | None] = [None] * (len(layout.sizes) - 1)
        self._arrow_pens = {sign: QtGui.QPen(theme.POSITIVE if sign > 0 else theme.NEGATIVE, 2.5) for sign in (1, -1)}
        for pen in self._arrow_pens.values():
            pen.setCosmetic(True)
        self._font = QtGui.QFont()
        self._font.setPixelSize(9)
        self._label_font = QtGui.QFont()
        self._label_font.setPixelSize(14)
        points = np.concatenate(layout.positions[1:])
        self._rect_margin = 3.4 * NEURON_DIAMETER
        # Built once: this item repaints at every training snapshot.
        self._centres = [QtCore.QPointF(x, y) for x, y in points.tolist()]
        m = self._rect_margin
        self._rect = QtCore.QRectF(
            points[:, 0].min() - m, points[:, 1].min() - m, np.ptp(points[:, 0]) + 2 * m + 30, np.ptp(points[:, 1]) + 2 * m
        )

    def set_activations(self, activations: list[np.ndarray], answer: int | None, label: int | None) -> None:
        """``activations[l-1]`` are layer l's (1..L) for one example."""
        self._values = [np.asarray(a, np.float64) for a in activations]
        last = len(self._values) - 1
        self._shades = [theme.shade_index(a, "sigmoid" if l == last else self._activation) for l, a in enumerate(self._values)]
        self._answer, self._label = answer, label
        self.update()

    def neuron_at(self, point: QtCore.QPointF) -> tuple[int, int] | None:
        """(layer 1..L, index) of the neuron under ``point`` (item coordinates), or None."""
        r = NEURON_DIAMETER / 2
        for l, positions in enumerate(self._layout.positions[1:], start=1):
            distance = np.hypot(positions[:, 0] - point.x(), positions[:, 1] - point.y())
            k = int(np.argmin(distance))
            if distance[k] <= r * 1.15:
                return l, k
        return None

    def describe(self, layer: int, k: int) -> str:
        """The numbers of neuron ``k`` of layer ``layer``, as the tooltip and the neuron panel say them."""
        last = len(self._layout.sizes) - 1
        name = f"output {self._class_names[k] if k < len(self._class_names) else k}" if layer == last else \
            f"hidden layer {layer}, neuron {k}"
        text = f"<b>{name}</b><br>activation a = {self._values[layer - 1][k]:.4f}"
        if self.zs is not None:
            text += f"<br>weighted input z = {self.zs[layer - 1][k]:+.4f}"
        if self.biases is not None:
            text += f"<br>bias b = {self.biases[layer - 1][k]:+.4f}"
        return text

    def hoverMoveEvent(self, event) -> None:
        hit = self.neuron_at(event.pos())
        self.setToolTip(self.describe(*hit) if hit else "")

    def mouseClickEvent(self, event) -> None:
        hit = self.neuron_at(event.pos())
        if hit is not None and event.button() == QtCore.Qt.MouseButton.LeftButton:
            event.accept()
            self.clicked.emit(*hit)

    def set_selected(self, selected: tuple[int, int] | None) -> None:
        self.selected = selected
        self.update()

    def set_arrows(self, arrows: list[np.ndarray | None]) -> None:
        """Desired changes to the activations: ``arrows[l-1]`` for layer l, or None for no arrows.

        Drawn beside each neuron, up (blue) for an increase and down (red) for a decrease, as long
        as the neuron's share of its layer's largest wish.
        """
        self._arrows = list(arrows) + [None] * (len(self._arrows) - len(arrows))
        self.update()

    @property
    def arrows(self) -> list[np.ndarray | None]:
        return list(self._arrows)

    def boundingRect(self) -> QtCore.QRectF:
        return self._rect

    def _paint_arrows(self, painter: QtGui.QPainter, r: float) -> None:
        for positions, values in zip(self._layout.positions[1:], self._arrows):
            if values is None:
                continue
            biggest = float(np.max(np.abs(values))) or 1.0
            for (x, y), value in zip(positions.tolist(), np.asarray(values, float).tolist()):
                length = 3.2 * r * abs(value) / biggest
                if length < 0.05:
                    continue
                sign = 1 if value > 0 else -1
                painter.setPen(self._arrow_pens[sign])
                x0 = x - 1.9 * r
                tip = y - sign * length  # y grows downwards: up is minus
                painter.drawLine(QtCore.QPointF(x0, y), QtCore.QPointF(x0, tip))
                head = min(0.6 * r, length / 2)
                painter.drawLine(QtCore.QPointF(x0, tip), QtCore.QPointF(x0 - head * 0.7, tip + sign * head))
                painter.drawLine(QtCore.QPointF(x0, tip), QtCore.QPointF(x0 + head * 0.7, tip + sign * head))

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        r = NEURON_DIAMETER / 2
        self._paint_arrows(painter, r)
        shades = np.concatenate(self._shades).tolist()
        transform = painter.transform()
        diameter_px = NEURON_DIAMETER * transform.m11()
        if self.vector or diameter_px > 160:
            painter.setPen(self._outline)
            for centre, shade in zip(self._centres, shades):
                painter.setBrush(self._brushes[shade])
                painter.drawEllipse(centre, r, r)
        else:
            # Stamping prerendered discs is one cheap call per neuron instead of two expensive
            # ones; this item repaints at every training snapshot.
            sprites = self._sprites(diameter_px)
            half = sprites[0].width() / 2
            painter.resetTransform()
            for centre, shade in zip(self._centres, shades):
                c = transform.map(centre)
                painter.drawPixmap(QtCore.QPointF(c.x() - half, c.y() - half), sprites[shade])
            painter.setTransform(transform)
        if self.selected is not None:
            painter.setPen(self._select_pen)
            painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            x, y = self._layout.positions[self.selected[0]][self.selected[1]]
            painter.drawEllipse(QtCore.QPointF(x, y), r * 1.3, r * 1.3)
        output = self._layout.positions[-1]
        if self._answer is not None:
            painter.setPen(self._ring)
            painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            x, y = output[self._answer]
            painter.drawEllipse(QtCore.QPointF(x, y), r * 1.45, r * 1.45)
        self._paint_text(painter, r)

    def _sprites(self, diameter_px: float) -> list[QtGui.QPixmap]:
        """One disc per shade at this zoom, rebuilt only when the zoom changes."""
        key = round(diameter_px * 4)
        if key != self._sprite_key:
            size = int(np.ceil(diameter_px)) + 3
            pen = QtGui.QPen(self._outline.color(), 1.0)
            self._sprite_cache = []
            for brush in self._brushes:
                pixmap = QtGui.QPixmap(size, size)
                pixmap.fill(QtCore.Qt.GlobalColor.transparent)
                p = QtGui.QPainter(pixmap)
                p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
                p.setPen(pen)
                p.setBrush(brush)
                p.drawEllipse(QtCore.QPointF(size / 2, size / 2), diameter_px / 2, diameter_px / 2)
                p.end()
                self._sprite_cache.append(pixmap)
            self._sprite_key = key
        return self._sprite_cache

    def _static_text(self, text: str) -> QtGui.QStaticText:
        """Laid out once: only about a hundred different values (.00 to 1.00) ever appear."""
        static = self._statics.get(text)
        if static is None:
            static = self._statics[text] = QtGui.QStaticText(text)
            static.prepare(QtGui.QTransform(), self._font)
        return static

    def _paint_text(self, painter: QtGui.QPainter, r: float) -> None:
        # Text keeps its size in pixels whatever the zoom: map the anchors to device
        # coordinates and draw untransformed.
        transform = painter.transform()
        diameter_px = 2 * r * transform.m11()
        painter.resetTransform()
        if diameter_px >= 18:
            painter.setFont(self._font)
            values = np.concatenate(self._values).tolist()
            for point, value, shade in zip(self._centres, values, np.concatenate(self._shades).tolist()):
                centre = transform.map(point)
                painter.setPen(theme.BACKGROUND if shade > theme.SHADES * 0.55 else theme.TEXT)
                text = self._static_text(_short(value))
                size = text.size()
                painter.drawStaticText(QtCore.QPointF(centre.x() - size.width() / 2, centre.y() - size.height() / 2), text)
        painter.setFont(self._label_font)
        for k, (x, y) in enumerate(self._layout.positions[-1]):
            anchor = transform.map(QtCore.QPointF(x + r * 1.9, y))
            winner = k == self._answer
            colour = theme.ACCENT if winner else theme.DIM_TEXT
            if winner and self._label is not None:
                colour = theme.CORRECT if k == self._label else theme.WRONG
            painter.setPen(colour)
            name = self._class_names[k] if k < len(self._class_names) else str(k)
            painter.drawText(QtCore.QRectF(anchor.x(), anchor.y() - 10, 200, 20), QtCore.Qt.AlignmentFlag.AlignVCenter, name)
        painter.setTransform(transform)


def _short(value: float) -> str:
    """A value in at most four characters: .83, 1.0, -.42."""
    if not np.isfinite(value):
        return "?"
    text = f"{value:.2f}"
    if -1 < value < 1:
        text = text.replace("0.", ".", 1)
    return text[:4]


class NetworkView(pg.GraphicsView):
    """The network on a zoomable, pannable canvas; ``neuron_clicked(layer, index)`` on a click.

    ``show_network`` when the weights change, ``show_forward`` when the example (or only the
    activations) change; ``set_edge_fraction`` chooses how many input edges are drawn.
    """

    neuron_clicked = QtCore.Signal(int, int)
    selection_cleared = QtCore.Signal()  # a click on empty space

    def __init__(self, parent=None):
        super().__init__(parent, background=theme.BACKGROUND)
        self.view_box = pg.ViewBox(lockAspect=True, invertY=True, enableMenu=False)
        self.view_box.setBackgroundColor(theme.BACKGROUND)
        self.setCentralItem(self.view_box)
        self.setMinimumSize(480, 320)
        self.edge_fraction = DEFAULT_EDGE_FRACTION
        self.layout: Layout | None = None
        self._matrices: list[np.ndarray] | None = None
        self.edges: EdgeItem | None = None
        self.neurons: NeuronItem | None = None
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(theme.grey_lookup_table())
        self.image.setLevels((0.0, 1.0))
        self.image.setZValue(2)
        self.view_box.addItem(self.image)
        self._titles: list[QtWidgets.QGraphicsSimpleTextItem] = []
        self._class_names: tuple[str, ...] = tuple(str(d) for d in range(10))
        self.scene().sigMouseClicked.connect(self._on_click)
        self.last_bins: EdgeBins | None = None
        self._input: np.ndarray | None = None

    def show_network(self, network: Network, image_shape: tuple[int, int], class_names: tuple[str, ...]) -> None:
        """Draw ``network``'s weights; rebuilds the layout if the architecture changed."""
        if self.layout is None or self.layout.sizes != network.sizes or self.layout.image_shape != tuple(image_shape) \
                or class_names != self._class_names or self.neurons._activation != network.activation.name:
            self._build(network, image_shape, class_names)
        self.neurons.biases = [b.copy() for b in network.biases]
        self.show_edge_values(network.weights)

    def select_neuron(self, selected: tuple[int, int] | None) -> None:
        """Highlight one neuron's incoming and outgoing edges and dim all the others (None: all edges)."""
        if self.neurons is None:
            return
        self.neurons.set_selected(selected)
        self._rebin()

    def show_edge_values(self, matrices: list[np.ndarray]) -> None:
        """Colour the edges by ``matrices`` (the weights, or nudges to them), shaped like W[l]."""
        self._matrices = [np.array(m, copy=True) for m in matrices]
        self._rebin()

    @property
    def edge_values(self) -> list[np.ndarray] | None:
        """What the edges show now: the weights, or the nudges the stepper put there."""
        return self._matrices

    def set_edge_fraction(self, fraction: float) -> None:
        """Draw the strongest ``fraction`` (0..1) of the input edges; the other layers are always whole."""
        self.edge_fraction = float(np.clip(fraction, 0.0, 1.0))
        self._rebin()

    def show_forward(self, forward: ForwardPass, answer: int | None = None, label: int | None = None) -> None:
        """Shade every neuron by its activation for the first example of ``forward``."""
        if self.layout is None:
            return
        x = forward.activations[0][0]
        # During training the example stays and only the other layers change: redrawing the
        # image would cost a repaint of its own for nothing.
        if self._input is None or not np.array_equal(x, self._input):
            self._input = x.copy()
            self.image.setImage(x.reshape(self.layout.image_shape), autoLevels=False, levels=(0.0, 1.0))
        self.neurons.zs = [z[0].copy() for z in forward.zs]
        self.neurons.set_activations([a[0] for a in forward.activations[1:]], answer, label)

    @contextlib.contextmanager
    def vector_rendering(self):
        """Paint the edges as paths rather than from their pixmap cache (for SVG export)."""
        cache = QtWidgets.QGraphicsItem.CacheMode
        if self.edges is not None:
            self.edges.setCacheMode(cache.NoCache)
            self.neurons.vector = True
        try:
            yield
        finally:
            if self.edges is not None:
                self.edges.setCacheMode(cache.DeviceCoordinateCache)
                self.neurons.vector = False

    def _on_click(self, event) -> None:
        # A click that no neuron took: show all edges again.
        if not event.isAccepted() and self.neurons is not None and self.neurons.selected is not None:
            self.select_neuron(None)
            self.selection_cleared.emit()

    def describe_neuron(self, layer: int, k: int) -> str:
        """Neuron ``k`` of ``layer``'s numbers for the example on show (rich text)."""
        return self.neurons.describe(layer, k) if self.neurons is not None else ""

    def reset_zoom(self) -> None:
        if self.layout is not None:
            self.view_box.setRange(QtCore.QRectF(-4, -14, self.layout.width + 8, self.layout.height + 18), padding=0)

    # -- internals ----------------------------------------------------------------------------

    def _build(self, network: Network, image_shape, class_names) -> None:
        for item in (self.edges, self.neurons, *self._titles):
            if item is not None:
                self.view_box.removeItem(item)
        self._class_names = tuple(class_names)
        self.layout = make_layout(network.sizes, tuple(image_shape))
        rect = QtCore.QRectF(-2, -2, self.layout.width + 4, self.layout.height + 4)
        self.edges = EdgeItem(rect)
        self.edges.setZValue(0)
        self.neurons = NeuronItem(self.layout, self._class_names, network.activation.name)
        self.neurons.setZValue(3)
        self.neurons.clicked.connect(self.neuron_clicked)
        self.view_box.addItem(self.edges)
        self.view_box.addItem(self.neurons)
        rows, cols = self.layout.image_shape
        size = self.layout.pixel_size
        top = float(self.layout.positions[0][0, 1]) - size / 2
        self.image.setImage(np.zeros((rows, cols), np.float32), autoLevels=False, levels=(0.0, 1.0))
        self._input = None
        self.image.setRect(QtCore.QRectF(0, top, cols * size, rows * size))
        self._titles = []
        names = [f"input {rows}×{cols}"] + [f"hidden {l}" for l in range(1, len(network.sizes) - 1)] + ["output"]
        xs = [cols * size / 2] + [float(p[0, 0]) for p in self.layout.positions[1:]]
        for name, x in zip(names, xs):
            title = QtWidgets.QGraphicsSimpleTextItem(name)
            title.setBrush(theme.DIM_TEXT)
            title.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            width = title.boundingRect().width()
            title.setPos(x, -8)
            title.setTransform(QtGui.QTransform.fromTranslate(-width / 2, 0))
            self.view_box.addItem(title)
            self._titles.append(title)
        self.reset_zoom()

    def _rebin(self) -> None:
        if self.layout is None or self._matrices is None:
            return
        matrices = self._matrices
        selected = self.neurons.selected
        if selected is not None:
            # Only the selected neuron's edges keep their values; the rest drop to the faintest colour.
            layer, k = selected
            matrices = [np.zeros_like(m) for m in self._matrices]
            matrices[layer - 1][k, :] = self._matrices[layer - 1][k, :]
            if layer < len(matrices):
                matrices[layer][:, k] = self._matrices[layer][:, k]
        self.displayed_values = matrices
        fractions = [self.edge_fraction if selected is None else 1.0] + [1.0] * (len(matrices) - 1)
        self.last_bins = bin_edges(self.layout, matrices, fractions)
        self.edges.set_bins(self.last_bins)
