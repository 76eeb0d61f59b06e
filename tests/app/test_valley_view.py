"""The Valley view draws what the core computed: levels, contours, the path and its ball, clicks."""

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from nnviz.app.shell import theme
from nnviz.app.views.valley import SMOOTHING, ValleyView, contour_lines, two_lines, upsampled
from nnviz.app.views.valley_3d import opengl_available
from nnviz.core.network import Network
from nnviz.core.training import Trainer
from nnviz.core.valley import plane_named, training_sample, valley_stages


@pytest.fixture(scope="module")
def run(mnist):
    """A real run's first 400 mini-batches, and 200 training examples to take costs on."""
    network = Network(seed=0)
    trainer = Trainer(network, mnist, batch_size=10, learning_rate=1.0, seed=0, evaluate_test=False)
    trainer.run_batches(400)
    x, labels = training_sample(mnist.train, size=200)
    return network, trainer.history, x, labels


@pytest.fixture(scope="module")
def stages(run):
    """Every stage of the run's valley on its own plane."""
    network, history, x, labels = run
    plane = plane_named("run", network, history, x, labels)
    return list(valley_stages(network, plane, [("run", history)], x, labels, size=21, coarse=6))


@pytest.fixture(scope="module")
def other_planes(run):
    """The same run's valley on a random plane and on the local plane (small grids)."""
    network, history, x, labels = run
    return [list(valley_stages(network, plane_named(kind, network, history, x, labels), [("run", history)], x, labels,
                               size=5, coarse=3))[-1]
            for kind in ("random", "local")]


@pytest.fixture
def view(qtbot):
    view = ValleyView()
    view.setStyleSheet(theme.STYLE_SHEET)
    qtbot.addWidget(view)
    view.resize(1000, 250)  # a bottom tab at the first launch's size on a 1280x720 screen
    view.show()
    qtbot.waitExposed(view)
    return view


def settle(qtbot):
    qtbot.wait(20)  # layouts and the plot's range settle in the event loop


def pixel_of(view, alpha, beta) -> QtCore.QPoint:
    """Where (α, β) is drawn, in the plot widget's pixels."""
    scene = view.plot.getPlotItem().vb.mapViewToScene(QtCore.QPointF(alpha, beta))
    return view.plot.mapFromScene(scene)


def luma(colour: QtGui.QColor) -> float:
    return 0.299 * colour.redF() + 0.587 * colour.greenF() + 0.114 * colour.blueF()


def test_the_image_shows_the_grids_costs_dark_for_low(view, stages, qtbot):
    valley = stages[-1]
    view.show_valley(valley)
    settle(qtbot)
    shown = view.image.image[::SMOOTHING, ::SMOOTHING]
    np.testing.assert_allclose(shown, np.log10(valley.costs), rtol=1e-6)  # log colour, grid points kept
    low, high = np.log10(valley.costs.min()), np.log10(valley.costs.max())
    np.testing.assert_allclose(view.image.getLevels(), (low, high), rtol=1e-9)
    np.testing.assert_allclose(view.colour_bar.levels(), (low, high), rtol=1e-9)
    # every grid point's colour is brighter the higher its cost (viridis' luminance rises)
    view.image.render()
    picture = view.image.qimage
    luminance = np.array([[luma(QtGui.QColor(picture.pixel(i * SMOOTHING, j * SMOOTHING)))
                           for i in range(len(valley.alphas))] for j in range(len(valley.betas))])
    order = np.argsort(valley.costs.ravel())
    assert np.all(np.diff(luminance.ravel()[order]) >= -0.02)
    assert luminance.ravel()[order[-1]] - luminance.ravel()[order[0]] > 0.5
    assert "dark = low" in view.colour_bar.getAxis("left").labelText


