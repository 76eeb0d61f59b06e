"""What-if edits of a trained network: switch a neuron off, cut an edge, set a weight, prune.

An edit is a small frozen value; an ``EditList`` is the edits made so far plus how many of them
are in force, so that undo and redo only move that count. Edits never change the network they
are given: ``EditList.apply(network)`` returns an edited copy, recomputed from the original
every time, so undoing gives back the original's parameters bit for bit.

Neurons are named (layer, neuron) with layer 0 the input and L the output, as on the picture;
an edge is named by the neuron it enters (layer 1..L, neuron) and the ``source`` neuron of the
layer before. Indices count from 0; ``describe`` words them as a person counts (``core.naming``).

A switched-off neuron's activation is held at 0. The network's layers only see a hidden
neuron's activation through its outgoing weights, so holding it at 0 is the same as zeroing
the column of W[layer + 1] it multiplies: that is how it is applied, after all other edits, so
that a later weight edit cannot switch it back on behind the user's back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence, Union

import numpy as np

from .arrays import layer_views
from .data import Split
from .errors import NnvizError
from .evaluation import accuracy, confusion_matrix, predictions
from .naming import neuron_name, shown
from .network import Network, parameter_count


class EditError(NnvizError, ValueError):
    """An edit that does not fit the network, or a damaged list of edits in a file."""


def _check_neuron(sizes: Sequence[int], layer: int, neuron: int, layers: range, what: str) -> None:
    if layer not in layers:
        raise EditError(f"{what}: layer {layer} is not one of {layers.start}..{layers.stop - 1}")
    if not 0 <= neuron < sizes[layer]:
        raise EditError(f"{what}: layer {layer} has neurons 0..{sizes[layer] - 1}, not {neuron}")


@dataclass(frozen=True)
class SwitchOff:
    """Hold hidden neuron ``neuron`` of ``layer`` (1..L-1) at activation 0."""

    layer: int
    neuron: int
    kind = "switch_off"

    def check(self, sizes: Sequence[int]) -> None:
        _check_neuron(sizes, self.layer, self.neuron, range(1, len(sizes) - 1), "switch off")

    def apply(self, network: Network, mask: list[np.ndarray]) -> None:
        network.weights[self.layer][:, self.neuron] = 0
        mask[self.layer][:, self.neuron] = 0

    def describe(self, sizes: Sequence[int]) -> str:
        return f"Switch off neuron {shown(self.neuron)} of layer {self.layer}"


@dataclass(frozen=True)
class CutEdge:
    """Set the weight from ``source`` (layer - 1) into ``neuron`` (layer, 1..L) to 0."""

    layer: int
    neuron: int
    source: int
    kind = "cut_edge"

    def check(self, sizes: Sequence[int]) -> None:
        _check_neuron(sizes, self.layer, self.neuron, range(1, len(sizes)), "cut edge")
        _check_neuron(sizes, self.layer - 1, self.source, range(0, len(sizes) - 1), "cut edge")

    def apply(self, network: Network, mask: list[np.ndarray]) -> None:
        network.weights[self.layer - 1][self.neuron, self.source] = 0
        mask[self.layer - 1][self.neuron, self.source] = 0

    def describe(self, sizes: Sequence[int]) -> str:
        return f"Cut the edge {neuron_name(sizes, self.layer - 1, self.source)} → {neuron_name(sizes, self.layer, self.neuron)}"


@dataclass(frozen=True)
class SetWeight:
    """Set the weight from ``source`` into ``neuron`` of ``layer`` to ``value``; ``source`` None is the bias."""

    layer: int
    neuron: int
    source: int | None
    value: float
    kind = "set_weight"

    def check(self, sizes: Sequence[int]) -> None:
        _check_neuron(sizes, self.layer, self.neuron, range(1, len(sizes)), "set weight")
        if self.source is not None:
            _check_neuron(sizes, self.layer - 1, self.source, range(0, len(sizes) - 1), "set weight")
        if not np.isfinite(self.value):
            raise EditError(f"set weight: {self.value} is not a finite number")

    def apply(self, network: Network, mask: list[np.ndarray]) -> None:
        column = -1 if self.source is None else self.source
        network.layers[self.layer - 1][self.neuron, column] = self.value
        mask[self.layer - 1][self.neuron, column] = 1

    def describe(self, sizes: Sequence[int]) -> str:
        target = neuron_name(sizes, self.layer, self.neuron)
        if self.source is None:
            return f"Set the bias of {target} to {self.value:.3g}"
        return f"Set the weight {neuron_name(sizes, self.layer - 1, self.source)} → {target} to {self.value:.3g}"


@dataclass(frozen=True)
class Prune:
    """Zero the ``percent``% of W[layer]'s weights (layer 1..L) smallest in size (biases stay).

    The weakest are chosen among the layer's weights as they are when the edit is applied (after
    the edits before it); ties go to the weight first in the layer's row-major order.
    """

    layer: int
    percent: float
    kind = "prune"

    def check(self, sizes: Sequence[int]) -> None:
        if self.layer not in range(1, len(sizes)):
            raise EditError(f"prune: layer {self.layer} is not one of 1..{len(sizes) - 1}")
        if not 0 <= self.percent <= 100:
            raise EditError(f"prune: {self.percent}% is not between 0 and 100")

    def weakest(self, weights: np.ndarray) -> np.ndarray:
        """Flat indices into ``weights`` of the weights this edit zeroes."""
        count = int(round(weights.size * self.percent / 100))
        return np.argsort(np.abs(weights), axis=None, kind="stable")[:count]

    def apply(self, network: Network, mask: list[np.ndarray]) -> None:
        weights = network.weights[self.layer - 1]
        rows, columns = np.unravel_index(self.weakest(weights), weights.shape)
        weights[rows, columns] = 0
        mask[self.layer - 1][rows, columns] = 0

    def describe(self, sizes: Sequence[int]) -> str:
        return f"Prune the weakest {self.percent:g}% of layer {self.layer}'s weights"


@dataclass(frozen=True, eq=False)
class Step:
    """A step of gradient descent applied to the network: its parameters become ``params`` (flat,
    laid out as ``Network.params``, computed from the network the edits before it gave). ``what``
    says which step, for the list of edits.

    It sits in the same list as the what-if edits, so that one undo history holds both; replaying
    the list gives the same network before it, so the step's parameters are exact. It is not
    saved in a file's list of edits (see ``EditList.split_at_last_step``)."""

    params: np.ndarray
    what: str = "a step of gradient descent"
    kind = "step"

    def check(self, sizes: Sequence[int]) -> None:
        if self.params.shape != (parameter_count(sizes),):
            raise EditError(f"a step of {self.params.shape} parameters does not fit layers {tuple(sizes)}")

    def apply(self, network: Network, mask: list[np.ndarray]) -> None:
        network.params[:] = self.params

    def describe(self, sizes: Sequence[int]) -> str:
        return f"Applied {self.what}"


