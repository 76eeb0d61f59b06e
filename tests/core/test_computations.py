"""The window's computations as generator functions (core/computations.py): the planes they choose
hold what they promise, and a race's progress is the race's own record."""

import numpy as np
import pytest

from nnviz.core import computations
from nnviz.core.errors import NnvizError
from nnviz.core.history import RunHistory
from nnviz.core.network import Network
from nnviz.core.race import Race
from nnviz.core.valley_planes import history_parameters


def test_a_local_plane_along_a_given_step_holds_the_step(short_run):
    network, history, x, labels = short_run
    before, after = history.parameters(len(history) - 2), history.parameters(len(history) - 1)
    step_path = RunHistory(checkpoint_positions=[0.0, 1.0], checkpoints=[before, after])
    valley = list(computations.valley(network, "local", [("the step", step_path)], x, labels, at=0,
                                      step=np.asarray(after, np.float64) - before, size=3, coarse=2))[-1]
    path = valley.paths[0]
    np.testing.assert_allclose(path.coordinates[0], (0, 0), atol=1e-9)
    assert path.distances[1] < 1e-6 * np.linalg.norm(np.asarray(after, np.float64) - before)  # the step lies on it


@pytest.fixture(scope="module")
def race(small_mnist):
    return Race(Network(seed=4), small_mnist, examples=3000, seed=0).run()


def test_a_race_s_plane_holds_its_start_and_both_ends(race, small_mnist):
    descent, sgd = (lane.history for lane in race.lanes)
    plane = computations.choose_plane(race.lanes[0].network, "start", [("gradient descent", descent), ("SGD", sgd)],
                                      small_mnist.train.inputs(np.arange(50)), small_mnist.train.labels[:50])
    a, b = history_parameters(descent), history_parameters(sgd)
    points = np.stack([a[0], a[-1], b[-1]])
    np.testing.assert_allclose(plane.distances(points), 0, atol=1e-9 * np.linalg.norm(b[-1] - b[0]))
    start, descent_end, sgd_end = plane.coordinates(points)
    np.testing.assert_allclose(start, (0, 0), atol=1e-9)
    # SGD went farther: its end on the right, across the picture; gradient descent's above the axis
    assert np.linalg.norm(b[-1] - b[0]) > np.linalg.norm(a[-1] - a[0])
    assert sgd_end[0] == pytest.approx(np.linalg.norm(b[-1] - b[0])) and abs(sgd_end[1]) < 1e-9
    assert descent_end[1] > 0
    assert plane.axis_names == ("to SGD's end", "to gradient descent's end ⊥")
    # both paths' every checkpoint projects as the plane says: least squares on its two directions
    for params in (a, b):
        offsets = params - plane.origin
        np.testing.assert_allclose(plane.coordinates(params), offsets @ plane.directions.T, atol=1e-9)


def test_runs_from_different_starts_share_no_start_plane(short_run, race):
    network, history, x, labels = short_run
    with pytest.raises(NnvizError, match="same network"):
        computations.choose_plane(network, "start", [("a", history), ("b", race.lanes[1].history)], x, labels)
    with pytest.raises(NnvizError, match="two paths"):
        list(computations.valley(network, "start", [("a", history)], x, labels))


def test_race_progress_is_the_races_own_record(race, small_mnist):
    progress = list(computations.race(Network(seed=4), small_mnist, 3.0, interval=0.0))
    last = progress[-1]
    assert last.done and not any(p.done for p in progress[:-1])
    for lane, mine in zip(last.lanes, race.lanes):
        assert lane.examples.tolist() == mine.measured_examples and lane.costs.tolist() == mine.measured_costs
        assert (lane.name, lane.batch_size, lane.learning_rate) == (mine.name, mine.batch_size, mine.learning_rate)
    assert [h == lane.history for h, lane in zip(last.histories, race.lanes)] == [True, True]
    assert last.lanes[0].steps == 3 and last.lanes[1].steps == 300 and last.share_done == 1.0


def test_answers_are_computed_in_short_steps_and_yielded_whole_the_networks_forward_pass(mnist):
    from nnviz.core.data import Split
    from nnviz.core.evaluation import PIXEL_BLOCK, pixel_chunks

    network = Network((784, 20, 10), seed=3)
    test = Split("test", mnist.test.images, mnist.test.labels, mnist.test.image_shape)  # not cut yet
    first = list(computations.answers(network, test))
    again = list(computations.answers(network, test))
    # a point where a newer job may stop it after each chunk but the last
    chunks = len(pixel_chunks(test))
    assert chunks == 20 and again[:-1] == [None] * (chunks - 1)
    # a process's first job on a split cuts it first, in steps too: a pass over a block of
    # examples, or the gathering of a few chunks, between two of them
    assert all(stage is None for stage in first[:-1]) and len(first) - len(again) >= 2 * len(test) // PIXEL_BLOCK
    expected = network.predict(test.inputs())
    np.testing.assert_array_equal(first[-1], expected)
    np.testing.assert_array_equal(again[-1], expected)
