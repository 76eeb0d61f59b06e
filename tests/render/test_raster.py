"""The NumPy edge raster: known segments light the right pixels in the right colours (no Qt)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnviz.render import raster
from nnviz.render.raster import EdgeRaster, clip, rasterise

BACKGROUND = 0xFF000000
WEAK, STRONG = 0xFF202020, 0xFFFFFFFF


def lit(segments, shape=(8, 12), width=1, scale=(1.0, 1.0), offset=(0.0, 0.0)) -> set[tuple[int, int]]:
    """(row, column) of every pixel one group of segments [(x0, y0, x1, y1), ...] lights."""
    pairs = np.asarray(segments, np.float64).reshape(-1, 2)
    image = rasterise([pairs], np.array([STRONG], np.uint32), [width], scale, offset, shape, BACKGROUND)
    assert set(np.unique(image)) <= {BACKGROUND, STRONG}
    return set(zip(*map(list, np.nonzero(image == STRONG))))


def test_a_horizontal_line_lights_the_pixels_from_its_start_to_its_end():
    assert lit([(1.5, 1.5, 6.5, 1.5)]) == {(1, c) for c in range(1, 7)}
    assert lit([(1.2, 1.7, 6.9, 1.7)]) == {(1, c) for c in range(1, 7)}
    assert lit([(6.5, 1.5, 1.5, 1.5)]) == {(1, c) for c in range(1, 7)}  # either direction


def test_a_vertical_line_lights_one_column():
    assert lit([(2.5, 1.2, 2.5, 5.7)]) == {(r, 2) for r in range(1, 6)}


def test_a_diagonal_line_steps_along_its_major_axis_as_qts_aliased_pen_does():
    # Rising: y = 1 + (x - 1) / 2 taken at each column's centre. These pixel sets are the ones
    # Qt 6 draws for the same lines with a cosmetic 1-px pen, antialiasing off.
    rising = {(1, 1), (1, 2), (2, 3), (2, 4), (3, 5), (3, 6), (4, 7), (4, 8), (5, 9)}
    assert lit([(1, 1, 9, 5)]) == rising
    assert lit([(9, 5, 1, 1)]) == rising
    # Falling: y = 5 - (x - 1) / 2 taken at each column's left edge.
    falling = {(5, 1), (4, 2), (4, 3), (3, 4), (3, 5), (2, 6), (2, 7), (1, 8), (1, 9)}
    assert lit([(1, 5, 9, 1)]) == lit([(9, 1, 1, 5)]) == falling
    # Mirrored across the diagonal the lines are mostly vertical: rows and columns swap.
    assert lit([(1, 1, 5, 9)], shape=(12, 8)) == {(c, r) for r, c in rising}
    assert lit([(5, 1, 1, 9)], shape=(12, 8)) == {(c, r) for r, c in falling}


def test_segments_off_the_image_light_only_what_lies_inside():
    assert lit([(-30.0, 2.5, -1.0, 2.5), (3.0, -9.0, 9.0, -0.5), (20.0, 1.0, 40.0, 7.0)]) == set()
    assert lit([(-5.0, 2.5, 3.5, 2.5)]) == {(2, c) for c in range(0, 4)}
    assert lit([(5.0, 6.5, 100.0, 6.5)]) == {(6, c) for c in range(5, 12)}
    # A long diagonal crossing the whole image: one pixel per column, all inside.
    pixels = lit([(-100.0, -23.0, 100.0, 27.0)])  # y = x/4 + 2
    assert {c for _, c in pixels} == set(range(12)) and len(pixels) == 12
    assert all(r == math.floor((c + 0.5) / 4 + 2) for r, c in pixels)
    # A wide line just off the image still reaches into it by half its width.
    assert lit([(1.5, -0.4, 5.5, -0.4)], width=2) == {(0, c) for c in range(1, 7)}


def test_a_zero_length_segment_draws_nothing_and_a_tiny_one_a_single_pixel():
    assert lit([(3.5, 3.5, 3.5, 3.5)]) == set()
    assert lit([(1.2, 1.2, 1.4, 1.3)]) == {(1, 1)}


def test_a_two_pixel_pen_lights_the_pixels_within_a_pixel_of_the_line():
    # Square caps reach a pixel past each end; centres on the band's top or left border are out,
    # on its bottom or right border in (as Qt fills it).
    assert lit([(1.5, 3.5, 8.5, 3.5)], width=2) == {(r, c) for r in (3, 4) for c in range(1, 10)}
    assert lit([(1.5, 3.2, 8.5, 3.2)], width=2) == {(r, c) for r in (2, 3) for c in range(1, 10)}
    # At 45° the band is 2·√2 pixels tall: three pixels a column, as Qt draws it.
    steep = lit([(1.5, 1.5, 6.5, 6.5)], shape=(10, 10), width=2)
    assert all({r for r, c in steep if c == column} == {column - 1, column, column + 1} for column in range(1, 7))


@pytest.mark.parametrize("spans", [(1, 2), (2, 2), (3, 6), (1, 9), (0, 0)])
def test_the_pixels_across_a_wide_line_are_every_one_from_its_first_to_its_last(spans):
    # Spans of 1-2 pixels are a 2-pixel pen's; 1-9 forces the general way (masks).
    rng = np.random.default_rng(sum(spans))
    low = rng.permutation(np.arange(280) * 12).reshape(40, 7)  # apart: a pixel past a span shows
    high = low + rng.integers(spans[0], spans[1] + 1, low.shape)
    flat = np.zeros(280 * 12, np.uint8)
    raster._store_across(flat, low.copy(), high.copy(), 5)
    expected = np.zeros(280 * 12, np.uint8)
    for a, b in zip(low.ravel(), high.ravel()):
        expected[a:b + 1] = 5
    assert np.array_equal(flat, expected)


def test_groups_drawn_later_cover_earlier_ones_where_they_cross():
    cross = [np.array([[0.5, 3.5], [9.5, 3.5]]), np.array([[4.5, 0.5], [4.5, 7.5]])]  # horizontal, vertical

    def drawn(order):
        colours = np.array([WEAK, STRONG], np.uint32)[order]
        return rasterise([cross[k] for k in order], colours, [1, 1], (1, 1), (0, 0), (8, 12), BACKGROUND)

    assert drawn([0, 1])[3, 4] == STRONG  # the vertical (strong) one last: on top
    assert drawn([1, 0])[3, 4] == WEAK  # the same lines the other way round
    image = drawn([0, 1])
    assert image[3, 3] == WEAK and image[2, 4] == STRONG and image[0, 0] == BACKGROUND


def test_points_go_through_the_scale_and_offset_of_the_view():
    # Item units to pixels: x · 2 + 1, y · 3 + 0.5 (a zoom and a pan).
    assert lit([(0.25, 0.5, 2.75, 0.5)], scale=(2, 3), offset=(1, 0.5)) == {(2, c) for c in range(1, 7)}


def reference(groups, widths, shape):
    """The raster's rule one pixel at a time (see raster._walks): ranks (H, W), 0 where nothing is drawn."""
    ranks = np.zeros(shape, int)
    for rank, (pairs, width) in enumerate(zip(groups, widths), start=1):
        for (x0, y0), (x1, y1) in zip(pairs[0::2], pairs[1::2]):
            vertical = abs(y1 - y0) > abs(x1 - x0)
            (u0, v0, u1, v1) = (y0, x0, y1, x1) if vertical else (x0, y0, x1, y1)
            if u1 < u0:
                u0, v0, u1, v1 = u1, v1, u0, v0
            slope = (v1 - v0) / (u1 - u0)
            pixels = []
            if width == 1:
                for u in range(math.floor(u0), math.floor(u1) + 1):
                    pixels.append((u, math.floor(v0 + (u + (0.0 if slope < 0 else 0.5) - u0) * slope)))
            else:
                secant, half = math.sqrt(1 + slope**2), width / 2
                for u in range(math.floor(u0 - half / secant + 0.5), math.floor(u1 + half / secant - 0.5) + 1):
                    middle = v0 + (u + 0.5 - u0) * slope
                    for v in range(math.floor(middle - half * secant + 0.5), math.floor(middle + half * secant - 0.5) + 1):
                        pixels.append((u, v))
            for u, v in pixels:
                row, column = (u, v) if vertical else (v, u)
                if 0 <= row < shape[0] and 0 <= column < shape[1]:
                    ranks[row, column] = rank
    return ranks


