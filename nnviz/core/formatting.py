"""How training's numbers read in every text, the command line's and the window's alike."""

from __future__ import annotations

import numpy as np

#: Significant digits of a learning rate: η₀/128 of any η₀ typed with two digits shows exactly.
LEARNING_RATE_DIGITS = 6


def learning_rate_text(learning_rate: float) -> str:
    """η as a plain decimal, never in exponent form: "1", "0.5", "0.0078125", "0.0000976563".

    At most LEARNING_RATE_DIGITS significant digits, trailing zeros dropped. A learner reads
    0.0078125 as "small"; 7.8125e-03 is a notation to decode first.
    """
    return np.format_float_positional(float(learning_rate), precision=LEARNING_RATE_DIGITS, unique=True,
                                      fractional=False, trim="-")


def activation_text(a: float) -> str:
    """An activation as a caption says it: two decimals, or where those would read 0.00 for an
    answer that is not 0, its first digit ("0.004"): a network answering with every output near 0
    is saying something different from one answering with a 0."""
    if 0 < abs(a) < 0.005:
        return np.format_float_positional(float(a), precision=1, fractional=False, trim="-")
    return f"{a:.2f}"


def epoch_text(position: float) -> str:
    """Where in a run ``position`` (in epochs) is: "8" at an epoch's end, "6.92" within one (not
    "8.00", whose zeros read as a measurement)."""
    epoch = np.floor(position + 1e-9)
    return f"{int(epoch)}" if abs(position - epoch) < 1e-9 else f"{position:.2f}"


def schedule_end_text(epoch: int, learning_rate: float) -> str:
    """The one line that says the plateau schedule ended the run after ``epoch`` with η at its
    floor ``learning_rate`` (an EpochDone whose ``schedule_ended`` is set)."""
    return (f"Validation accuracy stopped improving and η is down to {learning_rate_text(learning_rate)}, "
            f"1/128 of where it started: training ends after epoch {epoch}, as in Nielsen's book.")
