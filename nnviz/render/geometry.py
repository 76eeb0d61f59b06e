"""Where each neuron and edge goes on screen, and which colour bin each edge falls in.

Plain NumPy, no Qt: the view turns these arrays into painter paths, or raster.py into an image.
Scene units, y down: the input image fills a square on the left (each pixel is an input neuron,
and its edges start at its centre); the other layers are columns to its right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

#: Colour levels per sign. 16 blue + 16 red paths are drawn instead of one line per edge.
LEVELS = 16
IMAGE_SIZE = 84.0
LAYER_GAP = 46.0
FIRST_GAP = 50.0
NEURON_SPACING = 5.6
NEURON_DIAMETER = 4.4


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
    def height(self) -> float:
        ys = np.concatenate(self.positions)[:, 1]
        return float(max(ys.max(), IMAGE_SIZE) - min(ys.min(), 0.0))

    def edge_endpoints(self, layer: int) -> tuple[np.ndarray, np.ndarray]:
        """Start and end points of layer ``layer``'s edges (1..L), each (n_l · n_{l-1}, 2).

        Edge (j, k) — from neuron k of layer l-1 to neuron j of layer l — is row j·n_{l-1} + k,
        the order of ``weights[l-1].ravel()``.
        """
        before, after = self.positions[layer - 1], self.positions[layer]
        starts = np.tile(before, (len(after), 1))
        ends = np.repeat(after, len(before), axis=0)
        if layer == 1:
            # The input image is drawn over the first stretch of each input edge, so the edge
            # starts where it comes out from under the image: the same line, 40% fewer pixels.
            right = self.image_right
            t = ((right - starts[:, 0]) / (ends[:, 0] - starts[:, 0]))[:, None]
            starts = starts + t * (ends - starts)
        return starts, ends

    @property
    def image_right(self) -> float:
        return self.image_shape[1] * self.pixel_size


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


@dataclass(frozen=True)
class EdgeBins:
    """Edges grouped by colour: ``segments[b]`` holds (x, y) point pairs of bin b, shape (2k, 2).

    Bins 0..LEVELS-1 are negative weights from weak to strong, LEVELS..2·LEVELS-1 positive ones.
    ``drawn`` counts the edges drawn, ``total`` all of them.
    """

    segments: list[np.ndarray]
    drawn: int
    total: int


def bin_edges(layout: Layout, matrices: list[np.ndarray], strongest: float | Sequence[float] = 1.0) -> EdgeBins:
    """Sort every layer's edges into colour bins by sign and relative magnitude.

    ``matrices[l-1]`` has the shape of W[l] (weights, or nudges to them). Magnitudes are
    relative to each layer's own largest (its 99.5th percentile, so one outlier does not dim the
    rest). Only the ``strongest`` fraction of each layer's edges is kept (one fraction for all
    layers, or one per layer): the weak ones would be invisible anyway and cost the most to draw.
    """
    fractions = [strongest] * len(matrices) if np.isscalar(strongest) else list(strongest)
    keys, starts, ends = [], [], []
    total = 0
    for layer, (matrix, strongest) in enumerate(zip(matrices, fractions), start=1):
        values = np.asarray(matrix, np.float64).ravel()
        total += len(values)
        magnitude = np.abs(values)
        keep = np.ones(len(values), bool)
        if strongest < 1.0:
            k = int(round(strongest * len(values)))
            keep[:] = False
            if k:
                keep[np.argpartition(magnitude, len(values) - k)[len(values) - k :]] = True
        scale = np.percentile(magnitude, 99.5) if len(values) else 1.0
        level = np.minimum((magnitude / (scale or 1.0) * LEVELS).astype(np.int64), LEVELS - 1)
        key = level + LEVELS * (values >= 0)
        s, e = layout.edge_endpoints(layer)
        keys.append(key[keep])
        starts.append(s[keep])
        ends.append(e[keep])
    key = np.concatenate(keys)
    start = np.concatenate(starts)
    end = np.concatenate(ends)
    order = np.argsort(key, kind="stable")
    counts = np.bincount(key, minlength=2 * LEVELS)
    pairs = np.empty((len(key) * 2, 2))
    pairs[0::2] = start[order]
    pairs[1::2] = end[order]
    bounds = np.concatenate([[0], np.cumsum(counts)]) * 2
    segments = [pairs[bounds[b] : bounds[b + 1]] for b in range(2 * LEVELS)]
    return EdgeBins(segments, int(len(key)), total)


def draw_order() -> list[int]:
    """Bins weak to strong, alternating signs, so strong edges of either sign end up on top."""
    return [b for level in range(LEVELS) for b in (level, LEVELS + level)]
