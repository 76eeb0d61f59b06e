"""The tab "What the network sees": what a 0 … 9 looks like to the network (the ten output
dreams), the example on show changed until the network reads another digit, and static it reads
as each digit, on pages of their own (a bottom tab is short), each with a note below it when what
it shows is out of date.

A pure view: the three pages are ``dreams.DigitStrip`` and ``fooling.FoolingPanel``; the
component fills them and says what a note says.
"""

from __future__ import annotations

from PySide6 import QtWidgets

from .dreams import DigitStrip
from .fooling import FoolingPanel

OUTPUTS_PAGE, FOOLING_PAGE, STATIC_PAGE = range(3)
PAGES = ("What each digit looks like", "Fool it", "Static it reads as digits")


class SeeingPage(QtWidgets.QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.outputs = DigitStrip.output_dreams()
        self.fooling = FoolingPanel()
        self.static = DigitStrip.static()
        self.pages = QtWidgets.QTabWidget()
        self.pages.setDocumentMode(True)
        self.notes: list[QtWidgets.QLabel] = []
        for view, title in zip((self.outputs, self.fooling, self.static), PAGES):
            note = QtWidgets.QLabel()
            note.setObjectName("dim")
            note.setWordWrap(True)
            note.hide()
            page = QtWidgets.QWidget()
            column = QtWidgets.QVBoxLayout(page)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(0)
            column.addWidget(view, 1)
            column.addWidget(note)
            self.notes.append(note)
            self.pages.addTab(page, title)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def show_note(self, page: int, text: str) -> None:
        """A line under page ``page`` (OUTPUTS_PAGE, FOOLING_PAGE, STATIC_PAGE); "" hides it."""
        note = self.notes[page]
        note.setText(text)
        note.setVisible(bool(text))
