"""The edits panel and the neuron weights editor: what a click or a typed value emits."""

import numpy as np
import pytest
from PySide6 import QtCore

from nnviz.app.views.edits_panel import EditsPanel, NeuronWeightsEditor
from nnviz.core.edits import AblationTable, CutEdge, EditList, NeuronAblation, Prune, SetWeight, SwitchOff

SIZES = (784, 16, 16, 10)


@pytest.fixture
def panel(qtbot):
    panel = EditsPanel()
    qtbot.addWidget(panel)
    panel.show_edits(SIZES, EditList())
    return panel


def listed(panel):
    return [panel.list.item(i).text() for i in range(panel.list.count())]


def test_each_edit_is_listed_and_undo_redo_reset_walk_the_models_list(fresh, qtbot):
    panel, model = fresh.edits_panel, fresh.model
    received = []
    model.events.edits.connect(lambda cause: received.append(model.edits))
    assert not panel.undo_button.isEnabled() and not panel.reset_button.isEnabled()
    fresh.edits.add_edit(SwitchOff(1, 3))
    fresh.edits.add_edit(CutEdge(2, 0, 1))
    assert received[-1].applied == (SwitchOff(1, 3), CutEdge(2, 0, 1))
    # people count neurons from 1: index 3 is the fourth
    assert listed(panel) == ["Switch off neuron 4 of layer 1", "Cut the edge neuron 2 of layer 1 → neuron 1 of layer 2"]
    qtbot.mouseClick(panel.undo_button, QtCore.Qt.MouseButton.LeftButton)
    assert received[-1].applied == (SwitchOff(1, 3),) and panel.redo_button.isEnabled()
    assert len(listed(panel)) == 2  # the undone edit stays listed, greyed, until a new edit
    qtbot.mouseClick(panel.redo_button, QtCore.Qt.MouseButton.LeftButton)
    assert received[-1].applied == (SwitchOff(1, 3), CutEdge(2, 0, 1)) and not panel.redo_button.isEnabled()
    qtbot.mouseClick(panel.reset_button, QtCore.Qt.MouseButton.LeftButton)
    assert received[-1] == EditList() and listed(panel) == ["No edits: this is the network as training left it."]
    assert len(received) == 5


def test_prune_asks_for_the_chosen_layer_and_percentage(panel, qtbot):
    received = []
    panel.edit_made.connect(received.append)
    panel.prune_layer.setCurrentIndex(2)
    panel.prune_percent.setValue(25)
    qtbot.mouseClick(panel.prune_button, QtCore.Qt.MouseButton.LeftButton)
    assert received == [Prune(3, 25.0)]
    assert panel.prune_layer.currentText() == "the output layer (160 weights)"


def test_an_edit_that_does_not_fit_says_why_and_changes_nothing(fresh):
    received = []
    fresh.model.events.edits.connect(received.append)
    assert not fresh.edits.add_edit(SwitchOff(3, 0))
    assert fresh.statusBar().currentMessage() == "switch off: layer 3 is not one of 1..2"
    assert not received and fresh.model.edits == EditList()


def test_the_ablation_table_lists_rows_in_order_and_a_click_chooses_that_neuron(panel, qtbot):
    table = AblationTable("test", 0.95, (NeuronAblation(1, 5, 0.79, -0.16), NeuronAblation(2, 3, 0.89, -0.06)))
    panel.show_ablation(table)
    assert panel.ablation.rowCount() == 2
    assert [panel.ablation.item(0, c).text() for c in range(3)] == ["layer 1 · 6", "79.00%", "-16.00%"]  # neurons count from 1
    assert "none off: 95.00%" in panel.ablation_caption.text()
    chosen = []
    panel.neuron_chosen.connect(lambda layer, neuron: chosen.append((layer, neuron)))
    panel.resize(800, 400)
    panel.show()
    qtbot.waitExposed(panel)
    rect = panel.ablation.visualItemRect(panel.ablation.item(1, 1))
    qtbot.mouseClick(panel.ablation.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen == [(2, 3)]


def test_typing_a_weight_emits_set_weight_and_zero_cuts_the_edge(qtbot):
    editor = NeuronWeightsEditor()
    qtbot.addWidget(editor)
    made = []
    editor.edit_made.connect(made.append)
    editor.show_neuron(2, 4, incoming=np.arange(16, dtype=np.float32), bias=0.5,
                       outgoing=np.ones(10, np.float32), hidden=True, sizes=SIZES)
    assert editor.table.rowCount() == 16 + 1 + 10 and not made  # showing emits nothing
    assert editor.table.item(16, 0).text() == "bias" and editor.table.item(16, 1).text() == "0.5"
    editor.table.item(3, 1).setText("2.5")
    editor.table.item(16, 1).setText("-1")
    editor.table.item(17, 1).setText("0")
    editor.table.item(5, 1).setText("not a number")
    qtbot.mouseClick(editor.switch_off_button, QtCore.Qt.MouseButton.LeftButton)
    assert made == [SetWeight(2, 4, 3, 2.5), SetWeight(2, 4, None, -1.0), CutEdge(3, 0, 4), SwitchOff(2, 4)]


def test_an_output_neuron_cannot_be_switched_off_and_has_no_outgoing_rows(qtbot):
    editor = NeuronWeightsEditor()
    qtbot.addWidget(editor)
    editor.show_neuron(3, 1, incoming=np.zeros(16, np.float32), bias=0.0, outgoing=None, hidden=False, sizes=SIZES)
    assert editor.table.rowCount() == 17 and not editor.switch_off_button.isEnabled()


def test_a_network_opened_with_saved_edits_lists_them_and_can_undo_them(fresh, tmp_path):
    model = fresh.model
    model.add_edit(SwitchOff(2, 7))
    path = tmp_path / "edited.npz"
    assert fresh.files.save_as(path)
    fresh.files.new_network()
    received = []
    model.events.edits.connect(lambda cause: received.append(model.edits))
    assert fresh.files.open_network(path)
    assert listed(fresh.edits_panel) == ["Switch off neuron 8 of layer 2"] and fresh.edits_panel.undo_button.isEnabled()
    assert received == [EditList((SwitchOff(2, 7),), 1)]  # opening shows the file's list: no edit made
    fresh.edits.undo()
    assert received[-1] == EditList((SwitchOff(2, 7),), 0)


def test_weights_are_written_without_exponents_to_four_significant_digits(qtbot):
    editor = NeuronWeightsEditor()
    qtbot.addWidget(editor)
    incoming = np.array([-1.226e-6, 2.54321, -12.3456] + [0.0] * 13)
    editor.show_neuron(2, 4, incoming=incoming, bias=0.5, outgoing=np.ones(10), hidden=True, sizes=SIZES)
    assert [editor.table.item(i, 1).text() for i in range(3)] == ["-0.000001226", "2.543", "-12.35"]
