"""Gradient descent against stochastic gradient descent, from one starting network.

The article's last section: averaging every training example's nudges before each step
(gradient descent) is careful and slow; stepping after each mini-batch of 10 (SGD) stumbles,
and gets further for the same work. A ``Race`` runs both side by side, a step of one lane at a
time, and records for each lane what a plot needs: examples processed, seconds of its own
computing, the cost on one fixed sample of training examples (the valley's sample,
``valley.training_sample``), and parameter checkpoints in a RunHistory (positions in epochs, as
in a run's record), so that the valley view can project both paths onto one plane
(``valley_planes.shared_plane(race.lanes[0].history, race.lanes[1].history)``).

``Race.steps()`` is an iterator, as ``Trainer.events()`` is: a window or a worker runs it,
stops iterating to pause, and calls it again to go on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Iterator, NamedTuple

from .data import Dataset, Split
from .history import RunHistory
from .network import Network
from .options import default_options
from .training import BatchDone, Trainer
from .valley import SAMPLE_SIZE, training_sample

#: The cost is measured every this share of an epoch of examples processed (and after every step
#: of a lane whose steps are larger: gradient descent's, an epoch each).
MEASURES_PER_EPOCH = 20
#: SGD's mini-batch, as in the article.
SGD_BATCH_SIZE = 10
#: Gradient descent's η as a multiple of SGD's, per hidden activation (others: 3). SGD's η is
#: bounded by the noise of its gradients (an average of 10 examples' nudges points only roughly
#: downhill, and a long step in a rough direction climbs); the full average has no noise, so
#: only the valley's curvature bounds the step, and a larger η pays off. Each factor gave the
#: lowest cost after 3 and after 10 steps on MNIST from seed 0 among 1, 3, 10 and more
#: (docs/recipe.md has the figures).
GRADIENT_DESCENT_FACTORS = {"sigmoid": 3.0, "tanh": 3.0, "relu": 10.0}


class RaceStep(NamedTuple):
    """A lane took a step: ``lane`` indexes ``Race.lanes``; ``examples`` and ``seconds`` are the
    lane's totals so far; ``cost`` is the cost on the sample when it was measured after this
    step (None otherwise)."""

    lane: int
    examples: int
    seconds: float
    cost: float | None


@dataclass(eq=False)
class Lane:
    """One way down: its settings, its trainer and what it recorded.

    ``measured_examples``, ``measured_seconds`` and ``measured_costs`` are parallel lists, one
    entry per measurement, the first at the start (0 examples, 0 seconds). ``history`` holds a
    checkpoint at every measurement and the measured cost as its cost curve, at positions in
    epochs (examples processed / training examples).
    """

    name: str
    batch_size: int
    learning_rate: float
    network: Network
    trainer: Trainer
    examples: int = 0
    seconds: float = 0.0
    measured_examples: list[int] = field(default_factory=list)
    measured_seconds: list[float] = field(default_factory=list)
    measured_costs: list[float] = field(default_factory=list)
    history: RunHistory = field(default_factory=RunHistory)


class Race:
    """Gradient descent (mini-batches of the whole training set) and SGD (mini-batches of
    SGD_BATCH_SIZE) from copies of ``network``, until each lane has processed ``examples``
    training examples or spent ``seconds`` of its own computing (give one of the two).

    The lane that is behind (in examples, or in seconds for a budget of seconds) steps next, so
    that the two advance together. η defaults to the network's SGD default
    (``default_options``) and GRADIENT_DESCENT_FACTORS times that for gradient descent. Neither
    lane uses momentum, weight decay or a schedule: the article's plain steps. ``seed`` fixes
    SGD's shuffles and the sample, so that a race repeats exactly but for the seconds.
    """

    def __init__(
        self,
        network: Network,
        dataset: Dataset,
        *,
        examples: int | None = None,
        seconds: float | None = None,
        seed: int = 0,
        sgd_learning_rate: float | None = None,
        gradient_descent_learning_rate: float | None = None,
        sample_size: int = SAMPLE_SIZE,
    ):
        if (examples is None) == (seconds is None):
            raise ValueError("a race needs a budget of examples or of seconds (one of the two)")
        if (examples is not None and examples < 1) or (seconds is not None and not seconds > 0):
            raise ValueError(f"the race's budget must be positive, not {examples if seconds is None else seconds!r}")
        n = len(dataset.train)
        self.dataset = dataset
        self.budget_examples = examples
        self.budget_seconds = seconds
        sgd_rate = sgd_learning_rate if sgd_learning_rate is not None else \
            default_options(network.activation.name, network.cost.name).learning_rate
        descent_rate = gradient_descent_learning_rate if gradient_descent_learning_rate is not None else \
            GRADIENT_DESCENT_FACTORS.get(network.activation.name, 3.0) * sgd_rate
        # The valley's own sample for the same seed: the lanes' measured costs are the heights
        # its surface has at their checkpoints.
        self.sample_inputs, self.sample_labels = training_sample(dataset.train, sample_size, seed, network.dtype)
        self.measure_every = max(1, n // MEASURES_PER_EPOCH)
        # The lanes' trainers see no validation set: the end of an epoch is no moment to stop
        # and evaluate in a race (it would cost gradient descent a fifth of its every step).
        quiet = replace(dataset, validation=_empty(dataset.validation), test=_empty(dataset.test))
        self.lanes: tuple[Lane, Lane] = tuple(
            self._lane(name, network.copy(), quiet, batch_size, rate, seed)
            for name, batch_size, rate in (("gradient descent", n, descent_rate), ("SGD", SGD_BATCH_SIZE, sgd_rate))
        )
        self._stream: Iterator[RaceStep] | None = None

    def _lane(self, name, network, dataset, batch_size, learning_rate, seed) -> Lane:
        trainer = Trainer(network, dataset, batch_size=batch_size, learning_rate=learning_rate, seed=seed,
                          evaluate_test=False)
        lane = Lane(name, batch_size, learning_rate, network, trainer)
        self._measure(lane)
        return lane

    # -- running ----------------------------------------------------------------------------------

    @property
    def done(self) -> bool:
        return all(self._finished(lane) for lane in self.lanes)

    def steps(self) -> Iterator[RaceStep]:
        """A RaceStep after every step of either lane, until both have spent their budget.

        Stop by no longer iterating; calling ``steps()`` again goes on where it stopped.
        """
        if self._stream is None:
            self._stream = self._run()
        return self._stream

    def run(self) -> Race:
        """Run the race to its end; returns the race."""
        for _ in self.steps():
            pass
        return self

    def _run(self) -> Iterator[RaceStep]:
        while True:
            running = [lane for lane in self.lanes if not self._finished(lane)]
            if not running:
                return
            lane = min(running, key=self._progress)  # the first (gradient descent) on a tie
            yield self._step(self.lanes.index(lane))

    def _progress(self, lane: Lane) -> float:
        return lane.examples if self.budget_seconds is None else lane.seconds

    def _finished(self, lane: Lane) -> bool:
        if self.budget_seconds is None:
            return lane.examples >= self.budget_examples
        return lane.seconds >= self.budget_seconds

    def _step(self, index: int) -> RaceStep:
        lane = self.lanes[index]
        events = lane.trainer.events()
        while True:
            # Only the calls that end in a step count as the lane's time: an epoch's end is
            # bookkeeping that the race has no use for.
            started = time.perf_counter()
            event = next(events)
            if isinstance(event, BatchDone):
                lane.seconds += time.perf_counter() - started
                break
        before = lane.examples // self.measure_every
        lane.examples = (event.epoch - 1) * len(self.dataset.train) + event.examples_seen
        cost = None
        if lane.examples // self.measure_every > before or self._finished(lane):
            cost = self._measure(lane)
        return RaceStep(index, lane.examples, lane.seconds, cost)

    def _measure(self, lane: Lane) -> float:
        cost = lane.network.cost_of(self.sample_inputs, self.sample_labels)
        position = lane.examples / len(self.dataset.train)
        lane.measured_examples.append(lane.examples)
        lane.measured_seconds.append(lane.seconds)
        lane.measured_costs.append(cost)
        lane.history.record_checkpoint(position, lane.network.params)
        lane.history.record_cost(position, cost)
        return cost


def _empty(split: Split) -> Split:
    return Split(split.name, split.images[:0], split.labels[:0], split.image_shape)
