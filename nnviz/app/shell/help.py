"""Help: the keyboard shortcuts (from the one registry in actions.py), About, the window's icon."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from ...version import version
from . import actions
from .actions import Actions

ICON = Path(__file__).with_name("icon.svg")


def window_icon() -> QtGui.QIcon:
    return QtGui.QIcon(str(ICON))


def shortcuts_html() -> str:
    rows, group = [], None
    for name, keys, text in actions.shortcut_rows():
        if name != group:
            rows.append(f"<tr><td colspan=2 style='padding-top:8px'><b>{html.escape(name)}</b></td></tr>")
            group = name
        rows.append(f"<tr><td style='padding-right:16px'><code>{html.escape(keys)}</code></td>"
                    f"<td>{html.escape(text, quote=False)}</td></tr>")
    return ("<table cellspacing=2>" + "".join(rows) + "</table>"
            "<p>Keys work wherever the focus is, except that a text or number field keeps the keys it types.</p>"
            "<p>Mouse: scroll over the network to zoom, drag to pan; click a neuron to follow its edges, "
            "click empty space to see every edge again; hover a neuron for its numbers.</p>")


def about_html() -> str:
    return (f"<h3>nnviz {html.escape(version())}</h3>"
            "<p>Watch a neural network think and learn: the 784-16-16-10 MNIST perceptron, drawn whole, "
            "learning by mini-batch stochastic gradient descent.</p>"
            "<p>Code: MIT license.</p>"
            "<p>Data: the MNIST database of handwritten digits by Yann LeCun, Corinna Cortes and "
            "Christopher J.C. Burges, distributed under the Creative Commons Attribution-Share Alike 3.0 "
            "license (CC BY-SA 3.0).</p>")


class _TextDialog(QtWidgets.QDialog):
    def __init__(self, title: str, text: str, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.label = QtWidgets.QLabel(text)
        self.label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(self.label)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)


class ShortcutsDialog(_TextDialog):
    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__("Keyboard shortcuts", shortcuts_html(), parent)
        self.resize(520, 560)


class AboutDialog(_TextDialog):
    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__("About nnviz", about_html(), parent)
        icon = QtWidgets.QLabel()
        icon.setPixmap(window_icon().pixmap(64, 64))
        self.layout().insertWidget(0, icon, alignment=QtCore.Qt.AlignmentFlag.AlignHCenter)
        self.resize(440, 340)


class HelpComponent(QtCore.QObject):
    """Help > Keyboard shortcuts (F1) and Help > About nnviz: modeless dialogs over ``window``,
    deleted when closed; the one shown last is ``dialog``."""

    def __init__(self, actions: Actions, window: QtWidgets.QWidget):
        super().__init__(window)
        self.window = window
        self.dialog: QtWidgets.QDialog | None = None
        actions.serve("shortcuts", self.show_shortcuts)
        actions.serve("about", self.show_about)

    def show_shortcuts(self) -> None:
        self._show(ShortcutsDialog(self.window))

    def show_about(self) -> None:
        self._show(AboutDialog(self.window))

    def _show(self, dialog: QtWidgets.QDialog) -> None:
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.dialog = dialog
