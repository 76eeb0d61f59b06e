"""What an exported animation is made of, typed once for the window and ``nnviz animate``: the
example it reads, its frame size, frames a second and length. No Qt here."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.data import Dataset
from ..core.errors import NnvizError
from ..core.naming import from_shown, shown

DEFAULT_SIZE = (1280, 720)
DEFAULT_FPS = 12
DEFAULT_SECONDS = 10.0
#: The walk through backpropagation holds each of its pages this long.
DEFAULT_SECONDS_PER_PAGE = 4.0
MAX_FRAMES = 10_000
#: The frame sizes ``nnviz animate`` accepts (the window's dialog offers the same).
MIN_SIZE = (320, 240)
MAX_SIZE = (3840, 2160)


@dataclass(frozen=True)
class Example:
    """One example of a split: ``index`` counts from 0; on the command line and in the caption it
    is ``split:number``, counting from 1 as the window does (``core.naming``)."""

    split: str
    index: int

    @classmethod
    def parse(cls, text: str, dataset: Dataset) -> Example:
        """``test:1`` (the test set's first example), ``validation:5``, or a bare number into the test set."""
        split, _, number = text.rpartition(":")
        split = split or "test"
        if split not in ("train", "validation", "test"):
            raise NnvizError(f"--example {text}: the split must be train, validation or test, not {split!r}")
        try:
            i = from_shown(int(number))
        except ValueError:
            raise NnvizError(f"--example {text}: expected split:number, like test:1") from None
        size = len(dataset.split(split))
        if not 0 <= i < size:
            raise NnvizError(f"--example {text}: the {split} set has examples 1..{size}")
        return cls(split, i)

    def describe(self) -> str:
        return f"{self.split} example {shown(self.index):,}"


def frame_count(fps: float, seconds: float) -> int:
    frames = round(fps * seconds)
    if not 1 <= frames <= MAX_FRAMES:
        raise NnvizError(f"{fps:g} frames a second for {seconds:g} s is {frames} frames; nnviz makes 1 to {MAX_FRAMES:,}")
    return frames
