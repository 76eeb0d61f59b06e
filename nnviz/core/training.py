"""Mini-batch stochastic gradient descent, one mini-batch at a time.

Each epoch shuffles the training set, cuts it into mini-batches, and for each one computes the
gradient of the mean cost by backpropagation and steps against it:

    W ← W - η · (1/m) Σ_x ∂C_x/∂W        b ← b - η · (1/m) Σ_x ∂C_x/∂b

``Trainer.events()`` is an iterator that yields after every mini-batch, so a caller (the command
line's progress bar, the app's worker thread) can stop, pause or change η between any two.
"""

from __future__ import annotations

import dataclasses
import math
import time
from typing import Iterator

import numpy as np

from .data import MAX_PIXEL, Dataset, pixels_with_255
from .errors import TrainingDiverged
from .evaluation import accuracy
from .events import BatchDone, EpochDone  # noqa: F401  (imported from here by their users)
from .formatting import learning_rate_text
from .history import COST_POINT_BATCHES, EpochRecord, RunHistory, checkpoint_batches
from .kernel import QuietIterator, Workspace
from .network import Network
from .options import (  # noqa: F401  (the run's settings are imported from here by their users)
    DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS, DEFAULT_HALVE_AFTER, DEFAULT_LEARNING_RATE, DEFAULT_MOMENTUM, DEFAULT_SEED,
    DEFAULT_WEIGHT_DECAY, TrainerState, TrainingOptions,
)
from .schedule import FLOOR_FRACTION, PlateauSchedule  # noqa: F401  (imported from here by its users too)

#: About this many examples are converted from uint8 at once: one NumPy call instead of one per
#: mini-batch, in a buffer small enough (~3 MB) to stay in cache.
CHUNK_EXAMPLES = 1024


