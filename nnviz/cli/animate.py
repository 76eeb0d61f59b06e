"""``nnviz animate``: a saved run replayed as an animation, rendered offscreen.

Building its options imports no Qt; only running the command does."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..animation.options import DEFAULT_FPS, DEFAULT_SECONDS, DEFAULT_SIZE
from ..core.errors import NnvizError
from . import arguments
from .exits import EXIT_INTERRUPTED


def add_parser(commands) -> None:
    animate = commands.add_parser("animate", help="render a saved run's training history as an animation")
    animate.add_argument("file", type=Path)
    animate.add_argument("--out", type=Path, required=True, metavar="FILE",
                         help="the animation to write: .gif, .webp, .apng, or .mp4 (needs nnviz[video])")
    animate.add_argument("--example", default="test:1", metavar="SPLIT:NUMBER",
                         help="the example the network reads in every frame, counting from 1 as the window "
                              "does (default: test:1)")
    animate.add_argument("--size", type=arguments.frame_size, default=DEFAULT_SIZE, metavar="WxH",
                         help=f"frame size (default: {DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]})")
    animate.add_argument("--fps", type=arguments.positive_float, default=DEFAULT_FPS,
                         help=f"frames per second (default: {DEFAULT_FPS:g})")
    animate.add_argument("--seconds", type=arguments.positive_float, default=DEFAULT_SECONDS,
                         help=f"length of the animation (default: {DEFAULT_SECONDS:g})")
    animate.add_argument("--data", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                         help="a dataset folder in MNIST's IDX layout")
    animate.add_argument("--quiet", action="store_true", help="no progress bar")
    animate.set_defaults(run=run)



def run(args) -> int:
    import os

    from ..animation.writers import AnimationCancelled, check_writable
    from ..core.data import load_dataset
    from ..core.files import load_run

    check_writable(args.out)  # a bad target fails before anything is loaded or rendered
    run = load_run(args.file)
    if run.note:
        print(f"nnviz: note: {run.note}", file=sys.stderr)
    if not len(run.history):
        raise NnvizError(f"{args.file}: has no training history to animate (files saved by nnviz train since format version 2 have one)")
    dataset = load_dataset(args.data)
    misfit = dataset.misfit(run.network.sizes)
    if misfit:
        raise NnvizError(f"{args.file}: {misfit}")
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from tqdm import tqdm

    from ..app.export.frames import Example, application, export_timeline, frame_count

    # No tqdm monitor thread beside Qt: it outlives even a disabled bar and runs Python every 10 s,
    # so Python's garbage collector can run there and free Qt objects off the GUI thread (a crash;
    # see core/jobs.py).
    tqdm.monitor_interval = 0

    example = Example.parse(args.example, dataset)
    total = frame_count(args.fps, args.seconds)
    application()
    with tqdm(total=total, unit="frame", desc=f"rendering {args.out.name}", disable=args.quiet, dynamic_ncols=True) as bar:
        def progress(done, _total):
            bar.update(done - bar.n)
            return True

        try:
            export_timeline(args.out, run.network, run.history, dataset, example, args.size, args.fps, args.seconds, progress)
        except KeyboardInterrupt:
            bar.close()
            print("\nInterrupted: nothing written", file=sys.stderr)
            return EXIT_INTERRUPTED
        except AnimationCancelled:
            return EXIT_INTERRUPTED
    print(f"Saved {total} frames of {args.size[0]}x{args.size[1]} to {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0
