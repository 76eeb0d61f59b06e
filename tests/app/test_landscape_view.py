"""The landscape view: computed off the GUI thread, coarse then fine, the latest network winning."""

import gc
import threading

import numpy as np
from PySide6 import QtCore
import pytest

from nnviz.app.views.landscape import LandscapeView
from nnviz.core.landscape import COARSE_GRID, GRID, flat_gradient, last_step, plane_through
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


def test_the_slice_refines_from_coarse_to_full_off_the_gui_thread(view, qtbot, sample, monkeypatch):
    x, labels = sample
    network = Network(seed=0)
    grids, threads = [], []
    view._signals.slice_ready.connect(lambda generation, s: grids.append(len(s.axis)))
    import nnviz.app.views.landscape as module
    original = module.PlaneCosts.costs
    monkeypatch.setattr(module.PlaneCosts, "costs",
                        lambda self, *a: threads.append(threading.current_thread()) or original(self, *a))
    path = [network.params + 0.01 * np.random.default_rng(0).standard_normal(len(network.params)).astype(np.float32)]
    view.show_landscape(network, x, labels, path, learning_rate=0.5, example=(x[0], int(labels[0])))
    qtbot.waitUntil(lambda: view.slice is not None and view.slice.done, timeout=30_000)
    assert grids[0] == COARSE_GRID and grids[-1] == GRID
    assert threading.main_thread() not in threads
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


def test_the_landscape_tab_follows_training_with_the_path_of_the_last_snapshots(fresh, qtbot):
    window = fresh
    for _ in range(3):
        qtbot.mouseClick(window.toolbar.batch_button, QtCore.Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.controller.state == "idle" and window.isWindowModified(), timeout=10_000)
        qtbot.wait(50)
    window.controller.shutdown()  # no snapshot arrives after this
    window.bottom.setCurrentWidget(window.landscape_view)
    view = window.landscape_view
    qtbot.waitUntil(lambda: not view.busy() and view.slice is not None and view.slice.done, timeout=30_000)
    alphas, betas = view.slice.path
    assert len(window.model.recent_params) >= 1 and len(alphas) == len(window.model.recent_params) + 1
    sample = np.arange(1000)
    x, labels = window.model.dataset.train.inputs(sample), window.model.dataset.train.labels[sample]
    plane = plane_through(window.model.shown, flat_gradient(window.model.shown, x, labels),
                          last_step(window.model.recent_params, window.model.shown.params))
    expected = plane.project(list(window.model.recent_params) + [window.model.shown.params])
    np.testing.assert_allclose(alphas, expected[0], atol=1e-6)
    np.testing.assert_allclose(betas, expected[1], atol=1e-6)


def test_the_example_curve_is_listed_once_and_only_when_there_is_an_example(view, qtbot, sample):
    x, labels = sample
    network = Network(seed=0)
    for example in [(x[0], int(labels[0])), (x[1], int(labels[1])), None, (x[2], int(labels[2]))]:
        view.show_landscape(network, x, labels, example=example)
        qtbot.waitUntil(lambda: not view.busy() and view.line is not None, timeout=30_000)
        names = [label.text for _, label in view.legend.items]
        assert names.count("this example") == (example is not None)


def test_the_garbage_collector_never_runs_on_the_worker_thread(view, qtbot, sample):
    # A collection there would free garbage Qt widgets off the GUI thread, which crashes.
    x, labels = sample
    threads = []
    record = lambda phase, info: phase == "start" and threads.append(threading.current_thread())
    threshold = gc.get_threshold()
    gc.callbacks.append(record)
    gc.set_threshold(1)  # a collection at every allocation: any allocation on the worker would run one
    try:
        view.show_landscape(Network(seed=0), x, labels, example=(x[0], int(labels[0])))
        qtbot.waitUntil(lambda: not view.busy() and view.slice is not None and view.slice.done, timeout=30_000)
        qtbot.wait(10)
    finally:
        gc.callbacks.remove(record)
        gc.set_threshold(*threshold)
    assert threading.main_thread() in threads  # the collector still runs, on the GUI thread
    assert set(threads) == {threading.main_thread()}
    assert gc.isenabled()
