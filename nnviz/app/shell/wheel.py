"""The mouse wheel scrolls a panel, never a value the pointer happens to pass over.

A spin box, combo box or slider inside a scroll area takes the wheel only once it has the focus
(clicked or tabbed to); until then the wheel goes to the scroll area, as it does in a browser's
form. Without this, scrolling the left panel changed the example number under the pointer.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

#: The widgets whose value a wheel turn changes.
VALUE_WIDGETS = (QtWidgets.QAbstractSpinBox, QtWidgets.QComboBox, QtWidgets.QAbstractSlider)


class WheelGuard(QtCore.QObject):
    """Installed on the value widgets of one scroll area (``guard``); their unfocused wheel turns
    scroll the area instead."""

    def __init__(self, area: QtWidgets.QAbstractScrollArea):
        super().__init__(area)
        self._area = area

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.Wheel and not watched.hasFocus():
            QtCore.QCoreApplication.sendEvent(self._area.verticalScrollBar(), event)
            return True
        return False

    def guard(self) -> None:
        """Watch every value widget now in the area (scroll bars of its own excluded)."""
        bars = {self._area.verticalScrollBar(), self._area.horizontalScrollBar()}
        for widget in self._area.findChildren(QtWidgets.QWidget):
            if isinstance(widget, VALUE_WIDGETS) and widget not in bars:
                widget.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)  # a wheel turn gives no focus
                widget.installEventFilter(self)


def scroll_before_values(area: QtWidgets.QAbstractScrollArea) -> WheelGuard:
    guard = WheelGuard(area)
    guard.guard()
    return guard
