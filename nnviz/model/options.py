"""The training settings as one typed value: the core's ``TrainingOptions`` and its defaults."""

from ..core.training import DEFAULT_EPOCHS, TrainingOptions

__all__ = ["DEFAULT_EPOCHS", "TrainingOptions"]
