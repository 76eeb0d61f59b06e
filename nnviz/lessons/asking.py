"""Ask me first over one walk (no Qt): whether it is on, the question of each page, the answers,
the score; and which question a ``Lesson``'s page asks, read off its numbers (``ask``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np

from . import quiz
from .computed import LARGER
from .numbers import Scale
from .pages import Page, layer_scale, page_scale
from .quiz import Question, QuestionKind
from .step_pages import batch_parameter_nudges

if TYPE_CHECKING:
    from .lesson import Lesson


class Asking:
    """The quiz's state: ``on``, each page's question (asked once, kept until the numbers change),
    the option chosen on each answered page, and the score over the whole walk."""

    def __init__(self):
        self.on = False
        self.answers: dict[int, int] = {}  # page index -> the option the learner chose
        self.right = self.asked = 0
        self._questions: dict[int, Question | None] = {}

    def forget_questions(self) -> None:
        """The numbers changed: every page asks afresh (the score stays the walk's)."""
        self.answers, self._questions = {}, {}

    def question(self, i: int, make: Callable[[], Question | None]) -> Question | None:
        if i not in self._questions:
            self._questions[i] = make()
        return self._questions[i]

    def answer(self, i: int, option: int, question: Question) -> None:
        self.answers[i] = int(option)
        self.asked += 1
        self.right += int(option == question.answer)


def subject(lesson: Lesson, layer: int) -> int:
    """The neuron a question about one neuron's weights asks about: the learner's, else the one
    with the biggest δ (the biggest wish may be saturated, with nudges too small to compare)."""
    if lesson.chose(layer):
        return lesson.followed(layer)
    return int(np.argmax(np.abs(lesson.nudges.layer(layer).deltas)))


def ask(lesson: Lesson, p: Page) -> Question | None:
    """The question ``lesson`` asks before page ``p`` is revealed (None: the page has none)."""
    n, names, weights = lesson.nudges, lesson.class_names, lesson.judged.weights
    kind = quiz.kind_for(p, lesson.n_layers)
    scale = layer_scale(n.layer(p.layer)) if p.layer else page_scale(p, n)
    if kind is QuestionKind.OUTPUT_DIRECTION:
        return quiz.output_direction(n, names, scale, lesson.variant)
    if kind in (QuestionKind.BRIGHT_DARK, QuestionKind.SATURATION):
        # a layer with no saturated neuron gets the other chain question, and the other way round
        saturation = quiz.saturation(n, p.layer, names, scale) if kind is QuestionKind.SATURATION else None
        return saturation or quiz.bright_dark(n, p.layer, subject(lesson, p.layer), names, scale) \
            or quiz.saturation(n, p.layer, names, scale)
    if kind is QuestionKind.BIGGEST_WISH:
        return quiz.biggest_wish(n, weights, p.layer, names, scale)
    if kind is QuestionKind.ADD_OR_CANCEL:
        return quiz.add_or_cancel(n, weights, p.layer, lesson.followed(p.layer), names, scale)
    if kind is QuestionKind.WISH_SIGN:
        return quiz.wish_sign(n, weights, subject(lesson, 1), lesson.image_shape, names, scale)
    if kind is QuestionKind.COST_FALLS:
        return quiz.cost_falls(n, lesson.result, lesson.computed.predicted_change)
    if kind is QuestionKind.LARGER_ETA:
        return quiz.larger_eta(n, lesson.result, LARGER, lesson.computed.larger_step_cost)
    if kind is QuestionKind.BATCH_AVERAGE:
        parameter = lesson.parameter
        return quiz.batch_average(lesson.batch, parameter, lesson.example_member, names,
                                  Scale(batch_parameter_nudges(lesson.batch, parameter)))
    return None
