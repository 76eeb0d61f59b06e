"""What the network sees, as the window shows it: what was asked for, and what was found for
which network. No Qt; composed into ``WindowModel`` as ``model.seeing``.

Six kinds of result, computed by ``core.dreams``, ``core.fooling`` and ``core.evaluation``:

outputs   the ten output dreams ("what a 0 … 9 looks like to this network"), for dream settings
static    static read as each digit, for a seed
fooling   the example on show (or static) changed until the network reads it as a chosen digit
neuron    the selected neuron's dream, for dream settings, from grey, static or the example
extremes  the test images that excite the selected neuron most and least
dead      the hidden neurons that see nothing: never active on a training image

Finding one takes a few hundred small steps, which the window takes in slices on its GUI thread
and hands back with ``found``. What a view shows is then a function of the model: a result
keeps the request it answers and the parameters of the network it was found on. It is *current*
while the request is what the model asks now (``asked``) and the network on show has the same
parameters; after a change it is out of date, and shown as such until it is found again.
Every change fires the model's ``seeing`` event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..core.dreams import DreamSettings
from .causes import Cause

OUTPUTS, STATIC, FOOLING, NEURON, EXTREMES, DEAD = "outputs", "static", "fooling", "neuron", "extremes", "dead"
KINDS = (OUTPUTS, STATIC, FOOLING, NEURON, EXTREMES, DEAD)


@dataclass(frozen=True)
class Asked:
    """A request: its ``kind`` and what it is for (a tuple of plain, comparable values).

    outputs: (settings,); static: (seed,); fooling: (target, "example", the input's pixels as
    bytes) or (target, "static", seed);
    neuron: (layer, k, settings, the starting image's pixels as bytes or None); extremes: (layer, k);
    dead: ().
    """

    kind: str
    what: tuple


@dataclass(frozen=True)
class Found:
    """What was found (``value``) for ``asked`` on a network with parameters ``params`` (a copy)."""

    asked: Asked
    params: np.ndarray
    value: Any

    def current_for(self, asked: Asked | None, params: np.ndarray) -> bool:
        return (asked is not None and self.asked == asked and self.params.shape == params.shape
                and bool(np.array_equal(self.params, params)))


class Seeing:
    """What the window asks to see and what it found. ``model`` provides ``shown`` (the network on
    show), ``selected_neuron``, ``current_input()``; ``emit(cause)`` fires the ``seeing`` event."""

    def __init__(self, model, emit: Callable[[Cause], None]):
        self._model = model
        self._emit = emit
        #: How the ten output dreams are found.
        self.output_settings = DreamSettings()
        #: The seed of the static read as each digit ("New static" takes the next).
        self.static_seed = 0
        #: The digit the example on show is to be read as, once a person asked (None: not yet),
        #: and whether the example on show ("example") or static ("static") is changed into it.
        self.target: int | None = None
        self.fooling_source = "example"
        #: How the selected neuron's dream is found, and whether it starts from the example on show.
        self.neuron_settings = DreamSettings()
        self.neuron_from_example = False
        self._found: dict[str, Found] = {}

    # -- what a person asks ------------------------------------------------------------------------

    def dream_outputs(self, settings: DreamSettings) -> None:
        """Dream the ten outputs again with ``settings``."""
        if settings != self.output_settings:
            self.output_settings = settings
            self._emit(Cause.USER)

    def new_static(self) -> None:
        """Another static for each digit: the next seed."""
        self.static_seed += 1
        self._emit(Cause.USER)

    def fool(self, target: int, source: str = "example") -> None:
        """Change the example on show (and each one shown after it), or with ``source`` "static"
        the static of ``static_seed``, until the network reads it as ``target``."""
        if source not in ("example", "static"):
            raise ValueError(f"fooling starts from the example or from static, not {source!r}")
        if (int(target), source) != (self.target, self.fooling_source):
            self.target, self.fooling_source = int(target), source
            self._emit(Cause.USER)

    def dream_neuron(self, settings: DreamSettings, from_example: bool) -> None:
        """Dream the selected neuron (and each one selected after it) with ``settings``, from the
        example on show if ``from_example``."""
        if (settings, bool(from_example)) != (self.neuron_settings, self.neuron_from_example):
            self.neuron_settings, self.neuron_from_example = settings, bool(from_example)
            self._emit(Cause.USER)

    # -- what is asked now ---------------------------------------------------------------------------

    def asked(self, kind: str) -> Asked | None:
        """What the model asks to see of ``kind`` now; None when there is nothing to ask (no
        target chosen, no neuron selected, no digit drawn to start from or to fool)."""
        if kind == OUTPUTS:
            return Asked(kind, (self.output_settings,))
        if kind == STATIC:
            return Asked(kind, (self.static_seed,))
        if kind == DEAD:
            return Asked(kind, ())
        if kind == FOOLING:
            if self.target is None:
                return None
            if self.fooling_source == "static":
                return Asked(kind, (self.target, "static", self.static_seed))
            x = self._model.current_input()[0]
            return None if x is None else Asked(kind, (self.target, "example", _pixels(x)))
        selected = self._model.selected_neuron
        if selected is None or selected[0] < 1:
            return None
        if kind == EXTREMES:
            return Asked(kind, tuple(selected))
        if kind == NEURON:
            start = None
            if self.neuron_from_example:
                x = self._model.current_input()[0]
                if x is None:
                    return None
                start = _pixels(x)
            return Asked(kind, (*selected, self.neuron_settings, start))
        raise ValueError(f"no kind of result {kind!r}")

    # -- what was found -------------------------------------------------------------------------------

    def found(self, asked: Asked, params: np.ndarray, value: Any) -> None:
        """``value`` answers ``asked`` for a network with ``params``: it replaces what was found of its kind."""
        self._found[asked.kind] = Found(asked, np.array(params, copy=True), value)
        self._emit(Cause.USER)

    def result(self, kind: str) -> Found | None:
        """The last thing found of ``kind``, current or not."""
        return self._found.get(kind)

    def current(self, kind: str) -> bool:
        """Whether what was found of ``kind`` answers what is asked now, on the network on show."""
        found = self._found.get(kind)
        return found is not None and found.current_for(self.asked(kind), self._model.shown.params)

    def forget(self) -> None:
        """Another network or dataset: nothing found before says anything about it."""
        self._found.clear()


def _pixels(x: np.ndarray) -> bytes:
    return np.ascontiguousarray(x, np.float32).tobytes()
