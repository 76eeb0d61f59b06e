"""Stepping through backpropagation in the window, as a learner does it (clicks and keys): every
page forwards and back with the core's numbers, on the panel and on the network picture."""

import re

import numpy as np
import pytest
from PySide6 import QtCore

from nnviz.core.data import Dataset, Split
from nnviz.core.nudges import Parameter, example_nudges, wiggle
from nnviz.core.training import Trainer
from nnviz.lessons.numbers import cost
from nnviz.lessons.pages import Kind, page_scale, plan, significant
from nnviz.lessons.step_pages import batch_parameter_nudges


@pytest.fixture
def stepping(fresh, qtbot):
    fresh.controls.learning_rate.setValue(0.5)
    fresh.model.go_to(1)  # a 2, as in the article
    qtbot.mouseClick(fresh.toolbar.backprop_button, QtCore.Qt.MouseButton.LeftButton)
    assert (fresh.model.lesson is not None) and fresh.stepper_dock.isVisible()
    yield fresh
    fresh.stepper.explanation.landscape.wait(10_000)


def test_the_panel_is_made_when_a_lesson_first_opens_and_kept_for_the_next(fresh, qtbot):
    assert fresh.stepper_dock.widget() is None  # most windows never open a lesson
    qtbot.mouseClick(fresh.toolbar.backprop_button, QtCore.Qt.MouseButton.LeftButton)
    panel = fresh.stepper_dock.widget()
    assert panel is fresh.stepper and panel.isVisible() and panel.next_button.isEnabled()
    click(qtbot, panel.close_button)
    assert not fresh.stepper_dock.isVisible()
    qtbot.mouseClick(fresh.toolbar.backprop_button, QtCore.Qt.MouseButton.LeftButton)
    assert fresh.stepper_dock.widget() is panel and panel.isVisible()
    click(qtbot, panel.next_button)  # the kept panel's buttons still turn the lesson's pages
    assert fresh.model.lesson.index == 1


def click(qtbot, button):
    qtbot.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)


def go(window, qtbot, index):
    """Turn pages with Next and Back, as a learner does, until page ``index``."""
    lesson = window.model.lesson
    while lesson.index < index:
        click(qtbot, window.stepper.next_button)
    while lesson.index > index:
        click(qtbot, window.stepper.back_button)


def page_of(lesson, kind, layer=None):
    return next(i for i, p in enumerate(lesson.pages) if p.kind == kind and (layer is None or p.layer == layer))


def text(window):
    return window.stepper.explanation.text.text()


def scaled(lesson, value):
    """``value`` as the page writes it: on the common scale its title announces (×10⁻³), if any."""
    return page_scale(lesson.page, lesson.nudges)(value)


def spaced(text):
    """``text`` with its non-breaking spaces as spaces, and without the word joiners after a formula's "/"
    (names, numbers and formulas are never broken across lines)."""
    return text.replace("\u00a0", " ").replace("\u2060", "")


