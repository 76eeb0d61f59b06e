"""How the lesson writes: never an exponent, never a number or a name broken from what it names,
saturation told truly, every page written and the right pages asking, legends that fit their room."""

import re

import numpy as np
import pytest

from nnviz.core.network import Network
from nnviz.core.nudges import example_nudges
from nnviz.lessons.numbers import NBSP, Scale, apart_all, keep, short, significant
from nnviz.lessons.pages import Kind, chain_text, layer_scale
from nnviz.lessons.picture import LEGEND_MAX
from nnviz.lessons.quiz import kind_for

NAMES = tuple(str(d) for d in range(10))


def everything_written(lesson):
    """Every text of every page, with Ask me first off and on (questions and their reveals)."""
    texts = []
    for quiz in (False, True):
        lesson.set_quiz(quiz)
        for i in range(len(lesson.pages)):
            lesson.go(i)
            texts += [lesson.title, lesson.text, lesson.wiggle_text or "", lesson.targets_text, lesson.picture.legend]
            if lesson.question is not None:
                q = lesson.question
                texts += [q.text, *q.options]
                lesson.answer(q.answer)
                texts.append(lesson.verdict)
    return texts


@pytest.mark.parametrize("index", [1, 4, 18])
def test_no_number_is_ever_written_in_exponent_form_nor_broken_from_its_name(make_lesson, pretrained, index):
    lesson = make_lesson(pretrained, "test", index)
    lesson.choose_member(2)
    for text in everything_written(lesson):
        plain = re.sub(r"<[^>]+>", "", text)
        assert not re.search(r"\d[eE][+-]?\d", plain), plain
        # "w = +2.54", "δ = −12.3×10⁻³": never a line break on either side of the "="
        assert not re.search(r"[^\S\u00a0]=|=[^\S\u00a0]", plain), plain
        # names stay whole: "neuron 14 of hidden layer 2", "output 7", "pixel 407"
        assert not re.search(r"(neuron|output|pixel|layer) \d", plain), plain
        # and formulas: never "∂C/" at the end of one line and "∂z" at the start of the next
        assert not re.search(r"/[^\u2060\s]", plain), plain


def test_a_scale_keeps_three_significant_digits_but_never_more_than_three_decimals():
    scale = Scale([0.0142])
    assert scale.exponent == -3 and scale.heading == " (in thousandths, ×10⁻³)"
    assert scale(0.0142) == "+14.2×10⁻³" and scale(-0.000513) == "-0.513×10⁻³"
    assert scale(2.18e-12) == "+0.000×10⁻³"  # not +0.00000000218×10⁻³
    assert scale(0.0) == "0" and Scale([3.0])(0.5) == "+0.500"
    assert short(0.5) == "0.5" and short(3.0) == "3" and short(0.00003) == "0.00003"
    assert significant(3.74e-06) == "+0.00000374" and keep("output 7") == f"output{NBSP}7"


def test_a_saturated_output_is_called_wrong_only_when_it_is(mnist):
    network = Network((784, 16, 16, 10), seed=0, dtype=np.float64)
    x, label = mnist.test.inputs(1, np.float64), int(mnist.test.labels[1])
    network.biases[2][:] = -8.0  # every output near 0: right for the nine others, wrong for the target
    n = example_nudges(network, x, label, 1.0)
    scale = layer_scale(n.layer(3))
    other = (label + 1) % 10
    right = chain_text(n, network.weights, 3, other, "", scale, NAMES)
    wrong = chain_text(n, network.weights, 3, label, "", scale, NAMES)
    assert "saturated" in right and "wrong" not in right and "right" in right
    assert "saturated" in wrong and "sure of itself and wrong" in wrong


def test_every_page_is_written_and_the_pages_with_a_kind_of_question_ask_it(make_lesson):
    lesson = make_lesson(Network(seed=0), learning_rate=0.5)
    lesson.set_quiz(True)
    for i, p in enumerate(lesson.pages):
        lesson.go(i)
        assert lesson.title and lesson.text
        assert (lesson.question is not None) == (kind_for(p, lesson.n_layers) is not None)
    assert {p.kind for p in lesson.pages if kind_for(p, lesson.n_layers) is None} == {Kind.FORWARD, Kind.COST}


@pytest.mark.parametrize("index", [1, 4, 18])
def test_no_legend_is_longer_than_the_room_the_picture_keeps_for_it(make_lesson, pretrained, index):
    lesson = make_lesson(pretrained, "test", index)
    lesson.set_cross_entropy(True)
    legends = []
    for member in (0, 3):
        lesson.choose_member(member)
        for quiz in (False, True):
            lesson.set_quiz(quiz)
            for i in range(len(lesson.pages)):
                lesson.go(i)
                legends.append(lesson.picture.legend)
    assert max(len(re.sub(r"<[^>]+>", "", legend)) for legend in legends) <= LEGEND_MAX


def test_a_cost_history_has_the_digits_that_show_every_change():
    assert apart_all([0.00512, 0.00508, 0.005079, 0.005079]) == ["0.005120", "0.005080", "0.005079", "0.005079"]
    assert apart_all([0.5, 0.25]) == ["0.500", "0.250"]


@pytest.mark.parametrize("sizes, activation, cost_name", [
    ((784, 10), "sigmoid", "mse"), ((784, 16, 10), "relu", "cross-entropy"), ((784, 12, 8, 6, 10), "tanh", "mse")])
def test_every_page_of_other_networks_reads_and_asks_without_repeating_a_kind(make_lesson, sizes, activation, cost_name):
    lesson = make_lesson(Network(sizes, activation, cost_name, seed=1), "train", 5)
    texts = everything_written(lesson)
    assert all(not re.search(r"\d[eE][+-]?\d", re.sub(r"<[^>]+>", "", t)) for t in texts)
    kinds = []
    for i in range(len(lesson.pages)):
        lesson.go(i)
        kinds.append(lesson.question.kind if lesson.question else None)
    asked = [k for k in kinds if k is not None]
    assert all(a != b for a, b in zip(asked, asked[1:])) and len(set(asked)) >= 6
