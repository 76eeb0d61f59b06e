"""The Landscape tab: the cost around the network on show, on a fixed sample of training
examples, with the path of the last few snapshots; computed while the tab is shown."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore

from ...model import Cause, WindowModel
from ...model.pacing import Redraw
from ..views.landscape import LandscapeView
from ..window.redraws import Redraws
from .base import Component, Lazy

#: Training examples the cost is measured on.
SAMPLE = 1000


class LandscapeComponent(Component):
    def __init__(self, model: WindowModel, view: LandscapeView, redraws: Redraws, parent: QtCore.QObject):
        super().__init__(model, parent)
        self.view, self.redraws = view, redraws
        self._lazy = Lazy(view, self._draw, self)
        self.follow(self._on_network_changed, "shown", "network", "dataset", "options")

    def _on_network_changed(self, cause: Cause) -> None:
        self.redraws.request(Redraw.EDGES, self._lazy, cause)

    def _draw(self) -> None:
        model = self.model
        train = model.dataset.train
        sample = np.arange(min(SAMPLE, len(train)))
        path = list(model.recent_params) if model.cursor is None else []
        self.view.show_landscape(model.shown, train.inputs(sample, model.network.dtype), train.labels[sample], path,
                                 model.options.learning_rate)

    def detach(self) -> None:
        super().detach()
        self.view.wait()
