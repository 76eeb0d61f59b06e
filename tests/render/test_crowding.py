"""Leaving out the edges a crowded layer would paint over: the picture stays the same (no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core.network import Network
from nnviz.render import palette
from nnviz.render.crowding import CROWDED, CROWDED_CROSSINGS, MOST_CROSSINGS, allowed, thin
from nnviz.render.geometry import bin_edges, draw_order, make_layout
from nnviz.render.raster import rasterise

ORDER = draw_order()


def picture(layout, weights, fractions, shape=(900, 1600)):
    """The edges as the view draws them, the whole layout framed in ``shape`` (H, W)."""
    height, width = shape
    scale = min(width / (layout.width + 8), height / (layout.height + 18))
    bins = bin_edges(layout, weights, fractions)
    image = rasterise([bins.segments[b] for b in ORDER], palette.argb(palette.edge_colours())[ORDER],
                      [palette.edge_widths()[b] for b in ORDER], (scale, scale), (4 * scale, (14 - layout.top) * scale),
                      shape, int(palette.argb(palette.BACKGROUND)))
    return image, scale


def crossings_by_counting(layout, layer, scale):
    """Pixels the layer's lines light, counted one line at a time, over its band's pixels."""
    start, end = layout.edge_endpoints(layer)
    steps = sum(max(abs(x1 - x0), abs(y1 - y0)) for (x0, y0), (x1, y1) in zip(start.tolist(), end.tolist()))
    ys, xs = np.concatenate([start[:, 1], end[:, 1]]), np.concatenate([start[:, 0], end[:, 0]])
    return steps * scale / ((xs.max() - xs.min()) * scale * (ys.max() - ys.min()) * scale)


@pytest.mark.parametrize("sizes", [(784, 16, 16, 10), (784, 128, 64, 10), (784, 256, 256, 10)])
def test_crossings_are_the_lines_pixels_over_the_bands_pixels(sizes):
    layout = make_layout(sizes, (28, 28))
    thinning = thin(layout, [1.0] * (len(sizes) - 1), pixels_per_unit=4.0)
    for layer in range(1, len(sizes)):
        assert thinning.crossings[layer - 1] == pytest.approx(crossings_by_counting(layout, layer, 4.0), rel=1e-9)


@pytest.mark.parametrize("pixels_per_unit", [0.5, 1.0, 2.5, 6.2, 20.0])
@pytest.mark.parametrize("input_share", [0.25, 1.0])
@pytest.mark.parametrize("sizes", [(784, 16, 16, 10), (784, 16, 10), (784, 10, 16, 10)])
def test_the_articles_network_is_drawn_whole_at_any_zoom_every_edge_when_asked(sizes, input_share, pixels_per_unit):
    layout = make_layout(sizes, (28, 28))
    asked = [input_share] + [1.0] * (len(sizes) - 2)
    assert not thin(layout, asked, pixels_per_unit).thinned(asked)


@pytest.mark.parametrize("pixels_per_unit", [2.5, 6.2, 20.0])
@pytest.mark.parametrize("sizes", [(784, 30, 10), (784, 32, 32, 10)])
def test_a_little_wider_network_is_drawn_whole_at_the_default_share_in_a_view_of_600x400_or_more(sizes, pixels_per_unit):
    # 600x400 pixels frame the layout at ~2.2 pixels a unit (reset_zoom)
    layout = make_layout(sizes, (28, 28))
    asked = [0.25] + [1.0] * (len(sizes) - 2)
    assert not thin(layout, asked, pixels_per_unit).thinned(asked)


@pytest.mark.parametrize("pixels_per_unit", [2.0, 4.9, 20.0])
def test_layers_of_128_and_64_are_drawn_whole_in_a_view_of_600x400_or_more(pixels_per_unit):
    # 600x400 pixels frame the layout at ~2.2 pixels a unit (reset_zoom); the input layer, asked
    # for every edge, is crowded in the smaller views
    layout = make_layout((784, 128, 64, 10), (28, 28))
    assert not set(thin(layout, [1.0, 1.0, 1.0], pixels_per_unit).thinned([1.0, 1.0, 1.0])) & {2, 3}


def test_a_wide_networks_input_share_is_thinned_where_it_is_crowded_and_kept_where_it_is_not():
    layout = make_layout((784, 256, 256, 10), (28, 28))
    crowded = thin(layout, [0.25, 1.0, 1.0], pixels_per_unit=4.86)
    assert crowded.crossings[0] > CROWDED  # every input edge: ~256 a pixel at 1600x900
    assert crowded.fractions[0] * crowded.crossings[0] == pytest.approx(CROWDED_CROSSINGS)
    assert crowded.fractions[0] < 0.25 and crowded.thinned([0.25, 1.0, 1.0]) == [1, 2]
    few = thin(layout, [0.1, 1.0, 1.0], pixels_per_unit=4.86)  # a share asked below the crowding
    assert few.fractions[0] == 0.1 and few.thinned([0.1, 1.0, 1.0]) == [2]


def test_a_crowded_layer_keeps_as_many_edges_as_cross_a_pixel_the_times_allowed():
    layout = make_layout((784, 256, 256, 10), (28, 28))
    thinning = thin(layout, [0.25, 1.0, 1.0], pixels_per_unit=4.86)
    assert thinning.fractions[2] == 1.0
    assert thinning.crossings[1] > CROWDED  # ~120 a pixel between the hidden layers at 1600x900
    assert thinning.fractions[1] * thinning.crossings[1] == pytest.approx(CROWDED_CROSSINGS)
    assert thinning.thinned([0.25, 1.0, 1.0]) == [1, 2]
    zoomed = thin(layout, [0.25, 1.0, 1.0], pixels_per_unit=2 * 4.86)  # lines spread over more pixels
    assert zoomed.fractions[1] * zoomed.crossings[1] == pytest.approx(allowed(zoomed.crossings[1]))
    assert zoomed.fractions[1] > 2 * thinning.fractions[1]  # and fewer cross each: a larger share of them


def test_the_crossings_allowed_fall_from_the_most_to_the_crowded_bands_without_a_jump():
    bands = np.linspace(0, 400, 4001)
    limits = np.array([allowed(c) for c in bands])
    assert np.all(limits[bands <= 1.5 * MOST_CROSSINGS] == MOST_CROSSINGS)
    assert np.all(limits[bands >= CROWDED] == CROWDED_CROSSINGS)
    assert np.all(np.diff(limits) <= 0) and np.abs(np.diff(limits)).max() < 0.05  # 0.1 crossings apart
    # a band just past the most is drawn with as many as before: the drawn crossings never jump
    drawn = np.minimum(bands, limits)
    assert np.abs(np.diff(drawn)).max() <= 0.1 + 1e-9


@pytest.mark.parametrize("sizes, shape", [((784, 256, 256, 10), (900, 1600)), ((784, 512, 256, 10), (480, 900))])
def test_the_left_out_edges_change_almost_no_pixel_of_the_picture(sizes, shape):
    layout = make_layout(sizes, (28, 28))
    weights = Network(sizes, seed=3).weights
    asked = [0.25, 1.0, 1.0]
    whole, scale = picture(layout, weights, asked, shape)
    thinning = thin(layout, asked, scale)
    assert 2 in thinning.thinned(asked) and thinning.fractions[1] < 0.5
    thinned, _ = picture(layout, weights, list(thinning.fractions), shape)
    assert (whole != palette.argb(palette.BACKGROUND)).mean() > 0.3  # a picture full of edges
    assert (thinned != whole).mean() < 0.003  # of the pixels


def test_edges_read_from_the_edge_table_a_batch_at_a_time_draw_the_picture_of_their_points_gathered_at_once():
    layout = make_layout((784, 256, 256, 10), (28, 28))
    network = Network((784, 256, 256, 10), seed=2)
    bins = bin_edges(layout, network.weights, [0.25, 0.34, 1.0])
    group = bins.segments[2 * 8 - 1]
    gathered = np.asarray(group)
    assert gathered.shape == (len(group), 2)
    np.testing.assert_array_equal(group[4:10], gathered[4:10])
    np.testing.assert_array_equal(np.asarray(group.edges(2)), gathered[4:])
    colours, widths = palette.argb(palette.edge_colours())[ORDER], [palette.edge_widths()[b] for b in ORDER]
    args = ((2.0, 2.0), (8.0, 100.0), (450, 800), int(palette.argb(palette.BACKGROUND)))
    np.testing.assert_array_equal(rasterise([bins.segments[b] for b in ORDER], colours, widths, *args),
                                  rasterise([np.asarray(bins.segments[b]) for b in ORDER], colours, widths, *args))
