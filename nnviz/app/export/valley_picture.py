"""The Valley view rendered offscreen as a picture, for ``nnviz landscape``: the window's own view,
at the size asked, without its buttons."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from ...core.valley import Valley
from ..shell import theme
from ..views.valley import ValleyView


def valley_picture(valley: Valley, size: tuple[int, int], ball: int | None = None) -> QtGui.QImage:
    """``valley`` drawn by a ValleyView of ``size`` (width, height), the ball at checkpoint ``ball``
    (the end when None). Needs a QApplication (``frames.application``)."""
    view = ValleyView()
    view.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen)
    view.setStyleSheet(theme.STYLE_SHEET)  # the window's colours, its background too
    view.show_controls(False)
    view.setFixedSize(*size)
    try:
        view.show()
        view.show_valley(valley)
        if ball is not None:
            view.show_ball(ball)
        # Nested layouts settle one level per turn of the event loop (the caption, then the view).
        for _ in range(3):
            QtWidgets.QApplication.processEvents()
        return view.grab().toImage()
    finally:
        view.close()
        view.deleteLater()


def png_bytes(image: QtGui.QImage) -> bytes:
    """``image`` encoded as PNG."""
    data = QtCore.QByteArray()
    buffer = QtCore.QBuffer(data)
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode the picture as PNG")
    buffer.close()
    return bytes(data.data())
