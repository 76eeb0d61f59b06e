"""The training settings as one typed value, with the core's defaults.

Stands in for the core's ``TrainingOptions`` (contract 1, branch ``rec``) until that lands; the
fields and their meaning are the same, so that the switch is one import.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from ..core.training import DEFAULT_BATCH_SIZE, DEFAULT_LEARNING_RATE

DEFAULT_EPOCHS = 30


@dataclass(frozen=True)
class TrainingOptions:
    learning_rate: float = DEFAULT_LEARNING_RATE
    batch_size: int = DEFAULT_BATCH_SIZE
    momentum: float = 0.0
    #: Train stops when this many epochs have been trained in all.
    epochs: int = DEFAULT_EPOCHS
    seed: int = 0
    #: Halve η after this many epochs without a better validation accuracy; 0 keeps η constant.
    halve_after: int = 0

    def to_metadata(self) -> dict:
        return asdict(self)

    @classmethod
    def from_metadata(cls, metadata: dict) -> TrainingOptions:
        known = {f.name: f.type for f in fields(cls)}
        values = {}
        for name, value in metadata.items():
            if name in known and value is not None:
                try:
                    values[name] = float(value) if name in ("learning_rate", "momentum") else int(value)
                except (TypeError, ValueError):
                    continue
        return cls(**values)
