"""Ctrl+C in the terminal (SIGINT) or a polite kill (SIGTERM) ends the app without losing a network.

Python runs a signal handler only when the GUI thread runs Python, which an idle window may not
do for a long time: the C-level handler writes to a socket (``signal.set_wakeup_fd``) that the
event loop watches, so the window wakes at once. The handler itself only schedules the window's
``interrupted``, which runs between events, never in the middle of one: it stops training, saves
a changed network to the rescue folder, ends the training process and quits with 128 + the
signal's number. A second signal while that runs ends the process at once.
"""

from __future__ import annotations

import functools
import os
import signal
from collections.abc import Callable
import socket
import sys

from PySide6 import QtCore, QtWidgets

SIGNALS = (signal.SIGINT, signal.SIGTERM)


def quit_on_signals(app: QtWidgets.QApplication, interrupted: Callable[[int], None]) -> None:
    """Hand SIGINT and SIGTERM to ``interrupted(signum)`` (the window's) for as long as ``app`` runs."""
    ours, theirs = socket.socketpair()
    for end in (ours, theirs):
        end.setblocking(False)
    notifier = QtCore.QSocketNotifier(ours.fileno(), QtCore.QSocketNotifier.Type.Read, app)

    def drain() -> None:
        try:
            ours.recv(256)  # the bytes only woke the loop; the handler below does the work
        except OSError:
            pass
    notifier.activated.connect(drain)
    signal.set_wakeup_fd(theirs.fileno(), warn_on_full_buffer=False)
    app._nnviz_wakeup = (ours, theirs, notifier)  # alive as long as the app
    handling: list[int] = []

    def handler(signum, frame) -> None:
        if handling:
            os.write(2, b"nnviz: interrupted again; quitting at once\n")
            os._exit(128 + signum)
        handling.append(signum)
        QtCore.QTimer.singleShot(0, functools.partial(interrupted, signum))

    for signum in SIGNALS:
        signal.signal(signum, handler)


def say(line: str) -> None:
    try:
        print(f"nnviz: {line}", file=sys.stderr, flush=True)
    except Exception:  # noqa: BLE001 - no terminal (a desktop launcher)
        pass
