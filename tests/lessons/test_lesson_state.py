"""The lesson as state: one event per change, after it; Apply, Apply ×10 and Undo as parameters
handed out and a network taken back; the mini-batch the trainer would step by; cross-entropy the
book's way; a drawing's target; and no Qt anywhere."""

import os
import pkgutil
import subprocess
import sys

import numpy as np
import pytest

import nnviz.lessons
from nnviz.core.data import Dataset, Split
from nnviz.core.errors import ShapeError
from nnviz.core.network import Network
from nnviz.core.nudges import Parameter, example_nudges, under_cost
from nnviz.core.training import Trainer
from nnviz.lessons.lesson import EVENTS, Lesson, LessonExample
from nnviz.lessons.pages import Kind


def index_of(lesson, kind, layer=None):
    return next(i for i, p in enumerate(lesson.pages) if p.kind is kind and (layer is None or p.layer == layer))


def test_the_lessons_never_import_qt():
    modules = [m.name for m in pkgutil.iter_modules(nnviz.lessons.__path__, "nnviz.lessons.")]
    assert "nnviz.lessons.lesson" in modules
    code = (f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'superqt', 'shiboken6')]\n"
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ})


def record(lesson):
    """Every event fired, with what the lesson said at that moment (to check it fired after the change)."""
    fired = []
    for name in EVENTS:
        getattr(lesson.events, name).connect(
            lambda value, name=name: fired.append((name, value, lesson.index, lesson.target, lesson.member,
                                                   lesson.cross_entropy, lesson.quiz, lesson.learning_rate)))
    return fired


@pytest.mark.parametrize("change, event, check", [
    (lambda l: l.go(4), "page", lambda f: f[1] == 4 and f[2] == 4),
    (lambda l: l.next(), "page", lambda f: f[2] == 1),
    (lambda l: l.choose_target(7), "target", lambda f: f[3] == 7),
    (lambda l: l.choose_member(3), "member", lambda f: f[4] == 3),
    (lambda l: l.set_cross_entropy(True), "cost", lambda f: f[5] is True),
    (lambda l: l.set_quiz(True), "quiz", lambda f: f[6] is True),
    (lambda l: l.set_learning_rate(0.25), "learning_rate", lambda f: f[7] == 0.25),
    (lambda l: l.follow(2, 5), "followed", lambda f: f[1] == (2, 5)),
    (lambda l: l.pick_parameter(Parameter(2, 1, 3)), "parameter", lambda f: f[1] == Parameter(2, 1, 3)),
    (lambda l: l.set_epsilon(0.05), "parameter", lambda f: True),
])
def test_every_change_fires_its_event_once_after_the_change_and_a_repeat_fires_none(make_lesson, change, event, check):
    lesson = make_lesson(Network(seed=1))
    fired = record(lesson)
    change(lesson)
    assert [f[0] for f in fired] == [event] and check(fired[0])
    if event != "page" or fired[0][2] == 4:  # go(4) again changes nothing; next() would
        change(lesson)
        assert len(fired) == 1


def test_answering_fires_quiz_once_and_the_network_event_follows_continue_from(make_lesson):
    lesson = make_lesson(Network(seed=1))
    lesson.set_quiz(True)
    lesson.go(index_of(lesson, Kind.WANTS, 3))
    fired = record(lesson)
    lesson.answer(lesson.question.answer)
    assert [f[0] for f in fired] == ["quiz"] and lesson.score == (1, 1)
    lesson.go(index_of(lesson, Kind.STEP))
    fired.clear()
    params = lesson.apply()
    assert fired == []  # the lesson waits for the window
    stepped = lesson.network.copy()
    stepped.params[:] = params
    lesson.continue_from(stepped)
    assert [f[0] for f in fired] == ["network"] and np.array_equal(lesson.network.params, params)


def test_apply_hands_out_the_step_and_undo_the_exact_parameters_before_it(make_lesson, mnist):
    original = Network(seed=2)
    lesson = make_lesson(original, "test", 3, learning_rate=0.5)
    real = original.copy()  # the window's network
    lesson.go(index_of(lesson, Kind.STEP))
    x, label = mnist.test.inputs(3, real.dtype), int(mnist.test.labels[3])
    expected = real.copy()
    for w, b, l in zip(expected.weights, expected.biases, example_nudges(real, x, label, 0.5).layers):
        w += l.weight_nudges
        b += l.bias_nudges
    real.params[:] = lesson.apply()
    np.testing.assert_array_equal(real.params, expected.params)
    lesson.continue_from(real)
    assert lesson.can_undo and lesson.record.kind == "step"
    assert lesson.record.example_costs[1] < lesson.record.example_costs[0]
    real.params[:] = lesson.apply_repeatedly(3)
    lesson.continue_from(real)
    assert lesson.record.kind == "repeated" and len(lesson.record.costs) == 4
    assert "Applied 3 times" in lesson.text
    real.params[:] = lesson.undo()
    np.testing.assert_array_equal(real.params, original.params)
    lesson.continue_from(real)
    assert not lesson.can_undo


