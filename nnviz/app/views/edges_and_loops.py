"""Edges and loops? The article's hope put to the test for the network on show: for each neuron of
the first hidden layer its weight picture, its dream and its nine favourite test images side by
side, with what the evidence says in plain words (``core.edges_and_loops`` computes and words it).

A pure view, for a tab or a dialog: ``show_evidence`` shows a Verdict; ``refresh_requested`` asks
for a new one (for the network as it is now); clicking a favourite image emits ``example_clicked``.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from PySide6 import QtCore, QtWidgets

from ...core.edges_and_loops import LOCAL, NOISY, PAGE_DREAMS, Verdict, neuron_caption
from ..shell import theme
from .dreams import as_inputs, weight_limit
from .tiles import Tiles, diverging_levels, grey_levels

ROW_HEIGHT = 84
KIND_COLOURS = {"stroke": theme.CORRECT, "pattern": theme.ACCENT, "noise": theme.NEGATIVE}

QUESTION = "Does the first hidden layer detect edges and lines, as the article hopes?"
EXPLANATION = (
    "For each neuron of hidden layer 1: its weights (blue +, red −), its dream (the image that excites it most, "
    f"{PAGE_DREAMS.steps} steps from grey, smoothed with λ = {PAGE_DREAMS.smoothness:g}: white where its weights are "
    "mostly positive) and the nine test images that excite it most. A neuron that detects a stroke in one place has a weight picture that is <i>smooth</i> "
    "(neighbouring weights agree: a stroke is many neighbouring pixels) and <i>local</i> (most of its weight in one "
    "small square). Each number is compared with the same weights shuffled among the pixels, which is noise. "
    f"Smoothness below {NOISY:g} cannot be told from noise; a stroke puts at least {LOCAL:g}× noise's share in one "
    "square. Only the pixels that the digits use count: the others never learn and keep their random start.")
HEADERS = ("", "Weights", "Dream", "Favourite test images", "What the evidence says")


class NeuronRow:
    """The widgets of one neuron's row."""

    def __init__(self, k: int, grid: QtWidgets.QGridLayout, row: int, on_favourite):
        self.name = QtWidgets.QLabel()
        self.name.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.name.setWordWrap(True)
        self.weights, self.dream, self.favourites = Tiles(), Tiles(), Tiles(3, 3)
        self.favourites.clicked.connect(on_favourite)
        self.reading = QtWidgets.QLabel()
        self.reading.setWordWrap(True)
        self.reading.setAlignment(QtCore.Qt.AlignmentFlag.AlignVCenter)
        self.indices = np.zeros(0, int)
        for column, widget in enumerate((self.name, self.weights, self.dream, self.favourites, self.reading)):
            if isinstance(widget, Tiles):
                widget.setFixedSize(ROW_HEIGHT, ROW_HEIGHT)
            grid.addWidget(widget, row, column)


class EdgesAndLoopsPage(QtWidgets.QWidget):
    refresh_requested = QtCore.Signal()
    example_clicked = QtCore.Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.question = QtWidgets.QLabel(f"<b>{QUESTION}</b>")
        self.question.setObjectName("caption")
        self.question.setWordWrap(True)
        refresh = QtWidgets.QPushButton("Look again")
        refresh.setToolTip("Measure the network as it is now")
        refresh.clicked.connect(self.refresh_requested)
        self.summary = QtWidgets.QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setObjectName("caption")
        self.explanation = QtWidgets.QLabel(EXPLANATION)
        self.explanation.setObjectName("dim")
        self.explanation.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.explanation.setWordWrap(True)
        self.rows: list[NeuronRow] = []
        self.body = QtWidgets.QWidget()
        self.grid = QtWidgets.QGridLayout(self.body)
        self.grid.setHorizontalSpacing(10)
        self.grid.setColumnStretch(4, 1)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(self.body)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Everything scrolls together: in a short tab the rows matter more than the header.
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.question, 1)
        top.addWidget(refresh)
        header = QtWidgets.QVBoxLayout()
        header.addLayout(top)
        header.addWidget(self.summary)
        header.addWidget(self.explanation)
        self.grid.addLayout(header, 0, 0, 1, len(HEADERS))
        for column, text in enumerate(HEADERS):
            label = QtWidgets.QLabel(text)
            label.setObjectName("dim")
            self.grid.addWidget(label, 1, column)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.verdict: Verdict | None = None
        self.shape: tuple[int, int] | None = None

    def show_evidence(self, verdict: Verdict, weights: np.ndarray, images: np.ndarray, names: Sequence[str],
                      shape: tuple[int, int], dreams: np.ndarray | None = None) -> None:
        """``verdict`` with the first layer's ``weights`` (n_1, n_0), the test ``images`` (n, n_0;
        uint8 or [0, 1]) its favourites index, and the neurons' ``dreams`` (n_1, n_0) if known yet."""
        self.verdict, self.shape = verdict, tuple(shape)
        self._make_rows(len(verdict.neurons))
        self.summary.setText(verdict.summary)
        grey, grey_table = grey_levels()
        for row, evidence, w in zip(self.rows, verdict.neurons, np.asarray(weights, np.float64)):
            colour = KIND_COLOURS[evidence.kind].name()
            name, _, kind = neuron_caption(evidence).partition(": ")
            row.name.setText(f"<b>{name}</b><br><span style='color:{colour}'>{kind}</span>")
            levels, table = diverging_levels(weight_limit(w))
            row.weights.show_tile(0, w.reshape(shape), levels, table)
            row.indices = np.asarray(evidence.favourites.most)
            row.favourites.show_tiles([as_inputs(images[i]).reshape(shape) for i in row.indices], grey, grey_table,
                                      [f"{a:.2f}" for a in evidence.favourites.most_activations],
                                      [str(names[label]) for label in evidence.favourite_labels])
            row.reading.setText(evidence.reading)
            row.dream.clear()
        if dreams is not None:
            for k, image in enumerate(dreams):
                self.show_dream(k, image)

    def show_problem(self, text: str) -> None:
        """No evidence: ``text`` says why (a network without a hidden layer, an input that is no image)."""
        self.verdict = None
        self._make_rows(0)
        self.summary.setText(text)

    def show_dream(self, k: int, image: np.ndarray) -> None:
        grey, grey_table = grey_levels()
        self.rows[k].dream.show_tile(0, np.asarray(image).reshape(self.shape), grey, grey_table)

    def _make_rows(self, n: int) -> None:
        if len(self.rows) == n:
            return
        for row in self.rows:
            for widget in (row.name, row.weights, row.dream, row.favourites, row.reading):
                self.grid.removeWidget(widget)
                widget.deleteLater()
        self.rows = [NeuronRow(k, self.grid, k + 2, self._on_favourite) for k in range(n)]

    def _on_favourite(self, i: int) -> None:
        sender = self.sender()
        for row in self.rows:
            if row.favourites is sender and i < len(row.indices):
                self.example_clicked.emit(int(row.indices[i]))
