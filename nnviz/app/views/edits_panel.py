"""What-if edits in the window: the list of edits with Undo/Redo/Reset, pruning, which neurons
matter, and one neuron's weights as an editable table.

The panel shows an ``EditList`` it is given (``show_edits``) and emits what the person asked for
(``undo_requested``, ``edit_made``, ...); it keeps no list of its own and never does the maths:
the ablation table arrives as an ``AblationTable`` through ``show_ablation``.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from ...core.edits import AblationTable, CutEdge, EditList, Prune, SetWeight, SwitchOff
from ...core.naming import neuron_name, shown
from ..shell import theme


ABLATION_PROMPT = "Which neurons matter: the accuracy with each hidden neuron switched off."


class EditsPanel(QtWidgets.QWidget):
    """The edits made so far (undone ones greyed), Undo/Redo/Reset, prune, which neurons matter."""

    undo_requested = QtCore.Signal()
    redo_requested = QtCore.Signal()
    reset_requested = QtCore.Signal()
    edit_made = QtCore.Signal(object)  # an Edit (a prune) to make after those in force
    neuron_chosen = QtCore.Signal(int, int)  # (layer, neuron) of a clicked row of the table
    ablation_requested = QtCore.Signal()

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
        for button, signal in ((self.undo_button, self.undo_requested), (self.redo_button, self.redo_requested),
                               (self.reset_button, self.reset_requested)):
            # A focused button would take Space from the window's Train/Pause shortcut.
            button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
            button.clicked.connect(signal)
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
        self.ablation_caption = QtWidgets.QLabel(ABLATION_PROMPT)
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

    # -- what the panel shows ---------------------------------------------------------------

    def show_edits(self, sizes: Sequence[int], edits: EditList) -> None:
        """The edits of a network of layer ``sizes`` (undone ones greyed)."""
        if tuple(sizes) != self.sizes:
            self.sizes = tuple(sizes)
            self.prune_layer.clear()
            for layer in range(1, len(self.sizes)):
                name = "the output layer" if layer == len(self.sizes) - 1 else f"layer {layer}"
                self.prune_layer.addItem(f"{name} ({self.sizes[layer - 1] * self.sizes[layer]:,} weights)", layer)
        self.edits = edits
        self._update_list()

    def show_ablation(self, table: AblationTable | None, current: bool = True,
                      dead: Sequence[tuple[int, int]] = ()) -> None:
        """The table, most needed neuron first (None: not measured); ``current`` False says it was
        measured on the network before the latest change; the ``dead`` neurons (layer, k), never
        active on the training set, are marked. Clicking a row emits ``neuron_chosen``."""
        if table is None:
            self.ablation_caption.setText(ABLATION_PROMPT)
            self.ablation.setRowCount(0)
            return
        note = "" if current else " <b>Out of date:</b> measured before the network last changed; Measure again."
        dead = set(dead)
        dead_note = f" <b>Dead</b>, never active on a training image: {len(dead)}." if dead else ""
        self.ablation_caption.setText(
            f"Which neurons matter: {table.split} accuracy with each hidden neuron switched off "
            f"(none off: {table.baseline:.2%}).{dead_note}{note}"
        )
        self.ablation.setEnabled(current)
        self.ablation.setRowCount(len(table.rows))
        worst = min((row.change for row in table.rows), default=0) or -1
        for i, row in enumerate(table.rows):
            is_dead = (row.layer, row.neuron) in dead
            cells = (f"layer {row.layer} · {shown(row.neuron)}" + (" · dead" if is_dead else ""), f"{row.accuracy:.2%}",
                     f"{row.change * 100:+.2f}%")
            for column, text in enumerate(cells):
                item = QtWidgets.QTableWidgetItem(text)
                item.setData(QtCore.Qt.ItemDataRole.UserRole, (row.layer, row.neuron))
                if is_dead:
                    item.setForeground(QtGui.QColor(theme.mix(theme.PANEL, theme.TEXT, 0.5)))
                    item.setToolTip("Dead: 0 for every training image; no gradient reaches its incoming weights")
                if column == 2:
                    # The bigger the loss, the redder: the table reads at a glance.
                    share = min(1.0, max(0.0, row.change / worst))
                    item.setBackground(QtGui.QColor(theme.mix(theme.PANEL, theme.NEGATIVE, 0.8 * share)))
                self.ablation.setItem(i, column, item)
        self.ablation.resizeColumnsToContents()
        self.ablation.resizeRowsToContents()

    # -- inside ---------------------------------------------------------------------------

    def _update_list(self) -> None:
        self.list.clear()
        for i, edit in enumerate(self.edits.edits):
            item = QtWidgets.QListWidgetItem(edit.describe(self.sizes))
            if i >= self.edits.position:
                item.setForeground(QtGui.QColor(theme.mix(theme.PANEL, theme.TEXT, 0.4)))
                item.setToolTip("Undone: Redo brings it back")
            self.list.addItem(item)
        if not self.edits.edits:
            self.list.addItem("No edits: this is the network as training left it.")
        self.undo_button.setEnabled(self.edits.can_undo)
        self.redo_button.setEnabled(self.edits.can_redo)
        self.reset_button.setEnabled(bool(self.edits.edits))
        self.prune_button.setEnabled(bool(self.sizes))

    def _on_prune_clicked(self) -> None:
        self.edit_made.emit(Prune(int(self.prune_layer.currentData()), float(self.prune_percent.value())))

    def _on_ablation_clicked(self, row: int, column: int) -> None:
        layer, neuron = self.ablation.item(row, column).data(QtCore.Qt.ItemDataRole.UserRole)
        self.neuron_chosen.emit(layer, neuron)


class NeuronWeightsEditor(QtWidgets.QWidget):
    """One neuron's incoming weights, bias and outgoing weights, each editable; for the neuron tab.

    Typing a value emits ``edit_made`` with a ``SetWeight`` (a 0 with a ``CutEdge``); the switch
    emits a ``SwitchOff`` for a hidden neuron. Whoever owns the network makes the edit and shows
    the neuron again with the edited network's numbers.
    """

    SWITCH_OFF = "Switch this neuron off"
    IS_OFF = "Switched off (Ctrl+Z brings it back)"

    edit_made = QtCore.Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.neuron: tuple[int, int] | None = None
        self._longest_label = ""  # of the rows shown: every row gets its height (_fit_rows)
        self.caption = QtWidgets.QLabel("Click a neuron to edit its weights.")
        self.caption.setWordWrap(True)
        self.caption.setMinimumWidth(140)
        self.switch_off_button = QtWidgets.QPushButton(self.SWITCH_OFF)
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
                    outgoing: np.ndarray | None, hidden: bool, sizes: Sequence[int], switched_off: bool = False,
                    editable: bool = True) -> None:
        """Neuron ``neuron`` of ``layer`` of a network of layer ``sizes``: ``incoming`` (n_{layer-1},)
        and ``bias`` (None for an input), ``outgoing`` (n_{layer+1},) (None for an output);
        ``hidden`` allows switching off, unless it is ``switched_off`` already; not ``editable``
        (training runs, or an earlier checkpoint is on show), the numbers can only be read."""
        name = neuron_name(sizes, layer, neuron)
        self.caption.setText(f"{name[0].upper()}{name[1:]}: its weights" + (" (type to edit, 0 cuts)" if editable
                                                                             else " (pause to edit)"))
        self.switch_off_button.setText(self.IS_OFF if switched_off else self.SWITCH_OFF)
        self.switch_off_button.setEnabled(hidden and not switched_off and editable)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.DoubleClicked
                                   | QtWidgets.QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QtWidgets.QAbstractItemView.EditTrigger.AnyKeyPressed if editable
                                   else QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        if self.neuron == (layer, neuron) and self.table.rowCount() == len(incoming if incoming is not None else ()) \
                + (incoming is not None) + len(outgoing if outgoing is not None else ()):
            self._show_values(incoming, bias, outgoing)
            return
        self.neuron = (layer, neuron)
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
            # four significant digits, never in exponent form ("-0.000001226", not "-1.226e-06")
            weight = QtWidgets.QTableWidgetItem(np.format_float_positional(float(value), precision=4, unique=False,
                                                                           fractional=False, trim="-"))
            weight.setData(QtCore.Qt.ItemDataRole.UserRole, target)
            self.table.setItem(i, 0, name)
            self.table.setItem(i, 1, weight)
        del blocker
        self._longest_label = max((label for label, _, _ in rows), key=len, default="")
        self._fit_rows()

    def _show_values(self, incoming, bias, outgoing) -> None:
        """The same neuron's rows with new numbers (training, an edit): no rows made or measured."""
        values = []
        if incoming is not None:
            values += list(np.asarray(incoming, float)) + [bias]
        if outgoing is not None:
            values += list(np.asarray(outgoing, float))
        blocker = QtCore.QSignalBlocker(self.table)
        for i, value in enumerate(values):
            item = self.table.item(i, 1)
            text = f"{float(value):.4g}"
            if item.text() != text:
                item.setText(text)
        del blocker

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
        # The labels' column as wide as the longest label, up to half the table: one line a row
        # wherever there is room (a short tab shows rows, not wrapped labels).
        table.setColumnWidth(0, min(metrics.horizontalAdvance(longest) + 16, max(table.viewport().width() // 2, 60)))
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
