"""What every component of the window is: a QObject that takes exactly what it needs in its
constructor, follows the model's events with its own bound methods, and lets go of the model
when the window closes (a model may outlive its window: tests build a second one from it)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore

from ...model import WindowModel


class Component(QtCore.QObject):
    def __init__(self, model: WindowModel, parent: QtCore.QObject):
        super().__init__(parent)
        self.model = model
        self._followed: list[tuple[str, Callable]] = []

    def follow(self, handler: Callable, *events: str) -> None:
        """Call ``handler(cause)`` after each of the model's ``events``."""
        for name in events:
            getattr(self.model.events, name).connect(handler)
            self._followed.append((name, handler))

    def detach(self) -> None:
        """Stop following the model (the window is closing)."""
        for name, handler in self._followed:
            getattr(self.model.events, name).disconnect(handler)
        self._followed.clear()


class _Shown(QtCore.QObject):
    """Calls back when its widget is shown (a tab brought to the front, a dock opened)."""

    def __init__(self, widget: QtCore.QObject, callback: Callable[[], None], parent: QtCore.QObject):
        super().__init__(parent)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.Show:
            self._callback()
        return False


class Lazy:
    """A redraw that only a visible view gets: hidden, it is remembered and done when the view
    is shown (a timeline move must not pay for a tab nobody looks at)."""

    def __init__(self, view, redraw: Callable[[], None], owner: QtCore.QObject):
        self.view, self._redraw = view, redraw
        self.stale = True
        self._watch = _Shown(view, self._on_shown, owner)

    def __call__(self) -> None:
        if self.view.isVisible():
            self.stale = False
            self._redraw()
        else:
            self.stale = True

    def _on_shown(self) -> None:
        if self.stale:
            self.stale = False
            self._redraw()
