"""How long a learner waits in the backpropagation lesson.

    python benchmarks/lesson_speed.py [--repeats 15]

Prints the median milliseconds (goal: every click answered within 100 ms) of:
- one forward pass of the 1,000-example sample, the baseline the other figures are a ratio of;
- a new lesson (the example's nudges, its step and the mini-batch's ten backprops);
- each page's title, text, picture and Wiggle it, read on a first visit with Ask me first on;
- a new target (everything computed again);
- Apply and Apply ×10 with ``continue_from`` (the sample's cost before and after included).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from edits_speed import median_ms  # beside this script
from nnviz.core.data import bundled_mnist_dir, load_dataset
from nnviz.core.files import load_network
from nnviz.lessons.lesson import Lesson, LessonExample
from nnviz.lessons.pages import Kind


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    network = load_network(bundled_mnist_dir() / "pretrained-784-16-16-10.npz")[0]
    dataset = load_dataset()
    example = LessonExample.from_split(dataset, "test", 1, network.dtype)

    def new():
        return Lesson(network, dataset, example, 1.0)

    lesson = new()
    x, labels = lesson.sample()
    baseline = median_ms(lambda: network.cost_of(x, labels), args.repeats)
    print(f"sample cost, 1,000 examples (baseline) {baseline:7.1f} ms")

    def walk():
        fresh = new()
        fresh.set_quiz(True)
        start = time.perf_counter()
        for i in range(len(fresh.pages)):
            fresh.go(i)
            fresh.title, fresh.text, fresh.picture, fresh.wiggle_text  # noqa: B018 (what a panel reads)
            if fresh.question is not None:
                fresh.answer(0)
                fresh.text, fresh.picture, fresh.wiggle_text  # noqa: B018 (and after the reveal)
        return (time.perf_counter() - start) * 1e3 / len(fresh.pages)

    rows = [("a new lesson", median_ms(new, args.repeats)),
            ("a page read, first visit, quiz on", float(np.median([walk() for _ in range(args.repeats)]))),
            ("a new target", median_ms(lambda: lesson.choose_target(7 if lesson.target != 7 else 3), args.repeats))]
    step = next(i for i, p in enumerate(lesson.pages) if p.kind is Kind.STEP)

    def apply(times: int) -> float:
        fresh = new()
        fresh.go(step)
        start = time.perf_counter()
        params = fresh.apply() if times == 1 else fresh.apply_repeatedly(times)
        stepped = network.copy()
        stepped.params[:] = params
        fresh.continue_from(stepped)
        return (time.perf_counter() - start) * 1e3

    rows += [("Apply + continue_from", float(np.median([apply(1) for _ in range(args.repeats)]))),
             ("Apply ×10 + continue_from", float(np.median([apply(10) for _ in range(args.repeats)])))]
    for name, ms in rows:
        print(f"{name:<38} {ms:7.1f} ms  {ms / baseline:5.1f}x baseline  goal <= 100 ms")


if __name__ == "__main__":
    main()
