"""How big a saved run is and how long it takes to open, for a network of any sizes.

    python -m benchmarks.file_speed [--sizes 784,128,64,10] [--epochs 30] [--repeats 5]

Builds the record of a run as the trainer keeps it (its checkpoints at the mini-batches the trainer
checkpoints, a cost point every 50 mini-batches, an epoch record per epoch; mini-batches of 10 of
the 50,000 training images), with parameters that wander from a seeded network's, saves it with
``save_run`` and prints the file's size and the time ``load_run`` takes to open it (median of
``--repeats``), beside the same figures for the article's 784-16-16-10 measured in the same run.
Targets: a 30-epoch run of 784-128-64-10 in ≤ 40 MB, open in ≤ 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from nnviz.core.files import load_run, save_run
from nnviz.core.history import COST_POINT_BATCHES, EpochRecord, RunHistory, checkpoint_batches
from nnviz.core.network import Network

TRAINING_IMAGES = 50_000
BATCH_SIZE = 10


def recorded_run(sizes: tuple[int, ...], epochs: int) -> tuple[Network, RunHistory]:
    """A network and the record of ``epochs`` epochs of training it, shaped as the trainer records it."""
    network = Network(sizes, seed=0)
    rng = np.random.default_rng(0)
    per_epoch = TRAINING_IMAGES // BATCH_SIZE
    history = RunHistory()
    params = network.params.copy()
    history.record_checkpoint(0.0, params)
    for epoch in range(1, epochs + 1):
        for batch in range(COST_POINT_BATCHES, per_epoch + 1, COST_POINT_BATCHES):
            history.record_cost(epoch - 1 + batch / per_epoch, 0.1 / epoch)
        for batch in [*checkpoint_batches(epoch, per_epoch), per_epoch]:
            params = params + rng.normal(0, 0.01, params.shape).astype(params.dtype)
            history.record_checkpoint(epoch - 1 + batch / per_epoch, params)
        history.record_epoch(EpochRecord(epoch, 0.1 / epoch, 0.9, None, 3.0))
    network.params[:] = params
    return network, history


def measure(sizes: tuple[int, ...], epochs: int, repeats: int, folder: Path) -> tuple[int, float, int]:
    """(bytes on disk, seconds to open, checkpoints) of a saved run of ``sizes``."""
    network, history = recorded_run(sizes, epochs)
    path = folder / f"run-{'-'.join(map(str, sizes))}.npz"
    save_run(path, network, history, epochs_trained=epochs)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        loaded = load_run(path)
        times.append(time.perf_counter() - start)
    assert len(loaded.history) == len(history) and loaded.note is None
    return path.stat().st_size, statistics.median(times), len(history)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="784,128,64,10")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    sizes = tuple(int(n) for n in args.sizes.split(","))
    print(f"a saved run of {args.epochs} epochs (mini-batches of {BATCH_SIZE}), medians of {args.repeats} opens")
    with tempfile.TemporaryDirectory() as folder:
        reference = measure((784, 16, 16, 10), args.epochs, args.repeats, Path(folder))
        figures = measure(sizes, args.epochs, args.repeats, Path(folder))
    for name, (size, seconds, checkpoints) in (("784-16-16-10", reference), ("-".join(map(str, sizes)), figures)):
        print(f"  {name:<16} {checkpoints} checkpoints   {size / 1e6:7.1f} MB   opens in {seconds * 1e3:7.1f} ms")
    print(f"  ratio to 784-16-16-10: size {figures[0] / reference[0]:.1f}x, open time {figures[1] / reference[1]:.1f}x   "
          f"(targets for 30 epochs of 784-128-64-10: ≤ 40 MB, ≤ 1 s)")


if __name__ == "__main__":
    main()
