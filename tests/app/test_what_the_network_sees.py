"""What the network sees, in the window: the selected neuron's dream and favourite images, the ten
output dreams, a fooled example and static, the edges-and-loops page — each exactly what the core
computes for the network on show, found only while shown, out of date while training runs, and
the same in a second window built from the model."""

from __future__ import annotations

import time
import weakref
from dataclasses import replace

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from nnviz.app.shell.settings import Remembered
from nnviz.app.window.main_window import MainWindow
from nnviz.core.dreams import DreamSettings, dream, exciting_images
from nnviz.core.edges_and_loops import edges_and_loops, first_layer_dreams, pixels_in_use
from nnviz.core.fooling import fool, fool_example, static_row
from nnviz.model import Cause, TrainingMode
from nnviz.model.seeing import EXTREMES, FOOLING, NEURON, OUTPUTS, STATIC

SHAPE = (28, 28)


def settle(window, timeout: float = 30.0) -> None:
    """Until nothing is being found in slices any more."""
    deadline = time.monotonic() + timeout
    QtWidgets.QApplication.processEvents()
    while window.finding() and time.monotonic() < deadline:
        window.finish_finding()  # what is found, not how it forms (tests of forming wait for ticks)
        time.sleep(0.002)  # the Mistakes tab's answers, in the compute process
        QtWidgets.QApplication.processEvents()
    assert not window.finding()


def show_dream_page(window, neuron):
    window.picture.inspect(*neuron)
    window.neuron_panel.pages.setCurrentWidget(window.neuron_dream_page)


def click_tile(qtbot, tiles, i):
    qtbot.mouseClick(tiles, QtCore.Qt.MouseButton.LeftButton, pos=tiles.tile_rect(i).center())


def test_the_neuron_tab_dreams_only_while_shown_and_shows_what_the_core_finds(window, mnist, qtbot):
    model, view = window.model, window.neuron_dream
    window.picture.inspect(2, 3)
    settle(window)
    assert model.seeing.result(NEURON) is None and model.seeing.result(EXTREMES) is None  # its page is not shown
    window.neuron_panel.pages.setCurrentWidget(window.neuron_dream_page)
    assert window.finding()  # the dream forms in slices, step by step
    settle(window)
    expected = dream(model.shown, 2, 3, DreamSettings())
    np.testing.assert_array_equal(view.dream.images[0], expected.image.reshape(SHAPE))
    np.testing.assert_allclose(view.curve.getData()[1], expected.activations)
    assert expected.activations[-1] > expected.activations[0]
    favourites = exciting_images(model.shown, mnist.test.inputs(), 2, 3)
    np.testing.assert_array_equal(view.most_indices, favourites.most)
    np.testing.assert_array_equal(view.least_indices, favourites.least)
    assert model.seeing.current(NEURON) and model.seeing.current(EXTREMES)
    click_tile(qtbot, view.most, 2)
    assert (model.example.split, model.example.index) == ("test", favourites.most[2])
    # a smoother dream from the example on show, asked with the page's controls
    view.controls.smoothing.setCurrentIndex(2)
    view.controls.start.setCurrentIndex(2)
    qtbot.mouseClick(view.controls.button, QtCore.Qt.MouseButton.LeftButton)
    settle(window)
    start = mnist.test.inputs(int(favourites.most[2]), np.float64)  # as `nnviz dream --start test:N` reads it
    smooth = dream(model.shown, 2, 3, DreamSettings(smoothness=0.03), start=start)
    np.testing.assert_array_equal(view.dream.images[0], smooth.image.reshape(SHAPE))


def test_while_training_runs_what_was_found_is_out_of_date_and_found_again_when_it_pauses(window):
    model, view = window.model, window.neuron_dream
    show_dream_page(window, (1, 4))
    settle(window)
    before = view.dream.images[0].copy()
    model.set_mode(TrainingMode.RUNNING)
    params = model.network.params.copy()
    params[: 784 * 16] *= 1.5  # what a snapshot brings: new weights
    model.set_params(params, Cause.SNAPSHOT)
    assert not window.finding() and not model.seeing.current(NEURON)
    assert view.dream_title.text().startswith("Out of date")
    np.testing.assert_array_equal(view.dream.images[0], before)  # kept on show until found again
    model.set_mode(TrainingMode.IDLE)
    settle(window)
    assert model.seeing.current(NEURON)
    np.testing.assert_array_equal(view.dream.images[0], dream(model.shown, 1, 4).image.reshape(SHAPE))


