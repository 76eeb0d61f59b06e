"""What the window redraws at each training snapshot, from what each redraw has cost so far.

While training runs at full speed, the GUI thread shares the machine (and Python's lock) with
the trainer. Each kind of redraw gets a share of the GUI thread's time: a kind whose last
redraws cost ``c`` seconds is redrawn at most every ``c / share`` seconds (and never more often
than its ``least`` interval), so a slower machine redraws less often instead of stalling.
The two costly kinds, edges and plots, never fall in the same snapshot. No Qt here.

A redraw's cost is everything it took, whenever it was spent: while training, what is measured
between one plan that holds a kind and the next (several views' jobs of that kind in the
snapshot, and work that finishes later, like an edge picture drawn in slices or the repaint) adds
up to one redraw. Counted job by job, a cheap job would pull the running cost down and the
costly kind would come too often.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Redraw(Enum):
    ACTIVATIONS = "activations"  # the example's activations on the network view
    EDGES = "edges"  # new weights on the network view
    PLOTS = "plots"  # the cost and accuracy plots
    READOUT = "readout"  # the progress bar and the read-out under it


@dataclass(frozen=True)
class Pace:
    """How one kind of redraw is paced: its ``share`` of the GUI thread, ``least`` seconds apart."""

    share: float
    least: float


#: Shares and least intervals; together at most a third of the GUI thread goes to redraws.
DEFAULT_PACES = {
    Redraw.ACTIVATIONS: Pace(share=0.10, least=0.0),
    Redraw.EDGES: Pace(share=0.08, least=0.25),
    Redraw.PLOTS: Pace(share=0.06, least=0.5),
    Redraw.READOUT: Pace(share=0.05, least=0.2),
}
#: Weight of the newest measurement in the running cost estimate.
SMOOTHING = 0.3


@dataclass
class Pacer:
    """Call ``plan(now)`` once per snapshot and redraw what it returns; report each redraw's cost
    with ``measured(kind, seconds)``. ``plan(now, every=True)`` when every snapshot must be shown
    (training slowed down, or stopped)."""

    paces: dict[Redraw, Pace] = field(default_factory=lambda: dict(DEFAULT_PACES))
    costs: dict[Redraw, float] = field(default_factory=dict)
    _last: dict[Redraw, float] = field(default_factory=dict)
    #: What each kind planned so far has spent since its plan (None: nothing measured yet).
    _spent: dict[Redraw, float | None] = field(default_factory=dict)

    def measured(self, kind: Redraw, seconds: float, part: bool = False) -> None:
        """``kind`` took ``seconds`` of the GUI thread: part of the redraw planned last for it, or,
        when none was planned (not training), a whole redraw — unless it is only ever ``part`` of
        one (a repaint: the one after a window opens is no redraw's cost)."""
        if kind in self._spent:
            self._spent[kind] = (self._spent[kind] or 0.0) + seconds
        elif not part:
            self._fold(kind, seconds)

    def stop(self) -> None:
        """Training stopped: the redraws planned are over, and what is spent from now on is no part
        of them."""
        self._spent.clear()

    def _fold(self, kind: Redraw, seconds: float) -> None:
        old = self.costs.get(kind)
        self.costs[kind] = seconds if old is None else old + SMOOTHING * (seconds - old)

    def interval(self, kind: Redraw) -> float:
        """The least time between two redraws of ``kind`` at its present cost."""
        pace = self.paces[kind]
        return max(pace.least, self.costs.get(kind, 0.0) / pace.share)

    def plan(self, now: float, every: bool = False) -> frozenset[Redraw]:
        """The redraws due at time ``now`` (seconds, monotonic); they count as done from ``now``."""
        if every:
            due = set(Redraw)
        else:
            due = {kind for kind in self.paces if now - self._last.get(kind, -float("inf")) >= self.interval(kind)}
            if Redraw.EDGES in due and Redraw.PLOTS in due:
                due.discard(Redraw.PLOTS)  # the next snapshot gets them
        for kind in due:
            self._last[kind] = now
            # The redraw planned before is over: what it spent is its cost.
            spent = self._spent.get(kind)
            if spent is not None:
                self._fold(kind, spent)
            self._spent[kind] = None
        return frozenset(due)
