"""The Mistakes tab's answers, computed in the window's compute process: they are the network's own
answers, the tab never draws an earlier network's as the one on show's, a quick series of moves
ends with the last checkpoint's, training shows the newest it has and says when they are from, a
process that dies is said and replaced, and closing the window mid-job leaves no process and no
widget."""

import gc
import os
import signal
import weakref

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from nnviz.app.components import mistakes
from nnviz.app.components.mistakes import AHEAD, SPLIT
from nnviz.app.main import make_window
from nnviz.app.training.jobs import ComputeJobs, Kept
from nnviz.core.evaluation import confusion_matrix
from nnviz.core.network import Network
from nnviz.core.training import Trainer

from helpers import alive

TIMEOUT = 60_000


@pytest.fixture
def recorded(window, mnist):
    """The window showing a run of 60 mini-batches, the Mistakes tab open and its answers there."""
    network = Network(seed=0)
    trainer = Trainer(network, mnist, seed=0)
    trainer.run_batches(60)
    window.model.set_network(network, history=trainer.history)
    window.bottom.setCurrentWidget(window.confusion_page)
    return window


def expected_matrix(network, mnist):
    """The confusion matrix by the oracle: the network's forward pass on every test image."""
    return confusion_matrix(mnist.test.labels, network.predict(mnist.test.inputs()), 10)


def test_the_answers_from_the_process_are_the_networks_forward_pass(qapp, mnist, qtbot):
    network = Network((784, 30, 10), seed=4)
    jobs, done = ComputeJobs(), []
    try:
        jobs.keep("split", mnist.test)
        channel = jobs.channel("answers")
        channel.finished.connect(done.append)
        channel.run("answers", network, Kept("split"))
        qtbot.waitUntil(lambda: bool(done), timeout=TIMEOUT)
    finally:
        jobs.close()
        jobs.deleteLater()
    np.testing.assert_array_equal(done[0], network.predict(mnist.test.inputs()))


def test_a_quick_series_of_moves_ends_with_the_last_checkpoints_answers_and_none_drawn_as_another(recorded, mnist,
                                                                                                 qtbot, monkeypatch):
    window, model = recorded, recorded.model
    monkeypatch.setattr(mistakes, "AHEAD", 0)  # nothing computed ahead: every move asks
    qtbot.waitUntil(lambda: not window.mistakes.busy(), timeout=TIMEOUT)
    drawn = []  # each matrix drawn as the network on show's, with the parameters on show then
    show_matrix = window.confusion.show_matrix

    def recording(matrix, names, earlier=None, position=None):
        if earlier is None:
            drawn.append((np.array(matrix), model.shown.params.copy()))
        show_matrix(matrix, names, earlier, position)

    monkeypatch.setattr(window.confusion, "show_matrix", recording)
    for index in (5, 9, 20, 14, 3):  # each move before the answers of the one before came
        model.move_to(index)
        # clicks do nothing meanwhile (if not: why not, failed or already known)
        assert window.mistakes.busy() and window.confusion.computing, \
            (index, window.mistakes._failed, model.answers.known(SPLIT) is not None, window.confusion_page.isVisible())
        QtWidgets.QApplication.processEvents()
    qtbot.waitUntil(lambda: not window.mistakes.busy(), timeout=TIMEOUT)
    assert not window.confusion.computing
    np.testing.assert_array_equal(window.confusion.matrix, expected_matrix(model.shown, mnist))
    # asked for 10, the tab hidden, the move to 15 asks nothing: 10's answers come while 15 is on show
    model.move_to(10)
    window.bottom.setCurrentWidget(window.weight_images_page)
    model.move_to(15)
    qtbot.waitUntil(lambda: not window.mistakes.busy(), timeout=TIMEOUT)
    window.bottom.setCurrentWidget(window.confusion_page)
    qtbot.waitUntil(lambda: not window.mistakes.busy(), timeout=TIMEOUT)
    np.testing.assert_array_equal(window.confusion.matrix, expected_matrix(model.shown, mnist))
    assert len(drawn) >= 2
    for matrix, params in drawn:
        network = model.shown.copy()
        network.params[:] = params
        np.testing.assert_array_equal(matrix, expected_matrix(network, mnist))


def test_the_answers_around_the_cursor_are_computed_ahead_and_a_move_there_draws_them_in_the_move(recorded, mnist,
                                                                                                 qtbot):
    window, model = recorded, recorded.model
    assert len(model.history) == 25
    model.move_to(12)
    qtbot.waitUntil(lambda: not window.mistakes.busy(), timeout=TIMEOUT)  # its own
    qtbot.waitUntil(lambda: not window.mistakes.channel.busy, timeout=TIMEOUT)  # and those around it
    assert AHEAD >= 24  # the whole run
    assert model.answers.known_checkpoints(SPLIT) == list(range(25))
    for index in (13, 11, 23, 0):
        model.move_to(index)
        # drawn in the move itself: nothing asked for it, the matrix its own and clickable
        assert not window.mistakes.busy() and not window.confusion.computing
        np.testing.assert_array_equal(window.confusion.matrix, expected_matrix(model.shown, mnist))
    # the tab hidden, nothing more is computed ahead
    qtbot.waitUntil(lambda: not window.mistakes.channel.busy, timeout=TIMEOUT)
    known = model.answers.known_checkpoints(SPLIT)
    window.bottom.setCurrentWidget(window.weight_images_page)
    model.move_to(22)
    QtWidgets.QApplication.processEvents()
    assert not window.mistakes.channel.busy and model.answers.known_checkpoints(SPLIT) == known


