"""How fast nnviz trains, against a plain NumPy loop and PyTorch measured in the same run.

    python benchmarks/train_speed.py [--epochs-to-95 40] [--repeats 3]

Prints seconds per epoch (50,000 MNIST images, training only, no evaluation) for mini-batches of
10, 32 and 128, the ratios to the references, and the seconds until the default network passes
95% test accuracy with `nnviz train`'s defaults.

The plain reference is the straightforward vectorised loop: for each mini-batch, one matrix-form
forward and backward pass over float32 arrays that are allocated afresh, as in Nielsen's
network.py with the per-example loop replaced by matrices.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from nnviz.core.data import load_dataset
from nnviz.core.network import Network
from nnviz.core.training import Trainer, TrainingOptions

SIZES = (784, 16, 16, 10)
LEARNING_RATE = 0.5


def nnviz_epoch(dataset, batch_size: int) -> float:
    trainer = Trainer(Network(SIZES, seed=0), dataset, batch_size=batch_size, learning_rate=LEARNING_RATE, seed=0)
    batches = -(-len(dataset.train) // batch_size)
    start = time.perf_counter()
    trainer.run_batches(batches)
    return time.perf_counter() - start


def plain_numpy_epoch(dataset, batch_size: int) -> float:
    rng = np.random.default_rng(0)
    network = Network(SIZES, seed=0)
    weights = [w.copy() for w in network.weights]
    biases = [b.copy() for b in network.biases]
    images, labels = dataset.train.images, dataset.train.labels
    eye = np.eye(10, dtype=np.float32)

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    start = time.perf_counter()
    order = rng.permutation(len(labels))
    for first in range(0, len(order), batch_size):
        index = order[first : first + batch_size]
        x = images[index].astype(np.float32) / np.float32(255)
        y = eye[labels[index]]
        activations, zs = [x], []
        for w, b in zip(weights, biases):
            zs.append(activations[-1] @ w.T + b)
            activations.append(sigmoid(zs[-1]))
        delta = 2 * (activations[-1] - y) * activations[-1] * (1 - activations[-1])
        step = np.float32(LEARNING_RATE / len(index))
        for l in range(len(weights) - 1, -1, -1):
            grad_w, grad_b = delta.T @ activations[l], delta.sum(axis=0)
            if l:
                delta = (delta @ weights[l]) * activations[l] * (1 - activations[l])
            weights[l] -= step * grad_w
            biases[l] -= step * grad_b
    return time.perf_counter() - start


def torch_epoch(dataset, batch_size: int) -> float | None:
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 16), torch.nn.Sigmoid(), torch.nn.Linear(16, 16), torch.nn.Sigmoid(),
        torch.nn.Linear(16, 10), torch.nn.Sigmoid(),
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    images = torch.from_numpy(dataset.train.images.copy())  # a writable copy, as torch wants
    targets = torch.eye(10)[torch.from_numpy(dataset.train.labels.astype(np.int64))]
    start = time.perf_counter()
    order = torch.randperm(len(images))
    for first in range(0, len(order), batch_size):
        index = order[first : first + batch_size]
        x = images[index].float() / 255
        loss = ((model(x) - targets[index]) ** 2).sum(dim=1).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start


def best_alternating(functions, dataset, batch_size, repeats) -> list[float]:
    """The best of ``repeats`` runs of each function, run in turn (A B A B ...), so that a change in
    the machine's speed during the benchmark affects them alike."""
    times = [[] for _ in functions]
    for _ in range(repeats):
        for function, runs in zip(functions, times):
            runs.append(function(dataset, batch_size))
    return [min(runs) for runs in times]


def seconds_to_95(dataset, max_epochs: int) -> tuple[float | None, int, float]:
    trainer = Trainer.from_options(Network(SIZES, seed=0), dataset, TrainingOptions())  # `nnviz train`'s recipe
    start = time.perf_counter()
    for _ in range(max_epochs):
        report = trainer.run_epoch()
        if report.test_accuracy >= 0.95:
            return time.perf_counter() - start, report.epoch, report.test_accuracy
    return None, max_epochs, report.test_accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="epochs timed per configuration; the best counts")
    parser.add_argument("--epochs-to-95", type=int, default=40, help="give up on 95%% after this many epochs")
    args = parser.parse_args()
    dataset = load_dataset()
    print(f"seconds per epoch of {len(dataset.train):,} images, best of {args.repeats}")
    print(f"{'batch':>6} {'nnviz':>8} {'plain':>8} {'torch':>8} {'nnviz/plain':>12} {'nnviz/torch':>12}")
    batch_sizes = (10, 32, 128)
    numpy_times = {size: best_alternating((nnviz_epoch, plain_numpy_epoch), dataset, size, args.repeats) for size in batch_sizes}
    # PyTorch goes last: after a run its thread pool keeps the second core busy for a while, which
    # slowed the next NumPy run by up to 5% when they were interleaved.
    for batch_size in batch_sizes:
        ours, plain = numpy_times[batch_size]
        torch_time = torch_epoch(dataset, batch_size) and min(torch_epoch(dataset, batch_size) for _ in range(args.repeats))
        torch_text = f"{torch_time:8.3f}" if torch_time else f"{'-':>8}"
        torch_ratio = f"{ours / torch_time:12.2f}" if torch_time else f"{'(no torch)':>12}"
        print(f"{batch_size:>6} {ours:8.3f} {plain:8.3f} {torch_text} {ours / plain:12.2f} {torch_ratio}", flush=True)
    seconds, epochs, accuracy = seconds_to_95(dataset, args.epochs_to_95)
    if seconds is None:
        print(f"95% test accuracy not reached in {epochs} epochs (reached {accuracy:.2%})")
    else:
        print(f"95% test accuracy after {epochs} epochs: {seconds:.1f} s including evaluation ({accuracy:.2%})")


if __name__ == "__main__":
    main()
