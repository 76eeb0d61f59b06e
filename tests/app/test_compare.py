"""Two runs side by side: curves on the same plots, one cursor for both, the difference of weights."""

import numpy as np
import pytest

from nnviz.core.files import save_run
from nnviz.core.network import Network
from nnviz.core.training import Trainer, TrainingOptions


@pytest.fixture(scope="module")
def two_runs(mnist, tmp_path_factory):
    """Half an epoch each of a sigmoid and a ReLU network (seed 0), saved with their records."""
    folder = tmp_path_factory.mktemp("compare")
    paths = []
    for activation in ("sigmoid", "relu"):
        network = Network(activation=activation, seed=0)
        trainer = Trainer.from_options(network, mnist, TrainingOptions(halve_after=0, learning_rate=0.5))
        trainer.run_batches(2500)
        path = folder / f"{activation}.npz"
        save_run(path, network, trainer.history, epochs_trained=0)
        paths.append(path)
    return paths


def test_compare_with_shows_both_runs_and_follows_the_cursor(window, two_runs, mnist):
    sigmoid, relu = two_runs
    assert window.files.open_network(sigmoid)
    assert window.compare.compare_with(relu)
    comparison = window.model.comparison
    assert window.compare_view.isVisible() and "relu.npz" in window.compare_view.title.text()
    # both runs' curves on the same plots, labelled
    np.testing.assert_array_equal(window.plots.other_cost_curve.getData()[0], comparison.history.cost_positions)
    labels = [label.text for _, label in window.plots.cost_legend.items]
    assert any("relu.npz" in text for text in labels)
    # the timeline drives both at the same epoch
    window.timeline.moved.emit(20)
    position = window.model.position
    expected = comparison.history.parameters(comparison.history.index_at(position))
    np.testing.assert_array_equal(comparison.network.params, expected)
    shown = window.compare_view.network_view.edge_values
    np.testing.assert_array_equal(shown[0], comparison.network.weights[0])
    # the difference of the weights on the first picture, and back
    window.compare_view.difference.setChecked(True)
    difference = window.network_view.edge_values
    np.testing.assert_allclose(difference[1], window.model.shown.weights[1] - comparison.network.weights[1])
    window.compare_view.difference.setChecked(False)
    np.testing.assert_array_equal(window.network_view.edge_values[1], window.model.shown.weights[1])
    window.actions["close_comparison"].trigger()
    assert window.model.comparison is None and not window.compare_view.isVisible()
    assert len(window.plots.other_cost_curve.getData()[0] if window.plots.other_cost_curve.getData()[0] is not None else []) == 0


def test_a_run_for_another_dataset_cannot_be_compared(window, tmp_path, errors):
    path = tmp_path / "small.npz"
    save_run(path, Network((64, 8, 3), seed=0))
    assert not window.compare.compare_with(path)
    assert errors[0][0] == "Cannot compare" and "64-input" in errors[0][1]
    assert window.model.comparison is None


def test_the_compared_network_s_titles_never_run_into_each_other_at_720p(window, two_runs, qtbot):
    """The second run's view is small at the first launch's size on a 1280x720 screen: its layers'
    titles are shortened (or hidden), never overlapping; full where there is room."""
    window.resize(1152, 648)
    assert window.compare.compare_with(two_runs[1])
    qtbot.wait(50)
    for view in (window.compare_view.network_view, window.network_view):
        shown = [t for t in view._titles if t.isVisible()]
        boxes = sorted((t.deviceTransform(view.viewportTransform()).mapRect(t.boundingRect()) for t in shown),
                       key=lambda box: box.left())
        assert shown and all(a.right() < b.left() for a, b in zip(boxes, boxes[1:]))
    assert window.network_view._titles[1].text() == "hidden 1"  # the main view has room for the full names
    assert window.compare_view.network_view._titles[1].text() in ("h1", "hidden 1")
