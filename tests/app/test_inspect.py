"""Looking inside: browsing, drawing, neurons up close, first-layer weights, mistakes, export."""

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from nnviz.app.views.input_panel import CANVAS_SIZE
from nnviz.core.evaluation import predictions


def drag(widget, points):
    """A mouse stroke through ``points``, with the button held as a person holds it. The points are
    on a 280-pixel square, scaled to the widget, so that a stroke is the same shape on any canvas."""
    left, none = QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.MouseButton.NoButton
    scale = widget.width() / 280

    def event(kind, point, button, buttons):
        position = QtCore.QPointF(point[0] * scale, point[1] * scale)
        return QtGui.QMouseEvent(kind, position, widget.mapToGlobal(position), button, buttons,
                                 QtCore.Qt.KeyboardModifier.NoModifier)

    QtWidgets.QApplication.sendEvent(widget, event(QtCore.QEvent.Type.MouseButtonPress, points[0], left, left))
    for point in points[1:]:
        QtWidgets.QApplication.sendEvent(widget, event(QtCore.QEvent.Type.MouseMove, point, none, left))
    QtWidgets.QApplication.sendEvent(widget, event(QtCore.QEvent.Type.MouseButtonRelease, points[-1], left, none))


def shown_input(window):
    return window.network_view.image.image.ravel()


# -- browsing ---------------------------------------------------------------------------------------

def test_browse_by_digit_only_shows_that_digit(window, qtbot, mnist):
    window.input_panel.digit.setCurrentText("3")
    for _ in range(5):
        qtbot.mouseClick(window.input_panel.next_button, QtCore.Qt.MouseButton.LeftButton)
        assert mnist.test.labels[window.model.example.index] == 3
    assert "Label <b>3</b>" in window.input_panel.caption.text()


def test_only_the_misclassified_ones(window, qtbot, mnist):
    window.input_panel.only_mistakes.setChecked(True)
    answers = predictions(window.model.shown, mnist.test)
    seen = set()
    for _ in range(6):
        qtbot.mouseClick(window.input_panel.next_button, QtCore.Qt.MouseButton.LeftButton)
        i = window.model.example.index
        assert answers[i] != mnist.test.labels[i]
        seen.add(i)
        assert "color:#f04838" in window.input_panel.caption.text()  # the answer is shown wrong, in red
    assert len(seen) == 6


def test_other_sets_and_going_to_an_index(window, mnist):
    window.input_panel.split.setCurrentText("validation")
    window.input_panel.index.setValue(42)
    assert window.model.example.index == 41
    assert window.input_panel.position.text() == "validation example 42 of 10,000"
    np.testing.assert_allclose(shown_input(window), mnist.validation.inputs(41), atol=1e-6)


# -- drawing ----------------------------------------------------------------------------------------

def test_drawing_a_one_is_read_as_one_live(window, qtbot):
    window.input_panel.setCurrentIndex(1)
    assert "Draw a digit" in window.input_panel.draw_caption.text()
    canvas = window.input_panel.canvas
    drag(canvas, [(140, 40), (140, 80), (139, 120), (138, 160), (137, 200), (136, 240)])
    x = window.examples.drawn_input()
    image = x.reshape(28, 28)
    assert 0 <= image.min() and image.max() <= 1 and image.max() > 0.5
    ys, xs = np.indices(image.shape)
    assert abs((ys * image).sum() / image.sum() - 14) < 0.1 and abs((xs * image).sum() / image.sum() - 14) < 0.1
    assert window.network_view.neurons._answer == 1
    assert "says <b style='color:#ffc400'>1</b>" in window.input_panel.draw_caption.text()
    np.testing.assert_allclose(shown_input(window), x, atol=1e-6)


def test_drawing_a_seven(window):
    window.input_panel.setCurrentIndex(1)
    drag(window.input_panel.canvas, [(70, 60), (140, 60), (210, 60), (180, 120), (150, 180), (120, 240)])
    assert window.network_view.neurons._answer == 7


def test_an_empty_canvas_or_a_dot_asks_for_a_digit_calmly(window, qtbot):
    window.input_panel.setCurrentIndex(1)
    drag(window.input_panel.canvas, [(100, 100)])  # a single dot
    assert window.examples.drawn_input() is None
    assert "Draw a digit" in window.input_panel.draw_caption.text()
    assert np.isfinite(window.network_view.neurons._values[-1]).all()
    qtbot.mouseClick(window.input_panel.clear_button, QtCore.Qt.MouseButton.LeftButton)
    assert window.input_panel.canvas.ink().max() == 0


def test_thicker_pen_more_ink(window):
    window.input_panel.setCurrentIndex(1)
    canvas = window.input_panel.canvas
    window.input_panel.pen.setValue(round(10 * CANVAS_SIZE / 280))
    drag(canvas, [(60, 140), (220, 140)])
    thin = canvas.ink().sum()
    canvas.clear()
    window.input_panel.pen.setValue(round(35 * CANVAS_SIZE / 280))
    drag(canvas, [(60, 140), (220, 140)])
    assert canvas.ink().sum() > 2.5 * thin


# -- neurons ------------------------------------------------------------------------------------------

def neuron_point(window, layer, k):
    view = window.network_view
    x, y = view.layout.positions[layer][k]
    return view.mapFromScene(view.view_box.mapViewToScene(QtCore.QPointF(x, y)))


