"""The valley as part of the window's state (model/valleys.py): what it is computed from, when the
valley kept is current, and the race's state and words; no Qt."""

from dataclasses import dataclass

import numpy as np
import pytest

from nnviz.core import computations
from nnviz.core.network import Network
from nnviz.core.training import Trainer
from nnviz.core.worker import TrainingSnapshot
from nnviz.model import Cause, Progress, WindowModel
from nnviz.model.valleys import ValleyInputs, race_text


@pytest.fixture(scope="module")
def runs(mnist):
    """Two short runs of the same architecture, and one of another activation."""
    made = []
    for seed, activation in ((0, "sigmoid"), (1, "sigmoid"), (2, "relu")):
        network = Network(activation=activation, seed=seed)
        trainer = Trainer(network, mnist, seed=seed)
        trainer.run_batches(30)
        made.append((network, trainer.history))
    return made


@pytest.fixture
def model(mnist, runs):
    network, history = runs[0]
    return WindowModel(mnist, network.copy(), history=history.copy())


@dataclass
class Stage:
    """A valley as far as the model reads it: how far it was computed."""

    progress: float = 1.0


def events(model):
    seen = []
    for name in ("valley", "race"):
        getattr(model.events, name).connect(lambda cause, n=name: seen.append((n, cause)))
    return seen


def test_the_path_has_a_point_for_every_place_of_the_cursor_the_network_now_last(model, mnist):
    inputs = model.valley_inputs()
    history, n = model.history, len(model.history)
    assert isinstance(inputs, ValleyInputs) and inputs.plane == "run" and inputs.at == -1 and inputs.other is None
    assert len(inputs.path) == n == model.stop_count()
    assert all(inputs.path.parameters(i) is history.parameters(i) for i in range(n - 1))
    np.testing.assert_array_equal(inputs.path.parameters(n - 1), model.network.params)
    np.testing.assert_array_equal(inputs.path.checkpoint_positions, model.stop_positions())
    # an edit at the record's end: the last point is the edited network, where the ball sits
    model.set_params(model.network.params * 0.5, Cause.EDIT)
    edited = model.valley_inputs()
    assert len(edited.path) == n and model.stop_index() == n - 1
    np.testing.assert_array_equal(edited.path.parameters(n - 1), model.network.params)
    assert edited.difference(inputs) == "the network now changed"
    # paused mid-epoch past the record: the network now is a place of its own
    model.set_progress(Progress(epoch=1, batch=4000, batches_per_epoch=5000))
    later = model.valley_inputs()
    assert len(later.path) == n + 1 == model.stop_count() and later.difference(edited) == "the run changed"
    assert later.path.checkpoint_positions[-1] == model.live_position == pytest.approx(0.8)


def test_a_valley_stays_current_while_the_cursor_moves_on_the_runs_plane_but_not_the_local_one(model):
    seen = events(model)
    inputs = model.valley_inputs()
    valley = Stage()
    model.set_valley(valley, inputs)
    assert seen == [("valley", Cause.COMPUTED)] and model.valley is valley and model.valley_current()
    model.move_to(3)
    assert model.valley_current()
    model.choose_valley_plane("local")
    assert seen[-1] == ("valley", Cause.USER) and not model.valley_current()
    local = model.valley_inputs()
    assert local.plane == "local" and local.at == 3 and local.difference(inputs) == "another plane was chosen"
    model.set_valley(valley, local)
    model.move_to(5)
    assert not model.valley_current() and model.valley_inputs().difference(local) == "the checkpoint on show changed"
    with pytest.raises(ValueError):
        model.choose_valley_plane("diagonal")


def test_training_further_makes_the_valley_out_of_date(model):
    model.set_valley(Stage(), model.valley_inputs())
    history = model.history.copy()
    params = model.network.params + 0.01
    history.record_checkpoint(history.end + 0.01, params)
    model.take_snapshot(TrainingSnapshot(params=params, epoch=1, batch=40, batches_per_epoch=5000, batches_done=1,
                                         running_cost=0.5, learning_rate=1.0, batch_costs=np.zeros(1), history=history))
    assert not model.valley_current()
    assert model.valley_inputs().difference(model.valley_made_from) == "the run changed"


def test_a_network_without_a_run_has_no_valley_on_the_runs_plane_but_has_one_on_a_random_plane(mnist):
    model = WindowModel(mnist, Network(seed=3))
    reason = model.valley_inputs()
    assert isinstance(reason, str) and "no run yet" in reason and not model.valley_current()
    model.choose_valley_plane("random")
    inputs = model.valley_inputs()
    assert len(inputs.path) == 1
    np.testing.assert_array_equal(inputs.path.parameters(0), model.network.params)


def test_a_run_compared_shares_the_plane_when_its_network_computes_the_same_way(model, runs):
    other_network, other_history = runs[1]
    model.compare_with("other.npz", other_network, other_history)
    inputs = model.valley_inputs()
    assert inputs.plane == "shared" and inputs.other[0] == "other.npz" and inputs.other[1] is other_history
    assert [name for name, _ in inputs.paths] == ["this run", "other.npz"]
    model.choose_valley_plane("random")  # drawn on any plane
    assert model.valley_inputs().plane == "random" and model.valley_inputs().other is not None
    model.choose_valley_plane("run")
    relu_network, relu_history = runs[2]
    model.compare_with("relu.npz", relu_network, relu_history)
    inputs = model.valley_inputs()
    assert inputs.plane == "run" and inputs.other is None  # its costs are not on this surface


def test_in_front_fires_once_per_change(model):
    seen = events(model)
    model.set_valley_in_front(True)
    model.set_valley_in_front(True)
    model.set_valley_in_front(False)
    assert seen == [("valley", Cause.USER)] * 2 and not model.valley_in_front


def test_a_race_starts_from_a_copy_of_the_network_on_show_and_tells_its_story(model, small_mnist):
    seen = events(model)
    model.move_to(4)
    race = model.start_race(0.5)
    np.testing.assert_array_equal(race.network.params, model.history.parameters(4))
    assert race.network is not model.shown and race.running and "checkpoint 5" in race.start
    assert "Starting" in race_text(race)
    progress = list(computations.race(race.network, small_mnist, 0.5, interval=0.0))
    model.set_race_progress(progress[1])
    assert model.race.running and "Racing" in race_text(model.race)
    model.set_race_progress(progress[-1])
    assert not model.race.running
    text = race_text(model.race)
    descent, sgd = progress[-1].lanes
    assert f"{sgd.steps:,} stumbling steps of 10" in text and f"{descent.steps:,} careful step" in text
    assert f"cost {sgd.costs[-1]:.3f}" in text and "Drawing the valley" in text
    winner = "SGD got further" if sgd.costs[-1] < descent.costs[-1] else "gradient descent got further"
    assert winner in text
    model.set_race_axis("seconds")
    model.stop_race("Stopped.")
    assert model.race.stopped == "Stopped." and "Stopped." in race_text(model.race)
    model.close_race()
    assert model.race is None and model.race_axis == "seconds"
    assert [name for name, _ in seen].count("race") == 6 and all(n == "race" for n, _ in seen if n != "valley")


def test_a_valley_further_computed_is_not_replaced_by_an_earlier_stage_of_it(model, mnist):
    seen = events(model)
    inputs = model.valley_inputs()
    assert model.set_valley(Stage(0.8), inputs)
    assert not model.set_valley(Stage(0.3), model.valley_inputs())  # the same valley, less far: kept
    assert model.valley.progress == 0.8 and len(seen) == 1
    model.choose_valley_plane("random")
    assert model.set_valley(Stage(0.1), model.valley_inputs())  # another valley: taken