class Trainer:
    """Trains ``network`` in place on ``dataset.train``, recording the run in ``history``.

    ``learning_rate``, ``batch_size`` and ``momentum`` may be changed between mini-batches.
    ``seed`` fixes the shuffles, so a seeded network and trainer repeat a run exactly.
    ``halve_after`` > 0 halves η after that many epochs without a better validation accuracy
    (PlateauSchedule), down to 1/128 of the η the trainer was made with, where the EpochDone
    says that the run is over (``schedule_ended``); ``weight_decay`` is L2 regularisation (see
    TrainingOptions).
    ``Trainer.from_options`` builds one from a TrainingOptions; ``state()`` and ``resume``
    continue a run exactly, in this process or after a file round trip.
    """

    def __init__(
        self,
        network: Network,
        dataset: Dataset,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        learning_rate: float = DEFAULT_LEARNING_RATE,
        momentum: float = DEFAULT_MOMENTUM,
        seed: int | None = DEFAULT_SEED,
        halve_after: int = 0,
        weight_decay: float = 0.0,
        evaluate_test: bool = True,
        history: RunHistory | None = None,
        mask: np.ndarray | None = None,
    ):
        misfit = dataset.misfit(network.sizes)
        if misfit:
            raise ValueError(misfit)
        if mask is not None and np.shape(mask) != network.params.shape:
            raise ValueError(f"the mask has shape {np.shape(mask)}, not the parameters' {network.params.shape}")
        #: 0/1 laid out as ``network.params``: after every step the parameters and the velocity are
        #: multiplied by it, so that what it holds at 0 (a switched-off neuron's weights) stays 0.
        self.mask = None if mask is None else np.asarray(mask, network.dtype)
        self.network = network
        self.dataset = dataset
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.evaluate_test = evaluate_test
        self.epochs_done = 0
        self.schedule = PlateauSchedule(halve_after, learning_rate * FLOOR_FRACTION) if halve_after > 0 else None
        self.history = history if history is not None else RunHistory()
        self._rng = np.random.default_rng(seed)
        self._epoch_rng_state = self._rng.bit_generator.state
        self._velocity = np.zeros_like(network.params)
        self._classes = np.arange(dataset.n_classes).reshape(1, -1, 1)
        self._workspaces: dict[int, Workspace] = {}
        self._chunk = np.empty((CHUNK_EXAMPLES, dataset.n_inputs + 1), network.dtype)
        # A mini-batch larger than CHUNK_EXAMPLES comes in pieces: its step summed so far, and its cost.
        self._piece_step: np.ndarray | None = None
        self._piece_examples = 0
        self._piece_cost = 0.0
        # -η/m as a 0-d array, made again only when η or the mini-batch size changes.
        self._scale_for: tuple[float, int] | None = None
        self._scale: np.ndarray | None = None
        self._decay: np.ndarray | None = None
        self._stream: Iterator[BatchDone | EpochDone] | None = None
        self._order = np.arange(0)  # the current epoch's shuffle of the training set
        # Where the current epoch stands (kept here, not in the loop, so that state() sees it).
        self._epoch_examples = self._epoch_batches = 0
        self._epoch_cost_total = 0.0
        self._block_batches = 0
        self._block_cost_total = 0.0
        # η as the history last noted it: a difference at the next step is a change to record.
        self._recorded_learning_rate = learning_rate
        if history is not None and len(history):
            self.epochs_done = int(math.floor(history.end))
            self._epoch_examples = round((history.end - self.epochs_done) * len(dataset.train))
            self._recorded_learning_rate = history.learning_rate_at(history.end, learning_rate)
        else:
            self.history.record_checkpoint(0.0, network.params)

    @classmethod
    def from_options(cls, network: Network, dataset: Dataset, options: TrainingOptions, **kwargs) -> Trainer:
        """A trainer for a run with ``options`` (``kwargs``: ``evaluate_test``, ``history``)."""
        return cls(
            network, dataset, batch_size=options.batch_size, learning_rate=options.learning_rate,
            momentum=options.momentum, seed=options.seed, halve_after=options.halve_after,
            weight_decay=options.weight_decay, **kwargs,
        )

    @classmethod
    def resume(
        cls, network: Network, dataset: Dataset, options: TrainingOptions, state: TrainerState,
        history: RunHistory, **kwargs,
    ) -> Trainer:
        """Continue the run that ``state`` (from ``state()``) and ``history`` describe, with
        ``network`` as it was then: the next mini-batches, η, velocity and schedule are the ones
        the original trainer would have used."""
        trainer = cls.from_options(network, dataset, options, history=history, **kwargs)
        trainer.learning_rate = state.learning_rate
        trainer._recorded_learning_rate = state.learning_rate
        trainer.batch_size = state.batch_size
        trainer.momentum = state.momentum
        trainer.epochs_done = state.epochs_done
        try:
            trainer._rng.bit_generator.state = state.rng_state
        except (TypeError, ValueError, KeyError) as error:
            raise ValueError(f"the saved random generator state cannot be restored ({error})") from None
        trainer._epoch_rng_state = trainer._rng.bit_generator.state
        if not 0 <= state.epoch_examples <= len(dataset.train):
            raise ValueError(f"the saved run stopped {state.epoch_examples:,} examples into an epoch of {len(dataset.train):,}")
        trainer._epoch_examples = state.epoch_examples
        trainer._epoch_batches = state.epoch_batches
        trainer._epoch_cost_total = state.epoch_cost_total
        trainer._block_batches = state.block_batches
        trainer._block_cost_total = state.block_cost_total
        if trainer.schedule is not None:
            trainer.schedule.best = state.schedule_best
            trainer.schedule.epochs_without_improvement = state.schedule_wait
        if state.velocity is not None:
            if state.velocity.shape != network.params.shape:
                raise ValueError(f"the saved velocity has shape {state.velocity.shape}, not {network.params.shape}")
            trainer._velocity[:] = state.velocity
        return trainer

    def state(self) -> TrainerState:
        """What continuing this run exactly needs besides the network and ``history``."""
        return TrainerState(
            epochs_done=self.epochs_done,
            learning_rate=float(self.learning_rate),
            batch_size=int(self.batch_size),
            momentum=float(self.momentum),
            rng_state=self._epoch_rng_state if self._epoch_examples else self._rng.bit_generator.state,
            epoch_examples=self._epoch_examples,
            epoch_batches=self._epoch_batches,
            epoch_cost_total=self._epoch_cost_total,
            block_batches=self._block_batches,
            block_cost_total=self._block_cost_total,
            schedule_best=self.schedule.best if self.schedule else -1.0,
            schedule_wait=self.schedule.epochs_without_improvement if self.schedule else 0,
            velocity=self._velocity.copy(),
        )

    @property
    def position(self) -> float:
        """Where the run stands on the history's time axis."""
        return self.epochs_done + self._epoch_examples / max(len(self.dataset.train), 1)

    def events(self) -> Iterator[BatchDone | EpochDone]:
        """Train indefinitely: a BatchDone after every mini-batch, an EpochDone after each epoch.

        Stop by no longer iterating; calling ``events()`` again resumes where it stopped.
        Raises TrainingDiverged, with the network restored to the state before the step that
        broke it, if the cost or a parameter stops being finite; the next ``events()`` then
        starts the epoch afresh (the history forgets the broken epoch's part).
        """
        if self._stream is None:
            self._stream = QuietIterator(self._forever())
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

    def batch_indices(self, event: BatchDone) -> np.ndarray:
        """The indices into ``dataset.train`` of the examples of the mini-batch that ``event``
        reports, in the order learned from: valid for the latest BatchDone (until the next
        epoch's shuffle)."""
        return self._order[event.examples_seen - event.size : event.examples_seen].copy()

    def evaluate(self) -> tuple[float, float | None]:
        """Validation accuracy and (if ``evaluate_test``) test accuracy of the network now."""
        validation = accuracy(self.network, self.dataset.validation)
        test = accuracy(self.network, self.dataset.test) if self.evaluate_test else None
        return validation, test

    # -- the loop ---------------------------------------------------------------------------

    def _epoch(self) -> Iterator[BatchDone | EpochDone]:
        start_time = time.perf_counter()
        n = len(self.dataset.train)
        history = self.history
        self._epoch_rng_state = self._rng.bit_generator.state
        self._order = order = self._rng.permutation(n)
        epoch = self.epochs_done + 1
        start = self._epoch_examples
        # Checkpoints come after fixed mini-batch numbers, counted with the size at the epoch's start.
        per_epoch = -(-n // self.batch_size)
        pending = [k for k in checkpoint_batches(epoch, per_epoch) if k > self._epoch_batches]
        next_checkpoint = pending.pop(0) if pending else -1
        for x1, y, m in self._mini_batches(order, start):
            cost = self._step(x1, y, m)
            if cost is None:
                continue  # a piece of a mini-batch larger than CHUNK_EXAMPLES: the step comes with its last
            self._epoch_examples += m
            self._epoch_batches += 1
            self._epoch_cost_total += cost
            batch_number = self._epoch_batches
            position = self.epochs_done + self._epoch_examples / n
            self._block_cost_total += cost
            self._block_batches += 1
            if self._block_batches == COST_POINT_BATCHES:
                history.record_cost(position, self._block_cost_total / COST_POINT_BATCHES)
                self._block_batches, self._block_cost_total = 0, 0.0
            if batch_number == next_checkpoint:
                if self._epoch_examples < n:
                    history.record_checkpoint(position, self.network.params)
                next_checkpoint = pending.pop(0) if pending else -1
            yield BatchDone(
                epoch,
                batch_number,
                batch_number + -(-(n - self._epoch_examples) // self.batch_size),
                self._epoch_examples,
                cost,
                self._epoch_cost_total / batch_number,
                position,
                m,
            )
        if self._block_batches:
            history.record_cost(float(epoch), self._block_cost_total / self._block_batches)
        training_cost = self._epoch_cost_total / max(self._epoch_batches, 1)
        self.epochs_done = epoch
        self._epoch_examples = self._epoch_batches = self._block_batches = 0
        self._epoch_cost_total = self._block_cost_total = 0.0
        validation, test = self.evaluate()
        learning_rate = self.learning_rate
        history.record_checkpoint(float(epoch), self.network.params)
        history.record_epoch(EpochRecord(epoch, training_cost, validation, test, learning_rate))
        report = EpochDone(
            epoch=epoch,
            training_cost=training_cost,
            validation_accuracy=validation,
            test_accuracy=test,
            seconds=time.perf_counter() - start_time,
            learning_rate=learning_rate,
        )
        if self.schedule is not None:
            self.learning_rate, ended = self.schedule.update(self.learning_rate, validation)
            if ended:
                report = dataclasses.replace(report, schedule_ended=True)
            self._note_learning_rate()
        yield report

    def _note_learning_rate(self) -> None:
        if self.learning_rate != self._recorded_learning_rate:
            self._recorded_learning_rate = self.learning_rate
            self.history.record_learning_rate(self.position, self.learning_rate)

    def _mini_batches(self, order: np.ndarray, position: int = 0) -> Iterator[tuple[np.ndarray, np.ndarray, int]]:
        """The training examples in ``order`` from ``position`` on, a mini-batch at a time, as a
        Workspace takes them: (x1, y, m).

        x1 holds the pixel values of each example followed by 255, which is 255 · [x, 1], y the
        targets with one column per example, and m the mini-batch's size. About CHUNK_EXAMPLES
        examples are prepared at once, in whole mini-batches, so that converting and arranging
        them is a few NumPy calls per thousand examples rather than per mini-batch. A mini-batch
        larger than that (up to the whole training set: gradient descent) comes in pieces of at
        most CHUNK_EXAMPLES, one after another, so that memory stays that of a chunk whatever
        the size (the whole set at once would be 157 MB of float32 pixels and as much again of
        activations). ``batch_size`` is read again after every mini-batch: a change applies to
        the next one.
        """
        while position < len(order):
            m = min(self.batch_size, len(order) - position)
            if m > CHUNK_EXAMPLES:
                pieces = -(-m // CHUNK_EXAMPLES)
                for index in np.array_split(order[position : position + m], pieces):
                    x1, y = self._examples(index, 1, len(index))
                    yield x1[: len(index)], y[0], m
                position += m
                continue
            count = min(max(1, CHUNK_EXAMPLES // m), (len(order) - position) // m)
            x1, y = self._examples(order[position : position + count * m], count, m)
            for b in range(count):
                yield x1[b * m : (b + 1) * m], y[b], m
                position += m
                if self.batch_size != m:
                    break

    def _examples(self, index: np.ndarray, count: int, m: int) -> tuple[np.ndarray, np.ndarray]:
        """Training examples ``index`` (count · m of them) as 255 · [x, 1] rows (in a buffer reused
        from call to call, which may hold more rows) and one-hot targets (count, classes, m): a
        contiguous block per mini-batch, a column per example."""
        train = self.dataset.train
        self._chunk = x1 = pixels_with_255(train.images.take(index, axis=0), self.network.dtype, self._chunk)
        y = np.equal(train.labels[index].reshape(count, 1, m), self._classes).astype(self.network.dtype)
        return x1, y

    def _step(self, x1: np.ndarray, y: np.ndarray, m: int) -> float | None:
        """One gradient step on a mini-batch of ``m`` examples; returns the mini-batch's mean cost
        before it. ``x1`` may be a piece of the mini-batch (see ``_mini_batches``): the gradient
        is then summed over its pieces and the step taken with the last (None before it)."""
        n = len(x1)
        workspace = self._workspaces.get(n)
        if workspace is None:
            if len(self._workspaces) >= 4:
                # Two serve a run (the batch size and the epoch's shorter last batch; four when a
                # mini-batch comes in pieces); forget older sizes, so that trying big batch sizes
                # one after another does not hoard memory.
                self._workspaces.clear()
            workspace = self._workspaces[n] = Workspace(self.network, n, input_scale=MAX_PIXEL)
        if self._scale_for != (self.learning_rate, m, self.weight_decay):
            self._scale_for = (self.learning_rate, m, self.weight_decay)
            self._scale = np.array(-self.learning_rate / m, self.network.dtype)
            shrink = self.learning_rate * self.weight_decay / len(self.dataset.train)
            self._decay = np.array(1 - shrink, self.network.dtype) if shrink else None
            self._note_learning_rate()
        workspace.forward(x1)
        cost = workspace.backward(y, self._scale)
        step = workspace.gradient  # -η/m Σ_x ∇C_x
        if n < m:
            if self._piece_examples:
                np.add(self._piece_step, step, self._piece_step)
                self._piece_cost += cost
            else:
                if self._piece_step is None:
                    self._piece_step = np.empty_like(step)
                self._piece_step[:] = step
                self._piece_cost = cost
            self._piece_examples += n
            if self._piece_examples < m:
                return None
            step, cost, self._piece_examples = self._piece_step, self._piece_cost, 0
        cost /= m
        # The step is checked before it is taken, so the network stays at its last finite
        # state. Σ step² is NaN or infinite if any component is (or passes ±1.8e19, which is
        # divergence too); finite steps cannot make finite parameters infinite in practice.
        if not (math.isfinite(cost) and math.isfinite(step.dot(step))):
            self._diverged("the cost" if not math.isfinite(cost) else "the gradient")
        params = self.network.params
        if self._decay is not None:
            # L2: the step of λ/(2n) Σw² is -η λ/n · w, taken as a shrink before the gradient's.
            np.multiply(params, self._decay, params)
        if self.momentum:
            np.multiply(self._velocity, self.momentum, self._velocity)
            np.add(self._velocity, step, self._velocity)
            np.add(params, self._velocity, params)
        else:
            np.add(params, step, params)
        if self.mask is not None:
            np.multiply(params, self.mask, params)
            np.multiply(self._velocity, self.mask, self._velocity)
        return cost

    def _diverged(self, what: str):
        self._velocity[:] = 0
        self._piece_examples = 0
        self._stream = None
        # The epoch starts again from its beginning: forget its broken part.
        self._epoch_examples = self._epoch_batches = self._block_batches = 0
        self._epoch_cost_total = self._block_cost_total = 0.0
        self.history = self.history.truncated_at(float(self.epochs_done))
        self._scale_for = None
        raise TrainingDiverged(
            f"Training diverged: {what} became infinite or NaN in epoch {self.epochs_done + 1} "
            f"with learning rate {learning_rate_text(self.learning_rate)}. The network is back at its last finite "
            f"state; try a smaller learning rate."
        )
