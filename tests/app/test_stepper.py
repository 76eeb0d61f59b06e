"""Stepping through backpropagation in the window: every step, forwards and back, with real numbers."""

import numpy as np
import pytest
from PySide6 import QtCore

from nnviz.app.stepper import plan
from nnviz.core.nudges import example_nudges
from nnviz.core.training import Trainer


@pytest.fixture
def stepping(fresh, qtbot):
    fresh.controls.learning_rate.setValue(0.5)
    fresh.example_index = 1  # a 2, as in the article
    fresh.show_example()
    qtbot.mouseClick(fresh.controls.backprop_button, QtCore.Qt.MouseButton.LeftButton)
    assert fresh.stepping and fresh.stepper_dock.isVisible()
    return fresh


def click(qtbot, button):
    qtbot.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)


def test_the_plan_goes_back_layer_by_layer():
    kinds = [(s.kind, s.layer) for s in plan(3)]
    assert kinds == [("forward", 0), ("cost", 0), ("wants", 3), ("edges", 3), ("wants", 2), ("edges", 2),
                     ("wants", 1), ("edges", 1), ("step", 0), ("batch", 0)]


def test_walking_every_step_forward_and_back_shows_the_real_nudges(stepping, qtbot, mnist):
    window, stepper, view = stepping, stepping.stepper, stepping.network_view
    x, label = mnist.test.inputs(1, window.network.dtype), int(mnist.test.labels[1])
    expected = example_nudges(window.network, x, label, learning_rate=0.5)
    visited = []
    for i, s in enumerate(stepper.steps):
        assert stepper.title.text().startswith(f"Step {i + 1} of 10")
        arrows = view.neurons.arrows
        if s.kind in ("forward", "cost"):
            assert all(a is None for a in arrows)
            np.testing.assert_array_equal(view.edge_values[0], window.network.weights[0])
        if s.kind == "cost":
            assert f"{expected.cost:.4f}" in stepper.text.text()
        if s.kind == "wants":
            wants = expected.layer(s.layer).activation_nudges
            np.testing.assert_allclose(arrows[s.layer - 1], wants, rtol=1e-5)
            if s.layer == 3:
                # the arrows point up for the right digit and down for the others
                assert arrows[2][label] > 0 and (np.delete(arrows[2], label) < 0).all()
        if s.kind == "edges":
            nudges = expected.layer(s.layer)
            np.testing.assert_allclose(view.edge_values[s.layer - 1], nudges.weight_nudges, rtol=1e-5, atol=1e-12)
            others = [m for l, m in enumerate(view.edge_values, start=1) if l != s.layer]
            assert all(not m.any() for m in others)
            k = stepper.neuron.value()
            assert f"{nudges.bias_nudges[k]:+.3g}" in stepper.text.text()
            assert stepper.images.isVisible() == (s.layer == 1)
        if s.kind == "step":
            before, after = stepper.result.cost_before, stepper.result.cost_after
            assert after < before and f"{before:.4f}" in stepper.text.text() and f"{after:.4f}" in stepper.text.text()
        visited.append(s.kind)
        if i < len(stepper.steps) - 1:
            click(qtbot, stepper.next_button)
    assert not stepper.next_button.isEnabled()
    for i in range(len(stepper.steps) - 1, 0, -1):
        click(qtbot, stepper.back_button)
        assert stepper.index == i - 1
    assert not stepper.back_button.isEnabled()
    assert visited == [s.kind for s in plan(3)]


def test_a_hidden_neuron_explains_whose_wishes_it_sums(stepping):
    stepper = stepping.stepper
    stepper.go(4)  # what hidden layer 2 should change
    stepper.neuron.setValue(5)
    layer = stepper.nudges.layer(2)
    assert "Neuron <b>5</b>" in stepper.text.text()
    assert f"{layer.activation_nudges[5]:+.3g}" in stepper.text.text()
    np.testing.assert_allclose(layer.wishes[:, 5].sum(), layer.activation_nudges[5])