def choose_neuron(window, qtbot, shown: str):
    """Type a neuron into Follow neuron as a person counts them, and press Enter."""
    box = window.stepper.neuron
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), shown)
    qtbot.keyClick(box.lineEdit(), QtCore.Qt.Key.Key_Return)


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
    window, panel, view = stepping, stepping.stepper, stepping.network_view
    lesson = window.model.lesson
    x, label = mnist.test.inputs(1, window.model.shown.dtype), int(mnist.test.labels[1])
    expected = example_nudges(window.model.shown, x, label, learning_rate=0.5)
    visited = []
    for i, s in enumerate(lesson.pages):
        said = text(window)
        assert panel.explanation.title.text().startswith(f"Step {i + 1} of 12")
        assert "e-0" not in said and "layer 3" not in said + panel.explanation.title.text()  # one name per layer
        arrows = view.neurons.arrows
        if s.kind in ("forward", "cost"):
            assert all(a is None for a in arrows)
            np.testing.assert_array_equal(view.edge_values[0], window.model.shown.weights[0])
        if s.kind == "cost":
            assert cost(expected.cost) in said
        if s.kind == "wants":
            wants = expected.layer(s.layer).activation_nudges
            np.testing.assert_allclose(arrows[s.layer - 1], wants, rtol=1e-5)
            assert view.neurons.lesson.ringed == (s.layer, lesson.followed(s.layer))
            if s.layer == 3:
                # the arrows point up for the right digit and down for the others
                assert arrows[2][label] > 0 and (np.delete(arrows[2], label) < 0).all()
        if s.kind == "edges":
            nudges = expected.layer(s.layer)
            np.testing.assert_allclose(view.edge_values[s.layer - 1], nudges.weight_nudges, rtol=1e-5, atol=1e-12)
            others = [m for l, m in enumerate(view.edge_values, start=1) if l != s.layer]
            assert all(not m.any() for m in others)
            np.testing.assert_allclose(view.neurons.lesson.bias_marks[s.layer - 1], nudges.bias_nudges, rtol=1e-5)
            k = lesson.followed(s.layer)
            assert panel.neuron.value() == k
            # the chain with the core's numbers: ∂C/∂a × σ'(z) = δ, then the nudges
            a = expected.forward.activations[s.layer][0][k]
            assert nudges.derivatives[k] == pytest.approx(a * (1 - a), rel=1e-5)
            for number in (scaled(lesson, nudges.activation_gradients[k]), significant(nudges.derivatives[k], sign=False),
                           scaled(lesson, nudges.deltas[k]), scaled(lesson, nudges.bias_nudges[k])):
                assert number in said
            assert "σ′(z) = a(1 − a)" in spaced(said)
            assert panel.explanation.images.isVisible() == (s.layer == 1)
            assert panel.explanation.wiggle_box.isVisible() and "Wiggle it" in panel.explanation.wiggle.text()
        if s.kind == "input":
            assert panel.explanation.wish.isVisible() and view.lesson.input_wish is not None
            np.testing.assert_allclose(view.lesson.input_wish.ravel(), expected.input_nudges, rtol=1e-5)
        if s.kind == "step":
            before, after = lesson.result.cost_before, lesson.result.cost_after
            assert after < before and cost(before) in said and cost(after) in said
            assert panel.explanation.bars.isVisible() and panel.explanation.landscape.isVisible()
        visited.append(s.kind)
        if i < len(lesson.pages) - 1:
            click(qtbot, panel.next_button)
    assert not panel.next_button.isEnabled()
    for i in range(len(lesson.pages) - 1, 0, -1):
        click(qtbot, panel.back_button)
        assert lesson.index == i - 1
    assert not panel.back_button.isEnabled()
    assert visited == [s.kind for s in lesson.pages]


def test_follow_neuron_stays_the_persons_choice_and_defaults_to_the_biggest_wish(stepping, qtbot):
    window, panel = stepping, stepping.stepper
    lesson = window.model.lesson
    go(window, qtbot, page_of(lesson, "wants", 2))
    biggest = int(np.argmax(np.abs(lesson.nudges.layer(2).activation_nudges)))
    assert panel.neuron.value() == biggest and "biggest wish" in text(window)
    choose_neuron(window, qtbot, "6")
    assert lesson.followed(2) == 5 and window.network_view.neurons.lesson.ringed == (2, 5)
    for index in (page_of(lesson, "edges", 2), page_of(lesson, "wants", 3), page_of(lesson, "wants", 2)):
        go(window, qtbot, index)
    assert panel.neuron.value() == 5 and "your choice" in text(window)
    go(window, qtbot, page_of(lesson, "edges", 2))  # the chain in the same layer follows the same neuron
    assert panel.neuron.value() == 5


