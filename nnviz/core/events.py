"""What a Trainer reports as it goes: a BatchDone after every mini-batch, an EpochDone after each epoch."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple


class BatchDone(NamedTuple):
    """One mini-batch was learned from. ``epoch`` counts from 1; ``batch`` from 1 within it;
    ``position`` is where it ended on the history's time axis (epochs as a float); ``size`` is
    the number of examples in it (the epoch's last may be smaller than the mini-batch size), the
    last ``size`` of the ``examples_seen`` (``Trainer.batch_indices`` names them).

    A NamedTuple rather than a dataclass: one is made per mini-batch, and it is cheaper to make.
    """

    epoch: int
    batch: int
    batches_per_epoch: int
    examples_seen: int
    cost: float
    running_cost: float
    position: float = 0.0
    size: int = 0


@dataclass(frozen=True)
class EpochDone:
    """An epoch ended: ``training_cost`` is the mean of its mini-batch costs; ``learning_rate``
    the η of its last mini-batch (the schedule may have changed the trainer's since).

    ``schedule_ended``: the plateau schedule has brought η down to its floor, η₀/128, and by
    Nielsen's rule the run is over: the command line stops after this epoch and the training
    process goes idle (``formatting.schedule_end_text`` is the line that says so). Training on
    regardless keeps η at the floor.
    """

    epoch: int
    training_cost: float
    validation_accuracy: float
    test_accuracy: float | None
    seconds: float
    learning_rate: float = math.nan
    schedule_ended: bool = False
