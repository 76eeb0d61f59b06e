"""How fast the network view turns new parameters into a picture of the edges, both ways it can draw.

    python benchmarks/edge_speed.py [--sizes 784,16,16,10] [--fraction 0.25,1.0] [--repeats 7]

Prints, offscreen at 1600x900, for seeded networks of the given sizes and each fraction of input
edges drawn (the other layers are always whole), medians of ``--repeats``:
- binning: ``bin_edges``, which the view runs in one block on each new set of parameters;
- drawing the bins into the view's picture with painter paths (the fallback, and how it was
  drawn before) and with the NumPy raster, in the GUI thread's slices: the time in all, and the
  longest slice of the event loop (what the window can feel), also in one block;
- a new set of parameters until the picture is on screen, through the real NetworkView
  (``show_network``, then the event loop runs until the edges' ``redrawn``, then a repaint);
with the raster's figures as ratios of the painter's measured in the same run, and the longest
single block of the GUI thread in all; and where the raster's time goes, by cProfile (so roughly).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6 import QtCore, QtWidgets

from nnviz.app.views.network.network_view import NetworkView
from nnviz.core.network import Network
from nnviz.render import palette, raster
from nnviz.render.geometry import bin_edges, draw_order

NAMES = tuple(str(d) for d in range(10))


def new_picture(view: NetworkView, network: Network) -> tuple[float, float, float, float]:
    """Show ``network`` and wait for its edges on screen: (the show_network call, the drawing's work
    in all, its longest slice, from the call until the picture is on screen), in ms."""
    app = QtWidgets.QApplication.instance()
    done = []
    view.edges.redrawn.connect(lambda: done.append(True))
    view.edges.longest_slice = 0.0
    start = time.perf_counter()
    view.show_network(network, (28, 28), NAMES)
    call = time.perf_counter() - start
    while not done or view.edges.pending:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    view.viewport().repaint()
    wall = time.perf_counter() - start
    view.edges.redrawn.disconnect()
    return call * 1e3, view.edges.last_seconds * 1e3, view.edges.longest_slice * 1e3, wall * 1e3


def in_one_block(view: NetworkView, network: Network) -> float:
    """The drawing of ``network``'s edges in one go, as ``finish()`` does (ms of drawing work)."""
    view.show_network(network, (28, 28), NAMES)
    view.finish_drawing()
    return view.edges.last_seconds * 1e3


#: The raster's functions, and NumPy's they call, as cProfile names them, by the work they do.
STAGES = {
    "per segment (clip, walks)": {"clip", "_walks", "ones", "<method 'nonzero' of 'numpy.ndarray' objects>"},
    "per sample: pieces, a + k·b, cast": {
        "of", "<listcomp>", "_cast", "stack", "flatnonzero", "<method 'repeat' of 'numpy.ndarray' objects>",
        "<method 'cumsum' of 'numpy.ndarray' objects>", "<built-in method numpy.arange>"},
    "per sample: stores": {"steps"},
    "merge and colour": {"_draw", "<method 'take' of 'numpy.ndarray' objects>", "<built-in method _functools.reduce>"},
}


def stage_of(function: str) -> str:
    """The stage a profiled function belongs to ("other" if none)."""
    return next((stage for stage, names in STAGES.items() if function in names), "other")


def where_the_time_goes(view: NetworkView) -> str:
    """Shares of the raster's time in one block for the view's current bins, by stage (the second
    of two pictures, drawn into the first one's arrays as the view does)."""
    bins, order = view.last_bins, draw_order()
    transform, region = view.edges._front.transform, view.edges._front.region
    profile, previous = cProfile.Profile(), None
    for _ in range(2):
        previous = raster.EdgeRaster(
            [bins.segments[b] for b in order], palette.argb(palette.edge_colours())[order],
            [palette.edge_widths()[b] for b in order], (transform.m11(), transform.m22()),
            (transform.dx() - region.x(), transform.dy() - region.y()), (region.height(), region.width()),
            int(palette.argb(palette.BACKGROUND)), reuse=previous)
        profile = cProfile.Profile()
        profile.runcall(previous.run)
    shares = dict.fromkeys([*STAGES, "other"], 0.0)
    for (_, _, function), (_, _, own, _, _) in pstats.Stats(profile).stats.items():
        shares[stage_of(function)] += own
    total = sum(shares.values())
    return ", ".join(f"{stage} {share / total:.0%}" for stage, share in shares.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="784,16,16,10", help="layer sizes, input first (784 inputs: 28x28 images)")
    parser.add_argument("--fraction", default="0.25,1.0", help="fractions of input edges drawn, comma-separated")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    sizes = tuple(int(n) for n in args.sizes.split(","))
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    view = NetworkView()
    view.resize(1600, 900)
    view.show()
    app.processEvents()
    networks = [Network(sizes, seed=k) for k in range(2)]
    view.show_network(networks[0], (28, 28), NAMES)
    app.processEvents()
    # The whole drawing framed as reset_zoom frames the article's network: from Layout.top, which
    # a tall hidden layer puts above the input image (reset_zoom itself frames from y = -14).
    layout = view.layout
    view.view_box.setRange(QtCore.QRectF(-4, layout.top - 14, layout.width + 8, layout.height + 18), padding=0)
    app.processEvents()
    view.finish_drawing()
    counter = iter(range(10**9))

    def next_network() -> Network:
        return networks[next(counter) % 2]

    print(f"edges of {'-'.join(map(str, sizes))}, 1600x900 offscreen, medians of {args.repeats} "
          f"(timings on a busy machine are indicative; compare the ratios)")
    for fraction in (float(f) for f in args.fraction.split(",")):
        view.set_edge_fraction(fraction)
        view.finish_drawing()
        fractions = [fraction] + [1.0] * (len(sizes) - 2)
        binning = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            bins = bin_edges(view.layout, next_network().weights, fractions)
            binning.append((time.perf_counter() - start) * 1e3)
        figures = {}
        for name, drawing in (("painter paths", "paths"), ("NumPy raster", "raster")):
            view.edges.drawing = drawing
            new_picture(view, next_network())  # a first picture drawn this way
            runs = np.array([new_picture(view, next_network()) for _ in range(args.repeats)])
            block = np.median([in_one_block(view, next_network()) for _ in range(args.repeats)])
            figures[name] = (*np.median(runs, axis=0), runs[:, 0].max(), runs[:, 2].max(), block)
        print(f"  {fraction:.0%} of input edges: {bins.drawn:,} of {bins.total:,} edges drawn; "
              f"binning (bin_edges) {np.median(binning):.1f} ms")
        paths = figures["painter paths"]
        for name, (call, work, piece, wall, longest_call, longest_slice, block) in figures.items():
            ratios = "" if name == "painter paths" else \
                f"   = {block / paths[6]:.2f} and {wall / paths[3]:.2f} of the paths'"
            print(f"    {name:<18} in one block {block:7.1f} ms; sliced {work:7.1f} ms in all, "
                  f"until on screen {wall:7.1f} ms{ratios}")
            print(f"    {'':<18} longest blocks of the GUI thread: show_network {longest_call:5.1f} ms, "
                  f"a slice {longest_slice:5.1f} ms")
        view.edges.drawing = "raster"
        view.show_network(next_network(), (28, 28), NAMES)
        view.finish_drawing()
        print(f"    the raster's time: {where_the_time_goes(view)}")
    print("targets: on screen ≤ 50 ms for all edges of 784-16-16-10, ≤ 100 ms for 784-256-256-10 at 25%; "
          "no block of the GUI thread over 16 ms")
    view.close()


if __name__ == "__main__":
    main()
