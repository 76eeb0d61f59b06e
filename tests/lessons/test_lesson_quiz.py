"""Ask me first: questions a learner can reason out, of many kinds, that nothing on screen answers
before the reveal; every answer checked against the core's numbers."""

import numpy as np
import pytest

from nnviz.core.network import Network
from nnviz.core.nudges import example_nudges, step
from nnviz.lessons.lesson_texts import WAITING
from nnviz.lessons.pages import Kind, walk
from nnviz.lessons.quiz import QuestionKind, kind_for
from nnviz.lessons.step_pages import batch_parameter_nudges

EXAMPLES = [("test", 1), ("test", 4), ("test", 18), ("train", 7), ("validation", 3)]


def walk_asking(lesson, choose=lambda q: q.answer):
    """Walk every page with Ask me first on; for each question, what was on screen while it waited."""
    lesson.set_quiz(True)
    seen = []
    for i in range(len(lesson.pages)):
        lesson.go(i)
        q = lesson.question
        if q is None:
            continue
        layer = lesson.page.layer
        seen.append(dict(page=lesson.page, question=q, picture=lesson.picture, text=lesson.text,
                         wiggle=lesson.wiggle_text, followed=lesson.followed(layer) if layer else None,
                         waiting=lesson.waiting, scale=lesson.scale))
        lesson.answer(choose(q))
    return seen


@pytest.mark.parametrize("n_layers", [1, 2, 3, 4, 5])
def test_no_kind_of_question_is_asked_twice_in_a_row_on_any_walk(n_layers):
    kinds = [k for k in (kind_for(p, n_layers) for p in walk(n_layers)) if k is not None]
    assert all(a != b for a, b in zip(kinds, kinds[1:]))


@pytest.mark.parametrize("split, index", EXAMPLES)
def test_a_walk_asks_at_least_eight_kinds_never_the_same_twice_in_a_row(make_lesson, pretrained, split, index):
    asked = [s["question"].kind for s in walk_asking(make_lesson(pretrained, split, index))]
    assert len(set(asked)) >= 8
    assert all(a != b for a, b in zip(asked, asked[1:]))


@pytest.mark.parametrize("split, index", EXAMPLES[:3])
def test_nothing_on_screen_gives_the_answer_away_while_a_question_waits(make_lesson, pretrained, split, index):
    for seen in walk_asking(make_lesson(pretrained, split, index)):
        picture, q = seen["picture"], seen["question"]
        assert seen["waiting"] and picture.waiting and seen["text"] == WAITING and seen["wiggle"] is None
        assert not picture.edges_are_nudges and picture.input_wish is None and picture.nudge_images is None
        assert all(a is None for a in picture.arrows) and all(b is None for b in picture.bias_marks)
        assert picture.ringed is None and picture.marked == q.about
        if q.kind is QuestionKind.BIGGEST_WISH:
            offered = [k for l, k in q.about if l == seen["page"].layer]
            # the Follow box's default is none of the neurons offered, least of all the answer
            assert seen["followed"] not in offered


def test_after_the_answer_the_follow_box_defaults_to_the_biggest_wish_again(make_lesson, pretrained):
    lesson = make_lesson(pretrained)
    walk_asking(lesson)
    for l in (1, 2, 3):
        assert lesson.followed(l) == int(np.argmax(np.abs(lesson.nudges.layer(l).activation_nudges)))


