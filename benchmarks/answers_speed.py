"""How long the Mistakes tab's answers take: a network's answer for each of the 10,000 test images.

    python -m benchmarks.answers_speed

For 784-16-16-10, 784-128-64-10 and 784-256-256-10 (seeded), one BLAS thread as in the compute
process: the median time of ``computations.answers`` (chunks of the lit pixels only,
``evaluation.pixel_chunks``) at the chunk size every evaluation uses and at others, against the
baseline of the same run: every pixel, the examples in their order, chunks of the same size (how
it was computed before). Then the job's longest step (how long a newer job may wait for this one
to stop), the average share of the pixels a chunk uses, what cutting the test set into chunks
costs, and a compute process's first job, which cuts the split before it computes.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from nnviz.core.computations import answers  # noqa: E402
from nnviz.core.data import Split, load_dataset  # noqa: E402
from nnviz.core.evaluation import EVALUATION_CHUNK, answering, forward_in_order, pixel_chunks  # noqa: E402
from nnviz.core.network import Network  # noqa: E402


def every_pixel(network: Network, split: Split, chunk: int) -> np.ndarray:
    """The baseline: answers from every pixel, ``chunk`` examples at a time in the split's order."""
    result = np.empty(len(split), np.int64)
    start = 0
    for workspace in forward_in_order(network, split, chunk):
        result[start : start + workspace.m] = workspace.a[-1].argmax(axis=0)
        start += workspace.m
    return result


def median_seconds(compute, repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        compute()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def lit_chunks(network: Network, split: Split, chunk: int) -> np.ndarray:
    result = np.empty(len(split), np.int64)
    for _ in answering(network, split, result, chunk):
        pass
    return result


def longest_step(network: Network, split: Split) -> float:
    """The longest time between two yields of the Mistakes tab's job (the median over three passes)."""
    longest = []
    for _ in range(3):
        gaps, last = [], time.perf_counter()
        for _ in answers(network, split):
            now = time.perf_counter()
            gaps.append(now - last)
            last = now
        longest.append(max(gaps))
    return float(np.median(longest))


def first_job(split: Split) -> tuple[float, float]:
    """A compute process's first job on ``split`` (784-128-64-10), the split cut first: in all, and
    its longest step, in s."""
    network = Network((784, 128, 64, 10), seed=0)
    fresh = Split(split.name, split.images, split.labels, split.image_shape)
    gaps, start = [], time.perf_counter()
    last = start
    for _ in answers(network, fresh):
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    return last - start, max(gaps)


def main() -> None:
    split = load_dataset().split("test")
    chunks = (250, EVALUATION_CHUNK, 1000, 2000)
    first, first_step = first_job(split)
    cutting = {}
    for chunk in chunks:
        start = time.perf_counter()
        pixel_chunks(split, chunk)
        cutting[chunk] = time.perf_counter() - start
    print(f"answers for the {len(split):,} test images, one BLAS thread, medians; every evaluation's chunk is "
          f"{EVALUATION_CHUNK}; the baseline: every pixel, chunks of {EVALUATION_CHUNK} in the split's order")
    for sizes in ((784, 16, 16, 10), (784, 128, 64, 10), (784, 256, 256, 10)):
        network = Network(sizes, seed=0)
        assert (lit_chunks(network, split, EVALUATION_CHUNK) == every_pixel(network, split, EVALUATION_CHUNK)).all()
        baseline = median_seconds(lambda: every_pixel(network, split, EVALUATION_CHUNK))
        cells = [f"baseline {baseline * 1e3:5.1f} ms"]
        for chunk in chunks:
            took = median_seconds(lambda: lit_chunks(network, split, chunk))
            cells.append(f"{chunk:>5}: {took * 1e3:5.1f} ms ({took / baseline:.2f}x)")
        print(f"  {'-'.join(map(str, sizes)):<15} " + "   ".join(cells)
              + f"   the job's longest step: {longest_step(network, split) * 1e3:4.1f} ms")
    pixels = split.images.shape[1]
    for chunk in chunks:
        share = np.mean([len(part.columns) - 1 for part in pixel_chunks(split, chunk)]) / pixels
        print(f"  chunks of {chunk:>5}: {share:.0%} of the {pixels} pixels on average; cut in {cutting[chunk] * 1e3:5.1f} ms")
    print(f"  a compute process's first job (784-128-64-10), the test set cut first: {first * 1e3:5.1f} ms, "
          f"its longest step {first_step * 1e3:4.1f} ms")


if __name__ == "__main__":
    main()
