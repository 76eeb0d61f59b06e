"""The network view on its own: edges drawn in slices, new parameters, values inside circles."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from nnviz.app.geometry import NEURON_DIAMETER
from nnviz.app.views.network.labels import label_for
from nnviz.app.views.network.network_view import NetworkView
from nnviz.core.network import Network

NAMES = tuple(str(d) for d in range(10))


@pytest.fixture
def view(qtbot):
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


def test_new_edges_are_drawn_over_several_turns_and_swapped_in_when_complete(view, qtbot):
    view.set_edge_fraction(1.0)
    view.show_edge_values(one_edge(view, +1))
    view.finish_drawing()
    point = edge_point(view)
    assert on_screen(view, point).blue() > 200
    slices = []
    draw = view.edges._draw
    view.edges._draw = lambda buffer, budget: slices.append(budget) or draw(buffer, budget)
    view.edges.slice_seconds = 0.0  # one piece per turn
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


def test_edges_arriving_faster_than_they_are_drawn_still_reach_the_screen(view, qtbot):
    view.set_edge_fraction(1.0)
    view.edges.slice_seconds = 0.0
    for k in range(6):  # each one replaced before its picture could be complete
        view.show_edge_values(one_edge(view, +1 if k % 2 else -1))
        qtbot.wait(1)
    qtbot.waitUntil(lambda: not view.edges.pending, timeout=10_000)
    assert on_screen(view, edge_point(view)).blue() > 200  # the last one, k = 5


def test_a_zoom_shows_the_old_picture_scaled_then_a_sharp_one(view, qtbot):
    qtbot.waitUntil(lambda: not view.edges.pending, timeout=10_000)
    before = view.edges._front.transform.m11()
    view.view_box.scaleBy((0.5, 0.5))
    view.viewport().repaint()  # paints the old picture, scaled, and asks for a sharp one
    assert view.edges._front.transform.m11() == before and view.edges.pending
    qtbot.waitUntil(lambda: view.edges._front.transform.m11() > 1.5 * before, timeout=10_000)
    assert view.edges._front.transform.m11() == pytest.approx(2 * before, rel=0.02)


def test_new_parameters_for_the_same_example_update_edges_biases_and_activations(view):
    network = Network(seed=1)
    x = np.linspace(0, 1, 784)
    forward = network.forward(x)
    view.show_parameters(network, forward, answer=int(np.argmax(forward.activations[-1][0])))
    view.finish_drawing()
    np.testing.assert_array_equal(view.edge_values[0], network.weights[0])
    np.testing.assert_array_equal(view.neurons.biases[1], network.biases[1])
    np.testing.assert_allclose(view.neurons._values[-1], forward.activations[-1][0])
    assert view.edges._front.drawing.bins is view.last_bins
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
