"""The state the window shows, in one place: views follow it, controls change it.

In the manner of napari's ``ViewerModel``: no Qt, every change goes through a method that fires
an event after the state changed (``model.events.<name>``, handlers get the new value). The
window connects its views' ``_on_*`` handlers; a new view (a timeline, a comparison) is one more
subscriber.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

import numpy as np

from ..core.arrays import ForwardPass
from ..core.data import Dataset
from ..core.edits import EditList
from ..core.evaluation import predictions
from ..core.history import RunHistory
from ..core.network import Network
from .browsing import Filters, candidates, step_to
from .comparison import Comparison
from .editing import EDITS_BASE_KEY, EDITS_KEY, Editing
from .events import EventGroup
from .options import TrainingOptions
from .time_cursor import TimeCursor

#: How many checkpoints' answers (per split) are kept while scrubbing: 10,000 answers each.
CHECKPOINT_PREDICTIONS = 128

#: What a file that is not on disk (the bundled network) is called in the title.
PRETRAINED_NAME = "pretrained MNIST network"

EVENTS = (
    "dataset",    # a dataset replaced the old one
    "network",    # another network (new, opened): everything is redrawn
    "params",     # the same network's parameters changed (training, a step, the timeline)
    "file",       # the path, the name or the dirty flag changed: the title
    "example",    # another example, or the drawing changed
    "filters",    # the browse filters changed
    "neuron",     # the selected neuron, (layer, k) or None
    "mode",       # the training mode changed
    "options",    # the training options changed
    "progress",   # where training stands (epoch, mini-batch, running cost)
    "epoch",      # an epoch ended: the per-epoch numbers changed
    "history",    # the run's record was replaced (opened, trained further, cut)
    "cursor",     # the time cursor moved: a checkpoint index, or None for the network as it is now
    "comparison", # a second run to compare with was opened or closed (its Comparison, or None)
    "edits",      # the what-if edits in force changed (the EditList); params follows
)


class Source(StrEnum):
    DATASET = "dataset"
    DRAWING = "drawing"


class TrainingMode(StrEnum):
    """What the trainer is doing; a str, so that it prints and compares as its name."""

    IDLE = "idle"
    RUNNING = "running"  # until paused or the epoch target is reached
    BATCHES = "batches"  # a given number of mini-batches, then idle
    EPOCH = "epoch"      # to the end of the current epoch, then idle


@dataclass(frozen=True)
class Example:
    """The example on show: an index into a split, or the drawing."""

    source: Source = Source.DATASET
    split: str = "test"
    index: int = 0


@dataclass(frozen=True)
class Progress:
    """Where training stands; ``batch`` counts from 1 within ``epoch`` (which counts from 1)."""

    epoch: int
    batch: int
    batches_per_epoch: int
    running_cost: float = math.nan


@dataclass(frozen=True)
class Reading:
    """The example run through the network: ``answer`` and ``label`` None when there is none."""

    forward: ForwardPass
    answer: int | None
    label: int | None

    @property
    def correct(self) -> bool:
        return self.answer is not None and self.answer == self.label


class WindowModel(TimeCursor, Editing):
    """The network and its run, the example and neuron on show, the filters, the training state."""

    def __init__(self, dataset: Dataset, network: Network, path: Path | None = None, metadata: dict | None = None,
                 name: str | None = None, seed: int | None = None, history: RunHistory | None = None):
        self.events = EventGroup(*EVENTS)
        self.dataset = dataset
        self.network = network
        self.path: Path | None = None
        self.name = "untitled"
        self.metadata: dict = {}
        self.dirty = False
        self.epochs_done = 0
        self.example = Example()
        self.filters = Filters()
        self.drawing: np.ndarray | None = None
        self.selected_neuron: tuple[int, int] | None = None
        self.mode = TrainingMode.IDLE
        self.options = TrainingOptions()
        self.progress: Progress | None = None
        self.history = RunHistory()
        #: The checkpoint on show, or None for the network as it is now (the live end).
        self.cursor: int | None = None
        self._live_params: np.ndarray | None = None
        #: How to continue the opened file's run exactly (a TrainerState), until training starts.
        self.trainer_state = None
        self.comparison: Comparison | None = None
        self._predictions: dict[str, np.ndarray] = {}
        #: Answers at checkpoints already shown, so that scrubbing back and forth or replaying
        #: again recomputes nothing: (id of the checkpoint, split) -> (the checkpoint, answers).
        #: The checkpoint is kept with them: it is immutable, and its id cannot be reused meanwhile.
        self._checkpoint_predictions: dict[tuple[int, str], tuple[np.ndarray, np.ndarray]] = {}
        self._rng = np.random.default_rng(seed)
        self.base_network = None
        self.edits = EditList()
        self.last_what_if = None
        self.set_network(network, path, metadata, name, history)

    # -- the network and its file ----------------------------------------------------------------

    def misfit(self, sizes) -> str | None:
        """None when a network of layer ``sizes`` fits the dataset on show, else why not."""
        return self.dataset.misfit(sizes)

    def set_network(self, network: Network, path: Path | None = None, metadata: dict | None = None,
                    name: str | None = None, history: RunHistory | None = None) -> None:
        """Show ``network`` (new or opened) and its run's ``history``: forgets the old one's
        selection, progress, numbers and time cursor."""
        self.network = network
        self.history = history if history is not None else RunHistory()
        self.trainer_state = None
        self.cursor, self._live_params = None, None
        self.path = Path(path) if path else None
        self.metadata = dict(metadata or {})
        self.name = self.path.name if self.path else (name or "untitled")
        self.epochs_done = int(self.metadata.get("epochs_trained", 0) or 0)
        self.selected_neuron = None
        self.progress = None
        self.dirty = False
        self._predictions.clear()
        self._checkpoint_predictions.clear()
        # An opened file's edits come back as a list when its run holds the network before them.
        self.edits_note = self.restore_edits(self.metadata.get(EDITS_KEY), self.metadata.get(EDITS_BASE_KEY))
        self.events.network.emit(network)
        self.events.history.emit(self.history)
        self.events.cursor.emit(None)
        self.events.file.emit(self.title)
        self.events.neuron.emit(None)
        self.events.progress.emit(None)
        self.events.example.emit(self.example)

    def params_changed(self, dirty: bool = True) -> None:
        """The parameters of ``network`` were changed in place."""
        self._predictions.clear()
        self.events.params.emit(self.network)
        if dirty:
            self.set_dirty(True)

    def set_params(self, params: np.ndarray, dirty: bool = True) -> None:
        """New parameters for the network as it is now (training, an applied step); the time
        cursor goes back to the live end."""
        if self.cursor is not None:
            self.cursor, self._live_params = None, None
            self.events.cursor.emit(None)
        self.network.params[:] = params
        if self.comparison is not None:
            self.comparison.follow(self.position)
        self.params_changed(dirty)

    def set_dirty(self, dirty: bool) -> None:
        if dirty != self.dirty:
            self.dirty = dirty
            self.events.file.emit(self.title)

    def saved_as(self, path: Path, metadata: dict) -> None:
        self.path, self.name, self.metadata = Path(path), Path(path).name, dict(metadata)
        self.dirty = False
        self.events.file.emit(self.title)

    @property
    def title(self) -> str:
        """The window title, with Qt's ``[*]`` where the unsaved-changes mark goes."""
        return f"{self.name}[*] — {self.dataset.name} — nnviz"

    def set_dataset(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.example = replace(self.example, index=0)
        self.filters = Filters(self.filters.split)
        self._predictions.clear()
        self._checkpoint_predictions.clear()
        self.events.dataset.emit(dataset)
        self.events.filters.emit(self.filters)

    # -- a second run ------------------------------------------------------------------------------------

    def compare_with(self, name: str, network: Network, history: RunHistory) -> None:
        """Show another run beside this one; ValueError (one line) if it cannot read this dataset."""
        reason = self.misfit(network.sizes)
        if reason:
            raise ValueError(reason)
        self.comparison = Comparison.of(name, network, history)
        self.comparison.follow(self.position)
        self.events.comparison.emit(self.comparison)

    def close_comparison(self) -> None:
        if self.comparison is not None:
            self.comparison = None
            self.events.comparison.emit(None)

    # -- the example on show -------------------------------------------------------------------------

    def split_predictions(self, name: str | None = None) -> np.ndarray:
        """The network's answers for a whole split, computed once per state of the parameters."""
        name = name or self.filters.split
        if name in self._predictions:
            return self._predictions[name]
        key = checkpoint = None
        if self.cursor is not None:
            checkpoint = self.history.parameters(self.cursor)
            key = (id(checkpoint), name)
            if key in self._checkpoint_predictions:
                self._predictions[name] = self._checkpoint_predictions[key][1]
                return self._predictions[name]
        answers = self._predictions[name] = predictions(self.network, self.dataset.split(name))
        if key is not None:
            if len(self._checkpoint_predictions) >= CHECKPOINT_PREDICTIONS:
                self._checkpoint_predictions.pop(next(iter(self._checkpoint_predictions)))
            self._checkpoint_predictions[key] = (checkpoint, answers)
        return answers

    def candidates(self) -> np.ndarray:
        """The indices the filters let through in their split."""
        split = self.dataset.split(self.filters.split)
        answers = self.split_predictions() if self.filters.needs_predictions else None
        return candidates(split.labels, self.filters, answers)

    def browse(self, step: int) -> int:
        """Next (+1), previous (-1) or a random (0) example the filters let through; switches to
        the dataset. Returns how many examples pass the filters (0: none, nothing moved)."""
        indices = self.candidates()
        current = self.example.index if self.example.split == self.filters.split else -1
        chosen = step_to(indices, current, step, self._rng)
        if chosen is None:
            return 0
        self._set_example(Example(Source.DATASET, self.filters.split, chosen))
        return len(indices)

    def go_to(self, index: int, split: str | None = None) -> None:
        split = split or self.filters.split
        self._set_example(Example(Source.DATASET, split, index % len(self.dataset.split(split))))

    def set_filters(self, filters: Filters) -> int:
        """Browse with ``filters`` from the start of their split; returns how many pass."""
        self.filters = filters
        self.events.filters.emit(filters)
        self.example = replace(self.example, split=filters.split, index=-1)
        found = self.browse(+1)
        if not found:
            self._set_example(Example(Source.DATASET, filters.split, 0))
        return found

    def set_source(self, source: Source) -> None:
        self._set_example(replace(self.example, source=Source(source)))

    def set_drawing(self, x: np.ndarray | None) -> None:
        """The drawing as the network's input (n_0,), or None while there is no digit to read."""
        self.drawing = None if x is None else np.asarray(x)
        if self.example.source == Source.DRAWING:
            self.events.example.emit(self.example)

    def _set_example(self, example: Example) -> None:
        if example.source == Source.DATASET:
            example = replace(example, index=example.index % len(self.dataset.split(example.split)))
        self.example = example
        self.events.example.emit(example)

    def current_input(self) -> tuple[np.ndarray | None, int | None]:
        """The input on show (n_0,) and its label (None for the drawing, or no digit drawn)."""
        if self.example.source == Source.DRAWING:
            return (None if self.drawing is None else self.drawing.astype(self.network.dtype)), None
        split = self.dataset.split(self.example.split)
        return split.inputs(self.example.index, self.network.dtype), int(split.labels[self.example.index])

    def reading(self) -> Reading:
        """The example on show run through the network."""
        x, label = self.current_input()
        if x is None:
            return Reading(self.network.forward(np.zeros(self.network.sizes[0], self.network.dtype)), None, None)
        forward = self.hold_switched_off(self.network.forward(x))
        return Reading(forward, int(forward.output[0].argmax()), label)

    def confidence(self, output: np.ndarray) -> float:
        """The answer's own output activation, as on its neuron: not a share of the ten outputs'
        sum, which under squared error is no probability and reads much lower (0.69 -> 13%)."""
        return float(output.max())

    def select_neuron(self, selected: tuple[int, int] | None) -> None:
        self.selected_neuron = None if selected is None else (int(selected[0]), int(selected[1]))
        self.events.neuron.emit(self.selected_neuron)

    # -- training --------------------------------------------------------------------------------------

    def set_options(self, options: TrainingOptions) -> None:
        if options != self.options:
            self.options = options
            self.events.options.emit(options)

    def set_mode(self, mode: TrainingMode) -> None:
        mode = TrainingMode(mode)
        if mode != self.mode:
            self.mode = mode
            self.events.mode.emit(mode)

    def epoch_target(self) -> int:
        """The epoch Train stops at: Epochs in all; once that many are done, Epochs more."""
        epochs = self.options.epochs
        return epochs if self.epochs_done < epochs else self.epochs_done + epochs

    def set_progress(self, progress: Progress | None) -> None:
        self.progress = progress
        self.events.progress.emit(progress)

    def end_epoch(self, epoch: int, training_cost: float, validation_accuracy: float,
                  test_accuracy: float | None) -> None:
        self.epochs_done = epoch
        self.metadata.update(epochs_trained=epoch, training_cost=training_cost,
                             validation_accuracy=validation_accuracy, test_accuracy=test_accuracy)
        self.events.epoch.emit(epoch)

    def readout(self) -> str:
        """One line of where the network stands, from the current numbers only."""
        parts = [f"{self.epochs_done} epoch{'s' if self.epochs_done != 1 else ''} trained"]
        if self.progress is not None and math.isfinite(self.progress.running_cost):
            # Three significant digits: a cost of 0.0095 is not "0.0095" but 0.00949.
            parts.append(f"cost {self.progress.running_cost:#.3g}")
        if self.metadata.get("validation_accuracy") is not None:
            parts.append(f"validation {self.metadata['validation_accuracy']:.2%}")
        if self.metadata.get("test_accuracy") is not None:
            parts.append(f"test {self.metadata['test_accuracy']:.2%}")
        return " · ".join(parts)

    def progress_text(self) -> tuple[int, int, str]:
        """(value, maximum, text) for a progress bar: the mini-batch in the epoch under way, or
        nothing under way yet."""
        p = self.progress
        if p is None or not p.batches_per_epoch:
            return 0, 1, f"{self.epochs_done} epoch{'s' if self.epochs_done != 1 else ''} trained"
        return p.batch, p.batches_per_epoch, f"epoch {p.epoch}: {p.batch:,} / {p.batches_per_epoch:,} mini-batches"

    def training_metadata(self) -> dict:
        """What a saved file says about the network besides its run and options (those have
        entries of their own in the file)."""
        info = {k: v for k, v in self.metadata.items()
                if k not in ("format", "version", "sizes", "activation", "cost", "created", "training", "history",
                             "state", "trainer_state")}
        info.setdefault("dataset", self.dataset.name)
        info["epochs_trained"] = self.epochs_done
        return info

    def live_network(self) -> Network:
        """The network as it is now (not the checkpoint the cursor shows)."""
        if self.cursor is None:
            return self.network
        live = self.network.copy()
        live.params[:] = self._live_params
        return live
