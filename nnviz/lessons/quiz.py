"""Ask me first: a question before a page's reveal, answered by a click (no Qt).

Predicting before seeing makes a learner remember more (Kim, Reinecke & Hullman, CHI 2017).
Each question is about this example, and its answer and reason come from the core's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.naming import shown
from ..core.nudges import ExampleNudges, StepResult
from .pages import Kind, Page, layer_name, significant


@dataclass(frozen=True)
class Question:
    text: str
    options: tuple[str, ...]
    answer: int  # index into options
    reason: str

    def verdict(self, chosen: int) -> str:
        head = "Right." if chosen == self.answer else f"Not quite: it is <b>{self.options[self.answer]}</b>."
        return f"<b>{head}</b> {self.reason}"


def question_for(page: Page, n: ExampleNudges, result: StepResult, names, followed: int) -> Question | None:
    """The question asked before ``page`` is revealed, or None for pages without one."""
    L = len(n.layers)
    if page.kind is Kind.WANTS and page.layer == L:
        answer = int(n.output.argmax())
        j = answer if answer != n.label else int(np.argsort(n.output)[-2])  # a wrong output the network likes
        want = n.layers[-1].activation_nudges[j]
        return Question(
            f"Output {names[j]} is at a = {n.output[j]:.3f} and the target is {names[n.label]}. "
            f"Which way will the cost want output {names[j]} to move?",
            ("up", "down"), 0 if want > 0 else 1,
            f"Its target y is {n.target[j]:.0f}, so the cost wants it {'up' if want > 0 else 'down'}: "
            f"−η ∂C/∂a = {significant(want)}.")
    if page.kind is Kind.EDGES:
        layer = n.layer(page.layer)
        previous = n.forward.activations[page.layer - 1][0]
        bright = int(np.argmax(previous))
        # a dim but lit one: against a neuron at 0 (most pixels) the answer would be obvious
        lit = np.flatnonzero((previous > 0.05) & (np.arange(len(previous)) != bright))
        dim = int(lit[np.argmin(previous[lit])]) if len(lit) else int(np.argmin(previous))
        source = "pixel" if page.layer == 1 else "neuron"
        who = f"output {names[followed]}" if page.layer == L else f"neuron {shown(followed)} of {layer_name(page.layer, L)}"
        nudges = layer.weight_nudges[followed]
        first, second = (bright, dim) if (bright + dim + followed) % 2 else (dim, bright)  # the order says nothing
        bigger = 0 if abs(nudges[first]) >= abs(nudges[second]) else 1
        return Question(
            f"Two weights into {who}: from {source} {shown(first)} "
            f"(a = {previous[first]:.3f}) and from {source} {shown(second)} (a = {previous[second]:.3f}). "
            f"Which gets the bigger nudge?",
            (f"from {source} {shown(first)}", f"from {source} {shown(second)}"), bigger,
            f"Each weight's nudge is −η δ a<sub>i</sub>: the same δ for both, times the activation it comes from: "
            f"{significant(nudges[first])} against {significant(nudges[second])}.")
    if page.kind is Kind.WANTS and page.layer < L:
        wants = np.abs(n.layer(page.layer).activation_nudges)
        order = np.argsort(-wants)
        # the biggest, a middling and the smallest, in neuron order so the position says nothing
        candidates = sorted({int(order[0]), int(order[len(order) // 2]), int(order[-1])})
        best = candidates.index(int(order[0]))
        return Question(
            f"Which of these neurons of {layer_name(page.layer, L)} will want to change the most (the longest arrow)?",
            tuple(f"neuron {shown(k)}" for k in candidates), best,
            "It sums the next layer's wishes weighted by its outgoing weights: "
            + ", ".join(f"neuron {shown(k)}: {significant(n.layer(page.layer).activation_nudges[k])}" for k in candidates) + ".")
    if page.kind is Kind.STEP:
        down = result.cost_after < result.cost_before
        return Question(
            f"After one step with η = {n.learning_rate:g}, will this example's cost go down?",
            ("yes", "no"), 0 if down else 1,
            f"From {result.cost_before:.4f} to {result.cost_after:.4f}: "
            + ("a small enough step against the gradient always lowers it." if down else
               "η is so large that the step overshoots the valley."))
    return None