def test_a_network_changed_by_something_else_forgets_what_apply_did(make_lesson):
    lesson = make_lesson(Network(seed=2))
    lesson.go(index_of(lesson, Kind.STEP))
    lesson.apply()  # the window refused it, and trained instead
    other = Network(seed=9)
    lesson.continue_from(other)
    assert not lesson.can_undo and np.array_equal(lesson.network.params, other.params)
    with pytest.raises(ShapeError):
        lesson.continue_from(Network((784, 30, 10)))


def test_apply_ten_times_toward_a_wrong_target_says_why_sgd_averages(make_lesson, pretrained, mnist):
    four = int(np.flatnonzero(mnist.test.labels == 4)[0])
    lesson = make_lesson(pretrained, "test", four, learning_rate=1.0)
    lesson.choose_target(9)
    lesson.go(index_of(lesson, Kind.STEP))
    real = pretrained.copy()
    real.params[:] = lesson.apply_repeatedly(10)
    lesson.continue_from(real)
    x, labels = mnist.train.inputs(lesson.sample_indices, real.dtype), mnist.train.labels[lesson.sample_indices]
    before, after = pretrained.cost_of(x, labels), real.cost_of(x, labels)
    assert after > 2 * before  # the example is learnt as a 9; the others pay
    example = mnist.test.inputs(four, real.dtype)[None, :]
    assert real.cost_of(example, [9]) < 0.01 < pretrained.cost_of(example, [9])
    from nnviz.lessons.numbers import cost
    assert f"<b>rose</b> from <b>{cost(before)}</b> to <b>{cost(after)}</b>" in lesson.text
    assert "average of many examples" in lesson.text
    lesson.go(index_of(lesson, Kind.BATCH))
    assert "rose" in lesson.text  # said on the mini-batch page too


def test_the_mini_batch_average_is_the_trainers_step_for_the_followed_weight(make_lesson, mnist):
    network = Network(seed=4, dtype=np.float64)
    lesson = make_lesson(network, "train", 123, learning_rate=0.5)
    members = np.concatenate([[123], lesson.batch_others])
    assert lesson.example_member == 1 and len(set(members)) == 10  # the example on show first, not twice
    lesson.go(index_of(lesson, Kind.BATCH))
    # a training set of exactly this mini-batch: the trainer's first step is its step
    batch = mnist.train
    only = Split("train", batch.images[members], batch.labels[members], batch.image_shape)
    dataset = Dataset("batch", only, mnist.validation, mnist.test, mnist.class_names)
    trained = network.copy()
    Trainer(trained, dataset, batch_size=10, learning_rate=0.5, momentum=0.0, seed=0).run_batches(1)
    for parameter in (lesson.parameter, Parameter(1, 3, 400), Parameter(2, 7, None)):
        lesson.pick_parameter(parameter)
        row, column = parameter.index(network.sizes)
        trainer_step = trained.layers[parameter.layer - 1][row, column] - network.layers[parameter.layer - 1][row, column]
        from nnviz.lessons.step_pages import batch_parameter_nudges
        assert np.mean(batch_parameter_nudges(lesson.batch, parameter)) == pytest.approx(trainer_step, rel=1e-6, abs=1e-12)
    # the network picture shows the member on show, activations and all
    lesson.choose_member(4)
    forward = network.forward(mnist.train.inputs(members[3], np.float64))
    np.testing.assert_allclose(lesson.picture.forward.output, forward.output)
    assert lesson.picture.target == mnist.train.labels[members[3]]


def test_cross_entropy_the_books_way_keeps_the_outputs_and_makes_delta_a_minus_y(make_lesson, pretrained, mnist):
    lesson = make_lesson(pretrained, "test", 1)
    outputs = lesson.nudges.output.copy()
    lesson.set_cross_entropy(True)
    n = lesson.nudges
    np.testing.assert_array_equal(n.output, outputs)  # the same sigmoid outputs
    np.testing.assert_allclose(n.layer(3).deltas, n.output - n.target, atol=1e-7)
    lesson.go(index_of(lesson, Kind.EDGES, 3))
    k = lesson.followed(3)
    squared = example_nudges(pretrained, mnist.test.inputs(1, pretrained.dtype), 2, 1.0).layer(3).deltas[k]
    scale = lesson.scale
    assert f"<b>{scale(n.layer(3).deltas[k])}</b>" in lesson.text and f"<b>{scale(squared)}</b>" in lesson.text
    assert "cancels" in lesson.text and "cross-entropy" in lesson.title
    assert not lesson.can_apply
    lesson.go(index_of(lesson, Kind.COST))
    assert "the same sigmoid outputs" in lesson.text and "softmax" in lesson.text


def test_a_softmax_network_is_not_judged_again_by_cross_entropy(make_lesson):
    lesson = make_lesson(under_cost(Network(seed=0), "cross-entropy"))
    assert not lesson.cross_entropy_available
    with pytest.raises(ValueError):
        lesson.set_cross_entropy(True)
    lesson.go(index_of(lesson, Kind.WANTS, 3))
    assert "softmax" in lesson.text and "every other one down" not in lesson.text


