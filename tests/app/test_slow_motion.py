"""Slow motion (M): one SGD step drawn on the network — its mini-batch, its cost before and after,
every edge coloured by how much the step changed its weight — and the same colouring between two
checkpoints when moving in time."""

import re

import numpy as np
from PySide6 import QtCore

from nnviz.core.arrays import layer_views
from nnviz.core.training import Trainer
from nnviz.model.options import SLOW_MOTION_RATE, SPEEDS

TRAINING_TIMEOUT = 30_000


def edges_shown(window) -> list[np.ndarray]:
    window.network_view.finish_drawing()
    return window.network_view.edge_values


def test_one_step_in_slow_motion_shows_its_batch_its_cost_and_what_it_changed(fresh, qtbot, mnist):
    before = fresh.model.network.copy()
    qtbot.keyClick(fresh.network_view, QtCore.Qt.Key.Key_M)
    assert fresh.model.slow_motion and fresh.toolbar.slow_button.isChecked()
    assert SPEEDS[fresh.model.speed] == SLOW_MOTION_RATE and fresh.step_strip.isVisible()
    with qtbot.waitSignal(fresh.controller.progressed, timeout=TRAINING_TIMEOUT,
                          check_params_cb=lambda s: s.state == "idle" and s.batches_done == 1):
        qtbot.keyClick(fresh.network_view, QtCore.Qt.Key.Key_B)
    qtbot.waitUntil(lambda: fresh.model.step_detail is not None, timeout=5000)
    detail = fresh.model.step_detail
    # The same step taken in this process, from the same network and options: the same change.
    expected = before.copy()
    trainer = Trainer.from_options(expected, mnist, fresh.model.options)
    trainer.run_batches(1)
    change = expected.params.astype(np.float64) - before.params
    np.testing.assert_allclose(detail.change, change, rtol=1e-5, atol=1e-7)
    for shown, layer in zip(edges_shown(fresh), layer_views(detail.change, before.sizes)):
        np.testing.assert_array_equal(shown, layer[:, :-1])  # the edges: Δw, not w
    for arrows, layer in zip(fresh.network_view.arrows, layer_views(detail.change, before.sizes)):
        np.testing.assert_array_equal(arrows, layer[:, -1])  # the arrows: Δb
    strip = fresh.step_strip
    labels = [fresh.model.dataset.class_names[int(mnist.train.labels[i])] for i in detail.indices]
    assert strip.thumbnails.captions[: len(labels)] == labels
    np.testing.assert_array_equal(strip.thumbnails.images[0], mnist.train.image(int(detail.indices[0])) / 255.0)
    text = re.sub("<[^>]+>", "", strip.text.text())
    assert f"from {detail.cost_before:#.3g} to {detail.cost_after:#.3g}" in text
    assert "mini-batch 1" in text and "not one of them" in text


def test_moving_in_time_in_slow_motion_colours_the_edges_by_the_change_between_checkpoints(window):
    model = window.model
    model.set_slow_motion(True)
    model.move_to(5)
    expected = layer_views(np.asarray(model.history.parameters(5), np.float64)
                           - np.asarray(model.history.parameters(4), np.float64), model.shown.sizes)
    for shown, layer in zip(edges_shown(window), expected):
        np.testing.assert_array_equal(shown, layer[:, :-1])
    assert "From checkpoint 5 to 6" in window.step_strip.text.text()
    model.set_slow_motion(False)
    assert not window.step_strip.isVisible()
    for shown, weights in zip(edges_shown(window), model.shown.weights):
        np.testing.assert_array_equal(shown, weights)


def test_the_example_on_show_is_marked_when_it_is_in_the_step(fresh, qtbot, mnist):
    fresh.model.set_slow_motion(True)
    with qtbot.waitSignal(fresh.controller.progressed, timeout=TRAINING_TIMEOUT,
                          check_params_cb=lambda s: s.state == "idle" and s.batches_done == 1):
        qtbot.keyClick(fresh.network_view, QtCore.Qt.Key.Key_B)
    qtbot.waitUntil(lambda: fresh.model.step_detail is not None, timeout=5000)
    member = int(fresh.model.step_detail.indices[3])
    fresh.model.go_to(member, "train")  # a person browsing to the fourth digit of that step
    qtbot.waitUntil(lambda: fresh.step_strip.thumbnails.corners[3] == "on show", timeout=5000)
    assert [c for c in fresh.step_strip.thumbnails.corners if c] == ["on show"]
    assert "not one of them" not in fresh.step_strip.text.text()
