"""The Cost valley tab in the window: the run's valley computed in the compute process (the core's
numbers, coarse first), never stale, tied to the timeline, on the plane chosen, shared by two runs
compared, in the network's place on V; the race of SGD against gradient descent; and the valley
around one step that the stepper's step page draws."""

import numpy as np
import pytest
from PySide6 import QtCore

from nnviz.app.components.valley import SAMPLE_SEED, WAITING, LocalValley
from nnviz.app.shell.actions import shortcut_rows
from nnviz.app.views.valley import ValleyView
from nnviz.core import computations
from nnviz.core.files import save_run
from nnviz.core.network import Network
from nnviz.core.training import Trainer
from nnviz.core.valley import SAMPLE_SIZE, training_sample

TIMEOUT = 60_000


def computed(window):
    model = window.model
    return model.valley is not None and model.valley.complete and model.valley_current() and not window.jobs.busy()


def show(window, qtbot):
    """The Cost valley tab, and its valley once computed."""
    window.bottom.setCurrentWidget(window.valley_tab)
    qtbot.waitUntil(lambda: computed(window), timeout=TIMEOUT)
    return window.valley_panel.valley


def pixel_of(view, alpha, beta) -> QtCore.QPoint:
    scene = view.plot.getPlotItem().vb.mapViewToScene(QtCore.QPointF(alpha, beta))
    return view.plot.mapFromScene(scene)


def test_the_tab_shows_the_core_s_valley_coarse_first_and_the_ball_at_the_cursor(window, qtbot):
    assert window.bottom.tabText(window.bottom.indexOf(window.valley_tab)) == "Cost valley"
    captions = []
    window.valley_panel.valley.caption.setObjectName("valley caption")
    window.model.events.valley.connect(lambda cause: captions.append(window.valley_panel.valley.caption.text()))
    view = show(window, qtbot)
    model = window.model
    inputs = model.valley_made_from
    x, labels = training_sample(model.dataset.train, SAMPLE_SIZE, SAMPLE_SEED, model.network.dtype)
    here = list(computations.valley(inputs.network, "run", inputs.paths, x, labels))[-1]
    valley = model.valley
    assert view.valley is valley and valley.kind == "run" and len(valley.alphas) == 41
    # the compute process uses one BLAS thread: float32 sums in another order
    np.testing.assert_allclose(valley.costs, here.costs, rtol=1e-5)
    np.testing.assert_allclose(valley.paths[0].coordinates, here.paths[0].coordinates, rtol=1e-6, atol=1e-9)
    partial = [c for c in captions if "coarse" in c or "Refining" in c or "Computing" in c]
    assert partial and partial[-1] != captions[-1]  # progress shown, then the valley complete
    assert view.ball == model.stop_index() == len(valley.paths[0]) - 1
    assert view.pictures.isEnabled() and "Out of date" not in view.caption.text()


def test_the_ball_follows_the_cursor_and_replay_and_a_click_moves_the_cursor(window, qtbot):
    view = show(window, qtbot)
    model, valley = window.model, window.model.valley
    model.move_to(10)
    assert view.ball == 10 and tuple(np.ravel(view.ball_item.getData())) == tuple(valley.paths[0].coordinates[10])
    assert "checkpoint 11 of" in view.caption.text()
    balls = []
    model.events.cursor.connect(lambda cause: balls.append(view.ball))
    model.move_to(0)
    window.timeline.replay_button.click()
    qtbot.waitUntil(lambda: len(balls) >= 4, timeout=10_000)
    window.timeline.stop_replay()
    assert balls[1:4] == [1, 2, 3] and model.valley is valley  # rolled, nothing recomputed
    coordinates = valley.paths[0].coordinates
    gaps = np.linalg.norm(coordinates[:, None] - coordinates[None], axis=2) + np.eye(len(coordinates)) * 1e9
    k = int(np.argmax(gaps.min(axis=1)))  # the checkpoint farthest from any other: a click finds it
    qtbot.mouseClick(view.plot.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=pixel_of(view, *coordinates[k]))
    assert model.stop_index() == k and view.ball == k


