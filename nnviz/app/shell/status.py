"""What the window says in passing, in its status bar: how long each kind of message stays."""

from __future__ import annotations

from enum import IntEnum

from PySide6 import QtWidgets


class Lasting(IntEnum):
    """How long a status message stays, in milliseconds (0: until the next one)."""

    BRIEF = 3000       # a move that worked: "Saved …", "Applied the step"
    NOTICE = 4000      # something to look at: an export, a filter that found nothing
    WARNING = 6000     # a refusal: "Pause training before editing the network"
    REPORT = 8000      # a result worth reading: an edit's effect on the accuracy, a file's note
    STAYS = 0          # start-up notes


class Status:
    """The status bar's passing messages (its permanent read-out is the training component's)."""

    def __init__(self, bar: QtWidgets.QStatusBar):
        self.bar = bar

    def say(self, text: str, lasting: Lasting = Lasting.NOTICE) -> None:
        self.bar.showMessage(text, int(lasting))

    def current(self) -> str:
        return self.bar.currentMessage()
