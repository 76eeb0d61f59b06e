"""What Apply, Apply ×10 and Undo did to the real network (no Qt).

The stepper works on a copy; each Apply hands the window a stepped network. This keeps what is
needed to show it and to undo it: the exact parameters before the first Apply, the example's
outputs around the last Apply, and its cost over repeated steps; and, when a fixed sample of
the training set is given, the sample's mean cost before and after the last Apply (a step good
for one example can be bad for the rest: why SGD averages).
"""

from __future__ import annotations

import copy

import numpy as np

from ..core.network import Network
from ..core.nudges import repeat_step

#: What the last Apply was: one example's step, that step repeated, or a mini-batch's average step.
KINDS = ("step", "repeated", "batch")


class ApplyRecord:
    def __init__(self):
        self.before_first: np.ndarray | None = None
        self.outputs: tuple[np.ndarray, np.ndarray] | None = None  # the example's outputs before and after
        self.costs: np.ndarray | None = None  # the example's cost before and after each repeated step
        self.kind: str | None = None
        self.example_costs: tuple[float, float] | None = None  # the example's cost before and after
        self.sample_costs: tuple[float, float] | None = None  # the sample's mean cost before and after

    @property
    def can_undo(self) -> bool:
        return self.before_first is not None

    def took(self, before: Network, after: Network, x: np.ndarray, costs: np.ndarray | None = None, *,
             label: int | None = None, sample: tuple[np.ndarray, np.ndarray] | None = None, kind: str = "step") -> None:
        """``before`` was replaced by ``after``, its step on example ``x`` (repeated, with ``costs``).

        With the example's ``label``, its cost before and after is kept; with a ``sample`` (inputs
        (n, n_0), labels (n,)), the sample's mean cost before and after.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown kind of step {kind!r}")
        if self.before_first is None:
            self.before_first = before.params.copy()
        x = np.asarray(x)
        self.outputs = (before.output(x)[0], after.output(x)[0])
        self.costs = costs
        self.kind = kind
        self.example_costs = None if label is None else (before.cost_of(x[None, :], [label]), after.cost_of(x[None, :], [label]))
        self.sample_costs = None if sample is None else (before.cost_of(*sample), after.cost_of(*sample))

    def repeat(self, network: Network, x: np.ndarray, label: int, learning_rate: float, times: int,
               sample: tuple[np.ndarray, np.ndarray] | None = None) -> Network:
        """``network`` after ``times`` steps on example ``x`` alone, recorded."""
        repeated = repeat_step(network, x, label, learning_rate, times)
        self.took(network, repeated.network, x, repeated.costs, label=label, sample=sample, kind="repeated")
        return repeated.network

    def undo(self, network: Network) -> Network:
        """A copy of ``network`` with the parameters it had before the first Apply, exactly; forgets the rest."""
        original = network.copy()
        original.params[:] = self.before_first
        self.forget()
        return original

    def forget(self) -> None:
        self.before_first = self.outputs = self.costs = self.kind = self.example_costs = self.sample_costs = None


class Applying:
    """Apply in two halves: the parameters proposed to the window (``step``, ``repeat``, ``undo``),
    then what the window did with them (``settle``), which decides what the record says.

    The window owns the real network and its undo history: it may take the proposal, refuse it,
    or change the network some other way; the record follows what really happened.
    """

    def __init__(self):
        self.record = ApplyRecord()
        self._pending: tuple[np.ndarray, ApplyRecord] | None = None

    def step(self, before: Network, after: Network, x: np.ndarray, label: int,
             sample: tuple[np.ndarray, np.ndarray], kind: str = "step") -> np.ndarray:
        """``after``'s parameters, proposed in place of ``before``'s: a step on example ``x``."""
        record = copy.copy(self.record)
        record.took(before, after, x, label=label, sample=sample, kind=kind)
        return self._propose(after.params, record)

    def repeat(self, network: Network, x: np.ndarray, label: int, learning_rate: float, times: int,
               sample: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """The parameters after ``times`` steps on example ``x`` alone, proposed."""
        record = copy.copy(self.record)
        return self._propose(record.repeat(network, x, label, learning_rate, times, sample).params, record)

    def undo(self) -> np.ndarray:
        """The parameters before the first Apply, exactly, proposed."""
        if not self.record.can_undo:
            raise ValueError("nothing was applied")
        return self._propose(self.record.before_first, ApplyRecord())

    def _propose(self, params: np.ndarray, record: ApplyRecord) -> np.ndarray:
        self._pending = (params.copy(), record)
        return params.copy()

    def settle(self, had: np.ndarray, now: np.ndarray) -> None:
        """The network had parameters ``had`` and now has ``now``: keep the record that says why."""
        pending, self._pending = self._pending, None
        if pending is not None and np.array_equal(now, pending[0]):
            self.record = pending[1]
        elif self.record.can_undo and np.array_equal(now, self.record.before_first):
            self.record = ApplyRecord()  # undone by the window's own history
        elif not np.array_equal(now, had):
            self.record = ApplyRecord()  # changed by something else: Undo could not say what it undoes
