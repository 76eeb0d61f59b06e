"""What-if edits and animation export, through the window: what a person clicks, types and sees."""

import re

import numpy as np
import pytest
from PIL import Image
from PySide6 import QtCore, QtGui, QtWidgets

from nnviz.app.export.animation_dialog import TIMELINE, WALK, AnimationRequest
from nnviz.core.edits import EditList, SetWeight, SwitchOff, what_if

SIZES = (784, 16, 16, 10)
OFF = SwitchOff(1, 5)  # the bundled network's most needed neuron: without it, many answers change


def press(qtbot, widget, sequence: str) -> None:
    widget.setFocus()
    QtWidgets.QApplication.processEvents()
    combination = QtGui.QKeySequence(sequence)[0]
    qtbot.keyClick(widget, combination.key(), combination.keyboardModifiers())


def edits_of(*edits) -> EditList:
    return EditList(tuple(edits), len(edits))


def test_switching_a_neuron_off_from_the_window_updates_answer_outputs_and_accuracy(window, mnist, qtbot):
    base = window.model.shown.copy()
    expected_all = what_if(base, edits_of(OFF), mnist.validation, mnist.test, mnist.test.inputs(slice(0, 200)))
    before = base.output(mnist.test.inputs(slice(0, 200))).argmax(axis=1)
    changed = int(np.flatnonzero(expected_all.outputs.argmax(axis=1) != before)[0])  # an answer the edit changes
    window.model.go_to(changed)
    x = mnist.test.inputs(slice(changed, changed + 1))
    expected = what_if(base, edits_of(OFF), mnist.validation, mnist.test, x)

    window.picture.inspect(1, 5)
    assert window.bottom.currentWidget() is window.neuron_panel
    window.neuron_panel.pages.setCurrentWidget(window.weights_editor)
    qtbot.mouseClick(window.weights_editor.switch_off_button, QtCore.Qt.MouseButton.LeftButton)

    np.testing.assert_array_equal(window.model.shown.params, expected.network.params)
    reading = window.model.reading()
    np.testing.assert_allclose(reading.forward.output, expected.outputs, rtol=1e-6)
    assert reading.answer == int(expected.outputs.argmax()) != before[changed]
    assert reading.forward.activations[1][0, 5] == 0  # shown off, as it acts
    answer = mnist.class_names[reading.answer]
    assert f"says {answer}" in re.sub("<[^>]+>", "", window.input_panel.caption.text())
    assert window.model.metadata["test_accuracy"] == pytest.approx(expected.test_accuracy)
    assert window.model.metadata["validation_accuracy"] == pytest.approx(expected.validation_accuracy)
    assert f"→ {expected.test_accuracy:.1%}" in window.statusBar().currentMessage()
    window.bottom.setCurrentWidget(window.confusion_page)  # the Mistakes tab is drawn when it is looked at
    qtbot.waitUntil(lambda: not window.mistakes.busy())
    np.testing.assert_array_equal(window.confusion.matrix, expected.confusion)
    assert window.edits_panel.list.item(0).text() == OFF.describe(SIZES)
    assert window.isWindowModified()


def test_ctrl_z_and_ctrl_shift_z_walk_the_list_and_restore_exact_parameters(window, mnist, qtbot):
    trained = window.model.shown.params.copy()
    window.edits.add_edit(OFF)
    one = window.model.shown.params.copy()
    window.edits.add_edit(SetWeight(3, 7, 2, 4.0))  # typed into the neuron's table in the app
    two = window.model.shown.params.copy()
    assert window.model.shown.weights[2][7, 2] == 4.0 and not np.array_equal(one, two)
    press(qtbot, window.network_view, "Ctrl+Z")
    np.testing.assert_array_equal(window.model.shown.params, one)
    press(qtbot, window.network_view, "Ctrl+Z")
    np.testing.assert_array_equal(window.model.shown.params, trained)  # bit for bit
    assert window.edits_panel.redo_button.isEnabled() and not window.edits_panel.undo_button.isEnabled()
    press(qtbot, window.network_view, "Ctrl+Shift+Z")
    press(qtbot, window.network_view, "Ctrl+Shift+Z")
    np.testing.assert_array_equal(window.model.shown.params, two)
    window.actions["reset_edits"].trigger()
    np.testing.assert_array_equal(window.model.shown.params, trained)
    assert window.model.edits == EditList() and "edits" not in window.model.metadata


def test_a_typed_weight_in_the_neuron_table_is_an_edit(window, qtbot):
    window.picture.inspect(2, 7)
    window.neuron_panel.pages.setCurrentWidget(window.weights_editor)
    table = window.weights_editor.table
    row = next(i for i in range(table.rowCount()) if table.item(i, 0).text() == "this → output 4")
    table.item(row, 1).setText("0")  # what typing 0 and Enter does
    assert window.model.shown.weights[2][4, 7] == 0
    assert window.model.edits.applied[-1].describe(SIZES) == "Cut the edge neuron 8 of layer 2 → output 4"


