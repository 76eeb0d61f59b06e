"""Stepping through backpropagation in the window: every page, forwards and back, with real numbers."""

import re

import numpy as np
import pytest
from PySide6 import QtCore
from PySide6.QtTest import QTest

from nnviz.lessons.numbers import cost
from nnviz.lessons.pages import SUPERSCRIPTS, page_scale, plan, significant
from nnviz.core.nudges import example_nudges
from nnviz.core.training import Trainer


@pytest.fixture
def stepping(fresh, qtbot):
    fresh.controls.learning_rate.setValue(0.5)
    fresh.model.go_to(1)  # a 2, as in the article
    qtbot.mouseClick(fresh.toolbar.backprop_button, QtCore.Qt.MouseButton.LeftButton)
    assert (fresh.model.lesson is not None) and fresh.stepper_dock.isVisible()
    return fresh


def click(qtbot, button):
    qtbot.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)


def scaled(stepper, value):
    """``value`` as the page writes it: on the common scale its title announces (×10⁻³), if any."""
    return page_scale(stepper.page, stepper.nudges)(value)


def spaced(text):
    """``text`` with its non-breaking spaces as spaces, and without the word joiners after a formula's "/"
    (names, numbers and formulas are never broken across lines)."""
    return text.replace("\u00a0", " ").replace("\u2060", "")


def test_the_plan_goes_back_layer_by_layer():
    kinds = [(s.kind, s.layer) for s in plan(3)]
    assert kinds == [("forward", 0), ("cost", 0), ("wants", 3), ("edges", 3), ("wants", 2), ("edges", 2),
                     ("wants", 1), ("edges", 1), ("step", 0), ("batch", 0)]
    titles = spaced(" ".join(p.title for p in plan(3)))
    assert "the output layer" in titles and "hidden layer 2" in titles and "layer 3" not in titles


def test_numbers_keep_three_significant_digits_and_never_use_exponents():
    for value in (3.74e-06, -0.000812345, 0.0992, 1.5, -123.456, 0.09996):
        text = significant(value)
        assert "e" not in text.lower()
        assert float(text) == pytest.approx(value, rel=5e-3)
        assert len(text.lstrip("+-").replace(".", "").lstrip("0")) == 3


def test_walking_every_page_forward_and_back_shows_the_real_nudges(stepping, qtbot, mnist):
    window, stepper, view = stepping, stepping.stepper, stepping.network_view
    x, label = mnist.test.inputs(1, window.model.shown.dtype), int(mnist.test.labels[1])
    expected = example_nudges(window.model.shown, x, label, learning_rate=0.5)
    visited = []
    for i, s in enumerate(stepper.pages):
        text = stepper.text.text()
        assert stepper.title.text().startswith(f"Step {i + 1} of 10")
        assert "e-0" not in text and "layer 3" not in text + stepper.title.text()  # one name per layer
        arrows = view.neurons.arrows
        if s.kind in ("forward", "cost"):
            assert all(a is None for a in arrows)
            np.testing.assert_array_equal(view.edge_values[0], window.model.shown.weights[0])
        if s.kind == "cost":
            assert cost(expected.cost) in text
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
            # the chain with the core's numbers: ∂C/∂a × σ'(z) = δ, then the nudges
            a = expected.forward.activations[s.layer][0][k]
            assert nudges.derivatives[k] == pytest.approx(a * (1 - a), rel=1e-5)
            for number in (scaled(stepper, nudges.activation_gradients[k]), significant(nudges.derivatives[k], sign=False),
                           scaled(stepper, nudges.deltas[k]), scaled(stepper, nudges.bias_nudges[k])):
                assert number in text
            assert "σ′(z) = a(1 − a)" in spaced(text)
            assert stepper.images.isVisible() == (s.layer == 1)
        if s.kind == "step":
            before, after = stepper.result.cost_before, stepper.result.cost_after
            assert after < before and cost(before) in text and cost(after) in text
        visited.append(s.kind)
        if i < len(stepper.pages) - 1:
            click(qtbot, stepper.next_button)
    assert not stepper.next_button.isEnabled()
    for i in range(len(stepper.pages) - 1, 0, -1):
        click(qtbot, stepper.back_button)
        assert stepper.index == i - 1
    assert not stepper.back_button.isEnabled()
    assert visited == [s.kind for s in plan(3)]
    stepper.landscape.wait(10_000)


