"""Fixtures of the model's tests."""

from __future__ import annotations

import pytest

from nnviz.core.network import Network
from nnviz.core.training import Trainer
from nnviz.model import WindowModel


@pytest.fixture
def run(mnist):
    """A model with a short run's record (30 mini-batches)."""
    network = Network(seed=0)
    trainer = Trainer(network, mnist, seed=0)
    trainer.run_batches(30)
    return WindowModel(mnist, network, history=trainer.history, seed=0)
