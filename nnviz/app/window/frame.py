"""The window's frame around its views: the run toolbar, the status bar with the read-out, the
Help menu, the icon, sizes that keep every label readable, and where it opens the first time."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from ..shell import actions, help
from . import placement as screen

#: Narrower, and the toolbar or the bottom tabs would have to hide something. The least height
#: comes from the layouts: the left panel's need with its fold closed, plus the bars.
MINIMUM_WIDTH = 1000
LEFT_WIDTH = 300
#: The bottom tabs keep their labels, and the plots (title, axes, legend row and options) room
#: for their data, however small the window or far the splitter is dragged.
BOTTOM_MINIMUM_HEIGHT = 200


def arrange(window: QtWidgets.QMainWindow) -> None:
    """Put the controls' toolbar and read-out in place and make the window-level key actions.

    ``window`` has ``controls``, ``bottom`` (the tabs under the network), ``centre`` and
    ``splitter`` (the two splitters), ``browse(step)`` and ``network_view``.
    """
    controls = window.controls
    window.addToolBar(QtCore.Qt.ToolBarArea.TopToolBarArea, controls.toolbar)
    window.addActions(controls.toolbar.actions())
    view_menu = getattr(window, "view_menu", None)
    if view_menu is not None:
        toggle = controls.toolbar.toggleViewAction()
        toggle.setText("Training &toolbar")
        view_menu.addAction(toggle)
    # Made now, not by the first message: a status bar that appears later shifts the layout.
    status = window.statusBar()
    status.setSizeGripEnabled(True)
    status.addPermanentWidget(controls.readout)
    window.setWindowIcon(help.window_icon())
    # Never so narrow that the toolbar hides a button behind its overflow arrow.
    controls.toolbar.ensurePolished()
    window.setMinimumWidth(max(MINIMUM_WIDTH, controls.toolbar.sizeHint().width()))

    for name, step in (("next_example", 1), ("previous_example", -1), ("random_example", 0)):
        setattr(window, f"{name}_action", actions.make_action(name, window, lambda _=False, s=step: window.browse(s)))

    bar = window.bottom.tabBar()
    bar.setElideMode(QtCore.Qt.TextElideMode.ElideNone)
    bar.setUsesScrollButtons(True)
    window.bottom.setMinimumHeight(BOTTOM_MINIMUM_HEIGHT)
    window.centre.setCollapsible(0, False)
    window.centre.setCollapsible(1, False)
    window.splitter.setCollapsible(0, False)
    left = window.splitter.widget(0)
    left.setMinimumWidth(LEFT_WIDTH)
    if isinstance(left, QtWidgets.QScrollArea):
        # Only when "Momentum, new network" is open on a small screen; never over the controls.
        left.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        controls.more.toggled.connect(lambda opened: opened and QtCore.QTimer.singleShot(
            0, lambda: left.ensureWidgetVisible(controls.new_button)))
    window.splitter.setSizes([LEFT_WIDTH, 10_000])
    if isinstance(left, QtWidgets.QScrollArea) and left.widget() is not None:
        # The window may not shrink below what the left panel needs with its fold closed: then no
        # scroll bar can ever cover a control.
        left.widget().ensurePolished()
        left.setMinimumHeight(left.widget().sizeHint().height() + 2 * left.frameWidth())
    help.add_help_menu(window)


def place_first_launch(window: QtWidgets.QWidget) -> None:
    """Size and centre a window that has no remembered geometry (see screen.first_launch)."""
    window.setGeometry(QtCore.QRect(*screen.first_launch(_available(window))))


def fits_screen(window: QtWidgets.QWidget) -> bool:
    """Whether a restored geometry still lies inside the screen (which may have shrunk since)."""
    frame = window.frameGeometry()
    return screen.fits(screen.Rect(frame.x(), frame.y(), frame.width(), frame.height()), _available(window))


def _available(window: QtWidgets.QWidget) -> screen.Rect:
    target = window.screen() or QtGui.QGuiApplication.primaryScreen()
    rect = target.availableGeometry()
    return screen.Rect(rect.x(), rect.y(), rect.width(), rect.height())
