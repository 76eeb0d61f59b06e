"""What thinning crowded layers costs the picture, and what it saves (render/crowding.py).

    python -m benchmarks.crowding [--sizes 784,256,256,10] [--shape 900x1600]

For a network of ``--sizes`` (seeded, and the same after one epoch of training), framed in an
image of ``--shape`` as the window frames it, at the default input share (25%) and with every
edge asked: the shares drawn, the edges drawn, the time of the raster (median of a few, one BLAS
thread) with every layer drawn at the share asked (the baseline, same run) and thinned, and the
share of the picture's pixels that differ between the two pictures.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from nnviz.core.data import load_dataset  # noqa: E402
from nnviz.core.network import Network  # noqa: E402
from nnviz.core.training import Trainer  # noqa: E402
from nnviz.render import palette  # noqa: E402
from nnviz.render.crowding import thin  # noqa: E402
from nnviz.render.geometry import bin_edges, draw_order, make_layout  # noqa: E402
from nnviz.render.raster import rasterise  # noqa: E402

ORDER = draw_order()


def picture(layout, weights, fractions, shape):
    """The edges as the view draws them, the layout framed in ``shape`` (H, W), and the seconds it took."""
    height, width = shape
    scale = min(width / (layout.width + 8), height / (layout.height + 18))
    start = time.perf_counter()
    bins = bin_edges(layout, weights, fractions)
    image = rasterise([bins.segments[b] for b in ORDER], palette.argb(palette.edge_colours())[ORDER],
                      [palette.edge_widths()[b] for b in ORDER], (scale, scale), (4 * scale, (14 - layout.top) * scale),
                      shape, int(palette.argb(palette.BACKGROUND)))
    return image, time.perf_counter() - start, bins.drawn


def median_picture(layout, weights, fractions, shape, repeats=5):
    runs = [picture(layout, weights, fractions, shape) for _ in range(repeats)]
    return runs[0][0], float(np.median([seconds for _, seconds, _ in runs])), runs[0][2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="784,256,256,10")
    parser.add_argument("--shape", default="900x1600", help="the picture's height x width in pixels")
    args = parser.parse_args()
    sizes = tuple(int(n) for n in args.sizes.split(","))
    shape = tuple(int(n) for n in args.shape.split("x"))
    layout = make_layout(sizes, (28, 28))
    scale = min(shape[1] / (layout.width + 8), shape[0] / (layout.height + 18))
    untrained = Network(sizes, seed=3)
    trainer = Trainer(untrained.copy(), load_dataset(), seed=0)
    trainer.run_epoch()
    print(f"{'-'.join(map(str, sizes))} framed in {shape[1]}x{shape[0]} ({scale:.2f} pixels a unit)")
    for name, network in (("seeded", untrained), ("one epoch trained", trainer.network)):
        for asked in ([0.25] + [1.0] * (len(sizes) - 2), [1.0] * (len(sizes) - 1)):
            thinning = thin(layout, asked, scale)
            whole, whole_seconds, whole_edges = median_picture(layout, network.weights, asked, shape)
            thinned, seconds, edges = median_picture(layout, network.weights, list(thinning.fractions), shape)
            changed = (thinned != whole).mean()
            print(f"  {name}, asked {[f'{a:.0%}' for a in asked]}: crossings a pixel with every edge "
                  f"{[round(c, 1) for c in thinning.crossings]}")
            print(f"    drawn {[f'{f:.1%}' for f in thinning.fractions]}: {edges:,} edges in {seconds * 1e3:6.1f} ms,"
                  f" as asked {whole_edges:,} in {whole_seconds * 1e3:6.1f} ms (ratio {seconds / whole_seconds:.2f});"
                  f" pixels changed {changed:.3%}")


if __name__ == "__main__":
    main()
