"""The run's valley against direct evaluations: grid costs, projections, explained variance, planes."""

import json

import numpy as np
import pytest

from nnviz.core.errors import NnvizError
from nnviz.core.history import RunHistory
from nnviz.core.arrays import layer_views
from nnviz.core.network import Network
from nnviz.core.training import Trainer
from nnviz.core.valley import (MAX_ASPECT, Valley, compute_valley, grid_extent, plane_named, training_sample,
                               valley_stages)
from nnviz.core.valley_planes import filter_normalised, random_plane, run_plane, shared_plane


def network_at(network, params):
    twin = Network(network.sizes, network.activation, network.cost, seed=0, dtype=np.float64)
    twin.params[:] = params
    return twin


def trained(mnist, seed, batches=300, dtype=np.float64):
    """A real run's start: ``batches`` mini-batches of 10 from a seeded network, with its history."""
    network = Network(seed=seed, dtype=dtype)
    trainer = Trainer(network, mnist, batch_size=10, learning_rate=1.0, seed=seed, evaluate_test=False)
    trainer.run_batches(batches)
    return network, trainer.history


@pytest.fixture(scope="module")
def sample(mnist):
    x, labels = training_sample(mnist.train, size=200, seed=1, dtype=np.float64)
    return x, labels


@pytest.fixture(scope="module")
def run(mnist):
    return trained(mnist, seed=0)


def in_plane_history(network, u, v, coordinates):
    """A history whose checkpoints are network + a·u + b·v, the last at (0, 0)."""
    params = [network.params + a * u + b * v for a, b in coordinates]
    return RunHistory(checkpoint_positions=np.linspace(0, 1, len(params)), checkpoints=params)


def test_training_sample_is_fixed_by_its_seed(mnist):
    x, labels = training_sample(mnist.train)
    again, again_labels = training_sample(mnist.train)
    assert x.shape == (1000, 784) and x.dtype == np.float32
    np.testing.assert_array_equal(x, again)
    np.testing.assert_array_equal(labels, again_labels)
    assert not np.array_equal(training_sample(mnist.train, seed=1)[1], labels)


@pytest.mark.parametrize("kind", ["run", "random", "local"])
def test_grid_values_are_the_cost_at_those_parameters(run, sample, kind):
    network, history = run
    x, labels = sample
    plane = plane_named(kind, network, history, x, labels)
    valley = compute_valley(network, plane, [("run", history)], x, labels, size=7)
    assert valley.complete and np.isfinite(valley.costs).all() and valley.costs.shape == (7, 7)
    for i, j in [(0, 0), (6, 6), (2, 5), (4, 1), (3, 3)]:
        direct = network_at(network, plane.point(valley.alphas[i], valley.betas[j])).cost_of(x, labels)
        assert valley.costs[j, i] == pytest.approx(direct, rel=1e-10)


def test_a_float32_grid_agrees_with_direct_evaluations(mnist, sample):
    network, history = trained(mnist, seed=2, batches=100, dtype=np.float32)  # as the app runs
    x, labels = sample
    plane = run_plane(history)
    valley = compute_valley(network, plane, [("run", history)], x.astype(np.float32), labels, size=5)
    for i, j in [(0, 4), (2, 2), (4, 0)]:
        direct = network_at(network, plane.point(valley.alphas[i], valley.betas[j])).cost_of(x, labels)
        assert valley.costs[j, i] == pytest.approx(direct, rel=1e-4)


@pytest.mark.parametrize("kind", ["run", "random", "local"])
def test_checkpoints_sit_at_their_projections_with_their_true_cost_and_distance(run, sample, kind):
    network, history = run
    x, labels = sample
    plane = plane_named(kind, network, history, x, labels)
    path = compute_valley(network, plane, [("run", history)], x, labels, size=3).paths[0]
    d = plane.directions
    np.testing.assert_array_equal(path.positions, history.checkpoint_positions)
    for i in range(0, len(history), 5):
        p = history.parameters(i)
        a, b = path.coordinates[i]
        residual = p - plane.point(a, b)
        # the point of the plane nearest to p: what is left over is orthogonal to both directions
        assert abs(residual @ d[0]) < 1e-9 * np.linalg.norm(d[0]) * max(1.0, np.linalg.norm(p - plane.origin))
        assert abs(residual @ d[1]) < 1e-9 * np.linalg.norm(d[1]) * max(1.0, np.linalg.norm(p - plane.origin))
        assert path.distances[i] == pytest.approx(np.linalg.norm(residual), rel=1e-9, abs=1e-12)
        if kind != "random":  # orthonormal directions: the coordinates are plain dot products
            np.testing.assert_allclose([a, b], d @ (p - plane.origin), rtol=1e-10, atol=1e-12)
        assert path.costs[i] == pytest.approx(network_at(network, p).cost_of(x, labels), rel=1e-10)
        assert path.surface[i] == pytest.approx(network_at(network, plane.point(a, b)).cost_of(x, labels), rel=1e-10)


