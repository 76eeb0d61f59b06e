"""The valley's picture as numbers, for the Valley view: contour lines, a smoothed grid, the colour
bar's ticks. No widgets here; pyqtgraph's marching squares finds the contours."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pyqtgraph as pg


def contour_lines(costs: np.ndarray, alphas: np.ndarray, betas: np.ndarray,
                  levels: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Contours of ``costs`` (m, n) over the grid (``alphas`` (n,), ``betas`` (m,)) at ``levels``,
    as x and y arrays with a NaN between separate lines (to draw with ``connect="finite"``)."""
    xs, ys = [], []
    d_alpha = (alphas[-1] - alphas[0]) / max(len(alphas) - 1, 1)
    d_beta = (betas[-1] - betas[0]) / max(len(betas) - 1, 1)
    for level in levels:
        # pyqtgraph's marching squares puts sample k at k + 0.5 (the middle of an image's pixel k)
        for line in pg.functions.isocurve(costs.T, level, connected=True):
            points = np.array([p[0] if isinstance(p[0], tuple) else p for p in line], np.float64)
            xs.append(alphas[0] + (points[:, 0] - 0.5) * d_alpha)
            ys.append(betas[0] + (points[:, 1] - 0.5) * d_beta)
            xs.append([np.nan])
            ys.append([np.nan])
    if not xs:
        return np.zeros(0), np.zeros(0)
    return np.concatenate(xs), np.concatenate(ys)


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

