"""A second process that draws a share of an edge picture, so that a big picture takes both cores.

The window may not compute in threads of its own (a garbage collection on another thread can free
Qt objects off the GUI thread), so a raster's second half is drawn here: ``python -m
nnviz.render.helper FD``, one end of a socket pair, messages as the training process has them
(core/pipe.py). The process says ("ready",) once it has started. The window sends ("draw", job,
segments, widths, scale, offset, shape) — its share of each group's segments, as EdgeRaster takes
them — and gets back ("done", job, rows, columns, seconds): the two rank images of that share
(None where unused) and the CPU time they took; or ("dropped", job) when the window sent
("cancel", job) or a newer job first. The process ends when the window's end of the socket
closes. No Qt.
"""

from __future__ import annotations

import atexit
import os
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from ..core.pipe import BlockingEnd, NonBlockingEnd


#: The most jobs refused in a row after one lagged (see RasterHelper).
MOST_SKIPPED = 32


class RasterHelper:
    """The window's end: ``submit`` a share, ``result`` (never waiting longer than asked) for its
    rank images. The first job starts the process, and jobs go to it once it is ready (~0.3 s,
    importing NumPy): until then, and for good once it failed (``alive`` False), a job is
    refused and the caller draws the share itself. A job the caller gave up waiting for
    (``cancel``: the helper lagged, its core busy with other work) makes the next jobs be refused
    too, 1, 2, 4 ... up to MOST_SKIPPED of them, until one comes back in time: on a busy machine
    the window then draws nearly every picture alone, at nearly no cost of trying."""

    def __init__(self):
        self._process: subprocess.Popen | None = None
        self._pipe: NonBlockingEnd | None = None
        self._job = 0
        self._answers: dict[int, tuple] = {}
        self._ready = False
        self.alive = True
        self._backoff = 0  # jobs refused after the last one that lagged
        self._skipping = 0  # jobs still to refuse

    @property
    def ready(self) -> bool:
        """Whether the process has started and takes jobs (starting it, if need be)."""
        if not self._ready and self._start():
            self.result(0)  # reads its ("ready",) if it came
        return self._ready

    def submit(self, segments: list[np.ndarray], widths: list[int], scale, offset, shape) -> int | None:
        """Ask for the rank images of ``segments`` (see EdgeRaster); the job's number, or None when
        the process is not ready or cannot be had."""
        if not self.ready:
            return None
        if self._skipping:
            self._skipping -= 1
            return None
        self._job += 1
        self._answers.clear()  # older jobs' answers are of pictures no longer wanted
        try:
            self._pipe.put(("draw", self._job, segments, widths, tuple(scale), tuple(offset), tuple(shape)))
        except OSError:
            self._fail()
            return None
        return self._job

    def result(self, job: int, wait: float = 0.0) -> tuple | None:
        """("done", job, rows, columns, seconds) or ("dropped", job) once it came, else None,
        reading for at most ``wait`` seconds. ("dropped", job) too when the process is gone."""
        deadline = time.perf_counter() + wait
        while job not in self._answers and self.alive:
            try:
                self._pipe.flush()
                for answer in self._pipe.take(limit=8):
                    if answer[0] == "ready":
                        self._ready = True
                    else:
                        self._answers[answer[1]] = answer
            except (OSError, EOFError):
                self._fail()
                break
            left = deadline - time.perf_counter()
            if job in self._answers or left <= 0:
                break
            select.select([self._pipe], [], [], left)
        if not self.alive:
            return ("dropped", job)
        answer = self._answers.pop(job, None)
        if answer is not None and answer[0] == "done":
            self._backoff = 0
        return answer

    def cancel(self, job: int) -> None:
        """The window no longer waits for ``job``: the process drops it if it is still drawing it."""
        self._backoff = min(MOST_SKIPPED, max(1, 2 * self._backoff))
        self._skipping = self._backoff
        if self._pipe is not None and self.alive:
            try:
                self._pipe.put(("cancel", job))
            except OSError:
                self._fail()

    def close(self) -> None:
        """End the process (it ends by itself when this end closes)."""
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self._process is not None:
            try:
                self._process.wait(1.0)
            except subprocess.TimeoutExpired:
                self._process.kill()
            self._process = None

    def _start(self) -> bool:
        if self._process is not None or not self.alive:
            return self.alive
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parent.parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        env["OPENBLAS_NUM_THREADS"] = "1"  # its products are small, and the window has the other core
        try:
            with theirs:
                self._process = subprocess.Popen(
                    [sys.executable, "-m", "nnviz.render.helper", str(theirs.fileno())], pass_fds=(theirs.fileno(),),
                    stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        except OSError:
            ours.close()
            self.alive = False
            return False
        self._pipe = NonBlockingEnd(ours)
        return True

    def _fail(self) -> None:
        self.alive, self._ready = False, False
        if self._process is not None:
            self._process.kill()
        self.close()


_shared: RasterHelper | None = None


def shared() -> RasterHelper:
    """The process's one helper, ended when the program ends."""
    global _shared
    if _shared is None:
        _shared = RasterHelper()
        atexit.register(_shared.close)
    return _shared


def serve(pipe: BlockingEnd) -> None:
    """The helper's loop: draw each job's share, unless a newer job arrives first."""
    from .raster import EdgeRaster

    pipe.send(("ready",))
    message, spare = None, None
    while True:
        if message is None:
            try:
                message = pipe.recv()
            except EOFError:
                return
        if message[0] == "cancel":  # of a job already done or dropped
            message = None
            continue
        _, job, segments, widths, scale, offset, shape = message
        message = None
        start = time.thread_time()
        raster = EdgeRaster(segments, np.zeros(len(segments), np.uint32), widths, scale, offset, shape, 0,
                            reuse=spare, ranks_only=True)
        for step, _ in enumerate(raster._parts[0].steps()):
            if step % 16 == 0 and pipe.poll(0.0):  # cancelled, or a newer picture is wanted
                message = pipe.recv()
                break
        if message is not None:
            pipe.send(("dropped", job))
            if message[0] == "cancel":
                message = None
            continue
        part = raster._parts[0]
        pipe.send(("done", job, part.rows if part.used[0] else None, part.columns if part.used[1] else None,
                   time.thread_time() - start))
        raster.done, spare = True, raster


if __name__ == "__main__":
    try:
        serve(BlockingEnd(socket.socket(fileno=int(sys.argv[1]))))
    except (BrokenPipeError, ConnectionResetError, KeyboardInterrupt):
        pass