Edit = Union[SwitchOff, CutEdge, SetWeight, Prune, Step]
EDIT_KINDS = {kind.kind: kind for kind in (SwitchOff, CutEdge, SetWeight, Prune)}
#: A file listing more edits than this is damaged, not a user's afternoon.
MAX_EDITS = 10_000


@dataclass(frozen=True)
class EditList:
    """Edits in the order made; the first ``position`` are in force, the rest can be redone."""

    edits: tuple[Edit, ...] = ()
    position: int = 0

    @property
    def applied(self) -> tuple[Edit, ...]:
        return self.edits[: self.position]

    @property
    def can_undo(self) -> bool:
        return self.position > 0

    @property
    def can_redo(self) -> bool:
        return self.position < len(self.edits)

    def __len__(self) -> int:
        return self.position

    def added(self, edit: Edit, sizes: Sequence[int]) -> EditList:
        """These edits with ``edit`` after the ones in force (undone ones are dropped)."""
        edit.check(sizes)
        return EditList(self.applied + (edit,), self.position + 1)

    def undone(self) -> EditList:
        return replace(self, position=max(0, self.position - 1))

    def redone(self) -> EditList:
        return replace(self, position=min(len(self.edits), self.position + 1))

    def reset(self) -> EditList:
        return EditList()

    def switched_off(self) -> list[tuple[int, int]]:
        """The (layer, neuron) switched off by the edits in force, in order, without repeats."""
        return list(dict.fromkeys((e.layer, e.neuron) for e in self.applied if isinstance(e, SwitchOff)))

    def _apply_in_place(self, network: Network) -> np.ndarray:
        mask = np.ones_like(network.params)
        layers = layer_views(mask, network.sizes)
        for edit in self.applied:
            edit.check(network.sizes)
            edit.apply(network, layers)
        for edit in self.applied:
            if isinstance(edit, SwitchOff):
                edit.apply(network, layers)
        return mask

    def apply(self, network: Network) -> Network:
        """A copy of ``network`` with the edits in force applied; ``network`` is unchanged."""
        edited = network.copy()
        self._apply_in_place(edited)
        return edited

    def mask_for(self, network: Network, *, neurons_only: bool = True) -> np.ndarray:
        """A flat 0/1 array laid out as ``network.params``: 0 where the edits hold a parameter at 0.

        With ``neurons_only`` only the outgoing weights of switched-off neurons are 0 (what keeps
        them off during training); otherwise cut and pruned weights too. A trainer keeps the
        edits by multiplying the parameters (and any momentum) by the mask after each step.
        """
        if neurons_only:
            mask = np.ones_like(network.params)
            layers = layer_views(mask, network.sizes)
            for layer, neuron in self.switched_off():
                layers[layer][:, neuron] = 0
            return mask
        return self._apply_in_place(network.copy())

    def split_at_last_step(self) -> tuple[EditList, EditList]:
        """(the edits in force up to the last applied step, those after it): a file keeps the
        network before the second part as the base of its list, and that part as its list."""
        steps = [i for i, e in enumerate(self.applied) if isinstance(e, Step)]
        cut = steps[-1] + 1 if steps else 0
        before, after = self.applied[:cut], self.applied[cut:]
        return EditList(before, len(before)), EditList(after, len(after))

    def to_metadata(self) -> list[dict]:
        """The edits in force as JSON-ready dicts (undone ones are not saved; nor are steps:
        save the part after the last step, see ``split_at_last_step``)."""
        if any(isinstance(e, Step) for e in self.applied):
            raise EditError("a list with applied steps is saved from its last step on (split_at_last_step)")
        return [{"kind": e.kind, **{k: v for k, v in vars(e).items()}} for e in self.applied]

    @classmethod
    def from_metadata(cls, entries, sizes: Sequence[int]) -> EditList:
        """The edits saved by ``to_metadata``, each checked against ``sizes``; EditError if damaged."""
        if not isinstance(entries, list) or len(entries) > MAX_EDITS:
            raise EditError(f"the saved edits are not a list of at most {MAX_EDITS:,} entries")
        edits = []
        for i, entry in enumerate(entries):
            try:
                fields = dict(entry)
                kind = EDIT_KINDS[fields.pop("kind")]
                edit = kind(**fields)
            except (KeyError, TypeError, ValueError):
                raise EditError(f"saved edit {i + 1} is not an edit nnviz knows: {entry!r:.80}") from None
            _check_types(edit, i)
            edit.check(sizes)
            edits.append(edit)
        return cls(tuple(edits), len(edits))


