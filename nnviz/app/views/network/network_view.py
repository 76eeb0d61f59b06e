"""The whole network on one canvas: edges coloured by weight, neurons shaded by activation.

Three layers of graphics, so that each change repaints only what it must:
- ``EdgeItem`` (edge_item.py) draws every edge as painter paths by colour bin into a picture of
  its own, rebuilt in slices across event-loop turns: a change of activations never redraws an
  edge, and new weights never stall the window;
- an ``ImageItem`` shows the input image, whose pixels are the 784 input neurons;
- ``NeuronItem`` (neuron_item.py) paints the other neurons, their values and the answer.

The backpropagation lesson draws its pages here too (``show_lesson``): the nudges on the edges
(nudge_edges.py), its marks on the neurons (lesson_marks.py), the input's wish in place of the
image, and a legend below the picture.
"""

from __future__ import annotations

import contextlib
import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ....core.arrays import ForwardPass
from ....core.network import Network
from ...shell import theme
from ..plot import paints_every_pixel
from .edge_item import EdgeItem
from ....render.crowding import Thinning, thin
from ....render.palette import NEGATIVE, POSITIVE
from ....render.geometry import EdgeBins, Layout, binning, make_layout
from .neuron_item import NeuronItem
from .nudge_edges import NudgeEdges
from ....lessons.picture import LEGEND_MAX

DEFAULT_EDGE_FRACTION = 0.25
#: Pixels kept free between two layers' titles (closer, they are shortened or hidden).
TITLE_GAP = 6
#: The note on thinned edges: its least and most width, the pixels it keeps clear of the input
#: image and edges, and its padding (the style sheet's, both sides together).
NOTE_WIDTHS = (120, 460)
NOTE_GAP = 8
NOTE_PADDING = QtCore.QSize(8, 4)
NOTE_GIST = "Only the strongest edges are drawn where they crowd. Zoom in to see more."


#: The least width of a view that shows the key to its colours below the picture.
KEY_VIEW_WIDTH = 480


def key_text(activation: str) -> str:
    """What the picture's colours say: the edges' by the sign and size of the weight, the neurons'
    by their activation a (its range for ``activation``; the outputs are sigmoids or softmax, 0 to 1)."""
    blue, red = ("#%02x%02x%02x" % colour for colour in (POSITIVE, NEGATIVE))
    low = "−1" if activation == "tanh" else "0"
    high = "1&nbsp;or&nbsp;more" if activation == "relu" else "1"
    # Values kept whole where the line breaks.
    return (f"Edges: <span style='color:{blue}'>blue</span> w&nbsp;&gt;&nbsp;0, <span style='color:{red}'>red</span> "
            f"w&nbsp;&lt;&nbsp;0, brighter and thicker for a larger&nbsp;|w|. Neurons: dark for an "
            f"activation a&nbsp;=&nbsp;{low}, white for a&nbsp;=&nbsp;{high}.")


