"""Colours, pens and brushes, built once and reused (a new QBrush per neuron per frame costs 20x more)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6 import QtGui

from ...render import palette

BACKGROUND = QtGui.QColor(*palette.BACKGROUND)
PANEL = QtGui.QColor(24, 27, 36)
TEXT = QtGui.QColor(220, 224, 232)
DIM_TEXT = QtGui.QColor(140, 146, 160)
#: The videos' convention: blue for positive weights, red for negative.
POSITIVE = QtGui.QColor(*palette.POSITIVE)
NEGATIVE = QtGui.QColor(*palette.NEGATIVE)
ACCENT = QtGui.QColor(255, 196, 0)
CORRECT = QtGui.QColor(80, 200, 120)
WRONG = NEGATIVE
#: Grey levels a neuron can take, dark (0) to bright (1).
SHADES = 64


def mix(a: QtGui.QColor, b: QtGui.QColor, t: float) -> QtGui.QColor:
    """The colour a fraction ``t`` of the way from ``a`` to ``b``."""
    return QtGui.QColor(*palette.mix(a.getRgb()[:3], b.getRgb()[:3], t))


def edge_pens() -> list[QtGui.QPen]:
    """One opaque cosmetic pen per edge bin (negative weak → strong, then positive): palette.py's colours and widths."""
    pens = []
    for colour, width in zip(palette.edge_colours(), palette.edge_widths()):
        pen = QtGui.QPen(QtGui.QColor(*colour))
        pen.setCosmetic(True)
        pen.setWidthF(float(width))
        pens.append(pen)
    return pens


def shade_brushes() -> list[QtGui.QBrush]:
    return [QtGui.QBrush(QtGui.QColor.fromHsvF(0.0, 0.0, 0.06 + 0.94 * i / (SHADES - 1))) for i in range(SHADES)]


def shade_index(values: np.ndarray, activation: str) -> np.ndarray:
    """Which of the SHADES each activation gets: 0 (dark) .. SHADES-1 (bright).

    tanh runs from -1 to 1, so its -1 is dark; ReLU is unbounded, so everything past 1 is bright.
    """
    values = np.asarray(values, np.float64)
    if activation == "tanh":
        values = (values + 1) / 2
    return np.clip(np.nan_to_num(values) * (SHADES - 1) + 0.5, 0, SHADES - 1).astype(np.int64)


def grey_lookup_table() -> np.ndarray:
    """For the input image: 0 → the darkest neuron shade, 255 → white."""
    levels = 0.06 + 0.94 * np.linspace(0, 1, 256)
    return np.round(np.repeat(levels[:, None], 3, axis=1) * 255).astype(np.uint8)


def diverging_lookup_table() -> np.ndarray:
    """For weight images: red (negative) through the background to blue (positive)."""
    t = np.linspace(-1, 1, 256)[:, None]
    bg = np.array(BACKGROUND.getRgb()[:3], float)
    pos = np.array(POSITIVE.getRgb()[:3], float)
    neg = np.array(NEGATIVE.getRgb()[:3], float)
    table = np.where(t >= 0, bg + (pos - bg) * t, bg + (neg - bg) * -t)
    return np.round(table).astype(np.uint8)


#: A tick in a checked box: a filled box alone did not say "on" to a learner.
CHECK_MARK = (Path(__file__).with_name("check.svg")).as_posix()
STYLE_SHEET = f"""
QMainWindow, QWidget {{ background: {PANEL.name()}; color: {TEXT.name()}; }}
QScrollArea {{ border: none; }}
QGroupBox {{ border: 1px solid #343a4a; border-radius: 6px; margin-top: 14px; padding: 6px 4px 4px 4px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; color: {DIM_TEXT.name()}; }}
QPushButton {{ background: #2c3242; border: 1px solid #3d4456; border-radius: 5px; padding: 5px 10px; }}
QPushButton:hover {{ background: #363d50; }}
QPushButton:disabled {{ color: #5d6475; }}
QPushButton#primary {{ background: #2456b8; border-color: #3a6fd8; font-weight: bold; padding: 7px; }}
QPushButton#primary:checked {{ background: #b87a14; border-color: #d89a30; }}
QSpinBox, QDoubleSpinBox, QLineEdit, QComboBox {{ background: #1b1f2a; border: 1px solid #3d4456; border-radius: 4px;
    padding: 2px 4px; }}
QProgressBar {{ background: #1b1f2a; border: 1px solid #3d4456; border-radius: 4px; text-align: center; height: 16px; }}
QProgressBar::chunk {{ background: #2f6fd0; border-radius: 3px; }}
QLabel#dim {{ color: {DIM_TEXT.name()}; }}
QLabel#caption {{ font-size: 14px; }}
QLabel#readout {{ color: {DIM_TEXT.name()}; }}
QMenuBar, QMenu {{ background: {PANEL.name()}; color: {TEXT.name()}; }}
QMenu::item:selected, QMenuBar::item:selected {{ background: #2c3242; }}
QSplitter::handle {{ background: #11141b; }}
QToolBar {{ background: {PANEL.name()}; border: none; border-bottom: 1px solid #11141b; spacing: 6px; padding: 3px 6px; }}
QToolBar::separator {{ background: #343a4a; width: 1px; margin: 4px 6px; }}
QToolButton {{ background: #2c3242; border: 1px solid #3d4456; border-radius: 5px; padding: 4px 10px; }}
QToolButton:hover {{ background: #363d50; }}
QToolButton:disabled {{ color: #5d6475; }}
QToolButton:checked {{ background: #2f6fd0; border-color: #6f9ff0; color: white; }}
QToolButton#primary {{ background: #2456b8; border-color: #3a6fd8; font-weight: bold; }}
QToolButton#primary:checked {{ background: #b87a14; border-color: #d89a30; }}
QToolButton#fold {{ background: transparent; border: none; color: {DIM_TEXT.name()}; padding: 4px 2px; text-align: left; }}
QToolButton#fold:hover {{ color: {TEXT.name()}; }}
QFrame#fold_body {{ border: 1px solid #343a4a; border-radius: 6px; }}
QCheckBox::indicator {{ width: 14px; height: 14px; border: 1px solid #8c92a0; border-radius: 3px; background: #1b1f2a; }}
QCheckBox::indicator:checked {{ background: #2f6fd0; border-color: #6f9ff0; image: url("{CHECK_MARK}"); }}
QCheckBox::indicator:hover {{ border-color: {TEXT.name()}; }}
QTabBar::tab {{ background: #1b1f2a; color: {DIM_TEXT.name()}; border: 1px solid #343a4a; padding: 4px 10px;
    border-top-left-radius: 4px; border-top-right-radius: 4px; }}
QTabBar::tab:selected {{ background: #2c3242; color: {TEXT.name()}; }}
QTabWidget::pane {{ border: 1px solid #343a4a; }}
QStatusBar {{ background: #1b1f2a; color: {DIM_TEXT.name()}; border-top: 1px solid #11141b; }}
QStatusBar QLabel {{ background: transparent; }}
QStatusBar::item {{ border: none; }}
"""
