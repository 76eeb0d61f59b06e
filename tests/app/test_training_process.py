"""Training in a process of its own, as the window shows it: the record, a process that dies,
the network left behind when the window moves on, and Ctrl+C in the terminal."""

import os
import signal
import textwrap

import numpy as np

from nnviz.core.files import load_run, save_run
from nnviz.core.network import Network

from helpers import ends_soon, interrupt_app

TIMEOUT = 30_000


def _train_batches(window, qtbot, n):
    before = window.model.history.end if window.model.history else 0.0
    window.training.step_batches(n)
    qtbot.waitUntil(lambda: window.controller.state == "idle" and window.model.trainer_state is not None
                    and window.model.history.end > before, timeout=TIMEOUT)


def test_the_record_of_a_new_network_starts_at_the_network_it_started_from(fresh, qtbot, tmp_path):
    initial = fresh.model.shown.params.copy()
    _train_batches(fresh, qtbot, 120)
    history = fresh.model.history
    assert history.checkpoint_positions[0] == 0.0 and len(history) > 20
    np.testing.assert_array_equal(history.parameters(0), initial)
    assert fresh.files.save_as(tmp_path / "run.npz")
    run = load_run(tmp_path / "run.npz")
    assert run.note is None and run.state is not None  # checkpoints are stored as float16: positions compared
    np.testing.assert_array_equal(run.history.checkpoint_positions, history.checkpoint_positions)


def test_a_training_process_that_dies_is_reported_once_and_the_next_train_starts_another(fresh, qtbot, errors):
    fresh.controls.epochs.setValue(1000)
    fresh.toolbar.run_button.click()
    qtbot.waitUntil(lambda: fresh.isWindowModified(), timeout=TIMEOUT)
    pid = fresh.controller.process_id
    os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: bool(errors), timeout=TIMEOUT)
    shown = fresh.model.shown.params.copy()
    assert len(errors) == 1 and "ended unexpectedly" in errors[0][1] and "\n" not in errors[0][1]
    assert fresh.controller.state == "idle" and fresh.toolbar.run_button.text() == "Train"
    qtbot.wait(200)
    np.testing.assert_array_equal(fresh.model.shown.params, shown)  # the last network it sent stays
    fresh.controls.epochs.setValue(fresh.model.epochs_done + 1)
    fresh.toolbar.run_button.click()
    qtbot.waitUntil(lambda: fresh.controller.state == "idle" and fresh.controller.process_id not in (None, pid)
                    and fresh.model.trainer_state is not None, timeout=TIMEOUT)
    assert not np.array_equal(fresh.model.shown.params, shown) and len(errors) == 1


def test_a_network_opened_while_another_trains_is_not_overwritten_by_the_old_run(fresh, qtbot, tmp_path, monkeypatch):
    other = Network(seed=9)
    save_run(tmp_path / "other.npz", other)
    fresh.controls.epochs.setValue(1000)
    fresh.toolbar.run_button.click()
    qtbot.waitUntil(lambda: fresh.isWindowModified(), timeout=TIMEOUT)
    monkeypatch.setattr(fresh.dialogs, "ask_unsaved", lambda *a: __import__("PySide6").QtWidgets.QMessageBox.StandardButton.Discard)
    assert fresh.files.open_network(tmp_path / "other.npz")
    qtbot.wait(500)  # snapshots of the old run that were on their way have arrived by now
    np.testing.assert_array_equal(fresh.model.shown.params, other.params)
    assert fresh.controller.state == "idle"


APP_THAT_TRAINS = textwrap.dedent("""
    import sys
    from PySide6 import QtCore
    from nnviz.app import main as app_main
    from nnviz.model.options import SPEEDS

    make_window = app_main.make_window

    def training_window(*args, **kwargs):
        window = make_window(*args, **kwargs)
        def train():
            window.files.new_network()
            window.model.set_speed(len(SPEEDS) - 1)  # full speed: a person's default would take a minute
            window.controls.epochs.setValue(1000)
            window.toolbar.run_button.click()
        QtCore.QTimer.singleShot(200, train)
        window.controller.progressed.connect(lambda s: print("trained", s.batches_done, window.controller.process_id, flush=True))
        return window

    app_main.make_window = training_window
    from nnviz.cli import main
    sys.exit(main())
""")


