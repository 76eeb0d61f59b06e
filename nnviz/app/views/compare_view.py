"""A second run beside the first: its network, smaller, with its name, and a switch that draws
the difference of the two runs' weights on the first run's picture."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from .network.network_view import NetworkView


class CompareView(QtWidgets.QWidget):
    closed = QtCore.Signal()
    difference_toggled = QtCore.Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QtWidgets.QLabel()
        self.title.setObjectName("caption")
        self.title.setWordWrap(True)
        self.network_view = NetworkView()
        self.network_view.setMinimumSize(240, 200)
        self.difference = QtWidgets.QCheckBox("Left: the difference of the weights")
        self.difference.setToolTip("Draw the left run's weights minus this run's on the left network: blue where the "
                                   "left run's weight is larger, red where this one's is")
        self.difference.toggled.connect(self.difference_toggled)
        close = QtWidgets.QPushButton("Close comparison")
        close.clicked.connect(self.closed)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(close)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.network_view, 1)
        layout.addWidget(self.difference)

    def show_title(self, text: str) -> None:
        self.title.setText(text)

    def show_difference(self, allowed: bool, on: bool) -> None:
        self.difference.blockSignals(True)
        self.difference.setEnabled(allowed)
        self.difference.setChecked(on)
        self.difference.blockSignals(False)
