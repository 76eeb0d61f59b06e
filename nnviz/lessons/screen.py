"""What the stepper panel shows for a lesson as it stands, as plain values (no Qt).

The panel is a view: it shows a ``StepperScreen`` and emits what the learner asked for. Reading
everything off the lesson here keeps the panel free of decisions, and lets a test check without
Qt what a learner sees: nothing that gives an answer away is on screen before its reveal (the
nudge pictures, the step's plots and landscape wait with the numbers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..core.network import Network
from .pages import Kind, layer_name

if TYPE_CHECKING:
    from .lesson import Lesson


@dataclass(frozen=True)
class FollowBox:
    """The Follow neuron box: neurons of ``layer`` (1..L) by ``names``, ``value`` followed (0-based)."""

    layer: int
    names: tuple[str, ...]
    value: int
    layer_name: str


@dataclass(frozen=True)
class Bars:
    """The step page's plot: the outputs before and after the step (``applied``: the step Apply made),
    or, after Apply ×n, the example's cost before and after each of the n steps (``costs``, n + 1)."""

    before: np.ndarray | None = None
    after: np.ndarray | None = None
    target: int | None = None
    applied: bool = False
    costs: np.ndarray | None = None


@dataclass(frozen=True)
class Landscape:
    """The landscape around the step: ``network`` (before it), the training ``inputs`` (n, n_0) and
    ``labels`` (n,) it is measured on, the ``path`` to draw (the stepped parameters), η and the example."""

    network: Network
    inputs: np.ndarray
    labels: np.ndarray
    path: tuple[np.ndarray, ...]
    learning_rate: float
    example: tuple[np.ndarray, int]

    def same_as(self, other: Landscape | None) -> bool:
        """The same request (so a view need not compute it again)."""
        return other is not None and self.learning_rate == other.learning_rate \
            and self.example[1] == other.example[1] and self.inputs is other.inputs \
            and np.array_equal(self.network.params, other.network.params) \
            and all(np.array_equal(a, b) for a, b in zip(self.path, other.path)) \
            and np.array_equal(self.example[0], other.example[0])


@dataclass(frozen=True)
class StepperScreen:
    title: str
    text: str
    #: The question while it waits (with its ``options``), or its reveal once answered; None without one.
    question: str | None
    options: tuple[str, ...]
    wiggle: str | None
    #: What Wiggle it may change (the followed neuron's bias, then its weights) and which it changes.
    wiggle_choices: tuple[str, ...]
    wiggle_choice: int
    epsilon: float
    class_names: tuple[str, ...]
    #: The target digit (None: a drawing's, not chosen yet); on the mini-batch page ``batch_targets`` says
    #: that each example has its own.
    target: int | None
    batch_targets: str | None
    quiz: bool
    score: str
    cross_entropy: bool
    cross_entropy_available: bool
    can_go_back: bool
    can_go_next: bool
    playing: bool
    can_apply: bool
    can_apply_repeatedly: bool
    can_undo: bool
    #: The Follow neuron box, or None on the pages where it means nothing.
    follow: FollowBox | None
    members: int
    member: int
    member_enabled: bool
    #: The page's number: its index (a view keeps the explanation where it was while the page stays).
    page: int
    #: Each first-layer neuron's weight nudges (n_1, n_0) as pictures of ``image_shape``, or None.
    nudge_images: np.ndarray | None
    image_shape: tuple[int, ...]
    #: −η ∂C/∂x as a picture (rows, cols), or None; and the example's input x (n_0,) it would change.
    input_wish: np.ndarray | None
    example: np.ndarray
    bars: Bars | None
    landscape: Landscape | None


def follow_box(lesson: Lesson) -> FollowBox | None:
    layer = lesson.follow_layer
    if layer is None or lesson.needs_target:
        return None
    return FollowBox(layer, lesson.neuron_names(layer), lesson.followed(layer), layer_name(layer, lesson.n_layers))


def bars_of(lesson: Lesson) -> Bars:
    record, result, n = lesson.record, lesson.result, lesson.nudges
    if record.kind == "repeated" and record.costs is not None:
        return Bars(costs=np.asarray(record.costs))
    if record.outputs is not None:
        return Bars(*record.outputs, target=n.label, applied=True)
    return Bars(result.output_before, result.output_after, n.label)


def landscape_of(lesson: Lesson) -> Landscape:
    inputs, labels = lesson.sample()
    n = lesson.nudges
    return Landscape(lesson.judged, inputs, labels, (lesson.result.network.params,), lesson.learning_rate,
                     (n.x, int(n.label)))


def screen_of(lesson: Lesson) -> StepperScreen:
    """Everything the stepper panel shows for ``lesson`` as it stands."""
    page, waiting, ready = lesson.page, lesson.waiting, not lesson.needs_target
    question = lesson.question
    if question is not None and waiting:
        asked, options = f"<b>Your guess first.</b> {question.text}", question.options
    else:
        asked, options = lesson.verdict, ()
    shows = ready and not waiting
    picture = lesson.picture if shows else None
    step = shows and page.kind is Kind.STEP
    batch = ready and page.kind is Kind.BATCH
    return StepperScreen(
        title=lesson.title, text=lesson.text, question=asked, options=tuple(options), wiggle=lesson.wiggle_text,
        wiggle_choices=lesson.wiggle_choices, wiggle_choice=lesson.wiggle_choice, epsilon=lesson.epsilon, class_names=lesson.class_names, target=lesson.target,
        batch_targets=lesson.targets_text if batch else None, quiz=lesson.quiz, score=lesson.score_text,
        cross_entropy=lesson.cross_entropy, cross_entropy_available=lesson.cross_entropy_available,
        can_go_back=lesson.can_go_back, can_go_next=lesson.can_go_next, playing=lesson.playing,
        can_apply=lesson.can_apply, can_apply_repeatedly=lesson.can_apply_repeatedly, can_undo=lesson.can_undo,
        follow=follow_box(lesson), members=lesson.batch_size, member=lesson.member, member_enabled=batch,
        page=lesson.index, nudge_images=None if picture is None else picture.nudge_images,
        image_shape=lesson.image_shape, input_wish=None if picture is None else picture.input_wish, example=lesson.example.x,
        bars=bars_of(lesson) if step else None, landscape=landscape_of(lesson) if step else None)
