"""The settings of a training run and the state that continuing it exactly needs.

``TrainingOptions`` holds every setting as chosen at a run's start (the defaults are `nnviz
train`'s recipe); ``TrainerState`` what a Trainer knows beyond the network and the history.
Both turn into JSON-ready dicts for the network file and back, checked.
"""

from __future__ import annotations

import math
from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any

import numpy as np

# The video's cost Σ(a - y)² has no ½, so this is Nielsen's η = 2.0. Constant rates of 0.25, 0.5
# and 1.0 end 30 epochs at 94.5-94.8% test accuracy; halving η after 2 epochs without a better
# validation accuracy (PlateauSchedule) and L2 weight decay λ = 3 make `nnviz train`'s defaults,
# the recipe measured over seeds 0-4 in benchmarks/recipe.py (table in docs/recipe.md).
DEFAULT_LEARNING_RATE = 1.0
DEFAULT_BATCH_SIZE = 10
DEFAULT_MOMENTUM = 0.0
DEFAULT_EPOCHS = 30
DEFAULT_SEED = 0
#: Halve η after this many epochs without a better validation accuracy; 0 keeps η constant.
DEFAULT_HALVE_AFTER = 2
#: L2 regularisation λ of the default recipe: with it the same 30 epochs ended 0.5-1.1 points
#: higher on each of seeds 0-4 (smaller weights overfit less: Nielsen, chapter 3).
DEFAULT_WEIGHT_DECAY = 3.0

#: The settings that differ from the DEFAULT_* ones for a hidden activation and a cost: a
#: sigmoid's σ' ≤ 1/4 shrinks the gradient at every layer it passes back through, a ReLU's 1 and
#: tanh's up to 1 do not, so with the sigmoid's η their steps are several times longer: ReLU
#: with η = 1 overshoots and kills neurons (7 of its 32 dead after 3 epochs from seed 1). Each
#: entry had the best mean validation accuracy after 30 epochs in a small grid of η and λ (with
#: the plateau schedule); docs/recipe.md has the grid, and `python benchmarks/recipe.py
#: --defaults` prints what the defaults give on the test set.
RECIPES: dict[tuple[str, str], dict[str, float]] = {
    ("sigmoid", "mse"): {},
    ("relu", "mse"): {"learning_rate": 0.1, "weight_decay": 20.0},
    ("tanh", "mse"): {"learning_rate": 0.25, "weight_decay": 10.0},
    ("sigmoid", "cross-entropy"): {"learning_rate": 0.5},
    ("relu", "cross-entropy"): {"learning_rate": 0.05, "weight_decay": 10.0},
    ("tanh", "cross-entropy"): {"learning_rate": 0.25, "weight_decay": 10.0},
}


