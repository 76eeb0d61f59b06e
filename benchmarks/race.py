"""Gradient descent against SGD from one start (nnviz.core.race), and what a full-batch step costs.

    python benchmarks/race.py [--epochs 3] [--activation sigmoid] [--seed 0]

Prints the seconds and the memory (peak resident set growth) of one step on all 50,000 training
examples, against the same step with the examples converted in one block, as the trainer did
before mini-batches larger than a chunk came in pieces; then, for each lane of a race over
--epochs epochs' worth of examples: η, steps, seconds of its own computing, and the cost on the
race's sample of 1,000 training examples at the start and after each epoch's worth. The costs
repeat exactly for a seed; the seconds depend on the machine's load.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from nnviz.core.data import MAX_PIXEL, load_dataset, pixels_with_255
from nnviz.core.kernel import Workspace
from nnviz.core.network import Network
from nnviz.core.race import Race
from nnviz.core.training import Trainer


def peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def race_table(dataset, activation: str, epochs: int, seed: int) -> None:
    n = len(dataset.train)
    race = Race(Network(activation=activation, seed=seed), dataset, examples=epochs * n, seed=seed).run()
    header = "  ".join(f"{f'{e} ep':>7}" for e in range(epochs + 1))
    print(f"race from seed {seed} ({activation}), {epochs} epochs' worth of examples each; cost on {len(race.sample_labels):,} "
          "training examples")
    print(f"{'lane':<17} {'η':>5} {'steps':>7} {'s':>6}  {header}")
    for lane in race.lanes:
        costs = [lane.measured_costs[lane.measured_examples.index(e * n)] for e in range(epochs + 1)]
        steps = lane.examples // lane.batch_size
        print(f"{lane.name:<17} {lane.learning_rate:>5g} {steps:>7,} {lane.seconds:>6.2f}  "
              + "  ".join(f"{c:>7.4f}" for c in costs), flush=True)


def one_block_step(network: Network, dataset) -> None:
    """A step on all of ``dataset.train`` in one block: what the trainer did before pieces."""
    train = dataset.train
    x1 = pixels_with_255(train.images, network.dtype)
    y = np.equal(train.labels.reshape(1, -1), np.arange(dataset.n_classes).reshape(-1, 1)).astype(network.dtype)
    workspace = Workspace(network, len(x1), input_scale=MAX_PIXEL)
    workspace.forward(x1)
    workspace.backward(y, np.array(-1.0 / len(x1), network.dtype))
    network.params += workspace.gradient


def full_batch_costs(dataset) -> None:
    n = len(dataset.train)
    trainer = Trainer(Network(seed=0), dataset, batch_size=n, learning_rate=3.0, seed=0, evaluate_test=False)
    before = peak_megabytes()
    started = time.perf_counter()
    trainer.run_batches(1)
    pieces_seconds, pieces_growth = time.perf_counter() - started, peak_megabytes() - before
    before = peak_megabytes()
    started = time.perf_counter()
    one_block_step(Network(seed=0), dataset)
    block_seconds, block_growth = time.perf_counter() - started, peak_megabytes() - before
    print(f"\none step on all {n:,} training examples:")
    print(f"  in pieces of at most a chunk (the trainer): {pieces_seconds:5.2f} s, peak memory +{pieces_growth:.0f} MB")
    print(f"  in one block:                               {block_seconds:5.2f} s, peak memory +{block_growth:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--activation", default="sigmoid")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    dataset = load_dataset()
    # The full-batch step first: the race's own arrays would raise the peak it is measured against.
    full_batch_costs(dataset)
    print()
    race_table(dataset, args.activation, args.epochs, args.seed)


if __name__ == "__main__":
    main()
