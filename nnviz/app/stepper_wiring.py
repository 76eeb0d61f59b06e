"""The window's side of the backpropagation stepper: start it on the example on show, give the
network view back when it closes, apply its step to the model. A mixin of ``MainWindow``."""

from __future__ import annotations

import numpy as np

from ..core.network import Network
from ..model import Source


class StepperWiring:
    """Ctrl+B and the stepper dock; mixed into MainWindow."""

    def start_stepper(self) -> None:
        """Walk through backpropagation for the example on show (and the mini-batch that starts with it)."""
        split = self.dataset.split(self.filters.split)
        i = self.example_index % len(split)
        batch = np.arange(i, i + self.model.options.batch_size) % len(split)
        x, label = split.inputs(i, self.network.dtype), int(split.labels[i])
        if self.model.example.source == Source.DRAWING:
            drawn = self._drawn_input()
            if drawn is None:
                self.statusBar().showMessage("Draw a digit first", 4000)
                return
            # A drawing has no label: follow what the person most likely meant, the network's answer.
            x, label = drawn, int(self.network.forward(drawn).output[0].argmax())
        self.stepping = True
        self.stepper_dock.show()
        self.stepper.start(self.network, x, label, self.dataset.class_names, self.model.options.learning_rate,
                           split.inputs(batch, self.network.dtype), split.labels[batch])

    def stop_stepper(self) -> None:
        self.stepper.stop()
        self.stepping = False
        self.stepper_dock.hide()
        self._show_weights()
        self._on_example(self.model.example)

    def _on_step_applied(self, stepped: Network) -> None:
        # The worker trains its own copy: it must not carry on from the network before the step.
        self.controller.shutdown()
        self.model.set_params(stepped.params)
        self.model.trainer_state = None  # the run no longer continues from where its trainer stopped
        self.stop_stepper()
        self.statusBar().showMessage("Applied the step to the network", 4000)
