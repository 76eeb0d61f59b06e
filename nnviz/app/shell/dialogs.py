"""Every question and file dialog the window asks, in one place: the components ask through an
instance of ``Dialogs``, and the tests answer by replacing its methods."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtWidgets

NETWORK_FILTER = "nnviz networks (*.npz);;All files (*)"
PICTURE_FILTER = "PNG image (*.png);;SVG drawing (*.svg)"
ANIMATION_FILTER = "GIF (*.gif);;WebP (*.webp);;Animated PNG (*.apng *.png);;MP4 video (*.mp4)"

Button = QtWidgets.QMessageBox.StandardButton


class Dialogs:
    """Modal questions over ``parent``; each returns the answer (a path, a button, or None)."""

    def __init__(self, parent: QtWidgets.QWidget):
        self.parent = parent

    # -- questions ----------------------------------------------------------------------------------

    def ask_unsaved(self) -> Button:
        return QtWidgets.QMessageBox.question(
            self.parent, "Unsaved training", "The network has changed since it was last saved. Save it first?",
            Button.Save | Button.Discard | Button.Cancel, Button.Save)

    def ask_branch(self, where: str) -> Button:
        return QtWidgets.QMessageBox.question(
            self.parent, "Train from this checkpoint?",
            f"Training from {where} drops what the run recorded after it (in memory; the file on disk changes "
            "only when you save).", Button.Yes | Button.Cancel, Button.Cancel)

    def ask_keep_switched_off(self, count: int) -> Button:
        neurons = "neuron" if count == 1 else f"{count} neurons"
        return QtWidgets.QMessageBox.question(
            self.parent, "Train the edited network?",
            f"The switched-off {neurons} can stay off while it trains (Yes), or learn again from where "
            "they are (No). Either way the edited network becomes the one the edits start from.",
            Button.Yes | Button.No | Button.Cancel, Button.Yes)

    def show_error(self, title: str, text: str) -> None:
        QtWidgets.QMessageBox.critical(self.parent, title, text)

    # -- files ----------------------------------------------------------------------------------------

    def open_file(self, title: str, folder: Path, filters: str = NETWORK_FILTER) -> str | None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self.parent, title, str(folder), filters)
        return path or None

    def save_file(self, title: str, suggestion: Path, filters: str = NETWORK_FILTER) -> str | None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self.parent, title, str(suggestion), filters)
        return path or None

    def folder(self, title: str, folder: Path) -> str | None:
        return QtWidgets.QFileDialog.getExistingDirectory(self.parent, title, str(folder)) or None
