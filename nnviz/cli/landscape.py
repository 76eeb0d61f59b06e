"""``nnviz landscape``: the valley a saved run rolled down, as a picture (and its numbers as JSON).

Building its options imports no Qt; only running the command does, to draw the window's own
Valley view offscreen."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import arguments

PLANES = ("run", "random", "local")
DEFAULT_PICTURE = (1280, 720)
MAX_GRID = 201

grid_size = arguments.number(int, lambda v: 2 <= v <= MAX_GRID, f"a whole number of grid points from 2 to {MAX_GRID}")


def add_parser(commands) -> None:
    landscape = commands.add_parser(
        "landscape", help="draw the valley a saved run rolled down: the cost over the plane of its path",
        description="The cost over a plane through the network's parameters, with the run's checkpoints "
                    "on it, as a PNG (the Valley view of the app) and optionally as JSON.")
    landscape.add_argument("file", type=Path)
    landscape.add_argument("--out", type=Path, required=True, metavar="FILE.png", help="the picture to write (PNG)")
    landscape.add_argument("--json", type=Path, metavar="FILE.json",
                           help="also write the numbers: the plane, the grid's costs, every checkpoint's place, "
                                "cost and distance from the plane")
    landscape.add_argument("--plane", choices=PLANES, default="run",
                           help="run: the plane of the run's own path (default); random: two random directions, "
                                "scaled per neuron; local: -∇C and the last step at the run's end")
    landscape.add_argument("--size", type=grid_size, default=41, metavar="N",
                           help="grid points along each side (default: 41)")
    landscape.add_argument("--at", type=arguments.non_negative_float, metavar="EPOCH",
                           help="put the ball at the run's checkpoint at or before this epoch (default: its end)")
    landscape.add_argument("--picture-size", type=arguments.frame_size, default=DEFAULT_PICTURE, metavar="WxH",
                           help=f"the picture's size (default: {DEFAULT_PICTURE[0]}x{DEFAULT_PICTURE[1]})")
    landscape.add_argument("--sample", type=arguments.positive_int, default=1000, metavar="N",
                           help="training examples the cost is the mean over (default: 1000)")
    landscape.add_argument("--seed", type=arguments.non_negative_int, default=0,
                           help="chooses the training examples and the random plane's directions (default: 0)")
    landscape.add_argument("--data", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                           help="a dataset folder in MNIST's IDX layout")
    landscape.set_defaults(run=run)


def run(args) -> int:
    import os

    from ..core.archive import check_writable, write_file_atomic
    from ..core.data import load_dataset
    from ..core.errors import NnvizError, shown_path
    from ..core.files import load_run
    from ..core.history import RunHistory
    from ..core.valley import compute_valley, plane_named, training_sample

    if args.out.suffix.lower() != ".png":
        raise NnvizError(f"{shown_path(args.out)}: the picture is written as PNG; give a name ending in .png")
    # Bad targets fail before anything is computed.
    check_writable(args.out, "the picture")
    if args.json is not None:
        check_writable(args.json, "the numbers")
    loaded = load_run(args.file)
    if loaded.note:
        print(f"nnviz: note: {loaded.note}", file=sys.stderr)
    network, history = loaded.network, loaded.history
    if not len(history):
        if args.plane == "run":
            raise NnvizError(f"{shown_path(args.file)}: has no training history, so no path to take a plane from "
                             "(try --plane random or --plane local, or a file saved by nnviz train)")
        # No path: the network alone, drawn as a ball at the plane's centre.
        epochs = loaded.metadata.get("epochs_trained", 0)
        history = RunHistory(checkpoint_positions=[float(epochs) if isinstance(epochs, (int, float)) else 0.0],
                             checkpoints=[network.params])
    dataset = load_dataset(args.data)
    misfit = dataset.misfit(network.sizes)
    if misfit:
        raise NnvizError(f"{shown_path(args.file)}: {misfit}")
    x, labels = training_sample(dataset.train, args.sample, args.seed, network.dtype)
    plane = plane_named(args.plane, network, history, x, labels, seed=args.seed)
    valley = compute_valley(network, plane, [("this run", history)], x, labels, size=args.size)

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ..app.export.frames import application
    from ..app.export.valley_picture import png_bytes, valley_picture

    application()
    ball = history.index_at(args.at) if args.at is not None else None
    picture = png_bytes(valley_picture(valley, args.picture_size, ball))
    write_file_atomic(args.out, lambda f: f.write(picture))
    if args.json is not None:
        text = valley.to_json().encode("utf-8")
        write_file_atomic(args.json, lambda f: f.write(text))
    print(summary(valley, args))
    return 0


def summary(valley, args) -> str:
    """What was drawn, in a line or two."""
    path = valley.paths[0]
    shares = " and ".join(valley.axis_label(k) for k in range(2))
    written = f"{args.out}" + (f" and {args.json}" if args.json is not None else "")
    return (f"Saved {written}: {valley.description}; axes {shares}.\n"
            f"{len(valley.alphas)}x{len(valley.betas)} grid, cost {valley.costs.min():.3g} to {valley.costs.max():.3g} "
            f"on {valley.sample_size:,} training examples; {len(path)} checkpoints, "
            f"{float(max(path.distances)):.3g} off the plane at most.")
