"""Keys: Space toggles training exactly once from anywhere but a text field, every registered key
reaches its action whatever the texts say, and Help lists them all."""

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from nnviz.app.shell import actions
from nnviz.app.window.main_window import MainWindow

SPACE = QtCore.Qt.Key.Key_Space


def press(qtbot, widget, sequence: str) -> None:
    """Type ``sequence`` ("Space", "Ctrl+S") with the keyboard focus on ``widget``."""
    widget.setFocus()
    QtWidgets.QApplication.processEvents()
    combination = QtGui.QKeySequence(sequence)[0]
    qtbot.keyClick(widget, combination.key(), combination.keyboardModifiers())


def toggles(window) -> list[bool]:
    """Every Train/Pause the window is asked for, from now on."""
    seen = []
    window.controls.run_toggled.connect(seen.append)
    return seen


def focus_targets(window):
    panel = window.input_panel
    return {
        "the Train button": window.controls.run_button,
        "the 1 mini-batch button": window.controls.batch_button,
        "the next-example button": panel.next_button,
        "the mistakes checkbox": panel.only_mistakes,
        "the network": window.network_view,
        "a plot": window.plots.cost_plot,
        "the Set box": panel.split,
        "the speed slider": window.controls.speed,
    }


@pytest.mark.parametrize("where", ["the Train button", "the 1 mini-batch button", "the next-example button",
                                   "the mistakes checkbox", "the network", "a plot", "the Set box",
                                   "the speed slider"])
def test_space_toggles_training_once_wherever_the_focus_is(fresh, qtbot, where):
    target = focus_targets(fresh)[where]
    seen = toggles(fresh)
    checked_before = fresh.input_panel.only_mistakes.isChecked()
    index_before = fresh.example_index
    press(qtbot, target, "Space")
    # A button's own Space shortcut clicked it again ~0.1 s later (animateClick): wait past that.
    qtbot.wait(300)
    assert seen == [True] and fresh.controls.run_button.text() == "Pause"
    assert fresh.controller.state != "idle"
    press(qtbot, target, "Space")
    qtbot.wait(300)
    assert seen == [True, False] and fresh.controls.run_button.text() == "Train"
    # Space was the shortcut only: the focused control did not also act on it.
    assert fresh.input_panel.only_mistakes.isChecked() == checked_before
    assert fresh.example_index == index_before
    assert fresh.controls.progress.value() == 0 or fresh.controller.state == "idle"


def test_space_still_works_after_the_buttons_text_changes(fresh, qtbot):
    seen = toggles(fresh)
    fresh.controls.set_running(True)
    fresh.controls.set_running(False)
    # What used to wipe the shortcut: setText on the button itself.
    fresh.controls.run_button.setText("Train")
    fresh.controls.run_action.setText("Go")
    press(qtbot, fresh.network_view, "Space")
    assert seen == [True]
    press(qtbot, fresh.network_view, "Space")
    assert seen == [True, False]


def test_space_works_with_the_toolbar_hidden_and_the_view_menu_brings_it_back(fresh, qtbot):
    toolbar = fresh.controls.toolbar
    toggle = toolbar.toggleViewAction()
    assert toggle in fresh.view_menu.actions()
    toggle.trigger()
    assert not toolbar.isVisible()
    seen = toggles(fresh)
    press(qtbot, fresh.network_view, "Space")
    press(qtbot, fresh.network_view, "Space")
    assert seen == [True, False]
    toggle.trigger()
    assert toolbar.isVisible()


@pytest.mark.parametrize("field", ["learning_rate", "epochs", "hidden"])
def test_space_in_a_text_field_does_not_train(fresh, qtbot, field):
    fresh.controls.more.set_open(True)
    seen = toggles(fresh)
    widget = getattr(fresh.controls, field)
    press(qtbot, widget, "Space")
    qtbot.wait(200)
    assert seen == [] and fresh.controller.state == "idle"


def test_the_train_button_never_takes_the_focus(window):
    for button in (window.controls.run_button, window.controls.batch_button, window.controls.epoch_button,
                   window.controls.backprop_button):
        assert button.focusPolicy() == QtCore.Qt.FocusPolicy.NoFocus


def window_actions(window) -> dict[str, QtGui.QAction]:
    found = {action.objectName().removeprefix("action_"): action for action in window.findChildren(QtGui.QAction)
             if action.objectName().startswith("action_")}
    return {name: action for name, action in found.items() if window in action.associatedObjects()}


def test_every_registered_key_reaches_its_action_after_any_text_change(window, qtbot):
    found = window_actions(window)
    expected = [command.name for command in actions.COMMANDS if command.window_action]
    assert sorted(found) == sorted(expected)
    fired = {name: 0 for name in found}
    for name, action in found.items():
        assert action.shortcutContext() == QtCore.Qt.ShortcutContext.WindowShortcut
        assert [key.toString() for key in action.shortcuts()] == \
               [QtGui.QKeySequence(key).toString() for key in actions.BY_NAME[name].keys]
        # Only the key's way to the action is under test here: not opening dialogs or quitting.
        action.triggered.disconnect()
        action.triggered.connect(lambda _=False, n=name: fired.__setitem__(n, fired[n] + 1))
        action.setText(f"renamed {name}")
    for button in window.findChildren(QtWidgets.QAbstractButton):
        if button.text() and not isinstance(button, QtWidgets.QCheckBox):
            button.setText(button.text() + " ")
    # Space last: it still starts training (through the toggle), which disables B and E.
    keyed = [name for name in found if actions.BY_NAME[name].keys]  # a menu-only command has no key to press
    for name in sorted(keyed, key=lambda n: n == "train"):
        press(qtbot, window.network_view, actions.BY_NAME[name].keys[0])
    assert fired == {name: int(name in keyed) for name in found}


def test_arrow_keys_and_r_browse_the_examples(window, qtbot, mnist):
    press(qtbot, window.network_view, "Right")
    assert window.example_index == 1
    press(qtbot, window.input_panel.only_mistakes, "Right")
    assert window.example_index == 2
    press(qtbot, window.network_view, "Left")
    assert window.example_index == 1
    window.input_panel.digit.setCurrentText("3")
    press(qtbot, window.network_view, "R")
    assert mnist.test.labels[window.example_index] == 3


def test_b_learns_from_one_mini_batch(fresh, qtbot):
    before = fresh.network.params.copy()
    press(qtbot, fresh.network_view, "B")
    qtbot.waitUntil(lambda: fresh.controller.state == "idle" and fresh.controls.progress.value() == 1, timeout=30_000)
    assert (fresh.network.params != before).any()
    # the bar's text fits the bar; the tooltip has it in full
    bar = fresh.controls.progress
    assert "epoch 1" in bar.text() and bar.fontMetrics().horizontalAdvance(bar.text()) < bar.width()
    assert "mini-batches" in bar.toolTip()


def test_help_lists_every_key_from_the_registry(window, qtbot):
    window.shortcuts_action.trigger()
    dialog = window.help_dialog
    qtbot.waitExposed(dialog)
    text = dialog.label.text()
    for command in actions.COMMANDS:
        assert actions.key_text(command) in text and command.help in text
    assert "Space" in text and "Ctrl+S" in text
    dialog.close()


def test_the_registry_has_no_key_twice():
    keys = [QtGui.QKeySequence(key).toString() for command in actions.COMMANDS for key in command.keys]
    assert len(keys) == len(set(keys))


def test_a_panel_key_is_not_made_into_a_window_action(window):
    with pytest.raises(ValueError):
        actions.make_action("stepper_next", window)
    assert isinstance(window, MainWindow)
