"""``nnviz eval``: a saved network's accuracy on a split, its confusion matrix, which neurons matter."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.errors import NnvizError


def add_parser(commands) -> None:
    evaluate = commands.add_parser("eval", help="test accuracy and confusion matrix of a saved network")
    evaluate.add_argument("file", type=Path)
    evaluate.add_argument("--data", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                       help="a dataset folder in MNIST's IDX layout")
    evaluate.add_argument("--split", choices=("test", "validation", "train"), default="test")
    evaluate.add_argument("--ablate", action="store_true",
                          help="also the accuracy with each hidden neuron switched off in turn, most needed first")
    evaluate.set_defaults(run=run)


def run(args) -> int:
    from ..core.data import load_dataset
    from ..core.evaluation import confusion_matrix, predictions
    from ..core.files import load_network

    network, metadata = load_network(args.file)
    dataset = load_dataset(args.data)
    misfit = dataset.misfit(network.sizes)
    if misfit:
        raise NnvizError(f"{args.file}: {misfit}")
    split = dataset.split(args.split)
    answers = predictions(network, split)
    matrix = confusion_matrix(split.labels, answers, dataset.n_classes)
    print(f"{args.split} accuracy on {dataset.name}: {(answers == split.labels).mean():.2%} "
          f"({int(matrix.trace()):,} of {len(split):,})")
    print("\nConfusion matrix (rows: true class, columns: the network's answer)")
    names = [name[:6] for name in dataset.class_names]
    width = max(6, len(str(matrix.max())) + 1, *(len(n) + 1 for n in names))
    print(" " * width + "".join(f"{n:>{width}}" for n in names))
    for name, row in zip(names, matrix):
        print(f"{name:>{width}}" + "".join(f"{count:>{width}}" for count in row))
    if args.ablate:
        _print_ablation(network, split, dataset.train)
    return 0


def _print_ablation(network, split, train) -> None:
    from ..core.edits import ablation_table
    from ..core.evaluation import dead_neurons
    from ..core.naming import shown

    table = ablation_table(network, split)
    dead = set(dead_neurons(network, train))
    print(f"\nWhich neurons matter: {split.name} accuracy with each hidden neuron switched off "
          f"(none off: {table.baseline:.2%}); dead: never active on the training set")
    print(f"{'layer':>5}  {'neuron':>6}  {'accuracy':>8}  {'change':>7}")
    for row in table.rows:
        mark = "  dead" if (row.layer, row.neuron) in dead else ""
        print(f"{row.layer:>5}  {shown(row.neuron):>6}  {row.accuracy:>8.2%}  {row.change * 100:>+6.2f}%{mark}")
