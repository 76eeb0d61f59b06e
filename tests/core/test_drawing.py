"""A drawing becomes an input the way MNIST's digits were made."""

import numpy as np
import pytest

from nnviz.core.drawing import preprocess


def centre_of_mass(image):
    total = image.sum()
    ys, xs = np.indices(image.shape)
    return (ys * image).sum() / total, (xs * image).sum() / total


def test_a_stroke_anywhere_is_scaled_into_20x20_and_centred_by_mass():
    canvas = np.zeros((280, 280))
    canvas[20:200, 200:215] = 1.0  # a tall bar in the top right corner
    image = preprocess(canvas)
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert 0.0 <= image.min() and image.max() <= 1.0
    rows = np.flatnonzero(image.max(axis=1) > 0.05)
    assert 19 <= rows[-1] - rows[0] + 1 <= 21  # the longer side fills the 20-pixel box
    cy, cx = centre_of_mass(image)
    assert abs(cy - 14) < 0.05 and abs(cx - 14) < 0.05  # where MNIST's centres of mass are
    # aspect ratio kept: 180 x 15 becomes about 20 x 2
    cols = np.flatnonzero(image.max(axis=0) > 0.05)
    assert len(cols) <= 3


def test_anti_aliased_grey_levels_appear_at_stroke_edges():
    canvas = np.zeros((200, 200))
    yy, xx = np.indices(canvas.shape)
    canvas[np.abs(np.hypot(yy - 100, xx - 100) - 60) < 9] = 1.0  # a ring, a "0"
    image = preprocess(canvas)
    assert ((image > 0.1) & (image < 0.9)).sum() > 20


def test_ink_is_conserved_by_the_resize():
    canvas = np.zeros((100, 100))
    canvas[10:90, 30:50] = 0.8
    image = preprocess(canvas)
    # 80x20 of 0.8 scaled by 20/80 in each direction: 20x5 of 0.8 → total 80
    assert image.sum() == pytest.approx(80.0, rel=0.02)


@pytest.mark.parametrize("canvas", [np.zeros((50, 50)), np.pad(np.ones((2, 2)), 20)], ids=["empty", "a dot"])
def test_nothing_or_a_dot_is_not_a_digit(canvas):
    assert preprocess(canvas) is None


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        preprocess(np.full((10, 10), np.nan))
    with pytest.raises(ValueError):
        preprocess(np.zeros(10))


def test_a_real_mnist_digit_survives_the_round_trip(mnist):
    """An MNIST digit already is what preprocessing makes: doing it again changes little."""
    for i in range(20):
        original = mnist.test.image(i).astype(float) / 255
        again = preprocess(np.kron(original, np.ones((10, 10))))  # drawn ten times bigger
        assert np.corrcoef(original.ravel(), again.ravel())[0, 1] > 0.9, i
