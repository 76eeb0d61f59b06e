"""Test accuracy of a training recipe over several seeds: `nnviz train` in parallel processes.

    python benchmarks/recipe.py                               # today's defaults, 30 epochs, seeds 0-4
    python benchmarks/recipe.py --jobs 2 -- --momentum 0.5    # anything after -- goes to `nnviz train`

Prints one row per seed (final and best test accuracy, final validation accuracy, seconds) and
the mean. The machine's other load changes the seconds, not the accuracies: a seeded run repeats
exactly.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

EPOCH_LINE = re.compile(r"epoch\s+(\d+)/\d+\s+cost (\S+)\s+validation (\S+)%\s+test (\S+)%")


def run(seed: int, epochs: int, extra: list[str]) -> dict:
    started = time.perf_counter()
    command = [sys.executable, "-m", "nnviz.cli", "train", "--quiet", "--epochs", str(epochs), "--seed", str(seed), *extra]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"seed {seed}: {' '.join(command)} failed:\n{result.stderr[-2000:]}")
    rows = [tuple(float(v) for v in m.groups()) for m in EPOCH_LINE.finditer(result.stdout)]
    return {
        "seed": seed,
        "test": rows[-1][3],
        "best_test": max(r[3] for r in rows),
        "validation": rows[-1][2],
        "seconds": time.perf_counter() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0-4", help="a range like 0-4 or a list like 0,2,5 (default: 0-4)")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2, help="runs at once (default: 2, one per core)")
    parser.add_argument("train_args", nargs="*", help="more `nnviz train` options, after --")
    args = parser.parse_args()
    if "-" in args.seeds:
        low, high = map(int, args.seeds.split("-"))
        seeds = list(range(low, high + 1))
    else:
        seeds = [int(s) for s in args.seeds.split(",")]
    print(f"nnviz train --epochs {args.epochs} {' '.join(args.train_args)}  (seeds {args.seeds}, {args.jobs} at once)", flush=True)
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda s: run(s, args.epochs, args.train_args), seeds))
    print(f"{'seed':>4}  {'test %':>7}  {'best %':>7}  {'valid %':>7}  {'s':>5}")
    for r in results:
        print(f"{r['seed']:>4}  {r['test']:>7.2f}  {r['best_test']:>7.2f}  {r['validation']:>7.2f}  {r['seconds']:>5.0f}")
    tests = [r["test"] for r in results]
    print(f"mean  {sum(tests) / len(tests):>7.2f}   min {min(tests):.2f}")


if __name__ == "__main__":
    main()