def test_the_run_plane_is_the_paths_principal_plane_through_its_end(run):
    _, history = run
    plane = run_plane(history)
    params = np.array([history.parameters(i) for i in range(len(history))])
    offsets = params - params[-1]
    _, singular, vt = np.linalg.svd(offsets, full_matrices=False)  # the oracle
    shares = singular**2 / np.sum(singular**2)
    np.testing.assert_array_equal(plane.origin, params[-1])
    np.testing.assert_allclose(plane.explained(params), shares[:2], rtol=1e-8)
    assert plane.explained(params).sum() <= 1
    for k in range(2):
        assert abs(plane.directions[k] @ vt[k]) == pytest.approx(1.0, abs=1e-8)
    np.testing.assert_allclose(plane.directions @ plane.directions.T, np.eye(2), atol=1e-12)
    start = plane.coordinates(params[:1])[0]
    assert start[0] <= 0 <= start[1]  # the ball starts at the top left
    # no plane through the end is closer to the checkpoints: the squared distances are what the SVD leaves
    assert np.sum(plane.distances(params) ** 2) == pytest.approx(np.sum(singular[2:] ** 2), rel=1e-8)


def test_a_run_whose_path_lies_in_a_plane_is_drawn_at_distance_zero(sample):
    x, labels = sample
    network = Network(seed=4, dtype=np.float64)
    rng = np.random.default_rng(0)
    u, v = np.linalg.qr(rng.standard_normal((len(network.params), 2)))[0].T
    coordinates = [(-3.0, 1.0), (-2.0, 2.5), (-1.0, 0.5), (-0.5, -0.25), (0.0, 0.0)]
    history = in_plane_history(network, u, v, coordinates)
    plane = run_plane(history)
    params = np.array([history.parameters(i) for i in range(len(history))])
    np.testing.assert_allclose(plane.distances(params), 0, atol=1e-12)
    assert plane.explained(params).sum() == pytest.approx(1.0)
    # the path keeps its shape: distances between checkpoints on the plane are the true ones
    drawn = plane.coordinates(params)
    for i, j in [(0, 1), (0, 4), (2, 3)]:
        assert np.linalg.norm(drawn[i] - drawn[j]) == pytest.approx(np.linalg.norm(params[i] - params[j]))
    path = compute_valley(network, plane, [("in a plane", history)], x, labels, size=3).paths[0]
    np.testing.assert_allclose(path.costs, path.surface, rtol=1e-10)


def test_a_path_along_one_line_still_gets_a_plane(sample):
    network = Network(seed=4, dtype=np.float64)
    line = np.random.default_rng(1).standard_normal(len(network.params))
    history = in_plane_history(network, line, np.zeros_like(line), [(-2.0, 0), (-1.0, 0), (0.0, 0)])
    plane = run_plane(history)
    np.testing.assert_allclose(plane.directions @ plane.directions.T, np.eye(2), atol=1e-12)
    params = np.array([history.parameters(i) for i in range(len(history))])
    np.testing.assert_allclose(plane.explained(params), [1.0, 0.0], atol=1e-12)


def test_filter_normalisation_gives_every_neuron_its_own_size(run):
    network, history = run
    plane = random_plane(network.params, network.sizes, seed=3)
    for direction in plane.directions:
        for d, theta in zip(layer_views(direction, network.sizes), network.layers):
            np.testing.assert_allclose(np.linalg.norm(d, axis=1), np.linalg.norm(theta, axis=1), rtol=1e-12)
    again = random_plane(network.params, network.sizes, seed=3)
    np.testing.assert_array_equal(plane.directions, again.directions)
    assert not np.array_equal(random_plane(network.params, network.sizes, seed=4).directions, plane.directions)
    # a neuron whose direction row is zero is left alone
    zero = np.zeros(len(network.params))
    np.testing.assert_array_equal(filter_normalised(zero, network.params, network.sizes), zero)
    # the run's path hardly shows on a random plane: that is why the run's own plane exists
    params = np.array([history.parameters(i) for i in range(len(history))])
    assert plane.explained(params).sum() < 0.05 < run_plane(history).explained(params).sum()


def test_two_runs_share_a_plane_through_both_ends(mnist, run, sample):
    network, first = run
    _, second = trained(mnist, seed=1, batches=200)
    plane = shared_plane(first, second)
    ends = np.array([first.parameters(len(first) - 1), second.parameters(len(second) - 1)])
    np.testing.assert_allclose(plane.distances(ends), 0, atol=1e-9)
    np.testing.assert_allclose(plane.coordinates(ends)[0], 0, atol=1e-12)
    assert plane.coordinates(ends)[1][0] == pytest.approx(np.linalg.norm(ends[1] - ends[0]))
    np.testing.assert_allclose(plane.directions @ plane.directions.T, np.eye(2), atol=1e-10)
    assert plane.coordinates([first.parameters(0)])[0][1] >= 0  # the first run starts on top
    x, labels = sample
    valley = compute_valley(network, plane, [("first", first), ("second", second)], x, labels, size=3)
    assert [p.name for p in valley.paths] == ["first", "second"]
    # the grid covers both paths
    for path in valley.paths:
        assert valley.alphas[0] <= path.coordinates[:, 0].min() and path.coordinates[:, 0].max() <= valley.alphas[-1]
        assert valley.betas[0] <= path.coordinates[:, 1].min() and path.coordinates[:, 1].max() <= valley.betas[-1]


