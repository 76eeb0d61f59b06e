"""The network's maths against two oracles in float64: the article's literal passes (network.py's
``*_by_the_book``), themselves checked once against central finite differences, and finite
differences directly."""

import numpy as np
import pytest

from nnviz.core.arrays import one_hot
from nnviz.core.errors import ShapeError
from nnviz.core.functions import ACTIVATIONS, COSTS
from nnviz.core.network import Network, backprop_by_the_book, feedforward_by_the_book, parameter_count
from oracle import book_forward, book_gradients


def numerical_gradient(network, x, labels, parameters, eps=1e-6):
    """∂C/∂θ for every θ in ``parameters`` (a view into the network) by central differences."""
    gradient = np.empty_like(parameters)
    for i in np.ndindex(parameters.shape):
        saved = parameters[i]
        parameters[i] = saved + eps
        above = network.cost_of(x, labels)
        parameters[i] = saved - eps
        below = network.cost_of(x, labels)
        parameters[i] = saved
        gradient[i] = (above - below) / (2 * eps)
    return gradient


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("cost", sorted(COSTS))
def test_backprop_agrees_with_finite_differences(activation, cost):
    network = Network((6, 5, 4, 3), activation, cost, seed=3, dtype=np.float64)
    rng = np.random.default_rng(1)
    x = rng.random((7, 6))
    labels = rng.integers(0, 3, 7)
    network.biases[0][:] = rng.normal(size=5)  # nonzero biases, so that their role is checked too
    gradients = network.backprop(x, labels)
    for l in range(len(network.weights)):
        for name, analytic, parameters in (
            ("weights", gradients.weights[l], network.weights[l]),
            ("biases", gradients.biases[l], network.biases[l]),
        ):
            numeric = numerical_gradient(network, x, labels, parameters)
            relative = np.linalg.norm(analytic - numeric) / max(np.linalg.norm(analytic) + np.linalg.norm(numeric), 1e-12)
            assert relative < 1e-6, f"layer {l + 1} {name}: relative error {relative:.2e}"


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("cost", sorted(COSTS))
def test_the_books_backprop_agrees_with_finite_differences_of_the_books_forward_pass(activation, cost):
    network = Network((6, 5, 4, 3), activation, cost, seed=3, dtype=np.float64)
    rng = np.random.default_rng(2)
    network.params[:] = rng.normal(size=network.params.shape)  # nonzero biases, relu's kinks away from 0
    x, y = rng.random(6), one_hot(np.array([1]), 3, np.float64)[0]

    def cost_of(params):
        a = feedforward_by_the_book(network_at(network, params), x)[1][-1]
        return network.cost.per_output(a.T, y[None, :]).sum()

    nabla_b, nabla_w = backprop_by_the_book(network, x, y)
    # laid out as ``params``: each layer's [W | b], row by row
    analytic = np.concatenate([np.hstack([w, b]).ravel() for w, b in zip(nabla_w, nabla_b)])
    numeric = np.empty_like(network.params)
    for i in range(len(network.params)):
        step = np.zeros_like(network.params)
        step[i] = 1e-6
        numeric[i] = (cost_of(network.params + step) - cost_of(network.params - step)) / 2e-6
    relative = np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric))
    assert relative < 1e-7, f"relative error {relative:.2e}"
    assert np.linalg.norm(analytic) > 1e-3  # a gradient that could have been wrong


def network_at(network, params):
    twin = network.copy()
    twin.params[:] = params
    return twin


ARCHITECTURES = [(4, 3), (6, 5, 4, 3), (9, 8, 2, 7, 5)]


@pytest.mark.parametrize("sizes", ARCHITECTURES, ids=lambda sizes: "-".join(map(str, sizes)))
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("cost", sorted(COSTS))
def test_the_fast_forward_pass_and_backprop_are_the_books(sizes, activation, cost):
    network = Network(sizes, activation, cost, seed=4, dtype=np.float64)
    rng = np.random.default_rng(len(sizes))
    for b in network.biases:
        b[:] = rng.normal(size=b.shape)
    x, labels = rng.random((7, sizes[0])), rng.integers(0, sizes[-1], 7)
    assert_fast_path_is_the_books(network, x, labels)


@pytest.mark.parametrize("activation, cost", [("sigmoid", "mse"), ("relu", "cross-entropy")])
def test_the_article_network_on_real_digits_is_the_books(mnist, activation, cost):
    network = Network((784, 16, 16, 10), activation, cost, seed=5, dtype=np.float64)
    rows = np.arange(0, 50, 5)
    assert_fast_path_is_the_books(network, mnist.train.inputs(rows, np.float64), mnist.train.labels[rows])


