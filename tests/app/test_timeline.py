"""The timeline: scrubbing a recorded run moves every view together; training continues a run."""

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from nnviz.core.evaluation import confusion_matrix, predictions
from nnviz.core.files import load_run, save_run
from nnviz.core.network import Network
from nnviz.core.training import Trainer, TrainingOptions

TRAINING_TIMEOUT = 60_000
OPTIONS = TrainingOptions(halve_after=0)


def assert_same_record(history, expected):
    """The same run's record; checkpoints read back from a file may be rounded (its format's choice)."""
    assert history.epochs == expected.epochs
    np.testing.assert_array_equal(history.cost_positions, expected.cost_positions)
    np.testing.assert_array_equal(history.cost_values, expected.cost_values)
    np.testing.assert_array_equal(history.checkpoint_positions, expected.checkpoint_positions)
    for i in range(len(expected)):
        np.testing.assert_allclose(history.parameters(i), expected.parameters(i), atol=5e-3)


@pytest.fixture(scope="module")
def one_epoch_run(mnist, tmp_path_factory):
    """A file with one epoch of the default run, seed 0, and its record."""
    network = Network(seed=0)
    trainer = Trainer.from_options(network, mnist, OPTIONS)
    trainer.run_epoch()
    path = tmp_path_factory.mktemp("runs") / "one-epoch.npz"
    save_run(path, network, trainer.history, OPTIONS, trainer.state(), epochs_trained=1)
    return path


@pytest.fixture
def opened(window, one_epoch_run):
    assert window.files.open_network(one_epoch_run)
    return window


def test_scrubbing_moves_every_view_to_the_checkpoint(opened, mnist, qtbot):
    window, model = opened, opened.model
    history = model.history
    assert len(history) > 50 and window.timeline.count == len(history)
    window.picture.inspect(1, 4)
    window.bottom.setCurrentWidget(window.confusion_page)
    window.timeline.moved.emit(5)  # what a click on the scrubber's sixth stop emits
    assert window.confusion.computing  # the test set's answers come from the compute process, the matrix faded meanwhile
    network = window.model.shown
    np.testing.assert_array_equal(network.params, history.parameters(5))
    # the network view's edges, the first-layer images, the neuron panel: the checkpoint's weights
    for shown, weights in zip(window.network_view.edge_values, network.weights):
        np.testing.assert_array_equal(shown, weights)
    np.testing.assert_array_equal(window.neuron_panel.incoming, network.weights[0][4])
    # the example's answer and the confusion matrix, recomputed for the checkpoint
    answer = int(network.forward(mnist.test.inputs(0)).output[0].argmax())
    assert "says <b style='color:" in window.input_panel.caption.text()
    assert f">{answer}</b>" in window.input_panel.caption.text()
    expected = confusion_matrix(mnist.test.labels, predictions(network, mnist.test), 10)
    qtbot.waitUntil(lambda: not window.mistakes.busy())
    assert not window.confusion.computing
    np.testing.assert_array_equal(window.confusion.matrix, expected)
    window.bottom.setCurrentWidget(window.weight_images_page)  # hidden tabs catch up when shown
    np.testing.assert_array_equal(window.weight_images.picture(4), network.weights[0][4].reshape(28, 28))
    # the cursor on the plots and on the timeline
    position = history.checkpoint_positions[5]
    assert all(line.value() == pytest.approx(position) for line in window.plots.cursors)
    assert window.timeline.index == 5 and "checkpoint 6 of" in window.timeline.label.text()
    assert not window.isWindowModified()  # looking back changes nothing
    window.timeline.moved.emit(window.timeline.count - 1)
    assert model.cursor is None  # the end of the record is the network as it is now
    np.testing.assert_allclose(window.model.shown.params, history.parameters(len(history) - 1), atol=2e-3)


