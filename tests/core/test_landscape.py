"""The cost surface slices against direct evaluations of the cost at the same parameters."""

import numpy as np
import pytest

from nnviz.core.landscape import PlaneCosts, cost_along, flat_gradient, last_step, plane_through, slice_extent
from nnviz.core.network import Network
from nnviz.core.nudges import example_nudges
from oracle import book_cost, book_flat_gradient


def network_at(network, params):
    twin = Network(network.sizes, network.activation, network.cost, seed=0, dtype=np.float64)
    twin.params[:] = params
    return twin


@pytest.fixture
def sample(mnist):
    return mnist.train.inputs(np.arange(200), np.float64), mnist.train.labels[:200]


@pytest.mark.parametrize("activation, cost", [("sigmoid", "mse"), ("relu", "cross-entropy")])
def test_slice_values_are_the_cost_at_those_parameters(sample, activation, cost):
    x, labels = sample
    network = Network(activation=activation, cost=cost, seed=1, dtype=np.float64)
    plane = plane_through(network, flat_gradient(network, x, labels), seed=3)
    alphas, betas = np.array([-2.0, 0.0, 0.5, 3.0]), np.array([1.0, 0.0, -1.5, 2.0])
    costs = PlaneCosts(network, x, labels, plane).costs(alphas, betas)
    for a, b, c in zip(alphas, betas, costs):
        assert c == pytest.approx(network_at(network, plane.point(a, b)).cost_of(x, labels), rel=1e-10)
        assert c == pytest.approx(book_cost(network_at(network, plane.point(a, b)), x, labels), rel=1e-10)
    assert costs[1] == pytest.approx(network.cost_of(x, labels), rel=1e-10)  # (0, 0) is θ itself


def test_a_float32_grid_row_by_row_agrees_with_direct_evaluations(sample):
    x, labels = sample
    network = Network(seed=0)  # float32, as the app runs
    plane = plane_through(network, flat_gradient(network, x, labels))
    grid = np.linspace(-2, 2, 5)
    rows = dict(PlaneCosts(network, x, labels, plane).grid(grid, grid))
    assert sorted(rows) == list(range(5))
    for i, j in [(0, 0), (4, 1), (2, 3)]:
        direct = network_at(network, plane.point(grid[i], grid[j])).cost_of(x, labels)
        assert rows[j][i] == pytest.approx(direct, rel=1e-4)


def test_the_plane_is_spanned_by_minus_the_gradient_and_the_previous_step_made_orthogonal(sample):
    x, labels = sample
    network = Network(seed=2, dtype=np.float64)
    gradient = flat_gradient(network, x, labels)
    np.testing.assert_allclose(gradient, book_flat_gradient(network, x, labels), rtol=1e-10, atol=1e-14)
    previous = np.random.default_rng(5).standard_normal(len(gradient)) - gradient
    plane = plane_through(network, gradient, previous)
    assert plane.second == "the previous step"
    np.testing.assert_allclose(plane.u, -gradient / np.linalg.norm(gradient))
    assert np.linalg.norm(plane.v) == pytest.approx(1.0) and abs(plane.u @ plane.v) < 1e-12
    assert plane.v @ previous > 0
    # a previous step along the gradient spans no plane: a random direction instead
    assert plane_through(network, gradient, -3 * gradient).second == "a random direction"
    # the flat gradient is laid out as the parameters: a step along it is the trainer's step
    nudges = example_nudges(network, x[0], int(labels[0]), learning_rate=0.5)
    stepped = network.copy()
    for w, b, layer in zip(stepped.weights, stepped.biases, nudges.layers):
        w += layer.weight_nudges
        b += layer.bias_nudges
    np.testing.assert_allclose(stepped.params, network.params - 0.5 * flat_gradient(network, x[:1], labels[:1]), atol=1e-15)


def test_the_projected_path_is_the_projection_of_the_actual_parameters(sample):
    x, labels = sample
    network = Network(seed=0, dtype=np.float64)
    plane = plane_through(network, flat_gradient(network, x, labels), seed=1)
    rng = np.random.default_rng(0)
    path = [network.params + rng.standard_normal(len(network.params)) * 0.01 for _ in range(4)]
    alphas, betas = plane.project(path)
    for p, a, b in zip(path, alphas, betas):
        assert a == pytest.approx((p - network.params) @ plane.u) and b == pytest.approx((p - network.params) @ plane.v)
    # a point of the plane projects back onto its own coordinates
    a, b = plane.project([plane.point(0.3, -0.7)])
    assert (a[0], b[0]) == (pytest.approx(0.3), pytest.approx(-0.7))
    assert slice_extent(0.1, alphas, betas) == pytest.approx(1.5 * max(0.1, *np.abs(alphas), *np.abs(betas)))


def test_the_cost_along_the_gradient_falls_first_and_is_the_direct_cost(mnist):
    network = Network(seed=0, dtype=np.float64)
    x, label = mnist.train.inputs([7], np.float64), mnist.train.labels[[7]]
    gradient = flat_gradient(network, x, label)
    ts = np.array([0.0, 0.1, 0.5, 1.0, 4.0])
    costs = cost_along(network, x, label, -gradient, ts)
    for t, c in zip(ts, costs):
        assert c == pytest.approx(network_at(network, network.params - t * gradient).cost_of(x, label), rel=1e-10)
    assert costs[1] < costs[0]  # a small step down the gradient lowers the cost


def test_the_last_step_skips_snapshots_equal_to_the_network_now():
    now = np.array([1.0, 2.0])
    assert last_step([], now) is None and last_step([now.copy()], now) is None
    np.testing.assert_array_equal(last_step([np.zeros(2), np.ones(2), now.copy()], now), now - 1)
