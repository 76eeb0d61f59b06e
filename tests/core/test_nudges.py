"""The nudges the stepper shows, against finite differences, the article's literal backprop
(network.py's ``backprop_by_the_book``) and the trainer itself."""

import numpy as np
import pytest

from nnviz.core.arrays import one_hot
from nnviz.core.functions import ACTIVATIONS, COSTS
from nnviz.core.network import Network, backprop_by_the_book, feedforward_by_the_book
from nnviz.core.nudges import batch_nudges, example_nudges, repeat_step, step, under_cost
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
