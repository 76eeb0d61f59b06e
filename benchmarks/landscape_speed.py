"""Time of the gradient-descent landscape: a 41x41 slice of the cost on 1,000 training examples.

Prints the time of the coarse 11x11 pass and of the full 41x41 grid (best and median of a few
repeats), and, as a baseline measured in the same run, the time of one forward pass of the same
1,000 examples, so that figures from loaded machines can be compared by their ratio.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from nnviz.core.data import load_dataset
from nnviz.core.landscape import COARSE_GRID, GRID, PlaneCosts, flat_gradient, plane_through
from nnviz.core.network import Network


def timed(function, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main(repeats: int = 5) -> None:
    dataset = load_dataset()
    network = Network(seed=0)
    x, labels = dataset.train.inputs(np.arange(1000)), dataset.train.labels[:1000]

    def landscape(n: int) -> None:
        plane = plane_through(network, flat_gradient(network, x, labels))
        costs = PlaneCosts(network, x, labels, plane)
        axis = np.linspace(-1, 1, n)
        for _ in costs.grid(axis, axis):
            pass

    forward = timed(lambda: network.output(x), repeats * 4)
    coarse = timed(lambda: landscape(COARSE_GRID), repeats)
    full = timed(lambda: landscape(GRID), repeats)
    base = statistics.median(forward)
    print(f"one forward pass of 1,000 examples: median {base * 1e3:.2f} ms")
    for name, times in ((f"{COARSE_GRID}x{COARSE_GRID}", coarse), (f"{GRID}x{GRID}", full)):
        print(f"{name} slice on 1,000 examples: best {min(times):.3f} s, median {statistics.median(times):.3f} s "
              f"({statistics.median(times) / base:.0f}x a forward pass; target <= 1 s for {GRID}x{GRID})")


if __name__ == "__main__":
    main()