def test_contours_lie_at_their_levels():
    alphas, betas = np.linspace(-2, 3, 11), np.linspace(-1, 1, 7)
    costs = 0.5 + alphas[None, :] ** 2 + 2 * betas[:, None] ** 2  # (m, n): row j at β_j
    xs, ys = contour_lines(costs, alphas, betas, [1.0, 2.5])
    points = np.isfinite(xs)
    assert points.sum() > 20
    for x, y in zip(xs[points], ys[points]):
        # bilinear interpolation of the grid at the vertex: marching squares puts it on a cell edge
        i = min(int(np.searchsorted(alphas, x)) - 1, len(alphas) - 2)
        j = min(int(np.searchsorted(betas, y)) - 1, len(betas) - 2)
        i, j = max(i, 0), max(j, 0)
        s, t = (x - alphas[i]) / (alphas[i + 1] - alphas[i]), (y - betas[j]) / (betas[j + 1] - betas[j])
        value = ((1 - s) * (1 - t) * costs[j, i] + s * (1 - t) * costs[j, i + 1]
                 + (1 - s) * t * costs[j + 1, i] + s * t * costs[j + 1, i + 1])
        assert min(abs(value - 1.0), abs(value - 2.5)) < 1e-9


def test_the_smoothed_picture_keeps_every_computed_value():
    costs = np.random.default_rng(0).random((5, 7))
    fine = upsampled(costs, 4)
    assert fine.shape == (17, 25)
    np.testing.assert_array_equal(fine[::4, ::4], costs)


def test_the_ball_sits_at_its_checkpoint_and_the_caption_tells_its_costs(view, stages, qtbot):
    valley = stages[-1]
    path = valley.paths[0]
    view.show_valley(valley)
    assert view.ball == len(path) - 1  # at the end until told otherwise
    view.show_ball(7)
    x, y = view.ball_item.getData()
    assert (x[0], y[0]) == tuple(path.coordinates[7])
    caption = view.caption.text()
    assert f"checkpoint 8 of {len(path)}" in caption and f"epoch {path.positions[7]:.2f}" in caption
    assert f"its cost {path.costs[7]:.3f}, the surface under it {path.surface[7]:.3f}" in caption
    assert f"{path.distances[7]:.3g} off the plane" in caption
    view.show_ball(10_000)
    assert view.ball == len(path) - 1
    assert "It lies on the plane" in view.caption.text()  # the run's end is the plane's centre
    # the path is the projected checkpoints, from the start
    np.testing.assert_array_equal(np.column_stack(view.path.getData()), path.coordinates)
    np.testing.assert_array_equal(np.column_stack(view.start.getData()), path.coordinates[:1])


def test_a_click_goes_to_the_nearest_checkpoint(view, stages, qtbot):
    valley = stages[-1]
    view.show_valley(valley)
    settle(qtbot)
    coordinates = valley.paths[0].coordinates
    gaps = np.linalg.norm(coordinates[:, None] - coordinates[None], axis=2) + np.eye(len(coordinates)) * 1e9
    for k in (int(np.argmax(gaps.min(axis=1))), 0):
        target = pixel_of(view, *coordinates[k])
        with qtbot.waitSignal(view.checkpoint_clicked, timeout=1000) as clicked:
            qtbot.mouseClick(view.plot.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=target + QtCore.QPoint(1, 1))
        assert clicked.args == [k]


def test_labels_fit_in_a_bottom_tab(view, stages, other_planes, qtbot):
    for valley in (stages[-1], *other_planes):
        view.show_valley(valley)
        settle(qtbot)
        plot_rect = QtCore.QRectF(view.plot.rect())
        for axis in (view.plot.getAxis("left"), view.plot.getAxis("bottom"), view.colour_bar.getAxis("left")):
            label = axis.label
            margin = label.document().documentMargin()  # blank space around the text, inside its rect
            text = label.boundingRect().adjusted(margin, margin, -margin, -margin)
            along = axis.geometry().height() if axis.orientation == "left" else axis.geometry().width()
            assert text.width() <= along, label.toPlainText()
            box = label.mapRectToScene(text)
            assert plot_rect.contains(QtCore.QRectF(view.plot.mapFromScene(box).boundingRect())), label.toPlainText()
        assert "% of the path" in view.plot.getAxis("bottom").labelText
        caption = view.caption
        assert caption.heightForWidth(caption.width()) <= caption.height()
        for button in view.plane_buttons.buttons():
            corner = button.mapTo(view, QtCore.QPoint(button.width(), button.height()))
            assert view.rect().contains(corner) and button.isVisible()
        # side by side in the strip, the valley on the left as big as the height allows
        assert view.pictures.geometry().right() < view.side.geometry().left()
        assert view.plot.getPlotItem().vb.height() >= 150


