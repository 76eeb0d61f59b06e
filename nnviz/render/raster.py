"""Line segments into an image with NumPy: the cost follows the pixels the lines cross.

Each segment lights one pixel per step along its major axis (the columns a mostly horizontal line
crosses, the rows of a mostly vertical one), from the pixel holding its start to the pixel holding
its end: the rule of Qt's aliased cosmetic pens (wide ones light every pixel within half their
width; see _walks). The flat index of each pixel is an affine function of the step: in a
row-major image of row length S, a mostly vertical line steps to row r0 + k and column
floor(x0 + s·k), which is flat index floor((r0·S + x0) + (S + s)·k) because r0·S + k·S is a whole
number. Mostly horizontal lines go into a second, transposed image, where the same holds with x
and y swapped. So one sample is a multiply, an add, a cast and a store, over arrays of thousands
of samples at a time.

Stacking: each image holds per pixel the rank of the group written there last (1 + its place in
the drawing order; 0 is background). Groups are written in drawing order; every store writes one
rank to all its indices, so the order in which NumPy performs the stores of one assignment cannot
matter when an index repeats. The two images are merged with a maximum — right because ranks only
grow with the drawing order — and looked up in the colour table.
"""

from __future__ import annotations

import functools
import math
import time
from typing import Iterator, Sequence

import numpy as np

from .geometry import EdgeRows

#: Samples per piece: every segment is cut into pieces of exactly this many pixels (the last one
#: overlapping the one before it), so that many pieces make one rectangular array.
PIECE = 32
#: Samples per store: big enough that NumPy's cost per call vanishes, small enough to stay in
#: cache and for OpenBLAS to do the matrix product of a chunk in one thread (it splits products
#: of over 2^18 multiply-adds among threads).
CHUNK = 1 << 16
#: Segments prepared at a time: the arithmetic per segment between two looks at the clock.
BATCH = 1 << 12
#: Rows of the picture merged and coloured at a time.
BAND = 128


class EdgeRaster:
    """A picture of line segments in groups, drawn with NumPy in slices of work, or in one go.

    ``groups[g]`` holds point pairs, shape (2k, 2), in item units: segment i runs from row 2i to
    row 2i + 1 (an array, or ``EdgeRows`` whose points are gathered a batch at a time). Groups are drawn in order, later ones on top, group g in ``colours[g]``
    (0xffRRGGBB) and ``widths[g]`` pixels wide. Point (x, y) lands on pixel
    floor((x, y) · scale + offset) of an image of ``shape`` (H, W), ``background`` where no
    segment passes.

    ``run(budget)`` draws for about ``budget`` seconds (one unit of work past it at most) and
    returns True once the picture is complete; ``image`` is then the (H, W) uint32 picture, rows
    top to bottom: the memory layout of a QImage of Format_RGB32. ``seconds`` is the time spent
    in ``run`` so far. ``cancel()`` says the picture is no longer wanted.

    ``reuse``: a complete raster whose picture is no longer shown; if it has the same shape, this
    one draws into its arrays (cleared) instead of new ones, which would cost more to get from
    the system, page by page, than to clear.

    ``ranks_only``: no picture; ``ranks`` is then the (H, W) rank image (0 background, g + 1 where
    group g is on top). ``under``: such a raster of other segments in the same groups (same
    colours, widths, scale, offset and shape), drawn first if it is not complete yet and kept
    whole: the picture is of both sets of segments, exactly as if they had been drawn together,
    because a pixel shows the group of highest rank crossing it, whichever set its segments are
    in. So a picture whose segments are mostly the same from one set of weights to the next (a
    selected neuron's: every other edge faint) draws only the others each time.
    """

    def __init__(self, groups: Sequence[np.ndarray], colours: np.ndarray, widths: Sequence[int],
                 scale: tuple[float, float], offset: tuple[float, float], shape: tuple[int, int],
                 background: int, reuse: EdgeRaster | None = None, under: EdgeRaster | None = None,
                 ranks_only: bool = False):
        if len(colours) != len(groups) or len(widths) != len(groups):
            raise ValueError(f"{len(groups)} groups need as many colours and widths, "
                             f"got {len(colours)} and {len(widths)}")
        # Edge rows stay rows: their points are gathered a batch at a time, in the slices.
        self.groups = [pairs if isinstance(pairs, EdgeRows) else np.asarray(pairs, np.float64) for pairs in groups]
        self.widths = [int(w) for w in widths]
        self.scale = np.asarray(scale, np.float64)
        self.offset = np.asarray(offset, np.float64)
        self.shape = (int(shape[0]), int(shape[1]))
        self.table = np.concatenate([[background], colours]).astype(np.uint32)
        if under is not None and not (under.ranks is not None and under.shape == self.shape
                                      and len(under.groups) == len(self.groups)):
            raise ValueError("a raster drawn under another is of ranks only, in as many groups, of the same shape")
        self.under = under
        self.done = False
        self.seconds = 0.0
        self.cancelled = False
        spare = reuse is not None and reuse.done and reuse.shape == self.shape
        self._ranks = _RankImages(self, reuse._ranks if spare else None)
        if ranks_only:
            rank_type = self._ranks.rows.dtype
            self.image = None
            self.ranks = reuse.ranks if spare and reuse.ranks is not None and reuse.ranks.dtype == rank_type \
                else np.empty(self.shape, rank_type)
        else:
            self.image = reuse.image if spare and reuse.image is not None else np.empty(self.shape, np.uint32)
            self.ranks = None
        self._steps = self._draw()

    def run(self, budget: float = math.inf) -> bool:
        """Draw for up to ``budget`` seconds; True when the picture is complete."""
        start = time.perf_counter()
        if not self.done and not self.cancelled:
            for _ in self._steps:
                if time.perf_counter() - start >= budget:
                    break
            else:
                self.done = True
        self.seconds += time.perf_counter() - start
        return self.done

    def cancel(self) -> None:
        """The picture is no longer wanted: it will never be complete (the raster ``under`` it
        stays whole, to be drawn under another)."""
        self.cancelled = True
        self._steps.close()

    # -- internals ----------------------------------------------------------------------------

    def _draw(self) -> Iterator[None]:
        under = self.under
        # A unit of its work at a time, so that this raster's budget holds (and closing this
        # generator leaves it whole).
        while under is not None and not under.done and not under.run(0.0):
            yield
        ranks = self._ranks
        yield from ranks.steps()
        height, width = self.shape
        pad = ranks.pad
        images = [image[pad:pad + height, pad:pad + width] for image in ranks.used_rows()]
        transposed = [image[pad:pad + width, pad:pad + height] for image in ranks.used_columns()]
        if under is not None:
            images.append(under.ranks)
        for top in range(0, height, BAND):
            band = slice(top, min(top + BAND, height))
            bands = [image[band] for image in images] + [image[:, band].T for image in transposed]
            merged = functools.reduce(np.maximum, bands) if bands else np.zeros((band.stop - top, width), np.uint8)
            if self.ranks is not None:
                self.ranks[band] = merged
            else:
                np.take(self.table, merged, out=self.image[band])
            yield


