"""The edge colours, as plain numbers: the window's pens and the NumPy raster both come from here.

Colours are (red, green, blue) tuples of 0..255; ``argb`` packs one into the 32-bit value a
``QImage`` of ``Format_RGB32`` stores per pixel (0xffRRGGBB).
"""

from __future__ import annotations

import numpy as np

from .geometry import BINS, LEVELS, level_of

Rgb = tuple[int, int, int]

BACKGROUND: Rgb = (15, 17, 24)
#: The videos' convention: blue for positive weights, red for negative.
POSITIVE: Rgb = (64, 140, 255)
NEGATIVE: Rgb = (240, 72, 56)


def mix(a: Rgb, b: Rgb, t: float) -> Rgb:
    """The colour a fraction ``t`` of the way from ``a`` to ``b``."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def edge_colours() -> list[Rgb]:
    """One opaque colour per edge bin (negative weak → strong, then positive), 2·BINS of them: its
    level's (the strongest level's bins share one).

    Weak edges fade into the background by mixing, not by transparency: Qt draws opaque lines
    about 18 times faster than alpha-blended ones, and an opaque raster needs no blending at all.
    """
    return [mix(BACKGROUND, colour, 0.12 + 0.88 * ((level_of(b) + 1) / LEVELS) ** 1.3)
            for colour in (NEGATIVE, POSITIVE) for b in range(BINS)]


def edge_widths() -> list[int]:
    """Line width in pixels per edge bin: the two strongest levels of each sign are 2 px wide."""
    return [2 if level_of(b) >= LEVELS - 2 else 1 for _ in range(2) for b in range(BINS)]


def argb(colours: list[Rgb] | Rgb) -> np.ndarray:
    """Opaque 0xffRRGGBB values, one per colour: shape (n,) uint32 (or () for one colour)."""
    rgb = np.asarray(colours, np.uint32)
    return np.uint32(0xFF000000) | rgb[..., 0] << 16 | rgb[..., 1] << 8 | rgb[..., 2]