def test_choosing_a_plane_says_out_of_date_until_its_valley_is_computed(window, qtbot):
    view = show(window, qtbot)
    old = window.model.valley
    buttons = {b.objectName(): b for b in view.plane_buttons.buttons()}
    qtbot.mouseClick(buttons["plane_random"], QtCore.Qt.MouseButton.LeftButton)
    assert window.model.valley_plane == "random"
    assert view.caption.text().startswith("Out of date: another plane was chosen") and not view.pictures.isEnabled()
    assert view.valley is old  # the old picture, greyed, until the new one's first stage
    qtbot.waitUntil(lambda: computed(window), timeout=TIMEOUT)
    assert view.valley.kind == "random" and view.pictures.isEnabled() and buttons["plane_random"].isChecked()
    assert "random directions" in view.caption.text()
    qtbot.mouseClick(buttons["plane_local"], QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: computed(window), timeout=TIMEOUT)
    assert view.valley.kind == "local"
    window.model.move_to(5)  # the local plane passes through the checkpoint on show
    assert "Out of date: the checkpoint on show changed" in view.caption.text()
    qtbot.waitUntil(lambda: computed(window), timeout=TIMEOUT)
    np.testing.assert_allclose(view.valley.paths[0].coordinates[5], (0, 0), atol=1e-6)


def test_a_new_network_has_no_valley_until_it_trains_and_training_waits_for_a_pause(fresh, qtbot):
    window = fresh
    window.bottom.setCurrentWidget(window.valley_tab)
    view = window.valley_panel.valley
    assert "no run yet" in view.caption.text() and view.valley is None and not window.jobs.busy()
    window.controls.epochs.setValue(1000)
    window.toolbar.run_button.click()
    qtbot.waitUntil(lambda: len(window.model.history) > 5, timeout=TIMEOUT)
    assert view.caption.text() == WAITING and not window.jobs.busy()
    window.toolbar.run_button.click()  # pause
    qtbot.waitUntil(lambda: window.model.mode == "idle" and computed(window), timeout=TIMEOUT)
    assert len(view.valley.paths[0]) == window.model.stop_count()


def test_two_runs_compared_share_one_plane_with_both_paths(window, qtbot, mnist, tmp_path):
    network = Network(seed=1)
    trainer = Trainer(network, mnist, seed=1)
    trainer.run_batches(300)
    save_run(tmp_path / "other.npz", network, trainer.history)
    view = show(window, qtbot)
    assert window.compare.compare_with(tmp_path / "other.npz")
    assert "Out of date: the run compared with changed" in view.caption.text()
    qtbot.waitUntil(lambda: computed(window), timeout=TIMEOUT)
    valley = view.valley
    assert valley.kind == "shared" and [p.name for p in valley.paths] == ["this run", "other.npz"]
    x, _ = view.other_paths.getData()
    np.testing.assert_array_equal(x[:-1], valley.paths[1].coordinates[:, 0])
    assert "Dashed: other.npz" in view.caption.text()
    # both ends on the plane: the second on the first axis, to the right
    ends = valley.paths[0].coordinates[-1], valley.paths[1].coordinates[-1]
    np.testing.assert_allclose(ends[0], (0, 0), atol=1e-6)
    assert ends[1][0] > 0 and abs(ends[1][1]) < 1e-6 * ends[1][0]


def test_v_puts_the_valley_in_the_networks_place_and_back(window, qtbot):
    assert any(keys == "V" and "valley" in text for _, keys, text in shortcut_rows())  # listed in Help
    action = window.actions["valley_in_front"]
    action.trigger()
    panel = window.valley_panel
    assert window.model.valley_in_front and action.isChecked()
    assert window.stage.currentWidget() is panel and not window.valley_tab.note.isHidden()
    qtbot.waitUntil(lambda: computed(window), timeout=TIMEOUT)  # shown, so computed
    assert panel.valley.in_front_button.isChecked() and panel.valley.in_front_button.text() == "Back to the tab"
    qtbot.mouseClick(panel.valley.in_front_button, QtCore.Qt.MouseButton.LeftButton)
    assert not window.model.valley_in_front and window.stage.currentWidget() is window.network_row
    assert panel.parent() is window.valley_tab and window.valley_tab.note.isHidden()


