"""What the stepper panel is given to show (``screen_of``), and Play, without Qt: nothing that gives
an answer away before its reveal, the controls each page allows, and a walk that plays itself."""

import numpy as np

from nnviz.core.network import Network
from nnviz.lessons.lesson import EVENTS
from nnviz.lessons.pages import Kind
from nnviz.lessons.screen import screen_of


def test_play_turns_the_pages_waits_for_an_answer_and_stops_on_the_last(make_lesson):
    lesson = make_lesson(Network(seed=1))
    fired = []
    lesson.events.playing.connect(fired.append)
    lesson.set_playing(True)
    assert lesson.playing and fired == [True] and "playing" in EVENTS
    lesson.tick()
    assert lesson.index == 1
    lesson.set_quiz(True)
    lesson.tick()  # the output layer's wants: a question
    assert lesson.waiting
    at = lesson.index
    lesson.tick()
    assert lesson.index == at and lesson.playing  # it waits for the answer
    lesson.answer(lesson.question.answer)
    lesson.set_quiz(False)
    while lesson.playing:
        lesson.tick()
    assert lesson.index == len(lesson.pages) - 1 and fired == [True, False]
    lesson.set_playing(True)  # nothing left to play
    assert not lesson.playing and fired == [True, False]


def test_the_screen_holds_back_every_picture_while_a_question_waits(make_lesson):
    lesson = make_lesson(Network(seed=2))
    lesson.set_quiz(True)
    for i, page in enumerate(lesson.pages):
        lesson.go(i)
        if lesson.question is None:
            continue
        screen = screen_of(lesson)
        assert screen.question.startswith("<b>Your guess first.</b>") and screen.options == lesson.question.options
        assert screen.nudge_images is None and screen.input_wish is None and screen.bars is None
        assert screen.landscape is None and screen.wiggle is None
        lesson.answer(0)
        screen = screen_of(lesson)
        assert screen.options == () and screen.question == lesson.verdict
        if page.kind is Kind.STEP:
            assert screen.bars is not None and screen.landscape is not None
        if page.kind is Kind.INPUT:
            assert screen.input_wish.shape == lesson.image_shape


def test_the_screen_offers_the_controls_each_page_allows(make_lesson, mnist):
    lesson = make_lesson(Network(seed=3))
    for i, page in enumerate(lesson.pages):
        lesson.go(i)
        screen = screen_of(lesson)
        assert screen.page == i and screen.title == lesson.title and screen.text == lesson.text
        assert (screen.follow is None) == (lesson.follow_layer is None)
        if screen.follow is not None:
            assert screen.follow.value == lesson.followed(screen.follow.layer)
            assert len(screen.follow.names) == lesson.network.sizes[screen.follow.layer]
        assert (screen.batch_targets is not None) == screen.member_enabled == (page.kind is Kind.BATCH)
        assert screen.can_apply == (page.kind in (Kind.STEP, Kind.BATCH))
        assert screen.can_apply_repeatedly == (page.kind is Kind.STEP)
    assert screen.follow is None and screen.members == 10
    labels = lesson.batch_examples()[1]
    assert screen.batch_targets.endswith(", ".join(str(d) for d in labels))


def test_a_landscape_is_asked_for_again_only_when_it_changed(make_lesson):
    lesson = make_lesson(Network(seed=4))
    lesson.go(next(i for i, p in enumerate(lesson.pages) if p.kind is Kind.STEP))
    first, again = screen_of(lesson).landscape, screen_of(lesson).landscape
    assert first.same_as(again) and not first.same_as(None)
    stepped = lesson.network.copy()
    stepped.params[:] = lesson.apply()
    lesson.continue_from(stepped)
    after = screen_of(lesson)
    assert not first.same_as(after.landscape) and after.bars.applied
    np.testing.assert_allclose(after.bars.after, stepped.output(lesson.example.x)[0], rtol=1e-6)
