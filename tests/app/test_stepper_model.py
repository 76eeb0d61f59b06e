"""The stepper is a function of the model: a second window of a model whose lesson is open shows the
same walk; the lesson follows the network on show (an applied step, Edit › Undo during the walk);
Apply on an earlier checkpoint asks first, as training does."""

import numpy as np
from PySide6 import QtCore, QtWidgets

from nnviz.app.shell.dialogs import Button
from nnviz.app.shell.settings import Remembered
from nnviz.app.window.main_window import MainWindow
from nnviz.core.network import Network
from nnviz.core.training import Trainer

from test_stepper import click, go, page_of, stepping  # noqa: F401 (a fixture)
from test_views_follow_the_model import differences, shown_state


def test_a_second_window_of_a_model_with_an_open_lesson_shows_the_same_walk(window, settings, own, qtbot):
    window.model.go_to(1)
    window.lesson.start()
    lesson, panel = window.model.lesson, window.stepper
    click(qtbot, panel.ask_first)
    go(window, qtbot, page_of(lesson, "wants", 3))
    click(qtbot, panel.explanation.answer_buttons[lesson.question.answer])
    go(window, qtbot, page_of(lesson, "edges", 2))
    lesson.follow(2, 7)
    go(window, qtbot, page_of(lesson, "batch"))
    panel.member.setValue(4)
    window.network_view.finish_drawing()
    second = MainWindow(window.model, Remembered(settings))
    own(second)
    second.resize(window.size())
    second.show()
    qtbot.waitExposed(second)
    QtWidgets.QApplication.processEvents()
    assert second.stepper_dock.isVisible() and not second.left.isVisible()
    assert differences(shown_state(window), shown_state(second)) == []
    np.testing.assert_array_equal(second.network_view.edge_values[0], window.network_view.edge_values[0])
    assert second.network_view.legend.text() == window.network_view.legend.text()
    click(qtbot, second.stepper.back_button)  # either window turns the one walk's pages
    assert lesson.index == page_of(lesson, "batch") - 1 and panel.explanation.title.text().startswith("Step 11")
    window.lesson.stop()


def test_the_lesson_goes_on_from_the_network_edit_undo_gives_back(stepping, qtbot):
    window, panel = stepping, stepping.stepper
    lesson = window.model.lesson
    before = window.model.network.params.copy()
    go(window, qtbot, page_of(lesson, "step"))
    click(qtbot, panel.apply_button)
    assert lesson.can_undo and panel.undo_button.isEnabled()
    window.actions["undo_edit"].trigger()  # Edit › Undo, during the walk
    np.testing.assert_array_equal(window.model.network.params, before)
    np.testing.assert_array_equal(lesson.network.params, before)
    assert not lesson.can_undo and not panel.undo_button.isEnabled()  # nothing left for the walk's Undo


def test_apply_on_an_earlier_checkpoint_asks_to_train_from_it_first(window, qtbot, mnist):
    trainer = Trainer(Network(seed=0), mnist, seed=0)
    trainer.run_batches(40)
    window.model.set_network(trainer.network, name="run.npz", history=trainer.history)  # as a file opens a run
    window.model.move_to(2)
    recorded = len(window.model.history)
    checkpoint = window.model.shown.params.copy()
    window.lesson.start()
    lesson, panel = window.model.lesson, window.stepper
    np.testing.assert_array_equal(lesson.network.params, checkpoint)  # the walk explains the checkpoint on show
    go(window, qtbot, page_of(lesson, "step"))
    asked = []
    window.dialogs.ask_branch = lambda where: asked.append(where) or Button.Cancel
    click(qtbot, panel.apply_button)
    assert len(asked) == 1 and window.model.cursor == 2 and not lesson.can_undo
    window.dialogs.ask_branch = lambda where: asked.append(where) or Button.Yes
    stepped = lesson.result.network.params.copy()
    click(qtbot, panel.apply_button)
    assert len(asked) == 2 and window.model.cursor is None and len(window.model.history) < recorded
    np.testing.assert_array_equal(window.model.network.params, stepped)
    assert lesson.can_undo
    window.model.set_dirty(False)
    window.lesson.stop()


def test_the_walks_keys_are_the_windows_only_while_it_is_open(window, qtbot):
    keys = window.lesson._keys
    assert all(not key.isEnabled() for key in keys)
    window.lesson.start()
    assert all(key.isEnabled() for key in keys)
    window.network_view.setFocus()
    qtbot.keyClick(window.network_view, QtCore.Qt.Key.Key_Escape)
    assert all(not key.isEnabled() for key in keys) and window.model.lesson is None
