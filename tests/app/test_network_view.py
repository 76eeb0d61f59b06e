"""The network view on its own: edges drawn in slices (raster or paths, the same picture), new parameters,
values inside circles."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from nnviz.app.views.network import edge_item
from nnviz.app.views.network.labels import label_for
from nnviz.app.views.network.network_view import NetworkView
from nnviz.core.network import Network
from nnviz.render import palette
from nnviz.render.geometry import BINS, LEVELS, NEURON_DIAMETER

NAMES = tuple(str(d) for d in range(10))
#: Tests of the edge picture run with each way of drawing it.
BOTH_DRAWINGS = pytest.mark.parametrize("drawing", ["raster", "paths"])


@pytest.fixture
def drawing():
    return edge_item.DRAWING


@pytest.fixture
def view(qtbot, drawing, monkeypatch):
    monkeypatch.setattr(edge_item, "DRAWING", drawing)
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(1600, 900)
    view.show()
    qtbot.waitExposed(view)
    network = Network(seed=0)
    view.show_network(network, (28, 28), NAMES)
    view.show_forward(network.forward(np.linspace(0, 1, 784)))
    view.finish_drawing()
    return view


@pytest.fixture
def binning_steps(monkeypatch) -> list:
    """The steps of the view's binnings as they are taken (``geometry.binning``: a None per layer,
    then the bins)."""
    from nnviz.app.views.network import network_view

    steps, real = [], network_view.binning

    def watched(*args):
        for step in real(*args):
            steps.append(step)
            yield step

    monkeypatch.setattr(network_view, "binning", watched)
    return steps


def edge_point(view, neuron=7, pixel=14 * 28 + 14):
    start, end = view.layout.edge_endpoints(1)
    middle = (start[neuron * 784 + pixel] + end[neuron * 784 + pixel]) / 2
    return view.mapFromScene(view.view_box.mapViewToScene(QtCore.QPointF(*middle)))


def on_screen(view, point) -> QtGui.QColor:
    """The colour the viewport shows now (QWidget.grab of the viewport: no finishing first)."""
    return QtGui.QColor(view.viewport().grab().toImage().pixel(point))


def one_edge(view, sign):
    weights = [np.zeros_like(w) for w in view.edge_values]
    weights[0][7, 14 * 28 + 14] = sign * 3.0
    return weights


@BOTH_DRAWINGS
def test_new_edges_are_drawn_over_several_turns_and_swapped_in_when_complete(view, qtbot):
    view.set_edge_fraction(1.0)
    view.show_edge_values(one_edge(view, +1))
    view.finish_drawing()
    point = edge_point(view)
    assert on_screen(view, point).blue() > 200
    slices = []
    draw = view.edges._draw
    view.edges._draw = lambda buffer, budget: slices.append(budget) or draw(buffer, budget)
    view.edges.slice_seconds = 0.0  # one unit of work per turn
    weights = one_edge(view, -1)
    weights[1][:] = 0.5  # more pieces to draw
    view.show_edge_values(weights)
    assert view.edges.pending
    qtbot.wait(1)
    assert on_screen(view, point).blue() > 200  # the old picture until the new one is complete
    with qtbot.waitSignal(view.edges.redrawn, timeout=10_000):
        pass
    assert len(slices) > 2 and not view.edges.pending
    colour = on_screen(view, point)
    assert colour.red() > 200 and colour.blue() < 120, colour.getRgb()


@BOTH_DRAWINGS
def test_a_new_pictures_first_slice_is_short_and_bins_nothing_as_it_shares_its_turn_with_the_repaint_of_the_move(
        view, qtbot, monkeypatch, binning_steps):
    from nnviz.app.views.network.edge_item import FIRST_SLICE_SECONDS, SLICE_SECONDS

    view.set_edge_fraction(1.0)
    view.finish_drawing()
    steps = binning_steps
    turns = []  # per turn of the edges' work: its budget, whether it may bin, the binning steps it took
    work = view.edges._work

    def watched_work(budget, binning=True):
        before = len(steps)
        done = work(budget, binning)
        turns.append((budget, binning, len(steps) - before))
        return done

    monkeypatch.setattr(view.edges, "_work", watched_work)
    for sign in (-1, +1):
        turns.clear()
        view.show_edge_values(one_edge(view, sign))
        qtbot.waitUntil(lambda: not view.edges.pending, timeout=10_000)
        assert turns[0] == (FIRST_SLICE_SECONDS, False, 0) and FIRST_SLICE_SECONDS < SLICE_SECONDS
        assert all(budget == SLICE_SECONDS and may for budget, may, _ in turns[1:])
        assert sum(taken for *_, taken in turns) == 3 + 1
    assert on_screen(view, edge_point(view)).blue() > 200  # the last one


@BOTH_DRAWINGS
def test_edges_arriving_faster_than_they_are_drawn_still_reach_the_screen(view, qtbot):
    view.set_edge_fraction(1.0)
    view.edges.slice_seconds = 0.0
    for k in range(6):  # each one replaced before its picture could be complete
        view.show_edge_values(one_edge(view, +1 if k % 2 else -1))
        qtbot.wait(1)
    qtbot.waitUntil(lambda: not view.edges.pending, timeout=10_000)
    assert on_screen(view, edge_point(view)).blue() > 200  # the last one, k = 5


@BOTH_DRAWINGS
def test_a_zoom_shows_the_old_picture_scaled_then_a_sharp_one(view, qtbot):
    qtbot.waitUntil(lambda: not view.edges.pending, timeout=10_000)
    before = view.edges._front.transform.m11()
    view.view_box.scaleBy((0.5, 0.5))
    view.viewport().repaint()  # paints the old picture, scaled, and asks for a sharp one
    assert view.edges._front.transform.m11() == before and view.edges.pending
    qtbot.waitUntil(lambda: view.edges._front.transform.m11() > 1.5 * before, timeout=10_000)
    assert view.edges._front.transform.m11() == pytest.approx(2 * before, rel=0.02)


def pixels(view, drawing: str) -> np.ndarray:
    """The viewport's pixels, (H, W) 0xffRRGGBB, once its edges are drawn ``drawing``'s way."""
    view.edges.drawing = drawing
    view.show_edge_values(view.edge_values)  # a new picture, drawn that way
    QtCore.QCoreApplication.processEvents()  # the view's layout settles before the drawing
    view.finish_drawing()
    image = view.viewport().grab().toImage()
    assert not view.edges.pending  # what was grabbed is the picture for this very view
    assert (view.edges._front.raster is not None) == (drawing == "raster")
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    return np.frombuffer(image.constBits(), np.uint32).reshape(image.height(), -1)[:, :image.width()].copy()


def edge_statistics(pixels: np.ndarray) -> dict[str, float]:
    """Share of the picture in each colour family, each sign's mean strength (1/16 weak .. 1 strong),
    and the share of the strongest edges (the two levels drawn 2 px wide)."""
    colours = palette.argb(palette.edge_colours())  # negative weak → strong, then positive
    order = np.argsort(colours)
    edge = np.isin(pixels, colours)
    bin_of = order[np.searchsorted(colours[order], pixels[edge])]  # a bin of the colour of every edge pixel
    level = np.minimum(bin_of % BINS, LEVELS - 1)
    negative, strength = bin_of < BINS, (level + 1) / LEVELS
    return {"negative share": negative.sum() / pixels.size, "positive share": (~negative).sum() / pixels.size,
            "negative strength": strength[negative].mean(), "positive strength": strength[~negative].mean(),
            "strongest share": (level >= LEVELS - 2).sum() / pixels.size}


@pytest.mark.parametrize("fraction", [1.0, 0.25])
def test_the_raster_and_the_painter_draw_the_same_picture_of_the_articles_network(view, fraction):
    view.set_edge_fraction(fraction)
    raster, paths = pixels(view, "raster"), pixels(view, "paths")
    by_raster, by_paths = edge_statistics(raster), edge_statistics(paths)
    assert by_paths["negative share"] > 0.05 and by_paths["positive share"] > 0.05  # the edges are on show
    for name, value in by_paths.items():
        assert by_raster[name] == pytest.approx(value, rel=0.02), name
    assert (raster == paths).mean() > 0.98  # and almost every pixel is the very same


def test_with_a_neuron_selected_new_weights_draw_only_its_edges_over_the_faint_ones_kept(view, monkeypatch):
    networks = [Network(seed=k) for k in (1, 2)]

    def picture(network, lattice=True) -> np.ndarray:
        monkeypatch.setattr(edge_item, "LATTICE_SHARE", 0.5 if lattice else 2.0)
        view.show_edge_values(network.weights)
        view.finish_drawing()
        assert (view.edges._front.raster.under is not None) == lattice
        return view.edges._front.raster.image.copy()

    view.select_neuron((1, 3))
    first = picture(networks[0])
    kept = view.edges._lattice.raster
    spent = kept.seconds
    second = picture(networks[1])
    assert view.edges._lattice.raster is kept and kept.seconds == spent  # the faint edges not drawn again
    # The very picture drawing every edge makes, pixel for pixel.
    np.testing.assert_array_equal(second, picture(networks[1], lattice=False))
    np.testing.assert_array_equal(first, picture(networks[0], lattice=False))
    assert (first != second).any()
    view.select_neuron((2, 5))  # other faint edges
    np.testing.assert_array_equal(picture(networks[0]), picture(networks[0], lattice=False))
    assert view.edges._lattice.raster is not kept
    kept = view.edges._lattice.raster
    view.view_box.scaleBy((0.5, 0.5))  # another zoom
    QtCore.QCoreApplication.processEvents()
    np.testing.assert_array_equal(picture(networks[1]), picture(networks[1], lattice=False))
    assert view.edges._lattice.raster is not kept


def test_on_a_screen_of_two_pixels_a_point_the_raster_still_draws_what_the_painter_does():
    # The device pixel ratio is fixed when Qt starts: a process of its own, at 800x450 points.
    code = textwrap.dedent("""
        import os, sys
        os.environ["QT_SCALE_FACTOR"] = "2"
        sys.path[:0] = [{tests!r}]
        from PySide6 import QtCore, QtWidgets
        app = QtWidgets.QApplication([])
        import numpy as np
        import test_network_view as t
        from nnviz.app.views.network.network_view import NetworkView
        from nnviz.core.network import Network
        view = NetworkView()
        view.resize(800, 450)
        view.show()
        app.processEvents()
        view.show_network(Network(seed=0), (28, 28), t.NAMES)
        view.set_edge_fraction(1.0)
        assert view.devicePixelRatioF() == 2.0
        raster, paths = t.pixels(view, "raster"), t.pixels(view, "paths")
        assert raster.shape == (2 * view.viewport().height(), 1600) and view.viewport().height() > 400
        assert (raster == paths).mean() > 0.98, (raster == paths).mean()
    """).format(tests=str(Path(__file__).parent))
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


@BOTH_DRAWINGS
def test_new_parameters_for_the_same_example_update_edges_biases_and_activations(view, drawing):
    network = Network(seed=1)
    x = np.linspace(0, 1, 784)
    forward = network.forward(x)
    view.show_parameters(network, forward, answer=int(np.argmax(forward.activations[-1][0])))
    view.finish_drawing()
    np.testing.assert_array_equal(view.edge_values[0], network.weights[0])
    np.testing.assert_array_equal(view.neurons.biases[1], network.biases[1])
    np.testing.assert_allclose(view.neurons._values[-1], forward.activations[-1][0])
    assert view.edges._front.drawing.bins is view.last_bins
    assert (view.edges._front.raster is not None) == (drawing == "raster")
    with pytest.raises(ValueError):
        view.show_parameters(Network((784, 32, 10), seed=0))


def neuron_centres_px(view) -> np.ndarray:
    points = np.concatenate(view.layout.positions[1:])
    mapped = [view.mapFromScene(view.view_box.mapViewToScene(QtCore.QPointF(x, y))) for x, y in points]
    return np.array([(p.x(), p.y()) for p in mapped], float)


@pytest.mark.parametrize("activation, scale", [("sigmoid", 1.0), ("tanh", 1.0), ("relu", 300.0)])
@pytest.mark.parametrize("size", [(1280, 560), (1600, 900), (900, 480)])
def test_values_never_leave_their_circles(qtbot, view, activation, scale, size):
    network = Network(activation=activation, seed=0)
    network.weights[0] *= scale / 10
    view.resize(*size)
    view.reset_zoom()
    view.show_network(network, (28, 28), NAMES)
    view.show_forward(network.forward(np.linspace(0, 1, 784)))
    view.finish_drawing()
    qtbot.wait(1)
    view.neurons.show_values = False
    without = view.viewport().grab().toImage()
    view.neurons.show_values = True
    view.neurons.update()
    with_text = view.viewport().grab().toImage()
    a = np.frombuffer(with_text.constBits(), np.uint32).reshape(with_text.height(), -1)[:, : with_text.width()]
    b = np.frombuffer(without.constBits(), np.uint32).reshape(without.height(), -1)[:, : without.width()]
    ys, xs = np.nonzero(a != b)
    centres = neuron_centres_px(view)
    to_px = view.view_box.mapViewToScene
    radius = (to_px(QtCore.QPointF(NEURON_DIAMETER, 0)).x() - to_px(QtCore.QPointF(0, 0)).x()) / 2
    # text was drawn wherever a mid value's label fits ("0.55" needs more room than ".55" did)
    if label_for(0.55 * scale, activation, 2 * radius) is not None:
        assert len(ys) > 50
    distance = np.hypot(xs[:, None] + 0.5 - centres[None, :, 0], ys[:, None] + 0.5 - centres[None, :, 1]).min(axis=1)
    assert distance.max(initial=0.0) <= radius, f"text {distance.max():.1f} px from a centre, circles are {radius:.1f} px"


def test_new_weights_are_binned_in_the_edges_slices_not_in_the_call_that_shows_them(view, qtbot, binning_steps):
    made = binning_steps
    view.show_edge_values(one_edge(view, -1))
    view.show_edge_values(one_edge(view, +1))  # before the first one's picture was begun
    assert made == []  # nothing in the calls: a wide network's binning is milliseconds
    qtbot.waitUntil(lambda: not view.edges.pending, timeout=10_000)
    bins = [step for step in made if step is not None]
    assert len(bins) == 1 and bins[0] is view.last_bins  # the replaced one was never worked out
    assert on_screen(view, edge_point(view)).blue() > 200


def test_the_latest_bins_can_be_read_before_their_picture_is_begun(view):
    view.show_edge_values(one_edge(view, -1))
    assert view.edges.pending
    assert view.last_bins.drawn == 784 * 16 // 4 + 16 * 16 + 16 * 10  # worked out when read (a quarter of the input edges)
    negative = sum(len(view.last_bins.segments[b]) for b in range(BINS)) // 2
    assert negative == 1


@BOTH_DRAWINGS
def test_bins_arriving_every_turn_still_reach_the_screen_as_a_drag_of_the_edges_slider_sends_them(view, qtbot):
    view.edges.slice_seconds = 0.0  # one unit of work a turn: a layer's binning, or a piece of drawing
    redrawn = []
    view.edges.redrawn.connect(lambda: redrawn.append(view.edges._front.drawing.bins.drawn))
    for k in range(600):  # new bins every turn, faster than any of them is worked out and drawn
        view.set_edge_fraction(0.2 + 0.001 * k)
        QtWidgets.QApplication.processEvents()
    assert redrawn, "no picture reached the screen while the slider moved"
    with qtbot.waitSignal(view.edges.redrawn, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: not view.edges.pending, timeout=10_000)
    assert view.edges._front.drawing.bins.drawn == round((0.2 + 0.001 * 599) * 784 * 16) + 16 * 16 + 16 * 10


def test_a_repaint_of_the_network_view_or_a_plot_paints_nothing_beneath_it(qtbot):
    # They paint every pixel of themselves: the panels under them (styled backgrounds) were
    # painted first at each repaint, only to be painted over.
    from nnviz.app.views.plot import Plot

    from helpers import shown_at

    panel = QtWidgets.QWidget()
    panel.setStyleSheet("background: #202430;")
    column = QtWidgets.QVBoxLayout(panel)
    view, plot = NetworkView(), Plot()
    column.addWidget(view)
    column.addWidget(plot)
    shown_at(qtbot, panel, 800, 600)
    QtWidgets.QApplication.processEvents()
    painted = []

    class Paints(QtCore.QObject):
        def eventFilter(self, watched, event):
            if event.type() == QtCore.QEvent.Type.Paint:
                painted.append(watched)
            return False

    paints = Paints()
    for widget in (panel, view, view.viewport(), plot, plot.viewport()):
        widget.installEventFilter(paints)
    for shown in (view, plot):
        painted.clear()
        shown.viewport().update()
        qtbot.waitUntil(lambda: shown.viewport() in painted, timeout=5_000)
        assert panel not in painted and shown not in painted


def test_a_key_below_the_picture_says_what_its_colours_mean(view):
    from nnviz.app.views.network.network_view import key_text

    key = view.legend
    blue, red = ("#%02x%02x%02x" % colour for colour in (palette.POSITIVE, palette.NEGATIVE))
    assert key.isVisible() and key.text() == key_text("sigmoid")
    assert f"color:{blue}'>blue</span> w&nbsp;&gt;&nbsp;0" in key.text()
    assert f"color:{red}'>red</span> w&nbsp;&lt;&nbsp;0" in key.text()
    # below the picture, whole: the picture gives it the room it takes
    assert key.geometry().top() >= view.viewport().geometry().bottom()
    assert key.height() >= key.heightForWidth(view.width()) > 0
    # each activation's range: what black and white stand for
    assert "a&nbsp;=&nbsp;0, white for a&nbsp;=&nbsp;1." in key_text("sigmoid")
    assert "a&nbsp;=&nbsp;−1, white" in key_text("tanh")
    assert "a&nbsp;=&nbsp;1&nbsp;or&nbsp;more" in key_text("relu")
    view.show_network(Network(activation="tanh", seed=0), (28, 28), NAMES)
    assert key.text() == key_text("tanh")
    # a compared run's small view keeps its room for the picture
    view.resize(400, 300)
    QtCore.QCoreApplication.processEvents()
    assert not key.isVisible() and view.viewportMargins().bottom() == 0
    view.resize(1600, 900)
    QtCore.QCoreApplication.processEvents()
    assert key.isVisible()


def test_a_layer_writes_all_its_values_or_none(view, monkeypatch, mnist):
    # In circles too small for "0.8", a saturated neuron's "1" alone read as the neuron's number.
    from nnviz.core.data import bundled_mnist_dir
    from nnviz.core.files import load_network

    network = load_network(bundled_mnist_dir() / "pretrained-784-16-16-10.npz")[0]
    view.show_network(network, (28, 28), NAMES)
    view.show_forward(network.forward(mnist.test.inputs(0)))  # the first launch's 7: some a = 1.00
    neurons = view.neurons
    drawn, real = [], neurons._static_text
    monkeypatch.setattr(neurons, "_static_text", lambda text: drawn.append(text) or real(text))
    layers = [16, 16, 10]
    whole = {sum(n for n, keep in zip(layers, mask) if keep) for mask in np.ndindex(2, 2, 2)}
    counts = []
    for height in range(240, 900, 10):  # the window's view is wide: its height sets the circles' size
        view.resize(1600, height)
        QtCore.QCoreApplication.processEvents()
        drawn.clear()
        view.viewport().repaint()
        values = list(drawn)  # the values in the circles (the outputs' names are drawn apart)
        counts.append(len(values))
        assert len(values) in whole, (height, values)
    assert min(counts) == 0 and max(counts) == sum(layers)  # from none to every value
