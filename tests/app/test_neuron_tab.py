"""The Neuron tab says everything it shows in full, on a 1280x720 screen and on a larger one."""

from __future__ import annotations

import re

import pyqtgraph as pg
from PySide6 import QtWidgets


def inside_scroll_area(widget) -> bool:
    while widget is not None:
        if isinstance(widget, QtWidgets.QScrollArea):
            return True
        widget = widget.parentWidget()
    return False


def test_the_neuron_tabs_titles_and_labels_are_never_clipped(window, qtbot):
    # one window for every case: each window a test makes is kept until the process ends
    for size in ((1152, 648), (1280, 720), (1600, 1000)):  # the first launch on a 1280x720 screen, ...
        for neuron in ((1, 3), (2, 5), (3, 4)):
            window.resize(*size)
            window.picture.inspect(*neuron)
            for page in range(window.neuron_panel.pages.count()):
                window.neuron_panel.pages.setCurrentIndex(page)
                qtbot.wait(20)
                check_the_page(window)
            window.neuron_panel.pages.setCurrentIndex(0)


def test_each_page_has_room_for_what_it_shows_at_the_first_launch_size(window, qtbot):
    window.resize(1152, 648)
    window.picture.inspect(1, 3)
    panel = window.neuron_panel
    qtbot.wait(20)
    assert panel.caption_scroll.width() >= 300  # the numbers read as lines, not a column of words
    assert not panel.caption_scroll.verticalScrollBar().isVisible()
    panel.pages.setCurrentWidget(window.weights_editor)
    qtbot.wait(20)
    table = window.weights_editor.table
    rows = table.viewport().height() // table.rowHeight(0)
    assert rows >= 3, f"{rows} rows of weights"
    panel.pages.setCurrentWidget(window.neuron_history_page)
    qtbot.wait(20)
    assert len([p for p in panel.findChildren(pg.PlotWidget) if p.isVisible()]) == 2  # its activation and |w|
    panel.pages.setCurrentIndex(0)


def check_the_page(window):
    tab = window.neuron_panel
    for plot in [p for p in tab.findChildren(pg.PlotWidget) if p.isVisible()]:
        title = plot.getPlotItem().titleLabel
        if title.text:
            # the plot item grows past its widget to hold a long title: the widget clips it
            assert title.item.boundingRect().width() <= min(plot.width(), plot.getPlotItem().width()), title.text
    labels = [label for label in tab.findChildren(QtWidgets.QLabel)
              if label.isVisible() and label.text() and not inside_scroll_area(label)]
    assert labels
    for label in labels:
        metrics = label.fontMetrics()
        text = re.sub(r"<[^>]+>", "", label.text())
        if label.wordWrap():
            longest = max(metrics.horizontalAdvance(word) for word in text.split())
            assert longest <= label.contentsRect().width() and label.heightForWidth(label.width()) <= label.height(), \
                label.text()
        else:
            assert metrics.horizontalAdvance(text) <= label.contentsRect().width(), text
