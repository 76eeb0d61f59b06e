"""Every place a person reads a hidden neuron's number counts from 1, as examples do
("example 1 of 10,000"); output neurons keep their digit (core.naming)."""

from __future__ import annotations

import re

import numpy as np
from PySide6 import QtCore

from nnviz.core.edits import SwitchOff


def test_the_window_numbers_hidden_neurons_from_one_and_names_outputs_by_digit(window, qtbot):
    window.picture.inspect(2, 5)  # index 5: the sixth neuron of hidden layer 2
    assert "hidden layer 2, neuron 6" in window.network_view.neurons.describe(2, 5)  # the tooltip
    assert "hidden layer 2, neuron 6" in window.neuron_panel.caption.text()
    # its incoming weights as bars, one per neuron of hidden layer 1: numbered 1..16
    np.testing.assert_array_equal(window.neuron_panel.bars.opts["x"], np.arange(1, 17))
    ticks = [label for value, label in window.neuron_panel.plot.getAxis("bottom")._tickLevels[0]]
    assert ticks[0] == "1" and "0" not in ticks and "16" in ticks
    assert window.weights_editor.caption.text().startswith("Neuron 6 of layer 2")
    window.picture.inspect(3, 4)
    assert "output 4" in window.neuron_panel.caption.text()

    window.edits.add_edit(SwitchOff(1, 2))
    assert window.edits_panel.list.item(0).text() == "Switch off neuron 3 of layer 1"
    assert window.statusBar().currentMessage().startswith("Switch off neuron 3 of layer 1")
    first = window.weights_editor.table
    window.picture.inspect(1, 0)
    assert first.item(0, 0).text() == "pixel 1 → this" and first.item(785, 0).text() == "this → neuron 1 of layer 2"


def test_the_stepper_follows_neuron_six_as_six_and_an_output_by_its_digit(fresh, qtbot):
    fresh.model.go_to(1)
    qtbot.mouseClick(fresh.toolbar.backprop_button, QtCore.Qt.MouseButton.LeftButton)
    stepper, lesson = fresh.stepper, fresh.model.lesson
    text = stepper.explanation.text
    lesson.go(4)  # what hidden layer 2 should change
    stepper.neuron.setValue(5)
    assert stepper.neuron.text() == "6" and "Neuron <b>6</b>" in text.text()
    rows = re.findall(r"<td>neuron (\d+)</td>|<td>output (\d)</td>", text.text().replace("\u00a0", " "))
    assert len(rows) == 10 and all(output for _, output in rows)  # outputs by digit, not "neuron j"
    lesson.go(2)  # what the output layer wants: the box names outputs by their digit
    stepper.neuron.setValue(0)
    assert stepper.neuron.text() == "0" and "Output 0" in text.text().replace("\u00a0", " ")
    lesson.go(5)  # the chain in hidden layer 2, typed as a person counts
    stepper.neuron.lineEdit().selectAll()
    qtbot.keyClicks(stepper.neuron.lineEdit(), "16")
    stepper.neuron.interpretText()
    assert stepper.neuron.value() == 15 and "Neuron 16 of hidden layer 2" in text.text().replace("\u00a0", " ")
    qtbot.mouseClick(stepper.close_button, QtCore.Qt.MouseButton.LeftButton)
