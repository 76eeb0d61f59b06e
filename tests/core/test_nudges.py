"""The nudges the stepper shows, against finite differences, the article's literal backprop
(network.py's ``backprop_by_the_book``) and the trainer itself."""

import numpy as np
import pytest

from nnviz.core.arrays import one_hot
from nnviz.core.functions import ACTIVATIONS, COSTS
from nnviz.core.network import Network, backprop_by_the_book, feedforward_by_the_book
from nnviz.core.nudges import (Parameter, batch_nudges, example_nudges, predicted_change, repeat_step, scaled_steps, step,
                               under_book_cross_entropy, under_cost, wiggle)
from nnviz.core.training import Trainer
from oracle import book_gradients


def numeric_nudges(network, x, label, eta, eps=1e-6):
    """-η ∂C_x/∂θ for every parameter, by central differences, in the order of ``params``."""
    out = np.empty_like(network.params)
    for i in range(len(network.params)):
        saved = network.params[i]
        network.params[i] = saved + eps
        above = network.cost_of(x[None, :], [label])
        network.params[i] = saved - eps
        below = network.cost_of(x[None, :], [label])
        network.params[i] = saved
        out[i] = -eta * (above - below) / (2 * eps)
    return out


@pytest.mark.parametrize("activation, cost", [("sigmoid", "mse"), ("relu", "cross-entropy"), ("tanh", "mse")])
def test_every_nudge_is_minus_eta_times_the_example_gradient(activation, cost):
    network = Network((12, 5, 4, 3), activation, cost, seed=2, dtype=np.float64)
    x = np.random.default_rng(0).random(12)
    nudges = example_nudges(network, x, 2, learning_rate=0.3)
    laid_out = network.copy()  # the nudges in the order of ``params``
    for w, b, layer in zip(laid_out.weights, laid_out.biases, nudges.layers):
        w[:], b[:] = layer.weight_nudges, layer.bias_nudges
    np.testing.assert_allclose(laid_out.params, numeric_nudges(network, x, 2, 0.3), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("cost", sorted(COSTS))
def test_every_nudge_is_minus_eta_times_the_books_gradient_and_each_delta_the_books(activation, cost):
    network = Network((12, 5, 4, 3), activation, cost, seed=2, dtype=np.float64)
    x = np.random.default_rng(3).random(12)
    nudges = example_nudges(network, x, 2, learning_rate=0.3)
    nabla_b, nabla_w = backprop_by_the_book(network, x, one_hot(np.array([2]), 3, np.float64)[0])
    zs, activations = feedforward_by_the_book(network, x)
    for layer, b, w, z, a in zip(nudges.layers, nabla_b, nabla_w, zs, activations[1:], strict=True):
        np.testing.assert_allclose(layer.bias_nudges, -0.3 * b[:, 0], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(layer.weight_nudges, -0.3 * w, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(layer.deltas, b[:, 0], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(nudges.forward.zs[layer.layer - 1][0], z[:, 0], rtol=1e-12)
        np.testing.assert_allclose(nudges.forward.activations[layer.layer][0], a[:, 0], rtol=1e-12)


def test_the_output_layer_wants_the_right_answer_up_and_the_others_down():
    network = Network((12, 5, 4), seed=1, dtype=np.float64)
    nudges = example_nudges(network, np.random.default_rng(1).random(12), 3)
    wants = nudges.layer(2).activation_nudges
    assert wants[3] > 0 and (np.delete(wants, 3) < 0).all()
    np.testing.assert_allclose(wants, -2 * (nudges.output - nudges.target))
    np.testing.assert_allclose(nudges.costs, (nudges.output - nudges.target) ** 2)
    assert nudges.cost == pytest.approx(nudges.costs.sum())


def test_weight_nudges_grow_with_the_activation_they_come_from():
    network = Network((12, 5, 4), seed=1, dtype=np.float64)
    nudges = example_nudges(network, np.random.default_rng(1).random(12), 0)
    out = nudges.layer(2)
    hidden = nudges.forward.activations[1][0]
    # -η ∂C/∂w_jk = -η δ_j a_k: each row is the bias nudge times the activations
    np.testing.assert_allclose(out.weight_nudges, np.outer(out.bias_nudges, hidden))


def test_a_hidden_neuron_wants_the_sum_of_the_next_layers_wishes():
    network = Network((12, 5, 4), seed=1, dtype=np.float64)
    nudges = example_nudges(network, np.random.default_rng(1).random(12), 0)
    hidden = nudges.layer(1)
    np.testing.assert_allclose(hidden.wishes.sum(axis=0), hidden.activation_nudges)
    np.testing.assert_allclose(hidden.wishes[2], -network.weights[1][2] * nudges.layer(2).deltas[2])


def test_the_step_lowers_the_example_cost_for_a_small_learning_rate(mnist):
    network = Network(seed=0, dtype=np.float64)
    x, label = mnist.train.inputs(5, np.float64), int(mnist.train.labels[5])
    result = step(network, example_nudges(network, x, label, learning_rate=0.1))
    assert result.cost_after < result.cost_before
    assert result.output_after[label] > result.output_before[label]
    assert np.array_equal(network.params, Network(seed=0, dtype=np.float64).params)  # a copy was stepped


def test_the_mini_batch_average_is_the_step_the_trainer_takes(mnist):
    network = Network(seed=4, dtype=np.float64)
    trained = network.copy()
    Trainer(trained, mnist, batch_size=10, learning_rate=0.5, seed=9).run_batches(1)
    first = np.random.default_rng(9).permutation(len(mnist.train))[:10]
    batch = batch_nudges(network, mnist.train.inputs(first, np.float64), mnist.train.labels[first], learning_rate=0.5)
    for l in range(3):
        np.testing.assert_allclose(network.weights[l] + batch.weight_nudges[l], trained.weights[l], atol=1e-12)
        np.testing.assert_allclose(network.biases[l] + batch.bias_nudges[l], trained.biases[l], atol=1e-12)
    oracle = book_gradients(network, mnist.train.inputs(first, np.float64), mnist.train.labels[first])
    for l in range(3):
        np.testing.assert_allclose(batch.weight_nudges[l], -0.5 * oracle.weights[l], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(batch.bias_nudges[l], -0.5 * oracle.biases[l], rtol=1e-10, atol=1e-14)
    # and no single example asks for the average
    assert all(not np.allclose(e.layers[0].weight_nudges, batch.weight_nudges[0]) for e in batch.examples)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_the_chain_at_every_layer_is_cost_wish_times_slope_equals_delta(activation):
    network = Network((12, 5, 4, 3), activation, "mse", seed=2, dtype=np.float64)
    nudges = example_nudges(network, np.random.default_rng(0).random(12), 1, learning_rate=0.3)
    for l, layer in enumerate(nudges.layers, start=1):
        a = nudges.forward.activations[l][0]
        if l == 3 or activation == "sigmoid":
            np.testing.assert_allclose(layer.derivatives, a * (1 - a))  # σ'(z) = a(1 - a)
        np.testing.assert_allclose(layer.activation_gradients * layer.derivatives, layer.deltas)
        np.testing.assert_allclose(layer.bias_nudges, -0.3 * layer.deltas)
        np.testing.assert_allclose(layer.activation_nudges, -0.3 * layer.activation_gradients)


def test_under_cross_entropy_the_output_delta_has_no_slope_factor():
    network = Network((12, 5, 4), seed=1, dtype=np.float64)
    x = np.random.default_rng(1).random(12)
    other = under_cost(network, "cross-entropy")
    np.testing.assert_array_equal(other.params, network.params)
    nudges = example_nudges(other, x, 3)
    assert nudges.layer(2).derivatives is None
    np.testing.assert_allclose(nudges.layer(2).deltas, nudges.output - nudges.target)
    assert nudges.output.sum() == pytest.approx(1.0)  # softmax outputs


def test_repeating_the_step_lowers_the_example_cost_each_time(mnist):
    network = Network(seed=0, dtype=np.float64)
    x, label = mnist.train.inputs(3, np.float64), int(mnist.train.labels[3])
    repeated = repeat_step(network, x, label, 0.5, 10)
    assert len(repeated.costs) == 11 and (np.diff(repeated.costs) < 0).all()
    assert repeated.costs[-1] == pytest.approx(repeated.network.cost_of(x[None, :], [label]))
    np.testing.assert_array_equal(network.params, Network(seed=0, dtype=np.float64).params)


def test_the_input_wish_is_minus_eta_times_the_slope_of_the_cost_in_each_pixel():
    network = Network((12, 5, 4, 3), seed=2, dtype=np.float64)
    x = np.random.default_rng(0).random(12)
    nudges = example_nudges(network, x, 1, learning_rate=0.4)
    assert nudges.input_nudges.shape == (12,)
    numeric = np.empty(12)
    for i in range(12):
        up, down = x.copy(), x.copy()
        up[i] += 1e-6
        down[i] -= 1e-6
        numeric[i] = -0.4 * (network.cost_of(up[None, :], [1]) - network.cost_of(down[None, :], [1])) / 2e-6
    np.testing.assert_allclose(nudges.input_nudges, numeric, rtol=1e-6, atol=1e-10)


def test_the_books_cross_entropy_keeps_the_sigmoid_outputs_and_its_delta_is_a_minus_y():
    network = Network((12, 5, 4), seed=1, dtype=np.float64)
    x = np.random.default_rng(1).random(12)
    judged = under_book_cross_entropy(network)
    np.testing.assert_array_equal(judged.output(x), network.output(x))  # only the cost changes
    nudges = example_nudges(judged, x, 3)
    a, y = nudges.output, nudges.target
    out = nudges.layer(2)
    np.testing.assert_allclose(out.deltas, a - y)
    # σ' cancels: ∂C/∂a × σ'(z) is still δ, and σ' is there to cancel
    np.testing.assert_allclose(out.derivatives, a * (1 - a))
    np.testing.assert_allclose(out.activation_gradients * out.derivatives, out.deltas)
    assert nudges.cost == pytest.approx(-np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)))
    # and every nudge is still -η times the slope of this cost
    laid_out = network.copy()
    for w, b, layer in zip(laid_out.weights, laid_out.biases, nudges.layers):
        w[:], b[:] = layer.weight_nudges, layer.bias_nudges
    np.testing.assert_allclose(laid_out.params, numeric_nudges(judged, x, 3, 1.0), rtol=1e-6, atol=1e-9)


def test_a_network_judged_by_the_books_cross_entropy_can_be_copied_and_pickled():
    import pickle
    judged = under_book_cross_entropy(Network((6, 3, 2), seed=0))
    for copy in (judged.copy(), pickle.loads(pickle.dumps(judged))):
        assert copy.cost.name == "binary cross-entropy"
        np.testing.assert_array_equal(copy.params, judged.params)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("parameter", [Parameter(1, 2, 7), Parameter(2, 0, 3), Parameter(3, 1, None)])
def test_wiggling_one_parameter_changes_the_cost_by_its_gradient_times_epsilon(parameter, dtype):
    network = Network((12, 5, 4, 3), seed=2, dtype=dtype)
    x = np.random.default_rng(0).random(12)
    result = wiggle(network, x, 1, parameter, 1e-4)
    exact = Network((12, 5, 4, 3), seed=2, dtype=np.float64)
    exact.params[:] = network.params
    nudges = example_nudges(exact, x, 1, learning_rate=1.0)
    layer = nudges.layer(parameter.layer)
    expected = -(layer.bias_nudges[parameter.neuron] if parameter.is_bias
                 else layer.weight_nudges[parameter.neuron, parameter.source])
    assert result.gradient == pytest.approx(expected, rel=1e-9)
    for slope in (result.slope_up, result.slope_down):
        assert slope == pytest.approx(result.gradient, rel=1e-4)
    assert result.cost == pytest.approx(nudges.cost)
    assert np.array_equal(network.params, exact.params.astype(dtype))  # the network itself is untouched


def test_the_first_order_prediction_of_the_step_matches_the_step_for_a_small_learning_rate(mnist):
    network = Network(seed=0, dtype=np.float64)
    x, label = mnist.train.inputs(5, np.float64), int(mnist.train.labels[5])
    for eta, tolerance in ((0.001, 0.01), (0.0001, 0.001)):
        nudges = example_nudges(network, x, label, eta)
        actual = step(network, nudges)
        gradient_norm = sum(np.sum(l.weight_nudges ** 2) + np.sum(l.bias_nudges ** 2) for l in nudges.layers) / eta ** 2
        assert predicted_change(nudges) == pytest.approx(-eta * gradient_norm)
        assert actual.cost_after - actual.cost_before == pytest.approx(predicted_change(nudges), rel=tolerance)


def test_scaled_steps_are_the_step_taken_with_a_scaled_learning_rate(mnist):
    network = Network(seed=0, dtype=np.float64)
    x, label = mnist.train.inputs(5, np.float64), int(mnist.train.labels[5])
    nudges = example_nudges(network, x, label, 0.5)
    costs = scaled_steps(network, nudges, [1.0, 4.0])
    assert costs[0] == step(network, nudges).cost_after
    assert costs[1] == pytest.approx(step(network, example_nudges(network, x, label, 2.0)).cost_after, rel=1e-9)
