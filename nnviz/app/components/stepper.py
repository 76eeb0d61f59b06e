"""The backpropagation lesson in the window (Ctrl+B): the stepper's dock on the example on show;
what it draws goes on the network picture through the model; an applied step is a change of the
model's network that Edit > Undo takes back, during the walk and after it."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ...core.network import Network
from ...lessons.walk_picture import LessonStart
from ...model import Cause, Source, WindowModel
from ..shell.actions import Actions
from ..shell.dialogs import Button, Dialogs
from ..shell.status import Lasting, Status
from ..views.network.network_view import NetworkView
from ..views.stepper import StepperPanel
from .base import Component

#: The dock is never narrower than the panel's own width needs.
DOCK_MINIMUM_WIDTH = 380


class StepperComponent(Component):
    def __init__(self, model: WindowModel, panel: StepperPanel, dock: QtWidgets.QDockWidget, network_view: NetworkView,
                 actions: Actions, dialogs: Dialogs, status: Status, parent: QtCore.QObject):
        super().__init__(model, parent)
        self.panel, self.dock, self.network_view, self.dialogs, self.status = panel, dock, network_view, dialogs, status
        dock.setMinimumWidth(DOCK_MINIMUM_WIDTH)
        actions.serve("backprop", self.start)
        panel.closed.connect(self.stop)
        panel.applied.connect(self._on_applied)
        panel.picture_changed.connect(self._on_picture)
        self.follow(self._on_lesson, "lesson")
        self._on_lesson(Cause.USER)

    def start(self) -> None:
        """Walk through backpropagation for the example on show; its mini-batch comes from the training set."""
        model = self.model
        if model.lesson is not None:
            return
        x, label = model.current_input()
        if model.example.source == Source.DRAWING and x is None:
            self.status.say("Draw a digit first", Lasting.NOTICE)
            return
        model.open_lesson(LessonStart(x, label))
        self.panel.start(model.shown, x, label, model.dataset.class_names, model.options.learning_rate,
                         model.dataset.train, batch_size=model.options.batch_size)

    def stop(self) -> None:
        self.panel.stop()
        self.model.close_lesson()

    def _on_picture(self, picture) -> None:
        if self.model.lesson is not None:
            self.model.show_lesson_picture(picture)

    def _on_applied(self, stepped: Network) -> None:
        model = self.model
        if model.cursor is not None:
            # The step was taken from an earlier checkpoint: the run goes on from there.
            if self.dialogs.ask_branch(model.cursor_text()) != Button.Yes:
                return
            model.branch_here()
        model.apply_step(stepped.params, "a step of the backpropagation walk")
        self.status.say("Applied the step to the network (Edit › Undo takes it back)", Lasting.NOTICE)

    def _on_lesson(self, cause: Cause) -> None:
        open_ = self.model.lesson is not None
        if open_ == self.dock.isHidden():
            self.dock.setVisible(open_)
            # The dock takes or gives back width: fit the network again, output layer included.
            QtCore.QTimer.singleShot(0, self.network_view.reset_zoom)
        if not open_:
            self.panel.stop()
