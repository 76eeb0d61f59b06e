"""Where each neuron and edge goes on screen, and which colour bin each edge falls in.

Plain NumPy, no Qt: the view turns these arrays into painter paths, or raster.py into an image.
Scene units, y down: the input image fills a square on the left (each pixel is an input neuron,
and its edges start at its centre); the other layers are columns to its right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator, Sequence

import numpy as np

#: Colour levels per sign: edges are drawn in groups of a colour (a path or a rank each), not one by one.
LEVELS = 16
#: The strongest level holds every edge from 15/16 of the 99.5th percentile up, the outliers
#: included, all in one colour: drawn as one group per sign, every positive one would cover every
#: negative one where they cross (in a crowded band, a picture all blue). So its edges are drawn
#: in this many groups by rank, weaker first, whatever their sign: the stronger ends up on top.
TOP_STEPS = 4
#: Bins per sign: one per level below the strongest, TOP_STEPS for the strongest.
BINS = LEVELS - 1 + TOP_STEPS
#: The bin of edges of value 0 (the weakest positive one; a selected neuron's picture draws every
#: other edge so, faint).
ZERO_BIN = BINS
IMAGE_SIZE = 84.0
LAYER_GAP = 46.0
FIRST_GAP = 50.0
NEURON_SPACING = 5.6
NEURON_DIAMETER = 4.4
#: In a layer too tall for circles of NEURON_DIAMETER (over ~38 neurons), each circle fills this
#: share of the spacing instead, so that neighbours never overlap and each stays one to click.
DENSE_FILL = 0.8


@dataclass(frozen=True)
class Layout:
    """Positions of every neuron, layer by layer: ``positions[l]`` is (n_l, 2) of (x, y)."""

    sizes: tuple[int, ...]
    image_shape: tuple[int, int]
    positions: list[np.ndarray]
    pixel_size: float

    @property
    def width(self) -> float:
        return float(self.positions[-1][:, 0].max()) + 24.0

    @property
    def top(self) -> float:
        """The smallest y of the drawing: 0 (the input image's top) unless a tall layer reaches above it."""
        return float(min(np.concatenate(self.positions)[:, 1].min(), 0.0))

    @property
    def height(self) -> float:
        """From ``top`` to the lowest neuron or the input image's bottom."""
        ys = np.concatenate(self.positions)[:, 1]
        return float(max(ys.max(), IMAGE_SIZE) - self.top)

    def edge_endpoints(self, layer: int) -> tuple[np.ndarray, np.ndarray]:
        """Start and end points of layer ``layer``'s edges (1..L), each (n_l · n_{l-1}, 2), read-only.

        Edge (j, k) — from neuron k of layer l-1 to neuron j of layer l — is row j·n_{l-1} + k,
        the order of ``weights[l-1].ravel()``.
        """
        first, stop = self.edge_offsets[layer - 1], self.edge_offsets[layer]
        return self.edge_table[first:stop, 0:2], self.edge_table[first:stop, 2:4]

    @cached_property
    def edge_offsets(self) -> np.ndarray:
        """Where each layer's edges begin in ``edge_table``: shape (L + 1,), from 0 to the total."""
        return np.concatenate([[0], np.cumsum(np.multiply(self.sizes[:-1], self.sizes[1:]))])

    @cached_property
    def edge_table(self) -> np.ndarray:
        """Every edge of every layer as a row (x0, y0, x1, y1), layer after layer: (E, 4), read-only.

        Made once per layout: choosing edges each frame is then one gather of these rows.
        """
        table = np.empty((int(self.edge_offsets[-1]), 4))
        for layer in range(1, len(self.sizes)):
            before, after = self.positions[layer - 1], self.positions[layer]
            starts = np.tile(before, (len(after), 1))
            ends = np.repeat(after, len(before), axis=0)
            if layer == 1:
                # The input image is drawn over the first stretch of each input edge, so the edge
                # starts where it comes out from under the image: the same line, 40% fewer pixels.
                t = ((self.image_right - starts[:, 0]) / (ends[:, 0] - starts[:, 0]))[:, None]
                starts = starts + t * (ends - starts)
            rows = table[self.edge_offsets[layer - 1]:self.edge_offsets[layer]]
            rows[:, 0:2], rows[:, 2:4] = starts, ends
        table.flags.writeable = False
        return table

    @cached_property
    def edge_densities(self) -> tuple[float, ...]:
        """Per layer 1..L, the edges crossing an average point of the layer's band, per scene unit,
        with every edge drawn: the length of its lines (steps along each line's major axis, as a
        raster draws them) over the band's area. Times the pixels a unit takes on screen, it is
        the crossings a pixel gets (render/crowding.py)."""
        result = []
        for layer in range(1, len(self.sizes)):
            edges = self.edge_table[self.edge_offsets[layer - 1]:self.edge_offsets[layer]]
            steps = np.maximum(np.abs(edges[:, 2] - edges[:, 0]), np.abs(edges[:, 3] - edges[:, 1])).sum()
            # At least a unit each way: the band of a layer of one neuron into one has no height.
            height = max(float(np.ptp(edges[:, 1::2])), 1.0)
            width = max(float(np.ptp(edges[:, 0::2])), 1.0)
            result.append(float(steps) / (width * height))
        return tuple(result)

    @property
    def image_right(self) -> float:
        return self.image_shape[1] * self.pixel_size

    @cached_property
    def spacings(self) -> tuple[float, ...]:
        """Distance between neighbouring neurons of layers 1..L (infinite for a layer of one)."""
        return tuple(float(p[1, 1] - p[0, 1]) if len(p) > 1 else float("inf") for p in self.positions[1:])

    @cached_property
    def diameters(self) -> tuple[float, ...]:
        """The circles' diameter in layers 1..L: NEURON_DIAMETER, or less where a layer is dense."""
        return tuple(min(NEURON_DIAMETER, DENSE_FILL * spacing) for spacing in self.spacings)


def make_layout(sizes: tuple[int, ...], image_shape: tuple[int, int]) -> Layout:
    rows, cols = image_shape
    if rows * cols != sizes[0]:
        raise ValueError(f"{rows}x{cols} images do not fit {sizes[0]} inputs")
    pixel = IMAGE_SIZE / max(rows, cols)
    centre_y = IMAGE_SIZE / 2
    r, c = np.divmod(np.arange(sizes[0]), cols)
    image = np.column_stack([(c + 0.5) * pixel, (r + 0.5) * pixel + (IMAGE_SIZE - rows * pixel) / 2])
    positions = [image]
    x = IMAGE_SIZE + FIRST_GAP
    for n in sizes[1:]:
        spacing = NEURON_SPACING if n <= 16 else min(NEURON_SPACING, 2 * IMAGE_SIZE / n)
        if n <= 10 and n == sizes[-1]:
            spacing = NEURON_SPACING * 1.45  # room for the class names beside the outputs
        y = centre_y + (np.arange(n) - (n - 1) / 2) * spacing
        positions.append(np.column_stack([np.full(n, x), y]))
        x += LAYER_GAP
    return Layout(tuple(sizes), tuple(image_shape), positions, pixel)


class EdgeRows:
    """Edges given as rows of an edge table (``Layout.edge_table``, (E, 4)), read as the (x, y)
    point pairs they stand for, shape (2k, 2): ``len`` is 2k, a slice ``[2i:2j]`` gathers the
    points of edges i..j-1 only, ``np.asarray`` all of them. A raster reads a few thousand at a
    time: gathering a wide network's 226,000 edges at once was one block of 11 ms in the window."""

    def __init__(self, table: np.ndarray, rows: np.ndarray):
        self.table, self.rows = table, rows

    def __len__(self) -> int:
        return 2 * len(self.rows)

    def __getitem__(self, index: slice) -> np.ndarray:
        start, stop, step = index.indices(len(self))
        if step != 1 or start % 2 or stop % 2:
            raise IndexError("edge rows are read as whole point pairs, in order")
        return np.take(self.table, self.rows[start // 2:stop // 2], axis=0).reshape(-1, 2)

    def edges(self, start: int, stop: int | None = None) -> EdgeRows:
        """Edges ``start``..``stop``-1 of these, still as rows (nothing gathered)."""
        return EdgeRows(self.table, self.rows[start:stop])

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        points = self[:]
        return points if dtype is None else points.astype(dtype, copy=False)

    def reshape(self, *shape) -> np.ndarray:
        return self[:].reshape(*shape)


def level_of(b: int) -> int:
    """The colour level (0..LEVELS-1) of bin ``b`` of either sign."""
    return min(b % BINS, LEVELS - 1)


@dataclass(frozen=True)
class EdgeBins:
    """Edges grouped by colour and drawing order: ``segments[b]`` holds (x, y) point pairs of bin
    b, shape (2k, 2) (as ``EdgeRows``: gathered when read).

    Bins 0..BINS-1 are negative weights from weak to strong, BINS..2·BINS-1 positive ones; a bin's
    colour is its level's (``level_of``). ``drawn`` counts the edges drawn, ``total`` all of them.
    Bin ZERO_BIN begins with the ``zeros`` edges of value 0 (a selected neuron's picture draws
    every other edge so, faint), whose rows in ``Layout.edge_table`` are ``zero_rows`` (zeros,).
    """

    segments: list[EdgeRows]
    drawn: int
    total: int
    zeros: int = 0
    zero_rows: np.ndarray = field(default_factory=lambda: np.empty(0, np.intp))


def bin_edges(layout: Layout, matrices: list[np.ndarray], strongest: float | Sequence[float] = 1.0) -> EdgeBins:
    """Sort every layer's edges into colour bins by sign and relative magnitude (``binning``, in one go)."""
    for bins in binning(layout, matrices, strongest):
        pass
    return bins


def binning(layout: Layout, matrices: list[np.ndarray], strongest: float | Sequence[float] = 1.0) -> Iterator[EdgeBins | None]:
    """Sort every layer's edges into colour bins by sign and relative magnitude, a layer at a time:
    a None after each layer, the EdgeBins last (a wide network's binning is several milliseconds,
    which a window spreads over turns of its event loop). The matrices must not change meanwhile.

    ``matrices[l-1]`` has the shape of W[l] (weights, or nudges to them). Magnitudes are
    relative to each layer's own largest (its 99.5th percentile, so one outlier does not dim the
    rest; ``_scale``). Only the ``strongest`` fraction of each layer's edges is kept (one fraction for all
    layers, or one per layer): the weak ones would be invisible anyway and cost the most to draw.
    The strongest level is split into TOP_STEPS bins by rank within each layer, both signs ranked
    together. Inside a bin, edges keep their order in ``layout.edge_table``, those of value 0 first.
    """
    fractions = [strongest] * len(matrices) if np.isscalar(strongest) else list(strongest)
    keys, rows = [], []
    for layer, (matrix, strongest) in enumerate(zip(matrices, fractions), start=1):
        raw = np.asarray(matrix).ravel()
        if raw.dtype not in (np.float32, np.float64):
            raw = raw.astype(np.float64)
        # Choosing the strongest only compares magnitudes: in the weights' own precision (float32
        # halves the partitions' work); what is computed from them is computed in float64.
        kept = _strongest(np.abs(raw), strongest)
        first = layout.edge_offsets[layer - 1]
        if kept is None:
            row, values = np.arange(first, layout.edge_offsets[layer]), raw.astype(np.float64)
        else:  # only the kept edges' keys are worked out
            row, values = kept.indices + first, raw[kept.indices].astype(np.float64)
        magnitude = np.abs(values)
        scale = _scale(raw, kept)
        # Clamped before the cast: the same as clamping the whole levels, in bytes.
        level = np.minimum(magnitude * (LEVELS / (scale or 1.0)), LEVELS - 1).astype(np.uint8)
        top = np.flatnonzero(level == LEVELS - 1)
        if len(top) > 1:
            rank = np.empty(len(top), np.intp)
            rank[np.argsort(magnitude[top], kind="stable")] = np.arange(len(top))
            level[top] += (rank * TOP_STEPS // len(top)).astype(np.uint8)
        # Twice the bin, plus one unless the value is 0: sorted, a bin's edges of value 0 come first.
        key = 2 * level + (values != 0)
        key += np.uint8(2 * BINS) * (values >= 0)
        keys.append(key)
        rows.append(row)
        yield None
    key = np.concatenate(keys)
    # A stable sort of one-byte keys is a radix sort: linear, unlike a sort of wider integers.
    order = np.argsort(key, kind="stable")
    counts = np.bincount(key, minlength=4 * BINS)
    row = np.concatenate(rows)[order]
    bounds = np.concatenate([[0], np.cumsum(counts)])
    segments = [EdgeRows(layout.edge_table, row[bounds[2 * b] : bounds[2 * b + 2]]) for b in range(2 * BINS)]
    yield EdgeBins(segments, int(len(key)), sum(m.size for m in matrices), int(counts[2 * ZERO_BIN]),
                   row[bounds[2 * ZERO_BIN] : bounds[2 * ZERO_BIN + 1]])


def _scale(values: np.ndarray, kept: _Kept | None) -> float:
    """The magnitude that gets the strongest colour: the 99.5th percentile of the layer's
    (``values``, (n,)), in float64. Where fewer than 0.5% of them are not 0 (a selected neuron's
    edges in a wide layer, the others drawn as 0) that percentile falls among the zeros and would
    leave the neuron's own edges dim: then the 99.5th percentile of those not 0."""
    scale = _percentile(values, kept, 99.5)
    nonzero = np.count_nonzero(values)
    if 0 < nonzero < len(values):
        others = np.abs(values[values != 0]).astype(np.float64)
        if scale < np.median(others):
            scale = float(np.percentile(others, 99.5))
    return scale


@dataclass(frozen=True)
class _Kept:
    """The strongest edges of a layer: their indices, in order, and their magnitudes, in no order."""

    indices: np.ndarray
    top: np.ndarray


def _strongest(magnitude: np.ndarray, fraction: float) -> _Kept | None:
    """The ``fraction`` of ``magnitude`` (n,) with the largest values (None: all of them)."""
    n = len(magnitude)
    k = int(round(fraction * n))
    if k >= n:
        return None
    if k == 0:
        return _Kept(np.empty(0, np.intp), np.empty(0))
    top = _partitioned(magnitude, [n - k])[n - k:]
    threshold = top[0]
    keep = magnitude > threshold
    # Ties at the threshold: as many of them as make k, spread evenly over the layer's edges. (A
    # selected neuron's picture draws the others faint, all tied at 0: the first ones in the
    # table made a fan from the first inputs, with edges of its own in the picture.)
    ties = np.flatnonzero(magnitude == threshold)
    needed = k - np.count_nonzero(keep)
    keep[ties[np.arange(needed) * len(ties) // needed]] = True
    return _Kept(np.flatnonzero(keep), top)


def _partitioned(magnitude: np.ndarray, kth: list[int]) -> np.ndarray:
    """``np.partition(magnitude, kth)`` of magnitudes (≥ 0), at least at the positions ``kth``.

    Where most magnitudes are 0 (a selected neuron's picture: the rest are drawn as 0) the zeros
    are counted and only the others partitioned: np.partition takes ten times as long on ties
    (9 ms instead of 0.9 for 65,536 values, in one block of the GUI thread).
    """
    zeros = len(magnitude) - np.count_nonzero(magnitude)
    if zeros <= len(magnitude) // 8:
        return np.partition(magnitude, kth)
    others = magnitude[magnitude != 0]
    inside = [k - zeros for k in kth if k >= zeros]
    return np.concatenate([np.zeros(zeros, magnitude.dtype), np.partition(others, inside) if inside else others])


def _percentile(values: np.ndarray, kept: _Kept | None, q: float) -> float:
    """``np.percentile`` of the magnitudes of ``values`` in float64, from the kept top values when
    they hold the ranks needed."""
    n = len(values)
    if n == 0:
        return 1.0
    virtual = (n - 1) * (q / 100)
    below = int(np.floor(virtual))
    if kept is None or below < n - len(kept.top):
        return float(np.percentile(np.abs(values).astype(np.float64, copy=False), q))
    # The top values are the ranks n - len(top) .. n - 1: select the two around the percentile
    # there, and interpolate as NumPy's "linear" method does (the same float operations).
    first = below - (n - len(kept.top))
    pair = _partitioned(kept.top, [first, min(first + 1, len(kept.top) - 1)])
    a, b = float(pair[first]), float(pair[min(first + 1, len(kept.top) - 1)])
    gamma = virtual - below
    return b - (b - a) * (1 - gamma) if gamma >= 0.5 else a + (b - a) * gamma


def draw_order() -> list[int]:
    """Bins weak to strong, alternating signs, so strong edges of either sign end up on top."""
    return [b for step in range(BINS) for b in (step, BINS + step)]
