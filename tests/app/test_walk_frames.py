"""The backpropagation walk exported as frames: every page of the lesson, the network picture the
window draws, and the stepper's explanation whole inside the frame (its top, its right side, its
bottom), the network's own captions never on the drawing, even in small frames."""

import numpy as np
import pytest
from PySide6 import QtCore

from nnviz.animation.options import Example
from nnviz.app.export.frames import WalkFrames
from nnviz.lessons.pages import Kind


@pytest.fixture(scope="module")
def network(mnist):
    from nnviz.core.data import bundled_mnist_dir
    from nnviz.core.files import load_network
    return load_network(bundled_mnist_dir() / "pretrained-784-16-16-10.npz")[0]


def device_rect(view, item) -> QtCore.QRectF:
    return item.deviceTransform(view.viewportTransform()).mapRect(item.boundingRect())


@pytest.mark.parametrize("size", [(640, 360), (800, 450), (1280, 720)])
def test_every_page_of_the_walk_is_whole_inside_its_frame(qapp, mnist, network, size):
    frames = WalkFrames(network, mnist, Example("test", 1), 1.0, size=size)
    try:
        view, panel = frames.view, frames.stepper
        assert frames.pages == len(frames.lesson.pages) == 12
        for page in range(frames.pages):
            image = frames.render(page)
            assert image.shape == (size[1], size[0], 3)
            lesson = frames.lesson
            assert lesson.index == page and view.lesson is not None
            # the explanation: inside the frame on the right, scrolled to its top, no scroll bar
            right = panel.mapTo(frames, QtCore.QPoint(panel.width(), 0)).x()
            assert right <= size[0] and panel.scroll.verticalScrollBar().value() == 0
            assert not panel.scroll.verticalScrollBar().isVisible()
            title = panel.explanation.title
            assert title.mapTo(frames, QtCore.QPoint(0, 0)).y() >= 0 and title.text().startswith(f"Step {page + 1} of 12")
            if size[0] >= 1280:  # a video cannot scroll: the page fits, in smaller text if need be
                explanation = panel.explanation
                assert explanation.heightForWidth(panel.scroll.viewport().width()) <= panel.scroll.viewport().height()
            # the network's captions sit above its drawing, inside the picture
            top = view.neurons.deviceTransform(view.viewportTransform()).map(QtCore.QPointF(0, view.layout.top)).y()
            for caption in view._titles:
                box = device_rect(view, caption)
                assert box.bottom() <= top + 1 and box.top() >= 0, (size, page, caption.text())
            # the picture is the lesson's page
            picture = lesson.picture
            if lesson.page.kind is Kind.WANTS:
                np.testing.assert_array_equal(view.neurons.arrows[lesson.page.layer - 1],
                                              picture.arrows[lesson.page.layer - 1])
            assert view.legend.text() == picture.legend and view.legend.geometry().bottom() <= size[1]
    finally:
        frames.close()
        frames.deleteLater()
