"""The record a run leaves (RunHistory) and continuing a run exactly (Trainer.state/resume)."""

import numpy as np
import pytest

from nnviz.core.history import COST_POINT_BATCHES, EpochRecord, RunHistory, checkpoint_batches
from nnviz.core.network import Network
from nnviz.core.training import BatchDone, EpochDone, Trainer, TrainingOptions

# Mini-batches of 100: 500 a epoch, so that a couple of epochs take a fraction of a second.
FAST = TrainingOptions(batch_size=100, learning_rate=3.0, seed=4)


def test_checkpoints_are_dense_in_the_first_epoch_and_at_least_one_per_epoch_after():
    first = checkpoint_batches(1, 5000)
    assert len(first) >= 50 and first[:5] == [1, 2, 3, 4, 5] and first == sorted(set(first))
    gaps = np.diff(first)
    assert gaps[-1] > 100 * gaps[0]  # geometric: ever further apart
    assert checkpoint_batches(2, 5000) == [1250, 2500, 3750]
    assert checkpoint_batches(30, 5000) == []  # only the epoch's end, which always has one
    assert checkpoint_batches(1, 7) == [1, 2, 3, 4, 5, 6]


def test_a_short_run_records_its_cost_curve_epochs_and_checkpoints(mnist):
    network = Network(seed=2)
    initial = network.params.copy()
    trainer = Trainer.from_options(network, mnist, FAST, evaluate_test=False)
    events, at_checkpoint = [], {}
    wanted = set(checkpoint_batches(1, 500))
    for event in trainer.events():
        events.append(event)
        if isinstance(event, BatchDone) and event.epoch == 1 and event.batch in wanted:
            at_checkpoint[event.position] = network.params.copy()
        if isinstance(event, EpochDone) and event.epoch == 2:
            break
    history = trainer.history
    batches = [e for e in events if isinstance(e, BatchDone)]
    reports = [e for e in events if isinstance(e, EpochDone)]

    assert history.checkpoint_positions[0] == 0.0
    np.testing.assert_array_equal(history.parameters(0), initial)
    np.testing.assert_array_equal(history.parameters(len(history) - 1), network.params)
    assert history.checkpoint_positions[-1] == 2.0
    assert len(history) == 1 + len(wanted) + 1 + len(checkpoint_batches(2, 500)) + 1
    for position, params in at_checkpoint.items():
        i = history.index_at(position)
        assert history.checkpoint_positions[i] == position
        np.testing.assert_array_equal(history.parameters(i), params)

    # one cost point per 50 mini-batches: their mean, where the 50th ended
    costs = np.array([b.cost for b in batches]).reshape(-1, COST_POINT_BATCHES)
    np.testing.assert_allclose(history.cost_values, costs.mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(history.cost_positions, np.arange(1, 21) * COST_POINT_BATCHES / 500)
    assert history.epochs == [
        EpochRecord(r.epoch, r.training_cost, r.validation_accuracy, None, 3.0) for r in reports
    ]
    assert history.learning_rate_changes == []


def test_changes_of_the_learning_rate_are_recorded_where_they_took_effect(mnist):
    trainer = Trainer.from_options(Network(seed=0), mnist, FAST, evaluate_test=False)
    trainer.run_batches(100)
    trainer.learning_rate = 1.5
    trainer.run_batches(1)
    assert trainer.history.learning_rate_changes == [(0.2, 1.5)]
    assert trainer.history.learning_rate_at(0.1, 3.0) == 3.0 and trainer.history.learning_rate_at(0.5, 3.0) == 1.5


def test_the_plateau_schedule_halving_is_recorded_at_the_epoch_end(mnist):
    trainer = Trainer.from_options(Network(seed=0), mnist, FAST, evaluate_test=False)
    trainer.schedule.best = 2.0  # no epoch can beat this: η halves after halve_after (2) epochs
    trainer.run_epoch()
    assert trainer.learning_rate == 3.0
    report = trainer.run_epoch()
    assert report.learning_rate == 3.0 and trainer.learning_rate == 1.5
    assert trainer.history.learning_rate_changes == [(2.0, 1.5)]
    assert [e.learning_rate for e in trainer.history.epochs] == [3.0, 3.0]


def test_truncated_drops_everything_after_the_checkpoint_and_copies_are_independent(mnist):
    trainer = Trainer.from_options(Network(seed=0), mnist, FAST, evaluate_test=False)
    trainer.run_epoch()
    trainer.run_batches(30)
    trainer.learning_rate = 1.0
    trainer.run_batches(230)
    history = trainer.history
    i = history.index_at(1.0)
    assert history.checkpoint_positions[i] == 1.0
    cut = history.truncated(i)
    assert len(cut) == i + 1 and cut.end == 1.0
    assert cut.cost_positions.max() == 1.0 and len(cut.epochs) == 1 and cut.learning_rate_changes == []
    assert len(history) > len(cut) and len(history.epochs) == 1  # the original is untouched
    copy = history.copy()
    assert copy == history
    copy.record_cost(9.0, 1.0)
    assert copy != history
    with pytest.raises(ValueError):
        history.parameters(0)[0] = 1.0  # checkpoints are immutable, so copies may share them


def test_an_empty_history_has_no_checkpoints():
    for history in (RunHistory(), RunHistory.empty()):
        assert len(history) == 0 and not history and history.end == 0.0
        assert history.cost_positions.shape == (0,) and history.checkpoint_positions.dtype == np.float64


def _run_to(trainer, epochs):
    for event in trainer.events():
        if isinstance(event, EpochDone) and event.epoch == epochs:
            return


@pytest.mark.parametrize("stop_after", [730, 1000])  # mid-epoch (and mid cost point), and at an epoch's end
def test_stopping_and_resuming_a_trainer_repeats_the_straight_run_exactly(mnist, stop_after):
    options = TrainingOptions(batch_size=100, learning_rate=3.0, momentum=0.5, weight_decay=5.0, halve_after=1, seed=9)
    straight = Network(seed=9)
    straight_trainer = Trainer.from_options(straight, mnist, options, evaluate_test=False)
    _run_to(straight_trainer, 3)

    first = Network(seed=9)
    trainer = Trainer.from_options(first, mnist, options, evaluate_test=False)
    trainer.run_batches(stop_after)
    state, history, saved = trainer.state(), trainer.history.copy(), first.copy()
    trainer.run_batches(3)  # the original goes on; what was saved must not change with it

    resumed = Network(seed=0)
    resumed.params[:] = saved.params
    continued = Trainer.resume(resumed, mnist, options, state, history, evaluate_test=False)
    _run_to(continued, 3)
    np.testing.assert_array_equal(resumed.params, straight.params)
    assert continued.history == straight_trainer.history
    assert continued.learning_rate == straight_trainer.learning_rate


@pytest.mark.parametrize("sent_whole", [True, False])
def test_a_delta_through_the_pipe_gives_its_checkpoints_to_the_history_uncopied(mnist, sent_whole):
    import socket
    import threading
    import time

    from nnviz.core.pipe import BlockingEnd, NonBlockingEnd

    trainer = Trainer.from_options(Network(seed=0), mnist, FAST, evaluate_test=False)
    trainer.run_batches(20)
    mark = trainer.history.mark()
    window = RunHistory().apply(trainer.history.since(None))
    trainer.run_batches(40)
    sent = trainer.history.since(None if sent_whole else mark)
    ours, theirs = socket.socketpair()
    reader, writer = NonBlockingEnd(ours), BlockingEnd(theirs)
    sending = threading.Thread(target=writer.send, args=(sent,))
    sending.start()
    taken, deadline = [], time.monotonic() + 30
    while not taken and time.monotonic() < deadline:
        taken = reader.take()  # what the window reads: arrays of buffers of their own
    sending.join(30)
    reader.close()
    writer.close()
    delta = taken[0]
    window = window.apply(delta)
    assert window == trainer.history
    assert len(delta.checkpoints) > 1
    kept = [window.parameters(i) for i in range(len(window))][-len(delta.checkpoints):]
    assert all(k is sent for k, sent in zip(kept, delta.checkpoints))  # the very arrays the pipe made
    assert not any(k.flags.writeable for k in kept)
    with pytest.raises(ValueError):
        window.parameters(len(window) - 1)[0] = 1.0
