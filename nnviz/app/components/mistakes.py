"""The Mistakes tab: the test set's confusion matrix for the network on show; a cell browses its
examples.

The answers for the test set are computed in the window's compute process (``ComputeJobs``: for a
wide network they are a tenth of a second of the GUI thread's, in slices or not); the model keeps
them with the state of the network they answer (``model.answers``), and for the checkpoints
already shown. Meanwhile the tab shows the matrix it had, not clickable, faded if they take long.
A move of the timeline asks anew: the newest request replaces the one under way, and answers for
a network no longer on show are never drawn as its own.

While training runs the network changes every 50 ms, faster than its answers come: they are
asked when the edges are redrawn (the pacer's pace), one request at a time (a newer one would
replace it before it ends, for ever), and the tab shows the newest that came, saying at which
point of the run they were the network's.
"""

from __future__ import annotations

from PySide6 import QtCore

from ...core.evaluation import confusion_matrix
from ...model import Cause, TrainingMode, WindowModel
from ...model.answers import Asked
from ...model.browsing import Filters
from ...model.pacing import Redraw
from ..training.jobs import ComputeJobs, Kept
from ..views.confusion import ConfusionPanel
from ..views.later import Later
from ..window.redraws import Redraws
from .base import Component, Lazy

#: The split whose answers the tab shows.
SPLIT = "test"


class MistakesComponent(Component):
    def __init__(self, model: WindowModel, page: Later[ConfusionPanel], redraws: Redraws, jobs: ComputeJobs,
                 parent: QtCore.QObject):
        super().__init__(model, parent)
        self.page, self.redraws, self.jobs = page, redraws, jobs
        self.channel = jobs.channel("answers")
        self.channel.finished.connect(self._on_answered)
        self.channel.failed.connect(self._on_failed)
        #: What the job under way computes; the version of the network on show that failed, why,
        #: and whether it failed while training.
        self._asked: Asked | None = None
        self._failed: tuple[int, str, bool] | None = None
        page.when_made(self._attach)
        self._lazy = Lazy(page, self._draw, self)
        self.follow(self._on_answers_changed, "shown", "network", "dataset", "edits", "mode")
        self._lazy()

    @property
    def view(self) -> ConfusionPanel:
        return self.page.view

    def _attach(self, view: ConfusionPanel) -> None:
        view.cell_clicked.connect(self._on_cell_clicked)

    def busy(self) -> bool:
        """Whether the answers are being computed (the tests wait until they are)."""
        return self.channel.busy

    def detach(self) -> None:
        self.channel.stop()
        self._asked = None
        super().detach()

    def _on_cell_clicked(self, true_class: int, answer: int) -> None:
        if self.model.lesson is None:
            self.model.set_filters(Filters(SPLIT, cell=(true_class, answer)))

    def _on_answers_changed(self, cause: Cause) -> None:
        self.redraws.request(Redraw.EDGES, self._lazy, cause)

    def _on_answered(self, answers) -> None:
        asked, self._asked = self._asked, None
        if asked is None:
            return
        self.model.answers.take(asked, answers)
        if self.model.mode == TrainingMode.IDLE:
            self._lazy()  # the network on show's, or asked again for it
        elif self.page.isVisible():
            self._show()  # asked again at the next redraw of the edges
        else:
            self._lazy.stale = True

    def _on_failed(self, line: str) -> None:
        if self._asked is not None:
            # Failed while training: said until training stops (every snapshot is a new version,
            # and asking again at each would start a process, or fail, many times a second).
            self._failed = (self._asked.version, line, self.model.mode != TrainingMode.IDLE)
            self._asked = None
        self._lazy()

    def _draw(self) -> None:
        if self._show():
            return
        answers = self.model.answers
        if self.model.mode != TrainingMode.IDLE:
            if not self.channel.busy:
                self._ask()
        elif self._asked is None or self._asked.version != answers.version or not self.channel.busy:
            self._ask()

    def _show(self) -> bool:
        """Show what the model has; whether it is the network on show's (or its failure)."""
        model, view = self.model, self.view
        names = model.dataset.class_names
        answers = model.answers.known(SPLIT)
        labels = model.dataset.split(SPLIT).labels
        if answers is not None:
            view.show_matrix(confusion_matrix(labels, answers, model.dataset.n_classes), names)
            return True
        training = model.mode != TrainingMode.IDLE
        if self._failed is not None and (self._failed[0] == model.answers.version or (training and self._failed[2])):
            view.show_failed(self._failed[1])
            return True
        latest = model.answers.latest(SPLIT)
        if model.mode != TrainingMode.IDLE and latest is not None:
            view.show_matrix(confusion_matrix(labels, latest.answers, model.dataset.n_classes), names,
                             earlier=f"Training: these are the answers of the network at epoch {latest.position:.2f}; "
                                     f"they follow as it learns.")
        else:
            view.show_computing(len(labels))
        return False

    def _ask(self) -> None:
        model = self.model
        self._asked, self._failed = model.answers.ask(SPLIT), None
        # Sent once, not with every request (7.8 MB of MNIST's test images).
        self.jobs.keep("answers split", model.dataset.split(SPLIT))
        self.channel.run("answers", self._asked.network, Kept("answers split"))
