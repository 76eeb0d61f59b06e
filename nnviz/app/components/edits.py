"""What-if edits and applied steps, one undo history: the Edits tab (the list, Undo/Redo/Reset,
prune, which neurons matter) and Edit > Undo/Redo/Reset. The list lives in the model; a change
of it recomputes the network there, and every view follows its events."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from ...core.edits import Edit, EditError
from ...model import Cause, TrainingMode, WindowModel
from ...model.editing import EditOutcome
from ..shell.actions import Actions
from ..shell.status import Lasting, Status
from ..views.edits_panel import EditsPanel
from .base import Component


class EditsComponent(Component):
    def __init__(self, model: WindowModel, panel: EditsPanel, actions: Actions, status: Status,
                 parent: QtCore.QObject):
        super().__init__(model, parent)
        self.panel, self.status = panel, status
        # Undo and Redo stay enabled (a disabled action swallows its key silently); the panel's
        # buttons show what there is to undo.
        actions.serve("undo_edit", self.undo)
        actions.serve("redo_edit", self.redo)
        self.reset_action = actions.serve("reset_edits", self.reset)
        panel.undo_requested.connect(self.undo)
        panel.redo_requested.connect(self.redo)
        panel.reset_requested.connect(self.reset)
        panel.edit_made.connect(self.add_edit)
        panel.ablation_requested.connect(self.measure_ablation)
        panel.neuron_chosen.connect(self._on_neuron_chosen)
        self.follow(self._show_edits, "edits", "network")
        self.follow(self._show_ablation, "ablation", "shown", "network")
        self._show_edits()
        self._show_ablation()

    # -- what a person does -----------------------------------------------------------------------

    def add_edit(self, edit: Edit) -> bool:
        """Make ``edit`` after the ones in force; False (said in the status bar) if it cannot be made."""
        return self._change(lambda model: model.add_edit(edit))

    def undo(self) -> None:
        self._change(WindowModel.undo)

    def redo(self) -> None:
        self._change(WindowModel.redo)

    def reset(self) -> None:
        self._change(WindowModel.reset_edits)

    def _change(self, change) -> bool:
        if self.model.mode != TrainingMode.IDLE:
            # The training process trains its own copy: an edit now would be undone by its next snapshot.
            self.status.say("Pause training before editing the network", Lasting.WARNING)
            return False
        try:
            outcome: EditOutcome | None = change(self.model)
        except EditError as error:
            self.status.say(str(error), Lasting.WARNING)
            return False
        if outcome is not None:
            self.status.say(outcome.describe(), Lasting.REPORT)
        return outcome is not None

    def measure_ablation(self) -> None:
        """Which neurons matter: the test accuracy with each hidden neuron switched off in turn."""
        QtWidgets.QApplication.setOverrideCursor(QtGui.QCursor(QtCore.Qt.CursorShape.WaitCursor))
        try:
            self.model.measure_ablation()
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()

    def _on_neuron_chosen(self, layer: int, k: int) -> None:
        self.model.select_neuron((layer, k))

    # -- what the views show -------------------------------------------------------------------------

    def _show_edits(self, cause: Cause | None = None) -> None:
        self.panel.show_edits(self.model.network.sizes, self.model.edits)
        self.reset_action.setEnabled(bool(self.model.edits.edits))

    def _show_ablation(self, cause: Cause | None = None) -> None:
        self.panel.show_ablation(self.model.ablation, self.model.ablation_current, self.model.ablation_dead)
