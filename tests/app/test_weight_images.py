"""The first hidden layer's weight pictures: all on one page for the article's network, in pages of
readable pictures for a wide one, each picture the colours of its own neuron's weights."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore

from nnviz.app.shell import theme
from nnviz.app.views.inspect import GAP, MIN_PICTURE_PX, WeightImages
from nnviz.core.network import Network


@pytest.fixture
def images(qtbot):
    view = WeightImages()
    qtbot.addWidget(view)
    view.resize(1100, 220)  # the bottom tab of a window at 1280x720
    view.show()
    qtbot.waitExposed(view)
    return view


def drawn(view: WeightImages, k: int) -> np.ndarray:
    """The pixels of neuron ``k``'s picture in the image on show, (28, 28, 3)."""
    rows, columns = view.grid
    place = k - view.first
    row, column = divmod(place, columns)
    top, left = row * (28 + GAP), column * (28 + GAP)
    return view.image.image[top:top + 28, left:left + 28]


def expected(view: WeightImages, weights: np.ndarray) -> np.ndarray:
    """The colours the symmetric scale gives ``weights``, read off the lookup table directly."""
    table = theme.diverging_lookup_table()[:, :3]
    t = np.clip(weights / view.limit, -1, 1)
    return table[np.clip(np.rint((t + 1) * 127.5), 0, 255).astype(int)].reshape(28, 28, 3)


def on_screen_px(view: WeightImages) -> float:
    """How wide one picture is on screen, in pixels."""
    QtCore.QCoreApplication.processEvents()  # the layout settles
    box = view.box.mapViewToScene(QtCore.QRectF(0, 0, 28, 28)).boundingRect()
    return view.canvas.mapFromScene(box).boundingRect().width()


def test_the_articles_sixteen_pictures_share_one_page_and_show_their_own_weights(images):
    weights = Network(seed=0).weights[0]
    images.show_weights(weights, (28, 28))
    assert list(images.shown) == list(range(16)) and not images.pages_bar.isVisible()
    assert images.grid == (2, 8)
    for k in (0, 5, 15):
        np.testing.assert_array_equal(drawn(images, k), expected(images, weights[k]))
    assert on_screen_px(images) >= MIN_PICTURE_PX


@pytest.mark.parametrize("width", [128, 256])
def test_a_wide_layers_pictures_come_in_pages_of_readable_pictures_that_cover_every_neuron(images, qtbot, width):
    weights = Network((784, width, 10), seed=1).weights[0]
    images.show_weights(weights, (28, 28))
    assert images.pages_bar.isVisible() and images.per_page < width
    assert on_screen_px(images) >= MIN_PICTURE_PX - 1
    seen = []
    while True:
        seen += list(images.shown)
        k = images.shown[-1]
        np.testing.assert_array_equal(drawn(images, k), expected(images, weights[k]))
        assert images.page_label.text() == f"Neurons {images.shown.start + 1}–{images.shown.stop} of {width}"
        if not images.next.isEnabled():
            break
        qtbot.mouseClick(images.next, QtCore.Qt.MouseButton.LeftButton)
    assert seen == list(range(width))
    qtbot.mouseClick(images.previous, QtCore.Qt.MouseButton.LeftButton)
    assert images.shown.stop == seen[-1] + 1 - len(images.shown) or images.shown.start < seen[-1]


def test_a_taller_tab_fits_more_on_a_page_and_keeps_the_page_of_the_neurons_on_show(images):
    weights = Network((784, 128, 10), seed=1).weights[0]
    images.show_weights(weights, (28, 28))
    images._on_next()
    first, small = images.first, images.per_page
    images.resize(1100, 520)
    QtCore.QCoreApplication.processEvents()
    assert images.per_page > small and images.first <= first < images.first + images.per_page


def test_hovering_a_picture_names_its_neuron(images, qtbot):
    images.show_weights(Network((784, 128, 10), seed=1).weights[0], (28, 28))
    images._on_next()
    rows, columns = images.grid
    k = images.first + columns + 2  # second row, third picture
    centre = images.box.mapViewToScene(QtCore.QPointF(2 * (28 + GAP) + 14, (28 + GAP) + 14))
    assert images.neuron_at(images.image.mapFromScene(centre)) == k
    images._on_mouse_moved(centre)
    assert images.canvas.toolTip() == f"Hidden layer 1, neuron {k + 1}: what it looks for"


def test_each_picture_carries_its_neuron_number_on_every_page(images, qtbot):
    images.show_weights(Network((784, 16, 16, 10), seed=0).weights[0], (28, 28))
    numbers = [n.toPlainText() for n in images.numbers if n.isVisible()]
    assert numbers == [str(k) for k in range(1, 17)]
    rows, columns = images.grid
    second = images.numbers[columns]  # the first picture of the second row
    assert (second.pos().x(), second.pos().y()) == (0, 28 + GAP)
    images.show_weights(Network((784, 128, 10), seed=0).weights[0], (28, 28))
    images.next.click()
    numbers = [int(n.toPlainText()) for n in images.numbers if n.isVisible()]
    assert numbers == [k + 1 for k in images.shown] and numbers[0] == images.per_page + 1