def test_the_panel_keeps_one_width_and_the_network_view_never_moves(stepping, qtbot):
    stepper, view = stepping.stepper, stepping.network_view
    geometries, widths = set(), set()
    for i in range(len(stepper.pages)):
        stepper.go(i)
        QtCore.QCoreApplication.processEvents()
        geometries.add(view.geometry().getRect())
        widths.add(stepper.width())
    assert len(geometries) == 1 and len(widths) == 1
    assert view.width() > 600  # the panel does not squeeze the network
    stepper.landscape.wait(10_000)


def test_page_keys_work_when_sent_to_the_window_as_soon_as_the_stepper_opens(stepping, qtbot):
    window, stepper = stepping, stepping.stepper
    window.activateWindow()
    window.network_view.setFocus()  # focus anywhere but the panel
    QTest.keyClick(window, QtCore.Qt.Key.Key_PageDown)
    QTest.keyClick(window, QtCore.Qt.Key.Key_PageDown)
    assert stepper.index == 2
    QTest.keyClick(window, QtCore.Qt.Key.Key_PageUp)
    assert stepper.index == 1


def test_follow_neuron_stays_the_persons_choice_and_defaults_to_the_biggest_wish(stepping):
    stepper = stepping.stepper
    stepper.go(4)  # what hidden layer 2 should change
    biggest = int(np.argmax(np.abs(stepper.nudges.layer(2).activation_nudges)))
    assert stepper.neuron.value() == biggest and "biggest wish" in stepper.text.text()
    stepper.neuron.setValue(5)
    stepper.go(5)
    stepper.go(3)
    stepper.go(4)
    assert stepper.neuron.value() == 5 and "your choice" in stepper.text.text()
    stepper.go(5)  # the chain in the same layer follows the same neuron
    assert stepper.neuron.value() == 5


def test_a_hidden_neuron_explains_whose_wishes_it_sums(stepping):
    stepper = stepping.stepper
    stepper.go(4)  # what hidden layer 2 should change
    stepper.neuron.setValue(5)
    layer = stepper.nudges.layer(2)
    assert "Neuron <b>6</b>" in stepper.text.text()  # index 5: people count neurons from 1
    assert scaled(stepper, layer.activation_nudges[5]) in stepper.text.text()
    np.testing.assert_allclose(layer.wishes[:, 5].sum(), layer.activation_nudges[5])


def test_a_saturated_output_is_said_in_words_and_cross_entropy_drops_the_slope(stepping, qtbot):
    stepper = stepping.stepper
    stepper.go(3)  # the chain in the output layer
    saturated = np.flatnonzero(stepper.nudges.layer(3).derivatives < 0.05)
    if len(saturated):
        stepper.neuron.setValue(int(saturated[0]))
        assert "saturated" in stepper.text.text()
    click(qtbot, stepper.other_cost)
    assert "cross-entropy" in stepper.title.text()
    k = stepper.neuron.value()
    out = stepper.nudges.layer(3)
    assert out.derivatives is None and "no σ′(z)" in stepper.text.text()
    assert significant(out.deltas[k]) in stepper.text.text()
    assert not stepper.apply_button.isEnabled()
    stepper.go(8)
    assert not stepper.apply_button.isEnabled()  # another cost's step is shown, never applied
    click(qtbot, stepper.other_cost)
    assert stepper.apply_button.isEnabled()
    stepper.landscape.wait(10_000)


def test_nudge_images_have_their_own_scale_unless_one_is_shared(stepping):
    stepper = stepping.stepper
    stepper.go(7)  # the chain in hidden layer 1
    images = stepper.images
    nudges = stepper.nudges.layer(1).weight_nudges
    np.testing.assert_allclose(images.limits, np.abs(nudges).max(axis=1), rtol=1e-6)
    assert "own scale" in images.legend.text()
    images.shared.setChecked(True)
    np.testing.assert_allclose(images.limits, np.abs(nudges).max(), rtol=1e-6)
    assert "One scale for all" in images.legend.text()


