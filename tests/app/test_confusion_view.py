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


def test_each_classs_share_of_right_answers_is_shown_beside_the_matrix_in_full(qtbot):
    panel = ConfusionPanel()
    qtbot.addWidget(panel)
    panel.resize(1280, 200)
    panel.show()
    names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    matrix = np.diag(np.arange(1, 11) * 10)
    matrix[3, 4] = 50  # 40 of 90 dresses right
    panel.show_matrix(matrix, names, position=2.5)
    qtbot.wait(10)
    text = panel.summary.text()
    assert "(550 of 600) at epoch 2.50." in text and text.endswith("Answered right, by true digit:")
    panel.show_matrix(matrix, names, position=8.0)  # an epoch's end: "8", not "8.00"
    assert "(550 of 600) at epoch 8." in panel.summary.text() and "8.00" not in panel.summary.text()
    panel.show_matrix(matrix, names, position=2.5)
    assert panel.shares.text().splitlines() == [f"{name} {share}" for name, share in zip(
        names, ["100.0%", "100.0%", "100.0%", "44.4%", "100.0%", "100.0%", "100.0%", "100.0%", "100.0%", "100.0%"])]
    # under the summary, none of it cut off: every row and the longest name fit where it is drawn
    steady = panel.shares.parentWidget()
    assert panel.shares.y() >= panel.summary.geometry().bottom()
    hint = panel.shares.sizeHint()
    assert panel.shares.width() >= hint.width() and panel.shares.height() >= hint.height()
    assert steady.rect().contains(panel.shares.geometry())
