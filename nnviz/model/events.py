"""A tiny event system: plain Python callbacks, in the manner of napari's ``EmitterGroup``.

The model fires an event after it changed; views connect a handler (``_on_<thing>``) that reads
the new state from the model. Every event carries the ``Cause`` of the change, so that a view
can tell a training snapshot (which it may redraw at its own pace) from anything else. No Qt
here, so that the model can be tested, and used, without a window.

A handler that raises does not stop the others: the error goes to ``on_handler_error`` (the app
shows it as a crash line, the tests fail on it) and the event carries on.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

Callback = Callable[[Any], None]

_log = logging.getLogger("nnviz.model")


def _log_error(event: str, error: BaseException) -> None:
    _log.error("a handler of the %r event failed", event, exc_info=error)


#: Called with (event name, exception) when a handler raises; replaced by the app and the tests.
on_handler_error: Callable[[str, BaseException], None] = _log_error


class Event:
    """One kind of change. ``emit(cause)`` calls every connected callback with ``cause``."""

    def __init__(self, name: str):
        self.name = name
        self._callbacks: list[Callback] = []

    def connect(self, callback: Callback) -> Callback:
        if callback not in self._callbacks:
            self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callback) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, cause: Any = None) -> None:
        # A copy: a callback may connect or disconnect others while the event is delivered.
        for callback in list(self._callbacks):
            try:
                callback(cause)
            except Exception as error:  # noqa: BLE001 - one failing view must not leave the others stale
                on_handler_error(self.name, error)

    def __len__(self) -> int:
        return len(self._callbacks)


class EventGroup:
    """A named set of events: ``group.network.connect(...)``, ``group.network.emit(...)``."""

    def __init__(self, *names: str):
        self._names = names
        for name in names:
            setattr(self, name, Event(name))

    @property
    def names(self) -> tuple[str, ...]:
        return self._names

    def disconnect_owner(self, owner: object) -> None:
        """Drop every callback that is a bound method of ``owner`` (a view going away)."""
        for name in self._names:
            event: Event = getattr(self, name)
            event._callbacks = [c for c in event._callbacks if getattr(c, "__self__", None) is not owner]