@pytest.mark.parametrize("spread", [15.0, 200.0])  # inside the image; mostly crossing its borders
def test_many_random_segments_match_a_pixel_by_pixel_reading_of_the_rule(spread, monkeypatch):
    monkeypatch.setattr(raster, "BATCH", 50)  # several batches and chunks per group
    monkeypatch.setattr(raster, "CHUNK", 256)
    rng = np.random.default_rng(7)
    shape = (30, 40)
    groups = [rng.uniform(-spread, spread, (2 * k, 2)) + (20, 15) for k in (120, 80, 60, 5)]
    widths = [1, 1, 2, 2]
    colours = np.array([0xFF000010 + g for g in range(4)], np.uint32)
    image = rasterise(groups, colours, widths, (1, 1), (0, 0), shape, BACKGROUND)
    expected = np.concatenate([[BACKGROUND], colours])[reference(groups, widths, shape)]
    assert (image == expected).mean() > 0.999  # pixels exactly on a border may round either way
    assert (image != BACKGROUND).sum() > 100


def test_a_picture_drawn_in_slices_equals_one_drawn_at_once(monkeypatch):
    monkeypatch.setattr(raster, "CHUNK", 512)
    rng = np.random.default_rng(1)
    groups = [rng.uniform(0, 60, (400, 2)) for _ in range(3)]
    args = (np.array([WEAK, 0xFF808080, STRONG], np.uint32), [1, 1, 2], (1, 1), (0, 0), (50, 60), BACKGROUND)
    whole = rasterise(groups, *args)
    sliced = EdgeRaster(groups, *args)
    turns = 1
    while not sliced.run(budget=0.0):
        turns += 1
    assert turns > 10 and sliced.done and sliced.seconds > 0
    np.testing.assert_array_equal(sliced.image, whole)
    assert sliced.run(budget=0.0)  # complete stays complete