def _trained_far(line: str) -> int | None:
    """The training process's id, from a line saying more than 1,000 mini-batches were trained."""
    if line.startswith("trained") and int(line.split()[1]) > 1000:
        return int(line.split()[2])
    return None


def test_ctrl_c_in_the_terminal_mid_training_saves_the_run_and_ends_both_processes(tmp_path):
    code, errors, worker = interrupt_app(APP_THAT_TRAINS, tmp_path, _trained_far)
    assert code == 130, errors
    lines = [line for line in errors.splitlines() if "propagateSizeHints" not in line]
    assert len(lines) == 1 and lines[0].startswith("nnviz: interrupted; the unsaved network was saved to "), errors
    rescued = list((tmp_path / "data" / "nnviz" / "rescued").glob("untitled-*.npz"))
    assert len(rescued) == 1 and lines[0].endswith(str(rescued[0]))
    run = load_run(rescued[0])
    assert run.state is not None and run.note is None and run.history.checkpoint_positions[0] == 0.0
    assert ends_soon(worker), "the training process outlived the app"


def test_a_stop_the_window_has_already_overruled_does_not_stop_it(fresh, qtbot):
    """Pause then Train at once: the worker's 'stopped' may arrive after the Train. The window
    stays training, and keeps no trainer state that the network shown has since left behind."""
    fresh.controls.epochs.setValue(1000)
    fresh.toolbar.run_button.click()
    qtbot.waitUntil(lambda: fresh.isWindowModified(), timeout=TIMEOUT)
    controller = fresh.controller
    stops = []
    controller.progressed.connect(lambda s: stops.append(s) if s.batches_done else None)
    # the two clicks within one turn of the event loop: no snapshot can come in between
    fresh.toolbar.run_button.click()
    fresh.toolbar.run_button.click()
    qtbot.waitUntil(lambda: len(stops) >= 5, timeout=TIMEOUT)
    assert controller.state == "running" and fresh.toolbar.run_button.text() == "Pause"
    assert all(s.trainer_state is None and s.state == "running" for s in stops)
    assert fresh.model.trainer_state is None
    fresh.toolbar.run_button.click()
    qtbot.waitUntil(lambda: controller.state == "idle" and fresh.model.trainer_state is not None, timeout=TIMEOUT)


def test_a_run_that_cannot_start_says_why_and_the_next_train_tries_again(fresh, qtbot, errors, monkeypatch):
    from nnviz.core.options import TrainerState

    broken = TrainerState(epochs_done=0, learning_rate=1.0, batch_size=10, momentum=0.0, rng_state={"bad": 1},
                          epoch_examples=0, epoch_batches=0, epoch_cost_total=0.0, block_batches=0,
                          block_cost_total=0.0, schedule_best=-1.0, schedule_wait=0, velocity=None)
    fresh.training.step_batches(3)  # a record to resume from
    qtbot.waitUntil(lambda: fresh.model.trainer_state is not None and fresh.controller.state == "idle", timeout=TIMEOUT)
    fresh.controller.shutdown()
    fresh.model.trainer_state = broken
    fresh.training.step_batches(1)
    qtbot.waitUntil(lambda: bool(errors), timeout=TIMEOUT)
    assert "cannot start" in errors[0][1] and not fresh.controller.attached and fresh.controller.state == "idle"
    fresh.model.trainer_state = None
    fresh.training.step_batches(1)
    qtbot.waitUntil(lambda: fresh.controller.state == "idle" and fresh.model.trainer_state is not None, timeout=TIMEOUT)
    assert len(errors) == 1
