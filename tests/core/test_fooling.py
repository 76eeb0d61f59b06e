"""Fooling the bundled network: a 2 read as a 7 after small pixel changes, static read as digits."""

import numpy as np
import pytest

from nnviz.core.data import bundled_mnist_dir
from nnviz.core.errors import NnvizError, ShapeError
from nnviz.core.files import load_run
from nnviz.core.fooling import CONFIDENT, GREY_LEVEL, fool, fool_example, fooling_static, static_row
from nnviz.core.network import Network

PRETRAINED = bundled_mnist_dir() / "pretrained-784-16-16-10.npz"


@pytest.fixture(scope="module")
def network():
    return load_run(PRETRAINED).network


@pytest.mark.parametrize("index, target", [(1, 7), (0, 3), (2, 0), (3, 8)])
def test_the_fooled_image_is_read_as_the_target_and_changed_only_as_reported(network, mnist, index, target):
    original = mnist.test.inputs(index, np.float64)
    assert network.predict(original)[0] == mnist.test.labels[index] != target
    result = fool_example(network, mnist.test, index, target)
    assert result.fooled and network.predict(result.image)[0] == target
    np.testing.assert_array_equal(result.original, original)
    change = result.image - original
    assert np.abs(change).max() <= result.largest_change
    assert np.count_nonzero(change) == result.pixels_changed > 0
    # every pixel moved a whole number of grey levels, at most one a step
    levels = np.abs(change) / GREY_LEVEL
    np.testing.assert_allclose(levels, np.round(levels), atol=1e-5)
    assert result.largest_change <= result.steps * GREY_LEVEL + 1e-9
    assert 0 <= result.image.min() and result.image.max() <= 1
    np.testing.assert_allclose(result.outputs_before, network.output(original)[0], rtol=1e-6)
    np.testing.assert_allclose(result.outputs_after, network.output(result.image)[0], rtol=1e-6)


def test_the_steps_stop_as_soon_as_the_target_wins(network, mnist):
    result = fool_example(network, mnist.test, 1, 7)
    one_fewer = fool(network, mnist.test.inputs(1), 7, max_steps=result.steps - 1)
    assert not one_fewer.fooled and one_fewer.steps == result.steps - 1
    assert network.predict(one_fewer.image)[0] != 7


def test_an_image_already_read_as_the_target_is_left_alone(network, mnist):
    result = fool_example(network, mnist.test, 0, int(mnist.test.labels[0]))
    assert result.fooled and result.steps == 0 and result.pixels_changed == 0 and result.largest_change == 0


def test_static_is_read_as_each_digit_with_confidence(network):
    row = static_row(network, seed=0)
    for digit, result in enumerate(row):
        outputs = network.output(result.image)[0]
        assert result.fooled and result.target == digit
        assert outputs.argmax() == digit and outputs[digit] > CONFIDENT
        assert result.original.mean() < 0.2  # static as dark as a digit, not a picture of one


def test_static_is_the_same_for_the_same_seed(network):
    first, again, other = (fooling_static(network, 3, seed) for seed in (5, 5, 6))
    np.testing.assert_array_equal(first.image, again.image)
    assert not np.array_equal(first.original, other.original)


@pytest.mark.parametrize("target, message", [(10, "not a class"), (-1, "not a class"), ("x", "not a class"),
                                             (True, "not a class")])
def test_a_target_that_is_not_a_class_is_one_line(network, mnist, target, message):
    with pytest.raises(NnvizError, match=message) as error:
        fool(network, mnist.test.inputs(0), target)
    assert "\n" not in str(error.value)


def test_an_example_out_of_range_is_one_line(network, mnist):
    with pytest.raises(NnvizError, match="examples 1 to 10,000"):
        fool_example(network, mnist.test, 10_000, 3)


def test_a_network_whose_input_is_not_an_image_is_refused():
    with pytest.raises(ShapeError, match="not a square image"):
        fooling_static(Network((50, 4, 3)), 1)
