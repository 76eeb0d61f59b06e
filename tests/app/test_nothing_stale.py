"""Nothing stale: the nine views two new users found showing old state, each driven as they drove it."""

import re

import numpy as np
from PySide6 import QtCore, QtWidgets

from nnviz.core.edits import CutEdge, SwitchOff
from nnviz.core.files import save_run
from nnviz.core.network import Network
from nnviz.core.training import Trainer
from nnviz.model.options import SPEEDS

TRAINING_TIMEOUT = 60_000
Button = QtWidgets.QMessageBox.StandardButton


def plain(html: str) -> str:
    return re.sub("<[^>]+>", "", html)


def test_1_a_new_network_forgets_the_confusion_cell_it_was_browsing(window, qtbot):
    window.bottom.setCurrentWidget(window.confusion_page)
    window.confusion.cell_clicked.emit(4, 9)  # "4 read as 9"
    assert "4s the network reads as 9" in window.input_panel.position.text()
    window.files.new_network()
    assert window.model.filters.cell is None
    assert window.input_panel.digit.currentText() == "any" and not window.input_panel.only_mistakes.isChecked()
    assert "reads as" not in window.input_panel.position.text()
    before = window.model.example.index
    qtbot.keyClick(window.network_view, QtCore.Qt.Key.Key_Right)
    assert window.model.example.index == before + 1


def test_2_while_training_the_neuron_tab_follows_every_snapshot(fresh, qtbot):
    fresh.picture.inspect(1, 4)
    assert fresh.bottom.currentWidget() is fresh.neuron_panel
    fresh.model.set_speed(SPEEDS.index(20))  # slowed down: every snapshot is drawn whole
    checked = []
    panel = fresh.neuron_panel
    pages = [panel.numbers, fresh.neuron_history_page, fresh.weights_editor]  # each follows while it is shown

    def compare(snapshot) -> None:  # after the window handled the snapshot
        weights = fresh.model.shown.weights[0][4]
        page = panel.pages.currentWidget()
        if page is fresh.weights_editor:
            table = fresh.weights_editor.table
            assert [table.item(i, 1).text() for i in (0, 300, 783)] == [f"{float(weights[i]):.4g}" for i in (0, 300, 783)]
        elif page is panel.numbers:
            np.testing.assert_array_equal(panel.incoming, weights)
        else:
            norms = fresh.neuron_history.weights_curve.yData
            assert norms is not None and np.isclose(norms[-1], np.linalg.norm(weights))
        checked.append((snapshot.batches_done, page))
        panel.pages.setCurrentWidget(pages[len(checked) % len(pages)])

    fresh.controller.progressed.connect(compare)
    fresh.actions["train"].trigger()
    qtbot.waitUntil(lambda: len(checked) >= 7, timeout=TRAINING_TIMEOUT)
    fresh.actions["train"].trigger()
    qtbot.waitUntil(lambda: fresh.model.mode == "idle", timeout=TRAINING_TIMEOUT)
    fresh.controller.progressed.disconnect(compare)
    assert checked[-1][0] > checked[0][0] and {page for _, page in checked} == set(pages)


def test_3_the_neuron_tab_says_what_the_edits_did_to_it(window, qtbot):
    window.picture.inspect(1, 4)
    caption = window.neuron_panel.caption
    assert "cut" not in plain(caption.text())
    window.edits.add_edit(CutEdge(1, 4, 300))
    assert "1 of its edges cut" in plain(caption.text())
    button = window.weights_editor.switch_off_button
    window.neuron_panel.pages.setCurrentWidget(window.weights_editor)
    assert button.text() == "Switch this neuron off" and button.isEnabled()
    qtbot.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)
    assert "switched off" in plain(caption.text())
    assert button.text().startswith("Switched off") and not button.isEnabled()
    window.edits.undo()
    assert button.text() == "Switch this neuron off" and button.isEnabled()


def test_4_which_neurons_matter_says_when_it_was_measured_on_another_network(window):
    window.bottom.setCurrentWidget(window.edits_panel)
    window.edits.add_edit(SwitchOff(1, 3))
    window.edits.measure_ablation()
    panel = window.edits_panel
    assert "Out of date" not in panel.ablation_caption.text() and panel.ablation.isEnabled()
    window.edits.reset()
    assert "Out of date" in panel.ablation_caption.text() and not panel.ablation.isEnabled()
    window.edits.measure_ablation()
    assert "Out of date" not in panel.ablation_caption.text()


