"""The views of what the network sees show exactly what the core computed: a neuron's dream forming,
its favourite images, the ten output dreams, static, a fooled 2, and the edges-and-loops page."""

import numpy as np
import pytest
from PySide6 import QtCore

from nnviz.app.views.dreams import DigitStrip, DreamControls, NeuronDreamView, StepPlayer
from nnviz.app.views.edges_and_loops import EdgesAndLoopsPage
from nnviz.app.views.fooling import FoolingPanel
from nnviz.core.data import bundled_mnist_dir
from nnviz.core.dreams import DreamSettings, dream, dream_steps, exciting_images, output_dreams
from nnviz.core.edges_and_loops import edges_and_loops, first_layer_dreams, pixels_in_use
from nnviz.core.files import load_network
from nnviz.core.fooling import fool_example, static_row

SHAPE = (28, 28)


@pytest.fixture(scope="module")
def network():
    return load_network(bundled_mnist_dir() / "pretrained-784-16-16-10.npz")[0]


@pytest.fixture
def names(mnist):
    return list(mnist.class_names)


def shown(widget, qtbot, size=(1000, 250)):
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click_tile(qtbot, tiles, i):
    qtbot.mouseClick(tiles, QtCore.Qt.MouseButton.LeftButton, pos=tiles.tile_rect(i).center())


def test_a_dream_forms_step_by_step_beside_its_activation(network, qtbot):
    view = shown(NeuronDreamView(), qtbot)
    view.show_neuron("Output 2: what excites it", None, SHAPE)
    assert view.weights.isHidden()  # an output neuron has no weight picture
    settings = DreamSettings(steps=40)
    player = StepPlayer(per_tick=7, interval_ms=1)
    player.stepped.connect(view.show_step)
    view.start_dream(settings.steps)
    with qtbot.waitSignal(player.finished, timeout=10_000):
        player.play(dream_steps(network, 3, 2, settings))
    found = dream(network, 3, 2, settings)
    np.testing.assert_array_equal(view.dream.images[0], found.image.reshape(SHAPE))
    x, y = view.curve.getData()
    np.testing.assert_array_equal(x, np.arange(41))
    np.testing.assert_allclose(y, found.activations)
    assert view.dream.captions[0] == f"a = {found.activation:.2f}" and "step 40/40" in view.dream_title.text()


def test_finishing_a_dream_at_once_shows_what_its_ticks_would_have(network, qtbot):
    """A picture or a test that wants the result now gets the dream the timer would have formed."""
    view = shown(NeuronDreamView(), qtbot)
    view.show_neuron("Output 2: what excites it", None, SHAPE)
    settings = DreamSettings(steps=40)
    player = StepPlayer(per_tick=7, interval_ms=10_000)  # its first tick would come in 10 s
    player.stepped.connect(view.show_step)
    ticks, ends = [], []
    player.ticked.connect(lambda: ticks.append(1))
    player.finished.connect(lambda: ends.append(1))
    view.start_dream(settings.steps)
    player.play(dream_steps(network, 3, 2, settings))
    player.finish()
    assert not player.running and (len(ticks), len(ends)) == (1, 1)
    found = dream(network, 3, 2, settings)
    np.testing.assert_array_equal(view.dream.images[0], found.image.reshape(SHAPE))
    np.testing.assert_allclose(view.curve.getData()[1], found.activations)
    assert "step 40/40" in view.dream_title.text()


def test_a_first_layer_neuron_shows_its_weights_and_the_images_it_likes(network, mnist, names, qtbot):
    view = shown(NeuronDreamView(), qtbot)
    view.show_neuron("Neuron 5 of layer 1", network.weights[0][4], SHAPE)
    assert not view.weights.isHidden()
    np.testing.assert_array_equal(view.weights.images[0], network.weights[0][4].reshape(SHAPE))
    found = exciting_images(network, mnist.test.inputs(), 1, 4)
    view.show_extremes(found, mnist.test.images, mnist.test.labels, names)
    for tiles, indices, activations in ((view.most, found.most, found.most_activations),
                                        (view.least, found.least, found.least_activations)):
        for i, index in enumerate(indices):
            np.testing.assert_allclose(tiles.images[i], mnist.test.images[index].reshape(SHAPE) / 255)
            assert tiles.captions[i] == f"{activations[i]:.2f}" and tiles.corners[i] == names[mnist.test.labels[index]]
    with qtbot.waitSignal(view.example_clicked) as clicked:
        click_tile(qtbot, view.most, 4)
    assert clicked.args == [int(found.most[4])]
    found_dream = dream(network, 1, 4, DreamSettings(steps=20))
    view.show_dream(found_dream.image, found_dream.activations)
    np.testing.assert_allclose(view.curve.getData()[1], found_dream.activations)


def test_the_controls_ask_for_the_dream_chosen(qtbot):
    controls = shown(DreamControls(), qtbot, (500, 40))
    controls.smoothing.setCurrentIndex(2)
    controls.start.setCurrentIndex(1)  # static: each request takes the next seed
    requests = []
    controls.requested.connect(lambda settings, from_example: requests.append((settings, from_example)))
    for _ in range(2):
        qtbot.mouseClick(controls.button, QtCore.Qt.MouseButton.LeftButton)
    controls.start.setCurrentIndex(2)
    qtbot.mouseClick(controls.button, QtCore.Qt.MouseButton.LeftButton)
    assert [(s.start, s.seed, s.smoothness, e) for s, e in requests] == [
        ("static", 0, 0.03, False), ("static", 1, 0.03, False), ("grey", 2, 0.03, True)]


