"""The Mistakes tab's matrix while the answers of a new network are being computed: quick answers
never make it blink; slow ones fade it and say so; clicks on an earlier network's matrix do nothing."""

import numpy as np

from nnviz.app.views.confusion import FADE_AFTER_MS, ConfusionPanel

NAMES = [str(d) for d in range(10)]


def test_the_matrix_fades_only_when_the_answers_take_long(qtbot):
    panel = ConfusionPanel()
    qtbot.addWidget(panel)
    panel.show()
    matrix = np.diag(np.full(10, 100))
    panel.show_matrix(matrix, NAMES)
    panel.show_computing(10_000)
    assert panel.computing and panel.image.opacity() == 1.0  # answers within a moment: no blink
    panel.show_matrix(matrix, NAMES)
    qtbot.wait(FADE_AFTER_MS + 100)
    assert panel.image.opacity() == 1.0 and not panel.computing
    panel.show_computing(10_000)
    qtbot.wait(FADE_AFTER_MS + 100)
    assert panel.image.opacity() < 1.0 and "Computing" in panel.summary.text()
    panel.show_matrix(matrix, NAMES)
    assert panel.image.opacity() == 1.0 and "Test accuracy" in panel.summary.text()


def test_an_earlier_networks_matrix_is_drawn_whole_says_what_it_is_and_takes_no_clicks(qtbot):
    panel = ConfusionPanel()
    qtbot.addWidget(panel)
    panel.show()
    matrix = np.diag(np.full(10, 100))
    panel.show_matrix(matrix, NAMES, earlier="Training: these are the answers of the network at epoch 0.50.")
    qtbot.wait(FADE_AFTER_MS + 100)
    assert panel.computing and panel.image.opacity() == 1.0  # training: it would always be faded
    assert "epoch 0.50" in panel.summary.text() and "Click a cell" not in panel.summary.text()
    panel.show_failed("the computing process did not start")
    assert panel.computing and panel.image.opacity() < 1.0 and "did not start" in panel.summary.text()
    panel.show_matrix(matrix, NAMES)
    assert not panel.computing and "Click a cell" in panel.summary.text()