def test_the_mini_batch_comes_from_the_training_set_and_its_average_is_the_trainers_step(stepping, mnist):
    window, stepper, view = stepping, stepping.stepper, stepping.network_view
    stepper.go(9)
    batch = stepper.batch_indices
    assert [e.label for e in stepper.batch.examples] == list(mnist.train.labels[batch])
    np.testing.assert_array_equal(stepper.batch.examples[0].x, mnist.train.inputs(batch[0], window.model.shown.dtype))
    average = [m.copy() for m in view.edge_values]
    stepper.member.setValue(3)
    third = stepper.batch.examples[2]
    np.testing.assert_allclose(view.edge_values[0], third.layers[0].weight_nudges)
    assert not np.allclose(view.edge_values[0], average[0])
    stepper.member.setValue(0)
    # the average is what one SGD step on these ten examples does
    network = window.model.shown.copy()
    trainer = Trainer(network, mnist, batch_size=10, learning_rate=0.5)
    gradients = window.model.shown.backprop(mnist.train.inputs(batch, network.dtype), mnist.train.labels[batch])
    for l in range(3):
        np.testing.assert_allclose(average[l], -0.5 * gradients.weights[l], rtol=1e-4, atol=1e-7)
    assert trainer.learning_rate == 0.5
    assert "training set" in stepper.text.text()


def test_the_target_digit_can_be_chosen_and_changes_the_cost(stepping, mnist):
    stepper = stepping.stepper
    assert stepper.target.currentIndex() == int(mnist.test.labels[1])  # the label by default
    stepper.go(1)
    stepper.target.setCurrentIndex(7)
    expected = example_nudges(stepping.model.shown, mnist.test.inputs(1, stepping.model.shown.dtype), 7, learning_rate=0.5)
    assert stepper.nudges.label == 7 and stepper.index == 1
    assert cost(expected.cost) in stepper.text.text()


def test_apply_shows_the_outputs_apply_ten_times_lowers_the_cost_and_undo_restores_exactly(stepping, qtbot):
    window, stepper = stepping, stepping.stepper
    original = window.model.shown.params.copy()
    stepper.go(8)
    expected = stepper.result.network.params.copy()
    click(qtbot, stepper.apply_button)
    np.testing.assert_array_equal(window.model.shown.params, expected)
    assert window.isWindowModified() and (window.model.lesson is not None) and stepper.bars.after is not None
    np.testing.assert_allclose(stepper.bars.after.opts["height"], window.model.shown.output(stepper.x)[0])
    click(qtbot, stepper.repeat_button)
    costs = stepper.bars.costs
    assert len(costs) == 11 and (np.diff(costs) < 0).all()
    assert costs[-1] == pytest.approx(window.model.shown.cost_of(stepper.x[None, :], [stepper.nudges.label]), rel=1e-5)
    click(qtbot, stepper.undo_button)
    np.testing.assert_array_equal(window.model.shown.params, original)
    assert not stepper.undo_button.isEnabled()
    click(qtbot, stepper.close_button)
    assert not (window.model.lesson is not None) and not window.stepper_dock.isVisible()
    np.testing.assert_array_equal(window.network_view.edge_values[0], window.model.shown.weights[0])
    assert all(a is None for a in window.network_view.neurons.arrows)
    stepper.landscape.wait(10_000)


def test_ask_me_first_asks_then_reveals_and_counts_right_answers(stepping, qtbot):
    stepper = stepping.stepper
    click(qtbot, stepper.ask_first)
    stepper.go(2)  # what the output layer wants
    assert stepper.question.isVisible() and "Your guess first" in stepper.question.text()
    assert "Answer the question" in stepper.text.text()
    assert all(a is None for a in stepping.network_view.neurons.arrows)  # no arrows give it away
    asked = stepper._question()
    click(qtbot, stepper.answer_buttons[asked.answer])
    assert "Right." in stepper.question.text() and "−η ∂C/∂a" in spaced(stepper.text.text())
    assert stepping.network_view.neurons.arrows[2] is not None
    stepper.go(8)  # the step: will the cost go down?
    asked = stepper._question()
    assert asked.options == ("yes", "no") and asked.answer == 0
    click(qtbot, stepper.answer_buttons[1])
    assert "Not quite" in stepper.question.text() and cost(stepper.result.cost_after) in stepper.question.text()
    assert stepper.score.text() == "1 of 2 right"
    stepper.landscape.wait(10_000)


def test_stepping_does_not_disturb_a_training_run(fresh, qtbot):
    click(qtbot, fresh.toolbar.run_button)
    qtbot.waitUntil(lambda: fresh.isWindowModified(), timeout=30_000)
    click(qtbot, fresh.toolbar.backprop_button)
    frozen = fresh.stepper.network.params.copy()
    shown = [m.copy() for m in fresh.network_view.edge_values]
    seen = fresh.model.shown.params.copy()
    qtbot.waitUntil(lambda: not np.array_equal(fresh.model.shown.params, seen), timeout=5000)
    np.testing.assert_array_equal(fresh.stepper.network.params, frozen)
    np.testing.assert_array_equal(fresh.network_view.edge_values[0], shown[0])  # the view stays the stepper's
    click(qtbot, fresh.toolbar.run_button)
    click(qtbot, fresh.stepper.close_button)
    assert not (fresh.model.lesson is not None)


