"""A page (a tab's) whose view is made the first time it is shown or asked for.

Most of a window's tabs stay hidden for a whole session, and their plots are most of what making
a window costs (``python -m benchmarks.window_making``): a person waits for them at start-up, and
the test suite makes hundreds of windows. A component that draws such a view holds the page: it
asks ``page.view`` when it draws (which makes the view), connects to the view's signals in
``page.when_made``, and asks the page, not the view, whether it is visible.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6 import QtWidgets

View = TypeVar("View", bound=QtWidgets.QWidget)


class Later(QtWidgets.QWidget, Generic[View]):
    def __init__(self, make: Callable[[], View], parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._make: Callable[[], View] | None = make
        self._view: View | None = None
        self._waiting: list[Callable[[View], None]] = []
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def view(self) -> View:
        """The view, made now if it was not yet."""
        if self._view is None:
            make, self._make = self._make, None
            self._view = make()
            self.layout().addWidget(self._view)
            waiting, self._waiting = self._waiting, []
            for call in waiting:  # before it is shown: they may watch its pages being shown
                call(self._view)
            if self.isVisible():
                self._view.show()  # now, not when the layout gets to it: whoever asked draws it now
        return self._view

    def made(self) -> bool:
        return self._view is not None

    def when_made(self, call: Callable[[View], None]) -> None:
        """Call ``call(view)`` once the view is made (now, if it is)."""
        if self._view is not None:
            call(self._view)
        else:
            self._waiting.append(call)

    def showEvent(self, event) -> None:
        self.view  # noqa: B018 (made as it is first shown)
        super().showEvent(event)


def later_view(page: str, doc: str) -> property:
    """A read-only attribute for the view of the ``Later`` page held in attribute ``page`` (made
    when read, if it was not yet)."""
    return property(lambda owner: getattr(owner, page).view, doc=doc)