@dataclass(frozen=True)
class TrainingOptions:
    """Every setting of a run, as chosen at its start; the defaults are `nnviz train`'s recipe for
    the sigmoid under squared error (``default_options`` gives the one for any network).

    ``weight_decay`` λ is L2 regularisation: each step also shrinks every weight and bias by
    the factor (1 - η λ / n) (n training examples), Nielsen's rule for the cost + λ/(2n) Σw².
    A bare ``Trainer(...)`` is the article's plain SGD instead (no schedule, no decay).
    """

    learning_rate: float = DEFAULT_LEARNING_RATE
    batch_size: int = DEFAULT_BATCH_SIZE
    momentum: float = DEFAULT_MOMENTUM
    epochs: int = DEFAULT_EPOCHS
    seed: int = DEFAULT_SEED
    halve_after: int = DEFAULT_HALVE_AFTER
    weight_decay: float = DEFAULT_WEIGHT_DECAY

    def __post_init__(self):
        problems = []
        if not (isinstance(self.learning_rate, (int, float)) and 0 <= self.learning_rate < math.inf):
            problems.append(f"learning rate {self.learning_rate!r} is not a finite number >= 0")
        if not (isinstance(self.batch_size, int) and self.batch_size >= 1):
            problems.append(f"batch size {self.batch_size!r} is not a whole number >= 1")
        if not (isinstance(self.momentum, (int, float)) and 0 <= self.momentum < 1):
            problems.append(f"momentum {self.momentum!r} is not in [0, 1)")
        if not (isinstance(self.epochs, int) and self.epochs >= 0):
            problems.append(f"epochs {self.epochs!r} is not a whole number >= 0")
        if not isinstance(self.seed, int):
            problems.append(f"seed {self.seed!r} is not a whole number")
        if not (isinstance(self.halve_after, int) and self.halve_after >= 0):
            problems.append(f"halve_after {self.halve_after!r} is not a whole number >= 0")
        if not (isinstance(self.weight_decay, (int, float)) and 0 <= self.weight_decay < math.inf):
            problems.append(f"weight decay {self.weight_decay!r} is not a finite number >= 0")
        if problems:
            raise ValueError("; ".join(problems))

    def to_metadata(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_metadata(cls, metadata: dict[str, Any]) -> TrainingOptions:
        """The options among ``metadata``'s entries (others ignored, missing ones default);
        ValueError if one is invalid."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in metadata.items() if k in known}
        for name in ("batch_size", "epochs", "seed", "halve_after"):
            if isinstance(values.get(name), bool):
                raise ValueError(f"{name} {values[name]!r} is not a whole number")
        return cls(**values)


def default_options(activation: str = "sigmoid", cost: str = "mse") -> TrainingOptions:
    """`nnviz train`'s recipe for a network with hidden ``activation`` and ``cost``: the DEFAULT_*
    settings with the RECIPES entry for the pair (unknown pairs get the DEFAULT_* ones)."""
    return TrainingOptions(**RECIPES.get((activation, cost), {}))


@dataclass(frozen=True)
class TrainerState:
    """Everything beyond the network and the history that continuing a run exactly needs.

    ``rng_state`` is the shuffling generator's state before it drew the current epoch's
    permutation, so that a run stopped mid-epoch draws the same permutation again and skips the
    ``epoch_examples`` already learned from.
    """

    epochs_done: int
    learning_rate: float
    batch_size: int
    momentum: float
    rng_state: dict
    epoch_examples: int = 0
    epoch_batches: int = 0
    epoch_cost_total: float = 0.0
    block_batches: int = 0
    block_cost_total: float = 0.0
    schedule_best: float = -1.0
    schedule_wait: int = 0
    velocity: np.ndarray | None = field(default=None, compare=False)

    def to_metadata(self) -> dict[str, Any]:
        """All but ``velocity``, as JSON-ready values."""
        values = asdict(self)
        del values["velocity"]
        return values

    @classmethod
    def from_metadata(cls, metadata: dict[str, Any], velocity: np.ndarray | None) -> TrainerState:
        """ValueError or TypeError when an entry is missing or of the wrong kind."""
        known = [f for f in fields(cls) if f.name != "velocity"]
        values = {}
        for f in known:
            if f.name not in metadata:
                if f.default is not MISSING:
                    continue
                raise ValueError(f"the trainer state lacks {f.name}")
            values[f.name] = metadata[f.name]
        for name in ("epochs_done", "batch_size", "epoch_examples", "epoch_batches", "block_batches", "schedule_wait"):
            if name in values and (not isinstance(values[name], int) or isinstance(values[name], bool) or values[name] < 0):
                raise ValueError(f"the trainer state's {name} is {values[name]!r}")
        for name in ("learning_rate", "momentum", "epoch_cost_total", "block_cost_total", "schedule_best"):
            if name in values and (not isinstance(values[name], (int, float)) or not math.isfinite(values[name])):
                raise ValueError(f"the trainer state's {name} is {values[name]!r}")
        if not isinstance(values["rng_state"], dict):
            raise ValueError("the trainer state's generator state is not a mapping")
        return cls(**values, velocity=velocity)


@dataclass(frozen=True)
class Architecture:
    """What a new network is made of: its hidden layers, activation, cost and seed."""

    hidden: tuple[int, ...] = (16, 16)
    activation: str = "sigmoid"
    cost: str = "mse"
    seed: int = DEFAULT_SEED

