"""Ask me first: a question before a page's reveal, answered by a click (no Qt).

Predicting before seeing makes a learner remember more (Kim, Reinecke & Hullman, CHI 2017).
Each question is about this example and can be reasoned out: its text gives the numbers it
needs (weights, δ, activations), written as the page writes them, and nothing on screen gives
the answer before the reveal. The reveal says why, with the numbers, in a sentence or two.

A walk asks one kind of question per page (``kind_for``), never the same kind on two pages in a
row: the wants pages and the chain pages draw from different kinds, and the pages after them
have one kind each.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from ..core.naming import shown
from ..core.nudges import BatchNudges, ExampleNudges, Parameter, StepResult
from .numbers import DC_DA, NBSP, Scale, activation, apart, cost, equals, keep, short, significant, weight
from .pages import SATURATED, Kind, Page, capital, layer_name, neuron_name, slope_name
from .step_pages import batch_parameter_nudges, change, parameter_name, pixel_name


class QuestionKind(StrEnum):
    OUTPUT_DIRECTION = "which way an output moves"
    BRIGHT_DARK = "bright or dark source"
    BIGGEST_WISH = "which neuron wants most"
    SATURATION = "saturation"
    ADD_OR_CANCEL = "wishes add or cancel"
    WISH_SIGN = "the sign of a wish"
    COST_FALLS = "does the cost fall"
    LARGER_ETA = "a larger η"
    BATCH_AVERAGE = "the mini-batch's average"


@dataclass(frozen=True)
class Question:
    text: str
    options: tuple[str, ...]
    answer: int  # index into options
    reason: str
    kind: QuestionKind | None = None
    #: The neurons (layer, k) the question names, for the picture to mark (all alike: no hint).
    about: tuple[tuple[int, int], ...] = ()

    def verdict(self, chosen: int) -> str:
        head = "Right." if chosen == self.answer else f"Not quite: it is <b>{self.options[self.answer]}</b>."
        return f"<b>{head}</b> {self.reason}"


def kind_for(page: Page, n_layers: int) -> QuestionKind | None:
    """The kind of question asked before ``page`` is revealed (None: the page has none)."""
    L, l = n_layers, page.layer
    if page.kind is Kind.WANTS:
        if l == L:
            return QuestionKind.OUTPUT_DIRECTION
        return QuestionKind.BIGGEST_WISH if (L - 1 - l) % 2 == 0 else QuestionKind.ADD_OR_CANCEL
    if page.kind is Kind.EDGES:
        if l == L:
            return QuestionKind.BRIGHT_DARK
        return QuestionKind.SATURATION if (L - 1 - l) % 2 == 0 else QuestionKind.BRIGHT_DARK
    return {Kind.INPUT: QuestionKind.WISH_SIGN, Kind.STEP: QuestionKind.COST_FALLS, Kind.ETA: QuestionKind.LARGER_ETA,
            Kind.BATCH: QuestionKind.BATCH_AVERAGE}.get(page.kind)


def two_options(first: str, second: str, tell_apart: int) -> tuple[tuple[str, str], int]:
    """Two options in an order that says nothing about the answer (fixed by ``tell_apart``)."""
    return ((first, second), 0) if tell_apart % 2 else ((second, first), 1)


# -- one builder per kind ----------------------------------------------------------------------------


def output_direction(n: ExampleNudges, names, scale: Scale, variant: int = 0) -> Question:
    L = len(n.layers)
    wants = n.layer(L).activation_nudges
    answer = int(n.output.argmax())
    wrong = answer if answer != n.label else int(np.argsort(n.output)[-2])  # a wrong output the network likes
    # Under softmax cross-entropy only the target's ∂C/∂a is not 0: ask about the target there.
    j = n.label if variant % 2 or n.layer(L).derivatives is None else wrong
    a, y = n.output[j], n.target[j]
    up = wants[j] > 0
    return Question(
        f"Output {names[j]} is at {equals('a', activation(a))} and the target is {names[n.label]}, so its "
        f"{equals('y', f'{y:.0f}')}. Which way will the cost want output{NBSP}{names[j]} to move?",
        ("up", "down"), 0 if up else 1,
        f"Its target y is {y:.0f} and a is {'below' if a < y else 'above'} it, so the cost wants it "
        f"{'up' if up else 'down'}: −η{NBSP}∂C/\u2060∂a{NBSP}={NBSP}{scale(wants[j])}.",
        QuestionKind.OUTPUT_DIRECTION, ((L, j),))


def bright_dark(n: ExampleNudges, l: int, k: int, names, scale: Scale) -> Question | None:
    L = len(n.layers)
    previous = n.forward.activations[l - 1][0]
    bright = int(np.argmax(previous))
    # a dim but lit one: against a neuron at 0 (most pixels) the answer would be obvious
    lit = np.flatnonzero((previous > 0.05) & (np.arange(len(previous)) != bright))
    dim = int(lit[np.argmin(previous[lit])]) if len(lit) else int(np.argmin(previous))
    if previous[dim] == previous[bright]:
        return None
    name = (lambda i: keep(f"pixel {shown(i)}")) if l == 1 else (lambda i: keep(f"neuron {shown(i)}"))
    nudges = n.layer(l).weight_nudges[k]
    (first, second), _ = two_options(bright, dim, bright + dim + k)
    bigger = 0 if abs(nudges[first]) >= abs(nudges[second]) else 1
    return Question(
        f"Two weights into {neuron_name(l, k, L, names)}: from {name(first)} ({equals('a', activation(previous[first]))}) "
        f"and from {name(second)} ({equals('a', activation(previous[second]))}). Which gets the bigger nudge?",
        (f"from {name(first)}", f"from {name(second)}"), bigger,
        f"Each weight's nudge is −η{NBSP}δ{NBSP}a<sub>i</sub>: the same {equals('δ', scale(n.layer(l).deltas[k]))} for "
        f"both, times the activation it comes from: {scale(nudges[first])} against {scale(nudges[second])}.",
        QuestionKind.BRIGHT_DARK, ((l, k), (l - 1, first), (l - 1, second)))


def biggest_wish(n: ExampleNudges, weights, l: int, names, scale: Scale) -> Question:
    L = len(n.layers)
    wants = n.layer(l).activation_nudges
    order = np.argsort(-np.abs(wants))
    # the biggest, a middling and the smallest, in neuron order so the position says nothing
    candidates = sorted({int(order[0]), int(order[len(order) // 2]), int(order[-1])})
    best = candidates.index(int(order[0]))
    deltas = n.layer(l + 1).deltas
    # the few biggest δ of the next layer, and their weights from each candidate: enough to reason it out
    top = [int(j) for j in np.argsort(-np.abs(deltas))[:3]]
    rest = np.delete(deltas, top)
    others = f" (the others at most {scale(np.max(np.abs(rest)), sign=False)})" if len(rest) else ""
    w = weights[l]
    given = " The weights from each to them: " + "; ".join(
        f"neuron{NBSP}{shown(k)}: " + ", ".join(weight(w[j, k]) for j in top) for k in candidates) + "."
    guess = candidates[int(np.argmax([abs(np.dot(w[top, k], deltas[top])) for k in candidates]))]
    decided = (" These few δ times their weights decide most of it." if guess == candidates[best] else
               " Here the smaller δ of the others, through their weights, tip the balance.")
    return Question(
        f"Which of these neurons of {layer_name(l, L)} will want to change the most (the longest arrow)? Each "
        f"sums −η{NBSP}w{NBSP}δ over {layer_name(l + 1, L)}, whose biggest δ are "
        + ", ".join(f"{neuron_name(l + 1, j, L, names)}{NBSP}{scale(deltas[j])}" for j in top) + f"{others}.{given}",
        tuple(keep(f"neuron {shown(k)}") for k in candidates), best,
        "Their wishes, summed over the whole next layer: "
        + ", ".join(f"neuron{NBSP}{shown(k)}{NBSP}{scale(wants[k])}" for k in candidates) + "." + decided,
        QuestionKind.BIGGEST_WISH, tuple((l, k) for k in candidates) + tuple((l + 1, j) for j in top))


def saturation(n: ExampleNudges, l: int, names, scale: Scale) -> Question | None:
    L = len(n.layers)
    layer = n.layer(l)
    if layer.derivatives is None:
        return None
    d, g = layer.derivatives, np.abs(layer.activation_gradients)
    # among neurons the cost does ask something of, the flattest and the steepest
    eligible = np.flatnonzero(g >= 0.1 * g.max()) if g.max() > 0 else np.arange(0)
    if len(eligible) < 2:
        return None
    flat, steep = int(eligible[np.argmin(d[eligible])]), int(eligible[np.argmax(d[eligible])])
    if d[steep] < 2 * d[flat]:
        return None
    first, second = sorted((flat, steep))
    a = n.forward.activations[l][0]
    name = slope_name(n, l)
    slope = name.split(NBSP)[0]  # σ′(z) or f′(z)
    given = (f", with {name}" if slope != name else
             f", with f′(z){NBSP}={NBSP}{significant(d[first], sign=False)} and {significant(d[second], sign=False)}")
    bigger = 0 if abs(layer.deltas[first]) >= abs(layer.deltas[second]) else 1
    saturated_loses = abs(layer.deltas[flat]) < abs(layer.deltas[steep])
    return Question(
        f"Two neurons of {layer_name(l, L)}: neuron{NBSP}{shown(first)} ({equals('a', activation(a[first]))}, "
        f"{equals(DC_DA, scale(layer.activation_gradients[first]))}) and neuron{NBSP}{shown(second)} "
        f"({equals('a', activation(a[second]))}, {equals(DC_DA, scale(layer.activation_gradients[second]))}). "
        f"δ{NBSP}={NBSP}∂C/\u2060∂a{NBSP}×{NBSP}{slope}{given}. Which has the bigger δ, whatever its sign?",
        (keep(f"neuron {shown(first)}"), keep(f"neuron {shown(second)}")), bigger,
        f"{slope} is {significant(d[first], sign=False)} for neuron{NBSP}{shown(first)} and "
        f"{significant(d[second], sign=False)} for neuron{NBSP}{shown(second)}: δ is {scale(layer.deltas[first])} against "
        f"{scale(layer.deltas[second])}. "
        + (("A saturated neuron sits where its activation function is flat: whatever the cost wants, its z barely "
            "hears it." if d[flat] < SATURATED else "The flatter the activation function where a neuron sits (a nearer "
            "0 or 1), the less of the cost's wish reaches its z.")
           if saturated_loses else "Here the cost asks so much more of the flatter one that it wins anyway."),
        QuestionKind.SATURATION, ((l, first), (l, second)))


def add_or_cancel(n: ExampleNudges, weights, l: int, k: int, names, scale: Scale) -> Question:
    L = len(n.layers)
    wishes = n.layer(l).wishes[:, k]
    deltas = n.layer(l + 1).deltas
    j1, j2 = (int(j) for j in np.argsort(-np.abs(wishes))[:2])
    w = weights[l][:, k]
    add = np.sign(wishes[j1]) == np.sign(wishes[j2])

    def heard(j):
        return f"{neuron_name(l + 1, j, L, names)} ({equals('δ', scale(deltas[j]))}, {equals('w', weight(w[j]))})"

    return Question(
        f"{capital(neuron_name(l, k, L, names))} hears from every neuron of {layer_name(l + 1, L)}, each asking "
        f"−η{NBSP}w{NBSP}δ, with w the weight from neuron{NBSP}{shown(k)} to it. Two of them: {heard(j1)} and {heard(j2)}. "
        f"Do these two wishes add up or pull against each other?",
        ("they add up", "they pull against each other"), 0 if add else 1,
        f"−η{NBSP}w{NBSP}δ is {scale(wishes[j1])} and {scale(wishes[j2])}: "
        + ("the same sign, so they add up" if add else "opposite signs, so they partly cancel")
        + f". All {len(wishes)} together ask {scale(wishes.sum())}.",
        QuestionKind.ADD_OR_CANCEL, ((l, k), (l + 1, j1), (l + 1, j2)))


def wish_sign(n: ExampleNudges, weights, k: int, image_shape, names, scale: Scale) -> Question:
    deltas = n.layer(1).deltas
    if deltas[k] == 0:  # a neuron saturated to the last bit wishes nothing: ask about one that does
        k = int(np.argmax(np.abs(deltas)))
    w = weights[0][k]
    lit = np.flatnonzero(n.x > 0)
    pool = lit if len(lit) else np.arange(len(w))
    p = int(pool[np.argmax(np.abs(w[pool]))])
    term = -n.learning_rate * w[p] * deltas[k]
    brighter = term > 0
    return Question(
        f"{capital(neuron_name(1, k, len(n.layers), names))} has {equals('δ', scale(deltas[k]))}. "
        f"{capital(pixel_name(p, image_shape))}, {equals('a', activation(n.x[p]))}, reaches it through "
        f"{equals('w', weight(w[p]))}. Does {neuron_name(1, k, len(n.layers), names)} want this pixel brighter or darker?",
        ("brighter", "darker"), 0 if brighter else 1,
        f"Its wish is −η{NBSP}w{NBSP}δ{NBSP}={NBSP}{scale(term)}: {'up' if brighter else 'down'}. With η above 0 the "
        f"wish has the opposite sign of w{NBSP}×{NBSP}δ.",
        QuestionKind.WISH_SIGN, ((1, k), (0, p)))


def cost_falls(n: ExampleNudges, result: StepResult, predicted: float) -> Question:
    down = result.cost_after < result.cost_before
    actual = result.cost_after - result.cost_before
    if not down:
        why = "η is so large that the step overshoots; the slope only holds near where it was measured."
    elif abs(actual - predicted) <= 0.2 * abs(predicted):
        why = "close to the prediction: over a step this small the cost is nearly a straight line."
    else:
        why = "it falls, though not as the straight line said: over a step this big the cost curves."
    return Question(
        f"With {equals('η', short(n.learning_rate))} every nudge is applied at once. To first order the gradient "
        f"predicts ΔC{NBSP}≈{NBSP}−η|∇C|²{NBSP}={NBSP}{change(predicted)} for this example's cost, now "
        f"{cost(result.cost_before)}. Will the cost really go down?",
        ("yes", "no"), 0 if down else 1,
        "From {} to {}".format(*apart(result.cost_before, result.cost_after))
        + f" (ΔC{NBSP}={NBSP}{change(actual)}): {why}",
        QuestionKind.COST_FALLS)


def larger_eta(n: ExampleNudges, result: StepResult, factor: float, cost_larger: float) -> Question:
    eta, larger = short(n.learning_rate), short(n.learning_rate * factor)
    lower = cost_larger < result.cost_after
    after = cost(result.cost_after)
    return Question(
        f"With {equals('η', eta)} the step took this example's cost from {cost(result.cost_before)} to {after}. With "
        f"{equals('η', larger)}, a step {short(factor)} times as long in the same direction, will it end lower than "
        f"{after}, or higher?",
        (f"lower than {after}", f"higher than {after}"), 0 if lower else 1,
        f"With {equals('η', larger)} it ends at {apart(result.cost_after, cost_larger)[1]}: "
        + ("the valley goes on that far in this direction." if lower else
           "the step overshoots; so far from where the slope was measured, the cost curves back up."),
        QuestionKind.LARGER_ETA)


def batch_average(b: BatchNudges, parameter: Parameter, member: int | None, names, scale: Scale) -> Question:
    """How the mini-batch's average nudge to ``parameter`` compares with member ``member``'s (1..n):
    the example on show; when it is not in the mini-batch (None), the member that asks the most."""
    each = batch_parameter_nudges(b, parameter)
    on_show = member is not None
    if member is None:
        member = int(np.argmax(np.abs(each))) + 1
    own, average = each[member - 1], float(np.mean(each))
    bigger = abs(average) > abs(own)
    who = "The example on show" if on_show else f"Example {member}"
    mixed = (each > 0).any() and (each < 0).any()
    about = ((parameter.layer, parameter.neuron),) + (() if parameter.is_bias else ((parameter.layer - 1, parameter.source),))
    return Question(
        f"For {parameter_name(parameter, len(b.weight_nudges), names)}, the {len(each)} examples of the mini-batch ask: "
        + ", ".join(f"{scale(v)}" for v in each) + f". {who} asks {scale(own)}. Is their average, the step SGD takes, "
        f"bigger or smaller in size than that?",
        ("bigger", "smaller"), 0 if bigger else 1,
        f"The average is {scale(average)} against {scale(own)}: "
        + ("the examples disagree, and their nudges partly cancel." if mixed and not bigger else
           "most examples ask for less than this one." if not bigger else "most examples ask for more than this one."),
        QuestionKind.BATCH_AVERAGE, about)
