"""Fixtures shared by the core and app tests."""

from __future__ import annotations

import os
import sys

# Tests draw without a screen; set before anything can import Qt.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest

from helpers import make_idx_dataset
from nnviz.core.data import load_dataset


@pytest.fixture(scope="session")
def mnist():
    """The real MNIST, as bundled in assets/ (loaded once per test session)."""
    return load_dataset()


@pytest.fixture
def tiny_dataset_dir(tmp_path):
    return make_idx_dataset(tmp_path / "tiny")


def pytest_sessionfinish(session, exitstatus):
    session.config.nnviz_exit_status = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    # The app tests keep the widgets they made alive to the end (tests/app/conftest.py,
    # no_windows_left_behind): leave without running Qt's destructors over them, once pytest has
    # written its report, with pytest's own exit status.
    status = getattr(config, "nnviz_exit_status", None)
    if status is not None and "PySide6.QtWidgets" in sys.modules:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
