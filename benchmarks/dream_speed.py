"""Time of a dream and of a fooling on the bundled network, 200 steps each (target: under a second each).

Prints, best and median of a few repeats: one output neuron's dream (200 steps, no penalty, and
with both penalties), a hidden neuron's, the ten output dreams together, the sixteen of the
edges-and-loops page, fooling test example 2 into a 7 (all 200 steps, and stopping when the 7
wins), the ten pieces of static, and the nine most and least exciting test images of a neuron.
As a baseline from the same run: 200 forward-and-backward passes of one example through
``Network.backprop``, the work a step cannot do without, so that figures from a loaded machine
can be compared by their ratio.
"""

from __future__ import annotations

import statistics
import timeit

import numpy as np

from nnviz.core.data import bundled_mnist_dir, load_dataset
from nnviz.core.dreams import DreamSettings, dream, exciting_images, output_dreams
from nnviz.core.edges_and_loops import first_layer_dreams
from nnviz.core.files import load_network
from nnviz.core.fooling import fool, static_row

STEPS = 200


def main(repeats: int = 5) -> None:
    network, _ = load_network(bundled_mnist_dir() / "pretrained-784-16-16-10.npz")
    dataset = load_dataset()
    two = dataset.test.inputs(1, np.float64)
    test_inputs = dataset.test.inputs()
    penalised = DreamSettings(smoothness=0.02, smallness=0.01)

    def backprop_steps():
        for _ in range(STEPS):
            network.backprop(two[None], np.array([7]))

    cases = {
        f"dream of output 2, {STEPS} steps": lambda: dream(network, 3, 2),
        f"dream of output 2, {STEPS} steps, smooth and small penalties": lambda: dream(network, 3, 2, penalised),
        f"dream of hidden2:3, {STEPS} steps": lambda: dream(network, 2, 2),
        f"the ten output dreams, {STEPS} steps each": lambda: output_dreams(network),
        f"the 16 first-layer dreams of the edges-and-loops page, {STEPS} steps each": lambda: first_layer_dreams(network),
        # an output can never reach 2: the walk takes every step, as the slowest fooling would
        f"fooling test:2 as a 7, all {STEPS} steps": lambda: fool(network, two, 7, max_steps=STEPS, confidence=2.0),
        "fooling test:2 as a 7 (stops when the 7 wins)": lambda: fool(network, two, 7),
        "static read as each of the ten digits": lambda: static_row(network),
        "the 9 most and least exciting of 10,000 test images": lambda: exciting_images(network, test_inputs, 1, 4),
    }
    # Interleaved, so that a busy machine slows all of them alike.
    base, times = [], {name: [] for name in cases}
    for _ in range(repeats):
        base += timeit.repeat(backprop_steps, number=1, repeat=1)
        for name, case in cases.items():
            times[name] += timeit.repeat(case, number=1, repeat=1)
    print(f"baseline: {STEPS} calls of Network.backprop on one example: best {min(base) * 1e3:.1f} ms")
    for name, values in times.items():
        print(f"{name}: best {min(values) * 1e3:.1f} ms, median {statistics.median(values) * 1e3:.1f} ms "
              f"({min(values) / min(base):.2f}x the baseline)")
    print(f"(the 7 wins after {fool(network, two, 7).steps} steps)")
    print("target: a dream and a fooling of 200 steps under 1 s each")


if __name__ == "__main__":
    main()