def test_a_drawing_waits_for_its_target(mnist):
    pixels = mnist.test.inputs(0)
    lesson = Lesson(Network(seed=0), mnist, LessonExample.drawing(pixels), 1.0)
    assert lesson.needs_target and lesson.picture is None and lesson.question is None
    assert lesson.title == "Which digit did you draw?" and "target digit" in lesson.text
    lesson.next()
    assert lesson.index == 0 and not lesson.can_go_next and not lesson.can_apply
    lesson.choose_target(7)
    assert not lesson.needs_target and lesson.nudges.label == 7 and lesson.example_member == 1
    lesson.go(index_of(lesson, Kind.BATCH))
    assert "your drawing with the digit you chose" in lesson.text
    assert lesson.batch.examples[0].label == 7 and np.array_equal(lesson.batch.examples[0].x, pixels.astype(np.float32))


def test_wiggling_a_picked_parameter_gives_its_slope_beside_its_gradient(make_lesson):
    network = Network(seed=6, dtype=np.float64)
    lesson = make_lesson(network, learning_rate=0.5)
    lesson.go(index_of(lesson, Kind.EDGES, 2))
    lesson.pick_parameter(Parameter(2, 4, 11))
    lesson.set_epsilon(1e-4)
    w = lesson.wiggle
    nudge = lesson.nudges.layer(2).weight_nudges[4, 11]
    assert w.gradient == pytest.approx(-nudge / 0.5, rel=1e-9)
    assert w.slope_up == pytest.approx(w.gradient, rel=1e-4, abs=1e-9)
    assert "Wiggle it" in lesson.wiggle_text and "neuron 12 of hidden layer 1" in lesson.wiggle_text.replace("\u00a0", " ")
    lesson.go(index_of(lesson, Kind.EDGES, 3))  # a pick in another layer: this page follows its own default
    assert lesson.parameter.layer == 3


def test_bad_requests_are_refused_without_changing_anything(make_lesson):
    lesson = make_lesson(Network(seed=0))
    for bad in (lambda: lesson.follow(4, 0), lambda: lesson.follow(1, 16), lambda: lesson.choose_target(10),
                lambda: lesson.choose_member(11), lambda: lesson.set_learning_rate(0), lambda: lesson.set_epsilon(-1),
                lambda: lesson.pick_parameter(Parameter(1, 0, 784)), lambda: lesson.apply(), lambda: lesson.undo()):
        with pytest.raises(ValueError):
            bad()
    assert lesson.index == 0 and lesson.target == 2 and lesson.member == 0


def test_wiggle_choices_are_the_followed_neurons_bias_then_its_weights(make_lesson):
    network = Network(seed=6, dtype=np.float64)
    lesson = make_lesson(network, learning_rate=0.5)
    lesson.go(index_of(lesson, Kind.EDGES, 3))
    k = lesson.followed(3)
    choices = lesson.wiggle_choices
    assert len(choices) == 1 + 16 and choices[0] == "its bias" and "neuron 7 of hidden layer 2" in choices[7].replace("\u00a0", " ")
    lesson.choose_wiggle(7)
    assert lesson.parameter == Parameter(3, k, 6) and lesson.wiggle_choice == 7
    assert lesson.wiggle.gradient == pytest.approx(-lesson.nudges.layer(3).weight_nudges[k, 6] / 0.5, rel=1e-9)
    lesson.choose_wiggle(0)
    assert lesson.parameter.is_bias and lesson.wiggle.gradient == pytest.approx(-lesson.nudges.layer(3).bias_nudges[k] / 0.5)
    with pytest.raises(ValueError):
        lesson.choose_wiggle(17)
    lesson.follow(3, (k + 1) % 10)  # another neuron followed: its own default again
    assert lesson.parameter.neuron == (k + 1) % 10 and not lesson.parameter.is_bias
    lesson.go(index_of(lesson, Kind.WANTS, 3))
    assert lesson.wiggle_choices == () and lesson.wiggle_choice == 0


def test_wiggle_it_writes_the_pages_scale_and_costs_a_learner_can_take_the_slope_of(make_lesson, pretrained):
    """A learner read "+377×10⁻⁶" beside the page's "−0.377×10⁻³", and worked out 7.29 from the two
    costs written where the page said 7.30."""
    import re
    for index, layer in [(i, l) for i in range(12) for l in (3, 2, 1)]:
        lesson = make_lesson(pretrained, "test", index)
        lesson.go(index_of(lesson, Kind.EDGES, layer))
        text, w, scale = lesson.wiggle_text.replace("\u00a0", " "), lesson.wiggle, lesson.scale
        exponents = set(re.findall(r"×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", text))
        if scale.exponent and abs(w.gradient) / 10.0 ** scale.exponent >= 0.1:
            assert exponents <= set(re.findall(r"×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", scale(1.0))), (layer, text)
        before, after = (float(c) for c in re.search(r"its cost goes from (\d+\.\d+) to (\d+\.\d+)", text).groups())
        assert (after - before) / w.epsilon == pytest.approx(w.slope_up, rel=2e-3)
