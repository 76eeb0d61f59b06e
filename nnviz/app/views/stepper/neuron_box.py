"""The stepper's "Follow neuron" box: its value is the neuron's index, its text what a person reads."""

from __future__ import annotations

from PySide6 import QtGui, QtWidgets

from ....core.naming import from_shown, shown


class NeuronBox(QtWidgets.QSpinBox):
    """A spin box over neuron indices 0..n-1 that shows hidden neurons counting from 1 and output
    neurons by their class name (``core.naming``); ``value()`` stays the 0-based index."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.names: tuple[str, ...] | None = None

    def set_layer(self, size: int, names=None) -> None:
        """A layer of ``size`` neurons; ``names`` for the output layer, None for a hidden one."""
        self.names = None if names is None else tuple(names)
        self.setSpecialValueText("")
        self.setRange(0, size - 1)
        # The range may be unchanged while the text is not (a hidden layer, then the output layer).
        self.lineEdit().setText(self.textFromValue(self.value()))

    def set_none(self) -> None:
        """No layer: the box shows a dash (a page where following a neuron means nothing)."""
        self.names = None
        self.setSpecialValueText("—")
        self.setRange(-1, -1)

    def textFromValue(self, value: int) -> str:
        if self.names is not None and 0 <= value < len(self.names):
            return str(self.names[value])
        return str(shown(value))

    def valueFromText(self, text: str) -> int:
        text = text.strip()
        if self.names is not None:
            return self.names.index(text) if text in self.names else self.value()
        return from_shown(int(text)) if text.isdigit() else self.value()

    def validate(self, text: str, position: int):
        text_ = text.strip()
        State = QtGui.QValidator.State
        if not text_:
            return State.Intermediate, text, position
        if self.names is not None:
            if text_ in self.names:
                return State.Acceptable, text, position
            prefix = any(name.startswith(text_) for name in self.names)
            return (State.Intermediate if prefix else State.Invalid), text, position
        if not text_.isdigit():
            return State.Invalid, text, position
        ok = self.minimum() <= from_shown(int(text_)) <= self.maximum()
        return (State.Acceptable if ok else State.Intermediate), text, position
