"""The Cost valley tab: the valley of the run on show, computed in the window's compute process,
never stale, tied to the timeline; and, for the stepper's step page, the valley around one step.

The model says what the valley is computed from (``valley_inputs``) and keeps what came back
with the inputs it belongs to (``set_valley``): whatever changes the run, the network or the
plane makes the valley it holds out of date, which the view says while a new one is computed
(coarse first, then row by row). While training runs the valley waits: its plane is the plane of
the whole path, which every step changes, so it is redrawn when training pauses. The ball sits at
the time cursor's checkpoint (Replay rolls it); a click on the valley moves the cursor to the
checkpoint drawn nearest.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore

from ...core.data import Dataset
from ...core.history import RunHistory
from ...core.network import Network
from ...core.valley import SAMPLE_SIZE, training_sample
from ...model import Cause, TrainingMode, WindowModel
from ...model.valleys import ValleyInputs
from ..shell.actions import Actions
from ..shell.status import Lasting, Status
from ..training.jobs import ComputeJobs, Kept
from ..views.valley import ValleyView
from ..views.valley_tab import ValleyPanel, ValleyTab
from .base import Component, Lazy

#: Chooses the training examples every valley's cost is the mean over (the race's too).
SAMPLE_SEED = 0
#: A valley still being computed is redrawn at most this often (seconds): a redraw costs the
#: window tens of milliseconds, and its stages come every few.
PARTIAL_INTERVAL = 0.25
WAITING = ("Training: the valley waits for the run to pause. It is drawn on the plane of the run's whole path, "
           "which every step changes, so it is redrawn when training stops (Space pauses).")


class Samples:
    """The valley's training examples for a dataset and dtype, drawn once."""

    def __init__(self):
        self._key, self._sample = None, None

    def __call__(self, dataset: Dataset, dtype) -> tuple[np.ndarray, np.ndarray]:
        key = (id(dataset), np.dtype(dtype))
        if key != self._key:
            self._key, self._sample = key, training_sample(dataset.train, SAMPLE_SIZE, SAMPLE_SEED, dtype)
        return self._sample