def test_stages_come_coarse_first_and_end_complete(run, sample):
    network, history = run
    x, labels = sample
    stages = list(valley_stages(network, run_plane(history), [("run", history)], x, labels, size=9, coarse=5))
    progress = [s.progress for s in stages]
    assert progress == sorted(progress) and progress[0] == 0 and progress[-1] == 1 and not stages[-2].complete
    assert np.isnan(stages[0].costs).all() and np.isnan(stages[0].paths[0].costs).all()
    coarse = stages[1]
    assert coarse.coarse is not None and np.isfinite(coarse.coarse[2]).all() and coarse.rows_done == 0
    assert np.isfinite(coarse.preview()).all()  # the whole valley, from the coarse grid
    assert [s.rows_done for s in stages[3:]] == list(range(1, 10))
    final = stages[-1]
    # the coarse grid's points are points of the fine grid (every second one here), with the same costs
    np.testing.assert_allclose(coarse.coarse[2], final.costs[::2, ::2], rtol=1e-12)
    middle = stages[6]
    np.testing.assert_array_equal(middle.preview()[: middle.rows_done], final.costs[: middle.rows_done])
    # a stale computation is dropped by not asking for more
    iterator = valley_stages(network, run_plane(history), [("run", history)], x, labels, size=9, coarse=5)
    next(iterator)
    iterator.close()


def test_the_grid_covers_the_path_with_a_margin_and_is_never_a_sliver():
    path = np.array([[-30.0, 2.0], [-10.0, 1.0], [0.0, 0.0]])
    a_low, a_high, b_low, b_high = grid_extent(path)
    assert a_low < -30 and a_high > 0 and b_low < 0 and b_high > 2
    assert (a_high - a_low) <= MAX_ASPECT * (b_high - b_low) * (1 + 1e-12)
    assert grid_extent(np.zeros((3, 2)), reach=1.0) == (-1.0, 1.0, -1.0, 1.0)
    assert grid_extent(np.zeros((1, 2))) == (-1.0, 1.0, -1.0, 1.0)


def test_a_valley_round_trips_through_json(run, sample):
    network, history = run
    x, labels = sample
    stages = list(valley_stages(network, run_plane(history), [("run", history), ("again", history)], x, labels,
                                size=5, coarse=3))
    for valley in (stages[-1], stages[4]):  # complete, and partial (NaN written as null)
        text = valley.to_json()
        assert "NaN" not in text
        back = Valley.from_json(text)
        assert (back.kind, back.description, back.axis_names, back.unit, back.sample_size, back.complete) == (
            valley.kind, valley.description, valley.axis_names, valley.unit, valley.sample_size, valley.complete)
        for name in ("explained", "alphas", "betas", "costs"):
            np.testing.assert_array_equal(getattr(back, name), getattr(valley, name))
        for a, b in zip(back.paths, valley.paths):
            assert a.name == b.name
            for name in ("positions", "coordinates", "distances", "costs", "surface"):
                np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    data = json.loads(stages[-1].to_json())
    assert data["plane"]["axes"][0]["name"] == "PC1" and len(data["paths"][0]["checkpoints"]) == len(history)
    with pytest.raises(NnvizError):
        Valley.from_json('{"format": "something else"}')
    with pytest.raises(NnvizError):
        Valley.from_json("not json")


def test_axis_labels_say_the_share_of_the_path(run, sample):
    network, history = run
    x, labels = sample
    valley = compute_valley(network, run_plane(history), [("run", history)], x, labels, size=2)
    share = round(100 * valley.explained[0])
    assert valley.axis_label(0) == f"PC1 ({share}% of the path)"
    path = valley.paths[0]
    assert valley.nearest_checkpoint(0.0, 0.0) == len(history) - 1  # the end is the plane's origin
    start = path.coordinates[0]
    assert valley.nearest_checkpoint(start[0] - 0.01, start[1] + 0.01) == 0


def test_a_run_without_history_says_so(sample):
    network = Network(seed=0, dtype=np.float64)
    x, labels = sample
    with pytest.raises(NnvizError, match="history"):
        plane_named("run", network, RunHistory(), x, labels)
    with pytest.raises(NnvizError, match="no plane called"):
        plane_named("sideways", network, RunHistory(), x, labels)
    # a random or local plane needs no history: it goes through the network itself
    for kind in ("random", "local"):
        plane = plane_named(kind, network, RunHistory(), x, labels)
        np.testing.assert_array_equal(plane.origin, network.params)
