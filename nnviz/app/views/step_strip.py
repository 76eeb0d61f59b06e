"""Slow motion's strip under the network: the mini-batch the step learned from (the example on
show marked when it is one of them), the mini-batch's cost before and after, and what the
network picture now shows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6 import QtCore, QtWidgets

from .tiles import Tiles, grey_levels

#: Thumbnails in a row: a mini-batch of up to this many shows each of its digits.
MOST_THUMBNAILS = 16
THUMBNAIL_SIDE = 44


class StepStrip(QtWidgets.QWidget):
    """``show_step`` for a training step, ``show_change`` for a move between checkpoints."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.thumbnails = Tiles(1, 1)
        self.text = QtWidgets.QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self._layout = QtWidgets.QHBoxLayout(self)
        self._layout.setContentsMargins(6, 2, 6, 2)
        self._layout.addWidget(self.thumbnails)
        self._layout.addWidget(self.text, 1)

    def show_step(self, images: Sequence[np.ndarray], labels: Sequence[str], marked: int | None, text: str) -> None:
        """The step's digits (``images``, (h, w) uint8 each, with ``labels``), tile ``marked`` being
        the example on show, and ``text`` beside them."""
        levels, table = grey_levels()
        shown = [np.asarray(image, np.float64) / 255.0 for image in images[:MOST_THUMBNAILS]]
        if len(shown) != self.thumbnails.cols:
            self._make_thumbnails(len(shown))
        corners = ["on show" if i == marked else "" for i in range(len(shown))]
        self.thumbnails.show_tiles(shown, levels, table, captions=list(labels), corners=corners)
        self.thumbnails.setVisible(bool(shown))
        self.text.setText(text)

    def _make_thumbnails(self, count: int) -> None:
        """A row of ``count`` tiles, each THUMBNAIL_SIDE pixels: a mini-batch's size is the person's."""
        old = self.thumbnails
        self.thumbnails = Tiles(1, max(count, 1))
        self.thumbnails.setFixedSize(max(count, 1) * (THUMBNAIL_SIDE + 2), THUMBNAIL_SIDE)
        self._layout.replaceWidget(old, self.thumbnails)
        old.deleteLater()

    def show_change(self, text: str) -> None:
        """No mini-batch to show (a move between checkpoints, or before the first step): ``text``."""
        self.thumbnails.clear()
        self.thumbnails.hide()
        self.text.setText(text)
