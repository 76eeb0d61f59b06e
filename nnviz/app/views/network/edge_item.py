"""The edges of the network view: a picture rebuilt in slices, so the window never stalls.

Drawing thousands of lines takes longer than a frame, and it keeps the GUI thread for all of it.
So the edges are drawn into a back buffer in slices, one per turn of the event loop, while the
screen keeps showing the previous picture; the finished buffer is swapped in. The view transform
the buffer was drawn for is remembered: panning just moves it, zooming scales it until a sharp
one at the new zoom is ready.

Two ways to draw the buffer, the same picture: "raster" (the default) draws it with NumPy
(render/raster.py, several times faster: its cost follows the pixels the lines cross, where
Qt's painter spends ~5 µs on every line) and shows the array as a QImage without copying it;
"paths" draws one painter path per colour bin, a few hundred lines at a time. Exported SVG always
paints real paths.

With a neuron selected every other edge is drawn faint (its value 0), and those are the same
from one set of weights to the next: the raster draws them once per selection, zoom and view
(``_Lattice``) and each new picture draws only the selected neuron's edges over them, the same
picture as drawing all (render/raster.py, ``under``).
"""

from __future__ import annotations

import time
from typing import Iterator

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from ....render import palette
from ....render.geometry import ZERO_BIN, EdgeBins, draw_order
from ....render.raster import EdgeRaster
from ...shell import theme

#: How the edges become a picture: "raster" (NumPy) or "paths" (QPainter); see the module.
DRAWING = "raster"
#: Lines per piece of a path: the unit of work between two looks at the clock.
PIECE_EDGES = 150
#: Work per event-loop turn; a 60 Hz frame is 16 ms and other work shares it.
SLICE_SECONDS = 0.004
#: The first slice of a new picture: it comes in the turn that repaints what changed with the new
#: parameters (the neurons, the timeline, the tabs), which is most of that turn already.
FIRST_SLICE_SECONDS = 0.001
#: A picture at least this share of whose edges have the value 0 (a neuron selected) draws those
#: once for as long as they stay the same (``_Lattice``).
LATTICE_SHARE = 0.5

_RASTER_COLOURS = palette.argb(palette.edge_colours())
_WIDTHS = palette.edge_widths()
_BACKGROUND = int(palette.argb(palette.BACKGROUND))