def test_hovering_a_neuron_shows_its_activation_bias_and_z(window):
    view = window.network_view
    forward = window.model.shown.forward(window.model.dataset.test.inputs(0))
    text = view.neurons.describe(2, 5)
    assert f"a = {forward.activations[2][0][5]:.4f}" in text
    assert f"z = {forward.zs[1][0][5]:+.4f}" in text
    assert f"b = {window.model.shown.biases[1][5]:+.4f}" in text


def test_clicking_a_first_layer_neuron_highlights_its_edges_and_shows_what_it_looks_for(window, qtbot):
    view = window.network_view
    qtbot.mouseClick(view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=neuron_point(window, 1, 6))
    assert view.neurons.selected == (1, 6)
    shown = view.displayed_values
    assert np.count_nonzero(shown[0]) == np.count_nonzero(window.model.shown.weights[0][6])
    assert np.count_nonzero(shown[1]) == 16 and not shown[2].any()
    np.testing.assert_array_equal(shown[1][:, 6], window.model.shown.weights[1][:, 6])
    panel = window.neuron_panel
    assert window.bottom.currentWidget() is panel and panel.picture.isVisible()
    np.testing.assert_array_equal(panel.picture_item.image, window.model.shown.weights[0][6].reshape(28, 28))
    # a click on empty space shows every edge again
    qtbot.mouseClick(view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=QtCore.QPoint(5, 5))
    assert view.neurons.selected is None


def test_clicking_an_output_neuron_shows_its_weights_as_bars(window, qtbot):
    qtbot.mouseClick(window.network_view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=neuron_point(window, 3, 2))
    panel = window.neuron_panel
    assert panel.plot.isVisible() and not panel.picture.isVisible()
    np.testing.assert_array_equal(panel.bars.opts["height"], window.model.shown.weights[2][2])


# -- the first layer's weights, mistakes, export -------------------------------------------------

def test_first_layer_weight_images_follow_training(fresh, qtbot):
    fresh.bottom.setCurrentWidget(fresh.weight_images_page)
    images = fresh.weight_images
    assert list(images.shown) == list(range(16))  # the article's 16 on one page
    np.testing.assert_array_equal(images.picture(4), fresh.model.shown.weights[0][4].reshape(28, 28))
    before = images.picture(4).copy()
    # A whole epoch, the first one of a new training process: generous for a loaded machine.
    with qtbot.waitSignal(fresh.controller.progressed, timeout=30_000, check_params_cb=lambda s: s.state == "idle" and s.batches_done):
        qtbot.mouseClick(fresh.toolbar.epoch_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not np.array_equal(images.picture(4), before), timeout=5000)
    np.testing.assert_array_equal(images.picture(4), fresh.model.shown.weights[0][4].reshape(28, 28))
    assert images.limit == pytest.approx(np.percentile(np.abs(fresh.model.shown.weights[0]), 99.5))


def test_confusion_matrix_and_browsing_a_cell(window, mnist, qtbot):
    window.bottom.setCurrentWidget(window.confusion_page)
    qtbot.waitUntil(lambda: not window.mistakes.busy())
    matrix = window.confusion.matrix
    answers = predictions(window.model.shown, mnist.test)
    assert matrix.sum() == 10_000 and matrix.trace() == (answers == mnist.test.labels).sum()
    assert f"{matrix.trace() / 10_000:.2%}" in window.confusion.summary.text()
    window.confusion.cell_clicked.emit(4, 9)  # what a click on row 4, column 9 emits
    i = window.model.example.index
    assert mnist.test.labels[i] == 4 and answers[i] == 9
    window.examples.browse(+1)
    assert mnist.test.labels[window.model.example.index] == 4 and answers[window.model.example.index] == 9


def test_a_click_on_a_matrix_cell_emits_it(window, qtbot):
    window.bottom.setCurrentWidget(window.confusion_page)
    qtbot.waitUntil(lambda: not window.mistakes.busy())
    with qtbot.waitSignal(window.confusion.cell_clicked) as blocker:
        class Click:
            def pos(self):
                return QtCore.QPointF(7.5, 2.5)

            def accept(self):
                pass
        window.confusion._on_click(Click())
    assert blocker.args == [2, 7]


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_export_the_network_picture_and_the_plots(window, tmp_path, suffix):
    assert window.export.export_network(tmp_path / f"network{suffix}")
    assert window.export.export_plots(tmp_path / f"plots{suffix}")
    if suffix == ".png":
        picture = QtGui.QImage(str(tmp_path / "network.png"))
        assert picture.width() == window.network_view.width() * window.network_view.devicePixelRatio()
        assert not QtGui.QImage(str(tmp_path / "plots.png")).isNull()
    else:
        svg = (tmp_path / "network.svg").read_text()
        assert "<svg" in svg and svg.count("<path") >= 10
        assert "<svg" in (tmp_path / "plots-cost.svg").read_text()
        assert "<svg" in (tmp_path / "plots-accuracy.svg").read_text()


def test_moving_the_mouse_over_a_neuron_sets_its_tooltip(window, qtbot):
    view = window.network_view
    qtbot.mouseMove(view.viewport(), neuron_point(window, 2, 5))
    qtbot.mouseMove(view.viewport(), neuron_point(window, 2, 5) + QtCore.QPoint(1, 0))
    # index 5 is the sixth neuron: people count from 1, as "example 1 of 10,000" does
    qtbot.waitUntil(lambda: "hidden layer 2, neuron 6" in view.neurons.toolTip(), timeout=2000)
    assert "weighted input z" in view.neurons.toolTip()