def test_the_ten_output_dreams_and_the_static(network, names, qtbot):
    strip = shown(DigitStrip.output_dreams(), qtbot)
    dreams = output_dreams(network)
    strip.show_pictures(np.array([d.image for d in dreams]), [d.activation for d in dreams], names, SHAPE)
    for j, each in enumerate(dreams):
        np.testing.assert_array_equal(strip.tiles.images[j], each.image.reshape(SHAPE))
        assert strip.tiles.captions[j] == f"{each.activation:.2f}" and strip.tiles.corners[j] == str(j)
    player = StepPlayer(per_tick=50, interval_ms=1)
    player.stepped.connect(strip.show_dream_step)
    strip.start(names, SHAPE)
    settings = DreamSettings(steps=30)
    with qtbot.waitSignal(player.finished, timeout=10_000):
        player.play((j, step) for j in range(10) for step in dream_steps(network, 3, j, settings))
    for j in range(10):
        formed = dream(network, 3, j, settings)
        np.testing.assert_array_equal(strip.tiles.images[j], formed.image.reshape(SHAPE))
        assert strip.tiles.captions[j] == f"{formed.activation:.2f}"
    with qtbot.waitSignal(strip.requested) as request:
        qtbot.mouseClick(strip.controls.button, QtCore.Qt.MouseButton.LeftButton)
    assert isinstance(request.args[0], DreamSettings)

    static = shown(DigitStrip.static(), qtbot)
    row = static_row(network)
    static.show_pictures(np.array([f.image for f in row]), [f.outputs_after[j] for j, f in enumerate(row)], names, SHAPE)
    for j, fooling in enumerate(row):
        np.testing.assert_array_equal(static.tiles.images[j], fooling.image.reshape(SHAPE))
        assert float(static.tiles.captions[j]) > 0.89


def test_the_fooling_panel_shows_the_change_at_a_written_scale(network, mnist, names, qtbot):
    panel = shown(FoolingPanel(), qtbot)
    panel.target.setCurrentIndex(7)
    with qtbot.waitSignal(panel.fool_requested) as asked:
        qtbot.mouseClick(panel.fool_button, QtCore.Qt.MouseButton.LeftButton)
    assert asked.args == [7]
    fooling = fool_example(network, mnist.test, 1, 7)
    panel.show_fooling(fooling, "test example 2, a 2", names, SHAPE)
    np.testing.assert_array_equal(panel.original.images[0], fooling.original.reshape(SHAPE))
    np.testing.assert_array_equal(panel.change.images[0], fooling.change.reshape(SHAPE))
    np.testing.assert_array_equal(panel.result.images[0], fooling.image.reshape(SHAPE))
    # the change is drawn magnified so that its largest pixel change is full colour, and says so
    assert panel.change.levels[0] == (-fooling.largest_change, fooling.largest_change)
    grey_levels = round(fooling.largest_change * 255)
    assert f"×{1 / fooling.largest_change:.1f}" in panel.change_title.text() and f"±{grey_levels}/255" in panel.change_title.text()
    text = panel.summary.text()
    assert f"after {fooling.steps} steps" in text and f"<b>{fooling.pixels_changed}</b> of 784" in text
    assert f"<b>{grey_levels}</b> grey levels" in text
    np.testing.assert_allclose(panel.bars.before.opts["height"], fooling.outputs_before)
    np.testing.assert_allclose(panel.bars.after.opts["height"], fooling.outputs_after)


def test_the_edges_and_loops_page_shows_the_evidence_the_core_found(network, mnist, names, qtbot):
    page = shown(EdgesAndLoopsPage(), qtbot, (1100, 700))
    verdict = edges_and_loops(network, mnist.test.inputs(), mnist.test.labels, pixels_in_use(mnist.train.images))
    dreams = first_layer_dreams(network)
    page.show_evidence(verdict, network.weights[0], mnist.test.images, names, SHAPE, dreams)
    assert page.summary.text() == verdict.summary and len(page.rows) == 16
    for row, evidence, weights, image in zip(page.rows, verdict.neurons, network.weights[0], dreams):
        assert row.reading.text() == evidence.reading
        np.testing.assert_array_equal(row.weights.images[0], weights.reshape(SHAPE))
        np.testing.assert_array_equal(row.dream.images[0], image.reshape(SHAPE))
        for i, index in enumerate(evidence.favourites.most):
            np.testing.assert_allclose(row.favourites.images[i], mnist.test.images[index].reshape(SHAPE) / 255)
    with qtbot.waitSignal(page.example_clicked) as clicked:
        click_tile(qtbot, page.rows[0].favourites, 2)
    assert clicked.args == [int(verdict.neurons[0].favourites.most[2])]
    page.show_evidence(verdict, network.weights[0], mnist.test.images, names, SHAPE)  # again, dreams to come
    assert len(page.rows) == 16 and page.rows[0].dream.images[0] is None


@pytest.mark.parametrize("then", ["stop", "play another"])
def test_a_player_stopped_or_played_anew_as_its_last_tick_is_drawn_says_no_end(qtbot, then):
    """What the last tick drew can change what is asked (a model event), and stop the player or
    start another play: the end of the first then answers nothing."""
    player = StepPlayer(per_tick=10, interval_ms=1)
    ends, drawn = [], []
    player.finished.connect(lambda: ends.append("end"))

    def on_ticked():
        drawn.append(1)
        if len(drawn) == 1:
            if then == "stop":
                player.stop()
            else:
                player.play(iter(range(3)))
    player.ticked.connect(on_ticked)
    player.play(iter(range(3)))
    player.finish()  # the first play's last tick: its items end
    if then == "stop":
        assert ends == [] and not player.running
    else:
        assert ends == [] and player.running
        player.finish()
        assert ends == ["end"]  # the second play's end, once