def test_a_move_to_the_checkpoint_being_computed_ahead_keeps_that_job(recorded, mnist, qtbot):
    window, model = recorded, recorded.model
    model.move_to(10)
    qtbot.waitUntil(lambda: not window.mistakes.busy(), timeout=TIMEOUT)
    assert window.mistakes.channel.busy  # the next one, later first: 11
    generation = window.mistakes.channel.generation
    model.move_to(11)
    assert window.mistakes.busy() and window.mistakes.channel.generation == generation  # not asked again
    qtbot.waitUntil(lambda: not window.mistakes.busy(), timeout=TIMEOUT)
    assert not window.confusion.computing
    np.testing.assert_array_equal(window.confusion.matrix, expected_matrix(model.shown, mnist))
    model.move_to(23)  # elsewhere: that job gives way at once
    assert window.mistakes.busy() and window.mistakes.channel.generation != generation
    qtbot.waitUntil(lambda: not window.mistakes.busy(), timeout=TIMEOUT)
    np.testing.assert_array_equal(window.confusion.matrix, expected_matrix(model.shown, mnist))


def paused_and_answered(window) -> bool:
    """Training has stopped, and the tab shows the answers of the network it stopped with: its last
    snapshot can come after the pause, and the tab follows it at the next redraw."""
    return (window.controller.state == "idle" and not window.mistakes.busy()
            and window.model.answers.known(SPLIT) is not None and not window.confusion.computing)


def test_while_training_the_tab_shows_the_newest_answers_it_has_and_when_they_are_from(recorded, mnist, qtbot):
    window, model = recorded, recorded.model
    model.move_to(None)
    qtbot.waitUntil(lambda: not window.mistakes.busy(), timeout=TIMEOUT)
    window.controls.epochs.setValue(model.epochs_done + 1)
    window.toolbar.run_button.click()
    qtbot.waitUntil(lambda: "Training: these are the answers of the network at epoch"
                    in window.confusion.summary.text(), timeout=TIMEOUT)
    assert window.confusion.computing  # an earlier network's: no clicks
    window.toolbar.run_button.click()  # pause
    qtbot.waitUntil(lambda: paused_and_answered(window), timeout=TIMEOUT)
    np.testing.assert_array_equal(window.confusion.matrix, expected_matrix(model.shown, mnist))
    assert "Training" not in window.confusion.summary.text()


def closed_mid_job(qtbot, settings) -> tuple[weakref.ref, int]:
    window = make_window(settings=settings)
    window.show()
    qtbot.waitExposed(window)
    window.bottom.setCurrentWidget(window.confusion_page)
    qtbot.waitUntil(lambda: not window.mistakes.busy(), timeout=TIMEOUT)
    window.model.set_network(Network(seed=8))
    assert window.mistakes.busy()
    pid = window.jobs.process_id
    assert alive(pid)
    window.model.set_dirty(False)
    window.close()
    return weakref.ref(window), pid


def test_closing_the_window_while_its_answers_are_computed_leaves_no_process_and_no_widget(qtbot, settings, errors):
    before = {id(w) for w in QtWidgets.QApplication.topLevelWidgets()}
    window, pid = closed_mid_job(qtbot, settings)
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    QtWidgets.QApplication.processEvents()
    gc.collect()
    assert window() is None and not alive(pid)
    assert [w for w in QtWidgets.QApplication.topLevelWidgets() if id(w) not in before] == []
    assert errors == []


def test_a_compute_process_that_dies_mid_job_is_said_in_the_tab_and_the_next_move_starts_another(recorded, mnist,
                                                                                                 qtbot):
    window, model = recorded, recorded.model
    qtbot.waitUntil(lambda: not window.mistakes.busy(), timeout=TIMEOUT)
    pid = window.jobs.process_id
    os.kill(pid, signal.SIGSTOP)  # held, so that the move's job is surely under way when it dies
    model.move_to(5)
    assert window.mistakes.busy()
    os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: not window.mistakes.busy(), timeout=TIMEOUT)
    assert window.confusion.computing and "could not be computed" in window.confusion.summary.text()
    model.move_to(9)
    qtbot.waitUntil(lambda: not window.mistakes.busy(), timeout=TIMEOUT)
    assert window.jobs.process_id not in (None, pid) and not window.confusion.computing
    np.testing.assert_array_equal(window.confusion.matrix, expected_matrix(model.shown, mnist))


def test_a_compute_process_that_dies_while_training_is_said_until_training_stops(recorded, mnist, qtbot):
    """Every snapshot is a new network: asking again at each after a failure would start a process
    (or fail) many times a second, and the tab would never say what happened."""
    window, model = recorded, recorded.model
    model.move_to(None)
    qtbot.waitUntil(lambda: not window.mistakes.busy(), timeout=TIMEOUT)
    window.controls.epochs.setValue(model.epochs_done + 30)  # still training when checked
    pid = window.jobs.process_id
    os.kill(pid, signal.SIGSTOP)  # held, so that a job is surely under way when it dies
    window.toolbar.run_button.click()
    qtbot.waitUntil(lambda: window.mistakes.busy(), timeout=TIMEOUT)
    os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: "could not be computed" in window.confusion.summary.text(), timeout=TIMEOUT)
    qtbot.wait(500)  # snapshots keep coming
    assert window.controller.state != "idle"
    assert "could not be computed" in window.confusion.summary.text() and not window.mistakes.busy()
    assert window.jobs.process_id in (None, pid)  # no process started for each snapshot
    window.toolbar.run_button.click()  # pause
    qtbot.waitUntil(lambda: paused_and_answered(window), timeout=TIMEOUT)
    np.testing.assert_array_equal(window.confusion.matrix, expected_matrix(model.shown, mnist))
