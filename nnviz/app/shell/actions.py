"""Every command of the window in one registry: its text, keys, menu and what it does.

The window's QActions and its menus are made from it, and Help > Keyboard shortcuts lists it, so
the three cannot disagree. A component finds its actions by name (``actions["save"]``), never by
their text. Every action is a window-level shortcut (``Qt.WindowShortcut``) added to the window
itself, never a button's own shortcut: a focused QPushButton handles Space itself as well as
firing its shortcut (a toggle would toggle twice), and ``QAbstractButton.setText`` replaces a
button's shortcut with the new text's mnemonic (QT-FACTS.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6 import QtCore, QtGui, QtWidgets

FILE, EDIT, VIEW, HELP = "&File", "&Edit", "&View", "&Help"
MENUS = (FILE, EDIT, VIEW, HELP)


@dataclass(frozen=True)
class Command:
    name: str
    text: str
    keys: tuple[str, ...]  # QKeySequence portable text ("Ctrl+S", "Space"); the first is shown in menus; () for none
    help: str
    group: str
    #: The menu it is listed in (one of MENUS), or None; ``section`` groups entries between separators.
    menu: str | None = None
    section: int = 0
    checkable: bool = False
    #: False for keys that a panel handles itself (the stepper's pages): listed, not made into actions.
    window_action: bool = True
    #: A submenu (Open recent) rather than an entry.
    submenu: bool = False


COMMANDS: tuple[Command, ...] = (
    Command("train", "Train", ("Space",), "Start or pause training. Train stops once Epochs epochs are done in all; "
            "on a network trained that far already, it trains Epochs more", "Training", checkable=True),
    Command("step_batch", "1 mini-batch", ("B",), "Learn from one mini-batch, then stop", "Training"),
    Command("step_epoch", "1 epoch", ("E",), "Train to the end of the current epoch, then stop", "Training"),
    Command("slow_motion", "Slow motion", ("M",), "Train one step at a time: each step's mini-batch, its cost "
            "before and after, and how much it changed each weight and bias, drawn on the network", "Training",
            checkable=True),
    Command("backprop", "Step through backpropagation…", ("Ctrl+B",),
            "Follow the nudges for the example on show, layer by layer", "Training"),
    Command("stepper_next", "Next", ("PgDown",), "Next page of the backpropagation steps", "Training",
            window_action=False),
    Command("stepper_back", "Back", ("PgUp",), "Previous page of the backpropagation steps", "Training",
            window_action=False),
    Command("stepper_play", "Play", ("Space",), "Play or pause the backpropagation steps (training waits until "
            "they are closed)", "Training", window_action=False),
    Command("stepper_close", "Done", ("Escape",), "Leave the backpropagation steps", "Training",
            window_action=False),
    Command("next_example", "Next example", ("Right",), "Next example among those the filters let through",
            "Examples"),
    Command("previous_example", "Previous example", ("Left",), "Previous example", "Examples"),
    Command("random_example", "Random example", ("R",), "A random example among those the filters let through",
            "Examples"),
    Command("checkpoint_back", "One checkpoint back", (",",), "Timeline: one checkpoint back (pause training first)",
            "Timeline"),
    Command("checkpoint_on", "One checkpoint on", (".",), "Timeline: one checkpoint on", "Timeline"),
    Command("epoch_back", "One epoch back", ("Ctrl+,", "["), "Timeline: one epoch back", "Timeline"),
    Command("epoch_on", "One epoch on", ("Ctrl+.", "]"), "Timeline: one epoch on", "Timeline"),
    Command("run_start", "Start of the run", ("Home",), "Timeline: the start of the run", "Timeline"),
    Command("run_now", "The network now", ("End",), "Timeline: the network as it is now", "Timeline"),
    Command("new_network", "&New network", ("Ctrl+N",),
            "A fresh random network, of the architecture and seed under “Momentum, new network”", "Files",
            menu=FILE, section=0),
    Command("open_network", "&Open network…", ("Ctrl+O",), "Open a saved network", "Files", menu=FILE, section=0),
    Command("open_recent", "Open &recent", (), "Open one of the networks opened or saved last", "Files", menu=FILE,
            section=0, submenu=True),
    Command("save", "&Save", ("Ctrl+S",), "Save the network", "Files", menu=FILE, section=1),
    Command("save_as", "Save &as…", ("Ctrl+Shift+S",), "Save the network under a new name", "Files", menu=FILE,
            section=1),
    Command("open_dataset", "Open &dataset…", (), "Show another dataset in MNIST's four-file layout", "Files",
            menu=FILE, section=2),
    Command("compare_with", "&Compare with…", (), "Open a second run beside this one", "Files", menu=FILE, section=3),
    Command("close_comparison", "C&lose comparison", (), "Close the second run", "Files", menu=FILE, section=3),
    Command("export_picture", "&Export network picture…", (), "The network as a PNG or SVG picture", "Files",
            menu=FILE, section=4),
    Command("export_plots", "Export &plots…", (), "The training plots as PNG or SVG", "Files", menu=FILE, section=4),
    Command("export_animation", "Export &animation…", (), "The run replayed, or the backpropagation walk, as a GIF, "
            "WebP, APNG or MP4", "Files", menu=FILE, section=4),
    Command("quit", "&Quit", ("Ctrl+Q",), "Close nnviz (asks first about unsaved training)", "Files", menu=FILE,
            section=5),
    Command("undo_edit", "&Undo", ("Ctrl+Z",), "Undo the last what-if edit or applied step of the network", "Edits",
            menu=EDIT),
    Command("redo_edit", "&Redo", ("Ctrl+Shift+Z",), "Redo the edit or step undone last", "Edits", menu=EDIT),
    Command("reset_edits", "Reset &edits", (), "Back to the trained network: every edit and applied step undone",
            "Edits", menu=EDIT),
    Command("reset_zoom", "&Reset zoom", ("Ctrl+0",), "Fit the whole network in the view", "View", menu=VIEW),
    Command("valley_in_front", "&Valley in the network's place", ("V",), "Show the cost valley large, where the "
            "network is, with the timeline under it; again to bring the network back", "View", menu=VIEW,
            checkable=True),
    Command("edges_and_loops", "&Edges and loops?…", (), "Does the first hidden layer detect edges and lines, "
            "as the article hopes? The evidence for the network on show", "Help", menu=HELP),
    Command("shortcuts", "&Keyboard shortcuts", ("F1",), "This list", "Help", menu=HELP, section=1),
    Command("about", "&About nnviz", (), "Where nnviz comes from, and its licenses", "Help", menu=HELP, section=1),
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


def shortcut_rows() -> list[tuple[str, str, str]]:
    """(group, keys, what they do) for every command, in registry order."""
    return [(command.group, key_text(command), command.help) for command in COMMANDS]


def make_action(name: str, owner: QtCore.QObject, slot: Callable | None = None) -> QtGui.QAction:
    """The QAction of command ``name``, owned by ``owner`` (which must add it to a widget for its
    keys to work: ``Actions`` adds every one to the window)."""
    command = BY_NAME[name]
    if not command.window_action:
        raise ValueError(f"{name} is handled by its own panel, not by a window action")
    action = QtGui.QAction(command.text, owner)
    if command.text.endswith("…"):
        # Toolbar buttons show the icon text, which Qt derives by dropping the "…" that says
        # "this opens something"; an explicit one keeps it (and no longer follows setText).
        action.setIconText(command.text.replace("&", ""))
    action.setObjectName(f"action_{name}")
    action.setShortcuts([QtGui.QKeySequence(key) for key in command.keys])
    action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
    action.setToolTip(tooltip(name))
    action.setStatusTip(command.help)
    action.setCheckable(command.checkable)
    if slot is not None:
        action.triggered.connect(slot)
    return action


class Actions:
    """Every window command of the registry as a QAction of ``window``, and its menus.

    A component connects the actions it serves by name; an action nobody serves stays disabled.
    """

    def __init__(self, window: QtWidgets.QMainWindow):
        self._actions: dict[str, QtGui.QAction] = {}
        self._menus: dict[str, QtWidgets.QMenu] = {}
        for command in COMMANDS:
            if not command.window_action:
                continue
            if command.submenu:
                menu = QtWidgets.QMenu(command.text, window)
                menu.setObjectName(f"menu_{command.name}")
                self._menus[command.name] = menu
                continue
            action = make_action(command.name, window)
            action.setEnabled(False)
            # Its keys work wherever the focus is inside the window (text fields keep the keys they type).
            window.addAction(action)
            self._actions[command.name] = action

    def __getitem__(self, name: str) -> QtGui.QAction:
        return self._actions[name]

    def submenu(self, name: str) -> QtWidgets.QMenu:
        return self._menus[name]

    def serve(self, name: str, slot: Callable[[], object]) -> QtGui.QAction:
        """Run ``slot`` (with no argument) when command ``name`` is triggered; enables it."""
        action = self._actions[name]
        action.triggered.connect(slot)
        action.setEnabled(True)
        return action

    def build_menus(self, bar: QtWidgets.QMenuBar) -> dict[str, QtWidgets.QMenu]:
        """The menu bar's menus, their entries in registry order, sections between separators."""
        menus = {title: bar.addMenu(title) for title in MENUS}
        last_section: dict[str, int] = {}
        for command in COMMANDS:
            if command.menu is None or not command.window_action:
                continue
            menu = menus[command.menu]
            if command.menu in last_section and last_section[command.menu] != command.section:
                menu.addSeparator()
            last_section[command.menu] = command.section
            if command.submenu:
                menu.addMenu(self._menus[command.name])
            else:
                menu.addAction(self._actions[command.name])
        return menus
