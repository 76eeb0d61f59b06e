"""How crowded each layer's edges are on screen, and how many of them a picture needs.

Between two wide layers tens of thousands of edges cross the same band of pixels: the 65,536
edges between two layers of 256 cross each pixel of theirs ~120 times at 1600x900. Edges are
drawn weak to strong, so in such a band a pixel shows the strongest edge through it, and the
weakest half of the edges is painted over before anyone sees it. Measured (the raster, seeded
networks, 1600x900): drawing the strongest 50% of those 65,536 edges changes 0.035% of the
picture's pixels and the 25% strongest 0.12%; between 128 and 64 neurons (~15 crossings a
pixel) the strongest 75% already change 0.11%, so that layer stays whole. The cost of the
picture follows the pixels the lines cross, so leaving the hidden ones out is what makes a wide
network's picture fast.

So a layer is drawn whole unless its edges would cross a pixel more than ``MOST_CROSSINGS``
times on average; then only its strongest edges are drawn, as many as cross a pixel that often.
A band far more crowded than that (``CROWDED`` crossings a pixel with every edge, or more) keeps
``CROWDED_CROSSINGS`` a pixel, and one in between a number in between: where a hundred edges or
more cross each pixel, the strongest few dozen decide its colour. 784-256-256-10 at 1600x900
(~120 crossings between its hidden layers, ~256 for every input edge) then draws 28 a pixel
instead of 40: ~20% less raster for ~0.1% of the pixels (`benchmarks/crowding.py`), while a
band that is just crowded (784-128-64-10's hidden layers in a view of 600x400, ~36) stays whole.
The input layer's share is the person's choice (the Edges slider), thinned the same way where
that share would be crowded: 784-256-256-10's default quarter crosses a pixel ~64 times at
1600x900 (every input edge ~256 times), and it draws the strongest 11% instead, the picture as a
whole then ~0.3% of its pixels away from drawing every layer as asked (`benchmarks/crowding.py`)
for a third of the drawing (784-128-64-10's quarter, ~32 a pixel, keeps ~28: 22%). The
article's network, and any whose first hidden layer is no wider (``ARTICLE_WIDTH``), draws its
input edges as asked at any zoom: every edge when asked for, as the video shows it; its other
layers are far from crowded.
No Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .geometry import Layout

#: Average crossings a pixel of a layer's band is allowed; more and the weakest edges are left out.
#: Fewer would thin 128x64 edges in a view of 600x400 (~36 crossings there).
MOST_CROSSINGS = 40.0
#: Crossings a pixel with every edge drawn from which a band keeps only CROWDED_CROSSINGS.
CROWDED = 100.0
CROWDED_CROSSINGS = 28.0
#: The article's hidden layers: a first hidden layer this wide or narrower keeps the input share asked.
ARTICLE_WIDTH = 16


@dataclass(frozen=True)
class Thinning:
    """What a picture draws of each layer: ``fractions[l-1]`` of layer l's edges (its strongest),
    and ``crossings[l-1]``, how many edges cross an average pixel of its band with all drawn."""

    fractions: tuple[float, ...]
    crossings: tuple[float, ...]

    def thinned(self, asked: Sequence[float]) -> list[int]:
        """The layers (1..L) drawn with fewer edges than ``asked``."""
        return [l for l, (f, a) in enumerate(zip(self.fractions, asked), start=1) if f < a - 1e-9]


def thin(layout: Layout, asked: Sequence[float], pixels_per_unit: float, most: float = MOST_CROSSINGS) -> Thinning:
    """The share of each layer's edges to draw at ``pixels_per_unit`` (the view's zoom), from the
    shares ``asked`` (one per layer, 0..1): at most as many as cross a pixel ``most`` times, and
    for the input layer of a network no wider than the article's, exactly its share."""
    crossings = np.asarray(layout.edge_densities) / max(pixels_per_unit, 1e-9)
    whole_input = len(layout.sizes) < 2 or layout.sizes[1] <= ARTICLE_WIDTH
    fractions = [float(a) if (whole_input and layer == 0) or c <= 0 else min(float(a), allowed(c, most) / c)
                 for layer, (a, c) in enumerate(zip(asked, crossings))]
    return Thinning(tuple(fractions), tuple(float(c) for c in crossings))


def allowed(crossings: float, most: float = MOST_CROSSINGS) -> float:
    """The crossings a pixel a band of ``crossings`` (every edge drawn) is allowed: ``most`` up to
    1.5 times that, CROWDED_CROSSINGS from CROWDED on, straight in between (no jump as the view zooms)."""
    start, fewest = 1.5 * most, min(most, CROWDED_CROSSINGS)
    if crossings <= start or CROWDED <= start:
        return most
    t = min(1.0, (crossings - start) / (CROWDED - start))
    return most - t * (most - fewest)
