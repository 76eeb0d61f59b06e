"""The window, built the way `nnviz` builds it, with settings in a temporary file; and the rule
that every test leaves no window behind (napari's fixture does the same)."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6 import QtCore, QtWidgets

from nnviz.app.main import make_window
from nnviz.model import events
from nnviz.model.options import SPEEDS


@pytest.fixture
def settings(tmp_path):
    return QtCore.QSettings(str(tmp_path / "settings.ini"), QtCore.QSettings.Format.IniFormat)


@pytest.fixture
def errors(monkeypatch):
    """Error dialogs the window showed, as (title, text), instead of blocking on them."""
    shown = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "critical", lambda parent, title, text, *a: shown.append((title, text)))
    # A modal question would wait forever for a click; tests that mean to answer patch the window's dialogs.
    monkeypatch.setattr(QtWidgets.QMessageBox, "question",
                        lambda *a, **k: pytest.fail(f"unexpected question dialog: {a[1:3]}"))
    return shown


@pytest.fixture
def window(qtbot, settings, errors):
    window = make_window(settings=settings)
    # Not qtbot.addWidget: pytest-qt would close it before this fixture can discard the
    # unsaved training, and closing would then ask.
    window.resize(1400, 900)
    # Tests train at full speed; a person starts slower (test_window checks the default).
    window.model.set_speed(len(SPEEDS) - 1)
    window.show()
    qtbot.waitExposed(window)
    yield window
    close(window)


@pytest.fixture
def fresh(window):
    """The window with a new, untrained network (seed 0)."""
    window.files.new_network()
    assert window.model.network.sizes == (784, 16, 16, 10)
    return window


@pytest.fixture
def own():
    """``own(window)``: a window the test made itself, closed (without questions) after it."""
    made = []
    yield made.append
    for window in made:
        close(window)


def close(window) -> None:
    """Close ``window`` without a question about unsaved training."""
    if shiboken6.isValid(window):
        window.controller.shutdown()
        window.model.set_dirty(False)
        window.close()


@pytest.fixture(autouse=True)
def handler_errors(monkeypatch):
    """A view that fails while following the model fails the test (the app only logs it)."""
    failures = []
    monkeypatch.setattr(events, "on_handler_error", lambda name, error: failures.append((name, error)))
    yield failures
    if failures:
        name, error = failures[0]
        raise AssertionError(f"a handler of the model's {name!r} event failed: {error!r}") from error


@pytest.fixture(autouse=True)
def no_windows_left_behind(qapp):
    before = set(QtWidgets.QApplication.topLevelWidgets())
    yield
    QtWidgets.QApplication.processEvents()
    left = [w for w in QtWidgets.QApplication.topLevelWidgets() if w not in before and w.isVisible()]
    for w in left:
        if isinstance(w, QtWidgets.QMainWindow) and hasattr(w, "model"):
            close(w)
        else:
            w.close()
    # Windows close with WA_DeleteOnClose: their deletion is posted; run it now.
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    QtWidgets.QApplication.processEvents()
    assert not left, f"a test left windows open: {left}"
    remaining = [w for w in QtWidgets.QApplication.topLevelWidgets()
                 if w not in before and isinstance(w, QtWidgets.QMainWindow)]
    assert not remaining, f"a test left windows undeleted: {remaining}"
