"""The stepper as a learner meets it: controls that never move, a quiz that gives nothing away, the
keys (Esc leaves, Space plays and never trains, Ctrl+Z after Done), Apply and its lesson on why
SGD averages, the pictures on the network, and a window that leaves the network half its width."""

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtTest import QTest

from nnviz.app.views.network.lesson_marks import FILL, arrow, bands
from nnviz.lessons.numbers import cost
from nnviz.lessons.quiz import QuestionKind

from nnviz.app.views.network.network_view import key_text
from test_stepper import click, go, page_of, spaced, stepping, text  # noqa: F401 (a fixture)


def controls(panel):
    return [panel.back_button, panel.play_button, panel.next_button, panel.target, panel.ask_first,
            panel.cross_entropy, panel.neuron, panel.member, panel.apply_button, panel.repeat_button,
            panel.undo_button, panel.close_button]


def places(panel):
    return [(c.mapTo(panel, QtCore.QPoint(0, 0)), c.size()) for c in controls(panel)]


def test_the_controls_sit_still_on_every_page_and_while_typing(stepping, qtbot):
    window, panel = stepping, stepping.stepper
    lesson = window.model.lesson
    seen, view = [], []
    for quiz in (False, True):
        if panel.ask_first.isChecked() != quiz:
            click(qtbot, panel.ask_first)
        for index in range(len(lesson.pages)):
            go(window, qtbot, index)
            QtWidgets.QApplication.processEvents()
            seen.append(places(panel))
            view.append(window.network_view.geometry().getRect())
    go(window, qtbot, page_of(lesson, "wants", 2))
    box = panel.neuron.lineEdit()
    box.selectAll()
    for key in "13":
        qtbot.keyClicks(box, key)
        QtWidgets.QApplication.processEvents()
        seen.append(places(panel))
    qtbot.keyClick(box, QtCore.Qt.Key.Key_Return)
    QtWidgets.QApplication.processEvents()
    seen.append(places(panel))
    assert lesson.followed(2) == 12
    assert all(s == seen[0] for s in seen) and len(set(view)) == 1
    assert panel.width() == panel.minimumWidth() == panel.maximumWidth()


def test_nothing_gives_the_answer_away_before_the_reveal(stepping, qtbot):
    window, panel, view = stepping, stepping.stepper, stepping.network_view
    lesson = window.model.lesson
    click(qtbot, panel.ask_first)
    asked = 0
    for index, page in enumerate(lesson.pages):
        go(window, qtbot, index)
        question = lesson.question
        if question is None:
            continue
        asked += 1
        assert lesson.waiting and "Your guess first" in panel.explanation.question.text()
        assert "Answer the question" in text(window)
        # the network shows activations and weights only, and circles what the question names, all alike
        assert all(a is None for a in view.neurons.arrows) and all(b is None for b in view.neurons.lesson.bias_marks)
        assert not view.lesson.edges_are_nudges and view.nudge_edges.drawn == []
        assert view.neurons.lesson.ringed is None and view.neurons.lesson.marked == question.about
        for picture in (panel.explanation.images, panel.explanation.wish, panel.explanation.bars,
                        panel.explanation.landscape, panel.explanation.wiggle_box):
            assert not picture.isVisible()
        if question.kind is QuestionKind.BIGGEST_WISH:
            offered = [int(option.split()[-1]) - 1 for option in question.options]
            assert panel.neuron.value() not in offered  # the Follow box does not show the answer
        buttons = [b for b in panel.explanation.answer_buttons if b.isVisible()]
        assert [b.text() for b in buttons] == list(question.options)
        click(qtbot, buttons[question.answer])
        assert not lesson.waiting and "Right." in panel.explanation.question.text()
    assert asked >= 8 and panel.score.text() == f"{asked} of {asked} right"


def ask_me_first(window, qtbot, kind, layer=None):
    """Ask me first on, and the walk on the page of ``kind``: its question."""
    click(qtbot, window.stepper.ask_first)
    go(window, qtbot, page_of(window.model.lesson, kind, layer))
    return window.model.lesson.question


