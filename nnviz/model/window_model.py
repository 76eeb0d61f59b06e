"""The state the window shows, in one place: views follow it, controls change it.

In the manner of napari's ``ViewerModel``: no Qt, and every change goes through a method that
first changes everything the operation changes and then fires one event per thing changed
(``model.events.<name>``), each carrying the ``Cause`` of the change. Handlers read the new
state from the model. A window is built from a model alone, and follows it from then on.

Two networks are named: ``network`` is the network as it is now (the live end of its run, what
training, edits and steps change), ``shown`` is the one on show (the same object, or the
checkpoint the time cursor is on). Views draw ``shown``.
"""

from __future__ import annotations

import collections
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..core.data import Dataset
from ..core.edits import AblationTable, EditList, ablation_table
from ..core.history import RunHistory
from ..core.network import Network
from ..core.options import TrainingOptions
from .answers import Answers
from .browsing import Filters
from .causes import Cause
from .comparison import Comparison
from .editing import EDITS_BASE_KEY, EDITS_KEY, Editing
from .events import EventGroup
from .examples import Example, ExampleOnShow, Reading, Source  # noqa: F401 (the model's names)
from .options import WATCHABLE_SPEED, architecture_of
from .seeing import Seeing
from .time_cursor import TimeCursor
from .training import Progress, Training, TrainingMode  # noqa: F401 (the model's names)
from .valleys import Valleys

#: How many earlier parameter vectors are kept as the path that led to the network (the local
#: landscape's previous step).
RECENT_PARAMS = 20

#: What a file that is not on disk (the bundled network) is called in the title.
PRETRAINED_NAME = "pretrained MNIST network"

EVENTS = (
    "dataset",        # a dataset replaced the old one
    "network",        # another network (new, opened): everything is redrawn
    "params",         # the live network's parameters changed (training, an edit, a step, a branch)
    "shown",          # the network on show changed (any params change at the live end, or a cursor move)
    "file",           # the path, the name or the unsaved mark changed: the title
    "example",        # another example, or the drawing changed
    "filters",        # the browse filters changed
    "neuron",         # the selected neuron, (layer, k) or None
    "mode",           # the training mode changed
    "options",        # the training options changed
    "architecture",   # what New network makes changed
    "speed",          # the most mini-batches a second training may run (the speed slider)
    "edge_fraction",  # how many input edges the network view draws
    "progress",       # where training stands (epoch, mini-batch, running cost)
    "epoch",          # an epoch ended: the per-epoch numbers changed
    "history",        # the run's record changed (opened, trained further, cut)
    "cursor",         # the time cursor moved
    "comparison",     # a second run was opened, closed or shown differently
    "edits",          # the what-if edits (and applied steps) in force changed
    "trainer_state",  # how to continue the run exactly (None while running)
    "lesson",         # the backpropagation lesson was opened or closed
    "ablation",       # which neurons matter was measured
    "slow_motion",    # slow motion was switched on or off
    "seeing",         # what the network sees: what is asked for, or something found (model.seeing)
    "valley",         # the valley's plane, the valley computed, or its place changed
    "race",           # a race of gradient descent against SGD started, went on, ended or closed
)


