"""Where the window opens the first time: a pure function of the screen's available area."""

from __future__ import annotations

from typing import NamedTuple

#: The size the window asks for on a large screen.
PREFERRED = (1500, 920)
#: The most of the available area a first launch takes: the window manager's frame, the panel
#: and a margin stay visible around it.
FRACTION = 0.9


class Rect(NamedTuple):
    x: int
    y: int
    width: int
    height: int


def first_launch(available: Rect, preferred: tuple[int, int] = PREFERRED) -> Rect:
    """The window's rectangle (its contents, without the frame): ``preferred`` at most, no more
    than FRACTION of ``available`` in either direction, centred in it."""
    width = min(preferred[0], int(available.width * FRACTION))
    height = min(preferred[1], int(available.height * FRACTION))
    return Rect(available.x + (available.width - width) // 2, available.y + (available.height - height) // 2,
                width, height)


def fits(window: Rect, available: Rect) -> bool:
    """Whether a remembered window lies wholly inside ``available`` (a screen may have shrunk)."""
    return (window.x >= available.x and window.y >= available.y
            and window.x + window.width <= available.x + available.width
            and window.y + window.height <= available.y + available.height)