def assert_fast_path_is_the_books(network, x, labels):
    close = dict(rtol=1e-10, atol=1e-13)
    fast, book = network.forward(x), book_forward(network, x)
    for name in ("zs", "activations"):
        for l, (ours, theirs) in enumerate(zip(getattr(fast, name), getattr(book, name), strict=True)):
            np.testing.assert_allclose(ours, theirs, **close, err_msg=f"{name}[{l}]")
    gradients, oracle = network.backprop(x, labels), book_gradients(network, x, labels)
    for name in ("weights", "biases", "deltas"):
        for l, (ours, theirs) in enumerate(zip(getattr(gradients, name), getattr(oracle, name), strict=True)):
            np.testing.assert_allclose(ours, theirs, **close, err_msg=f"∂C/∂{name} of layer {l + 1}")
    np.testing.assert_allclose(gradients.forward.output, book.output, **close)
    assert gradients.cost == pytest.approx(oracle.cost, rel=1e-12)
    assert network.cost_of(x, labels) == pytest.approx(oracle.cost, rel=1e-12)


def test_backprop_changes_nothing_and_reports_the_cost():
    network = Network((4, 3, 2), seed=0, dtype=np.float64)
    before = network.params.copy()
    x = np.random.default_rng(0).random((5, 4))
    labels = np.array([0, 1, 1, 0, 1])
    gradients = network.backprop(x, labels)
    np.testing.assert_array_equal(network.params, before)
    assert gradients.cost == pytest.approx(network.cost_of(x, labels))


def test_squared_error_is_the_sum_over_outputs_of_the_squared_difference():
    network = Network((3, 2), seed=0, dtype=np.float64)
    x = np.array([[0.2, 0.4, 0.9]])
    a = network.forward(x).output[0]
    assert network.cost_of(x, [1]) == pytest.approx((a[0] - 0) ** 2 + (a[1] - 1) ** 2)


def test_backprop_returns_the_quantities_it_passes_between_layers():
    network = Network((4, 3, 2), seed=0, dtype=np.float64)
    x = np.random.default_rng(0).random((2, 4))
    g = network.backprop(x, [1, 0])
    y = one_hot(np.array([1, 0]), 2, np.float64)
    out = g.forward.output
    np.testing.assert_allclose(g.activation_gradients[-1], 2 * (out - y))
    np.testing.assert_allclose(g.deltas[-1], 2 * (out - y) * out * (1 - out))
    # ∂C/∂a of the hidden layer is the output deltas weighted by the weights: Σ_j w_jk δ_j
    np.testing.assert_allclose(g.activation_gradients[0], g.deltas[1] @ network.weights[1])
    # the weight gradient is the mean over examples of δ times the activation it comes from
    np.testing.assert_allclose(g.weights[1], g.deltas[1].T @ g.forward.activations[1] / 2)


def test_forward_pass_matches_the_formula():
    network = Network((3, 4, 2), "tanh", seed=5, dtype=np.float64)
    x = np.array([0.1, 0.5, 0.3])
    fp = network.forward(x)
    z1 = network.weights[0] @ x + network.biases[0]
    a1 = np.tanh(z1)
    z2 = network.weights[1] @ a1 + network.biases[1]
    np.testing.assert_allclose(fp.zs[0][0], z1)
    np.testing.assert_allclose(fp.activations[1][0], a1)
    np.testing.assert_allclose(fp.output[0], 1 / (1 + np.exp(-z2)))


def test_softmax_outputs_are_probabilities():
    network = Network((5, 4, 3), "relu", "cross-entropy", seed=0)
    out = network.output(np.random.default_rng(0).random((10, 5)) * 50)
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out.sum(axis=1), 1, rtol=1e-5)


def test_same_seed_same_network_and_different_seed_different_network():
    assert np.array_equal(Network(seed=4).params, Network(seed=4).params)
    assert not np.array_equal(Network(seed=4).params, Network(seed=5).params)


def test_initial_weights_scale_with_fan_in():
    network = Network((784, 16, 16, 10), seed=0)
    # N(0, 1/n_in): the spread of w·x stays near 1 whatever the number of inputs
    assert network.weights[0].std() == pytest.approx(1 / np.sqrt(784), rel=0.05)
    assert network.weights[1].std() == pytest.approx(1 / np.sqrt(16), rel=0.25)


@pytest.mark.parametrize("activation, variance", [("sigmoid", lambda i, o: 1 / i), ("relu", lambda i, o: 2 / i),
                                                  ("tanh", lambda i, o: 2 / (i + o))], ids=["LeCun", "He", "Glorot"])
def test_each_activation_starts_from_its_own_spread_of_weights(activation, variance):
    network = Network((784, 100, 10), activation, seed=0)
    for w in network.weights:
        n_out, n_in = w.shape
        assert w.std() == pytest.approx(np.sqrt(variance(n_in, n_out)), rel=0.05)


def test_a_seeded_sigmoid_network_is_drawn_as_it_always_was():
    rng = np.random.default_rng(7)
    network = Network((784, 16, 16, 10), seed=7)
    for w in network.weights:
        np.testing.assert_array_equal(w, (rng.standard_normal(w.shape) / np.sqrt(w.shape[1])).astype(np.float32))
    assert not network.biases[0].any()


