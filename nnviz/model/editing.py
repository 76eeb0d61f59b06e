"""What-if edits as part of the window's state: the trained network kept as the base, the list of
edits in force (with the steps of the backpropagation lesson applied to the network: one undo
history for both), and the network computed from the two.

A mixin of ``WindowModel`` (no Qt). Every change of the list recomputes the live network from the
base (``nnviz.core.edits.what_if``) and fires ``edits``, ``params`` and ``shown``, so that every
view follows an edit as it follows training; undoing restores the base's numbers bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.arrays import ForwardPass
from ..core.edits import Edit, EditError, EditList, Step, WhatIf, what_if
from ..core.evaluation import accuracy
from ..core.network import Network
from .causes import Cause

#: The metadata key a saved edited network lists its edits under.
EDITS_KEY = "edits"
#: ... and the trained network's values of the parameters the edits changed ({"indices", "values"}),
#: so that opening the file gives back the list with its exact base.
EDITS_BASE_KEY = "edits_base"


@dataclass(frozen=True)
class EditOutcome:
    """What an edit changed, for the status bar."""

    what: str
    test_before: float
    test_after: float

    def describe(self) -> str:
        return f"{self.what}: test accuracy {self.test_before:.1%} → {self.test_after:.1%}"


class Editing:
    """``base_network`` (None while nothing is edited) and ``edits``; mixed into WindowModel."""

    base_network: Network | None
    edits: EditList
    last_what_if: WhatIf | None
    #: Why an opened file's saved edits could not be restored as a list, or None.
    edits_note: str | None = None

    def _forget_edits(self) -> None:
        self.base_network, self.edits, self.last_what_if = None, EditList(), None
        self.metadata.pop(EDITS_KEY, None)
        self.metadata.pop(EDITS_BASE_KEY, None)

    # -- what a person does ----------------------------------------------------------------------

    def add_edit(self, edit: Edit) -> EditOutcome:
        """Make ``edit`` after the ones in force (undone ones are dropped); EditError if it does not fit."""
        return self.set_edits(self.edits.added(edit, self.network.sizes), edit.describe(self.network.sizes),
                              Cause.STEP if isinstance(edit, Step) else Cause.EDIT)

    def apply_step(self, params: np.ndarray, what: str) -> EditOutcome:
        """Make the live network's parameters ``params`` (a step of the lesson): one entry of the
        undo history, like an edit."""
        return self.add_edit(Step(np.array(params, self.network.dtype), what))

    def undo(self) -> EditOutcome | None:
        if not self.edits.can_undo:
            return None
        undone = self.edits.applied[-1]
        return self.set_edits(self.edits.undone(), f"Undo: {undone.describe(self.network.sizes)}", self._cause_of(undone))

    def redo(self) -> EditOutcome | None:
        if not self.edits.can_redo:
            return None
        redone = self.edits.edits[self.edits.position]
        return self.set_edits(self.edits.redone(), f"Redo: {redone.describe(self.network.sizes)}", self._cause_of(redone))

    def reset_edits(self) -> EditOutcome | None:
        if not self.edits.edits:
            return None
        return self.set_edits(self.edits.reset(), "Reset edits")

    @staticmethod
    def _cause_of(edit: Edit) -> Cause:
        return Cause.STEP if isinstance(edit, Step) else Cause.EDIT

    def set_edits(self, edits: EditList, what: str = "Edits", cause: Cause = Cause.EDIT) -> EditOutcome:
        """Show the base network with ``edits`` applied; the first edit keeps the network as it is
        now as the base. EditError (one line) if an edit does not fit; the time cursor goes to the
        network as it is now first (edits apply to that)."""
        for edit in edits.applied:
            edit.check(self.network.sizes)
        if self.base_network is None:
            self.base_network = self.network.copy()
        if self.last_what_if is not None:
            before = self.last_what_if.test_accuracy
        else:
            before = accuracy(self.base_network, self.dataset.test)
        x, _ = self.current_input()
        inputs = (x if x is not None else np.zeros(self.network.sizes[0], self.network.dtype)).reshape(1, -1)
        result = what_if(self.base_network, edits, self.dataset.validation, self.dataset.test, inputs)
        self.edits, self.last_what_if = edits, result
        self._note_edits(edits)
        self.metadata.update(validation_accuracy=result.validation_accuracy, test_accuracy=result.test_accuracy)
        self.progress = None  # the training cost so far was the network's before the edit
        self._emit(cause, "edits", "progress")
        self.set_params(result.network.params, cause)
        return EditOutcome(what, before, result.test_accuracy)

    # -- files ----------------------------------------------------------------------------------

    def restore_edits(self, entries, saved_base=None) -> str | None:
        """A file's saved edits (``metadata['edits']``) with the trained network's values of what
        they changed (``metadata['edits_base']``): when those values, with the edits applied again,
        give the file's parameters exactly, the list comes back with its base; otherwise the file's
        network is the base of a new list. Returns what to tell the person then, else None."""
        self._forget_edits()
        if entries is None:
            return None
        try:
            edits = EditList.from_metadata(entries, self.network.sizes)
        except EditError as error:
            return f"The file's edits cannot be read ({error}); its network is shown as saved."
        if not edits.applied:
            return None
        for base in (self._saved_base(saved_base), self._last_checkpoint()):
            if base is not None and np.array_equal(edits.apply(base).params, self.network.params):
                self.base_network, self.edits = base, edits
                self._note_edits(edits)
                return None
        return "The trained network before the file's edits is not in it: its edits start a new list."

    def _note_edits(self, edits: EditList) -> None:
        """What a saved file needs to give the list back: the edits after the last applied step,
        and the values of the network before them where the network now differs from it."""
        steps, later = edits.split_at_last_step()
        if not later.applied:
            self.metadata.pop(EDITS_KEY, None)
            self.metadata.pop(EDITS_BASE_KEY, None)
            return
        base = steps.apply(self.base_network)
        edited = later.apply(base)
        changed = np.flatnonzero(base.params != edited.params)
        self.metadata[EDITS_KEY] = later.to_metadata()
        self.metadata[EDITS_BASE_KEY] = {"indices": changed.tolist(),
                                         "values": base.params[changed].astype(float).tolist()}

    def _saved_base(self, saved) -> Network | None:
        try:
            indices = np.asarray(saved["indices"], dtype=np.int64)
            values = np.asarray(saved["values"], dtype=np.float64)
            if indices.shape != values.shape or indices.ndim != 1 or not np.isfinite(values).all():
                return None
            base = self.network.copy()
            base.params[indices] = values  # IndexError when an index is out of range
            return base
        except (TypeError, ValueError, KeyError, IndexError):
            return None

    def _last_checkpoint(self) -> Network | None:
        if not len(self.history):
            return None
        base = self.network.copy()
        base.params[:] = self.history.parameters(len(self.history) - 1)
        return base

    # -- what the edits mean elsewhere --------------------------------------------------------------

    def hold_switched_off(self, forward: ForwardPass) -> ForwardPass:
        """``forward`` with the switched-off neurons' activations at 0, as the picture shows them
        (the network only zeroes their outgoing weights, which gives the same outputs)."""
        if self.cursor is None:
            for layer, neuron in self.edits.switched_off():
                forward.activations[layer][:, neuron] = 0
        return forward

    def commit_edits(self, keep_switched_off: bool = False) -> None:
        """The edited network becomes the new base (before training it): the list empties. With
        ``keep_switched_off``, training holds the switched-off neurons at 0 (``training_mask``)."""
        self.training_mask = self.edits.mask_for(self.network) if keep_switched_off and self.edits.switched_off() else None
        if self.base_network is not None or self.edits.edits:
            self._forget_edits()
            self._emit(Cause.EDIT, "edits")

    def switched_off_mask(self) -> np.ndarray | None:
        """0 on the outgoing weights of the switched-off neurons, or None when none is off."""
        if not self.edits.switched_off():
            return None
        return self.edits.mask_for(self.network)