def test_save_and_open_keep_the_edits_with_the_trained_network_as_base(window, tmp_path):
    trained = window.model.shown.params.copy()
    window.edits.add_edit(OFF)
    window.edits.add_edit(SetWeight(2, 3, None, -1.5))
    edited = window.model.shown.params.copy()
    path = tmp_path / "edited.npz"
    assert window.files.save_as(path)
    window.files.new_network()
    assert window.model.edits == EditList()
    assert window.files.open_network(path)
    np.testing.assert_array_equal(window.model.shown.params, edited)
    assert window.model.edits == edits_of(OFF, SetWeight(2, 3, None, -1.5))
    assert [window.edits_panel.list.item(i).text() for i in range(2)] == [OFF.describe(SIZES), "Set the bias of neuron 4 of layer 2 to -1.5"]
    window.edits.reset()
    np.testing.assert_array_equal(window.model.shown.params, trained)


def test_an_opened_edited_file_without_its_run_starts_a_new_list(window, tmp_path):
    from nnviz.core.files import load_run, save_network

    window.edits.add_edit(OFF)
    path = tmp_path / "bare.npz"
    save_network(window.model.shown, path, edits=window.model.edits.to_metadata())
    assert load_run(path).metadata["edits"] == [{"kind": "switch_off", "layer": 1, "neuron": 5}]
    window.model.set_dirty(False)
    assert window.files.open_network(path)
    assert window.model.edits == EditList()
    assert "start a new list" in window.statusBar().currentMessage()


@pytest.mark.parametrize("keep", [True, False])
def test_training_an_edited_network_asks_whether_switched_off_neurons_stay_off(window, monkeypatch, qtbot, keep):
    buttons = QtWidgets.QMessageBox.StandardButton
    asked = []
    monkeypatch.setattr(window.dialogs, "ask_keep_switched_off", lambda n: asked.append(n) or (buttons.Yes if keep else buttons.No))
    window.edits.add_edit(OFF)
    before = window.model.shown.params.copy()
    window.actions["step_batch"].trigger()
    qtbot.waitUntil(lambda: window.controller.state == "idle" and not np.array_equal(window.model.shown.params, before),
                    timeout=10_000)
    assert asked == [1]
    assert window.model.edits == EditList() and window.model.base_network is None  # the new base
    assert np.all(window.model.shown.weights[1][:, 5] == 0) == keep
    if keep:  # and it stays off through more training, with momentum
        before = window.model.shown.params.copy()
        window.actions["step_batch"].trigger()
        qtbot.waitUntil(lambda: window.controller.state == "idle" and not np.array_equal(window.model.shown.params, before),
                        timeout=10_000)
        assert np.all(window.model.shown.weights[1][:, 5] == 0) and len(asked) == 1


def test_which_neurons_matter_fills_the_table_and_a_row_selects_its_neuron(window, qtbot):
    window.bottom.setCurrentWidget(window.edits_panel)
    qtbot.mouseClick(window.edits_panel.measure_button, QtCore.Qt.MouseButton.LeftButton)
    table = window.edits_panel.ablation
    assert table.rowCount() == 32 and table.item(0, 0).text() == "layer 1 · 6"  # the bundled network's worst loss: neuron index 5
    rect = table.visualItemRect(table.item(2, 0))
    qtbot.mouseClick(table.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=rect.center())
    layer, k = table.item(2, 0).data(QtCore.Qt.ItemDataRole.UserRole)
    assert window.model.selected_neuron == (layer, k)


def test_export_animation_through_the_window_writes_a_gif(window, tmp_path):
    path = tmp_path / "run.gif"
    assert window.export.export_animation(path, AnimationRequest(TIMELINE, (320, 180), seconds=1.0))
    with Image.open(path) as gif:
        # 12 frames a second for 1 s; Pillow merges a held frame with the one before it
        durations = []
        for i in range(gif.n_frames):
            gif.seek(i)
            durations.append(gif.info["duration"])
        assert gif.size == (320, 180) and gif.n_frames > 2 and sum(durations) == pytest.approx(1000, abs=60)  # GIF counts in 1/100 s
    assert "Exported" in window.statusBar().currentMessage()


def test_a_cancelled_animation_export_leaves_no_file(window, tmp_path, errors):
    path = tmp_path / "walk.gif"
    # Cancel as soon as the progress dialog lets events through, as a click on Cancel would.
    QtCore.QTimer.singleShot(0, lambda: window.export.progress.cancel())
    assert not window.export.export_animation(path, AnimationRequest(WALK, (320, 180), seconds=1.0))
    assert list(tmp_path.iterdir()) == [] and not errors
    assert "cancelled" in window.statusBar().currentMessage()
