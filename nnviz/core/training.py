"""Mini-batch stochastic gradient descent, one mini-batch at a time.

Each epoch shuffles the training set, cuts it into mini-batches, and for each one computes the
gradient of the mean cost by backpropagation and steps against it:

    W ← W - η · (1/m) Σ_x ∂C_x/∂W        b ← b - η · (1/m) Σ_x ∂C_x/∂b

``Trainer.events()`` is an iterator that yields after every mini-batch, so a caller (the command
line's progress bar, the app's worker thread) can stop, pause or change η between any two.
"""

from __future__ import annotations

import contextvars
import math
import time
from dataclasses import dataclass
from typing import Iterator, NamedTuple

import numpy as np

from .data import MAX_PIXEL, Dataset, pixels_with_255
from .errors import TrainingDiverged
from .evaluation import accuracy
from .network import Network, Workspace

#: About this many examples are converted from uint8 at once: one NumPy call instead of one per
#: mini-batch, in a buffer small enough (~3 MB) to stay in cache.
CHUNK_EXAMPLES = 1024

# The video's cost Σ(a - y)² has no ½, so this is Nielsen's η = 2.0. Measured with the default
# network, mini-batches of 10 and 30 epochs, halving η after 2 epochs without a better validation
# accuracy (PlateauSchedule, `nnviz train`'s default): 95.25% test accuracy with seed 0, 94.5-95.2%
# with seeds 1-3. Constant rates of 0.25, 0.5 and 1.0 end at 94.5-94.8%.
DEFAULT_LEARNING_RATE = 1.0
DEFAULT_BATCH_SIZE = 10


class BatchDone(NamedTuple):
    """One mini-batch was learned from. ``epoch`` counts from 1; ``batch`` from 1 within it.

    A NamedTuple rather than a dataclass: one is made per mini-batch, and it is 3x cheaper.
    """

    epoch: int
    batch: int
    batches_per_epoch: int
    examples_seen: int
    cost: float
    running_cost: float


@dataclass(frozen=True)
class EpochDone:
    """An epoch ended: ``training_cost`` is the mean of its mini-batch costs."""

    epoch: int
    training_cost: float
    validation_accuracy: float
    test_accuracy: float | None
    seconds: float


