"""The landscape view (the stepper's step page): computed in short slices on the GUI thread, coarse
then fine, the latest network winning."""

import threading

import numpy as np
import pytest

from nnviz.app.views.landscape import LandscapeView
from nnviz.core.landscape import COARSE_GRID, GRID, flat_gradient, plane_through
from nnviz.core.network import Network


@pytest.fixture
def view(qtbot):
    view = LandscapeView()
    qtbot.addWidget(view)
    view.resize(900, 320)
    view.show()
    yield view
    view.wait()


@pytest.fixture
def sample(mnist):
    return mnist.train.inputs(np.arange(300)), mnist.train.labels[:300]


def direct_cost(network, params, x, labels):
    twin = network.copy()
    twin.params[:] = params
    return twin.cost_of(x, labels)


def test_the_slice_refines_from_coarse_to_full_a_few_points_a_turn_on_the_gui_thread(view, qtbot, sample, monkeypatch):
    x, labels = sample
    network = Network(seed=0)
    grids, calls = [], []
    original_ready = view._on_slice_ready
    monkeypatch.setattr(view, "_on_slice_ready", lambda s: grids.append(len(s.axis)) or original_ready(s))
    import nnviz.app.views.landscape as module
    original = module.PlaneCosts.costs
    monkeypatch.setattr(module.PlaneCosts, "costs",
                        lambda self, a, b: calls.append((threading.current_thread(), len(a) * len(self.y))) or original(self, a, b))
    path = [network.params + 0.01 * np.random.default_rng(0).standard_normal(len(network.params)).astype(np.float32)]
    view.show_landscape(network, x, labels, path, learning_rate=0.5, example=(x[0], int(labels[0])))
    assert view.busy() and view.slice is None  # nothing computed before the event loop's next turn
    qtbot.waitUntil(lambda: view.slice is not None and view.slice.done, timeout=30_000)
    assert grids[0] == COARSE_GRID and grids[-1] == GRID
    # every slice of the work evaluates a few grid points on the sample (or a line on one example), in the GUI thread
    assert {thread for thread, _ in calls} == {threading.main_thread()}
    assert max(work for _, work in calls) <= module.POINTS_AT_ONCE * len(labels)
    s = view.slice
    assert s.costs.shape == (GRID, GRID) and np.isfinite(s.costs).all()
    # values equal direct evaluations of the cost at the same parameters
    plane = plane_through(network, flat_gradient(network, x, labels), network.params.astype(np.float64) - path[0])
    assert s.second == plane.second == "the previous step"
    for i, j in [(0, 0), (20, 20), (40, 3), (7, 33)]:
        assert s.costs[j, i] == pytest.approx(direct_cost(network, plane.point(s.axis[i], s.axis[j]), x, labels), rel=1e-4)
    # the path drawn is the projection of the actual parameters, and θ is at the origin
    alphas, betas = s.path
    expected = plane.project([path[0], network.params])
    np.testing.assert_allclose(alphas, expected[0], atol=1e-9)
    np.testing.assert_allclose(betas, expected[1], atol=1e-9)
    np.testing.assert_allclose(view.path_curve.getData()[0], alphas)
    assert abs(alphas[-1]) < 1e-9 and abs(betas[-1]) < 1e-9
    # the line: η's step is marked, and its costs are the cost after stepping t along -∇C
    line = view.line
    assert view.eta_line.value() == pytest.approx(0.5)
    g = flat_gradient(network, x, labels)
    assert line.sample[10] == pytest.approx(direct_cost(network, network.params - line.ts[10] * g, x, labels), rel=1e-4)
    assert line.example is not None and line.example[1] < line.example[0]
    assert "13,002" in view.slice_plot.plotItem.titleLabel.text


def test_a_new_network_cancels_the_computation_for_the_old_one(view, qtbot, sample):
    x, labels = sample
    first, second = Network(seed=0), Network(seed=1)
    view.show_landscape(first, x, labels)
    view.show_landscape(second, x, labels)
    qtbot.waitUntil(lambda: not view.busy() and view.slice is not None and view.slice.done, timeout=30_000)
    g = flat_gradient(second, x, labels)
    assert view.line.sample[0] == pytest.approx(second.cost_of(x, labels), rel=1e-5)
    assert view.slice.costs[GRID // 2, GRID // 2] == pytest.approx(second.cost_of(x, labels), rel=1e-4)
    assert view.slice.second == "a random direction" and np.linalg.norm(g) > 0


def test_the_example_curve_is_listed_once_and_only_when_there_is_an_example(view, qtbot, sample):
    x, labels = sample
    network = Network(seed=0)
    for example in [(x[0], int(labels[0])), (x[1], int(labels[1])), None, (x[2], int(labels[2]))]:
        view.show_landscape(network, x, labels, example=example)
        qtbot.waitUntil(lambda: not view.busy() and view.line is not None, timeout=30_000)
        names = [label.text for _, label in view.legend.items]
        assert names.count("this example") == (example is not None)


def test_wait_finishes_the_computation_at_once_without_a_thread(view, sample):
    x, labels = sample
    threads = set(threading.enumerate())
    view.show_landscape(Network(seed=0), x, labels)
    assert view.wait() and not view.busy() and view.slice.done and not view._timer.isActive()
    assert set(threading.enumerate()) == threads
