"""Wiggle it (no Qt): the weight or bias a learner picked, the ε it is changed by, and the last
wiggle kept until either (or the numbers) change."""

from __future__ import annotations

import numpy as np

from ..core.network import Network
from ..core.nudges import ExampleNudges, Parameter, Wiggle, wiggle
from .pages import Kind, Page, neuron_name

DEFAULT_EPSILON = 0.001


class Wiggling:
    def __init__(self):
        self.picked: Parameter | None = None
        self.epsilon = DEFAULT_EPSILON
        self._last: tuple[tuple, Wiggle] | None = None

    def forget(self) -> None:
        """The numbers changed: the next wiggle is measured again."""
        self._last = None

    @staticmethod
    def check(parameter: Parameter, sizes) -> None:
        ok = 1 <= parameter.layer < len(sizes) and 0 <= parameter.neuron < sizes[parameter.layer] and (
            parameter.source is None or 0 <= parameter.source < sizes[parameter.layer - 1])
        if not ok:
            raise ValueError(f"{parameter} is not a parameter of a {sizes} network")

    def parameter(self, page: Page, nudges: ExampleNudges, followed) -> Parameter:
        """The parameter page ``page`` follows: the pick when it is in the layer explained (on the
        other pages any pick), else the weight into the ``followed(layer)`` neuron from the
        brightest neuron before it."""
        layer = page.layer if page.kind is Kind.EDGES else len(nudges.layers)
        if self.picked is not None and (page.kind is not Kind.EDGES or self.picked.layer == layer):
            return self.picked
        previous = nudges.forward.activations[layer - 1][0]
        return Parameter(layer, followed(layer), int(np.argmax(previous)))

    def wiggle(self, network: Network, x: np.ndarray, label: int, parameter: Parameter) -> Wiggle:
        key = (parameter, self.epsilon, label)
        if self._last is None or self._last[0] != key:
            self._last = key, wiggle(network, x, label, parameter, self.epsilon)
        return self._last[1]

    @staticmethod
    def choices(parameter: Parameter, sizes, names) -> tuple[str, ...]:
        """What Wiggle it can change for ``parameter``'s neuron: its bias first, then the weight from
        each neuron of the layer before (in that order, so choice ``1 + s`` is the weight from ``s``)."""
        L = len(sizes) - 1
        sources = tuple(f"its weight from {neuron_name(parameter.layer - 1, s, L, names)}"
                        for s in range(sizes[parameter.layer - 1]))
        return ("its bias",) + sources

    @staticmethod
    def choice(parameter: Parameter) -> int:
        """``parameter``'s place among ``choices``."""
        return 0 if parameter.is_bias else parameter.source + 1

    @staticmethod
    def chosen(parameter: Parameter, choice: int) -> Parameter:
        """Choice ``choice`` for ``parameter``'s neuron: its bias (0) or its weight from ``choice - 1``."""
        return Parameter(parameter.layer, parameter.neuron, None if choice == 0 else choice - 1)
