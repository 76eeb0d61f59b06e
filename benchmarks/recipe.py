"""Test accuracy of training recipes over several seeds.

    python benchmarks/recipe.py --defaults                    # each activation with its defaults, 3 and 30 epochs
    python benchmarks/recipe.py                               # `nnviz train`'s defaults, 30 epochs, seeds 0-4
    python benchmarks/recipe.py --jobs 2 -- --momentum 0.5    # anything after -- goes to `nnviz train`

``--defaults`` trains each hidden activation (``--activations``) with its own defaults
(``default_options``) in this process's workers, with a Trainer that evaluates only the
validation set as it goes, and prints one table: the test accuracy after 3 epochs and after 30
(or where the plateau schedule ended the run, with the epoch), the hidden neurons dead at the
end (never active on the training set), seed by seed and the mean. Without it, each seed is one
`nnviz train` in a process of its own: one row per seed (final and best test accuracy, final
validation accuracy, seconds) and the mean. The machine's other load changes the seconds, not
the accuracies: a seeded run repeats exactly.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

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


def run_defaults(activation: str, cost: str, seed: int, early: int, epochs: int) -> dict:
    """One seed of ``activation``'s defaults: test accuracy after ``early`` epochs and at the end."""
    import dataclasses

    from nnviz.core.data import load_dataset
    from nnviz.core.evaluation import accuracy, dead_neurons
    from nnviz.core.network import Network
    from nnviz.core.options import default_options
    from nnviz.core.training import Trainer

    started = time.perf_counter()
    dataset = load_dataset()
    options = dataclasses.replace(default_options(activation, cost), seed=seed)  # the shuffles' seed too, as --seed
    network = Network((dataset.n_inputs, 16, 16, dataset.n_classes), activation, cost, seed=seed)
    trainer = Trainer.from_options(network, dataset, options, evaluate_test=False)
    result = {"activation": activation, "seed": seed, "options": options}
    for epoch in range(1, epochs + 1):
        report = trainer.run_epoch()
        if epoch == early:
            result["early"] = 100 * accuracy(network, dataset.test)
        if report.schedule_ended:
            break
    result.update(end=100 * accuracy(network, dataset.test), ended=report.epoch,
                  dead=len(dead_neurons(network, dataset.train)), seconds=time.perf_counter() - started)
    return result


def defaults_table(activations: list[str], cost: str, seeds: list[int], early: int, epochs: int, jobs: int) -> None:
    print(f"each activation with its defaults (cost {cost}): test accuracy % after {early} and {epochs} epochs, "
          f"seeds {seeds[0]}-{seeds[-1]}, {jobs} at once", flush=True)
    runs = [(a, cost, s, early, epochs) for a in activations for s in seeds]
    # One BLAS thread a run, as in the app's training process: the runs fill the cores, and the
    # sums come in one order (with two threads a seeded run ends a few hundredths elsewhere).
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    with ProcessPoolExecutor(jobs) as pool:
        results = list(pool.map(run_defaults, *zip(*runs)))
    seed_columns = "  ".join(f"{s:>5}" for s in seeds)
    print(f"{'activation':<10} {'η':>5} {'λ':>4}  {'epochs':>6}  {seed_columns}   {'mean':>5}  {'dead':>5}  {'s':>4}")
    for activation in activations:
        rows = [r for r in results if r["activation"] == activation]
        options = rows[0]["options"]
        for label, key in ((str(early), "early"), (str(epochs), "end")):
            values = [r[key] for r in rows]
            # A run the schedule ended before the last epoch says where: "95.71@28".
            cells = "  ".join(f"{v:>5.2f}" + (f"@{r['ended']}" if key == "end" and r["ended"] < epochs else "")
                              for v, r in zip(values, rows))
            dead = sum(r["dead"] for r in rows) if key == "end" else ""
            seconds = f"{sum(r['seconds'] for r in rows) / len(rows):>4.0f}" if key == "end" else ""
            print(f"{activation:<10} {options.learning_rate:>5g} {options.weight_decay:>4g}  {label:>6}  {cells}   "
                  f"{sum(values) / len(values):>5.2f}  {dead!s:>5}  {seconds:>4}", flush=True)


def parse_seeds(text: str) -> list[int]:
    if "-" in text:
        low, high = map(int, text.split("-"))
        return list(range(low, high + 1))
    return [int(s) for s in text.split(",")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0-4", help="a range like 0-4 or a list like 0,2,5 (default: 0-4)")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2, help="runs at once (default: 2, one per core)")
    parser.add_argument("--defaults", action="store_true", help="each activation with its own defaults, in this process's workers")
    parser.add_argument("--activations", default="sigmoid,relu,tanh", help="with --defaults (default: sigmoid,relu,tanh)")
    parser.add_argument("--cost", default="mse", help="with --defaults (default: mse)")
    parser.add_argument("--early", type=int, default=3, help="with --defaults: the earlier epoch reported (default: 3)")
    parser.add_argument("train_args", nargs="*", help="more `nnviz train` options, after --")
    args = parser.parse_args()
    seeds = parse_seeds(args.seeds)
    if args.defaults:
        defaults_table(args.activations.split(","), args.cost, seeds, args.early, args.epochs, args.jobs)
        return
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
