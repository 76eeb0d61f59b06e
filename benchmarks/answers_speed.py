"""How long the Mistakes tab's answers take: a network's answer for each of the 10,000 test images.

    python -m benchmarks.answers_speed

For 784-16-16-10, 784-128-64-10 and 784-256-256-10 (seeded), one BLAS thread as in the compute
process: the median time of ``computations.answers`` at the chunk it uses (``ANSWERS_CHUNK``)
and at others, 2,000 (the evaluation's chunk) the baseline of the same run; and, at each chunk,
how long a newer job may wait for this one to stop (one chunk's work).
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from nnviz.core.computations import ANSWERS_CHUNK, answers  # noqa: E402
from nnviz.core.data import load_dataset  # noqa: E402
from nnviz.core.network import Network  # noqa: E402

BASELINE = 2000


def seconds(network: Network, split, chunk: int, repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in answers(network, split, chunk):
            pass
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main() -> None:
    split = load_dataset().split("test")
    print(f"answers for the {len(split):,} test images, one BLAS thread, medians; the window's chunk is {ANSWERS_CHUNK}")
    for sizes in ((784, 16, 16, 10), (784, 128, 64, 10), (784, 256, 256, 10)):
        network = Network(sizes, seed=0)
        baseline = seconds(network, split, BASELINE)
        cells = []
        for chunk in sorted({250, ANSWERS_CHUNK, 1000, BASELINE}):
            took = baseline if chunk == BASELINE else seconds(network, split, chunk)
            cells.append(f"{chunk:>5}: {took * 1e3:5.1f} ms ({took / baseline:.2f}x; a chunk "
                         f"{took * chunk / len(split) * 1e3:4.1f} ms)")
        print(f"  {'-'.join(map(str, sizes)):<15} " + "   ".join(cells))


if __name__ == "__main__":
    main()