def test_the_mistakes_tab_computing_its_answers_ends_with_the_checkpoint_on_show(opened, mnist, qtbot):
    window, model = opened, opened.model
    window.bottom.setCurrentWidget(window.confusion_page)
    qtbot.waitUntil(lambda: not window.mistakes.busy())
    for index in (5, 9, 20):  # each move before the answers of the one before are complete
        window.timeline.moved.emit(index)
        assert window.mistakes.busy() and window.confusion.computing  # an earlier network's matrix: no clicks
        QtWidgets.QApplication.processEvents()  # a turn or so
    qtbot.waitUntil(lambda: not window.mistakes.busy())
    expected = confusion_matrix(mnist.test.labels, predictions(model.shown, mnist.test), 10)
    np.testing.assert_array_equal(window.confusion.matrix, expected)
    assert f"{np.trace(expected) / 10_000:.2%}" in window.confusion.summary.text()
    window.timeline.moved.emit(9)  # interrupted before it was complete: computed again
    qtbot.waitUntil(lambda: not window.mistakes.busy())
    np.testing.assert_array_equal(model.shown.params, model.history.parameters(9))
    np.testing.assert_array_equal(window.confusion.matrix,
                                  confusion_matrix(mnist.test.labels, predictions(model.shown, mnist.test), 10))
    window.timeline.moved.emit(20)  # complete before: drawn at once
    assert not window.mistakes.busy() and not window.confusion.computing
    np.testing.assert_array_equal(window.confusion.matrix, expected)


def test_keys_step_through_checkpoints_and_epochs(opened, qtbot):
    window, model = opened, opened.model
    window.network_view.setFocus()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Home)
    assert model.cursor == 0 and model.position == 0.0
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Period)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Period)
    assert model.cursor == 2
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Comma)
    assert model.cursor == 1
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Period, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert model.position == 1.0  # the end of epoch 1, the end of this run
    qtbot.keyClick(window, QtCore.Qt.Key.Key_BracketLeft)
    assert model.position == 0.0
    qtbot.keyClick(window, QtCore.Qt.Key.Key_End)
    assert model.cursor is None


def test_clicking_a_plot_jumps_the_timeline_there(opened):
    window, model = opened, opened.model
    window.plots.position_clicked.emit(0.5)
    assert model.cursor == model.history.index_at(0.5)
    assert model.position <= 0.5 and model.history.checkpoint_positions[model.cursor + 1] > 0.5


def test_replay_walks_through_the_run(opened, qtbot):
    window = opened
    window.timeline.speed.setCurrentIndex(3)
    qtbot.mouseClick(window.timeline.replay_button, QtCore.Qt.MouseButton.LeftButton)
    assert window.model.cursor == 0  # a replay of a finished run starts at its beginning
    qtbot.waitUntil(lambda: (window.model.cursor or 0) >= 3, timeout=5000)
    qtbot.mouseClick(window.timeline.replay_button, QtCore.Qt.MouseButton.LeftButton)
    stopped = window.model.cursor
    qtbot.wait(200)
    assert window.model.cursor == stopped


