"""Where the valley lives in the window: a bottom tab, or the network's place.

``ValleyPanel`` is the valley's two pages: the run's valley (``ValleyView``) and a race of
gradient descent against SGD (``RaceView``). ``ValleyTab`` is the bottom tab that holds the
panel; ``show_in_front(True)`` moves the panel into ``stage`` (a stacked widget whose first page
is the network) and leaves a line in the tab saying where it went.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from .later import Later
from .valley import ValleyView
from .valley_race import RaceView


class ValleyPanel(QtWidgets.QStackedWidget):
    """The run's valley (``valley``) or the race (``race``): ``show_race(on)`` chooses."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.valley_page = Later(ValleyView)
        self.addWidget(self.valley_page)
        self._race: RaceView | None = None

    @property
    def valley(self) -> ValleyView:
        """The run's valley, made when first shown (or now): most windows never show it."""
        return self.valley_page.view

    @property
    def race(self) -> RaceView:
        """The race's page, made the first time it is needed (most windows never run a race, and
        its valley and plot are an eighth of making a window)."""
        if self._race is None:
            self._race = RaceView()
            self.addWidget(self._race)
        return self._race

    def show_race(self, on: bool) -> None:
        self.setCurrentWidget(self.race if on else self.valley_page)


class ValleyTab(QtWidgets.QWidget):
    """The bottom tab of the valley: the panel itself, or, while the panel is in the network's
    place (``stage``), a line that says so."""

    def __init__(self, panel: ValleyPanel, stage: QtWidgets.QStackedWidget, parent=None):
        super().__init__(parent)
        self.panel, self.stage = panel, stage
        self.in_front = False
        self.note = QtWidgets.QLabel("The valley is shown large, in the network's place. "
                                     "Press V (View > Valley in the network's place) to bring the network back.")
        self.note.setWordWrap(True)
        self.note.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.note.hide()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(panel)
        layout.addWidget(self.note)

    def show_in_front(self, on: bool) -> None:
        """Move the panel into the network's place (True) or back into this tab."""
        if on == self.in_front:
            return
        self.in_front = on
        if on:
            self.layout().removeWidget(self.panel)
            self.stage.addWidget(self.panel)
            self.stage.setCurrentWidget(self.panel)
        else:
            self.stage.removeWidget(self.panel)
            self.stage.setCurrentIndex(0)
            self.layout().insertWidget(0, self.panel)
        self.panel.show()
        self.note.setVisible(on)