def test_play_walks_on_by_itself(stepping, qtbot):
    stepper = stepping.stepper
    stepper._timer.setInterval(20)
    click(qtbot, stepper.play_button)
    qtbot.waitUntil(lambda: stepper.index >= 3, timeout=3000)
    click(qtbot, stepper.play_button)
    assert stepper.play_button.text() == "Play"


def test_a_drawn_digit_asks_which_digit_was_meant_before_stepping(window, qtbot):
    from test_inspect import drag
    window.input_panel.setCurrentIndex(1)
    drag(window.input_panel.canvas, [(140, 40), (140, 120), (138, 200), (136, 240)])
    click(qtbot, window.toolbar.backprop_button)
    stepper = window.stepper
    assert (window.model.lesson is not None) and stepper.nudges is None and not stepper.next_button.isEnabled()
    assert "Which digit" in stepper.title.text()
    stepper.target.setCurrentIndex(1)
    assert stepper.nudges.label == 1 and stepper.index == 0
    np.testing.assert_allclose(stepper.nudges.x, window.examples.drawn_input())
    stepper.go(8)
    assert stepper.result.cost_after < stepper.result.cost_before
    stepper.landscape.wait(10_000)


def test_every_output_neurons_wish_for_a_hidden_neuron_is_listed(stepping):
    stepper = stepping.stepper
    stepper.go(4)
    stepper.neuron.setValue(3)
    text = stepper.text.text()
    wishes = stepper.nudges.layer(2).wishes[:, 3]
    assert len(re.findall(r"<td>output\u00a0\d</td>", text)) == 10  # one row per output neuron, named by its digit
    for wish in wishes:
        assert f"<td align=right>{scaled(stepper, wish)}</td></tr>" in text


def test_the_chain_text_multiplies_the_cores_numbers(mnist):
    from nnviz.lessons.pages import Scale, chain_text
    from nnviz.core.network import Network
    network = Network(seed=3, dtype=np.float64)
    x, label = mnist.train.inputs(11, np.float64), int(mnist.train.labels[11])
    n = example_nudges(network, x, label, learning_rate=0.7)
    names = [str(d) for d in range(10)]
    for l, k in [(3, label), (2, 4), (1, 9)]:
        layer = n.layer(l)
        scale = Scale(layer.activation_nudges, layer.bias_nudges, layer.weight_nudges)
        text = chain_text(n, network.weights, l, k, "", scale, names)
        a_prev = n.forward.activations[l - 1][0]
        bright, dim = int(np.argmax(a_prev)), int(np.argmin(a_prev))
        delta = layer.activation_gradients[k] * layer.derivatives[k]  # ∂C/∂a × σ'(z)
        assert delta == pytest.approx(layer.deltas[k], rel=1e-12)
        for product in (-0.7 * delta, -0.7 * delta * a_prev[bright], -0.7 * delta * a_prev[dim]):
            assert f"<b>{scale(product)}</b>" in text  # bias nudge, then two weight nudges δ·a
        if l > 1:  # the wish for the layer before: −η δ w
            assert f"<b>{scale(-0.7 * delta * network.weights[l - 1][k, bright])}</b>" in text


def test_the_answer_shows_its_output_activation_not_a_share_of_the_sum(fresh, mnist):
    fresh.model.go_to(1)
    output = fresh.model.shown.output(mnist.test.inputs(1, fresh.model.shown.dtype))[0]
    caption = fresh.input_panel.caption.text()
    assert f"(a = {output.max():.2f})" in caption and "%" not in caption
    assert output.max() / output.sum() < output.max() - 0.05  # a share would read much lower


def test_ask_me_first_compares_two_lit_inputs_and_names_the_bigger_nudge(stepping, qtbot):
    stepper = stepping.stepper
    click(qtbot, stepper.ask_first)
    stepper.go(7)  # the chain in hidden layer 1
    asked = stepper._question()
    k = stepper.neuron.value()
    pixels = [int(option.split()[-1]) - 1 for option in asked.options]  # people count pixels from 1
    x = stepper.nudges.x
    assert all(x[p] > 0.05 for p in pixels) and x[pixels[0]] != x[pixels[1]]
    nudges = np.abs(stepper.nudges.layer(1).weight_nudges[k, pixels])
    assert asked.answer == int(np.argmax(nudges))
    click(qtbot, stepper.answer_buttons[asked.answer])
    assert "Right." in stepper.question.text() and stepper.score.text() == "1 of 1 right"


