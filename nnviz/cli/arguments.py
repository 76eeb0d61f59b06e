"""argparse types shared by the commands: each refuses a bad value with a message for the user."""

from __future__ import annotations

import argparse

from ..animation.options import MAX_SIZE, MIN_SIZE


def sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, like 784,16,16,10, not {text!r}") from None
    if len(sizes) < 2 or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"need at least two layers of at least one neuron, not {text!r}")
    return sizes


def number(convert, valid, expected: str):
    """An argparse type: ``convert`` the text, and refuse it unless ``valid`` says yes."""

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or not valid(value):
            raise argparse.ArgumentTypeError(f"expected {expected}, not {text!r}")
        return value

    return parse


positive_int = number(int, lambda v: v >= 1, "a whole number of at least 1")
positive_float = number(float, lambda v: 0 < v < float("inf"), "a positive number")
momentum = number(float, lambda v: 0 <= v < 1, "a number in [0, 1)")
non_negative_int = number(int, lambda v: v >= 0, "a whole number of at least 0")
non_negative_float = number(float, lambda v: 0 <= v < float("inf"), "a number of at least 0")


def frame_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    try:
        size = (int(width), int(height))
    except ValueError:
        size = None
    if size is None or not (MIN_SIZE[0] <= size[0] <= MAX_SIZE[0] and MIN_SIZE[1] <= size[1] <= MAX_SIZE[1]):
        low, high = "x".join(map(str, MIN_SIZE)), "x".join(map(str, MAX_SIZE))
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT from {low} to {high}, like 1280x720, not {text!r}")
    return size