def test_ask_me_first_asks_then_reveals_and_counts_right_answers(stepping, qtbot):
    window, panel = stepping, stepping.stepper
    lesson = window.model.lesson
    asked = ask_me_first(window, qtbot, "wants", 3)
    click(qtbot, panel.explanation.answer_buttons[asked.answer])
    assert "Right." in panel.explanation.question.text() and "−η ∂C/∂a" in spaced(text(window))
    assert window.network_view.neurons.arrows[2] is not None
    go(window, qtbot, page_of(lesson, "step"))  # the step: will the cost go down?
    asked = lesson.question
    assert asked.options == ("yes", "no") and asked.answer == 0
    click(qtbot, panel.explanation.answer_buttons[1])
    reveal = panel.explanation.question.text()
    assert "Not quite" in reveal and cost(lesson.result.cost_after) in reveal
    assert panel.score.text() == "1 of 2 right"


def test_ask_me_first_compares_two_lit_inputs_and_names_the_bigger_nudge(stepping, qtbot):
    window, panel = stepping, stepping.stepper
    lesson = window.model.lesson
    asked = ask_me_first(window, qtbot, "edges", 1)
    assert asked.kind is QuestionKind.BRIGHT_DARK
    k = asked.about[0][1]
    pixels = [int(option.split()[-1]) - 1 for option in asked.options]  # people count pixels from 1
    x = lesson.nudges.x
    assert all(x[p] > 0.05 for p in pixels) and x[pixels[0]] != x[pixels[1]]
    nudges = np.abs(lesson.nudges.layer(1).weight_nudges[k, pixels])
    assert asked.answer == int(np.argmax(nudges))
    click(qtbot, panel.explanation.answer_buttons[asked.answer])
    assert "Right." in panel.explanation.question.text() and panel.score.text() == "1 of 1 right"


@pytest.mark.parametrize("focus", ["network", "next", "neuron"])
def test_escape_leaves_the_stepper_wherever_the_focus_is(stepping, qtbot, focus):
    window, panel = stepping, stepping.stepper
    widget = {"network": window.network_view, "next": panel.next_button, "neuron": panel.neuron.lineEdit()}[focus]
    window.activateWindow()
    widget.setFocus()
    QTest.keyClick(widget, QtCore.Qt.Key.Key_Escape)
    assert window.model.lesson is None and not window.stepper_dock.isVisible() and window.left.isVisible()
    # the lesson's legend gone: the line under the picture is the picture's own key again
    assert all(a is None for a in window.network_view.neurons.arrows)
    assert window.network_view.legend.text() == key_text("sigmoid")


@pytest.mark.parametrize("focus", ["network", "next", "play"])
def test_space_plays_the_walk_and_never_trains(stepping, qtbot, focus):
    window, panel = stepping, stepping.stepper
    lesson = window.model.lesson
    params = window.model.network.params.copy()
    widget = {"network": window.network_view, "next": panel.next_button, "play": panel.play_button}[focus]
    window.activateWindow()
    widget.setFocus()
    QTest.keyClick(widget, QtCore.Qt.Key.Key_Space)
    assert lesson.playing and panel.play_button.isChecked() and panel.play_button.text() == "Pause"
    assert lesson.index == 0  # a focused button takes no click from the Space
    QTest.keyClick(widget, QtCore.Qt.Key.Key_Space)
    assert not lesson.playing and panel.play_button.text() == "Play"
    assert window.model.mode == "idle" and not window.controller.attached
    np.testing.assert_array_equal(window.model.network.params, params)
    assert not window.actions["train"].isEnabled()


def test_play_walks_on_by_itself_and_waits_for_an_answer(stepping, qtbot):
    window, panel = stepping, stepping.stepper
    lesson = window.model.lesson
    window.lesson._timer.setInterval(20)
    click(qtbot, panel.ask_first)
    click(qtbot, panel.play_button)
    qtbot.waitUntil(lambda: lesson.waiting, timeout=3000)
    waiting = lesson.index
    qtbot.wait(100)
    assert lesson.index == waiting and lesson.playing  # a question waits for its answer
    click(qtbot, panel.explanation.answer_buttons[lesson.question.answer])
    qtbot.waitUntil(lambda: lesson.index > waiting, timeout=3000)
    click(qtbot, panel.play_button)
    assert not lesson.playing and panel.play_button.text() == "Play"


def test_page_keys_work_when_sent_to_the_window_as_soon_as_the_stepper_opens(stepping, qtbot):
    window = stepping
    window.activateWindow()
    window.network_view.setFocus()  # focus anywhere but the panel
    QTest.keyClick(window, QtCore.Qt.Key.Key_PageDown)
    QTest.keyClick(window, QtCore.Qt.Key.Key_PageDown)
    assert window.model.lesson.index == 2
    QTest.keyClick(window, QtCore.Qt.Key.Key_PageUp)
    assert window.model.lesson.index == 1