def test_he_initialisation_keeps_the_spread_of_z_through_relu_layers(mnist):
    x = mnist.train.inputs(slice(0, 2000))
    he = Network((784, 100, 100, 100, 10), "relu", seed=0)
    moments = [float(np.mean(z**2)) for z in he.forward(x).zs[:3]]
    assert max(moments) / min(moments) < 1.5
    # with LeCun's 1/n_in instead each ReLU layer halves E[z²]: a quarter left two layers on
    lecun = he.copy()
    lecun.params /= np.sqrt(2)
    shrunk = [float(np.mean(z**2)) for z in lecun.forward(x).zs[:3]]
    assert shrunk[2] / shrunk[0] == pytest.approx(moments[2] / moments[0] / 4, rel=1e-3)


def test_weights_and_biases_are_views_of_the_parameters():
    network = Network((3, 2, 2), seed=0)
    network.weights[0][1, 2] = 7.0
    network.biases[1][0] = -3.0
    twin = network.copy()
    assert twin.weights[0][1, 2] == 7.0 and twin.biases[1][0] == -3.0
    twin.params[:] = 0
    assert network.weights[0][1, 2] == 7.0


def test_a_network_made_from_given_parameters_holds_a_copy_of_them_and_refuses_a_misfit():
    given = np.arange(parameter_count((3, 2, 2)), dtype=np.float64)
    network = Network((3, 2, 2), "tanh", params=given)
    np.testing.assert_array_equal(network.params, given)
    assert network.dtype == np.float32 and network.weights[0][1, 2] == given[6]  # row 1 of [W | b], column 2
    given[:] = 0
    assert network.params[6] == 6.0  # a copy
    with pytest.raises(ShapeError):
        Network((3, 2, 2), params=np.zeros(5))


def test_from_parameters_round_trips():
    original = Network((5, 3, 2), "relu", "cross-entropy", seed=2)
    rebuilt = Network.from_parameters(original.weights, original.biases, "relu", "cross-entropy")
    assert rebuilt.sizes == (5, 3, 2) and rebuilt.dtype == np.float32
    np.testing.assert_array_equal(rebuilt.params, original.params)


@pytest.mark.parametrize(
    "bad",
    [np.zeros((2, 5)), np.zeros(4), np.full((1, 3), np.nan), np.array([[0.0, np.inf, 1.0]])],
    ids=["too-many-inputs", "wrong-length", "nan", "inf"],
)
def test_bad_inputs_raise_a_clear_error(bad):
    network = Network((3, 2), seed=0)
    with pytest.raises(ShapeError):
        network.forward(bad)


def test_set_parameters_checks_everything_before_changing_anything():
    network = Network((3, 2, 2), seed=0)
    before = network.params.copy()
    weights = [w.copy() for w in network.weights]
    biases = [b.copy() for b in network.biases]
    weights[0][0, 0] = 42.0
    biases[1][0] = np.nan
    with pytest.raises(ShapeError, match="NaN"):
        network.set_parameters(weights, biases)
    np.testing.assert_array_equal(network.params, before)


@pytest.mark.parametrize("sizes", [(784,), (784, 0, 10), (10**6, 10), "abc"])
def test_impossible_sizes_are_refused(sizes):
    with pytest.raises(ShapeError):
        Network(sizes)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("layer", [1, 2, 3])
def test_the_gradient_with_respect_to_the_inputs_agrees_with_finite_differences(activation, layer):
    # J = Σ dz ⊙ z[layer], for a random dz: every ∂J/∂z[layer] a caller can hand over.
    network = Network((6, 5, 4, 3), activation, "cross-entropy", seed=2, dtype=np.float64)
    rng = np.random.default_rng(4)
    x = rng.random((3, 6))
    dz = rng.normal(size=(3, network.sizes[layer]))

    def objective(inputs):
        return (network.forward(inputs).zs[layer - 1] * dz).sum(axis=1)

    analytic = network.input_gradient(network.forward(x), layer, dz)
    numeric = np.empty_like(x)
    for i in range(x.shape[1]):
        step = np.zeros_like(x)
        step[:, i] = 1e-6
        numeric[:, i] = (objective(x + step) - objective(x - step)) / 2e-6
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


def test_the_gradient_of_the_cost_with_respect_to_the_inputs_is_the_first_delta_through_the_weights():
    network = Network((6, 5, 4, 3), seed=1, dtype=np.float64)
    x, labels = np.random.default_rng(0).random((2, 6)), np.array([0, 2])
    gradients = network.backprop(x, labels)
    wish = network.input_gradient(gradients.forward, 3, gradients.deltas[-1])
    np.testing.assert_allclose(wish, gradients.deltas[0] @ network.weights[0], rtol=1e-12)