def test_a_click_on_a_neuron_of_the_network_follows_it(stepping, qtbot):
    window, view = stepping, stepping.network_view
    lesson = window.model.lesson
    go(window, qtbot, page_of(lesson, "wants", 2))
    x, y = view.layout.positions[2][9]
    point = view.mapFromScene(view.view_box.mapViewToScene(QtCore.QPointF(x, y)))
    qtbot.mouseClick(view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=point)
    assert lesson.followed(2) == 9 and window.stepper.neuron.value() == 9
    assert "Neuron <b>10</b>" in text(window) and view.neurons.lesson.ringed == (2, 9)
    assert window.model.selected_neuron is None  # following is not selecting: no edges are dimmed


def test_a_hidden_neuron_explains_whose_wishes_it_sums(stepping, qtbot):
    window = stepping
    lesson = window.model.lesson
    go(window, qtbot, page_of(lesson, "wants", 2))
    choose_neuron(window, qtbot, "6")
    layer = lesson.nudges.layer(2)
    assert "Neuron <b>6</b>" in text(window)  # index 5: people count neurons from 1
    assert scaled(lesson, layer.activation_nudges[5]) in text(window)
    np.testing.assert_allclose(layer.wishes[:, 5].sum(), layer.activation_nudges[5])


def test_every_output_neurons_wish_for_a_hidden_neuron_is_listed(stepping, qtbot):
    window = stepping
    lesson = window.model.lesson
    go(window, qtbot, page_of(lesson, "wants", 2))
    choose_neuron(window, qtbot, "4")
    said = text(window)
    wishes = lesson.nudges.layer(2).wishes[:, 3]
    assert len(re.findall(r"<td>output\u00a0\d</td>", said)) == 10  # one row per output neuron, named by its digit
    for wish in wishes:
        assert f"<td align=right>{scaled(lesson, wish)}</td></tr>" in said


def test_a_saturated_output_is_said_in_words_and_cross_entropy_the_books_way_cancels_the_slope(stepping, qtbot):
    window, panel = stepping, stepping.stepper
    lesson = window.model.lesson
    go(window, qtbot, page_of(lesson, "edges", 3))
    saturated = np.flatnonzero(lesson.nudges.layer(3).derivatives < 0.05)
    if len(saturated):
        choose_neuron(window, qtbot, lesson.class_names[int(saturated[0])])
        assert "saturated" in text(window)
    outputs = lesson.nudges.output.copy()
    click(qtbot, panel.cross_entropy)
    assert panel.cross_entropy.isChecked() and "cross-entropy" in panel.explanation.title.text()
    k = lesson.followed(3)
    out = lesson.nudges.layer(3)
    np.testing.assert_array_equal(lesson.nudges.output, outputs)  # the same sigmoid outputs, another cost
    np.testing.assert_allclose(out.deltas, lesson.nudges.output - lesson.nudges.target, atol=1e-6)  # δ = a − y
    assert "cancels" in text(window) and scaled(lesson, out.deltas[k]) in text(window)
    assert not panel.apply_button.isEnabled()
    go(window, qtbot, page_of(lesson, "step"))
    assert not panel.apply_button.isEnabled()  # another cost's step is shown, never applied
    click(qtbot, panel.cross_entropy)
    assert not panel.cross_entropy.isChecked() and panel.apply_button.isEnabled()


def test_nudge_images_have_their_own_scale_unless_one_is_shared(stepping, qtbot):
    window = stepping
    lesson = window.model.lesson
    go(window, qtbot, page_of(lesson, "edges", 1))
    images = window.stepper.explanation.images
    nudges = lesson.nudges.layer(1).weight_nudges
    np.testing.assert_allclose(images.limits, np.abs(nudges).max(axis=1), rtol=1e-6)
    assert "own scale" in images.legend.text()
    click(qtbot, images.shared)
    np.testing.assert_allclose(images.limits, np.abs(nudges).max(), rtol=1e-6)
    assert "One scale for all" in images.legend.text()


