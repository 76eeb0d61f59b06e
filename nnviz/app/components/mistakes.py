"""The Mistakes tab: the test set's confusion matrix for the network on show; a cell browses its
examples.

The answers for the test set are computed in the window's compute process (``ComputeJobs``: for a
wide network they are a tenth of a second of the GUI thread's, in slices or not); the model keeps
them with the state of the network they answer (``model.answers``), and for the checkpoints
already shown. Meanwhile the tab shows the matrix it had, not clickable, faded if they take long.
A move of the timeline asks anew: the newest request replaces the one under way, and answers for
a network no longer on show are never drawn as its own.

While the process has nothing else to do for the tab, it computes the answers of the checkpoints
around the cursor, nearest first (``model.answers.AHEAD`` each way: a whole run unless it is
longer than what is kept; the way the cursor last went first): a scrub, Replay or a jump then
finds them ready, and a move draws the matrix in the same turn as the rest of the window. A move
to a checkpoint not computed yet replaces that work at once (unless it is the one under way).

While training runs the network changes every 50 ms, faster than its answers come: they are
asked when the edges are redrawn (the pacer's pace), one request at a time (a newer one would
replace it before it ends, for ever), and the tab shows the newest that came, saying at which
point of the run they were the network's.
"""

from __future__ import annotations

from PySide6 import QtCore

from ...core.evaluation import confusion_matrix
from ...core.formatting import epoch_text
from ...model import Cause, TrainingMode, WindowModel
from ...model.answers import AHEAD, Asked
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
        #: Where the cursor was, and the way it last went (+1 later, -1 earlier).
        self._cursor: int | None = None
        self._direction = 1
        self._ahead_stopped = False
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
        """Whether the answers of the network on show are being computed (the tests wait until they
        are; those of other checkpoints computed ahead do not count)."""
        return self.channel.busy and self._asked is not None and self.model.answers.for_shown(self._asked)

    def detach(self) -> None:
        self.channel.stop()
        self._asked = None
        super().detach()

    def _on_cell_clicked(self, true_class: int, answer: int) -> None:
        if self.model.lesson is None:
            self.model.set_filters(Filters(SPLIT, cell=(true_class, answer)))

    def _on_answers_changed(self, cause: Cause) -> None:
        cursor = self.model.cursor
        if cursor is not None and self._cursor is not None and cursor != self._cursor:
            self._direction = 1 if cursor > self._cursor else -1
        self._cursor = cursor
        self._ahead_stopped = False
        self.redraws.request(Redraw.EDGES, self._lazy, cause)

    def _on_answered(self, answers) -> None:
        asked, self._asked = self._asked, None
        if asked is None:
            return
        self.model.answers.take(asked, answers)
        if self.model.mode == TrainingMode.IDLE:
            self._lazy()  # the network on show's, or asked again for it
            self._ask_ahead()
        elif self.page.isVisible():
            self._show()  # asked again at the next redraw of the edges
        else:
            self._lazy.stale = True

    def _on_failed(self, line: str) -> None:
        asked, self._asked = self._asked, None
        if asked is not None:
            if asked.checkpoint is not None and not self.model.answers.for_shown(asked):
                # Computed ahead for another checkpoint: nothing is said, and nothing more is
                # computed ahead until the cursor moves (it would fail again, for ever).
                self._ahead_stopped = True
                return
            # Failed while training: said until training stops (every snapshot is a new version,
            # and asking again at each would start a process, or fail, many times a second).
            version = self.model.answers.version if asked.checkpoint is not None else asked.version
            self._failed = (version, line, self.model.mode != TrainingMode.IDLE)
        self._lazy()

    def _draw(self) -> None:
        answers = self.model.answers
        if self._show():
            if self.model.mode == TrainingMode.IDLE:
                self._ask_ahead()
            return
        if self.model.mode != TrainingMode.IDLE:
            if not self.channel.busy:
                self._ask()
        elif self._asked is None or not self.channel.busy or not answers.for_shown(self._asked):
            self._ask()  # (computed ahead for this checkpoint, the job under way is kept)

    def _show(self) -> bool:
        """Show what the model has; whether it is the network on show's (or its failure)."""
        model, view = self.model, self.view
        names = model.dataset.class_names
        answers = model.answers.known(SPLIT)
        labels = model.dataset.split(SPLIT).labels
        if answers is not None:
            view.show_matrix(confusion_matrix(labels, answers, model.dataset.n_classes), names, position=model.position)
            return True
        training = model.mode != TrainingMode.IDLE
        if self._failed is not None and (self._failed[0] == model.answers.version or (training and self._failed[2])):
            view.show_failed(self._failed[1])
            return True
        latest = model.answers.latest(SPLIT)
        if model.mode != TrainingMode.IDLE and latest is not None:
            view.show_matrix(confusion_matrix(labels, latest.answers, model.dataset.n_classes), names,
                             earlier=f"Training: these are the answers of the network at epoch {epoch_text(latest.position)}; "
                                     f"they follow as it learns.")
        else:
            view.show_computing(len(labels))
        return False

    def _ask(self) -> None:
        self._failed = None
        self._run(self.model.answers.ask(SPLIT))

    def _ask_ahead(self) -> None:
        """Nothing asked: the answers of a checkpoint around the cursor, if the tab is shown."""
        if self.channel.busy or not self.page.isVisible() or self._failed is not None or self._ahead_stopped:
            return
        asked = self.model.answers.ask_ahead(SPLIT, AHEAD, self._direction)
        if asked is not None:
            self._run(asked)

    def _run(self, asked: Asked) -> None:
        self._asked = asked
        # Sent once, not with every request (7.8 MB of MNIST's test images).
        self.jobs.keep("answers split", self.model.dataset.split(SPLIT))
        self.channel.run("answers", asked.network, Kept("answers split"))
