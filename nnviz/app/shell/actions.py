"""Every keyboard command of the window in one registry: its text, keys and what it does.

The window's QActions are made from it, and Help > Keyboard shortcuts lists it, so the two cannot
disagree. Every action is a window-level shortcut (``Qt.WindowShortcut``) added to the window
itself, never a button's own shortcut: a focused QPushButton handles Space itself as well as
firing its shortcut (a toggle would toggle twice), and ``QAbstractButton.setText`` replaces a
button's shortcut with the new text's mnemonic (QT-FACTS.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6 import QtCore, QtGui, QtWidgets


@dataclass(frozen=True)
class Command:
    name: str
    text: str
    keys: tuple[str, ...]  # QKeySequence portable text ("Ctrl+S", "Space"); the first is shown in menus; () for none
    help: str
    group: str
    #: False for keys that a panel handles itself (the stepper's pages): listed, not made into actions.
    window_action: bool = True


COMMANDS: tuple[Command, ...] = (
    Command("train", "Train", ("Space",), "Start or pause training", "Training"),
    Command("step_batch", "1 mini-batch", ("B",), "Learn from one mini-batch, then stop", "Training"),
    Command("step_epoch", "1 epoch", ("E",), "Train to the end of the current epoch, then stop", "Training"),
    Command("backprop", "Step through backpropagation…", ("Ctrl+B",),
            "Follow the nudges for the example on show, layer by layer", "Training"),
    Command("stepper_next", "Next", ("PgDown",), "Next page of the backpropagation steps", "Training",
            window_action=False),
    Command("stepper_back", "Back", ("PgUp",), "Previous page of the backpropagation steps", "Training",
            window_action=False),
    Command("next_example", "Next example", ("Right",), "Next example among those the filters let through",
            "Examples"),
    Command("previous_example", "Previous example", ("Left",), "Previous example", "Examples"),
    Command("random_example", "Random example", ("R",), "A random example among those the filters let through",
            "Examples"),
    Command("checkpoint_back", "One checkpoint back", (",",), "Timeline: one checkpoint back (pause training first)", "Timeline"),
    Command("checkpoint_on", "One checkpoint on", (".",), "Timeline: one checkpoint on", "Timeline"),
    Command("epoch_back", "One epoch back", ("Ctrl+,", "["), "Timeline: one epoch back", "Timeline"),
    Command("epoch_on", "One epoch on", ("Ctrl+.", "]"), "Timeline: one epoch on", "Timeline"),
    Command("run_start", "Start of the run", ("Home",), "Timeline: the start of the run", "Timeline"),
    Command("run_now", "The network now", ("End",), "Timeline: the network as it is now", "Timeline"),
    Command("new_network", "&New network", ("Ctrl+N",),
            "A fresh random network, of the architecture and seed under “Momentum, new network”", "Files"),
    Command("open_network", "&Open network…", ("Ctrl+O",), "Open a saved network", "Files"),
    Command("save", "&Save", ("Ctrl+S",), "Save the network", "Files"),
    Command("save_as", "Save &as…", ("Ctrl+Shift+S",), "Save the network under a new name", "Files"),
    Command("quit", "&Quit", ("Ctrl+Q",), "Close nnviz (asks first about unsaved training)", "Files"),
    Command("undo_edit", "&Undo edit", ("Ctrl+Z",), "Undo the last what-if edit of the network", "Edits"),
    Command("redo_edit", "&Redo edit", ("Ctrl+Shift+Z",), "Redo the what-if edit undone last", "Edits"),
    Command("reset_edits", "Reset &edits", (), "Back to the trained network: every what-if edit undone", "Edits"),
    Command("reset_zoom", "&Reset zoom", ("Ctrl+0",), "Fit the whole network in the view", "View"),
    Command("shortcuts", "&Keyboard shortcuts", ("F1",), "This list", "Help"),
)

BY_NAME: dict[str, Command] = {command.name: command for command in COMMANDS}


def key_text(command: Command) -> str:
    """The keys as this platform writes them ("Ctrl+S", "Space", "PgDown"); "menu only" for none."""
    if not command.keys:
        return "(menu only)"
    return " or ".join(QtGui.QKeySequence(key).toString(QtGui.QKeySequence.SequenceFormat.NativeText)
                     for key in command.keys)


def tooltip(name: str) -> str:
    command = BY_NAME[name]
    return f"{command.help} ({key_text(command)})"


def make_action(name: str, window: QtWidgets.QWidget, slot: Callable | None = None, *,
                checkable: bool = False) -> QtGui.QAction:
    """The QAction of command ``name``, added to ``window`` so that its keys work wherever the
    focus is inside it (text fields keep the keys they type)."""
    command = BY_NAME[name]
    if not command.window_action:
        raise ValueError(f"{name} is handled by its own panel, not by a window action")
    action = QtGui.QAction(command.text, window)
    if command.text.endswith("…"):
        # Toolbar buttons show the icon text, which Qt derives by dropping the "…" that says
        # "this opens something"; an explicit one keeps it (and no longer follows setText).
        action.setIconText(command.text.replace("&", ""))
    action.setObjectName(f"action_{name}")
    action.setShortcuts([QtGui.QKeySequence(key) for key in command.keys])
    action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
    action.setToolTip(tooltip(name))
    action.setStatusTip(command.help)
    action.setCheckable(checkable)
    if slot is not None:
        action.triggered.connect(slot)
    # An action works as a shortcut only while a widget it was added to is visible: the window is.
    window.addAction(action)
    return action


def shortcut_rows() -> list[tuple[str, str, str]]:
    """(group, keys, what they do) for every command, in registry order."""
    return [(command.group, key_text(command), command.help) for command in COMMANDS]