def test_the_mini_batch_page_shows_each_nudge_of_the_followed_weight_and_their_average_is_the_trainers_step(
        stepping, qtbot, mnist):
    window, panel, view = stepping, stepping.stepper, stepping.network_view
    lesson = window.model.lesson
    go(window, qtbot, page_of(lesson, "batch"))
    # the example on show (test example 2, a 2) is member 1, then nine training examples
    images = np.concatenate([mnist.test.images[[1]], mnist.train.images[lesson.batch_others]])
    labels = np.concatenate([mnist.test.labels[[1]], mnist.train.labels[lesson.batch_others]])
    assert [e.label for e in lesson.batch.examples] == list(labels) and labels[0] == 2
    np.testing.assert_array_equal(lesson.batch.examples[0].x, mnist.test.inputs(1, window.model.shown.dtype))
    np.testing.assert_allclose(view.neurons._values[-1], lesson.batch.examples[0].forward.output[0], rtol=1e-6)
    assert "example 1 of the mini-batch, though it is a test image" in spaced(text(window))
    # every example's nudge to the followed weight, and their average, on the page
    parameter = lesson.parameter
    each = batch_parameter_nudges(lesson.batch, parameter)
    said = text(window)
    for value in each:
        assert f"<td align=right>{lesson.scale(value)}</td>" in said
    assert f"average: <b>{lesson.scale(np.mean(each))}</b>" in said
    # ... is what one SGD step on these ten examples does
    network = window.model.shown.copy()
    inputs = images.reshape(len(images), -1).astype(network.dtype) / 255.0
    np.testing.assert_allclose(inputs[1:], mnist.train.inputs(lesson.batch_others, network.dtype))
    gradients = network.backprop(inputs, labels)
    average = [m.copy() for m in view.edge_values]
    for l in range(3):
        np.testing.assert_allclose(average[l], -0.5 * gradients.weights[l], rtol=1e-4, atol=1e-7)
    # the trainer itself, on a training set of exactly this mini-batch: its first step is the page's
    only = Split("train", images, labels, mnist.train.image_shape)
    trained = network.copy()
    Trainer(trained, Dataset("batch", only, mnist.validation, mnist.test, mnist.class_names), batch_size=10,
            learning_rate=0.5, momentum=0.0, seed=0).run_batches(1)
    row, column = parameter.index(network.sizes)
    l = parameter.layer - 1
    assert np.mean(each) == pytest.approx(trained.layers[l][row, column] - network.layers[l][row, column],
                                          rel=1e-4, abs=1e-9)
    assert "training set" in said
    # one member alone: its nudges on the edges and its own activations on the neurons
    panel.member.setValue(3)
    third = lesson.batch.examples[2]
    assert lesson.member == 3
    np.testing.assert_allclose(view.edge_values[0], third.layers[0].weight_nudges)
    np.testing.assert_allclose(view.neurons._values[-1], third.forward.output[0], rtol=1e-6)
    assert view.lesson.target == third.label
    assert not np.allclose(view.edge_values[0], average[0])


def test_the_mini_batch_page_shows_its_examples_targets_not_the_single_examples_digit(stepping, qtbot, mnist):
    window, panel = stepping, stepping.stepper
    lesson = window.model.lesson
    single = panel.target.currentText()
    go(window, qtbot, page_of(lesson, "batch"))
    assert not panel.target.isVisible() and panel.batch_targets.isVisible()
    labels = [str(d) for d in lesson.batch_examples()[1]]
    assert panel.batch_targets.text().endswith(", ".join(labels))
    panel.member.setValue(3)
    assert spaced(panel.batch_targets.text()).startswith(f"{labels[2]} (example 3 of the mini-batch)")
    assert panel.target_label.text() == "Target"
    click(qtbot, panel.back_button)  # back to the single example: its own target again
    click(qtbot, panel.back_button)
    assert panel.target.isVisible() and panel.target.currentText() == single
    assert not panel.batch_targets.isVisible()