def test_the_race_runs_from_the_valley_view_with_both_paths_their_costs_and_why(window, qtbot):
    view = show(window, qtbot)
    model = window.model
    model.move_to(30)
    assert window.valley_panel.count() == 1  # the race's page is made when a race is first shown
    qtbot.mouseClick(view.race_button, QtCore.Qt.MouseButton.LeftButton)
    assert window.valley_panel.count() == 2
    race_view = window.valley_panel.race
    assert window.valley_panel.currentWidget() is race_view and model.valley_in_front
    np.testing.assert_array_equal(model.race.network.params, model.history.parameters(30))
    assert race_view.stop_button.isEnabled() and not race_view.run_button.isEnabled()
    axes = [race_view.valley.plot.getPlotItem().getAxis(side) for side in ("left", "bottom")]
    assert not any(axis.isVisible() for axis in axes)  # no valley yet: no axes of nothing
    qtbot.waitUntil(lambda: model.race.valley is not None and model.race.valley.complete and not window.jobs.busy(),
                    timeout=TIMEOUT)
    race = model.race
    descent, sgd = race.progress.lanes
    assert (descent.batch_size, sgd.batch_size) == (len(model.dataset.train), 10)
    assert race.valley.kind == "start" and [p.name for p in race.valley.paths] == ["gradient descent", "SGD"]
    starts = [path.coordinates[0] for path in race.valley.paths]
    np.testing.assert_allclose(starts, [(0, 0), (0, 0)], atol=1e-6)  # one start, on the plane
    # the lanes' measured costs are where their paths stand on the valley's sample
    np.testing.assert_allclose(race.valley.paths[1].costs, sgd.costs, rtol=1e-5)
    for curve, lane in zip(race_view.curves, race.progress.lanes):
        x, y = curve.getData()
        np.testing.assert_array_equal(x, lane.examples)
    assert "got further" in race_view.text.text() and race_view.run_button.isEnabled()
    assert all(axis.isVisible() for axis in axes)
    qtbot.mouseClick(race_view.axis_buttons.buttons()[1], QtCore.Qt.MouseButton.LeftButton)
    assert model.race_axis == "seconds"
    np.testing.assert_array_equal(race_view.curves[1].getData()[0], sgd.seconds)
    qtbot.mouseClick(race_view.close_button, QtCore.Qt.MouseButton.LeftButton)
    assert model.race is None and window.valley_panel.currentWidget() is window.valley_panel.valley_page


def test_a_race_stopped_says_so_and_keeps_what_it_measured(window, qtbot):
    window.race.start(20)
    qtbot.waitUntil(lambda: window.model.race.progress is not None, timeout=TIMEOUT)
    window.valley_panel.race.stop_button.click()
    race = window.model.race
    assert not race.running and race.stopped and not window.race.channel.busy
    assert race.stopped in window.valley_panel.race.text.text() and window.valley_panel.race.run_button.isEnabled()


@pytest.fixture
def local(window):
    view = ValleyView(compact=True)
    return LocalValley(window.jobs, window), view


def test_the_valley_around_one_step_for_the_stepper(window, local, qtbot, mnist):
    valleys, view = [], local[1]
    local[0].computed.connect(valleys.append)
    try:
        view.resize(500, 400)
        view.show()
        assert not view.controls.isVisible() and not view.more.isVisible()
        network = window.model.network
        x, labels = training_sample(mnist.train, 300)
        gradients = network.backprop(x, labels)
        step = np.concatenate([np.column_stack([w, b]).ravel() for w, b in zip(gradients.weights, gradients.biases)])
        after = network.params - 0.5 * step
        local[0].request(network, after, x, labels, size=9)
        qtbot.waitUntil(lambda: bool(valleys) and valleys[-1].complete, timeout=TIMEOUT)
        valley = valleys[-1]
        view.show_valley(valley)
        view.show_ball(1)
        path = valley.paths[0]
        np.testing.assert_allclose(path.coordinates[0], (0, 0), atol=1e-6)
        assert valley.kind == "local" and path.distances[1] < 1e-3 * np.linalg.norm(0.5 * step)  # the step is on it
        assert path.costs[1] < path.costs[0]  # a small step down the sample's own gradient
    finally:
        view.close()
        view.deleteLater()
