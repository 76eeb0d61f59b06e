"""Fixtures shared by the core and app tests."""

from __future__ import annotations

import os

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