def test_the_target_digit_can_be_chosen_and_changes_the_cost(stepping, qtbot, mnist):
    window, panel = stepping, stepping.stepper
    lesson = window.model.lesson
    assert panel.target.currentIndex() == int(mnist.test.labels[1])  # the label by default
    click(qtbot, panel.next_button)
    panel.target.setCurrentIndex(7)
    expected = example_nudges(window.model.shown, mnist.test.inputs(1, window.model.shown.dtype), 7, learning_rate=0.5)
    assert lesson.nudges.label == 7 and lesson.index == 1
    assert cost(expected.cost) in text(window)


def test_the_chain_text_multiplies_the_cores_numbers(mnist):
    from nnviz.core.network import Network
    from nnviz.lessons.pages import Scale, chain_text
    network = Network(seed=3, dtype=np.float64)
    x, label = mnist.train.inputs(11, np.float64), int(mnist.train.labels[11])
    n = example_nudges(network, x, label, learning_rate=0.7)
    names = [str(d) for d in range(10)]
    for l, k in [(3, label), (2, 4), (1, 9)]:
        layer = n.layer(l)
        scale = Scale(layer.activation_nudges, layer.bias_nudges, layer.weight_nudges)
        said = chain_text(n, network.weights, l, k, "", scale, names)
        a_prev = n.forward.activations[l - 1][0]
        bright, dim = int(np.argmax(a_prev)), int(np.argmin(a_prev))
        delta = layer.activation_gradients[k] * layer.derivatives[k]  # ∂C/∂a × σ'(z)
        assert delta == pytest.approx(layer.deltas[k], rel=1e-12)
        for product in (-0.7 * delta, -0.7 * delta * a_prev[bright], -0.7 * delta * a_prev[dim]):
            assert f"<b>{scale(product)}</b>" in said  # bias nudge, then two weight nudges δ·a
        if l > 1:  # the wish for the layer before: −η δ w
            assert f"<b>{scale(-0.7 * delta * network.weights[l - 1][k, bright])}</b>" in said


def test_the_answer_shows_its_output_activation_not_a_share_of_the_sum(fresh, mnist):
    fresh.model.go_to(1)
    output = fresh.model.shown.output(mnist.test.inputs(1, fresh.model.shown.dtype))[0]
    caption = fresh.input_panel.caption.text()
    assert f"(a = {output.max():.2f})" in caption and "%" not in caption
    assert output.max() / output.sum() < output.max() - 0.05  # a share would read much lower


def read_numbers(text: str) -> list[float]:
    """Every number in ``text`` as a person reads it: "−12.3×10⁻³" is -0.0123."""
    plain = re.sub(r"<[^>]+>", " ", text).replace("−", "-")
    found = re.findall(r"([+-]?\d+(?:\.\d+)?)(×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?", plain)
    to_digits = {ord(b): a for a, b in zip("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")}
    return [float(m) * (10.0 ** int(e.translate(to_digits)) if e else 1.0) for m, _, e in found]


def test_a_scaled_nudge_reads_as_the_same_number_as_the_plain_delta_it_comes_from(stepping, qtbot):
    # "δ = 0.0123" beside a nudge "−12.3" read as a mismatch: every scaled number carries its scale.
    window = stepping
    lesson = window.model.lesson
    seen_scaled = False
    for index, page in enumerate(lesson.pages):
        if page.kind != Kind.EDGES:
            continue
        go(window, qtbot, index)
        k, eta = lesson.followed(page.layer), lesson.learning_rate
        layer = lesson.nudges.layer(page.layer)
        said = spaced(text(window))
        delta = read_numbers(re.search(r"δ = ∂C/∂z = <b>([^<]+)</b>", said).group(1))[0]
        assert delta == pytest.approx(layer.deltas[k], rel=6e-3, abs=1e-6)  # δ, read with its scale
        bias_nudge = re.search(r"Bias nudge −η δ = <b>([^<]+)</b>", said).group(1)
        # read literally, the nudge is −η times the δ beside it (to the 3 digits shown)
        assert read_numbers(bias_nudge)[0] == pytest.approx(-eta * delta, rel=6e-3, abs=1e-6)
        seen_scaled |= "×10" in bias_nudge
        title = window.stepper.explanation.title.text()
        if "×10" in title:
            scale = re.search(r"×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+", title).group(0)
            a = lesson.nudges.forward.activations[page.layer - 1][0]
            for nudge in (layer.bias_nudges[k], layer.weight_nudges[k, a.argmax()], layer.weight_nudges[k, a.argmin()]):
                written = scaled(lesson, nudge)
                assert written == "0" or (f"<b>{written}</b>" in said and written.endswith(scale))  # never a bare "−12.3"
    assert seen_scaled  # the example has a page on a common scale


