"""Gradient descent against SGD, from the Cost valley tab: a race from a copy of the network on show,
run in the window's compute process, its lanes' costs drawn as they come, and once it is over
the valley of both paths on the plane through their start and both ends (``start_plane``)."""

from __future__ import annotations

from PySide6 import QtCore

from ...core.computations import RaceProgress
from ...model import Cause, WindowModel
from ...model.valleys import RACE_EPOCHS, race_text
from ..shell.status import Lasting, Status
from ..training.jobs import ComputeJobs, Kept
from ..views.valley import ValleyView
from ..views.valley_race import RaceView
from ..views.valley_tab import ValleyPanel
from .base import Component
from .valley import PARTIAL_INTERVAL, SAMPLE_SEED, Samples


class RaceComponent(Component):
    def __init__(self, model: WindowModel, panel: ValleyPanel, jobs: ComputeJobs, status: Status,
                 parent: QtCore.QObject):
        super().__init__(model, parent)
        self.panel, self.jobs, self.status = panel, jobs, status
        self._view: RaceView | None = None
        self.channel = jobs.channel("race", PARTIAL_INTERVAL)
        self.channel.progressed.connect(self._on_progress)
        self.channel.finished.connect(self._on_finished)
        self.channel.failed.connect(self._on_failed)
        self.valley_channel = jobs.channel("race valley", PARTIAL_INTERVAL)
        self.valley_channel.progressed.connect(self._on_valley)
        self.valley_channel.finished.connect(self._on_valley)
        self.valley_channel.failed.connect(self._on_failed)
        self.samples = Samples()
        #: The start of the race under way: results of an older one are not this race's.
        self._start = None
        panel.valley_page.when_made(self._attach_valley)
        self.follow(self._draw, "race")
        self._draw(Cause.USER)

    def _attach_valley(self, valley: ValleyView) -> None:
        valley.race_requested.connect(self._on_race_requested)

    @property
    def view(self) -> RaceView:
        """The race's page of the panel, made (and listened to) when a race is first shown."""
        if self._view is None:
            view = self._view = self.panel.race
            view.run_requested.connect(self.start)
            view.stop_requested.connect(self.stop)
            view.closed.connect(self._on_closed)
            view.axis_chosen.connect(self.model.set_race_axis)
        return self._view

    # -- what a person does -----------------------------------------------------------------------

    def _on_race_requested(self) -> None:
        self.start(RACE_EPOCHS)

    def start(self, epochs: float) -> None:
        """A race from the network on show, ``epochs`` training sets' worth of examples each."""
        self.valley_channel.stop()
        race = self.model.start_race(epochs)
        # A valley, a plot and their story need the room: the race takes the network's place.
        self.model.set_valley_in_front(True)
        self._start = race.network
        self.jobs.keep("dataset", self.model.dataset)
        self.channel.run("race", race.network, Kept("dataset"), race.epochs, seed=SAMPLE_SEED)

    def stop(self) -> None:
        self.channel.stop()
        self.valley_channel.stop()
        self.model.stop_race("Stopped before the end.")

    def _on_closed(self) -> None:
        self.channel.stop()
        self.valley_channel.stop()
        self.model.close_race()

    # -- what the process sends ---------------------------------------------------------------------

    def _mine(self) -> bool:
        race = self.model.race
        return race is not None and race.network is self._start

    def _on_progress(self, progress: RaceProgress) -> None:
        if self._mine():
            self.model.set_race_progress(progress)

    def _on_finished(self, progress: RaceProgress) -> None:
        if not self._mine():
            return
        self.model.set_race_progress(progress)
        race = self.model.race
        x, labels = self.samples(self.model.dataset, race.network.dtype)
        paths = [(lane.name, history) for lane, history in zip(progress.lanes, progress.histories)]
        self.valley_channel.run("valley", race.network, "start", paths, x, labels, seed=SAMPLE_SEED)

    def _on_valley(self, valley) -> None:
        if self._mine():
            self.model.set_race_valley(valley)

    def _on_failed(self, line: str) -> None:
        if self._mine():
            self.model.stop_race(f"It stopped: {line}")
            self.status.say(f"The race stopped: {line}", Lasting.WARNING)

    # -- following the model ------------------------------------------------------------------------

    def _draw(self, cause: Cause) -> None:
        race = self.model.race
        if race is None:
            self.panel.show_race(False)
            return
        view = self.view
        self.panel.show_race(True)
        view.show_epochs(race.epochs)
        view.show_running(race.running)
        view.show_text(race_text(race))
        axis = self.model.race_axis
        progress = race.progress
        lanes = [] if progress is None else [
            (lane.name, lane.examples if axis == "examples" else lane.seconds, lane.costs) for lane in progress.lanes]
        view.show_lanes(lanes, axis)
        if race.valley is not None:
            view.valley.show_valley(race.valley)
        else:
            view.valley.clear()
            view.valley.show_message("")

    def detach(self) -> None:
        super().detach()
        self.channel.stop()
        self.valley_channel.stop()
