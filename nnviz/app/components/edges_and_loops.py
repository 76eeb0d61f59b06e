"""Help > Edges and loops?: the article's hope that the first hidden layer detects edges and lines,
put to the test for the network on show, on a page in a dialog of its own (freed when closed).

The evidence takes one pass over the test set (``core.edges_and_loops``); the first layer's dreams
then form one after another, a few steps per tick of a timer (``StepPlayer``), so that the window
never waits for them, for any network: a wider one, or ReLU.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtWidgets

from ...core.dreams import DreamStep, dream_steps
from ...core.edges_and_loops import PAGE_DREAMS, edges_and_loops, pixels_in_use
from ...core.errors import NnvizError
from ...model import WindowModel
from ..shell.actions import Actions
from ..views.dreams import StepPlayer
from ..views.edges_and_loops import EdgesAndLoopsPage
from .base import Component

#: Dream steps a tick (16 ms): the sixteen dreams of a 16-neuron layer form one after another in a few seconds.
DREAM_STEPS_PER_TICK = 12
SIZE = (1100, 700)


class EdgesAndLoopsComponent(Component):
    """Opens the page (``open``); ``page`` is the one open, or None."""

    def __init__(self, model: WindowModel, actions: Actions, window: QtWidgets.QWidget):
        super().__init__(model, window)
        self.window = window
        self.dialog: QtWidgets.QDialog | None = None
        self.page: EdgesAndLoopsPage | None = None
        self.player = StepPlayer(DREAM_STEPS_PER_TICK, parent=self)
        self.player.stepped.connect(self._on_dream_step)
        self.player.ticked.connect(self._draw_dreams_so_far)
        #: The latest step of each dream that changed since the last tick drew them.
        self._fresh: dict[int, DreamStep] = {}
        # The evidence is measured once the dialog has been drawn: it shows at once, saying so.
        self._look_soon = QtCore.QTimer(self)
        self._look_soon.setSingleShot(True)
        self._look_soon.timeout.connect(self.look)
        #: The pixels the training images use, for the dataset they were counted on.
        self._in_use: tuple[object, np.ndarray] | None = None
        actions.serve("edges_and_loops", self.open)

    def busy(self) -> bool:
        return self.player.running or self._look_soon.isActive()

    def finish(self) -> None:
        """Find the page's dreams now, in one go."""
        if self._look_soon.isActive():
            self._look_soon.stop()
            self.look()
        self.player.finish()

    def open(self) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        dialog = QtWidgets.QDialog(self.window)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        page = EdgesAndLoopsPage()
        page.refresh_requested.connect(self._on_refresh_requested)
        page.example_clicked.connect(self._on_example_clicked)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QtWidgets.QVBoxLayout(dialog)
        layout.addWidget(page, 1)
        layout.addWidget(buttons)
        dialog.finished.connect(self._on_finished)
        room = self.window.size()
        dialog.resize(min(SIZE[0], room.width() - 40), min(SIZE[1], room.height() - 40))
        self.dialog, self.page = dialog, page
        self._on_refresh_requested()
        dialog.show()

    def _on_refresh_requested(self) -> None:
        self.player.stop()
        self.dialog.setWindowTitle(f"Edges and loops? The network at {self.model.cursor_text()}")
        self.page.show_problem("Looking at the network…")
        self._look_soon.start(0)

    def look(self) -> None:
        """The evidence for the network on show as it is now; its dreams to follow."""
        model, page = self.model, self.page
        self.player.stop()
        self._fresh.clear()
        network, dataset = model.shown.copy(), model.dataset
        test = dataset.test
        try:
            verdict = edges_and_loops(network, test.inputs(), test.labels, self._pixels_in_use(), dataset.image_shape,
                                      dataset.class_names)
            steps = [dream_steps(network, 1, k, PAGE_DREAMS, shape=dataset.image_shape)
                     for k in range(network.sizes[1])]
        except NnvizError as error:
            page.show_problem(str(error))
            return
        page.show_evidence(verdict, network.weights[0], test.images, dataset.class_names, dataset.image_shape)
        self.player.play((k, step) for k, dream in enumerate(steps) for step in dream)

    def _pixels_in_use(self) -> np.ndarray:
        dataset = self.model.dataset
        if self._in_use is None or self._in_use[0] is not dataset:
            self._in_use = (dataset, pixels_in_use(dataset.train.images))
        return self._in_use[1]

    def _on_dream_step(self, item: tuple[int, DreamStep]) -> None:
        k, step = item
        self._fresh[k] = step

    def _draw_dreams_so_far(self) -> None:
        for k, step in self._fresh.items():
            self.page.show_dream(k, step.image)
        self._fresh.clear()

    def _on_example_clicked(self, index: int) -> None:
        if self.model.lesson is None:
            self.model.go_to(index, "test")

    def _on_finished(self, result: int) -> None:
        self.player.stop()
        self._look_soon.stop()
        self.dialog = self.page = None

    def detach(self) -> None:
        self.player.stop()
        self._look_soon.stop()
        super().detach()