def test_5_the_valley_follows_a_new_network_and_the_timeline(window, qtbot):
    window.bottom.setCurrentWidget(window.valley_tab)
    view = window.valley_panel.valley
    qtbot.waitUntil(lambda: window.model.valley_current() and window.model.valley.complete, timeout=60_000)
    valley = window.model.valley
    for index in (0, 1, 3):
        window.model.move_to(index)
        assert view.ball == index and window.model.valley is valley  # the ball rolls; the valley stays
    window.model.set_dirty(True)
    window.dialogs.ask_unsaved = lambda: Button.Discard
    window.files.new_network()
    assert view.valley is None and view.image.image is None and not view.pictures.isEnabled()
    assert "no run yet" in view.caption.text()


def test_6_after_apply_x10_toward_another_digit_the_input_panel_reads_what_the_network_says(window, mnist):
    index = int(np.flatnonzero(mnist.test.labels == 4)[0])
    window.model.go_to(index)
    assert "says <b style='color:#50c878'>4</b>" in window.input_panel.caption.text()
    window.lesson.start()
    window.stepper.target.setCurrentIndex(9)
    lesson = window.model.lesson
    lesson.go(next(i for i, p in enumerate(lesson.pages) if p.kind == "step"))
    window.lesson.apply_repeatedly()
    reading = window.model.reading()
    assert reading.answer == 9
    assert ">9</b>" in window.input_panel.caption.text()
    window.lesson.stop()


def test_7_the_progress_bar_and_the_timeline_say_the_same_epoch(fresh, qtbot):
    fresh.model.set_options(fresh.model.options.__class__(**{**fresh.model.options.__dict__, "epochs": 1000}))
    agreed = []

    def compare(snapshot) -> None:
        # "epoch 3: 1,106 / 5,000 mini-batches" is the third epoch under way: 2.22 epochs on the time axis
        bar = re.search(r"epoch (\d+): ([\d,]+) / ([\d,]+)", fresh.toolbar.progress.toolTip())
        line = re.search(r"epoch ([\d.]+)", fresh.timeline.label.text())
        if bar and line:
            epoch, batch, batches = (int(g.replace(",", "")) for g in bar.groups())
            assert abs(epoch - 1 + batch / batches - float(line.group(1))) <= 0.006, \
                (fresh.toolbar.progress.toolTip(), fresh.timeline.label.text())
            agreed.append(epoch)

    fresh.controller.progressed.connect(compare)
    fresh.actions["train"].trigger()
    qtbot.waitUntil(lambda: len(agreed) >= 5 and agreed[-1] >= 2, timeout=TRAINING_TIMEOUT)
    fresh.actions["train"].trigger()
    qtbot.waitUntil(lambda: fresh.model.mode == "idle", timeout=TRAINING_TIMEOUT)
    fresh.controller.progressed.disconnect(compare)


def test_8_while_train_from_this_checkpoint_asks_the_toolbar_still_says_train(window, qtbot, tmp_path, mnist):
    network = Network(seed=0)
    trainer = Trainer(network, mnist, seed=0)
    trainer.run_batches(40)
    path = tmp_path / "run.npz"
    save_run(path, network, trainer.history, trainer.options if hasattr(trainer, "options") else None)
    assert window.files.open_network(path)
    window.model.move_to(3)
    seen = []

    def ask(where: str):
        seen.append((window.toolbar.run_button.text(), window.toolbar.run_action.isChecked()))
        return Button.Cancel

    window.dialogs.ask_branch = ask
    qtbot.keyClick(window.network_view, QtCore.Qt.Key.Key_Space)
    assert seen == [("Train", False)]
    assert window.toolbar.run_button.text() == "Train" and window.model.cursor == 3


def test_9_after_done_ctrl_z_takes_an_applied_step_back(window, qtbot):
    before = window.model.network.params.copy()
    window.lesson.start()
    lesson = window.model.lesson
    lesson.go(next(i for i, p in enumerate(lesson.pages) if p.kind == "step"))
    window.lesson.apply()
    stepped = window.model.network.params.copy()
    assert not np.array_equal(stepped, before)
    qtbot.keyClick(window.network_view, QtCore.Qt.Key.Key_Escape)  # Done
    assert window.model.lesson is None and window.stepper_dock.isHidden()
    np.testing.assert_array_equal(window.model.network.params, stepped)  # the step stays
    assert "Applied" in window.edits_panel.list.item(0).text()
    qtbot.keyClick(window.network_view, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    np.testing.assert_array_equal(window.model.network.params, before)
