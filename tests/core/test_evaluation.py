"""Accuracy and answers over a whole split, as the trainer and the window report them."""

import numpy as np

from nnviz.core.data import bundled_mnist_dir
from nnviz.core.evaluation import accuracy, confusion_matrix, dead_neurons, predictions
from nnviz.core.network import Network
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


def test_dead_neurons_are_the_hidden_neurons_silent_on_every_example():
    from nnviz.core.data import Split

    network = Network((4, 3, 3, 2), "relu", seed=0, dtype=np.float64)
    # on pixels in [0, 1], neuron 2 of layer 1 sums negative weights below a negative bias: never active
    network.weights[0][:] = [[1.0, 1.0, 1.0, 1.0], [-1.0, -1.0, -1.0, -1.0], [0.5, -0.2, 0.3, 0.1]]
    network.biases[0][:] = [0.0, -0.5, 0.1]
    # and neuron 1 of layer 2 is silent too: only the dead neuron could have woken it
    network.weights[1][:] = [[-1.0, 5.0, -1.0], [1.0, 0.0, 1.0], [0.5, 0.0, 0.0]]
    network.biases[1][:] = [-0.1, 0.1, 0.0]
    images = np.random.default_rng(0).integers(0, 256, (50, 4), dtype=np.uint8)
    split = Split("train", images, np.zeros(50, np.uint8), (2, 2))
    assert dead_neurons(network, split, chunk=7) == [(1, 1), (2, 0)]
    hidden = network.forward(split.inputs(dtype=np.float64)).activations[1:-1]
    assert [(l, k) for l, a in enumerate(hidden, start=1) for k in range(a.shape[1]) if not a[:, k].any()] == [(1, 1), (2, 0)]


def test_a_relu_network_stepped_too_hard_has_dead_neurons_on_real_digits(mnist):
    from nnviz.core.training import Trainer

    network = Network(activation="relu", seed=1)
    Trainer(network, mnist, learning_rate=1.0, seed=1, evaluate_test=False).run_batches(2000)
    dead = dead_neurons(network, mnist.validation)
    hidden = network.forward(mnist.validation.inputs()).activations[1:-1]
    assert dead == [(l, k) for l, a in enumerate(hidden, start=1) for k in np.flatnonzero(~a.any(axis=0))]
    assert dead  # η = 1, ten times the ReLU's default, kills some of them
    assert dead_neurons(pretrained(), mnist.validation) == []  # sigmoids never are exactly 0


def test_the_silent_neurons_shrink_chunk_by_chunk_to_the_dead_ones_and_stop_once_none_is_left(mnist):
    from nnviz.core.evaluation import silent_neurons

    network = Network(activation="relu", seed=1)
    network.biases[0][3] = -100.0  # z < 0 on every image: dead
    passes = list(silent_neurons(network, mnist.validation, chunk=1000))
    assert len(passes) == 10 and passes[-1] == dead_neurons(network, mnist.validation) == [(1, 3)]
    assert all(set(later) <= set(earlier) for earlier, later in zip(passes, passes[1:]))
    # every neuron of a sigmoid network is active on the first chunk: nothing more is read
    assert list(silent_neurons(pretrained(), mnist.validation, chunk=1000)) == [[]]