class _RankImages:
    """A raster's segments drawn as ranks into two images of their own: mostly vertical segments
    row-major, mostly horizontal ones transposed (see the module)."""

    def __init__(self, raster: EdgeRaster, spare: _RankImages | None):
        self.raster = raster
        height, width = raster.shape
        # Empty pixels around the picture, where the pixels of wide lines just off it may fall
        # with no checks, and the line through the border pixels need not be cut short.
        self.pad = 2 * max(raster.widths, default=1) + 1
        rank_type = np.uint8 if len(raster.groups) < 256 else np.uint16
        shapes = ((height + 2 * self.pad, width + 2 * self.pad), (width + 2 * self.pad, height + 2 * self.pad))
        if spare is not None and (spare.rows.shape, spare.columns.shape) == shapes and spare.rows.dtype == rank_type:
            self.rows, self.columns, self.samples = spare.rows, spare.columns, spare.samples
            for image, used in zip((self.rows, self.columns), spare.used):
                if used:
                    image.fill(0)
        else:
            self.rows, self.columns = (np.zeros(shape, rank_type) for shape in shapes)
            self.samples = _Samples()
        self.used = [False, False]

    def used_rows(self) -> list[np.ndarray]:
        return [self.rows] if self.used[0] else []

    def used_columns(self) -> list[np.ndarray]:
        return [self.columns] if self.used[1] else []

    def steps(self) -> Iterator[None]:
        raster = self.raster
        height, width = raster.shape
        for rank, (pairs, line_width) in enumerate(zip(raster.groups, raster.widths), start=1):
            count = len(pairs) // 2
            for first in range(0, count, BATCH):
                points = pairs[2 * first: 2 * min(first + BATCH, count)]
                x = points[:, 0] * raster.scale[0] + raster.offset[0]
                y = points[:, 1] * raster.scale[1] + raster.offset[1]
                # A wide line whose middle runs just off the picture still reaches into it.
                margin = line_width if line_width > 1 else 0
                x0, y0, x1, y1 = clip(x[0::2], y[0::2], x[1::2], y[1::2], width, height, margin)
                vertical = np.abs(y1 - y0) > np.abs(x1 - x0)
                for k, (image, which, u0, v0, u1, v1) in enumerate(((self.rows, vertical, y0, x0, y1, x1),
                                                                    (self.columns, ~vertical, x0, y0, x1, y1))):
                    if not which.any():
                        continue
                    self.used[k] = True
                    a, b, n = _walks(u0[which], v0[which], u1[which], v1[which], image.shape[1], self.pad, line_width)
                    yield
                    flat = image.reshape(-1)
                    for indices in self.samples.of(a, b, n):
                        if len(indices) == 1:
                            flat[indices[0]] = rank
                        else:
                            _store_across(flat, *indices, rank)
                        yield


