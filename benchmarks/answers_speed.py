"""How long the Mistakes tab's answers take: a network's answer for each of the 10,000 test images.

    python -m benchmarks.answers_speed

For 784-16-16-10, 784-128-64-10 and 784-256-256-10 (seeded), one BLAS thread as in the compute
process: the median time of ``computations.answers`` (chunks of the lit pixels only,
``evaluation.pixel_chunks``) at the chunk size every evaluation uses and at others, against the
baseline of the same run: every pixel, the examples in their order, chunks of the same size (how
it was computed before). Then the longest chunk (how long a newer job may wait for this one to
stop), the average share of the pixels a chunk uses, and what cutting the test set into chunks
costs, once per split and process.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from nnviz.core.computations import answers  # noqa: E402
from nnviz.core.data import MAX_PIXEL, Split, load_dataset, pixels_with_255  # noqa: E402
from nnviz.core.evaluation import EVALUATION_CHUNK, pixel_chunks  # noqa: E402
from nnviz.core.kernel import Workspace  # noqa: E402
from nnviz.core.network import Network  # noqa: E402


def every_pixel(network: Network, split: Split, chunk: int) -> np.ndarray:
    """The baseline: answers from every pixel, ``chunk`` examples at a time in the split's order."""
    result = np.empty(len(split), np.int64)
    workspace = inputs = None
    for start in range(0, len(split), chunk):
        images = split.images[start : start + chunk]
        if workspace is None or workspace.m != len(images):
            workspace = Workspace(network, len(images), input_scale=MAX_PIXEL)
        inputs = pixels_with_255(images, network.dtype, inputs)
        workspace.forward(inputs[: len(images)])
        result[start : start + len(images)] = workspace.a[-1].argmax(axis=0)
    return result


def median_seconds(compute, repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        compute()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def lit_chunks(network: Network, split: Split, chunk: int) -> np.ndarray:
    *_, result = answers(network, split, chunk)
    return result


def longest_chunk(network: Network, split: Split, chunk: int) -> float:
    """The longest time between two yields of ``answers`` (the median over three passes)."""
    longest = []
    for _ in range(3):
        gaps, last = [], time.perf_counter()
        for _ in answers(network, split, chunk):
            now = time.perf_counter()
            gaps.append(now - last)
            last = now
        longest.append(max(gaps))
    return float(np.median(longest))


def main() -> None:
    split = load_dataset().split("test")
    chunks = (250, EVALUATION_CHUNK, 1000, 2000)
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
              + f"   longest chunk of {EVALUATION_CHUNK}: {longest_chunk(network, split, EVALUATION_CHUNK) * 1e3:4.1f} ms")
    pixels = split.images.shape[1]
    for chunk in chunks:
        share = np.mean([len(part.columns) - 1 for part in pixel_chunks(split, chunk)]) / pixels
        print(f"  chunks of {chunk:>5}: {share:.0%} of the {pixels} pixels on average; cut in {cutting[chunk] * 1e3:5.1f} ms, "
              f"once per split and process")


if __name__ == "__main__":
    main()
