"""The app's last resort: an exception no handler caught is logged, and the person sees one line.

PySide6 hands exceptions raised inside slots and event handlers to ``sys.excepthook``; without
this they would print a traceback to a terminal nobody watches and leave the window in a
half-done state without a word.
"""

from __future__ import annotations

import sys

from PySide6 import QtWidgets

from ...core.crashlog import crash_line, write_crash_log

_showing = False


def handle_exception(kind, error, tb) -> None:
    """A ``sys.excepthook``: write the traceback to the state folder, say so in one line."""
    global _showing
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, tb)
        return
    if error.__traceback__ is None:
        error = error.with_traceback(tb)
    log = write_crash_log(error)
    line = crash_line(error, log)
    try:
        print(f"nnviz: {line}", file=sys.stderr, flush=True)
    except Exception:  # noqa: BLE001 - no stderr (a desktop launcher)
        pass
    app = QtWidgets.QApplication.instance()
    if app is None or _showing:
        return
    _showing = True  # an error inside the dialog itself must not open another
    try:
        window = app.activeWindow()
        if isinstance(window, QtWidgets.QMainWindow):
            window.statusBar().showMessage(line)
        QtWidgets.QMessageBox.critical(window, "nnviz: internal error", line)
    except Exception:  # noqa: BLE001 - the handler must never raise
        pass
    finally:
        _showing = False


def install() -> None:
    sys.excepthook = handle_exception
