"""Accuracy and answers over a whole split, as the trainer and the window report them."""

import numpy as np
import pytest

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


def test_each_chunk_leaves_out_only_pixels_its_digits_never_light_and_each_digit_is_in_one(mnist):
    from nnviz.core.evaluation import pixel_chunks

    split = mnist.test
    chunks = pixel_chunks(split, 500)
    assert sorted(np.concatenate([part.examples for part in chunks]).tolist()) == list(range(len(split)))
    n = split.images.shape[1]
    for part in chunks:
        assert part.columns[-1] == n  # the 1's column, for the biases
        images = split.images[part.examples]
        np.testing.assert_array_equal(part.pixels, images[:, part.columns[:-1]])
        left_out = np.setdiff1d(np.arange(n), part.columns[:-1])
        assert not images[:, left_out].any()
    # What the grouping is for: a chunk of digits uses little more than half of the pixels, where
    # the test set's digits in their own order light two thirds or more of them in every chunk.
    share = np.mean([len(part.columns) - 1 for part in chunks]) / n
    in_order = np.mean([(split.images[s : s + 500] > 0).any(axis=0).mean() for s in range(0, len(split), 500)])
    assert share < 0.6 and in_order > 0.7
    assert pixel_chunks(split, 500) is chunks  # cut once per split


def test_answers_from_the_lit_pixels_are_the_network_outputs_from_every_pixel(mnist):
    from nnviz.core.evaluation import forward_chunks

    network = Network((784, 64, 32, 10), activation="relu", seed=3)
    split = mnist.validation
    for examples, workspace in forward_chunks(network, split, 700):
        expected = network.output(split.inputs(examples))
        np.testing.assert_allclose(workspace.a[-1].T, expected, rtol=1e-4, atol=1e-5)
        assert workspace.a[-1].shape == (10, len(examples))


def test_a_split_sent_to_another_process_leaves_what_was_derived_from_it_behind(mnist):
    import pickle

    from nnviz.core.evaluation import pixel_chunks

    pixel_chunks(mnist.test)
    assert mnist.test.derived
    sent = pickle.dumps(mnist.test)
    assert len(sent) < mnist.test.images.nbytes + mnist.test.labels.nbytes + 10_000
    received = pickle.loads(sent)
    assert received.derived == {} and not received.images.flags.writeable  # its images never change there either


def test_an_empty_split_has_no_answers_and_a_dark_image_its_own(mnist):
    from nnviz.core.data import Split

    empty = Split("test", mnist.test.images[:0], mnist.test.labels[:0], mnist.test.image_shape)
    assert predictions(pretrained(), empty).shape == (0,)
    images = mnist.test.images[:5].copy()
    images[2] = 0  # a blank image: only the biases speak
    split = Split("test", images, mnist.test.labels[:5], mnist.test.image_shape)
    network = pretrained()
    np.testing.assert_array_equal(predictions(network, split), network.predict(split.inputs()))


def test_a_pass_over_the_lit_pixels_alone_cannot_be_followed_by_a_backward_pass():
    from nnviz.core.kernel import Workspace

    network = Network((4, 3, 2), seed=0)
    workspace = Workspace(network, 2)
    workspace.forward(np.ones((2, 5), np.float32))  # a whole input first: it must not be used after
    workspace.forward_columns(np.ones((2, 3), np.float32), np.array([0, 2, 4]))
    with pytest.raises(ValueError, match="whole input"):
        workspace.backward(np.zeros((2, 2), np.float32))
    with pytest.raises(ValueError, match="whole input"):
        workspace.forward_pass()
    workspace.forward(np.ones((2, 5), np.float32))
    workspace.backward(np.zeros((2, 2), np.float32))  # a whole pass again: both work


def test_a_network_that_does_not_fit_the_images_is_told_so(mnist):
    from nnviz.core.data import Split
    from nnviz.core.errors import ShapeError

    small = Split("test", mnist.test.images[:10, :700], mnist.test.labels[:10], (25, 28))
    with pytest.raises(ShapeError, match="784-input network cannot read 700-pixel images"):
        predictions(pretrained(), small)
    with pytest.raises(ShapeError):
        dead_neurons(pretrained(), small)


def test_blank_images_go_together_after_every_other(mnist):
    from nnviz.core.data import Split
    from nnviz.core.evaluation import pixel_chunks

    images = mnist.test.images[:1000].copy()
    images[[3, 500]] = 0
    split = Split("test", images, mnist.test.labels[:1000], mnist.test.image_shape)
    order = np.concatenate([part.examples for part in pixel_chunks(split, 100)])
    assert order[-2:].tolist() == [3, 500]
