"""What Apply, Apply ×10 and Undo did to the real network (no Qt).

The stepper works on a copy; each Apply hands the window a stepped network. This keeps what is
needed to show it and to undo it: the exact parameters before the first Apply, the example's
outputs around the last Apply, and its cost over repeated steps.
"""

from __future__ import annotations

import numpy as np

from ..core.network import Network
from ..core.nudges import repeat_step


class ApplyRecord:
    def __init__(self):
        self.before_first: np.ndarray | None = None
        self.outputs: tuple[np.ndarray, np.ndarray] | None = None  # the example's outputs before and after
        self.costs: np.ndarray | None = None  # the example's cost before and after each repeated step

    @property
    def can_undo(self) -> bool:
        return self.before_first is not None

    def took(self, before: Network, after: Network, x: np.ndarray, costs: np.ndarray | None = None) -> None:
        """``before`` was replaced by ``after``, its step on example ``x`` (repeated, with ``costs``)."""
        if self.before_first is None:
            self.before_first = before.params.copy()
        self.outputs = (before.output(x)[0], after.output(x)[0])
        self.costs = costs

    def repeat(self, network: Network, x: np.ndarray, label: int, learning_rate: float, times: int) -> Network:
        """``network`` after ``times`` steps on example ``x`` alone, recorded."""
        repeated = repeat_step(network, x, label, learning_rate, times)
        self.took(network, repeated.network, x, repeated.costs)
        return repeated.network

    def undo(self, network: Network) -> Network:
        """A copy of ``network`` with the parameters it had before the first Apply, exactly; forgets the rest."""
        original = network.copy()
        original.params[:] = self.before_first
        self.before_first = self.outputs = self.costs = None
        return original
