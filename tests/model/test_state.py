"""The model is the only memory: the network on show is not the live one, steps and edits share one
undo history, every event carries its cause and comes after the change, a failing view does not
stop the others."""

import numpy as np
import pytest

from nnviz.core.edits import EditList, Step, SwitchOff
from nnviz.core.network import Network
from nnviz.core.worker import TrainingSnapshot
from nnviz.model import Cause, events


def test_the_time_cursor_shows_a_checkpoint_and_never_touches_the_live_network(run):
    live = run.network.params.copy()
    causes = []
    run.events.shown.connect(causes.append)
    run.move_to(3)
    np.testing.assert_array_equal(run.shown.params, run.history.parameters(3))
    np.testing.assert_array_equal(run.network.params, live)
    assert run.shown is not run.network and causes == [Cause.CURSOR]
    run.move_to(None)
    assert run.shown is run.network
    np.testing.assert_array_equal(run.network.params, live)


def test_an_applied_step_is_undone_and_redone_exactly_with_the_edits_in_one_history(run):
    trained = run.network.params.copy()
    run.add_edit(SwitchOff(1, 2))
    switched = run.network.params.copy()
    run.apply_step(switched + np.float32(0.01), "one step")
    assert isinstance(run.edits.applied[-1], Step) and len(run.edits) == 2 and run.dirty
    after_step = run.network.params.copy()
    assert not run.network.weights[1][:, 2].any()  # the neuron stays off after the step
    run.undo()
    np.testing.assert_array_equal(run.network.params, switched)
    run.redo()
    np.testing.assert_array_equal(run.network.params, after_step)
    run.undo()
    run.undo()
    np.testing.assert_array_equal(run.network.params, trained)
    assert run.edits == EditList(run.edits.edits, 0)


def test_a_file_keeps_the_edits_after_the_last_step_with_the_network_before_them_as_base(run):
    run.add_edit(SwitchOff(1, 2))
    run.apply_step(run.network.params + np.float32(0.01), "one step")
    run.add_edit(SwitchOff(2, 5))
    edited = run.network.copy()
    metadata = dict(run.metadata)
    assert metadata["edits"] == [{"kind": "switch_off", "layer": 2, "neuron": 5}]
    run.set_network(edited.copy(), metadata=metadata)
    assert run.edits.applied == (SwitchOff(2, 5),) and run.edits_note is None
    run.undo()  # gives back the network after the step, exactly
    expected = edited.copy()
    expected.params[:] = run.base_network.params
    np.testing.assert_array_equal(run.network.params, expected.params)


def test_a_snapshot_says_so_and_everything_else_does_not(run):
    causes = []
    run.events.params.connect(causes.append)
    snapshot = TrainingSnapshot(params=run.network.params + 1, epoch=1, batch=31, batches_per_epoch=5000,
                                batches_done=1, running_cost=0.5, learning_rate=1.0, batch_costs=np.zeros(1))
    run.take_snapshot(snapshot)
    run.add_edit(SwitchOff(1, 0))
    run.move_to(2)
    run.branch_here()
    assert causes == [Cause.SNAPSHOT, Cause.EDIT, Cause.BRANCH]


def test_every_event_comes_after_its_change(run, mnist):
    seen = []
    run.events.example.connect(lambda cause: seen.append(("example", run.example.index)))
    run.events.filters.connect(lambda cause: seen.append(("filters", run.filters.digit)))
    from nnviz.model.browsing import Filters
    run.set_filters(Filters("test", digit=3))
    first_three = int(np.flatnonzero(mnist.test.labels == 3)[0])
    assert seen == [("filters", 3), ("example", first_three)]


def test_a_failing_handler_is_reported_and_the_others_still_run(run, monkeypatch):
    reported, later = [], []
    monkeypatch.setattr(events, "on_handler_error", lambda name, error: reported.append((name, str(error))))

    def broken(cause):
        raise RuntimeError("a view that broke")

    run.events.neuron.connect(broken)
    run.events.neuron.connect(later.append)
    run.select_neuron((1, 2))
    assert reported == [("neuron", "a view that broke")] and later == [Cause.USER]


def test_which_neurons_matter_is_marked_out_of_date_when_the_network_changes(run):
    table = run.measure_ablation()
    assert run.ablation is table and run.ablation_current
    run.add_edit(SwitchOff(1, 0))
    assert not run.ablation_current
    run.undo()
    assert run.ablation_current


def test_a_new_dataset_with_a_network_that_fits_it_changes_both_at_once(run, tmp_path):
    from helpers import make_idx_dataset
    from nnviz.core.data import load_dataset

    letters = load_dataset(make_idx_dataset(tmp_path / "letters", shape=(8, 8), n_classes=3))
    with pytest.raises(ValueError):
        run.set_dataset(letters)  # the 784-input network cannot read 8x8 images
    assert run.dataset.n_inputs == 784
    seen = []
    for name in ("dataset", "network", "example"):
        getattr(run.events, name).connect(lambda cause, n=name: seen.append((n, run.dataset.n_inputs,
                                                                              run.network.sizes[0])))
    run.set_dataset(letters, Network((64, 5, letters.n_classes), seed=0))
    assert seen == [("dataset", 64, 64), ("network", 64, 64), ("example", 64, 64)]  # never one without the other
