"""Training controls: run, pause, step; the learning settings; the architecture of a new network."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from typing import NamedTuple

from ..core.functions import ACTIVATIONS, COSTS
from ..core.training import DEFAULT_BATCH_SIZE, DEFAULT_LEARNING_RATE
from ..model.options import DEFAULT_EPOCHS, TrainingOptions

#: Mini-batches per second the speed slider offers; None is "as fast as possible".
SPEEDS: list[float | None] = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, None]


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
        self.run_button = QtWidgets.QPushButton("Train")
        self.run_button.setObjectName("primary")
        self.run_button.setCheckable(True)
        self.run_button.setShortcut(QtGui.QKeySequence(QtCore.Qt.Key.Key_Space))
        self.run_button.setToolTip("Start or pause training (Space). Train stops once Epochs epochs are done in "
                                   "all; on a network trained that far already, it trains Epochs more.")
        self.run_button.toggled.connect(self._on_run_toggled)
        self.batch_button = QtWidgets.QPushButton("1 mini-batch")
        self.batch_button.setToolTip("Learn from one mini-batch, then stop (B)")
        self.batch_button.setShortcut(QtGui.QKeySequence("B"))
        self.batch_button.clicked.connect(self.step_batch_requested)
        self.epoch_button = QtWidgets.QPushButton("1 epoch")
        self.epoch_button.setToolTip("Train to the end of the current epoch, then stop (E)")
        self.epoch_button.setShortcut(QtGui.QKeySequence("E"))
        self.epoch_button.clicked.connect(self.step_epoch_requested)
        self.backprop_button = QtWidgets.QPushButton("Step through backpropagation…")
        self.backprop_button.setToolTip("Follow the nudges for the example on show, layer by layer (Ctrl+B)")
        self.backprop_button.setShortcut(QtGui.QKeySequence("Ctrl+B"))
        self.backprop_button.clicked.connect(self.backprop_requested)
        self.new_button = QtWidgets.QPushButton("New network")
        self.new_button.setToolTip("A fresh random network with the architecture and seed below")
        self.new_button.clicked.connect(self.new_network_requested)

        self.learning_rate = _double_spin(0.001, 100.0, 3, DEFAULT_LEARNING_RATE,
                                          "η: how far each step goes against the gradient")
        self.batch_size = _spin(1, 1000, DEFAULT_BATCH_SIZE, "examples averaged per step")
        self.epochs = _spin(1, 1000, DEFAULT_EPOCHS, "Train stops after this many epochs in all; "
                            "once that many are done, each Train trains this many more")
        self.momentum = _double_spin(0.0, 0.99, 2, 0.0, "0 is plain SGD; 0.9 keeps 90% of the last step")
        for box in (self.learning_rate, self.momentum):
            box.valueChanged.connect(self._emit_options)
        for box in (self.batch_size, self.epochs):
            box.valueChanged.connect(self._emit_options)

        self.hidden = QtWidgets.QLineEdit("16,16")
        self.hidden.setValidator(QtGui.QRegularExpressionValidator(QtCore.QRegularExpression(r"^\s*(\d{1,4}\s*(,\s*\d{1,4}\s*)*)?$")))
        self.hidden.setToolTip("Hidden layer sizes, comma-separated (empty for none)")
        self.activation = QtWidgets.QComboBox()
        self.activation.addItems(list(ACTIVATIONS))
        self.cost = QtWidgets.QComboBox()
        self.cost.addItems(list(COSTS))
        self.seed = _spin(0, 2**31 - 1, 0, "the same seed gives the same network and the same run")
        self.seed.valueChanged.connect(self._emit_options)

        self.speed = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(len(SPEEDS) - 1)
        self.speed.setToolTip("Slow training down to watch single nudges")
        self.speed_label = QtWidgets.QLabel()
        self.speed.valueChanged.connect(self._on_speed_changed)
        self.edges = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.edges.setRange(1, 100)
        self.edges.setValue(25)
        self.edges.setToolTip("How many of the 12,544 input edges to draw, strongest first")
        self.edges_label = QtWidgets.QLabel()
        self.edges.valueChanged.connect(self._on_edges_changed)

        self.progress = QtWidgets.QProgressBar()
        self.progress.setTextVisible(True)
        self.readout = QtWidgets.QLabel("Not trained yet")
        self.readout.setObjectName("readout")
        self.readout.setWordWrap(True)
        # A fixed height: a label whose size hint changes 25 times a second relayouts (and
        # repaints) the whole panel each time.
        self.readout.setFixedHeight(2 * self.readout.fontMetrics().lineSpacing() + 4)

        steps = QtWidgets.QGridLayout()
        steps.addWidget(self.run_button, 0, 0, 1, 2)
        steps.addWidget(self.batch_button, 1, 0)
        steps.addWidget(self.epoch_button, 1, 1)
        steps.addWidget(self.backprop_button, 2, 0, 1, 2)
        learning = QtWidgets.QFormLayout()
        learning.addRow("Learning rate η", self.learning_rate)
        learning.addRow("Mini-batch size", self.batch_size)
        learning.addRow("Epochs", self.epochs)
        learning.addRow("Momentum", self.momentum)
        learning.addRow(self.speed_label, self.speed)
        architecture = QtWidgets.QFormLayout()
        architecture.addRow("Hidden layers", self.hidden)
        architecture.addRow("Activation", self.activation)
        architecture.addRow("Cost", self.cost)
        architecture.addRow("Seed", self.seed)
        architecture.addRow(self.new_button)
        view = QtWidgets.QFormLayout()
        view.addRow(self.edges_label, self.edges)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(_group("Training", steps))
        layout.addWidget(self.progress)
        layout.addWidget(self.readout)
        layout.addWidget(_group("Learning", learning))
        layout.addWidget(_group("New network", architecture))
        layout.addWidget(_group("View", view))
        layout.addStretch(1)
        self._update_labels()

    # -- reading and writing the settings ---------------------------------------------------------

    def options(self) -> TrainingOptions:
        return TrainingOptions(learning_rate=self.learning_rate.value(), batch_size=self.batch_size.value(),
                               momentum=self.momentum.value(), epochs=self.epochs.value(), seed=self.seed.value(),
                               halve_after=0)  # the app keeps η where the person sets it

    def max_rate(self) -> float | None:
        """Mini-batches a second at most; None for as fast as possible."""
        return SPEEDS[self.speed.value()]

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
                "speed": self.speed.value(), "edges": self.edges.value()}

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

    def show_options(self, options: TrainingOptions) -> None:
        """Show a file's training settings (without announcing them as a change)."""
        for widget, value in ((self.learning_rate, options.learning_rate), (self.batch_size, options.batch_size),
                              (self.momentum, options.momentum), (self.epochs, options.epochs)):
            widget.blockSignals(True)
            widget.setValue(type(widget.value())(value))
            widget.blockSignals(False)

    def show_progress(self, value: int, maximum: int, text: str) -> None:
        self.progress.setMaximum(max(maximum, 1))
        self.progress.setValue(value)
        self.progress.setFormat(text)

    def show_readout(self, text: str) -> None:
        self.readout.setText(text)

    def set_running(self, running: bool) -> None:
        """Reflect the trainer's state without asking it to change."""
        self.run_button.blockSignals(True)
        self.run_button.setChecked(running)
        self.run_button.blockSignals(False)
        self.run_button.setText("Pause" if running else "Train")
        self.batch_button.setEnabled(not running)
        self.epoch_button.setEnabled(not running)

    # -- handlers -------------------------------------------------------------------------------------

    def _on_run_toggled(self, checked: bool) -> None:
        self.run_button.setText("Pause" if checked else "Train")
        self.run_toggled.emit(checked)

    def _emit_options(self) -> None:
        self.options_changed.emit(self.options())

    def _on_speed_changed(self) -> None:
        self._update_labels()
        self.max_rate_changed.emit(self.max_rate())

    def _on_edges_changed(self) -> None:
        self._update_labels()
        self.edge_fraction_changed.emit(self.edges.value() / 100)

    def _update_labels(self) -> None:
        rate = SPEEDS[self.speed.value()]
        self.speed_label.setText("Speed: full" if rate is None else f"Speed: {rate:g}/s")
        self.edges_label.setText(f"Input edges: {self.edges.value()}%")


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
