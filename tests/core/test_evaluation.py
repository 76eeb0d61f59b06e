"""Accuracy and answers over a whole split, as the trainer and the window report them."""

import numpy as np

from nnviz.core.data import bundled_mnist_dir
from nnviz.core.evaluation import accuracy, confusion_matrix, predictions
from nnviz.core.files import load_network


def pretrained():
    return load_network(bundled_mnist_dir() / "pretrained-784-16-16-10.npz")[0]


def test_predictions_are_the_network_answers_for_every_image(mnist):
    network = pretrained()
    expected = network.predict(mnist.test.inputs())
    np.testing.assert_array_equal(predictions(network, mnist.test), expected)
    # chunks that do not divide the split, the last one shorter
    np.testing.assert_array_equal(predictions(network, mnist.test, chunk=3000), expected)
    assert accuracy(network, mnist.test) == (expected == mnist.test.labels).mean() > 0.955


def test_the_bundled_network_carries_the_history_of_its_training(mnist):
    from nnviz.core.files import load_run

    path = bundled_mnist_dir() / "pretrained-784-16-16-10.npz"
    run = load_run(path)
    history = run.history
    assert run.note is None and history.end == 30.0 and len(history) >= 80
    assert [e.epoch for e in history.epochs] == list(range(1, 31))
    assert history.epochs[-1].test_accuracy == accuracy(run.network, mnist.test)
    # the last checkpoint is the final network to float16's precision: the same answers nearly everywhere
    last = run.network.copy()
    last.params[:] = history.parameters(len(history) - 1)
    assert abs(accuracy(last, mnist.test) - accuracy(run.network, mnist.test)) < 0.002
    assert path.stat().st_size < 4_000_000


def test_confusion_matrix_counts_true_class_by_answer():
    labels = np.array([0, 0, 1, 2, 2, 2])
    answers = np.array([0, 1, 1, 2, 0, 2])
    matrix = confusion_matrix(labels, answers, 3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
