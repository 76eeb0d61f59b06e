"""How the lessons write numbers (no Qt): one format per kind of number, never in exponent form,
never broken across lines.

Four kinds of number, each written one way on every page and in its questions:

- activations a, between 0 and 1: three decimals, ``0.945``;
- weights and costs: three significant digits, ``+2.54``, ``0.00512``;
- the small quantities backpropagation passes along (∂C/∂a, δ, wishes and nudges): on the page's
  common scale (``Scale``), each number carrying the scale, ``−12.3×10⁻³``;
- η and ε as typed: ``0.5``, ``3``, ``0.001``.

A number and what it names are glued with non-breaking spaces (``equals``), so that a narrow
panel never shows "w =" on one line and "+2.54" on the next.
"""

from __future__ import annotations

import math

import numpy as np

DIGITS = 3
#: At most this many decimals on a page's scale: the page's largest number is 1 or more there,
#: so this still tells apart a thousandth of it; below, a number reads 0.000.
SCALE_DECIMALS = 3
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
NBSP = "\u00a0"
#: Written after a "/" in a formula (∂C/∂a) so that a line never breaks there: a word joiner.
JOIN = "\u2060"
DC_DA = f"∂C/{JOIN}∂a"


def _fixed(value: float, decimals: int, sign: bool) -> str:
    return f"{value:+.{decimals}f}" if sign else f"{value:.{decimals}f}"


def _digits(value: float, digits: int, max_decimals: int | None, sign: bool) -> str:
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    if max_decimals is not None:
        decimals = min(decimals, max_decimals)
    text = _fixed(value, decimals, sign)
    # rounding can carry into a new digit (0.09996 -> 0.1000): one decimal fewer keeps the count
    if len(text.lstrip("+-").replace(".", "").lstrip("0")) > digits and decimals > 0:
        text = _fixed(value, decimals - 1, sign)
    return text


def significant(value: float, digits: int = DIGITS, sign: bool = True) -> str:
    """``value`` with ``digits`` significant digits in plain decimal notation, never 1e-06."""
    return _digits(float(value), digits, None, sign)


def weight(value: float) -> str:
    return significant(value)


def cost(value: float, digits: int = DIGITS) -> str:
    """A cost: three significant digits, no sign (0.00512, 1.90)."""
    return significant(value, digits, sign=False)


def activation(value: float, decimals: int = 3) -> str:
    return f"{float(value):.{decimals}f}"


def apart(before: float, after: float, write=cost, most: int = 7) -> tuple[str, str]:
    """``before`` and ``after`` written by ``write`` (a function of the value and a count of
    digits), with more digits when the usual ones would show a change as none: 0.0515 → 0.05147."""
    return tuple(apart_all([before, after], write, most))


def apart_all(values, write=cost, most: int = 7) -> list[str]:
    """A sequence written by ``write`` with one count of digits, the fewest (at least three) that
    show every change from one value to the next: 0.00512 → 0.00498 → 0.00497, never 0.005 → 0.005."""
    values = [float(v) for v in values]
    for digits in range(DIGITS, most + 1):
        texts = [write(v, digits) for v in values]
        if all(a != b or x == y for a, b, x, y in zip(texts, texts[1:], values, values[1:])):
            return texts
    return texts


def short(value: float) -> str:
    """η or ε as a person types it: up to three significant digits, no trailing zeros (0.5, 3, 0.001)."""
    text = significant(value, sign=False)
    return text.rstrip("0").rstrip(".") if "." in text else text


def equals(name: str, value: str) -> str:
    """``name = value`` that never breaks across lines."""
    return f"{name}{NBSP}={NBSP}{value}"


def keep(text: str) -> str:
    """Plain ``text`` (no tags) whose words stay on one line: "neuron 14 of hidden layer 2"."""
    return text.replace(" ", NBSP)


def common_exponent(values) -> int:
    """A multiple of 3, at most 0, that brings the largest |value| to 1 or more: nudges of ~0.004 -> -3."""
    largest = float(np.max(np.abs(values))) if np.size(values) else 0.0
    if largest == 0 or largest >= 1 or not math.isfinite(largest):
        return 0
    return 3 * math.floor(math.log10(largest) / 3)


def scale_label(exponent: int) -> str:
    return "" if exponent == 0 else f"×10{str(exponent).translate(SUPERSCRIPTS)}"


class Scale:
    """Numbers of one page on one common scale: shown as value / 10^exponent, each with its scale.

    The scale goes with every number it changes ("−12.3×10⁻³"), not only in the heading: beside
    a plain number a bare "−12.3" would read as a mismatch. Three significant digits, at most
    three decimals: a δ of 2×10⁻¹² on a page of thousandths reads +0.000×10⁻³, not
    +0.00000000218×10⁻³.
    """

    def __init__(self, *arrays):
        self.exponent = common_exponent(np.concatenate([np.ravel(a) for a in arrays]) if arrays else [])

    def __call__(self, value: float, sign: bool = True) -> str:
        if value == 0:
            return "0"  # 0 on any scale
        return _digits(float(value) / 10.0 ** self.exponent, DIGITS, SCALE_DECIMALS, sign) + scale_label(self.exponent)

    @property
    def heading(self) -> str:
        """Say the scale once, in the heading: "(in thousandths, ×10⁻³)", or nothing at scale 1."""
        if not self.exponent:
            return ""
        named = {-3: "thousandths", -6: "millionths", -9: "billionths"}.get(self.exponent)
        return f" ({'in ' + named + ', ' if named else ''}{scale_label(self.exponent)})"
