"""When η changes by itself: the plateau schedule, and where it ends a run."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .events import EpochDone
    from .training import Trainer

#: The plateau schedule halves η down to η₀ · FLOOR_FRACTION and there ends the run (Nielsen's rule).
FLOOR_FRACTION = 1 / 128


class PlateauSchedule:
    """Halve η whenever validation accuracy has not improved for ``patience`` epochs, down to
    ``floor``; a plateau at the floor ends the run.

    Nielsen's schedule (chapter 3): keep η while the network still improves on held-out data,
    then take smaller steps to settle into the minimum instead of bouncing around it, and
    "terminate when the learning rate has dropped to 1/128 of its original value" (the Trainer's
    floor is η₀ · FLOOR_FRACTION). Ending there rather than halving on at a lower floor: with
    `nnviz train`'s recipe the validation accuracy moves by at most a few hundredths of a point
    over the last halvings before η₀/128 (docs/recipe.md), so later epochs learn nothing a person
    can see, and η₀/2^k soon reads as noise (100 epochs of halving forever ended at 2.27e-13).
    """

    def __init__(self, patience: int = 2, floor: float = 0.0, factor: float = 0.5):
        self.patience = patience
        self.floor = floor
        self.factor = factor
        self.best = -1.0
        self.epochs_without_improvement = 0

    def update(self, trainer: Trainer, report: EpochDone) -> bool:
        """Adjust ``trainer.learning_rate`` after ``report``; True when η has reached the floor
        (at this epoch, or is at it already and the plateau goes on): the run is over."""
        if report.validation_accuracy > self.best:
            self.best = report.validation_accuracy
            self.epochs_without_improvement = 0
            return False
        self.epochs_without_improvement += 1
        if self.epochs_without_improvement < self.patience:
            return False
        self.epochs_without_improvement = 0
        if trainer.learning_rate > self.floor:
            trainer.learning_rate = max(trainer.learning_rate * self.factor, self.floor)
        return trainer.learning_rate <= self.floor
