"""A neuron's dream and the test images that excite it, on the bundled network and real MNIST."""

import numpy as np
import pytest

from nnviz.core.data import bundled_mnist_dir
from nnviz.core.dreams import (
    TV_SMOOTHING, DreamSettings, dream, dream_steps, dreams, exciting_images, image_shape, layer_values, output_dreams,
)
from nnviz.core.errors import NnvizError, ShapeError
from nnviz.core.files import load_run
from nnviz.core.network import Network

PRETRAINED = bundled_mnist_dir() / "pretrained-784-16-16-10.npz"


@pytest.fixture(scope="module")
def network():
    return load_run(PRETRAINED).network


@pytest.fixture(scope="module")
def network64(network):
    return Network.from_parameters([w.astype(np.float64) for w in network.weights],
                                   [b.astype(np.float64) for b in network.biases], network.activation, network.cost)


def weighted_input(network, x, layer, k):
    """z_k of ``layer`` for each row of x, written as the article writes it: a = σ(W a + b)."""
    a = x
    for l, (w, b) in enumerate(zip(network.weights, network.biases), start=1):
        z = a @ w.T + b
        if l == layer:
            return z[:, k]
        a = 1 / (1 + np.exp(-z))


def objective(network, x, layer, k, settings):
    """J = z_k - λ_tv Σ (√(d² + ε²) - ε) - λ_2 ½ Σ x², over the neighbours of a 28x28 picture."""
    pictures = x.reshape(-1, 28, 28)
    tv = sum((np.sqrt(d**2 + TV_SMOOTHING**2) - TV_SMOOTHING).sum(axis=(1, 2))
             for d in (pictures[:, :, 1:] - pictures[:, :, :-1], pictures[:, 1:, :] - pictures[:, :-1, :]))
    return weighted_input(network, x, layer, k) - settings.smoothness * tv - settings.smallness * 0.5 * (x**2).sum(axis=1)


@pytest.mark.parametrize("layer, k", [(1, 4), (2, 9), (3, 2)])
def test_each_step_climbs_the_gradient_that_finite_differences_give(network64, layer, k):
    settings = DreamSettings(steps=20, smoothness=0.02, smallness=0.05, start="static", seed=1)
    steps = list(dream_steps(network64, layer, k, settings))
    assert [s.step for s in steps] == list(range(21))
    for step in (steps[0], steps[1], steps[20]):
        x = step.image
        eye = np.eye(784) * 1e-6
        numeric = (objective(network64, x + eye, layer, k, settings) - objective(network64, x - eye, layer, k, settings)) / 2e-6
        np.testing.assert_allclose(step.gradient, numeric, rtol=1e-5, atol=1e-7)
        assert step.objective == pytest.approx(objective(network64, x[None], layer, k, settings)[0], rel=1e-12)
        assert step.z == pytest.approx(weighted_input(network64, x[None], layer, k)[0], rel=1e-12)


@pytest.mark.parametrize("layer, k", [(1, 0), (1, 15), (2, 3), (3, 1), (3, 7)])
def test_a_dream_excites_its_neuron_more_than_the_grey_it_starts_from(network, layer, k):
    result = dream(network, layer, k)
    assert np.all(result.start == 0.5)
    # Some neurons are nearly on at grey already (a ≈ 0.9999): their z, not a, shows how far it went.
    assert result.activation > result.activations[0] and result.objectives[-1] > result.objectives[0] + 1
    assert result.image.min() >= 0 and result.image.max() <= 1
    a = network.forward(result.image).activations[layer][0, k]
    assert result.activation == pytest.approx(float(a))


def test_the_ten_output_dreams_are_read_as_their_digits(network):
    dreams = output_dreams(network)
    for digit, each in enumerate(dreams):
        outputs = network.output(each.image)[0]
        assert outputs.argmax() == digit and each.outputs[digit] == pytest.approx(float(outputs[digit]))


def test_dreams_are_the_same_for_the_same_seed_and_differ_for_another(network):
    settings = DreamSettings(steps=30, start="static", seed=7, smoothness=0.01)
    first, again = dream(network, 3, 4, settings), dream(network, 3, 4, settings)
    other = dream(network, 3, 4, DreamSettings(steps=30, start="static", seed=8, smoothness=0.01))
    np.testing.assert_array_equal(first.image, again.image)
    np.testing.assert_array_equal(first.activations, again.activations)
    assert not np.array_equal(first.start, other.start) and not np.array_equal(first.image, other.image)


