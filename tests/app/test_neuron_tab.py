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
            qtbot.wait(20)
            check_the_tab(window)


def check_the_tab(window):
    tab = window.neuron_panel
    plots = [p for p in tab.findChildren(pg.PlotWidget) if p.isVisible()]
    assert len(plots) >= 2  # the neuron through time: its activation and its weights
    for plot in plots:
        title = plot.getPlotItem().titleLabel
        if title.text:
            # the plot item grows past its widget to hold a long title: the widget clips it
            assert title.item.boundingRect().width() <= min(plot.width(), plot.getPlotItem().width()), title.text
    labels = [label for label in tab.findChildren(QtWidgets.QLabel)
              if label.isVisible() and label.text() and not inside_scroll_area(label)]
    assert any("Activation" in label.text() for label in labels)
    for label in labels:
        metrics = label.fontMetrics()
        text = re.sub(r"<[^>]+>", "", label.text())
        if label.wordWrap():
            longest = max(metrics.horizontalAdvance(word) for word in text.split())
            assert longest <= label.contentsRect().width() and label.heightForWidth(label.width()) <= label.height(), \
                label.text()
        else:
            assert metrics.horizontalAdvance(text) <= label.contentsRect().width(), text
