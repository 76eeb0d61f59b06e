"""The plot every view of the window draws in."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore

from ..shell import theme


def paints_every_pixel(view: pg.GraphicsView) -> None:
    """Tell Qt that ``view`` (a frameless graphics view on a background of its own) paints every
    pixel of itself: a repaint of it then paints nothing beneath it first. Without this each
    repaint of a plot also repainted the window, splitter, tabs and panel under it (their styled
    backgrounds), only to be painted over."""
    for widget in (view, view.viewport()):
        widget.setAttribute(QtCore.Qt.WidgetAttribute.WA_OpaquePaintEvent)


class Plot(pg.PlotWidget):
    """pyqtgraph's PlotWidget on the panels' colour, without pyqtgraph's context menu (its FFT,
    log-axis and mouse-mode settings are an engineer's, not a learner's; the "A" in a plot's corner
    fits it again), and owning what it makes: pyqtgraph leaves its plot's options menu without a
    parent, a top-level widget that only Python's cyclic collector would free, at any moment
    (docs/architecture.md, "Lifetime"). Here Qt deletes it with the plot."""

    def __init__(self, parent=None, **kwargs):
        super().__init__(parent, background=theme.PANEL, enableMenu=False, **kwargs)
        self.adopt(self.getPlotItem())
        paints_every_pixel(self)
        # The hidden axes would lay out their (never shown) labels' rich text again at every change
        # of the view's range, looking for an SI prefix: milliseconds of each live refresh.
        for side in ("top", "right"):
            self.getAxis(side).enableAutoSIPrefix(False)

    def adopt(self, item: pg.PlotItem) -> None:
        """Own the options menu of ``item``, a plot item drawn in this plot (such as a
        ``pg.ColorBarItem``, a PlotItem of its own)."""
        menu = item.ctrlMenu
        menu.setParent(self, menu.windowFlags())
