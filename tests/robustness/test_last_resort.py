"""A bug still never shows a person a traceback: it is logged in the state folder and one line says where."""

from __future__ import annotations

import sys

import pytest

import nnviz.core.files as files
from nnviz.cli import EXIT_BUG, main


@pytest.fixture
def state(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "nnviz"


def a_bug(*args, **kwargs):
    return {}["no such key"]


def test_a_bug_in_a_command_is_logged_and_shown_in_one_line(tmp_path, state, capsys, monkeypatch):
    monkeypatch.setattr(files, "load_run", a_bug)
    assert main(["info", str(tmp_path / "x.npz")]) == EXIT_BUG
    err = capsys.readouterr().err.strip().splitlines()
    logs = list(state.glob("crash-*.log"))
    assert len(err) == 1 and "Traceback" not in err[0] and len(err[0]) <= 300
    assert len(logs) == 1 and str(logs[0]) in err[0] and "internal error (KeyError)" in err[0]
    text = logs[0].read_text()
    assert "Traceback" in text and "a_bug" in text and "KeyError" in text


def test_when_the_log_cannot_be_written_the_line_says_so(tmp_path, capsys, monkeypatch):
    (tmp_path / "state").write_text("a file where the folder should be")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(files, "load_run", a_bug)
    assert main(["info", str(tmp_path / "x.npz")]) == EXIT_BUG
    err = capsys.readouterr().err
    assert "could not be written to a log file" in err.splitlines()[0]


def test_the_apps_excepthook_logs_and_shows_one_line(qapp, state, monkeypatch):
    from PySide6 import QtWidgets

    from nnviz.app.shell import crash

    shown = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "critical", lambda parent, title, text, *a: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    crash.install()
    try:
        a_bug()
    except KeyError:
        sys.excepthook(*sys.exc_info())
    logs = list(state.glob("crash-*.log"))
    assert len(logs) == 1 and "a_bug" in logs[0].read_text()
    assert len(shown) == 1 and str(logs[0]) in shown[0] and "\n" not in shown[0]
