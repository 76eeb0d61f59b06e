"""The window on a 1280x720 screen: where it opens, and every control in sight without scrolling."""

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from nnviz.app.window import frame as layout, placement as screen
from nnviz.app.main import make_window

SMALL = screen.Rect(0, 0, 1280, 720)


def inside(rect: screen.Rect, outer: screen.Rect) -> bool:
    return screen.fits(rect, outer)


@pytest.mark.parametrize("available", [SMALL, screen.Rect(0, 27, 1280, 693), screen.Rect(0, 0, 1600, 1000),
                                       screen.Rect(0, 0, 1920, 1080), screen.Rect(1920, 0, 1280, 720)])
def test_first_launch_takes_at_most_90_percent_of_the_screen_centred(available):
    rect = screen.first_launch(available)
    assert inside(rect, available)
    assert rect.width <= 0.9 * available.width and rect.height <= 0.9 * available.height
    assert (rect.width, rect.height) <= screen.PREFERRED
    left, right = rect.x - available.x, available.x + available.width - rect.x - rect.width
    top, bottom = rect.y - available.y, available.y + available.height - rect.y - rect.height
    assert abs(left - right) <= 1 and abs(top - bottom) <= 1


def test_a_large_screen_gets_the_preferred_size():
    rect = screen.first_launch(screen.Rect(0, 0, 2560, 1440))
    assert (rect.width, rect.height) == screen.PREFERRED


def test_a_window_remembered_from_a_larger_screen_does_not_fit():
    assert not screen.fits(screen.Rect(300, 200, 1500, 920), SMALL)
    assert screen.fits(screen.first_launch(SMALL), SMALL)


@pytest.fixture
def small_screen(monkeypatch):
    """The offscreen platform's screen, told to be 1280x720."""
    monkeypatch.setattr(layout, "_available", lambda window: SMALL)


@pytest.fixture
def first_launch(qtbot, settings, errors, small_screen):
    window = make_window(settings=settings)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.controller.shutdown()
    window.model.set_dirty(False)
    window.close()


def test_with_no_settings_the_window_opens_inside_a_1280x720_screen(first_launch):
    geometry = first_launch.geometry()
    rect = screen.Rect(geometry.x(), geometry.y(), geometry.width(), geometry.height())
    assert rect == screen.first_launch(SMALL)
    assert inside(rect, SMALL)
    assert first_launch.minimumHeight() <= rect.height and first_launch.minimumWidth() <= rect.width


def clipped(widget: QtWidgets.QWidget) -> str | None:
    """Why ``widget`` is not wholly in sight inside its window (None when it is)."""
    if not widget.isVisible():
        return "hidden"
    parent = widget.parentWidget()
    while parent is not None:
        mapped = QtCore.QRect(widget.mapTo(parent, QtCore.QPoint(0, 0)), widget.size())
        if not parent.rect().contains(mapped):
            return f"cut off by {type(parent).__name__} {parent.objectName()!r}: {mapped} not in {parent.rect()}"
        parent = parent.parentWidget()
    return None


def controls_in_sight(window) -> dict:
    c, t = window.controls, window.toolbar
    return {"Train": t.run_button, "1 mini-batch": t.batch_button, "1 epoch": t.epoch_button, "speed": t.speed,
            "speed label": t.speed_label, "progress": t.progress, "backpropagation": t.backprop_button,
            "learning rate": c.learning_rate, "mini-batch size": c.batch_size, "epochs": c.epochs,
            "input edges": c.edges, "input edges label": c.edges_label, "the fold": c.more.header,
            "read-out": window.readout, "status bar": window.statusBar(), "bottom tabs": window.bottom.tabBar()}


def dataset_tab(window) -> dict:
    panel = window.input_panel
    return {"image": panel.view, "caption": panel.caption, "previous": panel.previous_button,
            "random": panel.random_button, "next": panel.next_button, "Set": panel.split, "Digit": panel.digit,
            "only the ones it gets wrong": panel.only_mistakes, "Example": panel.index}


def draw_tab(window) -> dict:
    panel = window.input_panel
    return {"canvas": panel.canvas, "pen": panel.pen, "Clear": panel.clear_button, "answer": panel.draw_caption}


def test_at_1280x720_every_control_is_in_sight_without_scrolling(first_launch, qtbot):
    window = first_launch
    left = window.splitter.widget(0)
    for tab, widgets in ((0, dataset_tab(window)), (1, draw_tab(window))):
        window.input_panel.setCurrentIndex(tab)
        QtWidgets.QApplication.processEvents()
        problems = {name: clipped(w) for name, w in {**controls_in_sight(window), **widgets}.items()}
        assert {name: why for name, why in problems.items() if why} == {}
        assert not left.verticalScrollBar().isVisible()
    bar = window.bottom.tabBar()
    for i in range(bar.count()):
        assert bar.rect().contains(bar.tabRect(i)), bar.tabText(i)


