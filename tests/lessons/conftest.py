"""Fixtures for the lesson's tests: the bundled network and lessons on real MNIST (no Qt)."""

from __future__ import annotations

import pytest

from nnviz.core.data import bundled_mnist_dir
from nnviz.core.files import load_network
from nnviz.lessons.lesson import Lesson, LessonExample


@pytest.fixture(scope="session")
def pretrained():
    """The network nnviz opens on first launch (784-16-16-10, trained), as its file has it."""
    return load_network(bundled_mnist_dir() / "pretrained-784-16-16-10.npz")[0]


@pytest.fixture
def make_lesson(mnist):
    def make(network, split="test", index=1, learning_rate=1.0, **kwargs) -> Lesson:
        return Lesson(network, mnist, LessonExample.from_split(mnist, split, index, network.dtype), learning_rate, **kwargs)
    return make