def _store_across(flat: np.ndarray, low: np.ndarray, high: np.ndarray, rank: int) -> None:
    """Stores ``rank`` at every index from ``low`` to ``high`` (same shapes, low ≤ high) of ``flat``:
    the pixels across wide lines. ``high`` is used up.

    Every span is at least ``least`` long, so low + j for j ≤ least is always inside; the rest of
    each span is reached from its far end, high − j, which stays inside while the spans differ by
    at most least + 1 (a 2-pixel line's are 1 or 2). No masks: picking the walks still inside a
    span costs several times the store itself."""
    if not low.size:
        return
    span = high - low
    least, most = int(span.min()), int(span.max())
    if most > 2 * least + 1:
        for j in range(most + 1):
            flat[(low + j)[low + j <= high]] = rank
        return
    for j in range(least + 1):
        flat[j:][low] = rank  # flat[low + j], with no array of sums
    for _ in range(most - least):
        flat[high] = rank
        high -= 1


def clip(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, width: int, height: int, margin: float = 0):
    """The parts of segments (x0, y0) → (x1, y1), each coordinate (k,), inside [0, width) × [0, height),
    widened by ``margin`` on every side.

    Returns the four coordinates of the parts, in the same order and direction. Segments with no
    part inside, and those of zero length (Qt draws nothing for them), are left out.
    Liang–Barsky: each segment is p(t) = p0 + t·(p1 − p0), t in [0, 1], narrowed to where each
    coordinate lies inside.
    """
    # The last pixel's far border is outside: a line ending there would light the pixel beyond.
    low = -margin
    right, bottom = (width + margin) * (1 - 1e-12) - 1e-9, (height + margin) * (1 - 1e-12) - 1e-9
    dx, dy = x1 - x0, y1 - y0
    moving = (dx != 0) | (dy != 0)
    if moving.all() and min(x0.min(), x1.min(), y0.min(), y1.min()) >= low \
            and max(x0.max(), x1.max()) <= right and max(y0.max(), y1.max()) <= bottom:
        return x0, y0, x1, y1  # all inside: the usual case when the whole network is on screen
    enter = np.zeros(len(dx))
    leave = np.ones(len(dx))
    for at, step, top in ((x0, dx, right), (y0, dy, bottom)):
        with np.errstate(divide="ignore", invalid="ignore"):
            t_low, t_high = (low - at) / step, (top - at) / step
        t_in, t_out = np.minimum(t_low, t_high), np.maximum(t_low, t_high)
        still = step == 0
        inside = (at >= low) & (at <= top)
        t_in[still] = np.where(inside[still], -np.inf, np.inf)
        t_out[still] = np.where(inside[still], np.inf, -np.inf)
        np.maximum(enter, t_in, out=enter)
        np.minimum(leave, t_out, out=leave)
    keep = (enter <= leave) & moving
    x0, y0, x1, y1 = x0[keep], y0[keep], x1[keep], y1[keep]
    dx, dy, enter, leave = dx[keep], dy[keep], enter[keep], leave[keep]
    # An end not cut keeps its coordinates exactly (x0 + 1·dx may differ from x1 in the last
    # bit): a segment lights the same pixels whichever segments it is clipped with.
    cut = leave < 1
    return (x0 + enter * dx, y0 + enter * dy, np.where(cut, x0 + leave * dx, x1), np.where(cut, y0 + leave * dy, y1))