def test_the_tab_shows_the_ten_output_dreams_static_and_a_fooled_example(window, mnist, qtbot):
    model, page = window.model, window.seeing_page
    network = model.shown
    window.bottom.setCurrentWidget(window.seeing_tab)
    settle(window)
    for j in range(10):
        np.testing.assert_array_equal(page.outputs.tiles.images[j], dream(network, 3, j).image.reshape(SHAPE))
    assert model.seeing.result(STATIC) is None  # its page was not shown
    page.pages.setCurrentWidget(page.static.parentWidget())
    settle(window)
    for j, fooling in enumerate(static_row(network)):
        np.testing.assert_array_equal(page.static.tiles.images[j], fooling.image.reshape(SHAPE))
        assert page.static.tiles.captions[j] == f"{fooling.outputs_after[j]:.2f}"
    page.pages.setCurrentWidget(page.fooling.parentWidget())
    model.go_to(1, "test")  # a 2
    page.fooling.target.setCurrentIndex(7)
    qtbot.mouseClick(page.fooling.fool_button, QtCore.Qt.MouseButton.LeftButton)
    settle(window)
    fooled = fool_example(network, mnist.test, 1, 7)
    assert fooled.fooled
    np.testing.assert_array_equal(page.fooling.result.images[0], fooled.image.reshape(SHAPE))
    assert page.fooling.original_title.text() == "Test example 2, a 2"
    assert f"<b>{fooled.pixels_changed}</b> of 784" in page.fooling.summary.text()
    model.go_to(2, "test")  # the next example is fooled into the same digit
    settle(window)
    np.testing.assert_array_equal(page.fooling.result.images[0], fool_example(network, mnist.test, 2, 7).image.reshape(SHAPE))
    qtbot.mouseClick(page.fooling.static_button, QtCore.Qt.MouseButton.LeftButton)
    settle(window)
    assert page.fooling.original_title.text() == "Static (seed 0)"
    np.testing.assert_array_equal(page.fooling.result.images[0], static_row(network)[7].image.reshape(SHAPE))


def test_a_second_window_of_the_model_shows_what_was_found_without_finding_it_again(window, settings, qtbot, own):
    model = window.model
    window.bottom.setCurrentWidget(window.seeing_tab)
    settle(window)
    found = model.seeing.result(OUTPUTS)
    second = MainWindow(model, Remembered(settings))
    own(second)
    second.resize(window.size())
    second.show()
    qtbot.waitExposed(second)
    second.bottom.setCurrentWidget(second.seeing_tab)
    QtWidgets.QApplication.processEvents()
    assert not second.finding() and model.seeing.result(OUTPUTS) is found
    for j in range(10):
        np.testing.assert_array_equal(second.seeing_page.outputs.tiles.images[j], window.seeing_page.outputs.tiles.images[j])


def test_the_edges_and_loops_page_for_a_wider_relu_network_and_freed_when_closed(window, mnist, qtbot):
    window.controls.hidden.setText("32")
    window.controls.activation.setCurrentText("relu")
    window.controls.new_button.click()
    network = window.model.shown
    window.actions["edges_and_loops"].trigger()
    page = window.edges_and_loops.page
    assert window.finding() and page.summary.text() == "Looking at the network…"  # shown at once
    qtbot.waitUntil(lambda: len(page.rows) == 32)
    assert window.finding() and page.rows[31].dream.images[0] is None  # the dreams come one at a time
    verdict = edges_and_loops(network, mnist.test.inputs(), mnist.test.labels, pixels_in_use(mnist.train.images))
    assert page.summary.text() == verdict.summary and len(page.rows) == 32
    settle(window)
    for row, image in zip(page.rows, first_layer_dreams(network)):
        np.testing.assert_array_equal(row.dream.images[0], image.reshape(SHAPE))
    click_tile(qtbot, page.rows[3].favourites, 0)
    assert window.model.example.index == verdict.neurons[3].favourites.most[0]
    dialog = weakref.ref(window.edges_and_loops.dialog)
    window.edges_and_loops.dialog.close()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    assert dialog() is None and window.edges_and_loops.page is None


def test_a_new_network_starts_with_its_recipe_and_eta_reads_as_typed(window):
    window.controls.activation.setCurrentText("relu")
    window.controls.cost.setCurrentText("cross-entropy")
    window.controls.new_button.click()
    options = window.model.options
    assert (options.learning_rate, options.weight_decay, options.halve_after) == (0.05, 10.0, 0)
    assert window.controls.learning_rate.text() == "0.05"
    assert "η = 0.05, weight decay λ = 10" in window.statusBar().currentMessage()
    # what the status bar said is found beside η, folded away or not
    assert not window.controls.more.is_open() and window.controls.weight_decay.isVisible()
    assert window.controls.weight_decay.text() == "10"
    # its name explains it as well as its value
    name = window.controls.findChild(QtWidgets.QFormLayout).labelForField(window.controls.weight_decay)
    assert name.text() == "Weight decay λ" and "number of training examples" in name.toolTip()
    assert name.toolTip() == window.controls.weight_decay.toolTip()
    window.controls.activation.setCurrentText("sigmoid")
    window.controls.cost.setCurrentText("mse")
    window.controls.new_button.click()
    assert window.controls.learning_rate.text() == "1" and window.model.options.weight_decay == 3.0
    assert window.controls.weight_decay.text() == "3"
    window.model.set_options(replace(window.model.options, weight_decay=0.0))  # the article's plain SGD
    assert window.controls.weight_decay.text() == "0 (none)"


