"""The window's frame around its views: the run toolbar, the status bar with the read-out, sizes
that keep every label readable, and the geometry it remembers (or opens with the first time).

Pixel sizes of the screen are ``placement``'s (a pure function of the screen); this module is
what a QMainWindow needs of them.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from ...model import WindowModel
from ..shell.settings import Options, Remembered
from . import placement

#: Narrower, and the toolbar or the bottom tabs would have to hide something. The least height
#: comes from the layouts: the left panel's need with its fold closed, plus the bars.
MINIMUM_WIDTH = 1000
LEFT_WIDTH = 300
#: The bottom tabs keep their labels, and the plots (title, axes, legend row and options) room
#: for their data, however small the window or far the splitter is dragged.
BOTTOM_MINIMUM_HEIGHT = 200


def arrange(window) -> None:
    """Put the toolbar, the read-out and the splitters in place. ``window`` is the MainWindow
    with its views built (``toolbar``, ``readout``, ``bottom``, ``centre``, ``splitter``,
    ``left``, ``controls``) and its ``menus``."""
    toolbar = window.toolbar
    window.addToolBar(QtCore.Qt.ToolBarArea.TopToolBarArea, toolbar)
    toggle = toolbar.toggleViewAction()
    toggle.setText("Training &toolbar")
    window.menus["&View"].addAction(toggle)
    # Made now, not by the first message: a status bar that appears later shifts the layout.
    status = window.statusBar()
    status.setSizeGripEnabled(True)
    status.addPermanentWidget(window.readout)
    # Never so narrow that the toolbar hides a button behind its overflow arrow.
    toolbar.ensurePolished()
    window.setMinimumWidth(max(MINIMUM_WIDTH, toolbar.sizeHint().width()))

    bar = window.bottom.tabBar()
    bar.setElideMode(QtCore.Qt.TextElideMode.ElideNone)
    bar.setUsesScrollButtons(True)
    window.bottom.setMinimumHeight(BOTTOM_MINIMUM_HEIGHT)
    window.centre.setCollapsible(0, False)
    window.centre.setCollapsible(1, False)
    window.splitter.setCollapsible(0, False)
    left = window.left
    left.setMinimumWidth(LEFT_WIDTH)
    # Only when "Momentum, new network" is open on a small screen; never over the controls.
    left.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    # Opened by a click, not restored at start-up: a window opening scrolled down hid the digit.
    window.controls.more.header.clicked.connect(window.reveal_fold)
    window.splitter.setSizes([LEFT_WIDTH, 10_000])
    # The window may not shrink below what the left panel needs with its fold closed: then no
    # scroll bar can ever cover a control.
    left.widget().ensurePolished()
    left.setMinimumHeight(left.widget().sizeHint().height() + 2 * left.frameWidth())


def restore(window, remembered: Remembered) -> None:
    """The window's remembered geometry and splitters, or the first launch's place."""
    settings = remembered.settings
    if settings.geometry is None or not window.restoreGeometry(QtCore.QByteArray(settings.geometry)) \
            or not fits_screen(window):
        place_first_launch(window)
    for state, splitter in ((settings.splitter, window.splitter), (settings.centre, window.centre)):
        if state is not None:
            splitter.restoreState(QtCore.QByteArray(state))
    window.controls.more.set_open(settings.options.more_open)


def remember(window, remembered: Remembered, model: WindowModel) -> None:
    """What the window keeps for next time: its geometry and splitters, and the model's settings."""
    remembered.change(geometry=window.saveGeometry().data(), splitter=window.splitter.saveState().data(),
                      centre=window.centre.saveState().data(),
                      options=Options.of(model, window.controls.more.is_open()))
    remembered.sync()


def place_first_launch(window: QtWidgets.QWidget) -> None:
    """Size and centre a window that has no remembered geometry (see placement.first_launch)."""
    window.setGeometry(QtCore.QRect(*placement.first_launch(_available(window))))


def fits_screen(window: QtWidgets.QWidget) -> bool:
    """Whether a restored geometry still lies inside the screen (which may have shrunk since)."""
    frame = window.frameGeometry()
    return placement.fits(placement.Rect(frame.x(), frame.y(), frame.width(), frame.height()), _available(window))


def _available(window: QtWidgets.QWidget) -> placement.Rect:
    target = window.screen() or QtGui.QGuiApplication.primaryScreen()
    rect = target.availableGeometry()
    return placement.Rect(rect.x(), rect.y(), rect.width(), rect.height())