def test_a_dream_can_start_from_an_example(network, mnist):
    two = mnist.test.inputs(1)
    result = dream(network, 3, 7, DreamSettings(steps=10), start=two)
    np.testing.assert_allclose(result.start, two)
    assert result.activation > result.activations[0]


def test_the_images_that_excite_a_neuron_most_and_least(network, mnist):
    x = mnist.test.inputs().astype(np.float64)
    z = x @ network.weights[0][6].astype(np.float64) + network.biases[0][6]
    found = exciting_images(network, mnist.test.inputs(), 1, 6)
    order = np.argsort(z)
    np.testing.assert_array_equal(found.most, order[::-1][:9])
    np.testing.assert_array_equal(found.least, order[:9])
    np.testing.assert_allclose(found.most_activations, 1 / (1 + np.exp(-z[found.most])), rtol=1e-5)
    np.testing.assert_allclose(found.least_activations, 1 / (1 + np.exp(-z[found.least])), rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("layer, k, message", [
    (0, 0, "no layer 0"), (4, 0, "no layer 4"), (1, 16, "neurons 1 to 16"), (3, 10, "outputs 0 to 9"), (2, -1, "no neuron"),
])
def test_a_neuron_that_does_not_exist_is_one_line(network, layer, k, message):
    with pytest.raises(NnvizError, match=message) as error:
        dream(network, layer, k)
    assert "\n" not in str(error.value)


def test_a_network_whose_input_is_not_an_image_is_refused():
    with pytest.raises(ShapeError, match="not a square image"):
        dream(Network((50, 4, 3)), 2, 0)
    with pytest.raises(ShapeError, match="not a 7x8 image"):
        image_shape((50, 4, 3), (7, 8))
    assert image_shape((50, 4, 3), (5, 10)) == (5, 10)


@pytest.mark.parametrize("start", [np.full(784, 1.5), np.full(100, 0.5), np.full(784, np.nan)])
def test_a_start_that_is_not_an_image_of_the_network_is_refused(network, start):
    with pytest.raises(ShapeError):
        dream(network, 1, 0, start=start)


@pytest.mark.parametrize("options", [dict(start="black"), dict(steps=-1), dict(step_size=0), dict(smoothness=-1)])
def test_impossible_settings_are_refused(options):
    with pytest.raises(NnvizError):
        DreamSettings(**options)


@pytest.mark.parametrize("activation, cost", [("relu", "cross-entropy"), ("tanh", "mse")])
def test_the_values_of_a_layer_are_those_of_the_forward_pass(mnist, activation, cost):
    network = Network((784, 8, 10), activation, cost, seed=3)
    x = mnist.test.inputs()[:50]
    forward = network.forward(x)
    for layer in (1, 2):
        zs, activations = layer_values(network, x, layer)
        np.testing.assert_allclose(zs, forward.zs[layer - 1], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(activations, forward.activations[layer], rtol=1e-5, atol=1e-6)


def test_dreams_climbed_side_by_side_are_each_neurons_own(network64):
    settings = DreamSettings(steps=25, smoothness=0.01, start="static", seed=2)
    together = dreams(network64, 2, [0, 5, 9, 1, 2, 3, 4, 6, 7, 8, 10], settings)  # more than ROWS_AT_ONCE
    assert [each.neuron for each in together] == [0, 5, 9, 1, 2, 3, 4, 6, 7, 8, 10]
    for each in together:
        alone = dream(network64, 2, each.neuron, settings)
        np.testing.assert_allclose(each.image, alone.image, atol=1e-12)
        np.testing.assert_allclose(each.activations, alone.activations, rtol=1e-12)
    # a first-layer neuron's dream without penalty stops at the corner its weights' signs point to
    corner = dreams(network64, 1, [3, 4], DreamSettings(steps=500))
    for each in corner:
        assert each.steps < 500
        w = network64.weights[0][each.neuron]
        np.testing.assert_array_equal(each.image[w > 0], 1.0)
        np.testing.assert_array_equal(each.image[w < 0], 0.0)
