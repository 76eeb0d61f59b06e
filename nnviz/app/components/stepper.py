"""The window's side of the backpropagation stepper: start it on the example on show, give the
network view back when it closes, apply its step to the model. A mixin of ``MainWindow``."""

from __future__ import annotations

from PySide6 import QtCore

from ...core.network import Network
from ...model import Source


class StepperWiring:
    """Ctrl+B and the stepper dock; mixed into MainWindow."""

    def start_stepper(self) -> None:
        """Walk through backpropagation for the example on show; its mini-batch comes from the training set."""
        split = self.dataset.split(self.filters.split)
        i = self.example_index % len(split)
        x, label = split.inputs(i, self.network.dtype), int(split.labels[i])
        if self.model.example.source == Source.DRAWING:
            x, label = self._drawn_input(), None  # a drawing has no label: the person says which digit was meant
            if x is None:
                self.statusBar().showMessage("Draw a digit first", 4000)
                return
        self.stepping = True
        self.stepper_dock.show()
        # The dock takes width from the network view: fit the network again, output layer included.
        QtCore.QTimer.singleShot(0, self.network_view.reset_zoom)
        self.stepper.start(self.network, x, label, self.dataset.class_names, self.model.options.learning_rate,
                           self.dataset.train, batch_size=self.model.options.batch_size)

    def stop_stepper(self) -> None:
        self.stepper.stop()
        self.stepping = False
        self.stepper_dock.hide()
        QtCore.QTimer.singleShot(0, self.network_view.reset_zoom)
        self._show_weights()
        self._on_example(self.model.example)

    def _on_step_applied(self, stepped: Network) -> None:
        # The worker trains its own copy: it must not carry on from the network before the step.
        self.controller.shutdown()
        self.model.set_params(stepped.params)
        self.model.trainer_state = None  # the run no longer continues from where its trainer stopped
        self.model.set_progress(None)  # the training cost so far was the network's before the step
        self.statusBar().showMessage("Applied the step to the network", 4000)
