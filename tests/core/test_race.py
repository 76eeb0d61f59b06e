"""Gradient descent against SGD from one start (core/race.py): the steps each lane takes, what
it records, and the article's claim that the stumbling one gets further for the same work."""

import numpy as np
import pytest

from nnviz.core.network import Network
from nnviz.core.options import default_options
from nnviz.core.race import GRADIENT_DESCENT_FACTORS, SGD_BATCH_SIZE, Race
from nnviz.core.valley import training_sample
from nnviz.core.valley_planes import shared_plane


def recorded(race):
    return [(lane.measured_examples, lane.measured_costs, list(lane.history.checkpoint_positions),
             [lane.history.parameters(i) for i in range(len(lane.history))]) for lane in race.lanes]


def test_a_seeded_race_repeats_exactly_but_for_the_seconds(small_mnist):
    races = [Race(Network(seed=2), small_mnist, examples=2500, seed=5).run() for _ in range(2)]
    (a_descent, a_sgd), (b_descent, b_sgd) = recorded(races[0]), recorded(races[1])
    for a, b in ((a_descent, b_descent), (a_sgd, b_sgd)):
        assert a[:3] == b[:3]
        assert all(np.array_equal(x, y) for x, y in zip(a[3], b[3]))
    # 1,000 examples an epoch, measured every 50: gradient descent after each of its 3 steps
    assert a_descent[0] == [0, 1000, 2000, 3000]
    assert a_sgd[0] == list(range(0, 2501, 50))
    assert a_sgd[2] == [e / 1000 for e in a_sgd[0]]


def test_both_lanes_start_from_the_network_and_take_their_own_steps(small_mnist):
    network = Network(seed=1, dtype=np.float64)
    race = Race(network, small_mnist, examples=1000, seed=0)
    descent, sgd = race.lanes
    assert (descent.batch_size, sgd.batch_size) == (len(small_mnist.train), SGD_BATCH_SIZE)
    assert sgd.learning_rate == default_options("sigmoid", "mse").learning_rate
    assert descent.learning_rate == GRADIENT_DESCENT_FACTORS["sigmoid"] * sgd.learning_rate
    first = next(race.steps())
    assert (first.lane, first.examples) == (0, 1000) and first.cost == descent.measured_costs[-1]
    # gradient descent's step is -η times the mean gradient over every training example
    gradients = network.backprop(small_mnist.train.inputs(dtype=np.float64), small_mnist.train.labels)
    for l in range(3):
        np.testing.assert_allclose(descent.network.weights[l], network.weights[l] - descent.learning_rate * gradients.weights[l],
                                   rtol=0, atol=1e-12)
        np.testing.assert_allclose(descent.network.biases[l], network.biases[l] - descent.learning_rate * gradients.biases[l],
                                   rtol=0, atol=1e-12)
    np.testing.assert_array_equal(sgd.network.params, network.params)  # not yet its turn
    np.testing.assert_array_equal(descent.history.parameters(0), network.params)
    # the measured cost is the network's mean cost on the valley's sample for the race's seed
    sample = training_sample(small_mnist.train, seed=0, dtype=np.float64)
    assert descent.measured_costs[-1] == pytest.approx(descent.network.cost_of(*sample), rel=1e-12)


def test_the_lane_behind_steps_next_and_a_paused_race_goes_on_where_it_stopped(small_mnist):
    whole = Race(Network(seed=3), small_mnist, examples=2000, seed=1).run()
    paused = Race(Network(seed=3), small_mnist, examples=2000, seed=1)
    totals = [0, 0]
    for count, step in enumerate(paused.steps()):
        # the lane that steps is never ahead of the other
        assert totals[step.lane] <= totals[1 - step.lane] or totals[1 - step.lane] >= 2000
        totals[step.lane] = step.examples
        if count == 40:
            break
    assert not paused.done
    for step in paused.steps():
        totals[step.lane] = step.examples
    assert paused.done and totals == [2000, 2000]
    assert recorded(paused)[1][:3] == recorded(whole)[1][:3]
    np.testing.assert_array_equal(paused.lanes[1].network.params, whole.lanes[1].network.params)


def test_a_budget_of_seconds_gives_each_lane_as_much_computing(small_mnist):
    race = Race(Network(seed=0), small_mnist, seconds=0.05, seed=0).run()
    for lane in race.lanes:
        assert lane.seconds >= 0.05 and lane.measured_seconds[-1] == lane.seconds
    with pytest.raises(ValueError, match="examples or of seconds"):
        Race(Network(seed=0), small_mnist, examples=100, seconds=1.0)
    with pytest.raises(ValueError, match="positive"):
        Race(Network(seed=0), small_mnist, examples=0)


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_sgd_gets_further_than_gradient_descent_for_the_same_examples_on_mnist(mnist, activation):
    """The article: SGD "is significantly faster than regular gradient descent"."""
    race = Race(Network(activation=activation, seed=0), mnist, examples=2 * len(mnist.train), seed=0).run()
    descent, sgd = race.lanes
    for examples in (50_000, 100_000):
        at = descent.measured_examples.index(examples), sgd.measured_examples.index(examples)
        assert sgd.measured_costs[at[1]] < descent.measured_costs[at[0]] / 2
    assert descent.measured_costs[-1] < descent.measured_costs[0]  # it does go downhill, slowly


def test_both_paths_project_onto_one_shared_valley_plane(small_mnist):
    race = Race(Network(seed=4), small_mnist, examples=2000, seed=0).run()
    descent, sgd = (lane.history for lane in race.lanes)
    plane = shared_plane(descent, sgd)
    # both start from the same network, and each run's end lies on the plane
    for history in (descent, sgd):
        assert len(history) == len(history.cost_values) >= 3
        np.testing.assert_array_equal(history.parameters(0), race.lanes[0].history.parameters(0))
    ends = [h.parameters(len(h) - 1) for h in (descent, sgd)]
    np.testing.assert_allclose(plane.distances(ends), 0, atol=1e-4)
