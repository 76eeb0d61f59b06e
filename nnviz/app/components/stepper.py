"""The backpropagation lesson in the window (Ctrl+B): a ``Lesson`` on the example on show, held by
the model (``model.lesson``), shown by the stepper panel in its dock and drawn on the network by
the network picture. This component owns the flow: it opens and closes the lesson, turns the
learner's clicks and keys into the lesson's methods, plays the walk, and puts Apply, Apply ×10 and
Undo on the real network as steps of the model's one undo history (Edit › Undo takes them back,
during the walk and after it)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from ...lessons.lesson import REPEATS, Lesson, LessonExample
from ...lessons.screen import screen_of
from ...model import Cause, Source, TrainingMode, WindowModel
from ..shell import actions as registry
from ..shell.actions import Actions
from ..shell.dialogs import Button, Dialogs
from ..shell.status import Lasting, Status
from ..views.network.network_view import NetworkView
from ..views.stepper import StepperPanel
from .base import Component

#: Play turns a page this often.
PLAY_INTERVAL_MS = 2500
#: The lesson's mini-batch: the training option's size, at most this many (each example's nudges are listed).
LESSON_BATCH = 10
#: The walk's keys (in the registry, so that F1 lists them), served while the lesson is open.
KEYS = ("stepper_next", "stepper_back", "stepper_play", "stepper_close")


class StepperComponent(Component):
    def __init__(self, model: WindowModel, make_panel: Callable[[], StepperPanel], dock: QtWidgets.QDockWidget,
                 beside: QtWidgets.QWidget, network_view: NetworkView, actions: Actions, dialogs: Dialogs,
                 status: Status, parent: QtCore.QObject):
        """``make_panel()`` makes the panel the dock shows, when a lesson first opens (most windows
        never open one, and the panel is an eighth of a window's making). ``beside``: the column left
        of the network (the example and the learning options), folded away while the lesson is open
        so that the network keeps half the window beside the panel."""
        super().__init__(model, parent)
        self._make_panel, self._panel = make_panel, None
        self.dock, self.beside, self.network_view = dock, beside, network_view
        self.dialogs, self.status = dialogs, status
        self._lesson: Lesson | None = None  # the lesson whose events this follows
        actions.serve("backprop", self.start)
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(PLAY_INTERVAL_MS)
        self._timer.timeout.connect(self._on_tick)
        self._keys = []
        window = dock.window()
        for name, slot in zip(KEYS, (self._on_next, self._on_back, self._on_space, self.stop)):
            key = QtGui.QKeySequence(registry.BY_NAME[name].keys[0])
            shortcut = QtGui.QShortcut(key, window, context=QtCore.Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            shortcut.setEnabled(False)
            self._keys.append(shortcut)
        self.follow(self._on_lesson, "lesson")
        self.follow(self._on_shown, "shown")
        self.follow(self._on_dataset, "dataset")
        self._on_lesson(Cause.USER)

    def panel(self) -> StepperPanel:
        """The stepper panel in the dock, made the first time it is needed."""
        if self._panel is None:
            panel = self._panel = self._make_panel()
            for signal, slot in ((panel.back_clicked, self._on_back), (panel.next_clicked, self._on_next),
                                 (panel.play_toggled, self._on_play), (panel.target_chosen, self._on_target),
                                 (panel.quiz_toggled, self._on_quiz),
                                 (panel.cross_entropy_toggled, self._on_cross_entropy),
                                 (panel.answered, self._on_answer), (panel.neuron_chosen, self._on_neuron),
                                 (panel.member_chosen, self._on_member), (panel.epsilon_chosen, self._on_epsilon),
                                 (panel.wiggle_chosen, self._on_wiggle),
                                 (panel.apply_clicked, self.apply), (panel.repeat_clicked, self.apply_repeatedly),
                                 (panel.undo_clicked, self.undo), (panel.done_clicked, self.stop)):
                signal.connect(slot)
            self.dock.setWidget(panel)
        return self._panel

    # -- opening and closing ------------------------------------------------------------------------

    def start(self) -> None:
        """Walk through backpropagation for the example on show; its mini-batch comes from the training set."""
        model = self.model
        if model.lesson is not None:
            return
        if model.mode != TrainingMode.IDLE:
            # The walk explains one network, and training would change it under the learner's eyes.
            self.status.say("Pause training first (Space), then step through backpropagation", Lasting.WARNING)
            return
        if model.example.source == Source.DRAWING:
            x, _ = model.current_input()
            if x is None:
                self.status.say("Draw a digit first", Lasting.NOTICE)
                return
            example = LessonExample.drawing(x)
        else:
            example = LessonExample.from_split(model.dataset, model.example.split, model.example.index, model.shown.dtype)
        batch = max(1, min(model.options.batch_size, LESSON_BATCH))
        model.open_lesson(Lesson(model.shown, model.dataset, example, model.options.learning_rate, batch_size=batch))

    def stop(self) -> None:
        """Done (or Esc): the lesson closes; steps it applied stay on the network."""
        self.model.close_lesson()

    def _on_lesson(self, cause: Cause) -> None:
        lesson = self.model.lesson
        if self._lesson is not None and lesson is not self._lesson:
            self._lesson.events.disconnect_owner(self)
            self._timer.stop()
        if lesson is not None and lesson is not self._lesson:
            for name in lesson.events.names:
                getattr(lesson.events, name).connect(self._on_playing if name == "playing" else self._on_changed)
        self._lesson = lesson
        open_ = lesson is not None
        for shortcut in self._keys:
            shortcut.setEnabled(open_)
        if open_:
            self.panel()
        if open_ == self.dock.isHidden():
            self.beside.setVisible(not open_)
            self.dock.setVisible(open_)
            # The dock takes or gives back width: fit the network again, output layer included.
            QtCore.QTimer.singleShot(0, self.network_view, self.network_view.reset_zoom)
        if open_:
            self._show()

    def detach(self) -> None:
        if self._lesson is not None:
            self._lesson.events.disconnect_owner(self)
            self._lesson = None
        self._timer.stop()
        super().detach()

    # -- what the panel shows ----------------------------------------------------------------------------

    def _on_changed(self, value=None) -> None:
        self._show()

    def _on_playing(self, playing: bool) -> None:
        if playing:
            self._timer.start()
        else:
            self._timer.stop()
        self._show()

    def _show(self) -> None:
        if self.model.lesson is not None:
            self.panel().show_screen(screen_of(self.model.lesson))

    def _on_dataset(self, cause: Cause) -> None:
        # The walk's example and mini-batch came from the dataset that was on show.
        self.stop()

    def _on_shown(self, cause: Cause) -> None:
        """The network on show changed (a step applied, an undo, an edit): the lesson goes on from it."""
        lesson = self.model.lesson
        if lesson is not None and not np.array_equal(self.model.shown.params, lesson.network.params):
            lesson.continue_from(self.model.shown)

    # -- what the learner does --------------------------------------------------------------------------

    def _with_lesson(self, act: Callable[[Lesson], object]) -> None:
        if self.model.lesson is not None:
            act(self.model.lesson)

    def _on_back(self) -> None:
        self._with_lesson(Lesson.back)

    def _on_next(self) -> None:
        self._with_lesson(Lesson.next)

    def _on_space(self) -> None:
        """Space plays or pauses the walk; it never trains the network under it."""
        lesson = self.model.lesson
        if lesson is not None:
            lesson.set_playing(not lesson.playing)

    def _on_play(self, playing: bool) -> None:
        self.model.lesson.set_playing(playing)
        self._show()  # Play refused (the last page): the button says so again

    def _on_tick(self) -> None:
        self._with_lesson(Lesson.tick)

    def _on_target(self, digit: int) -> None:
        self.model.lesson.choose_target(digit)

    def _on_quiz(self, on: bool) -> None:
        self.model.lesson.set_quiz(on)

    def _on_cross_entropy(self, on: bool) -> None:
        self.model.lesson.set_cross_entropy(on)

    def _on_answer(self, option: int) -> None:
        self.model.lesson.answer(option)

    def _on_neuron(self, k: int) -> None:
        lesson = self.model.lesson
        if lesson.follow_layer is not None:
            lesson.follow(lesson.follow_layer, k)

    def _on_member(self, member: int) -> None:
        self.model.lesson.choose_member(member)

    def _on_epsilon(self, epsilon: float) -> None:
        self.model.lesson.set_epsilon(epsilon)

    def _on_wiggle(self, choice: int) -> None:
        self.model.lesson.choose_wiggle(choice)

    # -- applying: the lesson proposes, the model's undo history takes it -----------------------------------

    def apply(self) -> None:
        """The page's step (this example's, or the mini-batch's average) on the network itself."""
        self._put(Lesson.apply, "a step of the backpropagation walk")

    def apply_repeatedly(self) -> None:
        self._put(Lesson.apply_repeatedly, f"{REPEATS} steps of the backpropagation walk on one example")

    def undo(self) -> None:
        """The network as it was before the walk's first Apply, exactly (itself a step: Edit › Undo takes it back)."""
        self._put(Lesson.undo, "the walk's Undo (the network before its first Apply)")

    def _put(self, propose: Callable[[Lesson], np.ndarray], what: str) -> None:
        model, lesson = self.model, self.model.lesson
        if lesson is None:
            return
        if model.cursor is not None:
            # The lesson walks the checkpoint on show: the run goes on from there, or nothing happens.
            if self.dialogs.ask_branch(model.cursor_text()) != Button.Yes:
                return
            model.branch_here()
        model.apply_step(propose(lesson), what)  # the model's "shown" event hands the lesson the network back
        self.status.say(f"Applied {what} to the network (Edit › Undo takes it back)", Lasting.NOTICE)
