"""Time of the gradient-descent landscape: a 41x41 slice of the cost on 1,000 training examples.

Prints the time of the coarse 11x11 pass and of the full 41x41 grid (best and median of a few
repeats), and, as a baseline measured in the same run, the time of one forward pass of the same
1,000 examples, so that figures from loaded machines can be compared by their ratio, and the same
grid evaluated a whole row at a time instead of a few points at a time.

Then the run's valley (nnviz.core.valley) of the bundled 30-epoch run, everything the Valley view
and ``nnviz landscape`` compute: the run's plane, the 11x11 coarse grid, every checkpoint's true
cost, and the 41x41 grid, each stage's time and the total (target: <= 2 s on an idle 2-core machine);
and the same valley as the window gets it, from its compute process (``core/jobs.py``, one BLAS
thread): from the request (the run's record and the sample pickled over the pipe) to the last
result, with the time to its first, coarse look.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from nnviz.core import landscape as landscape_module
from nnviz.core.pipe import BlockingEnd
from nnviz.core.data import bundled_mnist_dir, load_dataset
from nnviz.core.files import load_run
from nnviz.core.valley import plane_named, training_sample, valley_stages
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

    def landscape(n: int, points_at_once: int = landscape_module.POINTS_AT_ONCE) -> None:
        saved, landscape_module.POINTS_AT_ONCE = landscape_module.POINTS_AT_ONCE, points_at_once
        try:
            plane = plane_through(network, flat_gradient(network, x, labels))
            costs = PlaneCosts(network, x, labels, plane)
            axis = np.linspace(-1, 1, n)
            for _ in costs.grid(axis, axis):
                pass
        finally:
            landscape_module.POINTS_AT_ONCE = saved

    # Interleaved, so that a busy machine slows all of them alike.
    forward, coarse, full, rows = [], [], [], []
    for _ in range(repeats):
        forward += timed(lambda: network.output(x), 4)
        coarse += timed(lambda: landscape(COARSE_GRID), 1)
        full += timed(lambda: landscape(GRID), 1)
        rows += timed(lambda: landscape(GRID, GRID), 1)
    base = min(forward)
    print(f"one forward pass of 1,000 examples: best {base * 1e3:.2f} ms")
    for name, times in ((f"{COARSE_GRID}x{COARSE_GRID}", coarse), (f"{GRID}x{GRID}", full),
                        (f"{GRID}x{GRID}, a whole row of {GRID} points at once", rows)):
        print(f"{name} slice on 1,000 examples: best {min(times):.3f} s, median {statistics.median(times):.3f} s "
              f"(best {min(times) / base:.0f}x the best forward pass)")
    print(f"target: {GRID}x{GRID} in <= 1 s; rows of {GRID} at once / {landscape_module.POINTS_AT_ONCE} points at once: "
          f"{statistics.median(rows) / statistics.median(full):.2f}x (median)")
    valley(dataset, repeats)


def valley(dataset, repeats: int) -> None:
    run = load_run(bundled_mnist_dir() / "pretrained-784-16-16-10.npz")
    x, labels = training_sample(dataset.train)
    stages = {"the run's plane": [], "coarse grid": [], "checkpoints' costs": [], "41x41 grid": [], "total": []}
    forward = []
    for _ in range(repeats):
        forward += timed(lambda: run.network.output(x), 4)
        start = time.perf_counter()
        plane = plane_named("run", run.network, run.history, x, labels)
        times = [time.perf_counter()]
        for _ in valley_stages(run.network, plane, [("run", run.history)], x, labels):
            times.append(time.perf_counter())
        # stage ends: geometry, coarse, checkpoints, then one per row of the fine grid
        marks = [start, times[0], times[2], times[3], times[-1]]
        for name, (a, b) in zip(stages, zip(marks, marks[1:])):
            stages[name].append(b - a)
        stages["total"].append(times[-1] - start)
    base = min(forward)
    print(f"\nthe run's valley: {len(run.history)} checkpoints of a {run.history.end:g}-epoch run, "
          f"{len(labels):,} training examples (forward pass in this part: best {base * 1e3:.2f} ms)")
    for name, times in stages.items():
        print(f"  {name}: best {min(times):.3f} s, median {statistics.median(times):.3f} s")
    print(f"target: the whole valley in <= 2 s; here best {min(stages['total']):.2f} s, "
          f"median {statistics.median(stages['total']):.2f} s ({min(stages['total']) / base:.0f}x the best forward pass)")
    through_the_process(run, x, labels, repeats)


def through_the_process(run, x, labels, repeats: int) -> None:
    from nnviz.app.training.process import start_process  # the window's way of starting it (no Qt used)

    process, ours = start_process("nnviz.core.jobs")
    pipe = BlockingEnd(ours)
    firsts, totals = [], []
    try:
        for generation in range(1, repeats + 1):
            start = time.perf_counter()
            pipe.send(("run", "valley", generation, "valley", (run.network, "run", [("run", run.history)], x, labels), {}))
            first = None
            while True:
                message = pipe.recv()
                if message[0] == "result":
                    pipe.send(("ack", "valley", generation))
                    if first is None and message[3].coarse is not None and np.isfinite(message[3].coarse[2]).all():
                        first = time.perf_counter() - start
                if message[0] == "done" or (message[0] == "result" and message[4]):
                    break
                if message[0] == "failed":
                    raise RuntimeError(message[3])
            totals.append(time.perf_counter() - start)
            firsts.append(first)
    finally:
        pipe.send(("quit",))
        process.wait(10)
        pipe.close()
    print(f"from the window's compute process: the coarse look after best {min(firsts):.3f} s, "
          f"the whole valley after best {min(totals):.2f} s, median {statistics.median(totals):.2f} s "
          f"(target <= 2 s)")


if __name__ == "__main__":
    main()
