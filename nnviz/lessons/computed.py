"""What the core computes for one state of a lesson (no Qt): a network, the cost it is judged by,
an example and its target, η and the mini-batch. Made again whenever one of them changes."""

from __future__ import annotations

import numpy as np

from ..core.network import Network
from ..core.nudges import (BatchNudges, ExampleNudges, StepResult, batch_nudges, example_nudges, predicted_change,
                           scaled_steps, step, under_book_cross_entropy)

#: The step sizes of the η page, as multiples of the lesson's η; the larger-η question asks about LARGER.
ETA_FACTORS = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
LARGER = 10.0


class Computed:
    """The numbers of one state: ``nudges`` under the cost shown (``judged``), the same under the
    network's own cost (``squared_error_nudges``, for the side-by-side), the example's ``result`` of
    its step, and the mini-batch's ``batch``. The η page's steps are computed when first asked for."""

    def __init__(self, network: Network, cross_entropy: bool, x: np.ndarray, target: int, learning_rate: float,
                 batch_inputs: np.ndarray, batch_labels: np.ndarray):
        self.judged = under_book_cross_entropy(network) if cross_entropy else network
        self.squared_error_nudges: ExampleNudges = example_nudges(network, x, target, learning_rate)
        self.nudges: ExampleNudges = (example_nudges(self.judged, x, target, learning_rate) if cross_entropy
                                      else self.squared_error_nudges)
        self.result: StepResult = step(self.judged, self.nudges)
        self.batch: BatchNudges = batch_nudges(self.judged, batch_inputs, batch_labels, learning_rate)
        self.predicted_change = predicted_change(self.nudges)
        self._steps: np.ndarray | None = None

    def _scaled_steps(self) -> np.ndarray:
        if self._steps is None:
            self._steps = scaled_steps(self.judged, self.nudges, ETA_FACTORS + (LARGER,))
        return self._steps

    @property
    def eta_steps(self) -> tuple[tuple[float, ...], np.ndarray]:
        """The η page's step sizes (multiples of η) and the example's cost after a step of each."""
        return ETA_FACTORS, self._scaled_steps()[:len(ETA_FACTORS)]

    @property
    def larger_step_cost(self) -> float:
        """The example's cost after its step taken with η × LARGER."""
        return float(self._scaled_steps()[-1])
