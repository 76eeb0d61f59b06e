"""The window's handle on its compute process (``core/jobs.py``): the heavy maths the window shows
(a valley, a race) runs there, and its results come back as signals.

Each user of it takes a ``JobChannel`` of its own kind ("valley", "race", …): ``run`` starts a
job of the core's (by name) and replaces the one of that kind still running; its partial results
arrive as ``progressed``, its last as ``finished``, a failure as ``failed`` (one line). What a
replaced job still sends is dropped (generation numbers). The process starts with the first job,
serves every later one, and ends with the window (``close``); if it dies, each channel with a job
under way says so once, and the next job starts another process. The pipe is read in the GUI
thread when it has something (a QSocketNotifier), one message a turn of the event loop, and
written when it can take more: the window never waits for the process.
"""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore

from ...core.errors import one_line
from ...core.jobs import Kept
from .process import ProcessPipe

__all__ = ["ComputeJobs", "JobChannel", "Kept"]


class JobChannel(QtCore.QObject):
    """Jobs of one kind: the latest ``run`` wins. Partial results come at most every ``interval``
    seconds: one that comes sooner waits, unanswered, so that meanwhile the process holds only
    its latest (drawing a valley costs the window tens of milliseconds; its stages come faster)."""

    progressed = QtCore.Signal(object)  # the job's result so far
    finished = QtCore.Signal(object)  # its last result
    failed = QtCore.Signal(str)  # one line for the person

    def __init__(self, jobs: ComputeJobs, kind: str, interval: float = 0.0):
        super().__init__(jobs)
        self._jobs, self.kind = jobs, kind
        #: The job whose results are wanted (0: none).
        self.generation = 0
        self.busy = False
        #: Its latest result (a "done" message names it without sending it again).
        self.latest: Any = None
        self._interval_ms = int(interval * 1000)
        self._clock = QtCore.QElapsedTimer()
        self._held = QtCore.QTimer(self)
        self._held.setSingleShot(True)
        self._held.setTimerType(QtCore.Qt.TimerType.PreciseTimer)  # a coarse timer may fire 5% early
        self._held.timeout.connect(self._on_held)

    def run(self, job: str, *args, **kwargs) -> None:
        """Start ``job`` (a name of ``core.jobs.JOBS``) with these arguments, stopping the job of
        this kind under way. Arguments are pickled: ``Kept(key)`` stands for a value given to
        ``ComputeJobs.keep``."""
        self._held.stop()
        self.generation = self._jobs.next_generation()
        self.busy, self.latest = True, None
        self._clock.invalidate()
        self._jobs.send_job(self.kind, self.generation, job, args, kwargs)

    def stop(self) -> None:
        """Stop the job under way; nothing more of it arrives."""
        self._held.stop()
        if self.busy:
            self.busy = False
            self.generation = 0
            self._jobs.send(("stop", self.kind))

    def _take(self, message: tuple) -> bool:
        """Handle ``message``; False when a partial result waits (and its answer with it)."""
        kind, generation = message[0], message[2]
        if generation != self.generation or not self.busy:
            return True  # a job that a newer one (or a stop) replaced
        if kind == "result":
            self.latest = message[3]
            if message[4]:
                self._finish()
            elif self._clock.isValid() and self._clock.elapsed() < self._interval_ms:
                self._held.start(max(1, self._interval_ms - self._clock.elapsed()))
                return False
            else:
                self._progress()
        elif kind == "done":
            self._finish()
        elif kind == "failed":
            self._held.stop()
            self.busy = False
            self.failed.emit(message[3])
        return True

    def _progress(self) -> None:
        self._clock.start()
        self.progressed.emit(self.latest)

    def _finish(self) -> None:
        self._held.stop()
        self.busy = False
        self.finished.emit(self.latest)

    def _on_held(self) -> None:
        if self.busy:
            self._progress()
            self._jobs.send(("ack", self.kind, self.generation))

    def _lost(self, line: str) -> None:
        self._held.stop()
        if self.busy:
            self.busy = False
            self.failed.emit(line)


class ComputeJobs(ProcessPipe):
    """The compute process of one window, and the channels that use it."""

    MODULE = "nnviz.core.jobs"

    def __init__(self, parent=None):
        super().__init__(parent)
        self._channels: dict[str, JobChannel] = {}
        self._kept: dict[str, Any] = {}
        self._generation = 0
        self._closed = False

    def channel(self, kind: str, interval: float = 0.0) -> JobChannel:
        """The channel for jobs of ``kind`` (made at the first call, its partial results at most
        every ``interval`` seconds)."""
        if kind not in self._channels:
            self._channels[kind] = JobChannel(self, kind, interval)
        return self._channels[kind]

    def keep(self, key: str, value: Any) -> None:
        """Let jobs use ``value`` as ``Kept(key)``: sent once (and again to a new process), not
        with every job; a different object under the same key replaces it."""
        if self._kept.get(key) is value:
            return
        self._kept[key] = value
        self._send(("keep", key, value))

    def busy(self) -> bool:
        """Whether a job of any kind is under way."""
        return any(channel.busy for channel in self._channels.values())

    def close(self, timeout: float = 1.0) -> None:
        """End the process (the window is closing): asked to quit, killed if it does not in time."""
        self._closed = True
        for channel in self._channels.values():
            channel.busy = False
        self._end_process(timeout)

    # -- for the channels -----------------------------------------------------------------------------

    def next_generation(self) -> int:
        self._generation += 1
        return self._generation

    def send_job(self, kind: str, generation: int, job: str, args: tuple, kwargs: dict) -> None:
        if self._closed:
            self._channels[kind]._lost("The window is closing: nothing more is computed.")
        elif self._start_process():
            self._send(("run", kind, generation, job, args, kwargs))

    def send(self, message: tuple) -> None:
        self._send(message)

    # -- the process ------------------------------------------------------------------------------

    def _started(self) -> None:
        for key, value in self._kept.items():
            self._send(("keep", key, value))

    def _not_started(self, error: OSError) -> None:
        self._tell_channels(one_line(f"The computing process did not start ({error})"))

    def _lost(self) -> None:
        code = self._reap()
        how = f" (exit code {code})" if code is not None else ""
        self._tell_channels(f"The computing process ended unexpectedly{how}; it starts again with the next computation.")

    def _tell_channels(self, line: str) -> None:
        """Every channel with a job under way says ``line``, once."""
        for channel in self._channels.values():
            channel._lost(line)

    def _handle(self, message: tuple) -> None:
        channel = self._channels.get(message[1])
        handled = True
        try:
            if channel is not None:
                handled = channel._take(message)
            elif message[0] == "failed":  # the loop itself failed: every job is lost
                self._tell_channels(message[3])
        finally:
            if message[0] == "result" and handled:
                self._send(("ack", message[1], message[2]))  # handled: the process may send the next
