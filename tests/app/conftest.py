"""The window, built the way `nnviz` builds it, with settings in a temporary file."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtWidgets

from nnviz.app.main import make_window


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
    assert not left, f"a test left windows open: {left}"