def test_apply_shows_the_outputs_apply_ten_times_lowers_the_cost_and_undo_restores_exactly(stepping, qtbot):
    window, panel = stepping, stepping.stepper
    lesson = window.model.lesson
    bars = panel.explanation.bars
    original = window.model.shown.params.copy()
    go(window, qtbot, page_of(lesson, "step"))
    expected = lesson.result.network.params.copy()
    click(qtbot, panel.apply_button)
    np.testing.assert_array_equal(window.model.shown.params, expected)
    np.testing.assert_array_equal(lesson.network.params, expected)  # the lesson goes on from the stepped network
    assert window.isWindowModified() and window.model.lesson is lesson and bars.after is not None
    x = lesson.example.x
    np.testing.assert_allclose(bars.after.opts["height"], window.model.shown.output(x)[0], rtol=1e-6)
    click(qtbot, panel.repeat_button)
    costs = bars.costs
    assert len(costs) == 11 and (np.diff(costs) < 0).all()
    assert costs[-1] == pytest.approx(window.model.shown.cost_of(x[None, :], [lesson.target]), rel=1e-5)
    # the plot reads right: every step numbered to the last, a title that fits
    ticks = [label for _, label in bars.getAxis("bottom")._tickLevels[0]]
    assert ticks[-1] == "10" and bars.getViewBox().viewRange()[0][1] >= 10.5
    title = bars.getPlotItem().titleLabel
    assert title.item.boundingRect().width() <= bars.width()
    click(qtbot, panel.undo_button)
    np.testing.assert_array_equal(window.model.shown.params, original)
    assert not panel.undo_button.isEnabled()
    click(qtbot, panel.close_button)
    assert window.model.lesson is None and not window.stepper_dock.isVisible()
    np.testing.assert_array_equal(window.network_view.edge_values[0], window.model.shown.weights[0])
    assert all(a is None for a in window.network_view.neurons.arrows)


def test_apply_ten_times_toward_a_wrong_digit_says_why_sgd_averages(window, qtbot, mnist):
    four = int(np.flatnonzero(mnist.test.labels == 4)[0])
    window.model.go_to(four)
    click(qtbot, window.toolbar.backprop_button)
    panel, lesson = window.stepper, window.model.lesson
    panel.target.setCurrentIndex(9)
    go(window, qtbot, page_of(lesson, "step"))
    x, labels = lesson.sample()
    before = window.model.network.cost_of(x, labels)
    click(qtbot, panel.repeat_button)
    after = window.model.network.cost_of(x, labels)
    assert after > before and window.model.reading().answer == 9
    said = text(window)
    assert f"<b>rose</b> from <b>{cost(before)}</b> to <b>{cost(after)}</b>" in said
    assert "average of many examples" in said
    panel.explanation.landscape.wait(10_000)
    window.lesson.stop()