class WindowModel(TimeCursor, Editing, Valleys, ExampleOnShow, Training):
    """The network and its run, the example and neuron on show, the filters, the training state,
    the edits, the lesson: everything a view of the window shows."""

    def __init__(self, dataset: Dataset, network: Network, path: Path | None = None, metadata: dict | None = None,
                 name: str | None = None, seed: int | None = None, history: RunHistory | None = None,
                 options: TrainingOptions | None = None):
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
        self.options = options or TrainingOptions(halve_after=0)
        self.architecture = architecture_of(network)
        self.speed = WATCHABLE_SPEED
        self.edge_fraction = 0.25
        self.progress: Progress | None = None
        self.history = RunHistory()
        #: The checkpoint on show, or None for the network as it is now (the live end).
        self.cursor: int | None = None
        self._checkpoint: Network | None = None
        #: How to continue the opened file's run exactly (a TrainerState), until training starts.
        self.trainer_state = None
        #: 0 on the parameters training must hold at 0 (switched-off neurons kept off), or None.
        self.training_mask: np.ndarray | None = None
        self.comparison: Comparison | None = None
        #: The backpropagation lesson open on the network on show (a ``nnviz.lessons.Lesson``), or None.
        #: Its own events say what changes inside it.
        self.lesson = None
        #: Slow motion: training one visible step at a time, each step's change drawn on the network.
        self.slow_motion = False
        #: The last step training took, while in slow motion (a StepDetail), else None.
        self.step_detail = None
        self.ablation: AblationTable | None = None
        self._ablation_params: np.ndarray | None = None
        #: The hidden neurons never active on the training set when the table was measured.
        self.ablation_dead: list[tuple[int, int]] = []
        self.seeing = Seeing(self, self._emit_seeing)
        #: The parameters before the last few snapshots: the path that led to the network.
        self.recent_params: collections.deque = collections.deque(maxlen=RECENT_PARAMS)
        #: The shown network's answers for whole splits (``split_predictions``).
        self.answers = Answers(self)
        self._rng = np.random.default_rng(seed)
        self.base_network = None
        self.edits = EditList()
        self.last_what_if = None
        self._init_valleys()
        self.set_network(network, path, metadata, name, history)

    def _emit(self, cause: Cause, *names: str) -> None:
        for name in names:
            getattr(self.events, name).emit(cause)

    def _emit_seeing(self, cause: Cause) -> None:
        self.events.seeing.emit(cause)

    # -- the network and its file ----------------------------------------------------------------

    def misfit(self, sizes) -> str | None:
        """None when a network of layer ``sizes`` fits the dataset on show, else why not."""
        return self.dataset.misfit(sizes)

    NETWORK_EVENTS = ("network", "params", "shown", "history", "cursor", "file", "neuron", "progress", "trainer_state",
                      "edits", "lesson", "ablation", "architecture", "filters", "example", "seeing")

    def set_network(self, network: Network, path: Path | None = None, metadata: dict | None = None,
                    name: str | None = None, history: RunHistory | None = None) -> None:
        """Show ``network`` (new or opened) and its run's ``history``: forgets the old one's
        selection, progress, numbers, edits, lesson and time cursor."""
        self._take_network(network, path, metadata, name, history)
        events = self.NETWORK_EVENTS
        other = self.comparison
        if other is not None and other.network.sizes == network.sizes and len(other.history) == len(self.history) \
                and np.array_equal(other.network.params, network.params):
            # The run opened is the one on the other side: a comparison with itself shows nothing.
            self.comparison = None
            events += ("comparison",)
        self._emit(Cause.NETWORK, *events)

    def _take_network(self, network: Network, path: Path | None, metadata: dict | None, name: str | None,
                      history: RunHistory | None) -> None:
        self.network = network
        self.history = history if history is not None else RunHistory()
        self.trainer_state = None
        self.training_mask = None
        self.cursor, self._checkpoint = None, None
        self.path = Path(path) if path else None
        self.metadata = dict(metadata or {})
        self.name = self.path.name if self.path else (name or "untitled")
        self.epochs_done = int(self.metadata.get("epochs_trained", 0) or 0)
        self.selected_neuron = None
        self.progress = None
        self.dirty = False
        self.lesson = None
        self.step_detail = None
        self.ablation, self._ablation_params, self.ablation_dead = None, None, []
        self.seeing.forget()
        self.architecture = architecture_of(network, self.architecture.seed)
        self.recent_params.clear()
        self.answers.forget_all()
        # A confusion cell names the answers of the network it was clicked on.
        if self.filters.cell is not None:
            self.filters = Filters(self.filters.split)
            self.example = replace(self.example, index=0)
        # An opened file's edits come back as a list when its run holds the network before them.
        self.edits_note = self.restore_edits(self.metadata.get(EDITS_KEY), self.metadata.get(EDITS_BASE_KEY))

    def set_params(self, params: np.ndarray, cause: Cause, dirty: bool = True) -> None:
        """New parameters for the network as it is now (an edit, an applied step); the time
        cursor goes back to the live end."""
        moved = self.cursor is not None
        self.cursor, self._checkpoint = None, None
        self.step_detail = None  # the last training step no longer led to this network
        self.network.params[:] = params
        self.answers.forget()
        if self.comparison is not None:
            self.comparison.follow(self.position)
        self.dirty = self.dirty or dirty
        if moved:
            self._emit(cause, "cursor")
        self._emit(cause, "params", "shown", "file")

    def set_dirty(self, dirty: bool) -> None:
        if dirty != self.dirty:
            self.dirty = dirty
            self._emit(Cause.USER, "file")

    def saved_as(self, path: Path, metadata: dict) -> None:
        self.path, self.name, self.metadata = Path(path), Path(path).name, dict(metadata)
        self.dirty = False
        self._emit(Cause.SAVE, "file")

    @property
    def title(self) -> str:
        """The window title, with Qt's ``[*]`` where the unsaved-changes mark goes."""
        return f"{self.name}[*] — {self.dataset.name} — nnviz"

    def set_dataset(self, dataset: Dataset, network: Network | None = None) -> None:
        """Show examples of ``dataset``; with ``network`` (a new one, for a dataset the network on
        show does not fit), both change at once. ValueError if the network does not fit."""
        network = network or self.network
        reason = dataset.misfit(network.sizes)
        if reason:
            raise ValueError(reason)
        self.dataset = dataset
        self.example = replace(self.example, index=0)
        self.filters = Filters(self.filters.split)
        self.answers.forget_all()
        self.seeing.forget()
        if network is self.network:
            self._emit(Cause.NETWORK, "dataset", "filters", "example", "file", "seeing")
            return
        self._take_network(network, None, {}, None, None)
        self._emit(Cause.NETWORK, "dataset", *self.NETWORK_EVENTS)

    # -- a second run ------------------------------------------------------------------------------------

    def compare_with(self, name: str, network: Network, history: RunHistory) -> None:
        """Show another run beside this one; ValueError (one line) if it cannot read this dataset."""
        reason = self.misfit(network.sizes)
        if reason:
            raise ValueError(reason)
        self.comparison = Comparison.of(name, network, history)
        self.comparison.follow(self.position)
        self._emit(Cause.USER, "comparison")

    def close_comparison(self) -> None:
        if self.comparison is not None:
            self.comparison = None
            self._emit(Cause.USER, "comparison")

    def show_difference(self, on: bool) -> None:
        """Draw this run's weights minus the other's on the network (when their shapes agree)."""
        if self.comparison is not None and self.comparison.show_difference != bool(on):
            self.comparison.show_difference = bool(on) and self.comparison.comparable(self.network)
            self._emit(Cause.USER, "comparison")

    # -- the backpropagation lesson --------------------------------------------------------------------

    def open_lesson(self, lesson) -> None:
        """Walk through backpropagation on the network on show (``lesson``, a ``Lesson`` on a copy of it)."""
        self.lesson = lesson
        self._emit(Cause.USER, "lesson")

    def close_lesson(self) -> None:
        if self.lesson is not None:
            self.lesson = None
            self._emit(Cause.USER, "lesson")

    # -- which neurons matter --------------------------------------------------------------------------

    def measure_ablation(self) -> AblationTable:
        """The test accuracy with each hidden neuron of the network on show switched off in turn."""
        self.ablation = ablation_table(self.shown, self.dataset.test)
        self._ablation_params = self.shown.params.copy()
        self.ablation_dead = self.dead_neurons()
        self._emit(Cause.USER, "ablation")
        return self.ablation

    @property
    def ablation_current(self) -> bool:
        """Whether the table was measured on the network on show as it is now."""
        return (self._ablation_params is not None and self._ablation_params.shape == self.shown.params.shape
                and np.array_equal(self._ablation_params, self.shown.params))
