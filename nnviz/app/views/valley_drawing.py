"""The valley's picture as numbers and words, for the Valley view: contour lines, a smoothed grid,
the colour bar's ticks, where a label goes, the caption. No widgets here."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ...core.valley import Valley

#: What the point (0, 0) of each kind of plane is.
CENTRES = {"run": "the run's end", "random": "the run's end", "local": "the network on show", "shared": "the first run's end",
           "start": "the start"}


def contour_lines(costs: np.ndarray, alphas: np.ndarray, betas: np.ndarray,
                  levels: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Contours of ``costs`` (m, n) over the grid (``alphas`` (n,), ``betas`` (m,)) at ``levels``,
    as x and y arrays of segments, two points each (to draw with ``connect="pairs"``).

    Marching squares, every cell of the grid at once: a contour crosses a cell's edge where the
    cost passes the level (linearly interpolated along the edge), and joins the two edges it
    crosses; a cell crossed on all four edges (a saddle) is split by its centre's side. Whole
    arrays rather than a loop over cells: 41x41 cells and 12 levels take about a millisecond,
    where pyqtgraph's ``isocurve``, cell by cell in Python, took 45.
    """
    c = np.asarray(costs, np.float64)
    alphas, betas = np.asarray(alphas, np.float64), np.asarray(betas, np.float64)
    corners = (c[:-1, :-1], c[:-1, 1:], c[1:, 1:], c[1:, :-1])  # (m-1, n-1) each: ↙ ↘ ↗ ↖
    a0, a1 = np.meshgrid(alphas[:-1], betas[:-1])[0], np.meshgrid(alphas[1:], betas[:-1])[0]
    b0, b1 = np.meshgrid(alphas[:-1], betas[:-1])[1], np.meshgrid(alphas[:-1], betas[1:])[1]
    # the four edges, counter-clockwise from the bottom: (start corner, end corner, start point, end point)
    edges = ((0, 1, (a0, b0), (a1, b0)), (1, 2, (a1, b0), (a1, b1)), (3, 2, (a0, b1), (a1, b1)),
             (0, 3, (a0, b0), (a0, b1)))
    segments = []
    with np.errstate(divide="ignore", invalid="ignore"):
        for level in levels:
            above = [corner >= level for corner in corners]
            crossed = np.array([above[i] != above[j] for i, j, _, _ in edges])  # (4, m-1, n-1)
            points = []
            for i, j, (xa, ya), (xb, yb) in edges:
                t = (level - corners[i]) / (corners[j] - corners[i])
                points.append(np.stack([xa + t * (xb - xa), ya + t * (yb - ya)], axis=-1))
            points = np.array(points)  # (4, m-1, n-1, 2)
            count = crossed.sum(axis=0)
            two = count == 2
            first = np.argmax(crossed, axis=0)
            last = 3 - np.argmax(crossed[::-1], axis=0)
            rows, cols = np.nonzero(two)
            segments.append(np.stack([points[first[two], rows, cols], points[last[two], rows, cols]], axis=1))
            # saddles: the centre's side decides which corners the two segments cut off
            rows, cols = np.nonzero(count == 4)
            centre = sum(corner[rows, cols] for corner in corners) / 4 >= level
            cut_right = centre == above[0][rows, cols]  # ↙ joins the centre: cut off ↘ and ↖
            for (e1, e2), (f1, f2) in (((0, 1), (2, 3)), ((0, 3), (1, 2))):
                pick = cut_right if e2 == 1 else ~cut_right
                r, k = rows[pick], cols[pick]
                for a, b in ((e1, e2), (f1, f2)):
                    segments.append(np.stack([points[a, r, k], points[b, r, k]], axis=1))
    if not segments:
        return np.zeros(0), np.zeros(0)
    pairs = np.concatenate(segments).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def upsampled(costs: np.ndarray, factor: int) -> np.ndarray:
    """``costs`` (m, n) bilinearly interpolated to ((m - 1)·factor + 1, (n - 1)·factor + 1): every
    computed value stays where it was (at multiples of ``factor``), and the picture has no blocks."""
    m, n = costs.shape
    if factor <= 1 or m < 2 or n < 2:
        return costs
    across = np.linspace(0, n - 1, (n - 1) * factor + 1)
    down = np.linspace(0, m - 1, (m - 1) * factor + 1)
    rows = np.array([np.interp(across, np.arange(n), row) for row in costs])
    return np.array([np.interp(down, np.arange(m), column) for column in rows.T]).T


def nice_ticks(low: float, high: float) -> list[float]:
    """Costs from the 1-2-5 series between ``low`` and ``high`` (both > 0), for a log colour bar."""
    ticks = []
    for decade in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for mantissa in (1, 2, 5):
            value = mantissa * 10.0**decade
            if low <= value <= high:
                ticks.append(value)
    return ticks or [low, high]



def label_anchor(valley: Valley, alpha: float, beta: float, beside: bool) -> tuple[float, float]:
    """A text label's anchor at (α, β): beside the point (right of it, or left near the right
    edge), or above it (below near the top edge, moved in near a side), so that it stays inside."""
    across = (alpha - valley.alphas[0]) / np.ptp(valley.alphas)
    top = beta - valley.betas[0] > 0.8 * np.ptp(valley.betas)
    if beside:
        return (1.2 if across > 0.75 else -0.2, 0.5)
    return (0.0 if across < 0.25 else 1.0 if across > 0.75 else 0.5, -0.3 if top else 1.3)


def caption(valley: Valley, ball: int, others: Sequence[str] = ()) -> str:
    """What the picture of ``valley`` says, with the ball at checkpoint ``ball`` of its first path
    and ``others`` (names) drawn dashed: the plane, the ball's true and surface costs, how far it
    lies off the plane, and how far the computation got."""
    path = valley.paths[0]
    i = min(ball, len(path) - 1)
    lines = [f"{valley.description[:1].upper()}{valley.description[1:]}; cost on {valley.sample_size:,} "
             f"training examples."]
    where = f"The ball: checkpoint {i + 1} of {len(path)}, epoch {path.positions[i]:.2f}"
    if np.isfinite(path.costs[i]):
        where += f", its cost {path.costs[i]:.3f}, the surface under it {path.surface[i]:.3f}"
    lines.append(where + ".")
    distance = float(path.distances[i])
    if distance == 0:
        lines.append("It lies on the plane.")
    else:
        along = float(np.hypot(*path.coordinates[i]))
        lines.append(f"It lies {distance:.3g} off the plane ({along:.3g} from {CENTRES.get(valley.kind, 'the centre')} "
                     f"within it): a part of where it is that no picture of two directions can show. "
                     f"The farthest checkpoint lies {float(path.distances.max()):.3g} off.")
    if others:
        lines.append("Dashed: " + ", ".join(others) + ", on the same plane.")
    if not valley.complete:
        if valley.rows_done:
            lines.append(f"Refining: {valley.rows_done} of {len(valley.betas)} rows…")
        else:
            lines.append("Computing…" if valley.coarse is None or not np.isfinite(valley.coarse[2]).all()
                         else "A first, coarse look; refining…")
    return "\n".join(lines)
