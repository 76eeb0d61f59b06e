"""Backpropagation, step by step, for one example and then a mini-batch.

The panel asks the core for the nudges (``core.nudges``) of a *copy* of the network, so a training
run is never disturbed; Apply hands a stepped copy back (``applied``), Undo the network as it was
before the first Apply. What the network picture should show for the page goes out as a
``WalkPicture`` (``picture_changed``): the panel never draws on another widget. The words and
numbers of each page are ``nnviz.lessons.pages``; the questions of Ask me first ``quiz``.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from ....core.network import Network
from ....core.nudges import (BatchNudges, ExampleNudges, StepResult, apply_nudges, batch_nudges, example_nudges, step,
                            under_cost)
from ...shell import actions
from ....lessons.walk_picture import WalkPicture
from ..landscape import LandscapeView
from ....lessons import pages
from ....lessons.pages import Kind, Page, Scale
from ....lessons.applying import ApplyRecord
from .neuron_box import NeuronBox
from .pictures import NudgeImages, OutputBars
from ....lessons.quiz import Question, question_for

PLAY_INTERVAL_MS = 2500
#: One width for every page, so that the network view beside the panel never moves.
PANEL_WIDTH = 460
REPEATS = 10
LANDSCAPE_SAMPLE = 1000


class StepperPanel(QtWidgets.QWidget):
    applied = QtCore.Signal(object)  # a Network whose parameters the window should take
    closed = QtCore.Signal()
    picture_changed = QtCore.Signal(object)  # a WalkPicture: what the network view should show

    def __init__(self, parent=None):
        super().__init__(parent)
        self.network: Network | None = None  # the copy being stepped through
        self.shown: Network | None = None  # the same, or judged by the other cost
        self.nudges: ExampleNudges | None = None
        self.batch: BatchNudges | None = None
        self.result: StepResult | None = None
        self.pages: list[Page] = []
        self.index = 0
        self.class_names: tuple[str, ...] = ()
        self.x: np.ndarray | None = None
        self.learning_rate = 1.0
        self.train = None
        self.batch_indices = np.zeros(0, int)
        self.record = ApplyRecord()
        self.followed: dict[int, int] = {}  # the neuron the person chose to follow, per layer
        self.answers: dict[int, bool] = {}  # page index -> answered right
        self.chosen: dict[int, int] = {}  # page index -> the option the learner clicked
        self._shortcuts: list[QtGui.QShortcut] = []
        self.setFixedWidth(PANEL_WIDTH)

        self.title = QtWidgets.QLabel()
        self.title.setObjectName("caption")
        self.title.setWordWrap(True)
        self.target = QtWidgets.QComboBox()
        self.target.setToolTip("The digit the cost compares the output with")
        self.target.currentIndexChanged.connect(self._on_target_changed)
        self.other_cost = QtWidgets.QPushButton()
        self.other_cost.setCheckable(True)
        self.other_cost.toggled.connect(self._on_other_cost)
        self.ask_first = QtWidgets.QCheckBox("Ask me first")
        self.ask_first.setToolTip("Predict before each reveal: which way, which is bigger, will it go down")
        self.ask_first.toggled.connect(self._render)
        self.score = QtWidgets.QLabel()
        self.question = QtWidgets.QLabel()
        self.question.setWordWrap(True)
        self.question.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.answer_buttons = [QtWidgets.QPushButton() for _ in range(3)]
        self._answers = QtWidgets.QButtonGroup(self)
        for i, button in enumerate(self.answer_buttons):
            self._answers.addButton(button, i)
        self._answers.idClicked.connect(self.answer)
        self.text = QtWidgets.QLabel()
        self.text.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
        self.text.setMinimumHeight(200)
        self.neuron = NeuronBox()
        self.neuron.setToolTip("The neuron whose numbers the explanation follows; it stays your choice")
        self.neuron.valueChanged.connect(self._on_neuron_chosen)
        self.member = QtWidgets.QSpinBox()
        self.member.setToolTip("0: the average the step uses; 1..10: one example of the mini-batch")
        self.member.setSpecialValueText("average")
        self.member.valueChanged.connect(self._render)
        self.images = NudgeImages()
        self.bars = OutputBars()
        self.landscape = LandscapeView(compact=True)
        self.landscape.setFixedHeight(420)

        self.back_button = QtWidgets.QPushButton("◀ Back")
        self.next_button = QtWidgets.QPushButton("Next ▶")
        self.play_button = QtWidgets.QPushButton("Play")
        self.play_button.setCheckable(True)
        self.apply_button = QtWidgets.QPushButton("Apply")
        self.apply_button.setToolTip("Make this step on the network itself (otherwise only a copy is stepped)")
        self.repeat_button = QtWidgets.QPushButton(f"Apply ×{REPEATS}")
        self.repeat_button.setToolTip(f"Take this example's step {REPEATS} times and watch its cost fall")
        self.undo_button = QtWidgets.QPushButton("Undo")
        self.undo_button.setToolTip("Back to the network as it was before the first Apply")
        self.close_button = QtWidgets.QPushButton("Done")
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.play_button.toggled.connect(self._on_play)
        self.apply_button.clicked.connect(self._on_apply_clicked)
        self.repeat_button.clicked.connect(self._on_repeat_clicked)
        self.undo_button.clicked.connect(self._on_undo_clicked)
        self.close_button.clicked.connect(self.closed)
        self._timer = QtCore.QTimer(self, interval=PLAY_INTERVAL_MS)
        self._timer.timeout.connect(self._on_tick)

        # A mini-batch has one target per example: on its page the single example's box would lie.
        self.batch_targets = QtWidgets.QLabel()
        self.batch_targets.setWordWrap(True)
        self.batch_targets.setToolTip("Each example of the mini-batch is compared with its own label")
        top = self.top = QtWidgets.QFormLayout()
        top.addRow("Target digit", self.target)
        top.addRow("Targets", self.batch_targets)
        options = QtWidgets.QHBoxLayout()
        options.addWidget(self.ask_first)
        options.addWidget(self.score, 1)
        options.addWidget(self.other_cost)
        buttons = QtWidgets.QHBoxLayout()
        for button in (self.back_button, self.play_button, self.next_button):
            buttons.addWidget(button)
        answers = QtWidgets.QHBoxLayout()
        for button in self.answer_buttons:
            answers.addWidget(button)
        choose = QtWidgets.QFormLayout()
        choose.addRow("Follow neuron", self.neuron)
        choose.addRow("Mini-batch example", self.member)
        applying = QtWidgets.QHBoxLayout()
        for button in (self.apply_button, self.repeat_button, self.undo_button):
            applying.addWidget(button)
        inner = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(inner)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addLayout(options)
        layout.addWidget(self.question)
        layout.addLayout(answers)
        layout.addWidget(self.text)
        layout.addLayout(choose)
        layout.addWidget(self.images)
        layout.addWidget(self.bars)
        layout.addWidget(self.landscape)
        layout.addLayout(applying)
        layout.addWidget(self.close_button)
        layout.addStretch(1)
        # Pages differ in height, never in width: they scroll, and the network view stays put.
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # -- starting --------------------------------------------------------------------------------

    def start(self, network: Network, x: np.ndarray, label: int | None, class_names, learning_rate: float,
              train, batch_size: int = 10, seed: int = 0) -> None:
        """Walk through backpropagation for input ``x`` on a copy of ``network``.

        ``label`` is the target digit (None for a drawing: the person chooses it first); ``train``
        the training split (``inputs(indices, dtype)``, ``labels``), from which the last page's
        mini-batch of ``batch_size`` and the landscape's sample are drawn (fixed by ``seed``).
        """
        self.network = network.copy()
        self.x = np.array(x, copy=True)
        self.class_names = tuple(class_names)
        self.learning_rate = float(learning_rate)
        self.train = train
        rng = np.random.default_rng(seed)
        self.batch_indices = rng.choice(len(train.labels), size=batch_size, replace=False)
        self.sample_indices = np.sort(rng.choice(len(train.labels), size=min(LANDSCAPE_SAMPLE, len(train.labels)),
                                                 replace=False))
        self.record = ApplyRecord()
        self.followed = {}
        self.answers, self.chosen = {}, {}
        self.bars.reset()
        self.other_cost.blockSignals(True)
        self.other_cost.setChecked(False)
        self.other_cost.blockSignals(False)
        self.other_cost.setText("Under squared error" if network.cost.name == "cross-entropy" else "Under cross-entropy")
        self.other_cost.setToolTip("The same example judged by the other cost: see how its output δ changes")
        self.pages = pages.plan(len(self.network.sizes) - 1)
        self.index = 0
        self.images.make(self.network.sizes)
        self._install_shortcuts()
        self.target.blockSignals(True)
        self.target.clear()
        self.target.addItems(list(self.class_names))
        self.target.setPlaceholderText("Which digit did you mean?")
        self.target.setCurrentIndex(-1 if label is None else int(label))
        self.target.blockSignals(False)
        if label is None:
            self.nudges = None
            self._render()
        else:
            self._compute()
            self.go(0)
        self.next_button.setFocus()

    def _install_shortcuts(self) -> None:
        """Page Down / Page Up anywhere in the window while the stepper is open, focus or not."""
        if self._shortcuts:
            return
        # The keys are listed with the window's in actions.py (Help > Keyboard shortcuts).
        for name, slot in (("stepper_next", self.next), ("stepper_back", self.back), ("stepper_close", self.closed),
                           ("stepper_play", self.toggle_play)):
            key = QtGui.QKeySequence(actions.BY_NAME[name].keys[0])
            shortcut = QtGui.QShortcut(key, self.window(), context=QtCore.Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)
        self._update_shortcuts()

    def _update_shortcuts(self) -> None:
        for shortcut in self._shortcuts:
            shortcut.setEnabled(self.isVisible())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._update_shortcuts()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.play_button.setChecked(False)
        self._update_shortcuts()

    def _compute(self) -> None:
        """The nudges of this example, its step and the mini-batch's, for the chosen target and cost."""
        label = self.target.currentIndex()
        self.shown = under_cost(self.network, self._other_cost_name()) if self.other_cost.isChecked() else self.network
        eta = self.learning_rate
        self.nudges = example_nudges(self.shown, self.x, label, eta)
        self.result = step(self.shown, self.nudges)
        dtype = self.network.dtype
        self.batch = batch_nudges(self.shown, self.train.inputs(self.batch_indices, dtype),
                                  self.train.labels[self.batch_indices], eta)
        self.member.setRange(0, len(self.batch_indices))

    def _other_cost_name(self) -> str:
        return "mse" if self.network.cost.name == "cross-entropy" else "cross-entropy"

    # -- moving through the pages ------------------------------------------------------------------

    def go(self, index: int) -> None:
        if self.nudges is None or not self.pages:
            return
        self.index = int(np.clip(index, 0, len(self.pages) - 1))
        current = self.page
        if current.kind in (Kind.WANTS, Kind.EDGES):
            self.neuron.blockSignals(True)
            output = current.layer == len(self.network.sizes) - 1
            self.neuron.set_layer(self.network.sizes[current.layer], self.class_names if output else None)
            self.neuron.setValue(self.followed.get(current.layer, self._biggest_wish(current.layer)))
            self.neuron.blockSignals(False)
        self._render()

    def next(self) -> None:
        if self.pages and self.nudges is not None and self.index < len(self.pages) - 1:
            self.go(self.index + 1)
        else:
            self.play_button.setChecked(False)

    def back(self) -> None:
        if self.pages and self.nudges is not None:
            self.go(self.index - 1)

    @property
    def page(self) -> Page:
        return self.pages[self.index]

    def _biggest_wish(self, l: int) -> int:
        return int(np.argmax(np.abs(self.nudges.layer(l).activation_nudges)))

    def _on_neuron_chosen(self, k: int) -> None:
        if self.pages and self.page.kind in (Kind.WANTS, Kind.EDGES):
            self.followed[self.page.layer] = int(k)
        self._render()

    def _follow_note(self, l: int, k: int) -> str:
        if l in self.followed:
            return "(your choice) "
        return "(the one with the biggest wish; choose another in Follow neuron) "

    def _on_target_changed(self, index: int) -> None:
        if index < 0 or self.network is None:
            return
        self.answers, self.chosen = {}, {}
        self._compute()
        self.go(self.index)

    def _on_other_cost(self, on: bool) -> None:
        if self.nudges is not None:
            self._compute()
            self.go(self.index)

    # -- what each page shows --------------------------------------------------------------------------

    def _render(self) -> None:
        if not self.pages:
            return
        waiting = self.nudges is None
        for widget in (self.back_button, self.next_button, self.play_button, self.apply_button, self.repeat_button):
            widget.setEnabled(not waiting)
        if waiting:
            self.title.setText("Which digit did you draw?")
            self.text.setText("A drawing has no label. Choose the digit you meant as the <b>target digit</b> above: the "
                              "cost measures how far the output is from it.")
            for widget in (self.images, self.bars, self.landscape, self.question, *self.answer_buttons):
                widget.hide()
            return
        p = self.page
        scale = self._scale(p)
        cost_note = " — under cross-entropy" if self.shown.cost.name == "cross-entropy" and self.other_cost.isChecked() \
            else " — under squared error" if self.other_cost.isChecked() else ""
        self.title.setText(f"Step {self.index + 1} of {len(self.pages)}: {p.title}{scale.heading}{cost_note}")
        self.back_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.pages) - 1)
        self.neuron.setEnabled(p.kind in (Kind.WANTS, Kind.EDGES))
        self.member.setEnabled(p.kind is Kind.BATCH)
        self._show_targets(p.kind is Kind.BATCH)
        own = not self.other_cost.isChecked()  # steps of another cost are shown, never applied
        self.apply_button.setEnabled(own and p.kind in (Kind.STEP, Kind.BATCH))
        self.repeat_button.setEnabled(own and p.kind is Kind.STEP)
        self.undo_button.setEnabled(self.record.can_undo)
        self.images.setVisible((p.kind is Kind.EDGES and p.layer == 1) or p.kind is Kind.BATCH)
        self.bars.setVisible(p.kind is Kind.STEP)
        self.landscape.setVisible(p.kind is Kind.STEP)
        self.score.setText(f"{sum(self.answers.values())} of {len(self.answers)} right" if self.answers else "")
        text = self._page_text(p, scale)
        asked = self._question()
        if asked is not None and self.index not in self.answers:
            self.question.setText(f"<b>Your guess first.</b> {asked.text}")
            for button, option in zip(self.answer_buttons, asked.options + ("",) * 3):
                button.setText(option)
                button.setVisible(bool(option))
            self.question.show()
            self.text.setText("<i>Answer the question above to see the numbers.</i>")
            self._show_on_view(p, hidden=True)
            return
        for button in self.answer_buttons:
            button.hide()
        self.question.setVisible(asked is not None)
        if asked is not None:
            self.question.setText(asked.verdict(self.chosen[self.index]))
        self.text.setText(text)
        self._show_on_view(p)

    def _show_targets(self, batch: bool) -> None:
        """The target digit of this example, or on the mini-batch page the targets of its examples."""
        self.top.setRowVisible(self.target, not batch)
        self.top.setRowVisible(self.batch_targets, batch)
        if batch:
            member = self.member.value()
            self.top.labelForField(self.batch_targets).setText("Targets" if member == 0 else "Target")
            self.batch_targets.setText(pages.batch_targets_text(self.batch, member, self.class_names))

    def _question(self) -> Question | None:
        if not self.ask_first.isChecked():
            return None
        k = self.neuron.value() if self.page.kind in (Kind.WANTS, Kind.EDGES) else 0
        return question_for(self.page, self.nudges, self.result, self.class_names, k)

    def answer(self, chosen: int) -> None:
        """The learner's answer to the page's question: count it and reveal the page."""
        asked = self._question()
        if asked is None or self.index in self.answers:
            return
        self.chosen[self.index] = chosen
        self.answers[self.index] = chosen == asked.answer
        self._render()

    def _scale(self, p: Page) -> Scale:
        return pages.page_scale(p, self.nudges)

    def _page_text(self, p: Page, scale: Scale) -> str:
        k = self.neuron.value()
        return pages.page_text(p, self.nudges, self.result, self.batch, self.shown, self.class_names, scale, k,
                               self._follow_note(p.layer, k), self.member.value(), self.record.costs)

    def _show_on_view(self, p: Page, hidden: bool = False) -> None:
        """Put what page ``p`` is about on the network view (only the activations while a question waits)."""
        n = self.nudges
        L = len(n.layers)
        if hidden or p.kind in (Kind.FORWARD, Kind.COST):
            self._view(self.shown, weights=True)
            return
        if p.kind is Kind.WANTS:
            arrows = [None] * L
            arrows[p.layer - 1] = n.layer(p.layer).activation_nudges
            self._view(self.shown, weights=True, arrows=arrows)
        elif p.kind is Kind.EDGES:
            layer = n.layer(p.layer)
            matrices = [np.zeros_like(w) for w in self.shown.weights]
            matrices[p.layer - 1] = layer.weight_nudges
            arrows = [None] * L
            arrows[p.layer - 1] = layer.bias_nudges
            self._view(self.shown, matrices=matrices, arrows=arrows)
            if p.layer == 1:
                self.images.show_nudges(layer.weight_nudges)
        elif p.kind is Kind.STEP:
            self._view(self.result.network, weights=True, forward_network=self.result.network)
            if self.record.costs is not None:
                self.bars.show_costs(self.record.costs)
            elif self.record.outputs is not None:
                self.bars.show_outputs(*self.record.outputs, n.label, self.class_names, applied=True)
            else:
                self.bars.show_outputs(self.result.output_before, self.result.output_after, n.label, self.class_names)
            self._update_landscape()
        else:
            member = self.member.value()
            b = self.batch
            if member == 0:
                weights, biases = b.weight_nudges, b.bias_nudges
            else:
                e = b.examples[member - 1]
                weights, biases = [l.weight_nudges for l in e.layers], [l.bias_nudges for l in e.layers]
            self._view(self.shown, matrices=weights, arrows=[*biases])
            self.images.show_nudges(weights[0])

    def _update_landscape(self) -> None:
        sample = self.sample_indices
        path = [self.result.network.params]
        self.landscape.show_landscape(self.shown, self.train.inputs(sample, self.network.dtype), self.train.labels[sample],
                                      path, self.learning_rate, (self.x, self.nudges.label))

    def _view(self, network: Network, weights: bool = False, matrices=None, arrows=(), forward_network=None) -> None:
        forward = (forward_network or self.shown).forward(self.x)
        self.picture_changed.emit(WalkPicture([np.array(m) for m in (network.weights if weights else matrices)],
                                                forward, int(forward.output[0].argmax()), self.nudges.label,
                                                list(arrows)))

    # -- applying --------------------------------------------------------------------------------------

    def _on_apply_clicked(self) -> None:
        self.apply()

    def _on_repeat_clicked(self) -> None:
        self.apply_repeatedly()

    def _on_undo_clicked(self) -> None:
        self.undo()

    def apply(self) -> None:
        """Make the page's step (this example's, or the mini-batch average) on the network itself."""
        if self.page.kind is Kind.BATCH:
            stepped = apply_nudges(self.network, self.batch.weight_nudges, self.batch.bias_nudges,
                                   self.x, self.nudges.label).network
        else:
            stepped = self.result.network
        self.record.took(self.network, stepped, self.x)
        self._take(stepped)

    def apply_repeatedly(self, times: int = REPEATS) -> None:
        """Take this example's step ``times`` times on the network itself; the page shows its cost falling."""
        self._take(self.record.repeat(self.network, self.x, self.nudges.label, self.learning_rate, times))

    def undo(self) -> None:
        """Back to the network as it was before the first Apply, exactly."""
        if self.record.can_undo:
            self._take(self.record.undo(self.network))

    def _take(self, network: Network) -> None:
        self.network = network.copy()
        self.applied.emit(network)
        self._compute()
        self._render()

    def _on_tick(self) -> None:
        if self.ask_first.isChecked() and self._question() is not None and self.index not in self.answers:
            return  # Play waits for the learner's answer
        self.next()

    def stop(self) -> None:
        """Stop playing (the walk is over)."""
        self.play_button.setChecked(False)

    def toggle_play(self) -> None:
        """Space while the walk is open: play it, or pause it."""
        self.play_button.toggle()

    def _on_play(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        if playing:
            self._timer.start()
        else:
            self._timer.stop()
