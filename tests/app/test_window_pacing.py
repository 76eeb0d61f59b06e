"""The window's redraws while training, as the pacer (pacing.py) plans them from measured costs."""

import numpy as np
from PySide6 import QtCore

from nnviz.model.pacing import Pace, Redraw
from nnviz.app.training.controller import IDLE

TRAINING_TIMEOUT = 30_000


def _count_calls(monkeypatch, component, name):
    calls = []
    original = getattr(component, name)

    def counted(*args):
        calls.append(component.model.mode)
        return original(*args)
    monkeypatch.setattr(component, name, counted)
    return calls


def test_costly_edges_are_held_back_while_activations_follow_and_stopping_shows_the_last_network(fresh, qtbot,
                                                                                                  monkeypatch):
    # As on a machine where a picture of the edges costs seconds: the first snapshot draws them,
    # then the pacer waits far longer than this run lasts.
    for _ in range(5):
        fresh.redraws.pacer.measured(Redraw.EDGES, 5.0)
    # and activations may take the whole GUI thread (a busy test machine must not thin them here)
    fresh.redraws.pacer.paces[Redraw.ACTIVATIONS] = Pace(share=1.0, least=0.0)
    weights = _count_calls(monkeypatch, fresh.picture, "_show_edges")
    examples = _count_calls(monkeypatch, fresh.picture, "_show_activations")
    snapshots = []
    fresh.controller.progressed.connect(lambda s: snapshots.append(s.state))
    fresh.controls.epochs.setValue(1000)
    qtbot.mouseClick(fresh.toolbar.run_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(snapshots) >= 8, timeout=TRAINING_TIMEOUT)
    qtbot.mouseClick(fresh.toolbar.run_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: snapshots[-1] == IDLE and fresh.model.mode == IDLE, timeout=30_000)  # the last snapshot
    running = [m for m in weights if m != IDLE]
    assert len(running) <= 1  # at most the first snapshot's
    assert sum(m != IDLE for m in examples) >= len(snapshots) // 2  # the activations keep moving
    # Stopped, the edges, the activations and the progress show the network as it is now.
    fresh.network_view.finish_drawing()
    for shown, weight in zip(fresh.network_view.edge_values, fresh.model.shown.weights):
        np.testing.assert_array_equal(shown, weight)
    forward = fresh.model.shown.forward(fresh.model.dataset.split(fresh.model.example.split).inputs(fresh.model.example.index))
    shown = fresh.network_view.neurons._values[-1]
    np.testing.assert_allclose(shown, forward.output[0], rtol=1e-5, atol=1e-6)
    assert fresh.toolbar.progress.value() == fresh.model.progress.batch


def test_measured_edge_pictures_feed_the_pacer(fresh, qtbot):
    fresh.network_view.show_network(fresh.model.shown, fresh.model.dataset.image_shape, fresh.model.dataset.class_names)
    with qtbot.waitSignal(fresh.network_view.edges_redrawn, timeout=5000):
        fresh.network_view.set_edge_fraction(0.5)
    assert fresh.redraws.pacer.costs[Redraw.EDGES] > 0


def test_while_training_the_plots_grow_without_a_cursor_and_pausing_brings_it_back_with_every_epoch(fresh, qtbot):
    fresh.redraws.pacer.paces[Redraw.PLOTS] = Pace(share=1.0, least=0.0)  # the plots at every snapshot they may take
    fresh.controls.epochs.setValue(1000)
    qtbot.mouseClick(fresh.toolbar.run_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(fresh.model.history.epochs) >= 2 and fresh.plots.batch_curve.xData is not None
                    and len(fresh.plots.batch_curve.xData) > 50, timeout=TRAINING_TIMEOUT)
    assert not any(line.isVisible() for line in fresh.plots.cursors)  # the curves' ends are the cursor
    qtbot.mouseClick(fresh.toolbar.run_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fresh.model.mode == IDLE and fresh.model.trainer_state is not None, timeout=TRAINING_TIMEOUT)
    qtbot.wait(50)
    assert all(line.isVisible() and line.value() == fresh.model.position for line in fresh.plots.cursors)
    epochs = [e.epoch for e in fresh.model.history.epochs]
    np.testing.assert_array_equal(fresh.plots.validation_curve.xData, epochs)
    np.testing.assert_array_equal(fresh.plots.batch_curve.xData, fresh.model.history.cost_positions)
