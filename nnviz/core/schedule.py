"""When η changes by itself: the plateau schedule, and where it ends a run."""

from __future__ import annotations

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

    def update(self, learning_rate: float, validation_accuracy: float) -> tuple[float, bool]:
        """η for the next epoch after an epoch that trained with ``learning_rate`` and ended at
        ``validation_accuracy``, and whether η is at the floor (reached now, or the plateau goes
        on there): the run is over."""
        if validation_accuracy > self.best:
            self.best = validation_accuracy
            self.epochs_without_improvement = 0
            return learning_rate, False
        self.epochs_without_improvement += 1
        if self.epochs_without_improvement < self.patience:
            return learning_rate, False
        self.epochs_without_improvement = 0
        if learning_rate > self.floor:
            learning_rate = max(learning_rate * self.factor, self.floor)
        return learning_rate, learning_rate <= self.floor
