"""Runs side by side: the second run's network beside the first, its curves on the same plots,
and a switch that draws the difference of their weights on the first network's picture.

``CompareView`` takes plain values; ``CompareWiring`` (a mixin of MainWindow) connects it to the
model's ``comparison``, ``params`` and ``example`` events and adds File > Compare with….
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtWidgets

from ...core.errors import NnvizError
from ...core.files import load_run
from ...model import TrainingMode
from ...model.comparison import Comparison
from ..views.network.network_view import NetworkView


class CompareView(QtWidgets.QWidget):
    """The other run's network, smaller, with its name and the difference switch."""

    closed = QtCore.Signal()
    difference_toggled = QtCore.Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QtWidgets.QLabel()
        self.title.setObjectName("caption")
        self.network_view = NetworkView()
        self.network_view.setMinimumSize(240, 200)
        self.difference = QtWidgets.QCheckBox("show this run's weights minus the other's on the left")
        self.difference.setToolTip("Blue: the left run's weight is larger; red: the other's is")
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

    def allow_difference(self, allowed: bool) -> None:
        self.difference.setEnabled(allowed)
        if not allowed:
            self.difference.setChecked(False)


class CompareWiring:
    """File > Compare with…; mixed into MainWindow after the views exist."""

    def _connect_compare(self) -> None:
        self.compare_view = CompareView()
        self.compare_view.hide()
        self.network_row.addWidget(self.compare_view)
        self.network_row.setStretchFactor(0, 2)
        self.network_row.setStretchFactor(1, 1)
        self.compare_view.closed.connect(self.model.close_comparison)
        self.compare_view.difference_toggled.connect(lambda _: self._show_comparison())
        events = self.model.events
        events.comparison.connect(self._on_comparison)
        events.params.connect(lambda _: self._show_comparison())
        events.example.connect(lambda _: self._show_comparison())
        self.compare_action = self.file_menu.addAction("&Compare with…", self.compare_with)
        self.close_compare_action = self.file_menu.addAction("C&lose comparison", self.model.close_comparison)
        self.close_compare_action.setEnabled(False)
        # before Quit, with the other file actions
        quit_action = [a for a in self.file_menu.actions() if a.text() == "&Quit"][0]
        for action in (self.compare_action, self.close_compare_action):
            self.file_menu.insertAction(quit_action, action)
        self.file_menu.insertSeparator(quit_action)

    def compare_with(self, path: str | Path | None = None) -> bool:
        """Open a second run from a file and show it beside the one on show."""
        if path is None:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Compare with", self._folder(),
                                                            "nnviz networks (*.npz);;All files (*)")
            if not path:
                return False
        try:
            run = load_run(path)
            self.model.compare_with(Path(path).name, run.network, run.history)
        except (NnvizError, ValueError) as error:
            self.show_error("Cannot compare", f"{Path(path).name}: {error}")
            return False
        return True

    def _on_comparison(self, comparison: Comparison | None) -> None:
        self.compare_view.setVisible(comparison is not None)
        self.close_compare_action.setEnabled(comparison is not None)
        if comparison is None:
            self.plots.show_comparison(None)
            self._show_weights()
            return
        other = comparison.network
        self.compare_view.network_view.set_edge_fraction(self.network_view.edge_fraction)
        self.compare_view.allow_difference(other.sizes == self.network.sizes)
        self.plots.show_comparison(comparison.history, comparison.name)
        self._show_comparison()

    def _show_comparison(self) -> None:
        comparison = self.model.comparison
        if comparison is None or self.stepping:
            return
        if self.model.mode != TrainingMode.IDLE and not self._frame_had_edges:
            return  # while training, the other picture follows when the first one's edges do
        other, view = comparison.network, self.compare_view.network_view
        view.show_network(other, self.dataset.image_shape, self.dataset.class_names)
        x, label = self.model.current_input()
        x = np.zeros(other.sizes[0], other.dtype) if x is None else x
        forward = other.forward(x)
        view.show_forward(forward, int(forward.output[0].argmax()), label)
        name = comparison.name + ("" if other.activation.name == self.network.activation.name
                                  else f" ({other.activation.name})")
        self.compare_view.show_title(f"<b>{name}</b> at epoch {min(self.model.position, comparison.history.end or 0):.2f}"
                                     if len(comparison.history) else f"<b>{name}</b>")
        difference = comparison.difference(self.network) if self.compare_view.difference.isChecked() else None
        if difference is not None:
            self.network_view.show_edge_values(difference)
        elif self.network_view.edge_values is not None and not self.stepping:
            if any(not np.array_equal(a, b) for a, b in zip(self.network_view.edge_values, self.network.weights)):
                self.network_view.show_edge_values(self.network.weights)
