"""Views made when first shown: a window does not pay at start-up for tabs nobody opened, and a
view made late shows the model as it is then and hears a person as any other view."""

import numpy as np
import pytest
from PySide6 import QtWidgets

from nnviz.app.views.later import Later


class Made(QtWidgets.QLabel):
    count = 0

    def __init__(self):
        super().__init__("made")
        Made.count += 1


def test_a_page_makes_its_view_once_when_first_shown_or_asked_and_tells_who_waits(qtbot):
    Made.count = 0
    tabs = QtWidgets.QTabWidget()
    qtbot.addWidget(tabs)
    tabs.addTab(QtWidgets.QLabel("first"), "first")
    page = Later(Made)
    tabs.addTab(page, "later")
    heard = []
    page.when_made(heard.append)
    tabs.show()
    qtbot.waitExposed(tabs)
    assert not page.made() and Made.count == 0 and heard == []
    tabs.setCurrentWidget(page)
    assert page.made() and Made.count == 1 and heard == [page.view]
    assert page.view.isVisible() and page.view.parent() is page
    page.when_made(heard.append)  # made already: told at once
    tabs.setCurrentIndex(0)
    tabs.setCurrentWidget(page)
    assert Made.count == 1 and heard == [page.view, page.view]


def test_asked_for_while_hidden_the_view_is_made_without_being_shown(qtbot):
    page = Later(Made)
    qtbot.addWidget(page)
    view = page.view
    assert page.made() and view.parent() is page and not view.isVisible()


def test_a_windows_hidden_tabs_are_made_when_first_shown_and_show_the_model_as_it_is_then(window):
    pages = [window.weight_images_page, window.confusion_page, window.valley_panel.valley_page,
             window.neuron_history_page, window.neuron_dream_page, window.seeing_tab]
    assert not any(page.made() for page in pages)  # making the window did not pay for them
    model = window.model
    model.move_to(3)
    window.picture.inspect(1, 4)  # brings the Neuron tab to the front, on its numbers
    assert window.bottom.currentWidget() is window.neuron_panel and not window.neuron_history_page.made()
    window.bottom.setCurrentWidget(window.weight_images_page)
    np.testing.assert_array_equal(window.weight_images.picture(4), model.shown.weights[0][4].reshape(28, 28))
    window.bottom.setCurrentWidget(window.neuron_panel)
    window.neuron_panel.pages.setCurrentWidget(window.neuron_history_page)
    history = window.neuron_history
    assert history.cursors[0].value() == pytest.approx(model.position)
    norms = history.weights_curve.yData
    assert np.isclose(norms[3], np.linalg.norm(model.shown.weights[0][4]))
    model.move_to(5)  # made now, it follows the model as every view does
    assert history.cursors[0].value() == pytest.approx(model.position)
    assert not window.confusion_page.made() and not window.valley_panel.valley_page.made()