def test_the_stepper_leaves_the_whole_network_in_sight_at_the_first_launch_size_of_a_1280x720_screen(window, qtbot):
    window.resize(1152, 648)  # what a 1280x720 screen gets on first launch (90%)
    qtbot.wait(50)
    window.lesson.start()
    qtbot.waitUntil(lambda: window.stepper_dock.isVisible())
    qtbot.wait(100)
    view = window.network_view
    # The view is not wider than the room it has (a minimum the window cannot give clips it)...
    assert view.width() <= view.parentWidget().width()
    # ...and the output layer, where the first pages' arrows are, is inside what it shows.
    shown = view.view_box.viewRect()
    outputs = view.layout.positions[-1]
    assert shown.left() <= outputs[:, 0].min() and outputs[:, 0].max() <= shown.right()
    assert shown.top() <= outputs[:, 1].min() and outputs[:, 1].max() <= shown.bottom()
    window.lesson.stop()


def test_the_timeline_stays_put_while_the_stepper_walks_one_network(window, qtbot):
    window.lesson.start()
    before = window.model.shown.params.copy()
    window.record.move("move_to", 0)
    assert window.model.cursor is None
    assert (window.model.shown.params == before).all()
    window.lesson.stop()


def read_numbers(text: str) -> list[float]:
    """Every number in ``text`` as a person reads it: "−12.3×10⁻³" is -0.0123."""
    plain = re.sub(r"<[^>]+>", " ", text).replace("−", "-")
    found = re.findall(r"([+-]?\d+(?:\.\d+)?)(×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?", plain)
    to_digits = {ord(b): a for a, b in zip("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")}
    return [float(m) * (10.0 ** int(e.translate(to_digits)) if e else 1.0) for m, _, e in found]


def test_a_scaled_nudge_reads_as_the_same_number_as_the_plain_delta_it_comes_from(stepping):
    # "δ = 0.0123" beside a nudge "−12.3" read as a mismatch: every scaled number carries its scale.
    stepper = stepping.stepper
    seen_scaled = False
    for index, page in enumerate(stepper.pages):
        if page.kind != "edges":
            continue
        stepper.go(index)
        k, eta = stepper.neuron.value(), stepper.learning_rate
        layer = stepper.nudges.layer(page.layer)
        text = spaced(stepper.text.text())
        delta = read_numbers(re.search(r"δ = ∂C/∂z = <b>([^<]+)</b>", text).group(1))[0]
        assert delta == pytest.approx(layer.deltas[k], rel=6e-3, abs=1e-6)  # δ, read with its scale
        bias_nudge = re.search(r"Bias nudge −η δ = <b>([^<]+)</b>", text).group(1)
        # read literally, the nudge is −η times the δ beside it (to the 3 digits shown)
        assert read_numbers(bias_nudge)[0] == pytest.approx(-eta * delta, rel=6e-3, abs=1e-6)
        seen_scaled |= "×10" in bias_nudge
        if "×10" in stepper.title.text():
            scale = re.search(r"×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+", stepper.title.text()).group(0)
            a = stepper.nudges.forward.activations[page.layer - 1][0]
            for nudge in (layer.bias_nudges[k], layer.weight_nudges[k, a.argmax()], layer.weight_nudges[k, a.argmin()]):
                written = scaled(stepper, nudge)
                assert written == "0" or (f"<b>{written}</b>" in text and written.endswith(scale))  # never a bare "−12.3"
    assert seen_scaled  # the example has a page on a common scale


def test_the_mini_batch_page_shows_its_examples_targets_not_the_single_examples_digit(stepping, mnist):
    stepper = stepping.stepper
    single = stepper.target.currentText()
    stepper.go(9)  # the mini-batch
    assert not stepper.target.isVisible() and stepper.batch_targets.isVisible()
    labels = [str(d) for d in mnist.train.labels[stepper.batch_indices]]
    assert stepper.batch_targets.text().endswith(", ".join(labels))
    stepper.member.setValue(3)
    assert spaced(stepper.batch_targets.text()).startswith(f"{labels[2]} (example 3 of the mini-batch)")
    assert stepper.top.labelForField(stepper.batch_targets).text() == "Target"
    stepper.go(8)  # back to the single example: its own target again
    assert stepper.target.isVisible() and stepper.target.currentText() == single
    assert not stepper.batch_targets.isVisible()