class _Pieces:
    """One set of bins cut into pieces of at most PIECE_EDGES lines, in drawing order, with their paths.

    The bins may still be worked out (``binning``'s steps): in the slices, ``work``, or at once
    when read. ``seconds``: what working them out cost, not yet charged to a picture."""

    def __init__(self, bins: EdgeBins | Iterator[EdgeBins | None], order: list[int]):
        self._bins = bins if isinstance(bins, EdgeBins) else None
        self._steps = None if self._bins is not None else bins
        self.order = order
        self.seconds = 0.0
        self._started = self._bins is not None
        self._pieces: list[tuple[int, int, int]] | None = None
        self._paths: dict[int, QtGui.QPainterPath] = {}

    @property
    def ready(self) -> bool:
        return self._bins is not None

    @property
    def started(self) -> bool:
        return self._started

    def work(self, budget: float) -> bool:
        """Work the bins out for up to ``budget`` seconds (a layer past it at most); True once they are."""
        start = time.perf_counter()
        self._started = True
        while self._bins is None:
            self._bins = next(self._steps)
            if time.perf_counter() - start >= budget:
                break
        if self._bins is not None:
            self._steps = None
        self.seconds += time.perf_counter() - start
        return self._bins is not None

    @property
    def bins(self) -> EdgeBins:
        self.work(float("inf"))
        return self._bins

    @property
    def pieces(self) -> list[tuple[int, int, int]]:
        """(bin, first edge, stop) of every piece; made when first painted (the raster needs none:
        for a wide network listing them costs milliseconds a picture)."""
        if self._pieces is None:
            segments = self.bins.segments
            self._pieces = [(b, start, min(start + PIECE_EDGES, len(segments[b]) // 2))
                            for b in self.order for start in range(0, len(segments[b]) // 2, PIECE_EDGES)]
        return self._pieces

    def path(self, k: int) -> QtGui.QPainterPath:
        # Built once per set of bins: a re-zoom redraws the same paths.
        path = self._paths.get(k)
        if path is None:
            b, start, stop = self.pieces[k]
            s = self.bins.segments[b][2 * start : 2 * stop]
            path = self._paths[k] = pg.functions.arrayToQPath(s[:, 0], s[:, 1], connect="pairs", finiteCheck=False)
        return path


class _Lattice:
    """The edges of value 0 as ranks (an EdgeRaster of ranks only), kept while the same edges are
    drawn at the same scale, offset and size: each new picture is drawn over them."""

    def __init__(self):
        self.raster: EdgeRaster | None = None
        self._rows: np.ndarray | None = None
        self._key: tuple | None = None

    def under(self, bins: EdgeBins, order: list[int], scale: tuple[float, float], offset: tuple[float, float],
              shape: tuple[int, int]) -> EdgeRaster:
        """The rank image of ``bins``' edges of value 0 for this view: the one kept, or a new one
        (not drawn yet: the picture drawn over it draws it first, in its slices)."""
        old, key = self.raster, (scale, offset, shape)
        if old is not None and self._key == key and (self._rows is bins.zero_rows or np.array_equal(self._rows, bins.zero_rows)):
            return old
        zeros = bins.segments[ZERO_BIN].edges(0, bins.zeros)
        self.raster = EdgeRaster([zeros if b == ZERO_BIN else zeros[:0] for b in order], _RASTER_COLOURS[order],
                                 [_WIDTHS[b] for b in order], scale, offset, shape, _BACKGROUND, reuse=old, ranks_only=True)
        self._rows, self._key = bins.zero_rows, key
        return self.raster


class _Buffer:
    """A picture of the edges for one item-to-device transform, covering ``region`` (device px).

    Drawn by a NumPy raster (``raster``; ``image`` wraps its array once it is complete) or by
    painting paths into ``image`` piece by piece.
    """

    def __init__(self, drawing: _Pieces, transform: QtGui.QTransform, region: QtCore.QRect, ratio: float,
                 raster: bool, spare: EdgeRaster | None = None, lattice: _Lattice | None = None):
        self.drawing = drawing
        self.transform = transform
        self.region = region
        self.ratio = ratio
        size = (max(1, round(region.width() * ratio)), max(1, round(region.height() * ratio)))
        self.raster: EdgeRaster | None = None
        self.image: QtGui.QImage | None = None
        # The raster maps item units to pixels by scale and offset: no rotation or shear (a
        # ViewBox never makes one, but painting paths copes with anything). Widths are in image
        # pixels, as a cosmetic pen's are whatever the device pixel ratio (measured: the same
        # share of the picture at ratio 1 and 2).
        if raster and transform.m12() == 0 and transform.m21() == 0:
            order, bins = drawing.order, drawing.bins
            scale = (transform.m11() * ratio, transform.m22() * ratio)
            offset = ((transform.dx() - region.x()) * ratio, (transform.dy() - region.y()) * ratio)
            shape = (size[1], size[0])
            groups = [bins.segments[b] for b in order]
            under = None
            if lattice is not None and bins.zeros and bins.zeros >= LATTICE_SHARE * bins.drawn:
                under = lattice.under(bins, order, scale, offset, shape)
                groups[order.index(ZERO_BIN)] = bins.segments[ZERO_BIN].edges(bins.zeros)
            self.raster = EdgeRaster(groups, _RASTER_COLOURS[order], [_WIDTHS[b] for b in order], scale, offset,
                                     shape, _BACKGROUND, reuse=spare, under=under)
        else:
            self.image = QtGui.QImage(*size, QtGui.QImage.Format.Format_RGB32)
            self.image.setDevicePixelRatio(ratio)
            self.image.fill(theme.BACKGROUND)
        self.next_piece = 0
        # What working the bins out cost, when it is not charged to a picture yet.
        self.seconds, drawing.seconds = drawing.seconds, 0.0

    def same_scale(self, transform: QtGui.QTransform) -> bool:
        t = self.transform
        return (t.m11(), t.m12(), t.m21(), t.m22()) == (transform.m11(), transform.m12(), transform.m21(), transform.m22())

    def covers(self, transform: QtGui.QTransform, needed: QtCore.QRect) -> bool:
        """True if this buffer, moved to ``transform``, covers ``needed`` at the right scale."""
        if not self.same_scale(transform):
            return False
        shift = QtCore.QPointF(transform.dx() - self.transform.dx(), transform.dy() - self.transform.dy())
        return QtCore.QRectF(self.region).translated(shift).contains(QtCore.QRectF(needed))

    def wrap_raster(self) -> None:
        """Show the finished raster's array as the image, without a copy (the array stays alive here)."""
        pixels = self.raster.image
        height, width = pixels.shape
        self.image = QtGui.QImage(pixels.data, width, height, 4 * width, QtGui.QImage.Format.Format_RGB32)
        self.image.setDevicePixelRatio(self.ratio)


class EdgeItem(pg.GraphicsObject):
    """Edges by colour bin, drawn weak to strong so strong edges end up on top.

    ``redrawn`` is emitted when a new picture is on screen; ``last_seconds`` is what drawing it
    cost in all (its binning included), ``longest_slice`` the longest single slice of the work
    (binning or drawing) taken in turns of the event loop so far.
    """

    redrawn = QtCore.Signal()

    def __init__(self, rect: QtCore.QRectF, drawing: str | None = None):
        super().__init__()
        drawing = drawing or DRAWING
        if drawing not in ("raster", "paths"):
            raise ValueError(f"edges are drawn as 'raster' or 'paths', not {drawing!r}")
        #: "raster" or "paths" (see the module); a change shows from the next picture on.
        self.drawing = drawing
        self._rect = rect
        self._pens = theme.edge_pens()
        self._order = draw_order()
        self._latest: _Pieces | None = None
        self._binning: _Pieces | None = None  # bins being worked out for the next picture begun
        self._front: _Buffer | None = None
        self._back: _Buffer | None = None
        self._spare: EdgeRaster | None = None  # a raster no longer shown, whose arrays the next may take
        self._lattice = _Lattice()
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)
        self.vector = False  # True while exporting SVG: paint the paths themselves
        self.slice_seconds = SLICE_SECONDS
        self._first_slice = False  # the next slice is a new picture's first
        self.last_seconds = 0.0
        self.longest_slice = 0.0

    def set_bins(self, bins: EdgeBins | Iterator[EdgeBins | None]) -> None:
        """Show these edges (or those ``geometry.binning``'s steps work out: they are taken in the
        slices); the picture on screen changes when the new one is complete.

        A picture already begun (its bins being worked out, or it being drawn) is completed
        first, so that bins arriving faster than they can be drawn still reach the screen, the
        latest one last. Bins replaced before their picture was begun are never worked out.
        """
        # Only a picture begun from rest gets the short first slice: bins arriving while others
        # are worked out or drawn (a drag of the Edges slider) would otherwise never be begun.
        self._first_slice = self._first_slice or not self.pending
        self._latest = _Pieces(bins, self._order)
        self._schedule()

    @property
    def bins(self) -> EdgeBins | None:
        """The latest bins, worked out now if they are not yet."""
        return self._latest.bins if self._latest is not None else None

    @property
    def pending(self) -> bool:
        """True while a newer picture than the one on screen is being drawn or due."""
        return self._back is not None or self._timer.isActive()

    def finish(self) -> None:
        """Complete the picture now, in one go (before a grab, or where a caller must wait)."""
        self._timer.stop()
        while not self._work(float("inf")):
            pass

    def boundingRect(self) -> QtCore.QRectF:
        return self._rect

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        if self.vector:
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
            drawing = self._latest
            for k, (b, _, _) in enumerate(drawing.pieces if drawing else []):
                painter.setPen(self._pens[b])
                painter.drawPath(drawing.path(k))
            return
        front = self._front
        if front is None:
            self._schedule()
            return
        transform = painter.transform()
        if front.same_scale(transform):
            # A plain blit, shifted by the pan since the buffer was drawn: a transformed image
            # would go through Qt's much slower scaling path even for a near-identity transform.
            shift = QtCore.QPoint(round(transform.dx() - front.transform.dx()), round(transform.dy() - front.transform.dy()))
            painter.resetTransform()
            painter.drawImage(front.region.topLeft() + shift, front.image)
        else:
            # Zoomed since: the old picture scaled, until a sharp one at the new zoom is ready.
            painter.setTransform(front.transform.inverted()[0] * transform)
            painter.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(QtCore.QPointF(front.region.topLeft()), front.image)
        painter.setTransform(transform)
        if self._back is None and not self._current(self._front, self._target()):
            self._schedule()

    # -- internals ----------------------------------------------------------------------------

    def _target(self) -> tuple[QtGui.QTransform, QtCore.QRect, float] | None:
        """The item-to-device transform now, the device rectangle that must be covered, and the pixel ratio."""
        scene = self.scene()
        views = scene.views() if scene is not None else []
        if not views or self._latest is None:
            return None
        view = views[0]
        transform = self.deviceTransform(view.viewportTransform())
        viewport = view.viewport().rect()
        needed = transform.mapRect(self._rect).toAlignedRect().intersected(viewport)
        if needed.isEmpty():
            return None
        return transform, needed, view.devicePixelRatioF()

    def _current(self, buffer: _Buffer | None, target) -> bool:
        return buffer is not None and target is not None and buffer.drawing is self._latest and buffer.covers(*target[:2])

    def _schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start(0)

    def _on_timeout(self) -> None:
        first, self._first_slice = self._first_slice, False
        start = time.perf_counter()
        # A new picture's first slice shares its turn with the repaint of what else the change
        # touched: a short one, and no binning (a wide network's first layer is milliseconds).
        done = self._work(min(FIRST_SLICE_SECONDS, self.slice_seconds) if first else self.slice_seconds,
                          binning=not first)
        self.longest_slice = max(self.longest_slice, time.perf_counter() - start)
        if not done:
            self._timer.start(0)

    def _work(self, budget: float, binning: bool = True) -> bool:
        """Draw for up to ``budget`` seconds towards the picture wanted now (working its bins out
        first, if ``binning``); True when none is left to draw."""
        target = self._target()
        if target is None or self._current(self._front, target):
            self._drop_back()
            return True
        if self._back is None or not self._back.covers(*target[:2]):
            self._drop_back()
            pieces = self._binning or self._latest
            if not pieces.ready:
                start = time.perf_counter()
                if not binning or not pieces.work(budget):
                    self._binning = pieces if pieces.started else None
                    return False
                budget = max(0.0, budget - (time.perf_counter() - start))
            self._binning = None
            transform, needed, ratio = target
            # Half a viewport of margin on each side, so that a short pan needs no redraw.
            margin = QtCore.QMargins(needed.width() // 2, needed.height() // 2, needed.width() // 2, needed.height() // 2)
            region = transform.mapRect(self._rect).toAlignedRect().intersected(needed.marginsAdded(margin))
            self._back = _Buffer(pieces, transform, region, ratio, self.drawing == "raster", self._spare,
                                 self._lattice)
            self._spare = None
        if not self._draw(self._back, budget):
            return False
        if self._front is not None and self._front.raster is not None:
            self._spare = self._front.raster
        self._front, self._back = self._back, None
        self.last_seconds = self._front.seconds
        self.update()
        self.redrawn.emit()
        return self._front.drawing is self._latest

    def _drop_back(self) -> None:
        if self._back is not None and self._back.raster is not None:
            self._back.raster.cancel()
        self._back = None

    def _draw(self, buffer: _Buffer, budget: float) -> bool:
        """Draw into ``buffer`` for up to ``budget`` seconds; True when it is complete."""
        start = time.perf_counter()
        if buffer.raster is not None:
            complete = buffer.raster.run(budget)
            if complete:
                buffer.wrap_raster()
        else:
            complete = self._paint_pieces(buffer, start, budget)
        buffer.seconds += time.perf_counter() - start
        return complete

    def _paint_pieces(self, buffer: _Buffer, start: float, budget: float) -> bool:
        painter = QtGui.QPainter(buffer.image)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)  # costs 2.5x for hair-thin lines
        painter.setTransform(buffer.transform * QtGui.QTransform.fromTranslate(-buffer.region.x(), -buffer.region.y()))
        drawing = buffer.drawing
        while buffer.next_piece < len(drawing.pieces):
            painter.setPen(self._pens[drawing.pieces[buffer.next_piece][0]])
            painter.drawPath(drawing.path(buffer.next_piece))
            buffer.next_piece += 1
            if time.perf_counter() - start >= budget:
                break
        painter.end()
        return buffer.next_piece >= len(drawing.pieces)