class ValleyComponent(Component):
    def __init__(self, model: WindowModel, panel: ValleyPanel, tab: ValleyTab, jobs: ComputeJobs, actions: Actions,
                 status: Status, parent: QtCore.QObject):
        super().__init__(model, parent)
        self.panel, self.tab, self.status = panel, tab, status
        self.jobs = jobs
        self.channel = jobs.channel("valley", PARTIAL_INTERVAL)
        self.channel.progressed.connect(self._on_progressed)
        self.channel.finished.connect(self._on_finished)
        self.channel.failed.connect(self._on_failed)
        self.samples = Samples()
        #: What the job under way computes, and the inputs of a computation that failed, with why.
        self._asked: ValleyInputs | None = None
        self._failed: tuple[ValleyInputs, str] | None = None
        self._lazy = Lazy(panel, self._draw, self)
        panel.valley_page.when_made(self._attach)
        self.front_action = actions.serve("valley_in_front", self._on_front_action)
        self.follow(self._on_change, "network", "dataset", "history", "params", "comparison", "mode", "cursor",
                    "valley")
        self.follow(self._on_place, "valley")
        self._on_place(Cause.USER)
        self._lazy()

    @property
    def view(self) -> ValleyView:
        return self.panel.valley

    def _attach(self, view: ValleyView) -> None:
        view.plane_chosen.connect(self.model.choose_valley_plane)
        view.checkpoint_clicked.connect(self._on_checkpoint_clicked)
        view.in_front_toggled.connect(self.model.set_valley_in_front)
        view.show_in_front(self.model.valley_in_front)

    # -- what a person does -----------------------------------------------------------------------

    def _on_front_action(self) -> None:
        self.model.set_valley_in_front(not self.model.valley_in_front)

    def _on_checkpoint_clicked(self, index: int) -> None:
        model = self.model
        if model.lesson is not None:
            self.status.say("Leave the backpropagation steps to move in time", Lasting.BRIEF)
        elif model.mode != TrainingMode.IDLE:
            self.status.say("The valley follows the timeline once training pauses", Lasting.BRIEF)
        elif model.valley_current():  # an older valley's checkpoints are not this run's
            model.move_to(index)

    # -- following the model ------------------------------------------------------------------------

    def _on_place(self, cause: Cause) -> None:
        front = self.model.valley_in_front
        self.tab.show_in_front(front)
        if self.panel.valley_page.made():  # else when it is
            self.view.show_in_front(front)
        self.front_action.setChecked(front)

    def _on_change(self, cause: Cause) -> None:
        self._lazy()

    def _draw(self) -> None:
        model, view = self.model, self.view
        view.show_plane(model.valley_plane)
        if model.mode != TrainingMode.IDLE:
            self._stop()
            self._show_kept()
            view.show_message(WAITING)
            return
        inputs = model.valley_inputs()
        if isinstance(inputs, str):
            self._stop()
            view.clear()
            view.show_message(inputs)
            return
        if model.valley_current(inputs):
            valley = model.valley
            view.show_valley(valley)
            view.show_ball(model.stop_index())
            if valley.complete and self._computing(inputs):  # another window of the model was first
                self._stop()
            elif not valley.complete and not self._computing(inputs):  # stopped half-way (a window closed)
                self._ask(inputs)
            return
        self._show_kept()
        if self._failed is not None and self._failed[0].same_as(inputs):
            view.show_message(f"The valley could not be computed: {self._failed[1]}")
            return
        if not self._computing(inputs):
            self._ask(inputs)
        changed = inputs.difference(model.valley_made_from) if model.valley_made_from is not None else None
        view.show_message(f"Out of date: {changed}. Computing the valley again…" if changed and model.valley
                          else "Computing the valley…")

    def _show_kept(self) -> None:
        """The valley kept, drawn as it was (greyed by the message that follows), or nothing."""
        if self.model.valley is not None:
            self.view.show_valley(self.model.valley)
        else:
            self.view.clear()

    # -- computing --------------------------------------------------------------------------------

    def _computing(self, inputs: ValleyInputs) -> bool:
        return self.channel.busy and inputs.same_as(self._asked)

    def _ask(self, inputs: ValleyInputs) -> None:
        x, labels = self.samples(inputs.dataset, inputs.network.dtype)
        # Sent once, not with every valley (3 MB): a cursor move on the local plane asks anew.
        self.jobs.keep("valley inputs", x)
        self.jobs.keep("valley labels", labels)
        self._asked, self._failed = inputs, None
        self.channel.run("valley", inputs.network, inputs.plane, inputs.paths, Kept("valley inputs"),
                         Kept("valley labels"), at=inputs.at, seed=SAMPLE_SEED)

    def _stop(self) -> None:
        self.channel.stop()
        self._asked = None

    def _on_progressed(self, valley) -> None:
        if self._asked is not None:
            self.model.set_valley(valley, self._asked)

    def _on_finished(self, valley) -> None:
        asked, self._asked = self._asked, None
        if asked is not None:
            self.model.set_valley(valley, asked)

    def _on_failed(self, line: str) -> None:
        if self._asked is not None:
            self._failed, self._asked = (self._asked, line), None
        self.status.say(f"The valley could not be computed: {line}", Lasting.WARNING)
        self._lazy()

    def detach(self) -> None:
        super().detach()
        self._stop()


class LocalValley(QtCore.QObject):
    """The valley around one step, for the stepper's step page: the local plane through a network,
    along −∇C on a sample and the step, with the step drawn from the network (0) to where it leads
    (1); computed in the window's compute process, the latest request winning.

    ``request(network, after, x, labels)``; ``computed(valley)`` comes with every stage (the last
    one complete: ``valley.complete``), ``failed(line)`` if it could not be. Draw it with a
    ``ValleyView(compact=True)``: ``show_partial``/``show_valley``, then ``show_ball(1)``.
    """

    computed = QtCore.Signal(object)
    failed = QtCore.Signal(str)

    def __init__(self, jobs: ComputeJobs, parent: QtCore.QObject, kind: str = "step valley"):
        super().__init__(parent)
        self.channel = jobs.channel(kind, PARTIAL_INTERVAL)
        self.channel.progressed.connect(self.computed)
        self.channel.finished.connect(self.computed)
        self.channel.failed.connect(self.failed)

    @property
    def busy(self) -> bool:
        return self.channel.busy

    def request(self, network: Network, after: np.ndarray, x: np.ndarray, labels: np.ndarray, size: int | None = None) -> None:
        """The valley of the step from ``network`` to parameters ``after`` (flat like
        ``Network.params``), its cost the mean over ``x`` (n, n_0) with ``labels`` (n,)."""
        before = network.params.copy()
        step = np.asarray(after, np.float64) - before
        path = RunHistory(checkpoint_positions=[0.0, 1.0], checkpoints=[before, np.array(after, copy=True)])
        options = {} if size is None else {"size": size}
        self.channel.run("valley", network.copy(), "local", [("the step", path)], np.asarray(x), np.asarray(labels),
                         at=0, step=step, **options)

    def stop(self) -> None:
        self.channel.stop()
