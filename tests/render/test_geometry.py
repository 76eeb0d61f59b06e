"""Edge binning against a literal reading of its rule, edge by edge (no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.render import geometry
from nnviz.render.geometry import BINS, LEVELS, TOP_STEPS, ZERO_BIN, bin_edges, draw_order, make_layout


def literal_strongest(magnitude, keep):
    """The indices of the ``keep`` largest magnitudes, in order: every one above the keep-th largest,
    and of those equal to it as many as make ``keep``, spread evenly by index."""
    if keep == 0:
        return np.empty(0, np.intp)
    threshold = np.sort(magnitude)[::-1][keep - 1]
    above = np.flatnonzero(magnitude > threshold)
    tied = np.flatnonzero(magnitude == threshold)
    need = keep - len(above)
    return np.sort(np.concatenate([above, [tied[j * len(tied) // need] for j in range(need)]])).astype(np.intp)


def literal_bins(layout, matrices, fractions):
    """Bin of every kept edge, one edge at a time, as {bin: {(x0, y0, x1, y1), ...}}."""
    bins = {b: set() for b in range(2 * BINS)}
    for layer, (matrix, fraction) in enumerate(zip(matrices, fractions), start=1):
        before, after = layout.positions[layer - 1], layout.positions[layer]
        values = np.asarray(matrix, np.float64)
        scale = np.percentile(np.abs(values), 99.5)
        nonzero = np.abs(values[values != 0])
        if 0 < nonzero.size < values.size and scale < np.median(nonzero):  # the others are 0: a selection
            scale = np.percentile(nonzero, 99.5)
        scale = scale or 1.0
        strongest = set(literal_strongest(np.abs(values).ravel(), int(round(fraction * values.size))).tolist())
        kept = [(j, k) for j in range(len(after)) for k in range(len(before)) if j * len(before) + k in strongest]
        level = {(j, k): min(int(abs(values[j, k]) / scale * LEVELS), LEVELS - 1) for j, k in kept}
        # the strongest level in TOP_STEPS bins by rank, weakest first, both signs together
        top = sorted((e for e in kept if level[e] == LEVELS - 1), key=lambda e: abs(values[e]))
        step = {e: rank * TOP_STEPS // len(top) for rank, e in enumerate(top)}
        for j, k in kept:
            w = values[j, k]
            start, end = before[k], after[j]
            if layer == 1:  # edges come out from under the input image
                t = (layout.image_right - start[0]) / (end[0] - start[0])
                start = start + t * (end - start)
            bins[level[j, k] + step.get((j, k), 0) + BINS * (w >= 0)].add(tuple(np.round([*start, *end], 9)))
    return bins


@pytest.mark.parametrize("fractions", [[1.0, 1.0], [0.25, 1.0], [0.5, 0.3], [0.0, 1.0]])
def test_every_edge_lands_in_the_bin_its_sign_and_relative_strength_say(fractions):
    rng = np.random.default_rng(3)
    layout = make_layout((9, 5, 4), (3, 3))
    matrices = [rng.standard_normal((5, 9)).astype(np.float32), rng.standard_normal((4, 5)).astype(np.float32)]
    bins = bin_edges(layout, matrices, fractions)
    expected = literal_bins(layout, matrices, fractions)
    for b in range(2 * BINS):
        pairs = bins.segments[b].reshape(-1, 4)
        assert {tuple(np.round(p, 9)) for p in pairs} == expected[b], b
        assert len(pairs) == len(expected[b])
    assert bins.drawn == sum(len(e) for e in expected.values()) and bins.total == 45 + 20


def test_ties_at_the_threshold_still_keep_exactly_the_fraction_asked():
    layout = make_layout((16, 4, 2), (4, 4))
    matrices = [np.zeros((4, 16), np.float32), np.ones((2, 4), np.float32)]
    matrices[0][0, :3] = 1.0  # three strong edges, then 61 tied at zero
    bins = bin_edges(layout, matrices, [0.25, 1.0])
    assert bins.drawn == 16 + 8
    strong = [len(bins.segments[BINS + LEVELS - 1 + step]) // 2 for step in range(TOP_STEPS)]
    assert sum(strong) == 3 + 8  # the three of layer 1 and all of layer 2, the strongest level


@pytest.mark.parametrize("n, fraction", [(1, 0.5), (2, 0.5), (7, 0.25), (200, 0.25), (200, 0.01), (1000, 0.003), (999, 0.9)])
def test_the_percentile_taken_from_the_kept_top_values_is_numpys(n, fraction):
    rng = np.random.default_rng(n)
    for magnitude in (np.abs(rng.standard_normal(n)), np.round(np.abs(rng.standard_normal(n)), 1)):
        kept = geometry._strongest(magnitude, fraction)
        assert geometry._percentile(magnitude, kept, 99.5) == np.percentile(magnitude, 99.5)


def test_edge_endpoints_follow_the_order_of_the_weights():
    layout = make_layout((784, 16, 10), (28, 28))
    starts, ends = layout.edge_endpoints(2)
    j, k = 7, 11  # from hidden neuron 11 to output 7: weights[1][7, 11]
    np.testing.assert_array_equal(starts[j * 16 + k], layout.positions[1][k])
    np.testing.assert_array_equal(ends[j * 16 + k], layout.positions[2][j])
    starts, _ = layout.edge_endpoints(1)
    np.testing.assert_allclose(starts[:, 0], layout.image_right)
    with pytest.raises(ValueError):
        starts[0, 0] = 0.0  # shared by every frame: read-only


def test_the_draw_order_puts_strong_edges_of_either_sign_last():
    order = draw_order()
    assert sorted(order) == list(range(2 * BINS))
    assert set(order[-2:]) == {BINS - 1, 2 * BINS - 1}
    assert set(order[:2]) == {0, BINS}


def test_among_the_strongest_edges_the_stronger_is_drawn_later_whatever_its_sign():
    """One group per sign for the strongest level drew every positive edge of it over every
    negative one: in a crowded band, a picture all blue."""
    layout = make_layout((64, 2), (8, 8))
    values = np.linspace(0.1, 0.5, 128)
    values[:40] = np.linspace(0.95, 1.0, 40)  # the strongest level: from 15/16 of the 99.5th percentile up
    values *= (-1) ** np.arange(128)  # signs alternate along the magnitudes
    values = values.reshape(2, 64)
    bins = bin_edges(layout, [values.astype(np.float32)])
    order = draw_order()
    rank = {tuple(np.round(p, 9)): order.index(b) for b in range(2 * BINS) for p in bins.segments[b].reshape(-1, 4)}
    starts, ends = layout.edge_endpoints(1)
    magnitude = np.abs(values).ravel()
    strongest = np.flatnonzero(magnitude >= 15 / 16 * np.percentile(magnitude, 99.5))
    drawn = [rank[tuple(np.round([*starts[i], *ends[i]], 9))] for i in strongest]
    # drawn in TOP_STEPS steps by magnitude, weaker first; each step holds both signs (in a pair of
    # bins next to each other in the order, negative then positive)
    by_magnitude = [d for _, d in sorted(zip(magnitude[strongest], drawn))]
    steps = [d // 2 for d in by_magnitude]
    assert steps == sorted(steps) and len(set(drawn)) == 2 * len(set(steps))
    quarter = len(by_magnitude) // 4  # the strongest quarter of them all over the weakest, of either sign
    assert min(by_magnitude[-quarter:]) > max(by_magnitude[:quarter])


@pytest.mark.parametrize("sizes", [(784, 16, 16, 10), (784, 256, 256, 10)])
def test_top_and_height_hold_every_neuron_and_the_input_image(sizes):
    layout = make_layout(sizes, (28, 28))
    ys = np.concatenate(layout.positions)[:, 1]
    assert layout.top <= min(ys.min(), 0.0) and max(ys.max(), geometry.IMAGE_SIZE) <= layout.top + layout.height
    assert layout.top == (0.0 if sizes[1] == 16 else ys.min())  # a 256-neuron column reaches above the image


@pytest.mark.parametrize("fraction", [0.9, 0.47, 0.05, 0.001])
def test_a_layer_mostly_of_zeros_keeps_what_a_full_partition_keeps(fraction):
    # A selected neuron's picture: the other edges drawn as 0 (partitioned apart from the zeros).
    rng = np.random.default_rng(5)
    for nonzero in (0, 1, 40, 256, 4000):
        magnitude = np.zeros(65_536)
        magnitude[rng.choice(len(magnitude), nonzero, replace=False)] = np.abs(rng.standard_normal(nonzero))
        kept = geometry._strongest(magnitude, fraction)
        k = int(round(fraction * len(magnitude)))
        expected = literal_strongest(magnitude, k)  # the strongest, ties (zeros) spread evenly
        np.testing.assert_array_equal(kept.indices, expected)
        np.testing.assert_array_equal(np.sort(kept.top), np.sort(magnitude[expected]))
        assert geometry._percentile(magnitude, kept, 99.5) == np.percentile(magnitude, 99.5)


def test_edges_of_value_zero_come_first_in_their_bin_and_their_rows_are_told():
    # A selected neuron's picture: every other edge 0, drawn faint, the same from one set of weights to the next.
    rng = np.random.default_rng(5)
    layout = make_layout((9, 5, 4), (3, 3))
    matrices = [np.zeros((5, 9)), np.zeros((4, 5))]
    matrices[0][2] = rng.standard_normal(9)
    matrices[1][:, 2] = rng.standard_normal(4)
    matrices[0][2, 4] = 0.0  # a selected edge of value 0 is one of them too
    matrices[1][1, 2] = 1e-9  # faintest positive, not 0: after them in the same bin
    bins = bin_edges(layout, matrices, [1.0, 1.0])
    values = np.concatenate([m.ravel() for m in matrices])
    zero_rows = np.flatnonzero(values == 0)
    assert bins.zeros == len(zero_rows) == 45 + 20 - 9 - 4 + 1
    np.testing.assert_array_equal(bins.zero_rows, zero_rows)  # in the order of the edge table
    faint = bins.segments[ZERO_BIN].reshape(-1, 4)
    np.testing.assert_array_equal(faint[:bins.zeros], layout.edge_table[zero_rows])
    after = {tuple(p) for p in faint[bins.zeros:]}
    assert tuple(layout.edge_table[45 + 1 * 5 + 2]) in after  # the 1e-9
    assert not after & {tuple(p) for p in layout.edge_table[zero_rows]}
    expected = literal_bins(layout, matrices, [1.0, 1.0])  # and every bin holds what it held
    for b in range(2 * BINS):
        assert {tuple(np.round(p, 9)) for p in bins.segments[b].reshape(-1, 4)} == expected[b], b


def test_ties_kept_are_spread_over_the_layer_not_its_first_edges():
    """A selected neuron's picture draws the others faint, tied at 0: the first ones in the edge
    table made a fan from the first input pixels, shapes of their own in the picture."""
    kept = geometry._strongest(np.zeros(65_536), 0.1)
    assert len(kept.indices) == 6554
    assert np.diff(kept.indices).max() <= 10 and kept.indices[0] == 0 and kept.indices[-1] > 65_536 - 11


@pytest.mark.parametrize("sizes", [(784, 256, 256, 10), (784, 16, 16, 10)])
def test_a_selected_neurons_own_edges_keep_their_brightness_however_wide_its_layer(sizes):
    """Its edges alone keep their values, the others are drawn as 0: in a layer of 200,704 edges its
    784 are under 0.5% of them, and a percentile of the whole layer fell among the zeros."""
    rng = np.random.default_rng(7)
    layout = make_layout(sizes, (28, 28))
    weights = rng.standard_normal((sizes[1], 784)) * 0.05
    shown = np.zeros_like(weights)
    shown[3] = weights[3]
    bins = bin_edges(layout, [shown] + [np.zeros((b, a)) for a, b in zip(sizes[1:-1], sizes[2:])])
    levels = [geometry.level_of(b) for b in range(2 * BINS) for _ in range(len(bins.segments[b]) // 2)
              if not (b == ZERO_BIN)]
    assert len(levels) >= 700 and max(levels) == LEVELS - 1 and np.median(levels) >= 4  # bright, not all faint


def test_binning_takes_a_layer_a_step_and_ends_with_the_bins_of_bin_edges():
    from nnviz.render.geometry import binning

    sizes = (784, 32, 16, 10)
    layout = make_layout(sizes, (28, 28))
    matrices = [np.random.default_rng(l).normal(size=(b, a)) for l, (a, b) in enumerate(zip(sizes, sizes[1:]))]
    steps = list(binning(layout, matrices, [0.25, 1.0, 1.0]))
    assert steps[:-1] == [None] * 3
    whole = bin_edges(layout, matrices, [0.25, 1.0, 1.0])
    assert steps[-1].drawn == whole.drawn == round(0.25 * 784 * 32) + 32 * 16 + 16 * 10
    assert all(np.array_equal(a.rows, b.rows) for a, b in zip(steps[-1].segments, whole.segments))