def test_dead_neurons_are_said_in_the_neuron_tab_and_marked_in_the_ablation_table(window):
    window.controls.activation.setCurrentText("relu")
    window.controls.new_button.click()
    network = window.model.network.copy()
    network.biases[0][2] = -100.0  # z < 0 for every image: a dead ReLU
    window.model.set_network(network)
    window.picture.inspect(1, 2)
    assert window.finding()  # a pass over the training set, a chunk a tick
    settle(window)
    caption = window.neuron_panel.caption.text()
    assert "<b>dead</b>" in caption and "1 of the 32 hidden neurons is dead" in caption
    window.picture.inspect(1, 3)
    assert "<b>dead</b>" not in window.neuron_panel.caption.text()
    window.model.set_mode(TrainingMode.RUNNING)  # not counted while training: a pass over 50,000 images
    window.picture.inspect(1, 2)
    assert "dead" not in window.neuron_panel.caption.text()
    window.model.set_mode(TrainingMode.IDLE)
    window.bottom.setCurrentWidget(window.edits_panel)
    window.edits.measure_ablation()
    table = window.edits_panel.ablation
    cells = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert [c for c in cells if c.endswith("dead")] == ["layer 1 · 3 · dead"]
    assert "<b>Dead</b>, never active on a training image: 1." in window.edits_panel.ablation_caption.text()


def test_a_run_the_schedule_ended_says_so(window):
    from nnviz.core.events import EpochDone
    from nnviz.core.formatting import schedule_end_text
    from nnviz.core.worker import TrainingSnapshot

    model = window.model
    history = model.history.copy()
    report = EpochDone(epoch=31, training_cost=0.1, validation_accuracy=0.96, test_accuracy=0.95, seconds=1.0,
                       learning_rate=1 / 64, schedule_ended=True)
    window.controller.progressed.emit(TrainingSnapshot(
        params=model.network.params.copy(), epoch=31, batch=5000, batches_per_epoch=5000, batches_done=5000,
        running_cost=0.1, learning_rate=1 / 128, batch_costs=np.zeros(1), report=report, state="idle",
        history=history))
    assert window.statusBar().currentMessage() == schedule_end_text(31, 1 / 128)
    assert "0.0078125" in window.statusBar().currentMessage()
    model.set_dirty(False)


def test_a_person_who_never_moved_the_speed_starts_slow_and_is_told_how_to_go_full_speed(qtbot, settings, errors, own):
    from nnviz.app.main import make_window
    from nnviz.model.options import SPEEDS

    window = make_window(settings=settings)
    own(window)
    window.resize(1280, 720)  # the smallest screen the window is made for
    window.show()
    assert window.toolbar.speed_label.text() == "Speed: 20/s"
    window.files.new_network()
    with qtbot.waitSignal(window.controller.progressed, timeout=30_000, check_params_cb=lambda s: s.state == "idle"):
        window.actions["step_batch"].trigger()
    # said whole, in the room left of the read-out
    assert window.statusBar().currentMessage() == window.status.current()
    assert window.status.current().endswith("drag Speed right for full speed")
    window.toolbar.speed.setValue(len(SPEEDS) - 1)
    window.model.set_dirty(False)
    window.close()
    again = make_window(settings=settings)  # the speed a person chose is remembered
    own(again)
    assert again.toolbar.speed_label.text() == "Speed: full"


@pytest.fixture
def drawing(window):
    window.input_panel.setCurrentIndex(1)  # the drawing, with nothing drawn yet
    return window


def test_with_nothing_drawn_the_fooling_says_what_to_do(drawing, qtbot):
    page = drawing.seeing_page
    drawing.bottom.setCurrentWidget(drawing.seeing_tab)
    page.pages.setCurrentWidget(page.fooling.parentWidget())
    qtbot.mouseClick(page.fooling.fool_button, QtCore.Qt.MouseButton.LeftButton)
    settle(drawing)
    assert drawing.model.seeing.asked(FOOLING) is None and "Draw a digit" in page.fooling.summary.text()
    x = np.zeros(784, np.float32)
    x[300:310] = 1.0
    drawing.model.set_drawing(x)
    settle(drawing)
    expected = fool(drawing.model.shown, x, 7)
    np.testing.assert_array_equal(page.fooling.result.images[0], expected.image.reshape(SHAPE))
    assert page.fooling.original_title.text() == "Your drawing"
