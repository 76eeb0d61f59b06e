"""What the window says in passing, in its status bar: how long each kind of message stays."""

from __future__ import annotations

from enum import IntEnum

from PySide6 import QtCore, QtGui, QtWidgets


class Lasting(IntEnum):
    """How long a status message stays, in milliseconds (0: until the next one)."""

    BRIEF = 3000       # a move that worked: "Saved …", "Applied the step"
    NOTICE = 4000      # something to look at: an export, a filter that found nothing
    WARNING = 6000     # a refusal: "Pause training before editing the network"
    REPORT = 8000      # a result worth reading: an edit's effect on the accuracy, a file's note
    STAYS = 0          # start-up notes


class Status(QtCore.QObject):
    """The status bar's passing messages (its permanent read-out is the training component's).

    A hover hint (a control's status tip) longer than the room left of the read-out ends in "…"
    instead of being cut off against it mid-word.
    """

    def __init__(self, bar: QtWidgets.QStatusBar):
        super().__init__(bar)
        self.bar = bar
        #: The last message said, whole, as shown (shortened to its room), and for how long.
        self._said = self._shown = ""
        self._lasting = 0
        bar.window().installEventFilter(self)
        bar.installEventFilter(self)
        bar.messageChanged.connect(self._on_message_changed)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if watched is self.bar and event.type() in (QtCore.QEvent.Type.Show, QtCore.QEvent.Type.Resize):
            # A message said before the window was shown (the start-up notes), or when it was
            # another size, is fitted to its room again once the bar has laid that room out.
            QtCore.QTimer.singleShot(0, self._refit)
            return False
        if event.type() != QtCore.QEvent.Type.StatusTip or not event.tip():
            return False
        self.bar.showMessage(self._fitted(event.tip()))
        return True

    def _room(self) -> int:
        """Pixels the message may take: up to the leftmost visible permanent widget, less a gap."""
        lefts = [w.x() for w in self.bar.findChildren(QtWidgets.QWidget, options=QtCore.Qt.FindChildOption.FindDirectChildrenOnly)
                 if w.isVisible() and w.x() > self.bar.width() // 3]
        return max(0, min(lefts, default=self.bar.width()) - 24)

    def say(self, text: str, lasting: Lasting = Lasting.NOTICE) -> None:
        """Show ``text`` for ``lasting``; one longer than its room (a small window) ends in "…",
        and the status bar's tooltip says it whole."""
        self._said, self._lasting = text, int(lasting)
        self._show(self._fitted(text))

    def _fitted(self, text: str) -> str:
        room = self._room() if self.bar.isVisible() else 0
        return QtGui.QFontMetrics(self.bar.font()).elidedText(text, QtCore.Qt.TextElideMode.ElideRight, room) \
            if room else text

    def _show(self, shown: str) -> None:
        self._shown = shown
        self.bar.showMessage(shown, self._lasting)
        self.bar.setToolTip(self._said if shown != self._said else "")

    def _refit(self) -> None:
        # (a timed message shown again lasts its time again: the cost of not cutting it off)
        if self._said and self.bar.currentMessage() == self._shown:
            shown = self._fitted(self._said)
            if shown != self._shown:
                self._show(shown)

    def current(self) -> str:
        """The message shown now, whole."""
        message = self.bar.currentMessage()
        return self._said if message and message == self._shown else message

    def _on_message_changed(self, message: str) -> None:
        if message != self._shown:
            self.bar.setToolTip("")
