"""The part of the stepper panel that scrolls: the page's title, the question and its answers, the
explanation with its numbers, Wiggle it with its ε, and the page's pictures and plots."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtWidgets

from ....lessons.numbers import short
from ....lessons.screen import Landscape, StepperScreen
from ..landscape import LandscapeView
from .pictures import InputWish, NudgeImages, OutputBars

#: The ε Wiggle it offers: from a hundredth of a weight's usual size down to where float32 rounding shows.
EPSILONS = (0.1, 0.01, 0.001, 0.0001)
MAX_OPTIONS = 3


def rich_label(word_wrap: bool = True) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel()
    label.setTextFormat(QtCore.Qt.TextFormat.RichText)
    label.setWordWrap(word_wrap)
    label.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
    return label


class Explanation(QtWidgets.QWidget):
    """Shows a ``StepperScreen``'s words and pictures; ``answered(option)`` and ``epsilon_chosen(ε)`` out."""

    answered = QtCore.Signal(int)
    epsilon_chosen = QtCore.Signal(float)
    wiggle_chosen = QtCore.Signal(int)  # a place among the screen's wiggle_choices

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = rich_label()
        self.title.setObjectName("caption")
        self.question = rich_label()
        self.answer_buttons = [QtWidgets.QPushButton() for _ in range(MAX_OPTIONS)]
        self._answers = QtWidgets.QButtonGroup(self)
        for i, button in enumerate(self.answer_buttons):
            button.setFocusPolicy(QtCore.Qt.FocusPolicy.TabFocus)
            self._answers.addButton(button, i)
        self._answers.idClicked.connect(self.answered)
        self.text = rich_label()
        self.text.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.wiggle = rich_label()
        self.epsilon = QtWidgets.QComboBox()
        for epsilon in EPSILONS:
            self.epsilon.addItem(f"ε = {short(epsilon)}", epsilon)
        self.epsilon.setToolTip("How far Wiggle it moves the parameter")
        self.epsilon.activated.connect(self._on_epsilon)
        self.which = QtWidgets.QComboBox()
        self.which.setToolTip("Which parameter of the followed neuron Wiggle it changes")
        self.which.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.which.setMinimumContentsLength(12)
        self.which.activated.connect(self.wiggle_chosen)
        self.images = NudgeImages()
        self.wish = InputWish()
        self.bars = OutputBars()
        self.landscape = LandscapeView(compact=True)
        self.landscape.setFixedHeight(420)
        self._landscape: Landscape | None = None
        self._with_landscape = True

        answers = QtWidgets.QHBoxLayout()
        for button in self.answer_buttons:
            answers.addWidget(button)
        self.wiggle_box = QtWidgets.QWidget()
        wiggle = QtWidgets.QVBoxLayout(self.wiggle_box)
        wiggle.setContentsMargins(0, 0, 0, 0)
        wiggle.addWidget(self.wiggle)
        self.epsilon_row = QtWidgets.QWidget()
        row = QtWidgets.QHBoxLayout(self.epsilon_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QtWidgets.QLabel("Wiggle"))
        row.addWidget(self.which, 1)
        row.addWidget(QtWidgets.QLabel("by"))
        row.addWidget(self.epsilon)
        wiggle.addWidget(self.epsilon_row)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.question)
        layout.addLayout(answers)
        for widget in (self.text, self.wiggle_box, self.images, self.wish, self.bars, self.landscape):
            layout.addWidget(widget)
        layout.addStretch(1)

    def for_video(self, picture_height: int) -> None:
        """No controls among the pictures, pictures at most ``picture_height`` pixels high, and no landscape
        (taller than a frame, and computed for seconds)."""
        self.images.grid.setFixedHeight(min(self.images.grid.maximumHeight(), picture_height))
        self.wish.grid.setFixedHeight(min(self.wish.grid.maximumHeight(), picture_height))
        self.bars.setFixedHeight(min(self.bars.maximumHeight(), picture_height))
        self.images.shared.hide()
        self.epsilon_row.hide()
        self._with_landscape = False

    def _on_epsilon(self, index: int) -> None:
        self.epsilon_chosen.emit(float(self.epsilon.itemData(index)))

    def show_screen(self, screen: StepperScreen) -> None:
        """Everything that scrolls, for ``screen``."""
        set_text(self.title, screen.title)
        set_text(self.question, screen.question or "")
        self.question.setVisible(screen.question is not None)
        for button, option in zip(self.answer_buttons, screen.options + ("",) * MAX_OPTIONS):
            button.setText(option)
            button.setVisible(bool(option))
        set_text(self.text, screen.text)
        self.wiggle_box.setVisible(screen.wiggle is not None)
        set_text(self.wiggle, screen.wiggle or "")
        if tuple(self.which.itemText(i) for i in range(self.which.count())) != screen.wiggle_choices:
            self.which.clear()
            self.which.addItems(list(screen.wiggle_choices))
        self.which.setCurrentIndex(screen.wiggle_choice if screen.wiggle_choices else -1)
        index = self.epsilon.findData(screen.epsilon)
        if index < 0:
            self.epsilon.addItem(f"ε = {short(screen.epsilon)}", screen.epsilon)
            index = self.epsilon.count() - 1
        self.epsilon.setCurrentIndex(index)
        self.images.setVisible(screen.nudge_images is not None)
        if screen.nudge_images is not None:
            self.images.show_nudges(screen.nudge_images, screen.image_shape)
        self.wish.setVisible(screen.input_wish is not None)
        if screen.input_wish is not None:
            self.wish.show_wish(np.asarray(screen.example).reshape(screen.input_wish.shape), screen.input_wish)
        self._show_bars(screen)
        landscape = screen.landscape if self._with_landscape else None
        self.landscape.setVisible(landscape is not None)
        if landscape is not None and not landscape.same_as(self._landscape):
            request = self._landscape = screen.landscape
            self.landscape.show_landscape(request.network, request.inputs, request.labels, request.path,
                                          request.learning_rate, request.example)

    def _show_bars(self, screen: StepperScreen) -> None:
        bars = screen.bars
        self.bars.setVisible(bars is not None)
        if bars is None:
            return
        if bars.costs is not None:
            self.bars.show_costs(bars.costs)
        else:
            self.bars.show_outputs(bars.before, bars.after, bars.target, screen.class_names, applied=bars.applied)


def set_text(label: QtWidgets.QLabel, text: str) -> None:
    """A label's new text; the same text again changes nothing (no relayout, no jump)."""
    if label.text() != text:
        label.setText(text)