def test_training_from_an_earlier_checkpoint_asks_then_drops_the_later_record(opened, qtbot, monkeypatch, one_epoch_run):
    window, model = opened, opened.model
    on_disk = one_epoch_run.read_bytes()
    model.move_to(10)
    monkeypatch.setattr(window.dialogs, "ask_branch", lambda *a: QtWidgets.QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(window.toolbar.batch_button, QtCore.Qt.MouseButton.LeftButton)
    assert model.cursor == 10 and len(model.history) > 11 and not window.controller.attached
    monkeypatch.setattr(window.dialogs, "ask_branch", lambda *a: QtWidgets.QMessageBox.StandardButton.Yes)
    position = model.history.checkpoint_positions[10]
    with qtbot.waitSignal(window.controller.progressed, timeout=TRAINING_TIMEOUT,
                          check_params_cb=lambda s: s.state == "idle" and s.batches_done == 1):
        qtbot.mouseClick(window.toolbar.batch_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.mode == "idle")
    history = model.history
    assert history.checkpoint_positions[10] == position and history.end < 0.5 and not history.epochs
    assert window.isWindowModified() and one_epoch_run.read_bytes() == on_disk


def test_train_on_an_opened_file_continues_its_run_exactly(opened, qtbot, mnist, tmp_path):
    window = opened
    with qtbot.waitSignal(window.controller.progressed, timeout=TRAINING_TIMEOUT,
                          check_params_cb=lambda s: s.state == "idle" and s.report is not None):
        qtbot.mouseClick(window.toolbar.epoch_button, QtCore.Qt.MouseButton.LeftButton)
    straight = Network(seed=0)
    trainer = Trainer.from_options(straight, mnist, OPTIONS)
    trainer.run_epoch()
    trainer.run_epoch()
    qtbot.waitUntil(lambda: window.model.epochs_done == 2)
    np.testing.assert_array_equal(window.model.shown.params, straight.params)
    # the timeline followed the run to its live end
    assert window.model.cursor is None and window.timeline.index == window.timeline.count - 1
    assert window.timeline.scrubber.positions[-1] == 2.0 and "epoch 2 · now" in window.timeline.label.text()
    assert_same_record(window.model.history, trainer.history)
    assert [row[0] for row in window.plots.epochs] == [1, 2]
    # and what is saved is that run, with its settings
    assert window.files.save_as(tmp_path / "two.npz")
    run = load_run(tmp_path / "two.npz")
    assert_same_record(run.history, trainer.history)
    assert run.options == window.model.options and run.state is not None


def test_timeline_keys_leave_text_fields_alone(opened, qtbot):
    window, model = opened, opened.model
    model.move_to(5)
    box = window.controls.learning_rate
    box.setFocus()
    box.lineEdit().selectAll()
    for key in (QtCore.Qt.Key.Key_0, QtCore.Qt.Key.Key_Period, QtCore.Qt.Key.Key_5, QtCore.Qt.Key.Key_Home,
                QtCore.Qt.Key.Key_End):
        qtbot.keyClick(box.lineEdit(), key)
    assert model.cursor == 5 and box.lineEdit().text().startswith("0.5")


def test_a_selected_neuron_is_followed_through_the_run(opened):
    window, model = opened, opened.model
    window.picture.inspect(2, 7)
    window.neuron_panel.pages.setCurrentWidget(window.neuron_history_page)
    positions, activations, norms = model.neuron_through_time(2, 7, model.current_input()[0])
    curve_x, curve_y = window.neuron_history.activation_curve.getData()
    np.testing.assert_array_equal(curve_x, model.history.checkpoint_positions)
    network = window.model.shown.copy()
    network.params[:] = model.history.parameters(10)
    x = model.current_input()[0]
    assert curve_y[10] == pytest.approx(float(network.forward(x).activations[2][0, 7]))
    assert norms[10] == pytest.approx(float(np.linalg.norm(network.weights[1][7])))
    model.move_to(10)
    assert window.neuron_history.cursors[0].value() == pytest.approx(model.position)


def test_where_the_cursor_is_reads_on_one_line_or_two_split_at_its_dot(opened, qtbot):
    # Wrapped by words it read "epoch 9 ·" over "checkpoint 75 of 96" at 1280x720.
    window, timeline = opened, opened.timeline
    window.resize(1150, 650)  # the window a first launch opens on a 1280x720 screen
    window.model.move_to(3)
    QtWidgets.QApplication.processEvents()
    assert "\n" not in timeline.label.text() and " · checkpoint 4 of" in timeline.label.text()
    assert timeline.label.fontMetrics().horizontalAdvance(timeline.label.text()) <= timeline.label.width()
    # a narrow timeline (a compared run beside the network, a small screen): two lines, the dot gone
    from nnviz.app.views.timeline import Timeline

    narrow = Timeline()
    qtbot.addWidget(narrow)
    narrow.show_run(np.linspace(0, 1, 61), [])
    narrow.show_cursor(3, window.model.cursor_text())
    narrow.resize(560, 40)
    narrow.show()
    QtWidgets.QApplication.processEvents()
    lines = narrow.label.text().split("\n")
    assert len(lines) == 2 and lines[1].startswith("checkpoint 4 of") and not any(line.endswith("·") for line in lines)
    assert narrow.scrubber.width() >= 160
    narrow.resize(1000, 40)  # room again: one line
    QtWidgets.QApplication.processEvents()
    assert "\n" not in narrow.label.text()
