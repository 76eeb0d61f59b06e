"""The learning settings a learner touches often (and the run's weight decay, shown), and the rest
folded away: momentum and the architecture of a new network. Shows plain values (``show_*``) and
emits what the person typed."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from ...core.formatting import LEARNING_RATE_DIGITS, learning_rate_text
from ...core.functions import ACTIVATIONS, COSTS
from ...core.options import Architecture
from ...core.training import DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS, DEFAULT_LEARNING_RATE, TrainingOptions

__all__ = ["ControlsPanel", "Fold"]

#: The ranges each box offers (the remembered settings are checked against the same).
LEARNING_RATES = (0.001, 100.0)
BATCH_SIZES = (1, 60_000)
EPOCHS = (1, 1000)
MOMENTA = (0.0, 0.99)
SEEDS = (0, 2**31 - 1)
EDGE_PERCENTS = (1, 100)


class ControlsPanel(QtWidgets.QWidget):
    #: The learning settings the person changed: a TrainingOptions whose schedule and weight
    #: decay are not this panel's (the receiver keeps the run's own).
    options_changed = QtCore.Signal(object)
    architecture_changed = QtCore.Signal(object)  # Architecture
    edge_fraction_changed = QtCore.Signal(float)
    new_network_requested = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.learning_rate = LearningRateBox()
        self.batch_size = _spin(*BATCH_SIZES, DEFAULT_BATCH_SIZE, "examples averaged per step (up to the whole "
                                "training set: full-batch gradient descent)")
        self.epochs = _spin(*EPOCHS, DEFAULT_EPOCHS, "Train stops after this many epochs in all; "
                            "once that many are done, each Train trains this many more")
        self.momentum = _double_spin(*MOMENTA, 2, 0.0, "0 is plain SGD; 0.9 keeps 90% of the last step")
        # The run's own, shown and not edited: the status bar names it when a new network takes
        # the one that suits it, and a learner looks for it beside η.
        self.weight_decay = QtWidgets.QLabel()
        self.weight_decay.setToolTip(
            "Weight decay: each step also shrinks every weight a little, by the factor 1\u00a0−\u00a0ηλ/n (n: the "
            "number of training examples), which keeps the weights small and helps the network do well on digits "
            "it never saw. The article's plain SGD has none (λ\u00a0=\u00a00). It belongs to the run and is not "
            "edited here: each new network takes the λ that suits its activation and cost.")
        for box in (self.learning_rate, self.batch_size, self.epochs, self.momentum):
            box.valueChanged.connect(self._on_options_edited)
        self.edges = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.edges.setRange(*EDGE_PERCENTS)
        self.edges.setPageStep(5)
        self.edges.setToolTip("How many of the input edges to draw, strongest first")
        self.edges_label = QtWidgets.QLabel()
        self.edges.valueChanged.connect(self._on_edges_moved)

        self.hidden = QtWidgets.QLineEdit("16,16")
        self.hidden.setValidator(QtGui.QRegularExpressionValidator(
            QtCore.QRegularExpression(r"^\s*(\d{1,4}\s*(,\s*\d{1,4}\s*)*)?$")))
        self.hidden.setToolTip("Hidden layer sizes, comma-separated (empty for none)")
        self.activation = QtWidgets.QComboBox()
        self.activation.addItems(list(ACTIVATIONS))
        self.activation.setToolTip("The hidden layers' activation function")
        self.cost = QtWidgets.QComboBox()
        self.cost.addItems(list(COSTS))
        self.cost.setToolTip("mse: Σ (a − y)²; cross-entropy: softmax outputs")
        self.seed = _spin(*SEEDS, 0, "the same seed gives the same network and the same run")
        self.hidden.editingFinished.connect(self._on_architecture_edited)
        for signal in (self.activation.currentIndexChanged, self.cost.currentIndexChanged, self.seed.valueChanged):
            signal.connect(self._on_architecture_edited)
        self.new_button = QtWidgets.QPushButton("New network")
        self.new_button.clicked.connect(self.new_network_requested)

        learning = QtWidgets.QFormLayout()
        learning.addRow("Learning rate η", self.learning_rate)
        learning.addRow("Weight decay λ", self.weight_decay)
        learning.addRow("Mini-batch size", self.batch_size)
        learning.addRow("Epochs", self.epochs)
        learning.addRow(self.edges_label, self.edges)
        # A row's name explains it too: a learner hovers the words, not only the box beside them.
        for field in (self.learning_rate, self.weight_decay, self.batch_size, self.epochs):
            learning.labelForField(field).setToolTip(field.toolTip())
        more = QtWidgets.QFormLayout()
        more.addRow("Momentum", self.momentum)
        heading = QtWidgets.QLabel("A new network")
        heading.setObjectName("dim")
        more.addRow(heading)
        more.addRow("Hidden layers", self.hidden)
        more.addRow("Activation", self.activation)
        more.addRow("Cost", self.cost)
        more.addRow("Seed", self.seed)
        more.addRow(self.new_button)
        self.more = Fold("Momentum, new network", more)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_group("Learning", learning))
        layout.addWidget(self.more)
        layout.addStretch(1)

    # -- what the panel shows ---------------------------------------------------------------------

    def show_options(self, options: TrainingOptions) -> None:
        for widget, value in ((self.learning_rate, options.learning_rate), (self.batch_size, options.batch_size),
                              (self.momentum, options.momentum), (self.epochs, options.epochs)):
            widget.blockSignals(True)
            widget.setValue(type(widget.value())(value))
            widget.blockSignals(False)
        self.weight_decay.setText(f"{options.weight_decay:g}" + ("" if options.weight_decay else " (none)"))

    def show_architecture(self, architecture: Architecture) -> None:
        widgets = (self.hidden, self.activation, self.cost, self.seed)
        for widget in widgets:
            widget.blockSignals(True)
        if self._typed_hidden() != architecture.hidden:
            self.hidden.setText(",".join(map(str, architecture.hidden)))
        self.activation.setCurrentText(architecture.activation)
        self.cost.setCurrentText(architecture.cost)
        self.seed.setValue(architecture.seed)
        for widget in widgets:
            widget.blockSignals(False)

    def show_edge_fraction(self, fraction: float, inputs: int) -> None:
        self.edges.blockSignals(True)
        self.edges.setValue(round(fraction * 100))
        self.edges.blockSignals(False)
        self.edges_label.setText(f"Input edges: {round(fraction * 100)}%")
        self.edges.setToolTip(f"How many of the {inputs:,} input edges to draw, strongest first")

    def show_new_network_tip(self, tip: str) -> None:
        self.new_button.setToolTip(tip)

    # -- what the person typed ----------------------------------------------------------------------

    def typed_options(self) -> TrainingOptions:
        return TrainingOptions(learning_rate=self.learning_rate.value(), batch_size=self.batch_size.value(),
                               momentum=self.momentum.value(), epochs=self.epochs.value())

    def _typed_hidden(self) -> tuple[int, ...]:
        text = self.hidden.text().strip()
        return tuple(int(part) for part in text.split(",") if part.strip()) if text else ()

    def typed_architecture(self) -> Architecture:
        return Architecture(self._typed_hidden(), self.activation.currentText(), self.cost.currentText(),
                            self.seed.value())

    def _on_options_edited(self) -> None:
        self.options_changed.emit(self.typed_options())

    def _on_architecture_edited(self) -> None:
        self.architecture_changed.emit(self.typed_architecture())

    def _on_edges_moved(self, percent: int) -> None:
        self.edge_fraction_changed.emit(percent / 100)


class Fold(QtWidgets.QWidget):
    """A heading that shows or hides what is under it (closed at first)."""

    toggled = QtCore.Signal(bool)

    def __init__(self, title: str, layout: QtWidgets.QLayout, parent=None):
        super().__init__(parent)
        self.header = QtWidgets.QToolButton()
        self.header.setObjectName("fold")
        self.header.setText(title)
        self.header.setCheckable(True)
        self.header.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)
        self.body = QtWidgets.QFrame()
        self.body.setObjectName("fold_body")
        self.body.setLayout(layout)
        box = QtWidgets.QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(self.header)
        box.addWidget(self.body)
        self.header.toggled.connect(self._on_toggled)
        self._on_toggled(False)

    def is_open(self) -> bool:
        return self.header.isChecked()

    def set_open(self, open_: bool) -> None:
        self.header.setChecked(open_)

    def _on_toggled(self, open_: bool) -> None:
        self.header.setArrowType(QtCore.Qt.ArrowType.DownArrow if open_ else QtCore.Qt.ArrowType.RightArrow)
        self.body.setVisible(open_)
        self.toggled.emit(open_)


class LearningRateBox(QtWidgets.QDoubleSpinBox):
    """η as every text of nnviz writes it (``formatting.learning_rate_text``): 0.05 reads "0.05",
    not "0.050"; the arrows step by a tenth of η's own order of magnitude (1 → 1.1, 0.05 → 0.051)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        # Enough decimals for the smallest η the box takes with every digit the texts show.
        self.setDecimals(-int(np.floor(np.log10(LEARNING_RATES[0]))) + LEARNING_RATE_DIGITS - 1)
        self.setRange(*LEARNING_RATES)
        self.setStepType(QtWidgets.QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.setValue(DEFAULT_LEARNING_RATE)
        self.setToolTip("η: how far each step goes against the gradient")
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:
        return learning_rate_text(value)


def _spin(low: int, high: int, value: int, tip: str) -> QtWidgets.QSpinBox:
    box = QtWidgets.QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setToolTip(tip)
    box.setKeyboardTracking(False)
    return box


def _double_spin(low: float, high: float, decimals: int, value: float, tip: str) -> QtWidgets.QDoubleSpinBox:
    box = QtWidgets.QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setSingleStep(10 ** -(decimals - 1) if decimals > 1 else 0.1)
    box.setValue(value)
    box.setToolTip(tip)
    box.setKeyboardTracking(False)
    return box


def _group(title: str, layout: QtWidgets.QLayout) -> QtWidgets.QGroupBox:
    group = QtWidgets.QGroupBox(title)
    group.setLayout(layout)
    return group
