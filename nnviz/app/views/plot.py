"""The plot every view of the window draws in."""

from __future__ import annotations

import pyqtgraph as pg

from ..shell import theme


class Plot(pg.PlotWidget):
    """pyqtgraph's PlotWidget on the panels' colour, without pyqtgraph's context menu (its FFT,
    log-axis and mouse-mode settings are an engineer's, not a learner's; the "A" in a plot's corner
    fits it again), and owning what it makes: pyqtgraph leaves its plot's options menu without a
    parent, a top-level widget that only Python's cyclic collector would free, at any moment
    (docs/architecture.md, "Lifetime"). Here Qt deletes it with the plot."""

    def __init__(self, parent=None, **kwargs):
        super().__init__(parent, background=theme.PANEL, enableMenu=False, **kwargs)
        self.adopt(self.getPlotItem())
        # The hidden axes would lay out their (never shown) labels' rich text again at every change
        # of the view's range, looking for an SI prefix: milliseconds of each live refresh.
        for side in ("top", "right"):
            self.getAxis(side).enableAutoSIPrefix(False)

    def adopt(self, item: pg.PlotItem) -> None:
        """Own the options menu of ``item``, a plot item drawn in this plot (such as a
        ``pg.ColorBarItem``, a PlotItem of its own)."""
        menu = item.ctrlMenu
        menu.setParent(self, menu.windowFlags())