@pytest.mark.parametrize("scale, offset", [((1, 1), (0, 0)), ((3.7, 2.9), (-41.3, -17.6))])  # whole; zoomed, clipped
def test_segments_drawn_over_a_raster_of_ranks_make_the_picture_of_all_of_them_drawn_together(monkeypatch, scale, offset):
    monkeypatch.setattr(raster, "BATCH", 64)  # each set cut into batches of its own
    rng = np.random.default_rng(11)
    groups = [rng.uniform(-10, 70, (2 * k, 2)) for k in (300, 500, 40, 30)]
    args = (np.array([WEAK, 0xFF505050, 0xFF808080, STRONG], np.uint32), [1, 1, 2, 2], scale, offset, (50, 60),
            BACKGROUND)
    whole = rasterise(groups, *args)
    below = [rng.random(len(pairs) // 2) < 0.7 for pairs in groups]  # segment by segment, one set or the other
    sets = [[pairs.reshape(-1, 4)[keep == side].reshape(-1, 2) for pairs, keep in zip(groups, below)]
            for side in (True, False)]
    lattice = EdgeRaster(sets[0], *args, ranks_only=True)
    assert lattice.image is None
    over = EdgeRaster(sets[1], *args, under=lattice)
    turns = 0
    while not over.run(budget=0.0):  # the raster under it drawn first, in the same slices
        turns += 1
    assert lattice.done and turns > 5
    np.testing.assert_array_equal(over.image, whole)
    # Kept, it serves the next picture drawn over it without being drawn again.
    spent = lattice.seconds
    moved = [pairs + 0.25 for pairs in sets[1]]
    np.testing.assert_array_equal(
        _drawn(EdgeRaster(moved, *args, under=lattice)),
        rasterise([np.concatenate([kept, new]) for kept, new in zip(sets[0], moved)], *args))
    assert lattice.seconds == spent


def test_an_end_that_is_not_cut_keeps_its_coordinates_whatever_is_clipped_beside_it():
    # x0 + 1·(x1 − x0) is not x1 here: a segment must light the same pixels alone and in any batch.
    x0, x1 = np.array([4.692979338711744, 5.0]), np.array([1.4173738261003155, 90.0])
    y0, y1 = np.array([2.0, 3.0]), np.array([7.0, 3.0])
    assert x0[0] + (x1[0] - x0[0]) != x1[0]
    alone = clip(x0[:1], y0[:1], x1[:1], y1[:1], 50, 50)  # nothing cut: returned as it came
    beside = clip(x0, y0, x1, y1, 50, 50)  # the second segment cut at the right border
    assert [c[0] for c in beside] == [c[0] for c in alone] and beside[2][1] < 50


def _drawn(picture: EdgeRaster) -> np.ndarray:
    picture.run()
    return picture.image


def test_a_raster_drawn_under_another_must_be_of_ranks_of_as_many_groups_and_the_same_shape():
    args = (np.array([STRONG], np.uint32), [1], (1, 1), (0, 0))
    pairs = [np.zeros((2, 2))]
    for wrong in (EdgeRaster(pairs, *args, (4, 4), BACKGROUND),  # a picture
                  EdgeRaster(pairs, *args, (5, 4), BACKGROUND, ranks_only=True),
                  EdgeRaster(pairs * 2, np.array([STRONG] * 2, np.uint32), [1, 1], *args[2:], (4, 4), BACKGROUND,
                             ranks_only=True)):
        with pytest.raises(ValueError, match="ranks only"):
            EdgeRaster(pairs, *args, (4, 4), BACKGROUND, under=wrong)


def test_a_picture_drawn_over_an_old_ones_arrays_shows_nothing_of_the_old_one():
    rng = np.random.default_rng(4)
    old_groups, new_groups = ([rng.uniform(-5, 65, (400, 2)) for _ in range(2)] for _ in range(2))
    args = (np.array([WEAK, STRONG], np.uint32), [1, 2], (1, 1), (0, 0), (50, 60), BACKGROUND)
    old = EdgeRaster(old_groups, *args)
    old.run()
    new = EdgeRaster(new_groups, *args, reuse=old)
    assert new.image is old.image and new._ranks.rows is old._ranks.rows  # taken over
    new.run()
    np.testing.assert_array_equal(new.image, rasterise(new_groups, *args))
    unfinished = EdgeRaster(old_groups, *args)
    assert EdgeRaster(new_groups, *args, reuse=unfinished).image is not unfinished.image
    assert EdgeRaster(new_groups, *args[:-2], (40, 60), BACKGROUND, reuse=new).image is not new.image


def test_colours_and_widths_must_come_one_per_group():
    with pytest.raises(ValueError, match="2 groups"):
        EdgeRaster([np.zeros((2, 2))] * 2, np.array([STRONG], np.uint32), [1, 1], (1, 1), (0, 0), (4, 4), BACKGROUND)


def test_the_image_has_the_memory_layout_of_a_qimage_of_32_bit_pixels():
    image = rasterise([np.array([[0.5, 0.5], [3.5, 0.5]])], np.array([0xFF102030], np.uint32), [1], (1, 1), (0, 0),
                      (3, 5), BACKGROUND)
    assert image.dtype == np.uint32 and image.shape == (3, 5) and image.flags.c_contiguous
    # Little-endian 0xffRRGGBB is the bytes B, G, R, A: QImage.Format_RGB32's layout.
    assert image.view(np.uint8).reshape(3, 5, 4)[0, 1].tolist() == [0x30, 0x20, 0x10, 0xFF]
