"""The values written in neurons, and the pacing of redraws during training (no Qt needed)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnviz.app.views.network.labels import FONT_PX, INK_HEIGHT, MARGIN_PX, candidates, label_for, text_width
from nnviz.model.pacing import Pacer, Redraw

SUFFIXES = {"k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}


def read(text: str) -> float:
    """What a person reads from a label."""
    if text[-1] in SUFFIXES:
        return float(text[:-1]) * SUFFIXES[text[-1]]
    return float(text)


def unit(text: str) -> float:
    scale = SUFFIXES.get(text[-1], 1.0)
    digits = text.rstrip("kMGT")
    return scale * 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)


def fits(text: str, diameter: float) -> bool:
    room = diameter - 2 * MARGIN_PX
    return text_width(text) ** 2 + (INK_HEIGHT * FONT_PX) ** 2 <= room**2


@pytest.mark.parametrize("activation, low, high", [("sigmoid", 0.0, 1.0), ("tanh", -1.0, 1.0), ("relu", 0.0, 5000.0)])
def test_labels_fit_their_circle_and_read_as_the_value(activation, low, high):
    values = np.concatenate([np.linspace(low, high, 2001), [low, high, 0.999, 0.995, 0.004]])
    for diameter in (8, 12, 16, 20, 24, 32, 60):
        for value in values:
            text = label_for(float(value), activation, diameter)
            if text is None:
                continue
            assert fits(text, diameter), (value, diameter, text)
            # within half a unit of the label's last digit
            assert abs(read(text) - value) <= unit(text) / 2 + 1e-9, (value, text)


def test_the_values_that_overflowed_their_circles_now_fit():
    # "1.00" was clipped and ReLU gave "420." at the default zoom, circles about 24 px across.
    assert label_for(0.999, "sigmoid", 24) == "1.0"
    assert label_for(0.83, "sigmoid", 24) == "0.8"  # "0.83" does not fit; never ".83"
    assert label_for(0.83, "sigmoid", 30) == "0.83"
    assert label_for(-0.42, "tanh", 24) == "-0.4"
    assert label_for(-0.42, "tanh", 30) == "-0.42"
    assert label_for(420.3, "relu", 24) == "420"
    assert label_for(4200.0, "relu", 24) == "4k"
    assert label_for(0.0, "relu", 24) == "0"


def test_smaller_circles_get_fewer_digits_then_none():
    for value, activation in ((0.8312, "sigmoid"), (-0.4231, "tanh"), (4.237, "relu"), (420.3, "relu")):
        lengths = [len(label_for(value, activation, d) or "") for d in range(4, 40)]
        assert lengths == sorted(lengths), (value, lengths)
        assert lengths[0] == 0 and lengths[-1] == len(candidates(value, activation)[0])


def test_values_out_of_an_activations_range_are_written_as_its_bound_and_nan_as_a_question_mark():
    assert label_for(1.0000001, "sigmoid", 30) == "1.0"
    assert label_for(-1.0000001, "tanh", 30) == "-1.0"
    assert label_for(math.nan, "relu", 30) == "?"
    assert label_for(-0.001, "tanh", 30) == "0.00"  # no minus sign on a zero


@pytest.mark.parametrize("activation, low, high", [("sigmoid", 0.0, 1.0), ("tanh", -1.0, 1.0)])
def test_a_fraction_always_has_its_leading_zero_or_no_text(activation, low, high):
    # ".8" in a small circle reads as "8": the dot is a pixel or two.
    seen = set()
    for diameter in range(4, 61):
        for value in np.linspace(low, high, 401):
            text = label_for(float(value), activation, diameter)
            if text is not None:
                seen.add(text)
                assert not text.lstrip("-").startswith("."), (value, diameter, text)
    assert "0.8" in seen and "0.83" in seen


# -- pacing --------------------------------------------------------------------------------------

def snapshots(pacer: Pacer, seconds: float = 4.0, every: float = 0.05):
    return [pacer.plan(i * every) for i in range(int(seconds / every))]


def test_costly_edges_are_redrawn_less_often():
    cheap, costly = Pacer(), Pacer()
    cheap.measured(Redraw.EDGES, 0.005)
    for _ in range(10):
        costly.measured(Redraw.EDGES, 0.060)
    n_cheap = sum(Redraw.EDGES in plan for plan in snapshots(cheap))
    n_costly = sum(Redraw.EDGES in plan for plan in snapshots(costly))
    assert n_costly < n_cheap / 2
    # the share of the GUI thread spent on edges stays at the costly pacer's share
    assert n_costly * 0.060 / 4.0 <= costly.paces[Redraw.EDGES].share * 1.25


def test_edges_and_plots_never_share_a_snapshot_and_neither_starves():
    pacer = Pacer()
    pacer.measured(Redraw.PLOTS, 0.010)
    pacer.measured(Redraw.EDGES, 0.015)
    plans = snapshots(pacer)
    assert not any(Redraw.EDGES in p and Redraw.PLOTS in p for p in plans)
    assert sum(Redraw.EDGES in p for p in plans) >= 4 and sum(Redraw.PLOTS in p for p in plans) >= 4
    assert all(Redraw.ACTIVATIONS in p for p in plans)  # cheap: every snapshot


def test_slow_activations_are_thinned_and_every_snapshot_shows_all_when_asked():
    pacer = Pacer()
    for _ in range(10):
        pacer.measured(Redraw.ACTIVATIONS, 0.030)
    assert sum(Redraw.ACTIVATIONS in p for p in snapshots(pacer)) < 80 / 3
    assert pacer.plan(100.0, every=True) == frozenset(Redraw)
    assert pacer.plan(100.001, every=True) == frozenset(Redraw)


def test_a_redraw_costs_all_its_jobs_and_what_it_finishes_later():
    pacer = Pacer()
    for second in range(6):
        assert Redraw.EDGES in pacer.plan(3.0 * second)  # far enough apart to be due each time
        # three views' jobs of one kind in the snapshot, and the edge picture finished later
        for seconds in (0.001, 0.002, 0.004):
            pacer.measured(Redraw.EDGES, seconds)
        pacer.measured(Redraw.EDGES, 0.093)
    assert pacer.costs[Redraw.EDGES] == pytest.approx(0.1)
    assert pacer.interval(Redraw.EDGES) == pytest.approx(0.1 / pacer.paces[Redraw.EDGES].share)


def test_a_repaint_outside_training_is_no_redraws_cost_and_stopping_closes_the_redraws_planned():
    pacer = Pacer()
    pacer.measured(Redraw.ACTIVATIONS, 0.150, part=True)  # the first paint of a window that just opened
    assert Redraw.ACTIVATIONS not in pacer.costs
    pacer.plan(0.0)
    pacer.measured(Redraw.ACTIVATIONS, 0.004, part=True)
    pacer.plan(0.05)
    assert pacer.costs[Redraw.ACTIVATIONS] == pytest.approx(0.004)
    pacer.stop()
    for _ in range(100):  # idle repaints: nothing to do with the next run's redraws
        pacer.measured(Redraw.ACTIVATIONS, 0.004, part=True)
    pacer.plan(10.0)
    pacer.plan(10.05)
    assert pacer.costs[Redraw.ACTIVATIONS] == pytest.approx(0.004)
