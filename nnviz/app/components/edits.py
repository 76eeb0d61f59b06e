"""The window's what-if edits: the Edits tab, the neuron's weights editor, Edit > Undo/Redo/Reset,
which neurons matter, and the question before training an edited network.

A mixin of ``MainWindow``. The edits live in the model (``model.edits``, ``model.base_network``);
a change of the list recomputes the network on show there, and every view follows its ``params``.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from ...core.edits import EditError, EditList, ablation_table
from ...model import TrainingMode
from ..shell import actions
from ..views.edits_panel import EditsPanel, NeuronWeightsEditor


class EditsWiring:
    """What-if edits; mixed into MainWindow."""

    def _build_edits(self) -> None:
        self.edits_panel = EditsPanel()
        self.bottom.addTab(self.edits_panel, "Edits")
        self.weights_editor = NeuronWeightsEditor()
        self.neuron_panel.layout().addWidget(self.weights_editor, 2)

    def _make_edit_menu(self) -> None:
        menu = QtWidgets.QMenu("&Edit", self)
        self.menuBar().insertMenu(self.view_menu.menuAction(), menu)
        self.edit_menu = menu
        self.undo_action = actions.make_action("undo_edit", self, lambda: self.edits_panel.undo())
        self.redo_action = actions.make_action("redo_edit", self, lambda: self.edits_panel.redo())
        self.reset_edits_action = actions.make_action("reset_edits", self, lambda: self.edits_panel.reset())
        menu.addActions([self.undo_action, self.redo_action, self.reset_edits_action])
        self._update_edit_actions()

    def _connect_edits(self) -> None:
        self.model.events.edits.connect(self._on_edits)
        self.model.events.network.connect(self._on_edited_network)
        self.model.events.neuron.connect(lambda _: self._show_weights_editor())
        self.model.events.params.connect(lambda _: self._show_weights_editor())
        self.model.events.mode.connect(lambda _: self._show_weights_editor())
        self.edits_panel.edits_changed.connect(self._on_edits_changed)
        self.edits_panel.failed.connect(lambda message: self.statusBar().showMessage(message, 6000))
        self.edits_panel.ablation_requested.connect(self.measure_ablation)
        self.edits_panel.neuron_chosen.connect(lambda layer, k: self.model.select_neuron((layer, k)))
        self.weights_editor.edit_made.connect(self.edit)
        # A step applied from the walk changes the network on show: that becomes the base.
        self.stepper.applied.connect(lambda _: self.model.commit_edits())
        self._on_edited_network(self.model.network)

    # -- controls change the model ----------------------------------------------------------------

    def edit(self, edit) -> bool:
        """Make ``edit`` after the ones in force (from the neuron's editor, or a caller)."""
        return self.edits_panel.add_edit(edit)

    def _on_edits_changed(self, edits: EditList) -> None:
        if self.model.mode != TrainingMode.IDLE:
            # The worker trains its own copy: an edit now would be undone by its next snapshot.
            self.statusBar().showMessage("Pause training before editing the network", 6000)
            self.edits_panel.set_network(self.network.sizes, self.model.edits)
            return
        previous = self.model.edits
        if not edits.edits:
            what = "Reset edits"
        elif edits.position < previous.position:
            what = f"Undo: {previous.applied[-1].describe(self.network.sizes)}"
        elif edits.edits == previous.edits:
            what = f"Redo: {edits.applied[-1].describe(self.network.sizes)}"
        else:
            what = edits.applied[-1].describe(self.network.sizes)
        # The worker's network is the one before the edit: the next Train starts from this one.
        self.controller.shutdown()
        try:
            outcome = self.model.set_edits(edits, what)
        except EditError as error:
            self.edits_panel.set_network(self.network.sizes, self.model.edits)
            self.statusBar().showMessage(str(error), 6000)
            return
        # The what-if computed the test set's confusion already: not a second pass over it.
        self.confusion.show_matrix(self.model.last_what_if.confusion, self.dataset.class_names)
        self._on_progress(self.model.progress)  # the readout's accuracies are the edited network's
        self.statusBar().showMessage(outcome.describe(), 8000)

    def measure_ablation(self) -> None:
        """Which neurons matter: the test accuracy with each hidden neuron switched off in turn."""
        QtWidgets.QApplication.setOverrideCursor(QtGui.QCursor(QtCore.Qt.CursorShape.WaitCursor))
        try:
            table = ablation_table(self.network, self.dataset.test)
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()
        self.edits_panel.show_ablation(table)

    # -- views follow the model -------------------------------------------------------------------

    def _on_edits(self, edits: EditList) -> None:
        if self.edits_panel.edits != edits:
            self.edits_panel.set_network(self.network.sizes, edits)
        self._update_edit_actions()

    def _on_edited_network(self, network) -> None:
        self._training_mask = None  # a mask belongs to the network it was asked for
        self.edits_panel.set_network(network.sizes, self.model.edits)
        self._update_edit_actions()
        if self.model.edits_note:
            self.statusBar().showMessage(self.model.edits_note, 8000)
        elif self.model.edits.edits:
            self.statusBar().showMessage(f"{len(self.model.edits)} edit(s) of the trained network restored", 6000)

    def _update_edit_actions(self) -> None:
        # Undo and Redo stay enabled (a disabled action swallows its key silently); the panel's
        # buttons show what there is to undo.
        if hasattr(self, "reset_edits_action"):
            self.reset_edits_action.setEnabled(bool(self.model.edits.edits))

    def _show_weights_editor(self) -> None:
        """The selected neuron's weights, editable; only while idle (the table is long)."""
        selected = self.model.selected_neuron
        # Its tab shown only: a timeline move must not pay for ~800 rows nobody sees (the tab's
        # own change shows them, main_window._on_bottom_tab).
        if selected is None or self.model.mode != TrainingMode.IDLE or self.bottom.currentWidget() is not self.neuron_tab:
            return
        layer, k = selected
        network, last = self.network, len(self.network.sizes) - 1
        incoming = network.weights[layer - 1][k] if layer > 0 else None
        bias = float(network.biases[layer - 1][k]) if layer > 0 else None
        outgoing = network.weights[layer][:, k] if layer < last else None
        self.weights_editor.show_neuron(layer, k, incoming, bias, outgoing, 0 < layer < last, network.sizes)

    # -- training an edited network -----------------------------------------------------------------

    def _confirm_edits(self) -> bool:
        """Training an edited network: switched-off neurons stay off (a mask) or come back; either
        way the edited network becomes the new base and the list empties. False: cancelled."""
        model = self.model
        if not model.edits.applied:
            model.commit_edits()
            return True
        mask = model.training_mask()
        if mask is not None:
            answer = self.ask_keep_switched_off(len(model.edits.switched_off()))
            if answer == QtWidgets.QMessageBox.StandardButton.Cancel:
                return False
            keep = answer == QtWidgets.QMessageBox.StandardButton.Yes
        else:
            keep = False
        self.controller.shutdown()
        self._training_mask = mask if keep else None
        model.commit_edits()
        return True

    def ask_keep_switched_off(self, count: int) -> QtWidgets.QMessageBox.StandardButton:
        buttons = QtWidgets.QMessageBox.StandardButton
        neurons = "neuron" if count == 1 else f"{count} neurons"
        return QtWidgets.QMessageBox.question(
            self, "Train the edited network?",
            f"The switched-off {neurons} can stay off while it trains (Yes), or learn again from where "
            "they are (No). Either way the edited network becomes the one the edits start from.",
            buttons.Yes | buttons.No | buttons.Cancel, buttons.Yes)

