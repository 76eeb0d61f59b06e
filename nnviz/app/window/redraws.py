"""The one place that decides when a view redraws.

A component asks for a redraw with ``request(kind, job, cause)``, the cause being what the model's
event said. Any change but a training snapshot redraws at once. A snapshot's redraws are planned
by the pacer (``nnviz.model.pacing``) from what each kind has cost so far: a kind not due now is
kept and runs with a later snapshot's plan, or when training stops (``flush``), so no view is
left behind.

The training component wraps the handling of each snapshot in ``snapshot(every=...)``, which
makes the plan; nothing else needs to know a plan exists.

At full speed the kinds a snapshot's plan holds run after it, each in a turn of the event loop of
its own, the activations first: together with the snapshot itself they would keep the GUI thread
longer than a frame (a view's repaint comes in the turn its change was made, after it), one at a
time they leave timers and input their turns in between. A job asked for again before its turn
runs once, with the newest state. A snapshot drawn whole (training slowed down, or stopping) is
drawn before its handling ends: then every view shows that very snapshot.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from PySide6 import QtCore

from ...model.causes import Cause
from ...model.pacing import Pacer, Redraw

Job = Callable[[], None]
#: The order in which a snapshot's redraws take their turns: what the learner watches first.
ORDER = (Redraw.ACTIVATIONS, Redraw.READOUT, Redraw.EDGES, Redraw.PLOTS)


class Redraws:
    def __init__(self, pacer: Pacer | None = None, parent: QtCore.QObject | None = None):
        self.pacer = pacer or Pacer()
        #: The kinds due in the snapshot being handled; None outside one.
        self._plan: frozenset[Redraw] | None = None
        #: Whether the snapshot being handled is drawn whole, at once.
        self._every = False
        #: Redraws a snapshot's plan left for later, in the order asked.
        self._pending: dict[Job, Redraw] = {}
        #: Redraws a snapshot's plan holds, run one a turn after it (see the module).
        self._queued: dict[Job, Redraw] = {}
        # The window's child: once the window is deleted, no queued redraw runs over its deleted views.
        self._timer = QtCore.QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run_queued)

    @contextlib.contextmanager
    def snapshot(self, every: bool, also: frozenset[Redraw] = frozenset()):
        """Handle one training snapshot: ``every`` draws everything (training slowed down, or
        stopped); ``also`` kinds are drawn whatever the pacer planned."""
        self._plan = self.pacer.plan(time.monotonic(), every=every) | also
        self._every = every
        try:
            yield self._plan
        finally:
            self._plan = None

    def due(self, kind: Redraw) -> bool:
        """Whether ``kind`` is due in the snapshot being handled (outside one: always)."""
        return self._plan is None or kind in self._plan

    def request(self, kind: Redraw, job: Job, cause: Cause) -> None:
        """Run ``job`` (a redraw of ``kind``) now, or, for a snapshot whose plan does not hold
        ``kind``, later."""
        if cause == Cause.SNAPSHOT and not self.due(kind):
            self._pending[job] = kind
            return
        self._pending.pop(job, None)
        if cause == Cause.SNAPSHOT and self._plan is not None and not self._every:
            self._queued[job] = kind
            self._timer.start(0)
            return
        self._queued.pop(job, None)
        self._run(kind, job)

    def measured(self, kind: Redraw, seconds: float, part: bool = False) -> None:
        """A redraw of ``kind`` that finishes later (edges drawn in slices) cost ``seconds``; ``part``:
        only part of one (see Pacer.measured)."""
        self.pacer.measured(kind, seconds, part)

    def flush(self) -> None:
        """Run every redraw left for later (training stopped)."""
        self.pacer.stop()
        self._timer.stop()
        pending, self._pending = {**self._queued, **self._pending}, {}
        self._queued = {}
        for job, kind in sorted(pending.items(), key=lambda item: ORDER.index(item[1])):
            self._run(kind, job)

    @property
    def pending(self) -> bool:
        return bool(self._pending or self._queued)

    def forget(self, owner: object) -> None:
        """Drop the pending redraws of ``owner``'s bound methods (a view going away)."""
        self._pending = {job: kind for job, kind in self._pending.items() if getattr(job, "__self__", None) is not owner}
        self._queued = {job: kind for job, kind in self._queued.items() if getattr(job, "__self__", None) is not owner}

    def _run_queued(self) -> None:
        if self._queued:
            job = min(self._queued, key=lambda queued: ORDER.index(self._queued[queued]))
            self._pending.pop(job, None)  # a later plan may have left it for later too: it runs now
            self._run(self._queued.pop(job), job, paced=True)
        if self._queued:
            self._timer.start(0)

    def _run(self, kind: Redraw, job: Job, paced: bool | None = None) -> None:
        start = time.perf_counter()
        job()
        if self._plan is not None if paced is None else paced:  # what a paced redraw costs decides how often it comes
            self.pacer.measured(kind, time.perf_counter() - start)
