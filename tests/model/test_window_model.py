"""The window's model without a window: state changes, and the events views follow."""

import numpy as np
import pytest

from nnviz.core.data import bundled_mnist_dir
from nnviz.core.evaluation import predictions
from nnviz.core.files import load_network
from nnviz.core.network import Network
from nnviz.model import Cause, Progress, Source, TrainingMode, WindowModel
from nnviz.model.browsing import Filters
from nnviz.core.options import TrainingOptions
from nnviz.model.window_model import EVENTS


def recorder(model):
    """(event, what the model's state of that name is right after it) for every event fired."""
    seen = []
    for name in EVENTS:
        getattr(model.events, name).connect(lambda cause, n=name: seen.append((n, STATE.get(n, lambda m: cause)(model))))
    return seen


#: What each event is about, read off the model when it fires.
STATE = {"example": lambda m: m.example, "mode": lambda m: m.mode, "params": lambda m: m.network,
         "filters": lambda m: m.filters}


@pytest.fixture
def model(mnist):
    return WindowModel(mnist, Network(seed=0), seed=0)


def test_browsing_by_digit_fires_one_example_event_per_move_and_only_shows_that_digit(model, mnist):
    seen = recorder(model)
    model.set_filters(Filters("validation", digit=3))
    for _ in range(4):
        assert model.browse(+1) == int((mnist.validation.labels == 3).sum())
        assert mnist.validation.labels[model.example.index] == 3
    examples = [value for name, value in seen if name == "example"]
    assert len(examples) == 5 and all(e.split == "validation" for e in examples)
    assert [name for name, _ in seen][0] == "filters"


def test_a_confusion_cell_browses_exactly_those_examples(mnist):
    network, _ = load_network(bundled_mnist_dir() / "pretrained-784-16-16-10.npz")
    model = WindowModel(mnist, network)
    answers = predictions(model.network, mnist.test)
    wrong = np.flatnonzero((mnist.test.labels == 4) & (answers == 9))
    assert model.set_filters(Filters("test", cell=(4, 9))) == len(wrong) > 0
    visited = {model.example.index}
    for _ in range(len(wrong) - 1):
        model.browse(+1)
        visited.add(model.example.index)
    assert visited == set(wrong.tolist())
    assert model.filters.describe(mnist.class_names) == "4s the network reads as 9"


def test_the_reading_follows_the_parameters(model, mnist):
    model.go_to(0)
    before = model.reading()
    seen = recorder(model)
    model.set_params(np.zeros_like(model.network.params), Cause.EDIT)
    after = model.reading()
    assert ("params", model.network) in seen and model.dirty
    np.testing.assert_allclose(after.forward.output[0], 0.5)  # every output is σ(0) with zero weights
    assert not np.allclose(before.forward.output, after.forward.output)
    assert after.label == mnist.test.labels[0]


def test_a_drawing_without_a_digit_has_no_answer(model):
    model.set_source(Source.DRAWING)
    assert model.reading().answer is None and model.reading().label is None
    x = np.zeros(784, np.float32)
    x[300:320] = 1.0
    model.set_drawing(x)
    reading = model.reading()
    assert reading.answer == int(model.network.forward(x).output[0].argmax()) and reading.label is None


def test_a_new_network_forgets_the_old_ones_selection_progress_and_numbers(model):
    model.select_neuron((1, 3))
    model.set_progress(Progress(263, 4000, 5000, 0.1))
    model.end_epoch(263, 0.1, 0.95, 0.94)
    model.set_dirty(True)
    seen = recorder(model)
    model.set_network(Network(seed=1), None, {"epochs_trained": 121, "validation_accuracy": 0.9})
    assert model.selected_neuron is None and model.progress is None and not model.dirty
    assert model.progress_text() == (0, 1, "121 epochs trained")
    assert model.readout() == "121 epochs trained · validation 90.00%"
    assert {"network", "file", "neuron", "progress", "example"} <= {name for name, _ in seen}


def test_train_after_a_finished_run_trains_epochs_more_without_changing_epochs(model):
    model.set_options(TrainingOptions(epochs=30))
    assert model.epoch_target() == 30
    model.end_epoch(30, 0.1, 0.95, 0.95)
    assert model.epoch_target() == 60 and model.options.epochs == 30


def test_the_title_names_the_file_and_marks_unsaved_changes(mnist, tmp_path):
    model = WindowModel(mnist, Network(seed=0), name="pretrained MNIST network")
    assert model.title.startswith("pretrained MNIST network[*]")
    titles = []
    model.events.file.connect(titles.append)
    model.set_dirty(True)
    model.saved_as(tmp_path / "mine.npz", {})
    assert model.title.startswith("mine.npz[*]") and not model.dirty and len(titles) == 2


def test_saved_metadata_says_how_far_the_network_was_trained(model):
    model.end_epoch(3, 0.1, 0.95, 0.94)
    info = model.training_metadata()
    assert info["epochs_trained"] == 3 and info["validation_accuracy"] == 0.95
    assert info["dataset"] == model.dataset.name and "sizes" not in info


def test_modes_compare_as_their_names_and_fire_once_per_change(model):
    seen = recorder(model)
    model.set_mode("running")
    model.set_mode(TrainingMode.RUNNING)
    model.set_mode(TrainingMode.IDLE)
    assert [value for name, value in seen if name == "mode"] == ["running", "idle"]


def test_misfit_says_why_a_network_does_not_fit(model):
    assert model.misfit((784, 16, 10)) is None
    assert "64-input" in model.misfit((64, 8, 3))