class Trainer:
    """Trains ``network`` in place on ``dataset.train``.

    ``learning_rate``, ``batch_size`` and ``momentum`` may be changed between mini-batches.
    ``seed`` fixes the shuffles, so a seeded network and trainer repeat a run exactly.
    """

    def __init__(
        self,
        network: Network,
        dataset: Dataset,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        learning_rate: float = DEFAULT_LEARNING_RATE,
        momentum: float = 0.0,
        seed: int | None = 0,
        evaluate_test: bool = True,
    ):
        if network.sizes[0] != dataset.n_inputs or network.sizes[-1] != dataset.n_classes:
            raise ValueError(
                f"a {network.sizes[0]}-input, {network.sizes[-1]}-output network cannot learn "
                f"{dataset.name}'s {dataset.n_inputs}-pixel images of {dataset.n_classes} classes"
            )
        self.network = network
        self.dataset = dataset
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.evaluate_test = evaluate_test
        self.epochs_done = 0
        self._rng = np.random.default_rng(seed)
        self._velocity = np.zeros_like(network.params)
        self._classes = np.arange(dataset.n_classes).reshape(1, -1, 1)
        self._workspaces: dict[int, Workspace] = {}
        self._chunk = np.empty((CHUNK_EXAMPLES, dataset.n_inputs + 1), network.dtype)
        # -η/m as a 0-d array, made again only when η or the mini-batch size changes.
        self._scale_for: tuple[float, int] | None = None
        self._scale: np.ndarray | None = None
        self._stream: Iterator[BatchDone | EpochDone] | None = None

    def events(self) -> Iterator[BatchDone | EpochDone]:
        """Train indefinitely: a BatchDone after every mini-batch, an EpochDone after each epoch.

        Stop by no longer iterating; calling ``events()`` again resumes where it stopped.
        Raises TrainingDiverged, with the network restored to the state before the step that
        broke it, if the cost or a parameter stops being finite; the next ``events()`` then
        starts a fresh epoch.
        """
        if self._stream is None:
            self._stream = _QuietIterator(self._forever())
        return self._stream

    def _forever(self) -> Iterator[BatchDone | EpochDone]:
        while True:
            yield from self._epoch()

    def run_batches(self, n: int) -> list[BatchDone | EpochDone]:
        """Learn from the next ``n`` mini-batches (crossing into the next epoch if need be)."""
        events, batches = [], 0
        if n < 1:
            return events
        for event in self.events():
            events.append(event)
            if isinstance(event, BatchDone):
                batches += 1
                if batches == n:
                    break
        return events

    def run_epoch(self) -> EpochDone:
        """Finish the current epoch (or run a whole one) and return its report."""
        for event in self.events():
            if isinstance(event, EpochDone):
                return event
        raise AssertionError("unreachable: events() never ends")

    def evaluate(self) -> tuple[float, float | None]:
        """Validation accuracy and (if ``evaluate_test``) test accuracy of the network now."""
        validation = accuracy(self.network, self.dataset.validation)
        test = accuracy(self.network, self.dataset.test) if self.evaluate_test else None
        return validation, test

    # -- the loop ---------------------------------------------------------------------------

    def _epoch(self) -> Iterator[BatchDone | EpochDone]:
        start_time = time.perf_counter()
        n = len(self.dataset.train)
        batch_number = examples_seen = 0
        cost_total = 0.0
        for x1, y in self._mini_batches(self._rng.permutation(n)):
            cost = self._step(x1, y)
            examples_seen += len(x1)
            batch_number += 1
            cost_total += cost
            yield BatchDone(
                self.epochs_done + 1,
                batch_number,
                batch_number + -(-(n - examples_seen) // self.batch_size),
                examples_seen,
                cost,
                cost_total / batch_number,
            )
        self.epochs_done += 1
        validation, test = self.evaluate()
        yield EpochDone(
            epoch=self.epochs_done,
            training_cost=cost_total / max(batch_number, 1),
            validation_accuracy=validation,
            test_accuracy=test,
            seconds=time.perf_counter() - start_time,
        )

    def _mini_batches(self, order: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The training examples in ``order``, a mini-batch at a time, as a Workspace takes them.

        Each is (the pixel values of each example followed by 255, which is 255 · [x, 1], and the
        targets with one column per example). About CHUNK_EXAMPLES examples are prepared at once,
        in whole mini-batches, so that converting and arranging them is a few NumPy calls per
        thousand examples rather than per mini-batch. ``batch_size`` is read again after every
        mini-batch: a change applies to the next one.
        """
        train = self.dataset.train
        position = 0
        while position < len(order):
            m = min(self.batch_size, len(order) - position)
            count = min(max(1, CHUNK_EXAMPLES // m), (len(order) - position) // m)
            index = order[position : position + count * m]
            self._chunk = x1 = pixels_with_255(train.images.take(index, axis=0), self.network.dtype, self._chunk)
            # One-hot targets, (count, classes, m): a contiguous block per mini-batch, a column per example.
            y = np.equal(train.labels[index].reshape(count, 1, m), self._classes).astype(self.network.dtype)
            for b in range(count):
                yield x1[b * m : (b + 1) * m], y[b]
                position += m
                if self.batch_size != m:
                    break

    def _step(self, x1: np.ndarray, y: np.ndarray) -> float:
        """One gradient step on a mini-batch; returns the mini-batch's mean cost before it."""
        m = len(x1)
        workspace = self._workspaces.get(m)
        if workspace is None:
            if len(self._workspaces) >= 2:
                # Two serve a run (the batch size and the epoch's shorter last batch); forget older
                # sizes, so that trying big batch sizes one after another does not hoard memory.
                self._workspaces.clear()
            workspace = self._workspaces[m] = Workspace(self.network, m, input_scale=MAX_PIXEL)
        if self._scale_for != (self.learning_rate, m):
            self._scale_for = (self.learning_rate, m)
            self._scale = np.array(-self.learning_rate / m, self.network.dtype)
        workspace.forward(x1)
        cost = workspace.backward(y, self._scale) / m
        step = workspace.gradient  # -η/m Σ_x ∇C_x
        # The step is checked before it is taken, so the network stays at its last finite
        # state. Σ step² is NaN or infinite if any component is (or passes ±1.8e19, which is
        # divergence too); finite steps cannot make finite parameters infinite in practice.
        if not (math.isfinite(cost) and math.isfinite(step.dot(step))):
            self._diverged("the cost" if not math.isfinite(cost) else "the gradient")
        params = self.network.params
        if self.momentum:
            np.multiply(self._velocity, self.momentum, self._velocity)
            np.add(self._velocity, step, self._velocity)
            np.add(params, self._velocity, params)
        else:
            np.add(params, step, params)
        return cost

    def _diverged(self, what: str):
        self._velocity[:] = 0
        self._stream = None
        raise TrainingDiverged(
            f"Training diverged: {what} became infinite or NaN in epoch {self.epochs_done + 1} "
            f"with learning rate {self.learning_rate:g}. The network is back at its last finite "
            f"state; try a smaller learning rate."
        )


class _QuietIterator:
    """Runs ``generator`` in a context of its own, in which NumPy does not warn of overflow or
    invalid values.

    A diverging run overflows before the trainer's check stops it with TrainingDiverged, which
    says what happened in words; NumPy's warnings would only be noise. ``np.errstate`` around
    every step cost ~1 µs (4% of a step at mini-batch 10, measured), and one around the whole
    loop would reach past each ``yield`` into the caller's code. A ``contextvars.Context`` that
    only the generator runs in does neither: NumPy keeps its error settings in a context variable.
    """

    def __init__(self, generator: Iterator):
        self._generator = generator
        self._context = contextvars.copy_context()
        self._context.run(np.seterr, over="ignore", invalid="ignore")

    def __iter__(self) -> _QuietIterator:
        return self

    def __next__(self):
        return self._context.run(next, self._generator)


class PlateauSchedule:
    """Halve η whenever validation accuracy has not improved for ``patience`` epochs.

    Nielsen's suggestion (chapter 3): keep η while the network still improves on held-out
    data, then take smaller steps to settle into the minimum instead of bouncing around it.
    """

    def __init__(self, patience: int = 2, factor: float = 0.5):
        self.patience = patience
        self.factor = factor
        self.best = -1.0
        self.epochs_without_improvement = 0

    def update(self, trainer: Trainer, report: EpochDone) -> float:
        """Adjust ``trainer.learning_rate`` after ``report``; returns the new η."""
        if report.validation_accuracy > self.best:
            self.best = report.validation_accuracy
            self.epochs_without_improvement = 0
        else:
            self.epochs_without_improvement += 1
            if self.epochs_without_improvement >= self.patience:
                trainer.learning_rate *= self.factor
                self.epochs_without_improvement = 0
        return trainer.learning_rate
