"""The learning settings a learner touches often, and the rest folded away: momentum and the
architecture of a new network. The run controls are a toolbar (toolbar.py) that this panel owns
and the window places; the read-out is a label the window puts in its status bar."""

from __future__ import annotations

from typing import NamedTuple

from PySide6 import QtCore, QtGui, QtWidgets

from ...core.functions import ACTIVATIONS, COSTS
from ...core.training import DEFAULT_BATCH_SIZE, DEFAULT_LEARNING_RATE
from ...model.options import DEFAULT_EPOCHS, TrainingOptions
from ..shell import actions
from .toolbar import SPEEDS, RunToolbar

__all__ = ["SPEEDS", "Architecture", "ControlsPanel", "Fold"]


class Architecture(NamedTuple):
    """What a new network is made of."""

    hidden: tuple[int, ...]
    activation: str
    cost: str
    seed: int


class ControlsPanel(QtWidgets.QWidget):
    run_toggled = QtCore.Signal(bool)  # True: start or resume, False: pause
    step_batch_requested = QtCore.Signal()
    step_epoch_requested = QtCore.Signal()
    new_network_requested = QtCore.Signal()
    options_changed = QtCore.Signal(object)  # TrainingOptions
    max_rate_changed = QtCore.Signal(object)  # mini-batches a second, or None for full speed
    edge_fraction_changed = QtCore.Signal(float)
    backprop_requested = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.toolbar = RunToolbar()
        self.run_action, self.run_button = self.toolbar.run_action, self.toolbar.run_button
        self.batch_button, self.epoch_button = self.toolbar.batch_button, self.toolbar.epoch_button
        self.backprop_button = self.toolbar.backprop_button
        self.speed, self.speed_label, self.progress = self.toolbar.speed, self.toolbar.speed_label, self.toolbar.progress
        self._reflecting = False
        self.run_action.toggled.connect(self._on_run_toggled)
        self.toolbar.batch_action.triggered.connect(self.step_batch_requested)
        self.toolbar.epoch_action.triggered.connect(self.step_epoch_requested)
        self.toolbar.backprop_action.triggered.connect(self.backprop_requested)
        self.run_action.setToolTip("Start or pause training (Space). Train stops once Epochs epochs are done in "
                                   "all; on a network trained that far already, it trains Epochs more.")
        self.speed.valueChanged.connect(lambda: self.max_rate_changed.emit(self.max_rate()))

        self.learning_rate = _double_spin(0.001, 100.0, 3, DEFAULT_LEARNING_RATE,
                                          "η: how far each step goes against the gradient")
        self.batch_size = _spin(1, 1000, DEFAULT_BATCH_SIZE, "examples averaged per step")
        self.epochs = _spin(1, 1000, DEFAULT_EPOCHS, "Train stops after this many epochs in all; "
                            "once that many are done, each Train trains this many more")
        self.momentum = _double_spin(0.0, 0.99, 2, 0.0, "0 is plain SGD; 0.9 keeps 90% of the last step")
        for box in (self.learning_rate, self.batch_size, self.epochs, self.momentum):
            box.valueChanged.connect(self._emit_options)
        self.edges = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.edges.setRange(1, 100)
        self.edges.setValue(25)
        self.edges.setToolTip("How many of the 12,544 input edges to draw, strongest first")
        self.edges_label = QtWidgets.QLabel()
        self.edges.valueChanged.connect(self._on_edges_changed)

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
        self.seed = _spin(0, 2**31 - 1, 0, "the same seed gives the same network and the same run")
        self.seed.valueChanged.connect(self._emit_options)
        self.new_button = QtWidgets.QPushButton("New network")
        self.new_button.setToolTip(actions.tooltip("new_network"))
        self.new_button.clicked.connect(self.new_network_requested)

        self.readout = QtWidgets.QLabel("Not trained yet")
        self.readout.setObjectName("readout")
        # Room for a typical read-out, so that new numbers do not relayout the status bar.
        self.readout.setMinimumWidth(self.readout.fontMetrics().horizontalAdvance(
            "30 epochs trained · cost 0.0000 · validation 00.00% · test 00.00%") + 8)

        learning = QtWidgets.QFormLayout()
        learning.addRow("Learning rate η", self.learning_rate)
        learning.addRow("Mini-batch size", self.batch_size)
        learning.addRow("Epochs", self.epochs)
        learning.addRow(self.edges_label, self.edges)
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
        self._update_labels()

    # -- reading and writing the settings ---------------------------------------------------------

    def options(self) -> TrainingOptions:
        return TrainingOptions(learning_rate=self.learning_rate.value(), batch_size=self.batch_size.value(),
                               momentum=self.momentum.value(), epochs=self.epochs.value(), seed=self.seed.value(),
                               halve_after=0)  # the app keeps η where the person sets it

    def max_rate(self) -> float | None:
        """Mini-batches a second at most; None for as fast as possible."""
        return self.toolbar.max_rate()

    def architecture(self) -> Architecture:
        text = self.hidden.text().strip()
        hidden = tuple(int(part) for part in text.split(",") if part.strip()) if text else ()
        return Architecture(hidden, self.activation.currentText(), self.cost.currentText(), self.seed.value())

    def set_architecture(self, hidden, activation: str, cost: str) -> None:
        self.hidden.setText(",".join(map(str, hidden)))
        self.activation.setCurrentText(activation)
        self.cost.setCurrentText(cost)

    def state(self) -> dict:
        """Everything worth remembering between sessions."""
        return {**self.options().to_metadata(), **self.architecture()._asdict(), "hidden": self.hidden.text(),
                "speed": self.speed.value(), "edges": self.edges.value(), "more_open": self.more.is_open()}

    def restore(self, state: dict) -> None:
        for key, widget in (("learning_rate", self.learning_rate), ("batch_size", self.batch_size), ("epochs", self.epochs),
                            ("momentum", self.momentum), ("seed", self.seed), ("speed", self.speed), ("edges", self.edges)):
            if key in state:
                try:
                    widget.setValue(type(widget.value())(state[key]))
                except (TypeError, ValueError):
                    pass
        if "hidden" in state:
            self.hidden.setText(str(state["hidden"]))
        for key, combo in (("activation", self.activation), ("cost", self.cost)):
            if state.get(key) in [combo.itemText(i) for i in range(combo.count())]:
                combo.setCurrentText(state[key])
        # QSettings' INI files give booleans back as strings.
        self.more.set_open(str(state.get("more_open", False)).lower() == "true")

    def show_options(self, options: TrainingOptions) -> None:
        """Show a file's training settings (without announcing them as a change)."""
        for widget, value in ((self.learning_rate, options.learning_rate), (self.batch_size, options.batch_size),
                              (self.momentum, options.momentum), (self.epochs, options.epochs)):
            widget.blockSignals(True)
            widget.setValue(type(widget.value())(value))
            widget.blockSignals(False)

    def show_progress(self, value: int, maximum: int, text: str) -> None:
        """The epoch's progress; ``text`` in full as the tooltip, shortened on the bar to fit the toolbar."""
        self.progress.setMaximum(max(maximum, 1))
        self.progress.setValue(value)
        room = self.progress.width() - 12
        metrics = self.progress.fontMetrics()
        shown = text
        if metrics.horizontalAdvance(shown) > room:
            shown = shown.removesuffix(" mini-batches")
        # The format is a pattern: a literal % must be doubled.
        self.progress.setFormat(metrics.elidedText(shown, QtCore.Qt.TextElideMode.ElideRight, room).replace("%", "%%"))
        self.progress.setToolTip(text)

    def show_readout(self, text: str) -> None:
        self.readout.setText(text)

    def set_running(self, running: bool) -> None:
        """Reflect the trainer's state without asking it to change."""
        self._reflecting = True
        try:
            self.run_action.setChecked(running)
        finally:
            self._reflecting = False
        self._update_run_text()
        self.toolbar.batch_action.setEnabled(not running)
        self.toolbar.epoch_action.setEnabled(not running)

    # -- handlers -------------------------------------------------------------------------------------

    def _on_run_toggled(self, checked: bool) -> None:
        self._update_run_text()
        if not self._reflecting:
            self.run_toggled.emit(checked)

    def _update_run_text(self) -> None:
        # The action's text, not a button's: the key lives on the action and survives any text.
        self.run_action.setText("Pause" if self.run_action.isChecked() else "Train")

    def _emit_options(self) -> None:
        self._update_labels()
        self.options_changed.emit(self.options())

    def _on_edges_changed(self) -> None:
        self._update_labels()
        self.edge_fraction_changed.emit(self.edges.value() / 100)

    def _update_labels(self) -> None:
        self.edges_label.setText(f"Input edges: {self.edges.value()}%")


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