def test_the_mini_batch_step_shows_each_example_and_the_average_the_trainer_uses(stepping, mnist):
    window, stepper, view = stepping, stepping.stepper, stepping.network_view
    stepper.go(9)
    average = [m.copy() for m in view.edge_values]
    stepper.member.setValue(3)
    third = stepper.batch.examples[2]
    np.testing.assert_allclose(view.edge_values[0], third.layers[0].weight_nudges)
    assert not np.allclose(view.edge_values[0], average[0])
    stepper.member.setValue(0)
    # the average is what one SGD step on these ten examples does
    network = window.network.copy()
    trainer = Trainer(network, mnist, batch_size=10, learning_rate=0.5)
    split = mnist.test
    batch = np.arange(1, 11)
    gradients = window.network.backprop(split.inputs(batch, network.dtype), split.labels[batch])
    for l in range(3):
        np.testing.assert_allclose(average[l], -0.5 * gradients.weights[l], rtol=1e-4, atol=1e-7)
    assert trainer.learning_rate == 0.5


def test_applying_the_step_changes_the_network_and_closing_restores_the_view(stepping, qtbot):
    window, stepper = stepping, stepping.stepper
    stepper.go(8)
    expected = stepper.result.network.params.copy()
    click(qtbot, stepper.apply_button)
    np.testing.assert_array_equal(window.network.params, expected)
    assert window.isWindowModified() and not window.stepping and not window.stepper_dock.isVisible()
    np.testing.assert_array_equal(window.network_view.edge_values[0], window.network.weights[0])
    assert all(a is None for a in window.network_view.neurons.arrows)


def test_stepping_does_not_disturb_a_training_run(fresh, qtbot):
    click(qtbot, fresh.controls.run_button)
    qtbot.waitUntil(lambda: fresh.isWindowModified(), timeout=30_000)
    click(qtbot, fresh.controls.backprop_button)
    frozen = fresh.stepper.network.params.copy()
    shown = [m.copy() for m in fresh.network_view.edge_values]
    seen = fresh.network.params.copy()
    qtbot.waitUntil(lambda: not np.array_equal(fresh.network.params, seen), timeout=5000)
    np.testing.assert_array_equal(fresh.stepper.network.params, frozen)
    np.testing.assert_array_equal(fresh.network_view.edge_values[0], shown[0])  # the view stays the stepper's
    click(qtbot, fresh.controls.run_button)
    click(qtbot, fresh.stepper.close_button)
    assert not fresh.stepping


def test_play_walks_on_by_itself(stepping, qtbot):
    stepper = stepping.stepper
    stepper._timer.setInterval(20)
    click(qtbot, stepper.play_button)
    qtbot.waitUntil(lambda: stepper.index >= 3, timeout=3000)
    click(qtbot, stepper.play_button)
    assert stepper.play_button.text() == "Play"


def test_a_drawn_digit_can_be_stepped_through(window, qtbot):
    from test_inspect import drag
    window.input_panel.setCurrentIndex(1)
    drag(window.input_panel.canvas, [(140, 40), (140, 120), (138, 200), (136, 240)])
    click(qtbot, window.controls.backprop_button)
    stepper = window.stepper
    assert window.stepping and stepper.nudges.label == 1  # a drawing has no label: its answer is followed
    np.testing.assert_allclose(stepper.nudges.x, window._drawn_input())
    stepper.go(8)
    assert stepper.result.cost_after < stepper.result.cost_before


def test_every_output_neurons_wish_for_a_hidden_neuron_is_listed(stepping):
    stepper = stepping.stepper
    stepper.go(4)
    stepper.neuron.setValue(3)
    text = stepper.text.text()
    wishes = stepper.nudges.layer(2).wishes[:, 3]
    assert text.count("of layer 3") == 10  # one row per output neuron
    for wish in wishes:
        assert f"asks {wish:+.3g}" in text or "asks 0" in text
