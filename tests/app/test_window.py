"""The window driven the way a person drives it: clicks, keys, files, closing."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from nnviz.app.main import PRETRAINED, make_window
from nnviz.app.training.controller import IDLE
from nnviz.core.data import bundled_mnist_dir
from nnviz.core.files import load_network, load_run, save_network
from nnviz.core.network import Network
from nnviz.core.training import Trainer

TRAINING_TIMEOUT = 30_000


def test_first_launch_shows_the_bundled_pretrained_network_working(window):
    pretrained, _ = load_network(bundled_mnist_dir() / PRETRAINED)
    np.testing.assert_array_equal(window.model.shown.params, pretrained.params)
    assert window.model.path is None  # the bundled file is never overwritten by Save
    assert "Label <b>7</b>" in window.input_panel.caption.text() and "says <b style='color:#50c878'>7</b>" in window.input_panel.caption.text()
    assert "test 95." in window.readout.text()
    assert window.network_view.last_bins.total == 12_960
    assert "nnviz" in window.windowTitle() and not window.isWindowModified()


def test_training_starts_and_the_accuracy_rises(fresh, qtbot):
    fresh.controls.epochs.setValue(1)
    before = fresh.model.shown.params.copy()
    qtbot.mouseClick(fresh.toolbar.run_button, QtCore.Qt.MouseButton.LeftButton)
    assert fresh.toolbar.run_button.text() == "Pause"
    qtbot.waitUntil(lambda: fresh.model.epochs_done == 1 and fresh.controller.state == IDLE, timeout=TRAINING_TIMEOUT)
    assert not np.array_equal(fresh.model.shown.params, before)
    (epoch, cost, validation, test), = fresh.plots.epochs
    assert epoch == 1 and validation > 0.85 and test > 0.85  # from ~10% for the random network
    assert fresh.plots.batch_points >= 90  # 5,000 mini-batches, one point per 50
    assert fresh.isWindowModified() and fresh.toolbar.run_button.text() == "Train"
    assert f"validation {validation:.2%}" in fresh.readout.text()


def test_pause_stops_progress_and_resume_continues(fresh, qtbot):
    qtbot.mouseClick(fresh.toolbar.run_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fresh.isWindowModified(), timeout=TRAINING_TIMEOUT)
    qtbot.mouseClick(fresh.toolbar.run_button, QtCore.Qt.MouseButton.LeftButton)  # pause
    qtbot.waitUntil(lambda: fresh.controller.state == IDLE, timeout=2000)
    qtbot.wait(100)
    paused = fresh.model.shown.params.copy()
    qtbot.wait(300)
    np.testing.assert_array_equal(fresh.model.shown.params, paused)
    assert fresh.toolbar.batch_button.isEnabled()
    qtbot.mouseClick(fresh.toolbar.run_button, QtCore.Qt.MouseButton.LeftButton)  # resume
    qtbot.waitUntil(lambda: not np.array_equal(fresh.model.shown.params, paused), timeout=5000)
    qtbot.mouseClick(fresh.toolbar.run_button, QtCore.Qt.MouseButton.LeftButton)


def test_one_mini_batch_is_exactly_one_sgd_step(fresh, qtbot, mnist):
    expected = fresh.model.shown.copy()
    # The window trains with its options (the core's defaults: η 1.0, mini-batches of 10, seed 0,
    # weight decay): one mini-batch there is one step of a core Trainer with the same options.
    Trainer.from_options(expected, mnist, fresh.model.options).run_batches(1)
    with qtbot.waitSignal(fresh.controller.progressed, timeout=30_000, check_params_cb=lambda s: s.batches_done == 1):
        qtbot.mouseClick(fresh.toolbar.batch_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.wait(100)
    np.testing.assert_allclose(fresh.model.shown.params, expected.params, rtol=1e-6, atol=1e-7)
    assert fresh.toolbar.progress.value() == 1


def test_one_mini_batch_of_the_whole_training_set_is_one_step_of_gradient_descent(fresh, qtbot, mnist):
    """The Mini-batch size box goes up to the whole training set: one step then averages all 50,000
    nudges, and the progress says that it was a whole epoch."""
    fresh.controls.batch_size.setValue(fresh.controls.batch_size.maximum())  # more than the set: all of it
    expected = fresh.model.shown.copy()
    Trainer.from_options(expected, mnist, fresh.model.options).run_batches(1)
    with qtbot.waitSignal(fresh.controller.progressed, timeout=60_000, check_params_cb=lambda s: s.batches_done == 1):
        qtbot.mouseClick(fresh.toolbar.batch_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fresh.controller.state == IDLE, timeout=30_000)
    np.testing.assert_allclose(fresh.model.shown.params, expected.params, rtol=1e-5, atol=1e-6)
    assert fresh.model.options.batch_size >= len(mnist.train) and fresh.model.progress.batches_per_epoch == 1


def test_a_click_in_the_speed_slider_s_groove_steps_once(fresh, qtbot):
    slider = fresh.toolbar.speed
    slider.setValue(3)
    before = fresh.model.speed
    handle_x = slider.style().sliderPositionFromValue(slider.minimum(), slider.maximum(), slider.value(), slider.width())
    right = QtCore.QPoint(min(slider.width() - 3, handle_x + 40), slider.height() // 2)
    qtbot.mouseClick(slider, QtCore.Qt.MouseButton.LeftButton, pos=right)
    assert fresh.model.speed == before + 1  # one step faster, not the far end
    left = QtCore.QPoint(3, slider.height() // 2)
    qtbot.mouseClick(slider, QtCore.Qt.MouseButton.LeftButton, pos=left)
    assert fresh.model.speed == before


def test_slow_speed_lets_a_person_watch_single_nudges(fresh, qtbot):
    fresh.toolbar.speed.setValue(2)  # 2 mini-batches a second
    assert fresh.toolbar.speed_label.text() == "Speed: 2/s"
    seen = []
    fresh.controller.progressed.connect(lambda s: seen.append(s.batches_done))
    qtbot.mouseClick(fresh.toolbar.run_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.wait(1600)
    qtbot.mouseClick(fresh.toolbar.run_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fresh.controller.state == IDLE, timeout=2000)
    assert 2 <= max(seen) <= 5
    # at this speed every nudge reaches the screen: one snapshot per mini-batch
    assert sorted(set(seen)) == list(range(1, max(seen) + 1))


def test_the_edge_colours_follow_the_weights(fresh, qtbot):
    view = fresh.network_view
    fresh.controls.edges.setValue(100)
    weights = [np.zeros_like(w) for w in fresh.model.shown.weights]
    pixel, neuron = 14 * 28 + 14, 7
    for sign, colour_name in ((+1, "blue"), (-1, "red")):
        weights[0][neuron, pixel] = sign * 3.0
        view.show_edge_values(weights)
        start, end = view.layout.edge_endpoints(1)
        edge = neuron * 784 + pixel
        middle = (start[edge] + end[edge]) / 2
        image = view.grab().toImage()
        point = view.mapFromScene(view.view_box.mapViewToScene(QtCore.QPointF(*middle)))
        colour = QtGui.QColor(image.pixel(point.x(), point.y()))
        if colour_name == "blue":
            assert colour.blue() > 200 and colour.red() < 120, colour.getRgb()
        else:
            assert colour.red() > 200 and colour.blue() < 120, colour.getRgb()


def test_edge_fraction_control_draws_the_strongest_input_edges(fresh):
    fresh.controls.edges.setValue(10)
    assert fresh.controls.edges_label.text() == "Input edges: 10%"
    bins = fresh.network_view.last_bins
    assert bins.drawn == round(0.1 * 12_544) + 256 + 160


def test_browsing_with_the_arrow_keys_updates_the_digit_and_the_answer(window, qtbot, mnist):
    window.network_view.setFocus()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Right)
    assert window.model.example.index == 1
    assert f"Label <b>{mnist.test.labels[1]}</b>" in window.input_panel.caption.text()
    assert window.input_panel.position.text() == "test example 2 of 10,000"
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Left)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Left)
    assert window.model.example.index == 9_999


def test_a_bad_file_shows_a_clear_error_and_leaves_the_network_untouched(window, tmp_path, errors):
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"PK\x03\x04 this is not a network")
    before = window.model.shown.params.copy()
    title = window.windowTitle()
    assert not window.files.open_network(bad)
    (heading, text), = errors
    assert heading == "Cannot open network" and "broken.npz" in text and "not a network file" in text
    np.testing.assert_array_equal(window.model.shown.params, before)
    assert window.windowTitle() == title


def test_a_network_for_another_dataset_is_refused(window, tmp_path, errors):
    path = tmp_path / "small.npz"
    save_network(Network((64, 8, 3), seed=0), path)
    assert not window.files.open_network(path)
    assert "does not fit" in errors[0][0] and "64 inputs" in errors[0][1]


def test_open_asks_about_unsaved_changes_and_reopens_the_saved_file(fresh, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "mine.npz"
    assert fresh.files.save_as(path)
    saved = fresh.model.shown.params.copy()
    fresh.model.shown.params[:] = 0.5
    fresh.model.set_dirty(True)
    monkeypatch.setattr(fresh.dialogs, "ask_unsaved", lambda *a: QtWidgets.QMessageBox.StandardButton.Cancel)
    assert not fresh.files.open_network(path)
    assert (fresh.model.shown.params == 0.5).all()
    monkeypatch.setattr(fresh.dialogs, "ask_unsaved", lambda *a: QtWidgets.QMessageBox.StandardButton.Discard)
    assert fresh.files.open_network(path)
    np.testing.assert_array_equal(fresh.model.shown.params, saved)
    assert fresh.windowTitle().startswith("mine.npz") and not fresh.isWindowModified()


def test_ctrl_s_saves_to_the_current_file(fresh, qtbot, tmp_path):
    path = tmp_path / "net.npz"
    fresh.files.save_as(path)
    fresh.model.shown.params[:] = 0.25
    fresh.model.set_dirty(True)
    qtbot.keyClick(fresh, QtCore.Qt.Key.Key_S, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert not fresh.isWindowModified()
    assert (load_network(path)[0].params == 0.25).all()


def test_a_failed_save_keeps_the_previous_file_and_says_so(fresh, tmp_path, errors, monkeypatch):
    path = tmp_path / "net.npz"
    fresh.files.save_as(path)
    good = path.read_bytes()
    fresh.model.set_dirty(True)
    monkeypatch.setattr(np, "savez", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    assert not fresh.files.save()
    assert path.read_bytes() == good and fresh.isWindowModified()
    assert "No space left" in errors[0][1] and "unchanged" in errors[0][1]


def test_recent_networks_menu_reopens_a_file(fresh, tmp_path):
    path = tmp_path / "recent.npz"
    save_network(Network(seed=42), path)
    assert fresh.files.open_network(path)
    fresh.files.new_network()
    actions = fresh.files.recent_menu.actions()
    assert actions[0].text() == "recent.npz"
    actions[0].trigger()
    np.testing.assert_array_equal(fresh.model.shown.params, Network(seed=42).params)


def test_dropping_a_network_file_opens_it(fresh, tmp_path):
    path = tmp_path / "dropped.npz"
    save_network(Network(seed=7), path)
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(path))])
    position = QtCore.QPointF(200, 200)
    enter = QtGui.QDragEnterEvent(position.toPoint(), QtCore.Qt.DropAction.CopyAction, mime,
                                  QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.KeyboardModifier.NoModifier)
    fresh.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QtGui.QDropEvent(position, QtCore.Qt.DropAction.CopyAction, mime,
                            QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.KeyboardModifier.NoModifier)
    fresh.dropEvent(drop)
    np.testing.assert_array_equal(fresh.model.shown.params, Network(seed=7).params)
    assert fresh.model.path == path


def test_new_network_follows_the_architecture_controls(window):
    window.controls.hidden.setText("32")
    window.controls.activation.setCurrentText("tanh")
    window.controls.cost.setCurrentText("cross-entropy")
    window.controls.seed.setValue(3)
    window.controls.new_button.click()
    assert window.model.shown.sizes == (784, 32, 10)
    assert (window.model.shown.activation.name, window.model.shown.cost.name) == ("tanh", "cross-entropy")
    np.testing.assert_array_equal(window.model.shown.params, Network((784, 32, 10), "tanh", "cross-entropy", seed=3).params)
    assert window.network_view.layout.sizes == (784, 32, 10)
    assert window.network_view.last_bins.total == 784 * 32 + 32 * 10


def test_divergence_shows_a_message_and_keeps_the_last_good_network(window, qtbot, errors):
    window.controls.activation.setCurrentText("relu")
    window.controls.cost.setCurrentText("cross-entropy")
    window.controls.new_button.click()
    window.controls.learning_rate.setValue(100.0)
    qtbot.mouseClick(window.toolbar.run_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(errors), timeout=TRAINING_TIMEOUT)
    qtbot.waitUntil(lambda: window.controller.state == IDLE, timeout=30_000)
    title, text = errors[0]
    assert title == "Training stopped" and "diverged" in text and "smaller learning rate" in text
    assert np.isfinite(window.model.shown.params).all()
    assert window.toolbar.run_button.text() == "Train"


def test_open_dataset_with_other_images_makes_a_network_that_fits(window, tmp_path, errors):
    from helpers import make_idx_dataset
    folder = make_idx_dataset(tmp_path / "letters", shape=(8, 8), n_classes=3, class_names=["a", "b", "c"])
    window.model.set_dirty(False)
    assert window.files.open_dataset(folder)
    assert window.model.shown.sizes == (64, 16, 16, 3) and window.model.dataset.name == "letters"
    assert "letters" in window.windowTitle()
    assert not window.files.open_dataset(tmp_path / "nowhere")
    assert errors and "no such folder" in errors[0][1]


def test_settings_persist_between_sessions(qtbot, settings, errors, tmp_path, own):
    first = make_window(settings=settings)
    qtbot.addWidget(first)
    first.controls.learning_rate.setValue(0.125)
    first.controls.edges.setValue(40)
    first.resize(1234, 876)
    path = tmp_path / "last.npz"
    first.files.save_as(path)
    first.close()
    second = make_window(settings=settings)
    own(second)
    assert second.controls.learning_rate.value() == 0.125
    assert second.controls.edges.value() == 40
    assert second.model.path == path  # the last network used
    assert second.files.recent_menu.actions()[0].text() == "last.npz"
    second.close()


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(fresh, monkeypatch):
    fresh.model.set_dirty(True)
    monkeypatch.setattr(fresh.dialogs, "ask_unsaved", lambda *a: QtWidgets.QMessageBox.StandardButton.Cancel)
    assert not fresh.close()
    assert fresh.isVisible()


def test_closing_mid_training_is_quick_and_clean(fresh, qtbot, monkeypatch):
    qtbot.mouseClick(fresh.toolbar.run_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fresh.isWindowModified(), timeout=TRAINING_TIMEOUT)
    process = fresh.controller._process
    monkeypatch.setattr(fresh.dialogs, "ask_unsaved", lambda *a: QtWidgets.QMessageBox.StandardButton.Discard)
    timer = QtCore.QElapsedTimer()
    timer.start()
    assert fresh.close()
    assert timer.elapsed() < 1000
    assert process.poll() is not None  # the training process has ended


def test_the_network_view_zooms_with_the_wheel_and_pans_with_a_drag(window, qtbot):
    view = window.network_view
    box = view.view_box
    before = box.viewRect()
    centre = view.viewport().rect().center()
    event = QtGui.QWheelEvent(QtCore.QPointF(centre), QtCore.QPointF(view.mapToGlobal(centre)), QtCore.QPoint(0, 0),
                              QtCore.QPoint(0, 240), QtCore.Qt.MouseButton.NoButton, QtCore.Qt.KeyboardModifier.NoModifier,
                              QtCore.Qt.ScrollPhase.NoScrollPhase, False)
    QtWidgets.QApplication.sendEvent(view.viewport(), event)
    zoomed = box.viewRect()
    assert zoomed.width() < before.width() * 0.9
    left, none = QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.KeyboardModifier.NoModifier
    for kind, dx, buttons in [(QtCore.QEvent.Type.MouseButtonPress, 0, left)] + \
            [(QtCore.QEvent.Type.MouseMove, dx, left) for dx in range(10, 130, 10)] + \
            [(QtCore.QEvent.Type.MouseButtonRelease, 120, QtCore.Qt.MouseButton.NoButton)]:
        position = QtCore.QPointF(centre + QtCore.QPoint(dx, 0))
        button = left if kind != QtCore.QEvent.Type.MouseMove else QtCore.Qt.MouseButton.NoButton
        QtWidgets.QApplication.sendEvent(view.viewport(), QtGui.QMouseEvent(
            kind, position, QtCore.QPointF(view.mapToGlobal(position.toPoint())), button, buttons, none))
    assert box.viewRect().left() < zoomed.left()
    view.reset_zoom()
    assert box.viewRect().width() > zoomed.width()


# -- the window tells the truth (issue 12) ----------------------------------------------------------

def test_a_confusion_cell_click_shows_the_filter_in_force(window):
    window.confusion.cell_clicked.emit(4, 9)
    panel = window.input_panel
    assert panel.split.currentText() == "test" and panel.digit.currentText() == "4" and panel.only_mistakes.isChecked()
    assert "4s the network reads as 9" in panel.position.text()
    panel.digit.setCurrentText("5")  # the person's own choice replaces the cell
    assert window.model.filters.cell is None and window.model.filters.digit == 5


def test_train_after_a_finished_run_trains_epochs_more_and_leaves_epochs_alone(fresh, qtbot):
    fresh.controls.epochs.setValue(1)
    assert "Epochs more" in fresh.toolbar.run_button.toolTip()
    for done in (1, 2):
        qtbot.mouseClick(fresh.toolbar.run_button, QtCore.Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: fresh.model.epochs_done == done and fresh.controller.state == IDLE, timeout=TRAINING_TIMEOUT)
        assert fresh.controls.epochs.value() == 1
    assert [row[0] for row in fresh.plots.epochs] == [1, 2]


def test_the_title_names_what_is_shown_and_marks_unsaved_changes(window, tmp_path):
    assert window.windowTitle().startswith("pretrained MNIST network") and not window.isWindowModified()
    window.files.new_network()
    assert window.windowTitle().startswith("untitled")
    window.network_view.setFocus()
    window.toolbar.batch_button.click()
    qtbot_wait_until(lambda: window.isWindowModified())
    assert "[*]" in window.windowTitle()  # where Qt draws the mark
    window.controller.pause()
    assert window.files.save_as(tmp_path / "mine.npz")
    assert window.windowTitle().startswith("mine.npz") and not window.isWindowModified()


def qtbot_wait_until(condition, timeout=TRAINING_TIMEOUT):
    timer = QtCore.QElapsedTimer()
    timer.start()
    while not condition():
        assert timer.elapsed() < timeout, "timed out"
        QtWidgets.QApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)


def test_a_file_is_checked_before_any_question(fresh, tmp_path, errors, monkeypatch):
    fresh.model.set_dirty(True)
    monkeypatch.setattr(fresh.dialogs, "ask_unsaved", lambda *a: pytest.fail("asked before checking the file"))
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"not a network")
    assert not fresh.files.open_network(bad)
    assert errors[0][0] == "Cannot open network" and fresh.isWindowModified()


def test_opening_a_file_shows_its_own_numbers(fresh, tmp_path):
    path = tmp_path / "long.npz"
    save_network(Network(seed=1), path, epochs_trained=121, validation_accuracy=0.9, test_accuracy=0.91)
    assert fresh.files.open_network(path)
    assert fresh.toolbar.progress.text() == "121 epochs trained"
    assert fresh.readout.text() == "121 epochs trained · validation 90.00% · test 91.00%"


def test_saved_files_carry_every_training_setting(fresh, tmp_path):
    controls = fresh.controls
    controls.learning_rate.setValue(0.25)
    controls.batch_size.setValue(32)
    controls.momentum.setValue(0.5)
    controls.epochs.setValue(7)
    controls.seed.setValue(3)
    assert fresh.files.save_as(tmp_path / "settings.npz")
    options = load_run(tmp_path / "settings.npz").options
    assert (options.learning_rate, options.batch_size, options.momentum, options.epochs, options.seed,
            options.halve_after) == (0.25, 32, 0.5, 7, 3, 0)


def test_legends_never_cover_the_data(window, tmp_path):
    window.bottom.setCurrentWidget(window.plots)
    window.plots.show_comparison(window.model.history, "other")
    QtWidgets.QApplication.processEvents()  # the plots lay their legends out
    for plot, legend in ((window.plots.cost_plot, window.plots.cost_legend),
                         (window.plots.accuracy_plot, window.plots.accuracy_legend)):
        data = plot.plotItem.vb.sceneBoundingRect()
        box = legend.sceneBoundingRect()
        assert box.width() > 50 and not box.intersects(data), (box, data)
        assert plot.rect().contains(plot.mapFromScene(box.center()))  # inside what exports grab
    assert window.plots.log_scale.isChecked() and window.plots.cost_plot.plotItem.ctrl.logYCheck.isChecked()


def test_train_on_a_finished_run_says_that_it_trains_epochs_more(window, qtbot):
    model = window.model
    assert model.epochs_done == model.options.epochs == 30  # the bundled run is finished
    window.resize(1150, 650)  # the window a first launch opens on a 1280x720 screen
    QtWidgets.QApplication.processEvents()
    qtbot.keyClick(window.network_view, QtCore.Qt.Key.Key_Space)
    message = window.status.current()
    window.controller.shutdown()
    assert message.startswith("Training 30 more epochs, to epoch 60") and "Space pauses" in message
    assert window.statusBar().currentMessage() == message  # whole, in the room left of the read-out


def test_a_right_click_on_a_plot_opens_no_menu_of_pyqtgraphs(window):
    """Its FFT, log-axis and mouse-mode settings are an engineer's; the plots' "A" fits them again."""
    # the views made when first shown, made now
    window.confusion, window.weight_images, window.neuron_history, window.neuron_dream, window.stepper, window.seeing_page
    window.valley_panel.valley, window.valley_panel.race
    plots = [item for view in window.findChildren(pg.GraphicsView) for item in view.scene().items()
             if isinstance(item, pg.PlotItem)]
    assert len(plots) >= 10
    assert [p for p in plots if p.menuEnabled() or p.getViewBox().menu is not None] == []
