"""Widgets drawn as vector graphics (SVG)."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets


def write_svg(widget: QtWidgets.QWidget, path: Path) -> None:
    """``widget`` drawn as vector graphics. Not pyqtgraph's SVGExporter: it cannot parse the path
    data this Qt writes (ValueError in its _generateItemSvg with PySide6 6.11)."""
    from PySide6.QtSvg import QSvgGenerator

    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(widget.size())
    generator.setViewBox(QtCore.QRect(QtCore.QPoint(0, 0), widget.size()))
    generator.setTitle("nnviz")
    painter = QtGui.QPainter(generator)
    widget.render(painter)
    if not painter.end():
        raise OSError(f"could not write {path}")
