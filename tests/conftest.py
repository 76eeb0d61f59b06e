"""Fixtures shared by the core and app tests."""

from __future__ import annotations

import os

# Tests draw without a screen; set before anything can import Qt.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
# One BLAS thread in each test process, as the window has (cli.one_blas_thread_for_the_window):
# the suite runs one process a core (pytest-xdist), and a second OpenBLAS thread waiting for a
# busy core made the training tests 2-3x slower. Set before NumPy loads OpenBLAS; the processes
# tests start inherit it (test_blas_threads starts its own without).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

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


@pytest.fixture(scope="session")
def short_run(mnist):
    """A real run's first 300 mini-batches (10 examples each, η = 1, seed 0): its network (at the
    end), its record, and 200 training examples to take costs on (inputs, labels)."""
    from nnviz.core.network import Network
    from nnviz.core.training import Trainer
    from nnviz.core.valley import training_sample

    network = Network(seed=0)
    trainer = Trainer(network, mnist, batch_size=10, learning_rate=1.0, seed=0, evaluate_test=False)
    trainer.run_batches(300)
    return network, trainer.history, *training_sample(mnist.train, size=200)
