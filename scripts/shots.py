"""What the offscreen screenshot scripts (screenshots.py, lesson_screenshots.py) share.

Importing this module makes Qt render offscreen unless QT_QPA_PLATFORM says otherwise, so it
must come before anything that imports PySide6.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtCore, QtWidgets  # noqa: E402 - after the platform is chosen

from nnviz.app.main import make_window  # noqa: E402

DOCS = Path(__file__).resolve().parents[1] / "docs"


def out_folder() -> Path:
    """The folder named on the command line, or docs/; made if missing."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS
    out.mkdir(parents=True, exist_ok=True)
    return out


def application() -> QtWidgets.QApplication:
    """The running QApplication, made if there is none (the caller keeps it alive)."""
    return QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])


def fresh_window(path: Path | None = None, size: tuple[int, int] = (1600, 1000)):
    """A shown window as on first launch: settings in a new temporary file, none of this machine's."""
    settings = QtCore.QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QtCore.QSettings.Format.IniFormat)
    window = make_window(path, settings=settings)
    window.resize(*size)
    window.show()
    return window


def wait(seconds: float) -> None:
    """Let the event loop run (redraws, timers, workers' results) for that long."""
    loop = QtCore.QEventLoop()
    QtCore.QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def settle(view) -> None:
    """Wait until a view that computes in the background (``busy()``) has drawn its result."""
    while view.busy():
        wait(0.1)
    wait(0.3)


def partly_trained(window, batches: int = 300) -> None:
    """A new network that has seen a few hundred mini-batches: still learning, so its nudges are big."""
    window.files.new_network()
    window.training.step_batches(batches)
    while window.model.mode != "idle" or not window.isWindowModified():
        wait(0.1)
    window.controller.shutdown()


def save(window, path: Path) -> None:
    """The whole window as a PNG, the network's edge picture completed first (it is drawn in slices)."""
    window.network_view.finish_drawing()
    window.grab().save(str(path))
