"""What-if edits in the window: the list of edits with Undo/Redo/Reset, pruning, which neurons
matter, and one neuron's weights as an editable table.

The panel holds the ``EditList`` and emits ``edits_changed`` with the new one after every change;
whoever owns the network applies it (``nnviz.core.edits.what_if``) and redraws. The panel never
does the maths: the ablation table arrives as an ``AblationTable`` through ``show_ablation``.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from ...core.edits import AblationTable, CutEdge, Edit, EditError, EditList, Prune, SetWeight, SwitchOff
from ...core.naming import neuron_name, shown
from ..shell import theme


class EditsPanel(QtWidgets.QWidget):
    """The edits made so far (undone ones greyed), Undo/Redo/Reset, prune, which neurons matter."""

    edits_changed = QtCore.Signal(object)  # the new EditList
    neuron_chosen = QtCore.Signal(int, int)  # (layer, neuron) of a clicked row of the table
    ablation_requested = QtCore.Signal()
    failed = QtCore.Signal(str)  # an edit that does not fit, said for the user

    def __init__(self, parent=None):
        super().__init__(parent)
        self.sizes: tuple[int, ...] = ()
        self.edits = EditList()
        self.list = QtWidgets.QListWidget()
        self.list.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.NoSelection)
        self.undo_button = QtWidgets.QPushButton("Undo")
        self.undo_button.setToolTip("Undo the last edit (Ctrl+Z)")
        self.redo_button = QtWidgets.QPushButton("Redo")
        self.redo_button.setToolTip("Redo the edit undone last (Ctrl+Shift+Z)")
        self.reset_button = QtWidgets.QPushButton("Reset edits")
        self.reset_button.setToolTip("Back to the trained network")
        for button, slot in ((self.undo_button, self.undo), (self.redo_button, self.redo), (self.reset_button, self.reset)):
            # A focused button would take Space from the window's Train/Pause shortcut.
            button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
            button.clicked.connect(slot)
        self.prune_layer = QtWidgets.QComboBox()
        self.prune_percent = QtWidgets.QDoubleSpinBox()
        self.prune_percent.setRange(0, 100)
        self.prune_percent.setValue(50)
        self.prune_percent.setSuffix(" %")
        self.prune_button = QtWidgets.QPushButton("Prune")
        self.prune_button.setToolTip("Zero the weakest weights of this layer")
        self.prune_button.clicked.connect(self._on_prune_clicked)
        self.ablation = QtWidgets.QTableWidget(0, 3)
        self.ablation.setHorizontalHeaderLabels(["Neuron", "Without it", "Change"])
        self.ablation.verticalHeader().hide()
        self.ablation.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ablation.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.ablation.horizontalHeader().setStretchLastSection(True)
        self.ablation.cellClicked.connect(self._on_ablation_clicked)
        self.ablation_caption = QtWidgets.QLabel("Which neurons matter: the accuracy with each hidden neuron switched off.")
        self.ablation_caption.setWordWrap(True)
        self.measure_button = QtWidgets.QPushButton("Measure")
        self.measure_button.clicked.connect(self.ablation_requested)

        buttons = QtWidgets.QHBoxLayout()
        for button in (self.undo_button, self.redo_button, self.reset_button):
            buttons.addWidget(button)
        prune = QtWidgets.QHBoxLayout()
        prune.addWidget(QtWidgets.QLabel("Prune the weakest"))
        prune.addWidget(self.prune_percent)
        prune.addWidget(QtWidgets.QLabel("of"))
        prune.addWidget(self.prune_layer, 1)
        prune.addWidget(self.prune_button)
        left = QtWidgets.QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addLayout(buttons)
        left.addLayout(prune)
        right = QtWidgets.QVBoxLayout()
        heading = QtWidgets.QHBoxLayout()
        heading.addWidget(self.ablation_caption, 1)
        heading.addWidget(self.measure_button)
        right.addLayout(heading)
        right.addWidget(self.ablation, 1)
        layout = QtWidgets.QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        self._update_list()

    # -- what the window calls --------------------------------------------------------------

    def set_network(self, sizes: Sequence[int], edits: EditList | None = None) -> None:
        """A new network (or file) of these layer sizes, with its saved edits; the table is cleared."""
        self.sizes = tuple(sizes)
        self.edits = edits or EditList()
        self.prune_layer.clear()
        for layer in range(1, len(self.sizes)):
            name = "the output layer" if layer == len(self.sizes) - 1 else f"layer {layer}"
            self.prune_layer.addItem(f"{name} ({self.sizes[layer - 1] * self.sizes[layer]:,} weights)", layer)
        self.ablation.setRowCount(0)
        self._update_list()

    def add_edit(self, edit: Edit) -> bool:
        """Make ``edit`` after the ones in force; False (and ``failed``) if it does not fit."""
        try:
            self._change(self.edits.added(edit, self.sizes))
        except EditError as error:
            self.failed.emit(str(error))
            return False
        return True

    def undo(self) -> None:
        if self.edits.can_undo:
            self._change(self.edits.undone())

    def redo(self) -> None:
        if self.edits.can_redo:
            self._change(self.edits.redone())

    def reset(self) -> None:
        if self.edits.edits:
            self._change(self.edits.reset())

    def show_ablation(self, table: AblationTable) -> None:
        """Fill the table, most needed neuron first; clicking a row emits ``neuron_chosen``."""
        self.ablation_caption.setText(
            f"Which neurons matter: {table.split} accuracy with each hidden neuron switched off "
            f"(none off: {table.baseline:.2%})."
        )
        self.ablation.setRowCount(len(table.rows))
        worst = min((row.change for row in table.rows), default=0) or -1
        for i, row in enumerate(table.rows):
            cells = (f"layer {row.layer} · {shown(row.neuron)}", f"{row.accuracy:.2%}", f"{row.change * 100:+.2f}%")
            for column, text in enumerate(cells):
                item = QtWidgets.QTableWidgetItem(text)
                item.setData(QtCore.Qt.ItemDataRole.UserRole, (row.layer, row.neuron))
                if column == 2:
                    # The bigger the loss, the redder: the table reads at a glance.
                    share = min(1.0, max(0.0, row.change / worst))
                    item.setBackground(QtGui.QColor(theme.mix(theme.PANEL, theme.NEGATIVE, 0.8 * share)))
                self.ablation.setItem(i, column, item)
        self.ablation.resizeColumnsToContents()
        self.ablation.resizeRowsToContents()

    # -- inside ---------------------------------------------------------------------------

    def _change(self, edits: EditList) -> None:
        self.edits = edits
        self._update_list()
        self.edits_changed.emit(edits)

    def _update_list(self) -> None:
        self.list.clear()
        for i, edit in enumerate(self.edits.edits):
            item = QtWidgets.QListWidgetItem(edit.describe(self.sizes))
            if i >= self.edits.position:
                item.setForeground(QtGui.QColor(theme.mix(theme.PANEL, theme.TEXT, 0.4)))
                item.setToolTip("Undone: Redo brings it back")
            self.list.addItem(item)
        if not self.edits.edits:
            self.list.addItem("No edits: this is the trained network.")
        self.undo_button.setEnabled(self.edits.can_undo)
        self.redo_button.setEnabled(self.edits.can_redo)
        self.reset_button.setEnabled(bool(self.edits.edits))
        self.prune_button.setEnabled(bool(self.sizes))

    def _on_prune_clicked(self) -> None:
        self.add_edit(Prune(int(self.prune_layer.currentData()), float(self.prune_percent.value())))

    def _on_ablation_clicked(self, row: int, column: int) -> None:
        layer, neuron = self.ablation.item(row, column).data(QtCore.Qt.ItemDataRole.UserRole)
        self.neuron_chosen.emit(layer, neuron)


class NeuronWeightsEditor(QtWidgets.QWidget):
    """One neuron's incoming weights, bias and outgoing weights, each editable; for the neuron tab.

    Typing a value emits ``edit_made`` with a ``SetWeight`` (a 0 with a ``CutEdge``); the switch
    emits a ``SwitchOff`` for a hidden neuron. The caller passes the edit to ``EditsPanel.add_edit``
    and then shows the neuron again with the edited network's numbers.
    """

    edit_made = QtCore.Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.neuron: tuple[int, int] | None = None
        self._longest_label = ""  # of the rows shown: every row gets its height (_fit_rows)
        self.caption = QtWidgets.QLabel("Click a neuron to edit its weights.")
        self.caption.setWordWrap(True)
        self.caption.setMinimumWidth(140)
        self.switch_off_button = QtWidgets.QPushButton("Switch this neuron off")
        self.switch_off_button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.switch_off_button.clicked.connect(self._on_switch_off_clicked)
        self.table = QtWidgets.QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Edge", "Weight"])
        # Said here, not in the caption: the tab is narrow on a small screen.
        self.table.setToolTip("Type a new value and press Enter; 0 cuts the edge")
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemChanged.connect(self._on_item_changed)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.caption, 1)
        top.addWidget(self.switch_off_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.switch_off_button.setEnabled(False)

    def show_neuron(self, layer: int, neuron: int, incoming: np.ndarray | None, bias: float | None,
                    outgoing: np.ndarray | None, hidden: bool, sizes: Sequence[int]) -> None:
        """Neuron ``neuron`` of ``layer`` of a network of layer ``sizes``: ``incoming`` (n_{layer-1},)
        and ``bias`` (None for an input), ``outgoing`` (n_{layer+1},) (None for an output);
        ``hidden`` allows switching off."""
        self.neuron = (layer, neuron)
        name = neuron_name(sizes, layer, neuron)
        self.caption.setText(f"{name[0].upper()}{name[1:]}: its weights (type to edit, 0 cuts)")
        self.switch_off_button.setEnabled(hidden)
        rows = []  # (label, value, (layer of the edge's target, target, source))
        if incoming is not None:
            rows += [(f"{neuron_name(sizes, layer - 1, k)} → this", w, (layer, neuron, k)) for k, w in enumerate(incoming)]
            rows.append(("bias", bias, (layer, neuron, None)))
        if outgoing is not None:
            rows += [(f"this → {neuron_name(sizes, layer + 1, j)}", w, (layer + 1, j, neuron)) for j, w in enumerate(outgoing)]
        blocker = QtCore.QSignalBlocker(self.table)
        self.table.setRowCount(len(rows))
        for i, (label, value, target) in enumerate(rows):
            name = QtWidgets.QTableWidgetItem(label)
            name.setFlags(name.flags() & ~QtCore.Qt.ItemFlag.ItemIsEditable)
            weight = QtWidgets.QTableWidgetItem(f"{float(value):.4g}")
            weight.setData(QtCore.Qt.ItemDataRole.UserRole, target)
            self.table.setItem(i, 0, name)
            self.table.setItem(i, 1, weight)
        del blocker
        self._longest_label = max((label for label, _, _ in rows), key=len, default="")
        self._fit_rows()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_rows()

    def _fit_rows(self) -> None:
        # "neuron 16 of layer 1 → this" wraps in a narrow tab. The labels are alike, so every row
        # gets the height of the longest: resizeRowsToContents measured ~800 rows one by one, tens
        # of milliseconds at each timeline move.
        table, longest = self.table, self._longest_label
        if not longest:
            return
        metrics = table.fontMetrics()
        room = max(table.columnWidth(0) - 12, 1)
        lines = min(3, -(-metrics.horizontalAdvance(longest) // room))
        table.verticalHeader().setDefaultSectionSize(lines * metrics.lineSpacing() + 8)

    def _on_item_changed(self, item: QtWidgets.QTableWidgetItem) -> None:
        target = item.data(QtCore.Qt.ItemDataRole.UserRole)
        if target is None:
            return
        try:
            value = float(item.text().strip().replace("−", "-"))
        except ValueError:
            return
        layer, neuron, source = target
        if value == 0 and source is not None:
            self.edit_made.emit(CutEdge(layer, neuron, source))
        else:
            self.edit_made.emit(SetWeight(layer, neuron, source, value))

    def _on_switch_off_clicked(self) -> None:
        if self.neuron is not None:
            self.edit_made.emit(SwitchOff(*self.neuron))