def _walks(u0: np.ndarray, v0: np.ndarray, u1: np.ndarray, v1: np.ndarray, stride: int, pad: int, line_width: int):
    """Per segment (u0, v0) → (u1, v1), each (k,), the flat indices of its pixels: step j of it
    lights floor(a[i] + b·j) for each row a[i] of ``a``, or, for a wide line, every pixel from
    floor(a[0] + b·j) to floor(a[1] + b·j). Returns a (1 or 2, k), b (k,) and the steps n (k,).

    u is the major axis, along which every segment here changes the most (|slope| ≤ 1); the image
    is laid out with u as its rows, ``stride`` pixels to a row, ``pad`` of them on each side.
    """
    backwards = u1 < u0
    low_u, high_u = np.where(backwards, u1, u0), np.where(backwards, u0, u1)
    low_v = np.where(backwards, v1, v0)
    slope = (v1 - v0) / (u1 - u0)
    if line_width == 1:
        # Qt's aliased cosmetic pen: a pixel per step along u, from the one holding the start to
        # the one holding the end, across at the pixel's centre for lines that rise along u and
        # at its near edge for lines that fall (measured against Qt 6 pixel by pixel: with that
        # the two pictures agree almost exactly).
        first = np.floor(low_u)
        n = (np.floor(high_u) - first + 1).astype(np.intp)
        across = low_v + (first + np.where(slope < 0, 0.0, 0.5) - low_u) * slope
        return ((first + pad) * stride + (across + pad))[None, :], stride + slope, n
    # Qt fills a wide cosmetic pen's outline: the pixels whose centres lie within half the width
    # of the line, its square caps reaching half the width past each end. Across u that band is
    # half_width · √(1 + slope²) each side of the middle; along u the caps reach
    # half_width / √(1 + slope²).
    secant = np.sqrt(1 + slope**2)
    half_width = line_width / 2
    first = np.floor(low_u - half_width / secant + 0.5)
    n = (np.floor(high_u + half_width / secant - 0.5) - first + 1).astype(np.intp)
    middle = low_v + (first + 0.5 - low_u) * slope
    base = (first + pad) * stride + pad
    return np.stack([base + middle - half_width * secant + 0.5, base + middle + half_width * secant - 0.5]), stride + slope, n


class _Samples:
    """Flat pixel indices of every step of walks (see _walks), about CHUNK at a time, written into
    arrays kept from one chunk to the next: fresh arrays of this size cost more to get from the
    system (zeroed pages) than the arithmetic that fills them."""

    def __init__(self):
        self.values = np.empty(CHUNK)
        self.indices = [np.empty(CHUNK, np.intp), np.empty(CHUNK, np.intp)]
        self.ramp = np.vstack([np.ones(PIECE), np.arange(PIECE)])

    def of(self, a: np.ndarray, b: np.ndarray, n: np.ndarray) -> Iterator[list[np.ndarray]]:
        """For the walks a[i] + b·k, k < n: for each row of ``a`` an intp array (walks, steps),
        valid until the next one.

        A walk's steps are side by side, its pixels following each other down the picture, and
        the walks in the order they come (neighbouring edges, nearly parallel): the stores then
        touch the picture's memory in order, which matters once it is larger than the
        processor's cache (step k of every walk, then step k + 1: ~10% slower in all; walks
        sorted by where they start: 50% slower)."""
        long = np.flatnonzero(n >= PIECE)
        if len(long):
            # Pieces of exactly PIECE steps, the last piece of a walk ending at its end: then many
            # pieces make one rectangular array, and a + k·b for all of them is one matrix product
            # [a b] @ [1; k], a single pass in BLAS where a broadcast multiply and add take two.
            count = -(-n[long] // PIECE)
            walk = np.repeat(long, count)
            j = np.arange(len(walk)) - np.repeat(np.cumsum(count) - count, count)
            start = np.minimum(j * PIECE, n[walk] - PIECE)
            per = CHUNK // PIECE
            for i in range(0, len(walk), per):
                w, step = walk[i:i + per], b[walk[i:i + per]]
                offset = step * start[i:i + per]
                values = self.values[:PIECE * len(w)].reshape(len(w), PIECE)
                yield [self._cast(np.matmul(np.column_stack([row[w] + offset, step]), self.ramp, out=values), k)
                       for k, row in enumerate(a)]
        short = np.flatnonzero(n < PIECE)
        if len(short):
            # Each takes as many steps as the longest: the extra ones repeat its last pixel.
            longest = int(n[short].max())
            per = max(1, CHUNK // longest)
            for i in range(0, len(short), per):
                w = short[i:i + per]
                values = self.values[:longest * len(w)].reshape(len(w), longest)
                np.minimum(np.arange(longest), (n[w] - 1)[:, None], out=values)
                values *= b[w][:, None]
                steps = values.copy() if len(a) > 1 else values
                yield [self._cast(np.add(steps, row[w][:, None], out=values), k) for k, row in enumerate(a)]

    def _cast(self, values: np.ndarray, k: int) -> np.ndarray:
        indices = self.indices[k][:values.size].reshape(values.shape)
        np.copyto(indices, values, casting="unsafe")
        return indices


def rasterise(groups: Sequence[np.ndarray], colours: np.ndarray, widths: Sequence[int], scale: tuple[float, float],
              offset: tuple[float, float], shape: tuple[int, int], background: int) -> np.ndarray:
    """The whole picture in one call (see EdgeRaster): (H, W) uint32, 0xffRRGGBB."""
    raster = EdgeRaster(groups, colours, widths, scale, offset, shape, background)
    raster.run()
    return raster.image
