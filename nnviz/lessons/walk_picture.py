"""What the stepper panel of today draws on the network picture (no Qt): the values its edges are
coloured by (weights, or nudges), the activations on show, the answer and target, and each
neuron's wish as an arrow. The ``Lesson`` (lesson.py) and its ``LessonPicture`` replace it as the
panel moves over to them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..core.arrays import ForwardPass


@dataclass(frozen=True)
class WalkPicture:
    #: What the edges are coloured by, shaped like W[l] (weights, or nudges to them).
    edge_values: list[np.ndarray]
    forward: ForwardPass
    answer: int | None
    label: int | None
    #: ``arrows[l-1]``: layer l's wishes, one per neuron, or None for no arrows there.
    arrows: list[np.ndarray | None] = field(default_factory=list)


@dataclass(frozen=True)
class LessonStart:
    """The lesson the window opened: the example it explains (``x``, (n_0,)) and its label (None
    for a drawing, whose digit the learner chooses)."""

    x: np.ndarray
    label: int | None
