"""How long the window waits after a what-if edit, and the ablation table.

    python benchmarks/edits_speed.py [--repeats 15]

Prints the median milliseconds (goal: an edit's recomputation <= 100 ms) of:
- ``what_if`` after each kind of edit on the pretrained network: applying the edits to a copy,
  the example's ten outputs, validation and test accuracy and the test confusion matrix;
- one test-set accuracy alone, the baseline the other figures are a ratio of;
- the 32-neuron ablation table.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from nnviz.core.data import bundled_mnist_dir, load_dataset
from nnviz.core.edits import CutEdge, EditList, Prune, SetWeight, SwitchOff, ablation_table, what_if
from nnviz.core.evaluation import accuracy
from nnviz.core.files import load_network


def median_ms(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1e3)
    return float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    network = load_network(bundled_mnist_dir() / "pretrained-784-16-16-10.npz")[0]
    dataset = load_dataset()
    example = dataset.test.inputs(slice(0, 1))
    baseline = median_ms(lambda: accuracy(network, dataset.test), args.repeats)
    print(f"one test accuracy (baseline)      {baseline:7.1f} ms")
    edits = EditList()
    for edit in (SwitchOff(1, 5), CutEdge(2, 3, 4), SetWeight(1, 0, 300, 2.0), Prune(1, 50)):
        edits = edits.added(edit, network.sizes)
        ms = median_ms(lambda: what_if(network, edits, dataset.validation, dataset.test, example), args.repeats)
        print(f"what_if after {len(edits)} edit(s) ({edit.kind:<10}) {ms:7.1f} ms  {ms / baseline:5.1f}x baseline  goal <= 100 ms")
    ms = median_ms(lambda: ablation_table(network, dataset.test), max(3, args.repeats // 5))
    print(f"ablation table (32 neurons)       {ms:7.1f} ms  {ms / baseline:5.1f}x baseline")


if __name__ == "__main__":
    main()