def test_the_mistakes_checkbox_can_be_seen(first_launch):
    box = first_launch.input_panel.only_mistakes
    picture = box.grab().toImage()
    indicator = [QtGui.QColor(picture.pixel(x, y)).lightness()
                 for x in range(min(24, picture.width())) for y in range(picture.height())]
    background = QtGui.QColor(picture.pixel(picture.width() - 1, 0)).lightness()
    # its square's border is drawn well apart from the panel behind it
    assert max(indicator) - background > 80


def test_opening_the_fold_scrolls_the_new_network_button_into_sight(first_launch, qtbot):
    controls = first_launch.controls
    assert not controls.new_button.isVisible()
    qtbot.mouseClick(controls.more.header, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: clipped(controls.new_button) is None, timeout=2000)
    assert controls.new_button.isVisible()


def test_a_window_opening_with_its_fold_remembered_open_shows_the_top_of_the_left_panel(qtbot, settings, errors,
                                                                                       small_screen):
    """The fold restored at start-up is no click: the panel stays at its top, the digit on show."""
    window = make_window(settings=settings)
    window.controls.more.set_open(True)
    window.close()
    again = make_window(settings=settings)
    again.show()
    qtbot.waitExposed(again)
    for _ in range(3):
        QtWidgets.QApplication.processEvents()
    try:
        assert again.controls.more.is_open() and again.left.verticalScrollBar().value() == 0
        assert clipped(again.input_panel) is None
    finally:
        again.controller.shutdown()
        again.close()


def test_the_fold_is_remembered(qtbot, settings, errors):
    for opened in (True, False):
        window = make_window(settings=settings)
        assert window.controls.more.is_open() != opened
        window.controls.more.set_open(opened)
        window.close()  # remembers, in an INI file (which gives booleans back as text)
        again = make_window(settings=settings)
        assert again.controls.more.is_open() == opened
        again.close()


def test_a_window_closed_as_its_fold_opens_leaves_nothing_to_run_after_it(qtbot, settings, errors):
    """Opening the fold scrolls it into view at the next turn of the event loop: a window deleted
    before that turn must take the scroll with it (it ran on a deleted scroll area)."""
    window = make_window(settings=settings)
    window.controls.more.set_open(False)
    window.controls.more.header.click()  # as a person opens it
    window.close()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    QtWidgets.QApplication.processEvents()


def test_at_the_minimum_size_the_bottom_tabs_keep_their_labels(first_launch, qtbot):
    window = first_launch
    window.resize(1, 1)
    QtWidgets.QApplication.processEvents()
    assert window.width() == window.minimumWidth() and window.height() < 720 * 0.9
    bar = window.bottom.tabBar()
    metrics = bar.fontMetrics()
    for i in range(bar.count()):
        rect = bar.tabRect(i)
        assert bar.rect().contains(rect) and rect.width() >= metrics.horizontalAdvance(bar.tabText(i)), bar.tabText(i)
    assert window.bottom.height() >= layout.BOTTOM_MINIMUM_HEIGHT
    assert not window.splitter.widget(0).verticalScrollBar().isVisible()
    assert clipped(window.toolbar.backprop_button) is None  # not behind the toolbar's overflow arrow


def test_the_status_bar_is_there_from_the_start_and_a_message_moves_nothing(first_launch, qtbot):
    window = first_launch
    assert window.statusBar().isVisible()
    before = window.centralWidget().geometry()
    window.statusBar().showMessage("a first message")
    QtWidgets.QApplication.processEvents()
    assert window.centralWidget().geometry() == before


def test_a_message_longer_than_its_room_ends_in_an_ellipsis_and_its_tooltip_says_it_whole(first_launch, qtbot):
    window = first_launch
    QtWidgets.QApplication.processEvents()
    bar, readout = window.statusBar(), window.readout
    long = "A message a window this narrow cannot hold whole: " + "word " * 60 + "and its end"
    window.status.say(long)
    shown = bar.currentMessage()
    assert shown.endswith("…") and long.startswith(shown[:-1])
    assert bar.fontMetrics().horizontalAdvance(shown) < readout.x()  # clear of the read-out
    assert window.status.current() == long and bar.toolTip() == long
    window.status.say("Saved")  # a short one is shown as said, with no tooltip left over
    assert bar.currentMessage() == "Saved" == window.status.current() and bar.toolTip() == ""
    window.status.say(long)
    bar.showMessage("another message from elsewhere")
    assert bar.toolTip() == "" and window.status.current() == "another message from elsewhere"


def test_a_message_said_before_the_window_is_shown_is_fitted_once_it_is(qtbot, settings, own):
    from nnviz.app.main import make_window

    window = make_window(settings=settings)  # the start-up notes are said here, before show()
    own(window)
    long = "A start-up note naming a long path: " + "/very/long/folder" * 30 + "/run.npz"
    window.status.say(long)
    assert window.statusBar().currentMessage() == long  # no room known yet
    window.resize(1280, 720)
    window.show()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().endswith("…"), timeout=5000)
    assert window.status.current() == long and window.statusBar().toolTip() == long
    window.resize(1900, 720)  # wider: more of it fits
    shown = window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: len(window.statusBar().currentMessage()) > len(shown), timeout=5000)