def _check_types(edit: Edit, i: int) -> None:
    for name, value in vars(edit).items():
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not (number or (value is None and name == "source" and isinstance(edit, SetWeight))):
            raise EditError(f"saved edit {i + 1} has {name} = {value!r:.40}, not a number")
        if name in ("layer", "neuron", "source") and value is not None and not isinstance(value, int):
            raise EditError(f"saved edit {i + 1} has {name} = {value!r:.40}, not a whole number")


# -- what the edits do ------------------------------------------------------------------------


@dataclass(frozen=True)
class NeuronAblation:
    """The accuracy with hidden neuron (layer, neuron) switched off, and its change from none off."""

    layer: int
    neuron: int
    accuracy: float
    change: float


@dataclass(frozen=True)
class AblationTable:
    """The accuracy of the whole network and with each hidden neuron off in turn, most harmful first."""

    split: str
    baseline: float
    rows: tuple[NeuronAblation, ...] = field(default=())


def ablation_table(network: Network, split: Split) -> AblationTable:
    """Switch each hidden neuron off in turn (alone) and measure the accuracy on ``split``.

    Sorted by accuracy, lowest first: the neurons the network needs most come first; ties keep
    the network's order.
    """
    baseline = accuracy(network, split)
    edited = network.copy()
    rows = []
    for layer in range(1, len(network.sizes) - 1):
        outgoing = edited.weights[layer]
        for neuron in range(network.sizes[layer]):
            kept = outgoing[:, neuron].copy()
            outgoing[:, neuron] = 0
            value = accuracy(edited, split)
            outgoing[:, neuron] = kept
            rows.append(NeuronAblation(layer, neuron, value, value - baseline))
    rows.sort(key=lambda row: row.accuracy)
    return AblationTable(split.name, baseline, tuple(rows))


@dataclass(frozen=True)
class WhatIf:
    """An edited network and everything the window shows about it."""

    network: Network
    outputs: np.ndarray  # (n, n_L): the output layer for the examples asked about
    validation_accuracy: float
    test_accuracy: float
    confusion: np.ndarray  # (n_L, n_L) on the test set: row = true class, column = answer


def what_if(network: Network, edits: EditList, validation: Split, test: Split, inputs: np.ndarray) -> WhatIf:
    """Apply ``edits`` to a copy of ``network`` and recompute what depends on the parameters.

    ``inputs`` (n, n_0), scaled to [0, 1], are the examples on show (the selected image or the
    drawing).
    """
    edited = edits.apply(network)
    answers = predictions(edited, test)
    return WhatIf(
        network=edited,
        outputs=edited.output(inputs),
        validation_accuracy=accuracy(edited, validation),
        test_accuracy=float((answers == test.labels).mean()) if len(test) else 0.0,
        confusion=confusion_matrix(test.labels, answers, edited.sizes[-1]),
    )