def test_every_answer_agrees_with_the_cores_numbers(make_lesson, pretrained, mnist):
    network = Network(seed=5, dtype=np.float64)
    for net in (pretrained, network):
        lesson = make_lesson(net, "test", 4, learning_rate=0.7)
        x, label = mnist.test.inputs(4, net.dtype), int(mnist.test.labels[4])
        n = example_nudges(net, x, label, 0.7)
        for seen in walk_asking(lesson):
            q, kind, page = seen["question"], seen["question"].kind, seen["page"]
            neurons = [k for l, k in q.about if l == page.layer]
            if kind is QuestionKind.OUTPUT_DIRECTION:
                j = neurons[0]
                up = -0.7 * 2 * (n.output[j] - n.target[j]) > 0
                assert q.options[q.answer] == ("up" if up else "down")
            elif kind is QuestionKind.BRIGHT_DARK:
                sources = [k for l, k in q.about if l == page.layer - 1]
                a = n.forward.activations[page.layer - 1][0][sources]
                assert q.answer == int(np.argmax(a))  # the same δ: the brighter source's nudge is bigger
            elif kind is QuestionKind.SATURATION:
                layer = n.layer(page.layer)
                assert q.answer == int(np.argmax(np.abs(layer.deltas[neurons])))
            elif kind is QuestionKind.BIGGEST_WISH:
                candidates = neurons
                wants = np.abs(n.layer(page.layer).activation_nudges)
                assert q.answer == int(np.argmax(wants[candidates])) and wants[candidates].max() == wants.max()
            elif kind is QuestionKind.ADD_OR_CANCEL:
                k = neurons[0]
                j1, j2 = [j for l, j in q.about if l == page.layer + 1]
                w, d = net.weights[page.layer][:, k], n.layer(page.layer + 1).deltas
                assert q.answer == (0 if np.sign(w[j1] * d[j1]) == np.sign(w[j2] * d[j2]) else 1)
            elif kind is QuestionKind.WISH_SIGN:
                (k,), (p,) = [k for l, k in q.about if l == 1], [k for l, k in q.about if l == 0]
                wish = -0.7 * net.weights[0][k, p] * n.layer(1).deltas[k]
                assert q.options[q.answer] == ("brighter" if wish > 0 else "darker")
            elif kind is QuestionKind.COST_FALLS:
                result = step(net, n)
                assert q.options[q.answer] == ("yes" if result.cost_after < result.cost_before else "no")
            elif kind is QuestionKind.LARGER_ETA:
                larger = step(net, example_nudges(net, x, label, 7.0)).cost_after
                assert (q.answer == 0) == (larger < step(net, n).cost_after)
            elif kind is QuestionKind.BATCH_AVERAGE:
                each = batch_parameter_nudges(lesson.batch, lesson.parameter)
                compared = each[0] if lesson.example_member == 1 else each[np.argmax(np.abs(each))]
                assert (q.answer == 0) == (abs(each.mean()) > abs(compared))
            else:
                raise AssertionError(f"unexpected kind {kind}")


def test_the_score_counts_the_walk_and_each_reveal_says_right_or_not_with_its_numbers(make_lesson, pretrained):
    lesson = make_lesson(pretrained)
    wrong_first = iter([True] + [False] * 20)
    seen = walk_asking(lesson, choose=lambda q: (q.answer + 1) % len(q.options) if next(wrong_first) else q.answer)
    assert lesson.score == (len(seen) - 1, len(seen))
    assert lesson.score_text == f"{len(seen) - 1} of {len(seen)} right"
    lesson.go(next(i for i, p in enumerate(lesson.pages) if p.kind is Kind.WANTS))
    assert lesson.verdict.startswith("<b>Not quite") and "×10" in lesson.verdict
    lesson.go(len(lesson.pages) - 1)
    assert lesson.verdict.startswith("<b>Right.")
    lesson.answer(0)  # answered already: nothing changes
    assert lesson.score == (len(seen) - 1, len(seen))


def test_the_quiz_writes_numbers_on_its_pages_scale(make_lesson, pretrained):
    lesson = make_lesson(pretrained)
    for seen in walk_asking(lesson):
        page = seen["page"]
        if page.kind in (Kind.WANTS, Kind.EDGES) and seen["scale"].exponent:
            q = seen["question"]
            # the page says "×10⁻³" in its title: so do the question and its reveal, never a bare decimal of δ
            assert "×10" in q.reason
