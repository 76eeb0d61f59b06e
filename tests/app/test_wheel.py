"""The mouse wheel over the left panel scrolls it; it changes a number only in the field being edited.
The status bar's hover hints stop short of its read-out."""

from PySide6 import QtCore, QtGui, QtWidgets


def turn_wheel(widget: QtWidgets.QWidget, notches: int) -> None:
    """``notches`` clicks of a mouse wheel (negative: towards the person) over ``widget``'s centre."""
    centre = QtCore.QPointF(widget.rect().center())
    event = QtGui.QWheelEvent(centre, QtCore.QPointF(widget.mapToGlobal(centre.toPoint())), QtCore.QPoint(),
                              QtCore.QPoint(0, 120 * notches), QtCore.Qt.MouseButton.NoButton,
                              QtCore.Qt.KeyboardModifier.NoModifier, QtCore.Qt.ScrollPhase.NoScrollPhase, False)
    QtWidgets.QApplication.sendEvent(widget, event)


def test_the_wheel_over_the_example_number_scrolls_the_panel_until_the_number_is_clicked(window, qtbot):
    window.resize(1000, 420)
    qtbot.mouseClick(window.controls.more.header, QtCore.Qt.MouseButton.LeftButton)  # taller than its room: it scrolls
    qtbot.waitUntil(lambda: window.left.verticalScrollBar().maximum() > 0)
    number, bar = window.input_panel.index, window.left.verticalScrollBar()
    window.model.go_to(9)  # room to go down
    window.network_view.setFocus()
    before = window.model.example
    turn_wheel(number, -3)
    assert window.model.example == before and number.value() == before.index + 1
    assert bar.value() > 0, "the panel did not scroll"
    number.setFocus()
    qtbot.waitUntil(number.hasFocus)
    turn_wheel(number, 1)  # being edited, the field takes the wheel
    assert number.value() == before.index + 2 and window.model.example.index == before.index + 1


def test_a_long_hover_hint_ends_in_an_ellipsis_before_the_read_out(window, qtbot):
    window.resize(1152, 648)
    qtbot.wait(20)
    bar = window.statusBar()
    tip = "Train one step at a time: each step's mini-batch, its cost before and after, " * 4
    QtWidgets.QApplication.sendEvent(window.toolbar.run_button, QtGui.QStatusTipEvent(tip))
    shown = bar.currentMessage()
    assert shown.endswith("…") and tip.startswith(shown[:-1])
    assert QtGui.QFontMetrics(bar.font()).horizontalAdvance(shown) < window.readout.x()
