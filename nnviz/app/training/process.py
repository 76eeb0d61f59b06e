"""A process of nnviz's own at the other end of a socket pair, driven from the GUI thread without
ever waiting for it: the training process (``controller.py``) and the compute process (``jobs.py``).

The process is ``python -m MODULE FD``, FD its end of the pair. Messages go as ``core/pipe.py``
says: queued and written when the socket takes them (a QSocketNotifier for writing), read when it
has something (one for reading), one message a turn of the event loop. A subclass says what a
message means (``_handle``) and what it does when the process ends unasked (``_lost``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from PySide6 import QtCore

import nnviz

from ...core.pipe import NonBlockingEnd


def start_process(module: str) -> tuple[subprocess.Popen, socket.socket]:
    """Start ``python -m module FD`` with FD one end of a new socket pair; returns the process and
    the other end. Raises OSError."""
    ours, theirs = socket.socketpair()
    env = dict(os.environ)
    # It imports nnviz as this process does, installed or not.
    root = str(Path(nnviz.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    # One BLAS thread: its matrices are small, the window has the other core, and BLAS threads
    # waiting for a busy core made each product milliseconds long (batch 32 trained 4x slower on
    # a loaded 2-core machine; benchmarks/train_speed.py).
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    try:
        with theirs:
            # A session of its own: Ctrl+C in the terminal is the window's to handle.
            process = subprocess.Popen([sys.executable, "-m", module, str(theirs.fileno())], pass_fds=(theirs.fileno(),),
                                       stdin=subprocess.DEVNULL, env=env, start_new_session=True)
    except OSError:
        ours.close()
        raise
    return process, ours


class ProcessPipe(QtCore.QObject):
    """The window's end of a process running ``MODULE``: started on demand (``_start_process``),
    written with ``_send``, ended with ``_end_process``."""

    MODULE = ""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._process: subprocess.Popen | None = None
        self._pipe: NonBlockingEnd | None = None
        self._readable: QtCore.QSocketNotifier | None = None
        self._writable: QtCore.QSocketNotifier | None = None
        #: What reads the pipe (None: ``_on_readable``); a benchmark times the reading with it.
        self._notifier_slot = None

    @property
    def process_id(self) -> int | None:
        return self._process.pid if self._process is not None and self._process.poll() is None else None

    # -- for subclasses -------------------------------------------------------------------------------

    def _handle(self, message: tuple) -> None:
        """A message the process sent."""

    def _lost(self) -> None:
        """The process ended without being asked to (``_reap`` it)."""

    def _not_started(self, error: OSError) -> None:
        """The process could not be started."""

    def _started(self) -> None:
        """A new process is there, knowing nothing yet."""

    # -- the process ----------------------------------------------------------------------------------

    def _start_process(self) -> bool:
        """Start the process unless it runs; False (after ``_not_started``) if it cannot be."""
        if self._process is not None and self._process.poll() is None and self._pipe is not None:
            return True
        self._drop_connection()
        try:
            self._process, ours = start_process(self.MODULE)
        except OSError as error:
            self._process = None
            self._not_started(error)
            return False
        self._pipe = NonBlockingEnd(ours)
        Type = QtCore.QSocketNotifier.Type
        self._readable = QtCore.QSocketNotifier(self._pipe.fileno(), Type.Read, self)
        self._readable.activated.connect(self._notifier_slot or self._on_readable)
        self._writable = QtCore.QSocketNotifier(self._pipe.fileno(), Type.Write, self)
        self._writable.setEnabled(False)
        self._writable.activated.connect(self._on_writable)
        self._started()
        return True

    def _end_process(self, timeout: float) -> None:
        """Ask the process to quit; kill it if it cannot read that or does not end in time."""
        process = self._process
        if process is None:
            return
        self._send(("quit",))
        if self._pipe is not None and self._pipe.pending:  # it has not taken all it was sent (the dataset, while starting)
            process.kill()
        self._drop_connection()
        self._process = None
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _reap(self) -> int | None:
        """Forget the process that ended unasked, reaped rather than left a zombie: its exit code."""
        process, code = self._process, None
        if process is not None:
            try:
                code = process.wait(2)
            except subprocess.TimeoutExpired:  # its pipe closed, yet it runs on: it cannot be told anything
                process.kill()
                code = process.wait()
        self._drop_connection()
        self._process = None
        return code

    def _drop_connection(self) -> None:
        for notifier in (self._readable, self._writable):
            if notifier is not None:
                notifier.setEnabled(False)
                notifier.deleteLater()
        self._readable = self._writable = None
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None

    def _send(self, message: tuple) -> None:
        """Queue ``message``; what the socket does not take now is written as it drains."""
        if self._pipe is None:
            return
        try:
            self._pipe.put(message)
        except OSError:
            self._lost()
            return
        self._writable.setEnabled(self._pipe.pending)

    @QtCore.Slot()
    def _on_writable(self) -> None:
        if self._pipe is None:
            return
        try:
            self._pipe.flush()
        except OSError:
            self._lost()
            return
        self._writable.setEnabled(self._pipe.pending)

    @QtCore.Slot()
    def _on_readable(self) -> None:
        # One message a turn of the event loop (and a few megabytes of a big one at most), so
        # that timers, input and paints get their turn in between; the notifier fires again
        # while the socket has more.
        if self._pipe is None:
            return
        try:
            messages = self._pipe.take(limit=1)
        except (EOFError, OSError):
            self._lost()
            return
        for message in messages:
            self._handle(message)