def test_answers_at_a_checkpoint_are_the_checkpoints_and_computed_once(mnist, monkeypatch):
    from nnviz.core.training import Trainer
    import nnviz.model.answers as answers_module

    network = Network(seed=0)
    trainer = Trainer(network, mnist, seed=0)
    trainer.run_batches(30)
    model = WindowModel(mnist, network, history=trainer.history)
    calls = []
    real = answers_module.predictions
    monkeypatch.setattr(answers_module, "predictions", lambda n, s: calls.append(1) or real(n, s))
    for index in (3, 7, 3, 7, None, 3):
        model.move_to(index)
        answers = model.split_predictions("test")
        expected = Network(seed=0)
        expected.params[:] = model.history.parameters(index) if index is not None else network.params
        np.testing.assert_array_equal(answers, predictions(expected, mnist.test))
    assert len(calls) == 3  # checkpoints 3 and 7 once each, and the live network


def test_answers_computed_elsewhere_are_the_network_on_shows_only_while_it_is_on_show(mnist):
    from nnviz.core.training import Trainer

    network = Network(seed=0)
    trainer = Trainer(network, mnist, seed=0)
    trainer.run_batches(30)
    model = WindowModel(mnist, network, history=trainer.history)
    model.move_to(3)
    assert model.answers.known("test") is None and model.answers.latest("test") is None
    asked = model.answers.ask("test")
    np.testing.assert_array_equal(asked.network.params, model.history.parameters(3))
    assert asked.network is not model.shown  # a copy: the live network changes in place
    assert model.answers.take(asked, predictions(asked.network, mnist.test))
    np.testing.assert_array_equal(model.answers.known("test"), predictions(model.shown, mnist.test))
    # asked at 7, answered once 5 is on show: the latest, never 5's
    model.move_to(7)
    late = model.answers.ask("test")
    model.move_to(5)
    assert not model.answers.take(late, predictions(late.network, mnist.test))
    assert model.answers.known("test") is None
    latest = model.answers.latest("test")
    assert not latest.current and latest.position == model.history.checkpoint_positions[7]
    np.testing.assert_array_equal(latest.answers, predictions(late.network, mnist.test))
    model.move_to(3)  # the answers taken on show are kept for their checkpoint
    np.testing.assert_array_equal(model.answers.known("test"), predictions(model.shown, mnist.test))
    # another dataset's answers, asked before it changed, are nobody's
    before = model.answers.ask("test")
    model.set_dataset(mnist)
    assert not model.answers.take(before, predictions(before.network, mnist.test))
    assert model.answers.latest("test") is None


def test_opening_the_run_it_is_compared_with_closes_the_comparison(model):
    other = Network(seed=5)
    model.compare_with("other.npz", other, model.history)
    model.set_network(Network(seed=6))  # another network: the comparison stays
    assert model.comparison is not None
    seen = recorder(model)
    model.set_network(other.copy(), name="other.npz")  # the very run on the other side
    assert model.comparison is None and "comparison" in [name for name, _ in seen]


def test_answers_asked_ahead_are_the_nearest_checkpoints_not_known_the_way_the_cursor_went_first(run, mnist):
    model = run
    assert model.answers.ask_ahead("test", 3) is None  # the live network: no checkpoint around it
    model.move_to(10)
    order = []
    for _ in range(6):
        asked = model.answers.ask_ahead("test", 3, direction=+1)
        np.testing.assert_array_equal(asked.network.params, asked.checkpoint)
        order.append(next(i for i in range(len(model.history)) if model.history.parameters(i) is asked.checkpoint))
        assert asked.position == model.history.checkpoint_positions[order[-1]]
        assert not model.answers.for_shown(asked)
        assert not model.answers.take(asked, np.full(10_000, order[-1]))  # kept for its checkpoint, not on show
    # behind counts twice as far as ahead, and ahead goes first on a tie; at most 3 away; then none left
    assert order == [11, 12, 9, 13, 8, 7]
    assert model.answers.ask_ahead("test", 3, direction=+1) is None
    assert model.answers.known_checkpoints("test") == [7, 8, 9, 11, 12, 13]


def test_answers_computed_ahead_are_drawn_when_the_cursor_gets_there_and_stay_their_checkpoints(run, mnist):
    model = run
    model.move_to(10)
    asked = model.answers.ask_ahead("test", 2, direction=-1)
    assert model.answers.known_checkpoints("test") == []
    behind = model.history.parameters(9)
    assert asked.checkpoint is behind  # earlier first: the cursor went back
    answers = predictions(asked.network, mnist.test)
    model.move_to(9)  # the cursor got there while they were computed
    assert model.answers.for_shown(asked) and model.answers.take(asked, answers)
    np.testing.assert_array_equal(model.answers.known("test"), predictions(model.shown, mnist.test))
    model.move_to(12)
    assert model.answers.known("test") is None and model.answers.known_checkpoints("test") == [9]
    model.move_to(9)
    np.testing.assert_array_equal(model.answers.known("test"), answers)
    # asked ahead for another run: nobody's
    other = model.answers.ask_ahead("test", 2)
    model.set_network(Network(seed=1), history=model.history)
    assert not model.answers.take(other, answers) and model.answers.known_checkpoints("test") == []


def test_the_live_networks_answers_are_kept_for_a_return_to_the_end_of_the_run_until_it_changes(run, mnist):
    model = run
    assert model.cursor is None
    answers = model.answers.of("test")
    np.testing.assert_array_equal(answers, predictions(model.network, mnist.test))
    model.move_to(10)
    assert model.answers.known("test") is None
    model.move_to(None)  # back to the end of the run: nothing to compute
    assert model.answers.known("test") is answers
    # an edit changes the live network: its answers are computed anew
    params = model.network.params.copy()
    params[0] += 1.0
    model.set_params(params, Cause.EDIT)
    assert model.answers.known("test") is None
    # another run: nothing of this one's is known
    model.answers.of("test")
    model.set_network(Network(seed=1))
    assert model.answers.known("test") is None
