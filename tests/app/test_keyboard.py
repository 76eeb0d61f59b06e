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
    """Every start (True) and pause (False) of training, from now on."""
    seen = []
    window.model.events.mode.connect(lambda cause: seen.append(window.model.mode != "idle"))
    return seen


def focus_targets(window):
    panel = window.input_panel
    return {
        "the Train button": window.toolbar.run_button,
        "the 1 mini-batch button": window.toolbar.batch_button,
        "the next-example button": panel.next_button,
        "the mistakes checkbox": panel.only_mistakes,
        "the network": window.network_view,
        "a plot": window.plots.cost_plot,
        "the Set box": panel.split,
        "the speed slider": window.toolbar.speed,
    }


@pytest.mark.parametrize("where", ["the Train button", "the 1 mini-batch button", "the next-example button",
                                   "the mistakes checkbox", "the network", "a plot", "the Set box",
                                   "the speed slider"])
def test_space_toggles_training_once_wherever_the_focus_is(fresh, qtbot, where):
    target = focus_targets(fresh)[where]
    seen = toggles(fresh)
    checked_before = fresh.input_panel.only_mistakes.isChecked()
    index_before = fresh.model.example.index
    press(qtbot, target, "Space")
    # A button's own Space shortcut clicked it again ~0.1 s later (animateClick): wait past that.
    qtbot.wait(300)
    assert seen == [True] and fresh.toolbar.run_button.text() == "Pause"
    assert fresh.controller.state != "idle"
    press(qtbot, target, "Space")
    qtbot.wait(300)
    assert seen == [True, False] and fresh.toolbar.run_button.text() == "Train"
    # Space was the shortcut only: the focused control did not also act on it.
    assert fresh.input_panel.only_mistakes.isChecked() == checked_before
    assert fresh.model.example.index == index_before
    assert fresh.toolbar.progress.value() == 0 or fresh.controller.state == "idle"


def test_space_still_works_after_the_buttons_text_changes(fresh, qtbot):
    seen = toggles(fresh)
    fresh.toolbar.show_running(True)
    fresh.toolbar.show_running(False)
    # What used to wipe the shortcut: setText on the button itself.
    fresh.toolbar.run_button.setText("Train")
    fresh.toolbar.run_action.setText("Go")
    press(qtbot, fresh.network_view, "Space")
    assert seen == [True]
    press(qtbot, fresh.network_view, "Space")
    assert seen == [True, False]


def test_space_works_with_the_toolbar_hidden_and_the_view_menu_brings_it_back(fresh, qtbot):
    toolbar = fresh.toolbar
    toggle = toolbar.toggleViewAction()
    assert toggle in fresh.menus["&View"].actions()
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
    for button in (window.toolbar.run_button, window.toolbar.batch_button, window.toolbar.epoch_button,
                   window.toolbar.backprop_button):
        assert button.focusPolicy() == QtCore.Qt.FocusPolicy.NoFocus


def window_actions(window) -> dict[str, QtGui.QAction]:
    found = {action.objectName().removeprefix("action_"): action for action in window.findChildren(QtGui.QAction)
             if action.objectName().startswith("action_")}
    return {name: action for name, action in found.items() if window in action.associatedObjects()}


def test_every_registered_key_reaches_its_action_after_any_text_change(window, qtbot):
    found = window_actions(window)
    expected = [command.name for command in actions.COMMANDS if command.window_action and not command.submenu]
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
    assert window.model.example.index == 1
    press(qtbot, window.input_panel.only_mistakes, "Right")
    assert window.model.example.index == 2
    press(qtbot, window.network_view, "Left")
    assert window.model.example.index == 1
    window.input_panel.digit.setCurrentText("3")
    press(qtbot, window.network_view, "R")
    assert mnist.test.labels[window.model.example.index] == 3


def test_b_learns_from_one_mini_batch(fresh, qtbot):
    before = fresh.model.shown.params.copy()
    press(qtbot, fresh.network_view, "B")
    qtbot.waitUntil(lambda: fresh.controller.state == "idle" and fresh.toolbar.progress.value() == 1, timeout=30_000)
    assert (fresh.model.shown.params != before).any()
    # the bar's text fits the bar; the tooltip has it in full
    bar = fresh.toolbar.progress
    assert "epoch 1" in bar.text() and bar.fontMetrics().horizontalAdvance(bar.text()) < bar.width()
    assert "mini-batches" in bar.toolTip()


def test_help_lists_every_key_from_the_registry(window, qtbot):
    window.actions["shortcuts"].trigger()
    dialog = window.help.dialog
    qtbot.waitExposed(dialog)
    text = dialog.label.text()
    for command in actions.COMMANDS:
        assert actions.key_text(command) in text and command.help in text
    assert "Space" in text and "Ctrl+S" in text
    dialog.close()


def test_the_registry_has_no_key_twice():
    def keys(window_action: bool) -> list[str]:
        return [QtGui.QKeySequence(key).toString() for command in actions.COMMANDS for key in command.keys
                if command.window_action == window_action]

    window, panel = keys(True), keys(False)
    assert len(window) == len(set(window)) and len(panel) == len(set(panel))
    # The stepper's Space plays its walk; the window's Train is disabled while the stepper is open
    # (tests/app/test_stepper.py checks it), so the two never compete.
    assert set(window) & set(panel) == {"Space"}


def test_a_panel_key_is_not_made_into_a_window_action(window):
    with pytest.raises(ValueError):
        actions.make_action("stepper_next", window)
    assert isinstance(window, MainWindow)
