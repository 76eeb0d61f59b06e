"""Edges and loops? The measures of a weight picture against direct computations, and the
reading they give for pictures whose answer is known: a stroke, a broad pattern, noise."""

import numpy as np
import pytest

from nnviz.core.data import bundled_mnist_dir
from nnviz.core.dreams import exciting_images
from nnviz.core.edges_and_loops import (
    KINDS, concentration, edges_and_loops, pixels_in_use, smoothness, window_side,
)
from nnviz.core.errors import ShapeError
from nnviz.core.files import load_run
from nnviz.core.network import Network

SHAPE = (28, 28)


def test_smoothness_is_the_correlation_of_neighbouring_weights_in_use():
    rng = np.random.default_rng(0)
    pictures = rng.normal(size=(3, 784)).cumsum(axis=1)
    in_use = rng.random(784) > 0.3
    for picture, measured in zip(pictures, smoothness(pictures, SHAPE, in_use)):
        w, use = picture.reshape(SHAPE), in_use.reshape(SHAPE)
        pairs = [(w[r, c], w[r, c + 1]) for r in range(28) for c in range(27) if use[r, c] and use[r, c + 1]]
        pairs += [(w[r, c], w[r + 1, c]) for r in range(27) for c in range(28) if use[r, c] and use[r + 1, c]]
        assert measured == pytest.approx(np.corrcoef(np.array(pairs).T)[0, 1], rel=1e-9)


def test_concentration_is_the_best_squares_share_of_the_weight():
    rng = np.random.default_rng(1)
    pictures = rng.normal(size=(2, 784))
    in_use = rng.random(784) > 0.2
    side = window_side(SHAPE)
    for picture, measured in zip(pictures, concentration(pictures, SHAPE, in_use)):
        energy = (picture**2 * in_use).reshape(SHAPE)
        best = max(energy[r : r + side, c : c + side].sum() for r in range(29 - side) for c in range(29 - side))
        assert measured == pytest.approx(best / energy.sum(), rel=1e-9)


def test_a_stroke_a_broad_pattern_and_noise_are_told_apart(mnist):
    rows, cols = np.mgrid[0:28, 0:28]
    stroke = np.exp(-((rows - 14) ** 2) / 4.0) * ((cols > 10) & (cols < 18))  # a short bar
    pattern = np.sin(rows / 4.0) * np.cos(cols / 5.0)  # blobs all over
    noise = np.random.default_rng(2).normal(size=SHAPE)
    network = Network((784, 4, 10), seed=0, dtype=np.float64)
    network.weights[0][:] = np.array([stroke.ravel(), pattern.ravel(), noise.ravel(), -stroke.ravel()])
    verdict = edges_and_loops(network, mnist.test.inputs()[:500], mnist.test.labels[:500])
    assert [n.kind for n in verdict.neurons] == ["stroke", "pattern", "noise", "stroke"]
    assert verdict.counts == {"stroke": 2, "pattern": 1, "noise": 1}
    assert [n.sign for n in (verdict.neurons[0], verdict.neurons[3])] == [1, -1]
    assert "A stroke in one place" in verdict.neurons[0].reading and "switches it off" not in verdict.neurons[0].reading
    assert "switches it off" in verdict.neurons[3].reading and "1 of them firing when it is missing" in verdict.summary
    assert "noise" in verdict.neurons[2].reading.lower()


def test_the_bundled_network_is_read_from_its_own_evidence(mnist):
    network = load_run(bundled_mnist_dir() / "pretrained-784-16-16-10.npz").network
    in_use = pixels_in_use(mnist.train.images)
    verdict = edges_and_loops(network, mnist.test.inputs(), mnist.test.labels, in_use)
    assert len(verdict.neurons) == 16 and sum(verdict.counts.values()) == 16
    for kind in KINDS:
        assert f"{verdict.counts[kind]} " in verdict.summary
    for evidence in verdict.neurons:
        favourites = exciting_images(network, mnist.test.inputs(), 1, evidence.neuron)
        np.testing.assert_array_equal(evidence.favourites.most, favourites.most)
        np.testing.assert_array_equal(evidence.favourite_labels, mnist.test.labels[favourites.most])
        assert f"{evidence.smoothness:.2f}" in evidence.reading and f"{evidence.concentration:.0%}" in evidence.reading
        # the same weights shuffled among the pixels: noise, against which each picture is read
        assert abs(evidence.smoothness_noise) < 0.1 < evidence.smoothness


def test_pixels_in_use_are_those_with_ink_in_enough_images():
    images = np.zeros((200, 4), np.uint8)
    images[:1, 0] = 255  # 0.5% of the images
    images[:3, 1] = 10  # 1.5%
    assert pixels_in_use(images).tolist() == [False, True, False, False]


def test_a_network_without_a_hidden_layer_or_an_image_is_refused(mnist):
    with pytest.raises(ShapeError):
        edges_and_loops(Network((784, 10)), mnist.test.inputs()[:10], mnist.test.labels[:10])
    with pytest.raises(ShapeError):
        edges_and_loops(Network((50, 4, 10)), np.zeros((3, 50)), np.zeros(3, int))
