"""The window's heavy maths in a process of its own: generator functions of the core, run by name.

Why a process: the window's drawing and these computations are both Python; in one process they
take turns under the interpreter's lock (a valley's second of NumPy would be a second of a frozen
window), and a computation on a thread of the window's process lets Python's garbage collector
run there and free Qt objects off the GUI thread (a crash). So, as the trainer does
(``worker.py``), the computations run in a process that imports no Qt.

Run as ``python -m nnviz.core.jobs FD`` with FD one end of a socket pair; the window
(``app/training/jobs.py``) holds the other. A job is a call of one of ``JOBS`` — generator
functions whose every yield is the whole result so far and whose last yield is the result (a
yield of None sends nothing: it only marks a point where the job may be stopped). Jobs
have a *kind* (the window's name for what it is for: "valley", "race", …): a new job of a kind
stops the one running, between two of its yields, and jobs of different kinds take turns, a
yield each. Messages are tuples, sent as ``pipe.py`` says:

window → process
    ("keep", key, value)                               hold ``value``; a job's argument
                                                       ``Kept(key)`` stands for it (a dataset,
                                                       sent once rather than with every job)
    ("run", kind, generation, name, args, kwargs)      start JOBS[name](*args, **kwargs)
    ("stop", kind)                                     stop the job of ``kind``
    ("ack", kind, generation)                          the window handled one result of it
    ("quit",)                                          end the process
process → window
    ("result", kind, generation, value, done)          the job's latest yield; ``done``: its last
    ("done", kind, generation)                         the result sent last was the job's last
    ("failed", kind, generation, message)              the job raised: one line for the person

At most ``CREDIT`` results of a job are unanswered at once. Meanwhile the job goes on, and only
its latest yield waits to be sent: a window that falls behind gets fewer, fresher results, never
a queue of stale ones, and the last result always arrives. Every message names the generation
of the job it belongs to, so that the window drops what a newer request of the kind replaced.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from . import computations
from .errors import NnvizError, one_line
from .pipe import BlockingEnd, serve_the_window

#: What the window may run, by name.
JOBS: dict[str, Callable[..., Iterator[Any]]] = {
    "valley": computations.valley,
    "race": computations.race,
    "answers": computations.answers,
}
#: Results of one job sent and not yet handled by the window, at most.
CREDIT = 1


@dataclass(frozen=True)
class Kept:
    """An argument that stands for the value kept under ``key`` (("keep", key, value))."""

    key: str


class _Job:
    """A running generator and what of it is still to send."""

    def __init__(self, kind: str, generation: int, iterator: Iterator[Any]):
        self.kind, self.generation, self.iterator = kind, generation, iterator
        self.credit = CREDIT
        self.latest: Any = None
        self.unsent = False  # ``latest`` has not been sent
        self.finished = False  # the generator is exhausted: ``latest`` is the result

    def advance(self) -> None:
        """One yield further (or to its end)."""
        try:
            value = next(self.iterator)
            if value is not None:  # None: nothing new to send, only a point where it may stop
                self.latest, self.unsent = value, True
        except StopIteration:
            self.finished = True


class Server:
    """The loop of a compute process: messages in between any two yields of any job."""

    def __init__(self, connection: BlockingEnd, jobs: dict[str, Callable[..., Iterator[Any]]] | None = None):
        self._connection = connection
        self._known = JOBS if jobs is None else jobs
        self._kept: dict[str, Any] = {}
        self._jobs: dict[str, _Job] = {}
        self._turn = 0
        self._quit = False

    def serve(self) -> None:
        while not self._quit:
            runnable = [job for job in self._jobs.values() if not job.finished]
            # Nothing to compute: wait for the window (a job's result may wait for its ack).
            self._connection.read(self._handle, not runnable, self._quitting)
            if self._quit:
                break
            self._send_due()
            runnable = [job for job in self._jobs.values() if not job.finished]
            if runnable:
                self._turn = (self._turn + 1) % len(runnable)
                self._advance(runnable[self._turn])
                self._send_due()

    def _advance(self, job: _Job) -> None:
        try:
            job.advance()
        except Exception as error:  # noqa: BLE001 - reported below; the process serves on
            self._drop(job.kind)
            self._failed(job.kind, job.generation, error)

    def _failed(self, kind: str, generation: int, error: Exception) -> None:
        """Tell the window in one line: the person's mistake as it is, a bug with its crash log."""
        if isinstance(error, NnvizError):
            message = one_line(str(error))
        else:
            from .crashlog import crash_line, write_crash_log

            message = crash_line(error, write_crash_log(error))
        self._send(("failed", kind, generation, message))

    def _send_due(self) -> None:
        for job in list(self._jobs.values()):
            if job.unsent and job.credit > 0:
                self._send(("result", job.kind, job.generation, job.latest, job.finished))
                job.unsent = False
                job.credit -= 1
            elif job.finished and not job.unsent:
                # Its last yield went out before the generator said it was the last.
                self._send(("done", job.kind, job.generation))
            else:
                continue
            if job.finished:
                del self._jobs[job.kind]

    # -- messages ---------------------------------------------------------------------------------

    def _handle(self, message: tuple) -> None:
        kind = message[0]
        if kind == "ack":
            job = self._jobs.get(message[1])
            if job is not None and job.generation == message[2]:
                job.credit += 1
        elif kind == "run":
            self._start(*message[1:])
        elif kind == "stop":
            self._drop(message[1])
        elif kind == "keep":
            self._kept[message[1]] = message[2]
        elif kind == "quit":
            self._quit = True
        else:
            raise ValueError(f"unknown message {kind!r}")

    def _quitting(self) -> bool:
        return self._quit

    def _start(self, kind: str, generation: int, name: str, args: tuple, kwargs: dict) -> None:
        self._drop(kind)
        function = self._known.get(name)
        try:
            if function is None:
                raise NnvizError(f"no computation called {name!r}")
            args = tuple(self._value(a) for a in args)
            kwargs = {key: self._value(value) for key, value in kwargs.items()}
            iterator = function(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - reported; the process serves on
            self._failed(kind, generation, error)
            return
        self._jobs[kind] = _Job(kind, generation, iterator)

    def _value(self, argument):
        if isinstance(argument, Kept):
            if argument.key not in self._kept:
                raise NnvizError(f"nothing was kept as {argument.key!r}")
            return self._kept[argument.key]
        return argument

    def _drop(self, kind: str) -> None:
        job = self._jobs.pop(kind, None)
        if job is not None:
            job.iterator.close()  # its finally blocks run now, not whenever it is collected

    def _send(self, message: tuple) -> None:
        self._connection.send(message)


def main(argv: list[str] | None = None) -> int:
    # A bug of the loop itself belongs to no job: the window hears of it under the kind "".
    return serve_the_window(lambda end: Server(end).serve(), lambda line: ("failed", "", -1, line), argv)


if __name__ == "__main__":
    # Through the module's own name, so that what it pickles names nnviz.core.jobs, not __main__.
    from nnviz.core.jobs import main as jobs_main

    sys.exit(jobs_main())
