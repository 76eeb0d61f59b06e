"""The plateau schedule: η halves on plateaus down to η₀/128, where the run ends (Nielsen's
rule), and a run resumed there goes on exactly as if it had never stopped."""

import numpy as np
import pytest

from nnviz.core.files import load_run, save_run
from nnviz.core.formatting import learning_rate_text, schedule_end_text
from nnviz.core.network import Network
from nnviz.core.training import FLOOR_FRACTION, PlateauSchedule, Trainer, TrainingOptions

# η₀ = 2 and patience 1 on a stalled run: η halves after every epoch and meets the floor at epoch 7.
STALLED = TrainingOptions(learning_rate=2.0, batch_size=100, halve_after=1, seed=3)


def stalled_trainer(dataset, network=None) -> Trainer:
    trainer = Trainer.from_options(network or Network(seed=2), dataset, STALLED, evaluate_test=False)
    trainer.schedule.best = 2.0  # no epoch can beat this: every epoch is a plateau
    return trainer


def test_the_schedule_halves_down_to_the_floor_and_says_the_run_is_over_there():
    schedule = PlateauSchedule(patience=2, floor=0.25)
    seen, rate = [], 1.0
    for accuracy in [0.90, 0.91, 0.91, 0.905, 0.92, 0.92, 0.92, 0.92, 0.92]:
        rate, ended = schedule.update(rate, accuracy)
        seen.append((ended, rate))
    assert seen == [(False, 1.0), (False, 1.0), (False, 1.0), (False, 0.5), (False, 0.5), (False, 0.5),
                    (True, 0.25), (False, 0.25), (True, 0.25)]


def test_a_stalled_run_ends_when_eta_reaches_eta0_over_128_and_never_goes_below(small_mnist):
    trainer = stalled_trainer(small_mnist)
    reports = [trainer.run_epoch() for _ in range(9)]
    floor = STALLED.learning_rate * FLOOR_FRACTION
    assert [r.schedule_ended for r in reports] == [False] * 6 + [True] * 3
    assert trainer.learning_rate == floor == 2.0 / 128
    # each report names the η its epoch trained with; the record notes every halving once
    assert [r.learning_rate for r in reports] == [2.0 / 2**min(k, 7) for k in range(9)]
    assert [rate for _, rate in trainer.history.learning_rate_changes] == [2.0 / 2**k for k in range(1, 8)]


def test_resuming_at_the_floor_goes_on_exactly_in_this_process_and_through_a_file(small_mnist, tmp_path):
    straight = stalled_trainer(small_mnist)
    expected = [straight.run_epoch() for _ in range(9)][7:]

    stopped = stalled_trainer(small_mnist)
    for _ in range(7):
        stopped.run_epoch()
    path = tmp_path / "floor.npz"
    save_run(path, stopped.network, stopped.history, STALLED, stopped.state())
    in_process = Trainer.resume(stopped.network.copy(), small_mnist, STALLED, stopped.state(),
                                stopped.history.copy(), evaluate_test=False)
    run = load_run(path)
    from_file = Trainer.resume(run.network, small_mnist, run.options, run.state, run.history, evaluate_test=False)
    for trainer in (in_process, from_file):
        reports = [trainer.run_epoch() for _ in range(2)]
        assert [(r.epoch, r.learning_rate, r.schedule_ended) for r in reports] == \
            [(r.epoch, r.learning_rate, r.schedule_ended) for r in expected]
        assert trainer.learning_rate == straight.learning_rate
        np.testing.assert_array_equal(trainer.network.params, straight.network.params)


@pytest.mark.parametrize("eta, text", [(1.0, "1"), (0.5, "0.5"), (3.0, "3"), (0.1, "0.1"), (1 / 128, "0.0078125"),
                                       (0.1 / 128, "0.00078125"), (0.1 / 1024, "0.0000976563"), (2.27e-13, "0.000000000000227")])
def test_learning_rates_read_as_plain_decimals(eta, text):
    assert learning_rate_text(eta) == text
    assert learning_rate_text(np.float32(eta)) == learning_rate_text(float(np.float32(eta)))
    assert float(text) == pytest.approx(eta, rel=1e-5)


def test_the_schedule_s_last_line_names_the_epoch_and_the_floor():
    line = schedule_end_text(23, 1 / 128)
    assert "after epoch 23" in line and "0.0078125" in line and "e-" not in line and "\n" not in line