def test_after_done_ctrl_z_takes_the_applied_steps_back(stepping, qtbot):
    window, panel = stepping, stepping.stepper
    before = window.model.network.params.copy()
    go(window, qtbot, page_of(window.model.lesson, "step"))
    click(qtbot, panel.apply_button)
    click(qtbot, panel.apply_button)
    stepped = window.model.network.params.copy()
    window.network_view.setFocus()
    QTest.keyClick(window.network_view, QtCore.Qt.Key.Key_Escape)
    assert window.model.lesson is None
    np.testing.assert_array_equal(window.model.network.params, stepped)
    for _ in range(2):
        QTest.keyClick(window.network_view, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    np.testing.assert_array_equal(window.model.network.params, before)


def test_the_wheel_scrolls_the_explanation_wherever_it_turns_over_the_panel(stepping, qtbot):
    window, panel = stepping, stepping.stepper
    go(window, qtbot, page_of(window.model.lesson, "step"))  # a long page: text, plot and landscape
    QtWidgets.QApplication.processEvents()
    bar = panel.scroll.verticalScrollBar()
    assert bar.maximum() > 0
    for widget in (panel.explanation.bars.viewport(), panel.explanation.landscape.line_plot.viewport(),
                   panel.apply_button, panel.next_button, panel.explanation.text):
        bar.setValue(0)
        centre = QtCore.QPointF(widget.rect().center())
        event = QtGui.QWheelEvent(centre, QtCore.QPointF(widget.mapToGlobal(centre.toPoint())), QtCore.QPoint(0, 0),
                                  QtCore.QPoint(0, -120), QtCore.Qt.MouseButton.NoButton,
                                  QtCore.Qt.KeyboardModifier.NoModifier, QtCore.Qt.ScrollPhase.NoScrollPhase, False)
        QtWidgets.QApplication.sendEvent(widget, event)
        assert bar.value() > 0, widget


def test_the_lesson_does_not_open_while_training_runs(fresh, qtbot):
    click(qtbot, fresh.toolbar.run_button)
    qtbot.waitUntil(lambda: fresh.isWindowModified(), timeout=30_000)
    click(qtbot, fresh.toolbar.backprop_button)
    assert fresh.model.lesson is None and "Pause training first" in fresh.statusBar().currentMessage()
    click(qtbot, fresh.toolbar.run_button)
    qtbot.waitUntil(lambda: fresh.model.mode == "idle", timeout=30_000)
    click(qtbot, fresh.toolbar.backprop_button)
    assert fresh.model.lesson is not None and not fresh.actions["train"].isEnabled()
    fresh.lesson.stop()


def test_the_timeline_stays_put_while_the_stepper_walks_one_network(window, qtbot):
    window.lesson.start()
    before = window.model.shown.params.copy()
    window.record.move("move_to", 0)
    assert window.model.cursor is None
    assert (window.model.shown.params == before).all()
    window.lesson.stop()


@pytest.mark.parametrize("size", [(1152, 648), (1600, 1000)])
def test_the_network_keeps_half_the_window_and_nothing_is_clipped(window, qtbot, size):
    window.resize(*size)  # 1152x648: what a 1280x720 screen gets on first launch (90%)
    qtbot.wait(50)
    window.lesson.start()
    qtbot.waitUntil(lambda: window.stepper_dock.isVisible())
    qtbot.wait(100)
    view, panel = window.network_view, window.stepper
    assert view.width() >= window.width() / 2
    # the view is not wider than the room it has (a minimum the window cannot give clips it)...
    assert view.width() <= view.parentWidget().width()
    # ...and the whole network is inside what it shows, above the legend
    shown = view.view_box.viewRect()
    for positions in view.layout.positions[1:]:
        assert shown.left() <= positions[:, 0].min() and positions[:, 0].max() <= shown.right()
        assert shown.top() <= positions[:, 1].min() and positions[:, 1].max() <= shown.bottom()
    assert view.viewport().geometry().bottom() < view.legend.geometry().top()
    inside = panel.rect()
    for index in range(len(window.model.lesson.pages)):
        window.model.lesson.go(index)
        QtWidgets.QApplication.processEvents()
        for control in controls(panel):
            assert inside.contains(QtCore.QRect(control.mapTo(panel, QtCore.QPoint(0, 0)), control.size())), control
            assert control.width() >= control.minimumSizeHint().width(), control
        assert panel.mapTo(window, QtCore.QPoint(panel.width(), 0)).x() <= window.width()
        title = panel.explanation.title
        assert title.width() <= panel.scroll.viewport().width() and title.heightForWidth(title.width()) <= title.height()
    panel.explanation.landscape.wait(10_000)
    window.lesson.stop()


def test_every_arrow_stays_on_its_own_neuron_and_edges_thicken_with_their_nudge(stepping, qtbot):
    window, view = stepping, stepping.network_view
    lesson = window.model.lesson
    layout = view.layout
    for l, band in enumerate(bands(layout)[1:], start=1):
        assert band == pytest.approx(np.min(np.diff(np.sort(layout.positions[l][:, 1]))))
        for up in (True, False):
            polygon = arrow(0.0, 0.0, FILL * band, up, band).boundingRect()
            # centred on the neuron, and never reaching half way to the next one
            assert polygon.top() >= -band / 2 and polygon.bottom() <= band / 2
    go(window, qtbot, page_of(lesson, "edges", 3))
    nudges = np.abs(lesson.nudges.layer(3).weight_nudges).ravel()
    widths = view.nudge_edges.drawn[2]
    assert len(widths) == np.count_nonzero(nudges >= 0.02 * nudges.max())
    order = np.argsort(-nudges, kind="stable")[: len(widths)]
    assert widths[0] > widths[-1] and (np.diff(widths) <= 0).all()  # the biggest nudge the thickest
    assert np.all(nudges[order][:-1] >= nudges[order][1:])
    assert not view.edges.isVisible()
    click(qtbot, window.stepper.back_button)  # what the output layer wants: the weights again
    assert view.edges.isVisible() and view.nudge_edges.drawn == []
