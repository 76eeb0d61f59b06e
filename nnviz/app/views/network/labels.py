"""The value written inside a neuron: as many digits as its circle holds, or none.

No Qt: widths come from a table of character widths (in ems) wide enough for the common sans
fonts, so a label chosen here fits whatever font the window ends up with; a render test checks
it against the real font.
"""

from __future__ import annotations

import math

#: Pixel size of the values' font.
FONT_PX = 9
#: Character widths in ems, rounded up from DejaVu Sans, the widest common sans.
_WIDTHS = {**dict.fromkeys("0123456789", 0.64), ".": 0.33, "-": 0.42, "?": 0.54, "k": 0.58, "M": 0.87,
           "G": 0.78, "T": 0.62, "e": 0.62}
#: Height of the ink of digits in ems (they are centred by their ink, not their line).
INK_HEIGHT = 0.76
#: Pixels kept free between the text and the circle's edge (its outline).
MARGIN_PX = 1.5
#: Activations whose values cannot leave a range: formatting clips float noise to it.
_RANGES = {"sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0), "tanh": (-1.0, 1.0)}


def text_width(text: str, font_px: float = FONT_PX) -> float:
    """How wide ``text`` is at most, in pixels, in a font of ``font_px`` pixels."""
    return sum(_WIDTHS.get(c, 0.9) for c in text) * font_px


def candidates(value: float, activation: str = "sigmoid") -> list[str]:
    """Ways to write ``value``, most precise first: ``0.83``, ``0.8``; ``4.2``, ``4``; ``420``; ``42k``.

    Never a bare leading dot: in a small circle ``.8`` reads as ``8``; a circle too small for
    ``0.8`` gets no text rather than that.
    """
    if not math.isfinite(value):
        return ["?"]
    low, high = _RANGES.get(activation, (-math.inf, math.inf))
    value = min(max(value, low), high)
    size = abs(value)
    if size < 0.995:
        texts = [f"{size:.2f}", f"{size:.1f}"]
    elif size < 9.95:
        texts = [f"{size:.1f}", f"{size:.0f}"]
    elif size < 999.5:
        texts = [f"{size:.0f}"]
    else:
        texts = []
        for power, suffix in ((3, "k"), (6, "M"), (9, "G"), (12, "T")):
            if size / 10**power < 999.5:
                texts = [f"{size / 10**power:.0f}{suffix}"]
                break
        texts = texts or [f"{size:.0e}".replace("e+", "e")]
    if value == 0:
        texts = ["0"]
    sign = "-" if value < 0 else ""
    return [sign + t if t.strip("0.") else t for t in texts]


def label_for(value: float, activation: str, diameter_px: float, font_px: float = FONT_PX) -> str | None:
    """The text for ``value`` inside a circle ``diameter_px`` across, or None when none fits.

    The text's box (its width by the digits' ink height) must fit inside the circle less a margin:
    width² + height² ≤ (diameter - 2·margin)².
    """
    room = diameter_px - 2 * MARGIN_PX
    height = INK_HEIGHT * font_px
    if room <= height:
        return None
    widest = math.sqrt(room * room - height * height)
    for text in candidates(value, activation):
        if text_width(text, font_px) <= widest:
            return text
    return None
