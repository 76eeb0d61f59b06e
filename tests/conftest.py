"""Fixtures shared by the core and app tests."""

from __future__ import annotations

import os
import sys

# Tests draw without a screen; set before anything can import Qt.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest

from helpers import make_idx_dataset
from nnviz.core.data import Dataset, Split, load_dataset


@pytest.fixture(scope="session")
def mnist():
    """The real MNIST, as bundled in assets/ (loaded once per test session)."""
    return load_dataset()


@pytest.fixture(scope="session")
def small_mnist(mnist):
    """Real MNIST digits, few of them: 1,000 to train on, 500 to validate and 500 to test with,
    for tests that need many epochs or a whole-set step to take milliseconds."""
    def head(split, n):
        return Split(split.name, split.images[:n], split.labels[:n], split.image_shape)

    return Dataset(mnist.name, head(mnist.train, 1000), head(mnist.validation, 500), head(mnist.test, 500), mnist.class_names)


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
