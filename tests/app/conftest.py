"""The window, built the way `nnviz` builds it, with settings in a temporary file."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6 import QtCore, QtWidgets

from nnviz.app.main import make_window

#: Top-level widgets the tests made, kept alive until the process ends (see no_windows_left_behind).
KEPT: list = []


@pytest.fixture
def settings(tmp_path):
    return QtCore.QSettings(str(tmp_path / "settings.ini"), QtCore.QSettings.Format.IniFormat)


@pytest.fixture
def errors(monkeypatch):
    """Error dialogs the window showed, as (title, text), instead of blocking on them."""
    shown = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "critical", lambda parent, title, text, *a: shown.append((title, text)))
    # A modal question would wait forever for a click; tests that mean to answer patch ask_unsaved.
    monkeypatch.setattr(QtWidgets.QMessageBox, "question",
                        lambda *a, **k: pytest.fail(f"unexpected question dialog: {a[1:3]}"))
    return shown


@pytest.fixture
def window(qtbot, settings, errors):
    window = make_window(settings=settings)
    # Not qtbot.addWidget: pytest-qt would close it before this fixture can discard the
    # unsaved training, and closing would then ask.
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.controller.shutdown()
    window.setWindowModified(False)
    window.close()



@pytest.fixture
def fresh(window):
    """The window with a new, untrained network (seed 0)."""
    window.new_network()
    assert window.network.sizes == (784, 16, 16, 10)
    return window


@pytest.fixture(autouse=True)
def no_windows_left_behind(qapp):
    yield
    QtWidgets.QApplication.processEvents()
    windows = [w for w in QtWidgets.QApplication.topLevelWidgets() if isinstance(w, QtWidgets.QMainWindow)]
    left = [w for w in windows if w.isVisible()]
    for w in left:
        w.setWindowModified(False)
        w.close()
    for w in windows:
        if hasattr(w, "controller"):
            w.controller.shutdown()
    # Keep every top-level widget a test made until the process ends. Deleted by Python's garbage
    # collector at a random moment of a later test (or in the order Qt deletes them), one of the
    # pyqtgraph-based widgets now and then crashed in its destructor (a segfault in teardown,
    # about one run in three on a loaded machine; not reproduced in the app itself, whose start
    # and quit tests/app/test_smoke.py checks in a process of its own). See tests/conftest.py.
    KEPT.extend(w for w in QtWidgets.QApplication.topLevelWidgets() if shiboken6.isValid(w) and w.parent() is None)
    assert not left, f"a test left windows open: {left}"
