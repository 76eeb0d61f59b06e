"""The stepper panel: backpropagation, page by page, for one example and then a mini-batch.

A view: it shows a ``StepperScreen`` (``show_screen``; nnviz/lessons/screen.py reads it off the
lesson) and emits what the learner asks for. Its controls never move: Back, Play, Next, the
target, Ask me first and the cost sit fixed at the top; Follow neuron, the mini-batch member,
Apply, Apply ×10, Undo and Done fixed at the bottom; only the explanation between them scrolls
(explanation.py), and the mouse wheel scrolls it wherever it turns over the panel.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ....lessons.lesson import REPEATS
from ....lessons.screen import StepperScreen
from .explanation import Explanation, set_text
from .neuron_box import NeuronBox

#: The panel's width in pixels: at a 1280x720 screen's first-launch size (1152x648) the network
#: keeps more than half the window beside it, and a page's tables fit without wrapping a number.
PANEL_WIDTH = 440
TARGET_LABEL, TARGETS_LABEL = "Target digit", "Targets"


def row(*widgets, stretches=None) -> QtWidgets.QHBoxLayout:
    layout = QtWidgets.QHBoxLayout()
    layout.setContentsMargins(0, 0, 0, 0)
    for widget, stretch in zip(widgets, stretches or [1] * len(widgets)):
        if widget is None:
            layout.addStretch(stretch)
        else:
            layout.addWidget(widget, stretch)
    return layout


def button(text: str, tip: str = "", checkable: bool = False) -> QtWidgets.QPushButton:
    made = QtWidgets.QPushButton(text)
    made.setToolTip(tip)
    made.setCheckable(checkable)
    # A click leaves the keyboard focus where it was, so Space, PgUp and PgDn keep meaning the walk's keys.
    made.setFocusPolicy(QtCore.Qt.FocusPolicy.TabFocus)
    return made


class StepperPanel(QtWidgets.QWidget):
    back_clicked = QtCore.Signal()
    next_clicked = QtCore.Signal()
    play_toggled = QtCore.Signal(bool)
    target_chosen = QtCore.Signal(int)
    quiz_toggled = QtCore.Signal(bool)
    cross_entropy_toggled = QtCore.Signal(bool)
    answered = QtCore.Signal(int)
    neuron_chosen = QtCore.Signal(int)  # in the layer of the Follow neuron box
    member_chosen = QtCore.Signal(int)  # 0: the average
    epsilon_chosen = QtCore.Signal(float)
    wiggle_chosen = QtCore.Signal(int)
    apply_clicked = QtCore.Signal()
    repeat_clicked = QtCore.Signal()
    undo_clicked = QtCore.Signal()
    done_clicked = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFixedWidth(PANEL_WIDTH)
        self.screen: StepperScreen | None = None
        self._showing = False  # True while show_screen sets the controls: they must not echo it back

        self.back_button = button("◀ Back", "The previous page (Page Up)")
        self.play_button = button("Play", "Turn the pages by themselves (Space); a question waits for your answer",
                                  checkable=True)
        self.next_button = button("Next ▶", "The next page (Page Down)")
        self.target = QtWidgets.QComboBox()
        self.target.setToolTip("The digit the cost compares the output with")
        self.target.setPlaceholderText("Which digit did you mean?")
        self.batch_targets = QtWidgets.QLabel()
        self.batch_targets.setWordWrap(True)
        self.batch_targets.setToolTip("Each example of the mini-batch is compared with its own label")
        self.batch_targets.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Ignored)
        self.targets = QtWidgets.QStackedWidget()
        self.targets.addWidget(self.target)
        self.targets.addWidget(self.batch_targets)
        self.targets.setFixedHeight(2 * self.fontMetrics().lineSpacing() + 6)
        self.target_label = QtWidgets.QLabel(TARGET_LABEL)
        self.target_label.setFixedWidth(self.target_label.sizeHint().width() + 8)
        self.ask_first = QtWidgets.QCheckBox("Ask me first")
        self.ask_first.setToolTip("Predict before each reveal: which way, which is bigger, will it go down")
        self.score = QtWidgets.QLabel()
        self.score.setObjectName("dim")
        self.score.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        self.cross_entropy = QtWidgets.QCheckBox("Under cross-entropy")
        self.cross_entropy.setToolTip("The same sigmoid outputs judged by cross-entropy, the book's way (Nielsen, "
                                      "chapter 3): δ = a − y at the output, with no σ′ in it")

        self.explanation = Explanation()
        self.scroll = QtWidgets.QScrollArea()
        self.scroll.setWidget(self.explanation)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)

        self.neuron = NeuronBox()
        self.neuron.setKeyboardTracking(False)  # "16" follows neuron 16, not neuron 1 on the way
        self.neuron.setToolTip("The neuron whose numbers the explanation follows; a click on a neuron of the network "
                               "follows it too")
        self.member = QtWidgets.QSpinBox()
        self.member.setToolTip("average: the step SGD takes; 1, 2, …: one example of the mini-batch alone")
        self.member.setSpecialValueText("average")
        self.member.setKeyboardTracking(False)
        self.apply_button = button("Apply", "Make this step on the network itself (Edit › Undo takes it back)")
        self.repeat_button = button(f"Apply ×{REPEATS}", f"Take this example's step {REPEATS} times and watch its cost")
        self.undo_button = button("Undo all", "Back to the network as it was before the walk's first Apply (Edit › Undo, Ctrl+Z, "
                                  "takes back one Apply at a time)")
        self.close_button = button("Done", "Leave the walk (Esc); applied steps stay, Edit › Undo takes them back")

        top = QtWidgets.QWidget()
        top_layout = QtWidgets.QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 4)
        top_layout.addLayout(row(self.back_button, self.play_button, self.next_button))
        top_layout.addLayout(row(self.target_label, self.targets, stretches=[0, 1]))
        top_layout.addLayout(row(self.ask_first, self.score, self.cross_entropy, stretches=[0, 1, 0]))
        bottom = QtWidgets.QWidget()
        bottom_layout = QtWidgets.QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 4, 0, 0)
        bottom_layout.addLayout(row(QtWidgets.QLabel("Follow neuron"), self.neuron, QtWidgets.QLabel("Mini-batch example"),
                                    self.member, stretches=[0, 1, 0, 1]))
        bottom_layout.addLayout(row(self.apply_button, self.repeat_button, self.undo_button))
        bottom_layout.addWidget(self.close_button)
        for part in (top, bottom):
            part.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Fixed)
        self.top, self.bottom = top, bottom
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 8, 4)
        outer.addWidget(top)
        outer.addWidget(line())
        outer.addWidget(self.scroll, 1)
        outer.addWidget(line())
        outer.addWidget(bottom)

        self.back_button.clicked.connect(self.back_clicked)
        self.next_button.clicked.connect(self.next_clicked)
        self.play_button.toggled.connect(self._on_play)
        self.target.currentIndexChanged.connect(self._on_target)
        self.ask_first.toggled.connect(self._on_quiz)
        self.cross_entropy.toggled.connect(self._on_cross_entropy)
        self.explanation.answered.connect(self.answered)
        self.explanation.epsilon_chosen.connect(self.epsilon_chosen)
        self.explanation.wiggle_chosen.connect(self.wiggle_chosen)
        self.neuron.valueChanged.connect(self._on_neuron)
        self.member.valueChanged.connect(self._on_member)
        self.apply_button.clicked.connect(self.apply_clicked)
        self.repeat_button.clicked.connect(self.repeat_clicked)
        self.undo_button.clicked.connect(self.undo_clicked)
        self.close_button.clicked.connect(self.done_clicked)
        self._wheel_everywhere()

    # -- what it shows ---------------------------------------------------------------------------------

    def show_screen(self, screen: StepperScreen) -> None:
        """Show ``screen``: every control's state and the explanation; a new page scrolls to its top."""
        new_page = self.screen is None or screen.page != self.screen.page or screen.title != self.screen.title
        self.screen = screen
        self._showing = True
        try:
            self._show_controls(screen)
            self.explanation.show_screen(screen)
        finally:
            self._showing = False
        if new_page:
            self.scroll.verticalScrollBar().setValue(0)

    def _show_controls(self, s: StepperScreen) -> None:
        ready = s.target is not None
        self.back_button.setEnabled(s.can_go_back)
        self.next_button.setEnabled(s.can_go_next)
        self.play_button.setEnabled(s.can_go_next or s.playing)
        self.play_button.setChecked(s.playing)
        self.play_button.setText("Pause" if s.playing else "Play")
        if [self.target.itemText(i) for i in range(self.target.count())] != list(s.class_names):
            self.target.clear()
            self.target.addItems(list(s.class_names))
        self.target.setCurrentIndex(-1 if s.target is None else s.target)
        self.targets.setCurrentWidget(self.target if s.batch_targets is None else self.batch_targets)
        set_text(self.batch_targets, s.batch_targets or "")
        self.target_label.setText(TARGET_LABEL if s.batch_targets is None else
                                  TARGETS_LABEL if s.member == 0 else "Target")
        self.ask_first.setChecked(s.quiz)
        self.ask_first.setEnabled(ready)
        set_text(self.score, s.score)
        self.cross_entropy.setChecked(s.cross_entropy)
        self.cross_entropy.setEnabled(ready and s.cross_entropy_available)
        if s.follow is None:
            self.neuron.set_none()
        else:
            self._show_follow(s)
        self.neuron.setEnabled(s.follow is not None)
        self.member.setRange(0, s.members)
        self.member.setValue(s.member)
        self.member.setEnabled(s.member_enabled)
        self.apply_button.setEnabled(s.can_apply)
        self.repeat_button.setEnabled(s.can_apply_repeatedly)
        self.undo_button.setEnabled(s.can_undo)

    def _show_follow(self, s: StepperScreen) -> None:
        follow = s.follow
        if self.neuron.names != follow.names or self.neuron.specialValueText():
            self.neuron.set_layer(len(follow.names), follow.names)
        if self.neuron.value() != follow.value:
            self.neuron.setValue(follow.value)
        self.neuron.setToolTip(f"The neuron of {follow.layer_name} whose numbers the explanation follows; a click on a "
                               f"neuron of the network follows it too")

    # -- for a video ------------------------------------------------------------------------------------

    def show_explanation_only(self, picture_height: int) -> None:
        """Only the page's words and pictures (at most ``picture_height`` pixels high), no controls and no
        scroll bar: an exported walk."""
        self.top.hide()
        self.bottom.hide()
        for separator in self.findChildren(QtWidgets.QFrame, "separator"):
            separator.hide()
        self.scroll.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.explanation.for_video(picture_height)

    # -- what the learner does -------------------------------------------------------------------------

    def _on_play(self, playing: bool) -> None:
        if not self._showing:
            self.play_toggled.emit(playing)

    def _on_target(self, index: int) -> None:
        if not self._showing and index >= 0:
            self.target_chosen.emit(index)

    def _on_quiz(self, on: bool) -> None:
        if not self._showing:
            self.quiz_toggled.emit(on)

    def _on_cross_entropy(self, on: bool) -> None:
        if not self._showing:
            self.cross_entropy_toggled.emit(on)

    def _on_neuron(self, k: int) -> None:
        if not self._showing and k >= 0:
            self.neuron_chosen.emit(k)

    def _on_member(self, member: int) -> None:
        if not self._showing:
            self.member_chosen.emit(member)

    # -- the wheel scrolls the explanation, wherever it turns over the panel --------------------------

    def _wheel_everywhere(self) -> None:
        for widget in self.findChildren(QtWidgets.QWidget):
            widget.installEventFilter(self)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.Wheel and isinstance(watched, QtWidgets.QWidget):
            bar = self.scroll.verticalScrollBar()
            # A combo box's open list scrolls itself; the scroll bar takes the wheel as its own.
            if watched is not bar and watched.window() is self.window():
                QtWidgets.QApplication.sendEvent(bar, event)
                return True
        return super().eventFilter(watched, event)


def line() -> QtWidgets.QFrame:
    separator = QtWidgets.QFrame()
    separator.setObjectName("separator")
    separator.setFrameShape(QtWidgets.QFrame.Shape.HLine)
    separator.setFrameShadow(QtWidgets.QFrame.Shadow.Plain)
    return separator