class NetworkView(pg.GraphicsView):
    """The network on a zoomable, pannable canvas; ``neuron_clicked(layer, index)`` on a click.

    ``show_network`` when the weights change, ``show_forward`` when the example (or only the
    activations) change; ``set_edge_fraction`` chooses how many input edges are drawn.
    """

    #: The lesson's legend or the key, below the picture (made after pyqtgraph's constructor, which
    #: resizes the view); the lesson page's legend, if any; the hidden layers' activation.
    legend: QtWidgets.QLabel | None = None
    _lesson_legend: str | None = None
    _activation_name = ""

    neuron_clicked = QtCore.Signal(int, int)
    selection_cleared = QtCore.Signal()  # a click on empty space
    #: A new edge picture is on screen; the seconds it cost to prepare and draw.
    edges_redrawn = QtCore.Signal(float)
    #: The view was repainted (new activations, a new edge picture swapped in); the seconds it took.
    painted = QtCore.Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent, background=theme.BACKGROUND)
        paints_every_pixel(self)
        self.view_box = pg.ViewBox(lockAspect=True, invertY=True, enableMenu=False)
        # No background of its own: the view's is the same colour, and a second fill of the whole
        # viewport would cost every repaint ~1 ms.
        self.setCentralItem(self.view_box)
        # Small enough that the stepper's dock fits beside it on a 1280x720 screen: a minimum the
        # window cannot give clips the view (the output layer falls off) instead of shrinking it.
        self.setMinimumSize(300, 240)
        self.edge_fraction = DEFAULT_EDGE_FRACTION
        self.layout: Layout | None = None
        self._matrices: list[np.ndarray] | None = None
        self.edges: EdgeItem | None = None
        self.neurons: NeuronItem | None = None
        self.nudge_edges: NudgeEdges | None = None
        #: A lesson's page is on show: its picture (a ``LessonPicture``), else None.
        self.lesson = None
        self.legend = QtWidgets.QLabel(self)
        self.legend.setObjectName("dim")
        self.legend.setWordWrap(True)
        self.legend.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
        self.legend.setContentsMargins(8, 2, 8, 2)
        self.legend.hide()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(theme.grey_lookup_table())
        self.image.setLevels((0.0, 1.0))
        self.image.setZValue(2)
        # Painted from a picture of it kept at the screen's scale: drawn straight into the view,
        # clipped to it, the image was the costliest part of every repaint (moves repaint it twice).
        self.image.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.view_box.addItem(self.image)
        self._titles: list[QtWidgets.QGraphicsSimpleTextItem] = []
        self._title_names: tuple[list[str], list[str]] = ([], [])
        self._class_names: tuple[str, ...] = tuple(str(d) for d in range(10))
        self.scene().sigMouseClicked.connect(self._on_click)
        self._input: np.ndarray | None = None
        self._forward_input: np.ndarray | None = None
        self._wish_shown = False
        self._activation_name = ""
        #: What the picture draws of each layer, where a wide layer's weakest edges would be hidden
        #: (render/crowding.py), and the words in the picture's corner that say so.
        self.thinning: Thinning | None = None
        self.thinning_note = QtWidgets.QLabel()
        self.thinning_note.setObjectName("dim")
        self.thinning_note.setWordWrap(True)
        self.thinning_note.setMaximumWidth(NOTE_WIDTHS[1])
        self.thinning_note.setStyleSheet("background: rgba(24, 27, 36, 200); padding: 2px 4px;")
        self.thinning_note.setAttribute(QtCore.Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.thinning_note.hide()
        self._note_text, self._note_room = "", QtCore.QSize()
        # In the viewport's bottom left corner, below the input image, whatever the view's size.
        corner = QtWidgets.QVBoxLayout(self.viewport())
        corner.setContentsMargins(6, 6, 6, 4)
        corner.addStretch(1)
        corner.addWidget(self.thinning_note, 0, QtCore.Qt.AlignmentFlag.AlignBottom)
        self.view_box.sigTransformChanged.connect(self._on_zoomed)

    @property
    def last_bins(self) -> EdgeBins | None:
        """The bins of the latest picture asked for (worked out now if they are not yet)."""
        return self.edges.bins if self.edges is not None else None

    def show_network(self, network: Network, image_shape: tuple[int, int], class_names: tuple[str, ...]) -> None:
        """Draw ``network``'s weights; rebuilds the layout if the architecture changed."""
        if self.layout is None or self.layout.sizes != network.sizes or self.layout.image_shape != tuple(image_shape) \
                or class_names != self._class_names or self._activation_name != network.activation.name:
            self._build(network, image_shape, class_names)
        self.neurons.biases = [b.copy() for b in network.biases]
        # The same weights again (one model change can reach here twice) need no new picture.
        if self._matrices is None or not all(np.array_equal(a, b) for a, b in zip(self._matrices, network.weights)):
            self.show_edge_values(network.weights)

    def show_parameters(self, network: Network, forward: ForwardPass | None = None, answer: int | None = None,
                        label: int | None = None) -> None:
        """New weights and biases for the same architecture (a training snapshot, a checkpoint), and
        optionally the example's new activations, in one call; the edges follow within a few
        event-loop turns (``edges.redrawn``), or at once after ``finish_drawing()``."""
        if self.layout is None or self.layout.sizes != network.sizes:
            raise ValueError("show_parameters needs the architecture on show; use show_network")
        self.neurons.biases = [b.copy() for b in network.biases]
        self.show_edge_values(network.weights)
        if forward is not None:
            self.show_forward(forward, answer, label)

    def show_arrows(self, arrows: list[np.ndarray | None]) -> None:
        """Arrows on the neurons, outside a lesson (slow motion's bias changes): ``arrows[l-1]`` for
        layer l (1..L), or None for none; drawn as the lesson draws its wishes."""
        if self.neurons is not None:
            self.neurons.set_lesson(arrows=arrows)

    def show_lesson(self, picture) -> None:
        """Draw a page of the backpropagation lesson (a ``nnviz.lessons.picture.LessonPicture``): its
        edges (nudges coloured and thickened by size), activations, arrows, bias bars, ring, circles,
        the input's wish and the legend. None: the lesson is over (show the network again)."""
        self.lesson = picture
        if self.layout is None:
            return
        if picture is None:
            self.neurons.set_lesson()
            self._show_legend(None)
            self._show_input_wish(None)
            self._rebin()
            return
        self.show_edge_values(picture.edges)
        self.show_forward(picture.forward, picture.answer, picture.target)
        self.neurons.set_lesson(picture.arrows, picture.bias_marks, picture.ringed, picture.marked)
        self._show_input_wish(picture.input_wish)
        self._show_legend(picture.legend)

    def _show_input_wish(self, wish: np.ndarray | None) -> None:
        """−η ∂C/∂x in place of the image (blue: brighter, red: darker), or the image again."""
        if wish is None:
            if self._wish_shown:
                self._wish_shown = False
                self.image.setLookupTable(theme.grey_lookup_table())
                self._input = None  # the next show_forward puts the image back
                if self._forward_input is not None:
                    self._show_input(self._forward_input)
            return
        limit = float(np.max(np.abs(wish))) or 1.0
        self._wish_shown = True
        self.image.setLookupTable(theme.diverging_lookup_table())
        self.image.setImage(np.asarray(wish, np.float64), autoLevels=False, levels=(-limit, limit))
        self._input = None

    def _show_legend(self, text: str | None) -> None:
        """The lesson page's legend below the picture, or, outside a lesson, the key to its colours
        (``key_text``) where the view is wide enough for it (not two compared runs' small views)."""
        self._lesson_legend = text
        if self.legend is None:
            return
        if self.lesson is None:
            text = key_text(self._activation_name) if self.width() >= KEY_VIEW_WIDTH and self._activation_name else None
        self.legend.setVisible(text is not None)
        if (text or "") != self.legend.text():
            self.legend.setText(text or "")
        self._place_legend()

    def _legend_height(self) -> int:
        if self.legend is None or self.legend.isHidden():
            return 0
        if self.lesson is None:  # the key: as tall as its lines
            return self.legend.heightForWidth(self.width())
        # Room for the longest legend a lesson has, so that the picture keeps one size on every page.
        sample = ("legend " * (LEGEND_MAX // 7 + 1))[:LEGEND_MAX]
        margins = self.legend.contentsMargins()
        width = max(1, self.width() - margins.left() - margins.right())
        room = self.legend.fontMetrics().boundingRect(QtCore.QRect(0, 0, width, 0),
                                                      QtCore.Qt.TextFlag.TextWordWrap, sample).height()
        return max(room + margins.top() + margins.bottom(), self.legend.heightForWidth(self.width()))

    def _place_legend(self) -> None:
        height = self._legend_height()
        if height != self.viewportMargins().bottom():
            self.setViewportMargins(0, 0, 0, height)
            self._fit_viewport()
        if self.legend is not None:
            self.legend.setGeometry(0, self.height() - height, self.width(), height)

    def resizeEvent(self, event) -> None:
        if self.closed:
            return
        self._show_legend(self._lesson_legend)
        self._fit_viewport()

    def _fit_viewport(self) -> None:
        # pyqtgraph sizes the picture to the whole widget; below a legend, only the viewport shows it.
        if self.autoPixelRange:
            self.range = QtCore.QRectF(0, 0, self.viewport().width(), self.viewport().height())
        pg.GraphicsView.setRange(self, self.range, padding=0, disableAutoPixel=False)
        self.updateMatrix()

    @property
    def arrows(self) -> list[np.ndarray | None]:
        return self.neurons.arrows if self.neurons is not None else []

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
        self._forward_input = x
        if not self._wish_shown and (self._input is None or not np.array_equal(x, self._input)):
            self._show_input(x)
        self.neurons.zs = [z[0].copy() for z in forward.zs]
        self.neurons.set_activations([a[0] for a in forward.activations[1:]], answer, label)

    def _show_input(self, x: np.ndarray) -> None:
        self._input = x.copy()
        self.image.setImage(x.reshape(self.layout.image_shape), autoLevels=False, levels=(0.0, 1.0))

    @contextlib.contextmanager
    def vector_rendering(self):
        """Paint the edges as paths rather than from their picture (for SVG export)."""
        items = [item for item in (self.edges, self.neurons) if item is not None]
        for item in items:
            item.vector = True
        try:
            yield
        finally:
            for item in items:
                item.vector = False

    def finish_drawing(self) -> None:
        """Complete the edge picture now instead of over the next turns of the event loop."""
        if self.edges is not None:
            self.edges.finish()

    def grab(self, *args):
        # A picture of the view shows what it was last told, not a picture still being drawn.
        self.finish_drawing()
        return super().grab(*args)

    def paintEvent(self, event) -> None:
        start = time.perf_counter()
        super().paintEvent(event)
        self.painted.emit(time.perf_counter() - start)

    def _on_click(self, event) -> None:
        # A click that no neuron took: show all edges again.
        if not event.isAccepted() and self.neurons is not None and self.neurons.selected is not None:
            self.select_neuron(None)
            self.selection_cleared.emit()

    def _on_edges_redrawn(self) -> None:
        self.edges_redrawn.emit(self.edges.last_seconds)

    def reset_zoom(self) -> None:
        if self.layout is not None:
            # From the top of the tallest column: a wide layer reaches above the input image.
            layout = self.layout
            self.view_box.setRange(QtCore.QRectF(-4, layout.top - 14, layout.width + 8, layout.height + 18), padding=0)

    # -- internals ----------------------------------------------------------------------------

    def _build(self, network: Network, image_shape, class_names) -> None:
        for item in (self.edges, self.nudge_edges, self.neurons, *self._titles):
            if item is not None:
                self.view_box.removeItem(item)
        self._class_names = tuple(class_names)
        self.layout = make_layout(network.sizes, tuple(image_shape))
        # From the top of the tallest column: a wide layer reaches above the input image.
        rect = QtCore.QRectF(-2, self.layout.top - 2, self.layout.width + 4, self.layout.height + 4)
        self.edges = EdgeItem(rect)
        self.edges.setZValue(0)
        self.edges.redrawn.connect(self._on_edges_redrawn)
        self.nudge_edges = NudgeEdges(self.layout, rect)
        self.nudge_edges.setZValue(1)
        self.view_box.addItem(self.nudge_edges)
        self.neurons = NeuronItem(self.layout, self._class_names, network.activation.name)
        self._activation_name = network.activation.name
        self._show_legend(self._lesson_legend)
        self.neurons.setZValue(3)
        self.neurons.clicked.connect(self.neuron_clicked)
        self.view_box.addItem(self.edges)
        self.view_box.addItem(self.neurons)
        rows, cols = self.layout.image_shape
        size = self.layout.pixel_size
        top = float(self.layout.positions[0][0, 1]) - size / 2
        self.image.setLookupTable(theme.grey_lookup_table())
        self.image.setImage(np.zeros((rows, cols), np.float32), autoLevels=False, levels=(0.0, 1.0))
        self._input, self._forward_input, self._wish_shown = None, None, False
        self.image.setRect(QtCore.QRectF(0, top, cols * size, rows * size))
        self._titles = []
        hidden = range(1, len(network.sizes) - 1)
        self._title_names = ([f"input {rows}×{cols}"] + [f"hidden {l}" for l in hidden] + ["output"],
                             ["input"] + [f"h{l}" for l in hidden] + ["out"])
        xs = [cols * size / 2] + [float(p[0, 0]) for p in self.layout.positions[1:]]
        for name, x in zip(self._title_names[0], xs):
            title = QtWidgets.QGraphicsSimpleTextItem(name)
            title.setBrush(theme.DIM_TEXT)
            title.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            # Its bottom just above the drawing, in pixels: however small the view, it never covers a neuron.
            title.setPos(x, self.layout.top - 1.5)
            self._name_title(title, name)
            self.view_box.addItem(title)
            self._titles.append(title)
        self.thinning = None
        self.reset_zoom()

    def _rebin(self) -> None:
        if self.layout is None or self._matrices is None:
            return
        nudges = self.lesson is not None and self.lesson.edges_are_nudges
        # A lesson's nudges are drawn thick on their own item; the other edges are hidden then.
        self.edges.setVisible(not nudges)
        self.nudge_edges.set_values(self._matrices if nudges else None)
        if nudges:
            self.displayed_values = self._matrices
            self._note_text = ""  # the nudges are drawn whole, on their own item
            self._show_thinning_note()
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
        asked = [self.edge_fraction if selected is None else 1.0] + [1.0] * (len(matrices) - 1)
        self.thinning = thin(self.layout, asked, self._pixels_per_unit())
        self._say_thinning(asked)
        # Worked out in the edges' slices: for a wide network, several milliseconds that would
        # otherwise fall in the turn that repaints everything else the change touched.
        self.edges.set_bins(binning(self.layout, matrices, list(self.thinning.fractions)))

    def _pixels_per_unit(self) -> float:
        """Device pixels a scene unit takes now (the raster's pixels, at the screen's pixel ratio)."""
        units_per_pixel = self.view_box.viewPixelSize()[0]
        return self.devicePixelRatioF() / units_per_pixel if units_per_pixel > 0 else 1.0

    @staticmethod
    def _name_title(title: QtWidgets.QGraphicsSimpleTextItem, name: str) -> None:
        if title.text() != name:
            title.setText(name)
        box = title.boundingRect()
        title.setTransform(QtGui.QTransform.fromTranslate(-box.width() / 2, -box.height()))

    def _fit_titles(self) -> None:
        """The layers' titles in full where the columns leave room, else short ("h1", "out"), else
        only the input's: a small view (a compared run's) never runs them into each other."""
        if not self._titles:
            return
        centres = [self.view_box.mapViewToDevice(title.pos()).x() for title in self._titles]
        for names in self._title_names:
            widths = [QtGui.QFontMetricsF(title.font()).horizontalAdvance(name) for title, name in zip(self._titles, names)]
            room = all(centres[i] + widths[i] / 2 + TITLE_GAP <= centres[i + 1] - widths[i + 1] / 2
                       for i in range(len(names) - 1))
            if room:
                break
        for i, (title, name) in enumerate(zip(self._titles, names)):
            self._name_title(title, name)
            title.setVisible(room or i == 0)

    def _on_zoomed(self, *_) -> None:
        self._fit_titles()
        self._fit_thinning_note()
        # Zoomed in, the lines spread over more pixels and fewer are hidden: draw the share the new
        # zoom needs (a small change is not worth a new picture).
        if self.thinning is None or self.layout is None:
            return
        asked = [self.edge_fraction if self.neurons.selected is None else 1.0] + [1.0] * (len(self.layout.sizes) - 2)
        wanted = thin(self.layout, asked, self._pixels_per_unit()).fractions
        if any(abs(a - b) > 0.1 * max(a, b) for a, b in zip(wanted, self.thinning.fractions)):
            self._rebin()

    def _fit_thinning_note(self) -> None:
        """Where the note may go: below the input image and left of the input edges, so that it
        covers neither (measured again whenever the view is resized or zoomed)."""
        if self.layout is None:
            return
        margins = self.viewport().layout().contentsMargins()
        image = self.mapFromScene(self.image.sceneBoundingRect()).boundingRect()
        self._note_room = QtCore.QSize(image.right() - margins.left() - NOTE_GAP,
                                       self.viewport().height() - margins.bottom() - image.bottom() - NOTE_GAP)
        self._show_thinning_note()

    def _show_thinning_note(self) -> None:
        """The whole note where it fits, else its gist, else nothing (zoomed in, the picture is all
        there is room for)."""
        note, room = self.thinning_note, self._note_room
        width = min(NOTE_WIDTHS[1], room.width())
        text = ""
        if width >= NOTE_WIDTHS[0] and self._note_text:
            metrics = note.fontMetrics()
            for candidate in (self._note_text, NOTE_GIST):
                lines = metrics.boundingRect(QtCore.QRect(0, 0, width - NOTE_PADDING.width(), 10**6),
                                             QtCore.Qt.TextFlag.TextWordWrap, candidate)
                if lines.height() + NOTE_PADDING.height() <= room.height():
                    text = candidate
                    break
        note.setMaximumWidth(max(NOTE_WIDTHS[0], width))
        if text != note.text():
            note.setText(text)
        note.setVisible(bool(text))

    def _say_thinning(self, asked: list[float]) -> None:
        """In the picture's corner: which layers show only their strongest edges, and why. Not with
        a neuron selected: its own edges are all drawn (the strongest there), over faint others."""
        names = ["input"] + [f"hidden {l}" for l in range(1, len(self.layout.sizes) - 1)] + ["output"]
        thinned = [] if self.neurons.selected is not None else self.thinning.thinned(asked)
        parts = [f"{names[l - 1]} → {names[l]}: the strongest {self.thinning.fractions[l - 1]:.0%} of "
                 f"{self.layout.sizes[l - 1] * self.layout.sizes[l]:,}"
                 + (f" (the Input edges slider asks for {asked[0]:.0%})" if l == 1 and asked[0] < 1 else "")
                 for l in thinned]
        text = ("Only the strongest edges are drawn where they crowd, the weaker would be hidden under them: "
                + "; ".join(parts) + ". Zoom in to see more." if parts else "")
        self._note_text = text[:1].upper() + text[1:]
        self._show_thinning_note()
