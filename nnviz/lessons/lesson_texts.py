"""The words a ``Lesson`` shows, read off its state (no Qt): the page's title and text, the notes
beside its controls, and Wiggle it. Each function takes the lesson and changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .numbers import Scale
from .pages import (Kind, batch_targets_text, chain_text, cost_text, forward_text, hidden_wants_text,
                    output_wants_text, page_scale)
from .step_pages import (applied_text, batch_parameter_nudges, batch_text, eta_text, input_pixel, input_text, step_text,
                         wiggle_text)

if TYPE_CHECKING:
    from .lesson import Lesson

DRAWING_PROMPT = ("A drawing has no label. Choose the digit you meant as the <b>target digit</b>: the cost measures "
                  "how far the output is from it.")
WAITING = "<i>Answer the question above to see the numbers.</i>"


def scale_of(lesson: Lesson) -> Scale:
    """The page's common scale: its layer's numbers, the step's nudges, or the mini-batch's for one parameter."""
    p, n = lesson.page, lesson.nudges
    if n is None:
        return Scale()
    if p.kind in (Kind.STEP, Kind.ETA):
        return Scale(*[l.weight_nudges for l in n.layers], *[l.bias_nudges for l in n.layers])
    if p.kind is Kind.BATCH:
        return Scale(batch_parameter_nudges(lesson.batch, lesson.parameter))
    return page_scale(p, n)


def title_of(lesson: Lesson) -> str:
    if lesson.needs_target:
        return "Which digit did you draw?"
    p = lesson.page
    cost = " — under cross-entropy, the book's way" if lesson.cross_entropy else ""
    # the step's pages write costs, not nudges: their scale is only the legend's
    heading = "" if p.kind in (Kind.STEP, Kind.ETA) else lesson.scale.heading
    return f"Step {lesson.index + 1} of {len(lesson.pages)}: {p.title}{heading}{cost}"


def follow_note_of(lesson: Lesson, layer: int) -> str:
    """Why the pages follow this neuron of ``layer``."""
    if lesson.chose(layer):
        return "(your choice)"
    if lesson._hidden_default(layer) is not None:
        return "(for now: after the question on what this layer wants, the one with the biggest wish)"
    return "(the one with the biggest wish; choose another in Follow neuron)"


def text_of(lesson: Lesson) -> str:
    """The page's explanation, with its numbers (or what to do first)."""
    if lesson.needs_target:
        return DRAWING_PROMPT
    if lesson.waiting:
        return WAITING
    p, n, names, scale = lesson.page, lesson.nudges, lesson.class_names, lesson.scale
    weights, cost_name = lesson.judged.weights, lesson.judged.cost.name
    if p.kind is Kind.FORWARD:
        return forward_text(n, names, cost_name)
    if p.kind is Kind.COST:
        return cost_text(n, names, cost_name)
    if p.kind is Kind.WANTS:
        k, note = lesson.followed(p.layer), follow_note_of(lesson, p.layer)
        if p.layer == lesson.n_layers:
            return output_wants_text(n, names, k, cost_name, scale, note)
        return hidden_wants_text(n, weights, p.layer, k, note + " ", scale, names)
    if p.kind is Kind.EDGES:
        k = lesson.followed(p.layer)
        squared = lesson.computed.squared_error_nudges if lesson.cross_entropy else None
        text = chain_text(n, weights, p.layer, k, follow_note_of(lesson, p.layer), scale, names, squared)
        return text + (" Below: each first-layer neuron's weight nudges as a picture." if p.layer == 1 else "")
    if p.kind is Kind.INPUT:
        return input_text(n, weights, lesson.image_shape, input_pixel(n), scale, names)
    applied = applied_text(lesson.record, len(lesson.sample_indices))
    applied = f"<br><br>{applied}" if applied else ""
    if p.kind is Kind.STEP:
        repeated = lesson.record.costs if lesson.record.kind == "repeated" else None
        return step_text(n, lesson.result, names, lesson.computed.predicted_change, repeated) + applied
    if p.kind is Kind.ETA:
        factors, costs = lesson.computed.eta_steps
        return eta_text(n, factors, costs, lesson.computed.predicted_change)
    parameter = lesson.parameter
    row, column = parameter.index(lesson.judged.sizes)
    value = float(lesson.judged.layers[parameter.layer - 1][row, column])
    split = lesson.example.split
    text = batch_text(lesson.batch, lesson.member, names, parameter, value, lesson.example_member, split, scale)
    label = lesson.example.label
    if lesson.example_member is not None and label is not None and label != lesson.target:
        text += (f" The example on show counts here with its own label, {names[label]}, not the target "
                 f"{names[lesson.target]}: a mini-batch learns what its examples are.")
    return text + applied


def wiggle_text_of(lesson: Lesson) -> str | None:
    """Wiggle it, on a chain page: the picked parameter changed by ε, its slope beside its gradient."""
    w = lesson.wiggle
    if w is None:
        return None
    return wiggle_text(w, lesson.learning_rate, lesson.judged.sizes, lesson.class_names, lesson.scale)


def targets_text_of(lesson: Lesson) -> str:
    """What the cost compares the output with: the target digit, or each mini-batch example's own label."""
    if lesson.needs_target:
        return ""
    names = lesson.class_names
    if lesson.page.kind is Kind.BATCH:
        return batch_targets_text(lesson.batch, lesson.member, names)
    return names[lesson.target]


def score_text_of(lesson: Lesson) -> str:
    right, asked = lesson.score
    return f"{right} of {asked} right" if asked else ""