def test_a_drawn_digit_asks_which_digit_was_meant_before_stepping(window, qtbot):
    from test_inspect import drag
    window.input_panel.setCurrentIndex(1)
    drag(window.input_panel.canvas, [(140, 40), (140, 120), (138, 200), (136, 240)])
    click(qtbot, window.toolbar.backprop_button)
    lesson, panel = window.model.lesson, window.stepper
    assert lesson is not None and lesson.needs_target and not panel.next_button.isEnabled()
    assert "Which digit" in panel.explanation.title.text() and panel.target.currentIndex() == -1
    panel.target.setCurrentIndex(1)
    assert lesson.nudges.label == 1 and lesson.index == 0 and panel.next_button.isEnabled()
    np.testing.assert_allclose(lesson.nudges.x, window.examples.drawn_input())
    go(window, qtbot, page_of(lesson, "step"))
    assert lesson.result.cost_after < lesson.result.cost_before
    window.stepper.explanation.landscape.wait(10_000)
    window.lesson.stop()


def test_wiggle_it_changes_the_parameter_the_learner_picks_and_follows_the_neuron_followed(stepping, qtbot):
    window, lesson = stepping, stepping.model.lesson
    go(window, qtbot, page_of(lesson, "edges", 2))
    which = window.stepper.explanation.which
    k = lesson.followed(2)
    assert which.isVisible() and which.count() == 1 + 16 and which.itemText(0) == "its bias"
    assert which.currentIndex() == lesson.parameter.source + 1  # the brightest source, by default

    def pick(index):
        which.setCurrentIndex(index)
        which.activated.emit(index)  # what a click on an entry of the open list sends

    pick(0)
    assert lesson.parameter == Parameter(2, k, None)
    expected = wiggle(lesson.judged, lesson.example.x, lesson.target, Parameter(2, k, None), lesson.epsilon)
    said = spaced(window.stepper.explanation.wiggle.text())
    assert f"the bias of neuron {k + 1} of hidden layer 2" in said and scaled_slope(expected.gradient, said)
    pick(5)
    assert lesson.parameter == Parameter(2, k, 4) and "from neuron 5 of hidden layer 1" in spaced(
        window.stepper.explanation.wiggle.text())
    other = (k + 1) % 16
    choose_neuron(window, qtbot, str(other + 1))
    # following another neuron wiggles that neuron's parameters, from its brightest source again
    assert lesson.parameter.neuron == other and which.currentIndex() == lesson.parameter.source + 1


def scaled_slope(gradient: float, said: str) -> bool:
    """The page writes backpropagation's ∂C/∂θ: true when one of its numbers is ``gradient`` (to 3 digits)."""
    return any(abs(n - gradient) <= 5e-3 * abs(gradient) for n in read_numbers(said))


def test_the_pictures_key_gives_way_to_the_lessons_legend_and_comes_back(stepping, qtbot):
    from nnviz.app.views.network.network_view import key_text

    view = stepping.network_view
    assert view.legend.text() != key_text("sigmoid")  # the lesson's pages say what their colours mean
    click(qtbot, stepping.stepper.close_button)
    assert stepping.model.lesson is None and view.legend.isVisible() and view.legend.text() == key_text("sigmoid")
