"""A tiny event system: plain Python callbacks, in the manner of napari's ``EmitterGroup``.

The model fires an event after it changed; views connect a handler (``_on_<thing>``) that reads
the new value. No Qt here, so that the model can be tested, and used, without a window.
"""

from __future__ import annotations

from typing import Any, Callable

Callback = Callable[[Any], None]


class Event:
    """One kind of change. ``emit(value)`` calls every connected callback with ``value``."""

    def __init__(self, name: str):
        self.name = name
        self._callbacks: list[Callback] = []
        self._blocked = 0

    def connect(self, callback: Callback) -> Callback:
        if callback not in self._callbacks:
            self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callback) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, value: Any = None) -> None:
        if self._blocked:
            return
        # A copy: a callback may connect or disconnect others while the event is delivered.
        for callback in list(self._callbacks):
            callback(value)

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
