"""Fooling the network: the original, the change (scaled so it can be seen, its scale written),
the result the network reads as another digit, and the ten outputs before and after.

A pure view: ``core.fooling`` finds the change; the panel asks for one with ``fool_requested(target)``
(the example on show, read as ``target``) or ``static_requested(target)`` (static read as it).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from PySide6 import QtCore, QtWidgets

from ...core.fooling import Fooling
from .dreams import caption, column
from .stepper.pictures import OutputBars
from .tiles import Tiles, diverging_levels, grey_levels

BARS_TITLE = "Outputs before (grey) and after (blue; the chosen digit green)"


def change_scale(largest_change: float) -> float:
    """How many times the change is magnified so that its largest pixel change is full colour."""
    return 1.0 / largest_change if largest_change > 0 else 1.0


class FoolingPanel(QtWidgets.QWidget):
    """Make the network read the example on show (or static) as a chosen digit, and show how."""

    fool_requested = QtCore.Signal(int)
    static_requested = QtCore.Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QtWidgets.QLabel("Fool the network: the smallest changes that make it read the example as")
        self.title.setObjectName("caption")
        self.target = QtWidgets.QComboBox()
        self.fool_button = QtWidgets.QPushButton("Fool it")
        self.fool_button.setToolTip("Change the example on show one grey level a step, along the sign of "
                                    "the input gradient, until the network reads it as the chosen digit")
        self.static_button = QtWidgets.QPushButton("Static read as it")
        self.static_button.setToolTip("The same from random static, until the chosen digit's output is above 0.9")
        self.fool_button.clicked.connect(self._on_fool)
        self.static_button.clicked.connect(self._on_static)
        self.original, self.change, self.result = Tiles(), Tiles(), Tiles()
        self.original_title = caption("Original")
        self.change_title = caption("The change")
        self.result_title = caption("After the steps")
        self.summary = QtWidgets.QLabel("Choose a digit and press Fool it.")
        self.summary.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
        self.summary.setMinimumWidth(150)
        self.bars = OutputBars()
        self.bars.setMinimumHeight(80)
        self.bars.setMaximumHeight(16_777_215)  # OutputBars fixes its height for the stepper; here it fills the row
        # A label, not the plot's title: a plot's title never wraps and is cut in a narrow tab.
        self.bars_title = caption(BARS_TITLE)
        self.scale = 1.0
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.target)
        top.addWidget(self.fool_button)
        top.addWidget(self.static_button)
        top.addStretch(1)
        row = QtWidgets.QHBoxLayout()
        row.setSpacing(10)
        for title, body in ((self.original_title, self.original), (self.change_title, self.change),
                            (self.result_title, self.result)):
            row.addLayout(column(title, body), 2)
        row.addWidget(self.summary, 3)
        row.addLayout(column(self.bars_title, self.bars), 4)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addLayout(row, 1)
        self.set_classes([str(j) for j in range(10)])

    def set_classes(self, names: Sequence[str]) -> None:
        chosen = self.target.currentIndex()
        self.target.clear()
        self.target.addItems([str(name) for name in names])
        self.target.setCurrentIndex(chosen if 0 <= chosen < len(names) else min(7, len(names) - 1))

    def show_target(self, target: int | None) -> None:
        """The digit chosen (None: none yet; the box offers the one it shows)."""
        if target is not None and 0 <= target < self.target.count():
            self.target.setCurrentIndex(target)

    def clear(self, text: str) -> None:
        """Nothing fooled: ``text`` says why."""
        for tiles in (self.original, self.change, self.result):
            tiles.clear()
        self.original_title.setText("Original")
        self.change_title.setText("The change")
        self.result_title.setText("After the steps")
        self.summary.setText(text)
        self.bars.reset()
        self.bars.getPlotItem().setTitle(None)

    def _on_fool(self) -> None:
        self.fool_requested.emit(self.target.currentIndex())

    def _on_static(self) -> None:
        self.static_requested.emit(self.target.currentIndex())

    def show_fooling(self, fooling: Fooling, source: str, names: Sequence[str], shape: tuple[int, int]) -> None:
        """What ``fooling`` did to ``source`` ("test example 2, a 2" or "static, seed 0")."""
        grey, grey_table = grey_levels()
        largest = fooling.largest_change
        self.scale = change_scale(largest)
        levels, table = diverging_levels(largest if largest > 0 else 1.0)
        target, read = names[fooling.target], names[int(np.argmax(fooling.outputs_after))]
        before = names[int(np.argmax(fooling.outputs_before))]
        self.original.show_tile(0, fooling.original.reshape(shape), grey, grey_table, f"reads {before}")
        self.change.show_tile(0, fooling.change.reshape(shape), levels, table)
        self.result.show_tile(0, fooling.image.reshape(shape), grey, grey_table, f"reads {read}")
        self.original_title.setText(source[:1].upper() + source[1:])
        levels_text = f"full colour ±{round(largest * 255)}/255" if largest > 0 else "none"
        self.change_title.setText(f"Change ×{self.scale:.1f}, {levels_text}")
        self.result_title.setText(f"After {fooling.steps} steps")
        n = fooling.original.size
        if fooling.fooled:
            verdict = f"<b>Read as {target}</b> after {fooling.steps} steps"
        else:
            verdict = f"<b>Not fooled</b> after {fooling.steps} steps: it still reads {read}"
        self.summary.setText(
            f"{verdict}.<br>Largest change of one pixel: <b>{round(largest * 255)}</b> grey levels of 255 "
            f"({largest:.2f}).<br>Pixels moved: <b>{fooling.pixels_changed}</b> of {n}.<br>"
            f"Output {target}: {fooling.outputs_before[fooling.target]:.2f} → {fooling.outputs_after[fooling.target]:.2f}.")
        self.bars.show_outputs(fooling.outputs_before, fooling.outputs_after, fooling.target, list(names))
        # The label above says it: emptied first (a hidden long title still widens the plot past its
        # widget), then hidden (an empty title row would still take its height).
        self.bars.setTitle("")
        self.bars.getPlotItem().setTitle(None)
        self.bars.setXRange(-0.6, len(names) - 0.4, padding=0)