def test_stacked_when_it_takes_the_networks_place(view, stages, qtbot):
    view.resize(1000, 620)
    view.show_valley(stages[-1])
    settle(qtbot)
    assert view.side.geometry().top() >= view.pictures.geometry().bottom()
    assert view.plot.getPlotItem().vb.height() >= 400
    assert view.caption.heightForWidth(view.caption.width()) <= view.caption.height()


def test_partial_valleys_show_progress_and_the_coarse_look(view, stages, qtbot):
    coarse = stages[1]
    view.show_partial(coarse)
    assert "coarse" in view.caption.text()
    assert np.isfinite(view.image.image).all()  # the coarse grid fills the whole picture
    middle = next(s for s in stages if s.rows_done == 10)
    view.show_partial(middle)
    assert f"Refining: 10 of {len(middle.betas)} rows" in view.caption.text()
    view.show_valley(stages[-1])
    assert "Refining" not in view.caption.text() and "coarse" not in view.caption.text()


def test_the_plane_chooser_says_what_was_chosen(view, stages, qtbot):
    view.show_valley(stages[-1])
    buttons = {b.objectName(): b for b in view.plane_buttons.buttons()}
    assert buttons["plane_run"].isChecked()
    with qtbot.waitSignal(view.plane_chosen, timeout=1000) as chosen:
        qtbot.mouseClick(buttons["plane_random"], QtCore.Qt.MouseButton.LeftButton)
    assert chosen.args == ["random"]


def test_another_path_is_drawn_dashed_on_the_same_plane(view, stages, qtbot):
    valley = stages[-1]
    view.show_valley(valley)
    other = valley.paths[0]
    view.show_paths([other])
    x, y = view.other_paths.getData()
    np.testing.assert_array_equal(x[:-1], other.coordinates[:, 0])
    assert np.isnan(x[-1]) and view.other_paths.opts["pen"].style() == QtCore.Qt.PenStyle.DashLine
    assert "Dashed: run" in view.caption.text()
    view.show_paths([])
    assert len(view.other_paths.getData()[0] or []) == 0


def test_without_opengl_the_3d_toggle_is_off_and_quiet(view, stages):
    assert not opengl_available()  # offscreen: no GPU, no context
    assert not view.toggle_3d.isEnabled()
    assert "OpenGL" in view.toggle_3d.toolTip()
    # asked anyway (a shortcut, a script): the map stays, nothing is raised or logged
    view.show_valley(stages[-1])
    view.toggle_3d.setChecked(True)
    assert view.pictures.currentWidget() is view.plot and not view.toggle_3d.isChecked()


def test_a_message_replaces_the_caption_and_greys_the_picture(view, stages):
    view.show_valley(stages[-1])
    view.show_message("Out of date: the network changed. Recomputing…")
    assert view.caption.text().startswith("Out of date") and not view.pictures.isEnabled()
    view.show_valley(stages[-1])
    assert view.pictures.isEnabled()


def test_both_axes_keep_one_scale_whatever_the_window_s_shape(view, stages, qtbot):
    """A unit along α is as long on screen as a unit along β: a round valley looks round."""
    view.show_valley(stages[-1])
    for width, height in ((1000, 250), (400, 700)):
        view.resize(width, height)
        settle(qtbot)
        x_size, y_size = view.plot.getPlotItem().vb.viewPixelSize()
        assert x_size == pytest.approx(y_size, rel=1e-6)


def test_a_long_axis_name_goes_on_two_lines_before_it_is_cut_short():
    label = "to gradient descent's end ⊥ (4% of the path)"
    assert two_lines(label, lambda line: len(line) <= 26) == ("to gradient descent's end", "⊥ (4% of the path)")
    assert two_lines(label, lambda line: len(line) <= 12) is None  # then the name alone, cut short
