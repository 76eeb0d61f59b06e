"""The stepper's pages and their text, with the real numbers, formatted for a learner (no Qt).

Every number here is read off ``core.nudges``; tests format the core's values with the same
``significant`` and look for them in these texts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from ..core.naming import shown
from ..core.nudges import BatchNudges, ExampleNudges, StepResult

DIGITS = 3
#: Below this f'(z) a neuron is called saturated: for the sigmoid, a above 0.947 or below 0.053.
SATURATED = 0.05
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


class Kind(StrEnum):
    FORWARD = "forward"
    COST = "cost"
    WANTS = "wants"
    EDGES = "edges"
    STEP = "step"
    BATCH = "batch"


@dataclass(frozen=True)
class Page:
    kind: Kind
    layer: int = 0
    title: str = ""


def layer_name(l: int, n_layers: int) -> str:
    """The one name of layer ``l`` (1..L) used everywhere: "hidden layer 1", ..., "the output layer"."""
    return "the output layer" if l == n_layers else f"hidden layer {l}"


def plan(n_layers: int) -> list[Page]:
    """The walk for a network of ``n_layers`` weight layers: backwards from the output."""
    pages = [Page(Kind.FORWARD, title="The example and the forward pass"), Page(Kind.COST, title="The cost of this example")]
    for l in range(n_layers, 0, -1):
        name = layer_name(l, n_layers)
        pages.append(Page(Kind.WANTS, l, f"What {name} wants" if l == n_layers else f"What {name} should change"))
        pages.append(Page(Kind.EDGES, l, f"The chain in {name}: δ, biases and weights"))
    return pages + [Page(Kind.STEP, title="The step"), Page(Kind.BATCH, title="A mini-batch: the average of the nudges")]


def significant(value: float, digits: int = DIGITS, sign: bool = True) -> str:
    """``value`` with ``digits`` significant digits in plain decimal notation, never 1e-06."""
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:+.{decimals}f}" if sign else f"{value:.{decimals}f}"
    # rounding can carry into a new digit (0.09996 -> 0.1000): one decimal fewer keeps the count
    if len(text.lstrip("+-").replace(".", "").lstrip("0")) > digits and decimals > 0:
        text = f"{value:+.{decimals - 1}f}" if sign else f"{value:.{decimals - 1}f}"
    return text


def common_exponent(values) -> int:
    """A multiple of 3, at most 0, that brings the largest |value| to 1 or more: nudges of ~0.004 -> -3."""
    largest = float(np.max(np.abs(values))) if np.size(values) else 0.0
    if largest == 0 or largest >= 1 or not math.isfinite(largest):
        return 0
    return 3 * math.floor(math.log10(largest) / 3)


def scale_label(exponent: int) -> str:
    return "" if exponent == 0 else f"×10{str(exponent).translate(SUPERSCRIPTS)}"


class Scale:
    """Numbers of one page on one common scale: shown as value / 10^exponent, each with its scale.

    The scale goes with every number it changes ("−12.3×10⁻³"), not only in the heading: beside
    a plain δ = −0.0123 a bare "−12.3" reads as a mismatch.
    """

    def __init__(self, *arrays):
        self.exponent = common_exponent(np.concatenate([np.ravel(a) for a in arrays]) if arrays else [])

    def __call__(self, value: float, sign: bool = True) -> str:
        return significant(float(value) / 10.0 ** self.exponent, sign=sign) + scale_label(self.exponent)

    @property
    def heading(self) -> str:
        """Say the scale once, in the heading: "(nudges ×10⁻³)", or nothing at scale 1."""
        return f" (nudges {scale_label(self.exponent)})" if self.exponent else ""


def activation(value: float) -> str:
    return significant(value, sign=False) if value >= 0.001 else f"{value:.3f}"


# -- the texts -------------------------------------------------------------------------------------


def output_table(n: ExampleNudges, names, target: int, costs: np.ndarray | None = None, formula: str = "") -> str:
    """One row per output neuron: its name, its activation a, the target y (and its cost term)."""
    rows = "".join(
        f"<tr><td>{names[j]}{' ←' if j == target else ''}</td><td align=right>{n.output[j]:.3f}</td>"
        f"<td align=right>{n.target[j]:.0f}</td>"
        + (f"<td align=right>{costs[j]:.4f}</td>" if costs is not None else "") + "</tr>"
        for j in range(len(n.output)))
    head = "".join(f"<th>{h}</th>" for h in ("output", "a", "target y") + ((formula,) if costs is not None else ()))
    return f"<table cellspacing=6><tr>{head}</tr>{rows}</table>"


def forward_text(n: ExampleNudges, names, cost_name: str) -> str:
    answer = int(n.output.argmax())
    share = ("The outputs are a softmax: they add up to 1, so each is the network's probability for that digit."
             if cost_name == "cross-entropy" else
             "Each output is its own sigmoid between 0 and 1 (they need not add up to 1): the answer is the most active one.")
    return (f"A <b>{names[n.label]}</b> is the target. The image goes in as {len(n.x)} pixel activations between "
            f"0 and 1. Every other neuron computes <i>a</i> = σ(<i>w</i>·<i>a</i><sub>prev</sub> + <i>b</i>) from the "
            f"layer before it. The network answers <b>{names[answer]}</b> (its output neuron is at a = "
            f"{n.output[answer]:.3f}). {share}<br>" + output_table(n, names, n.label))


def cost_formula(cost_name: str) -> str:
    return "(a<sub>j</sub> − y<sub>j</sub>)²" if cost_name == "mse" else "−y<sub>j</sub> ln a<sub>j</sub>"


def cost_text(n: ExampleNudges, names, cost_name: str) -> str:
    formula = cost_formula(cost_name)
    return (f"How bad is this answer? Each output adds {formula} to the cost of this example:"
            + output_table(n, names, n.label, n.costs, formula)
            + f"C = Σ<sub>j</sub> {formula} = <b>{n.cost:.4f}</b>. Learning means making this smaller.")


def output_wants_text(n: ExampleNudges, names, k: int, cost_name: str, scale: Scale) -> str:
    layer = n.layers[-1]
    gradient = ("∂C/∂a<sub>j</sub> = 2(a<sub>j</sub> − y<sub>j</sub>)" if cost_name == "mse"
                else "∂C/∂a<sub>j</sub> = −y<sub>j</sub>/a<sub>j</sub> (only the target's term is not 0)")
    worst = int(np.argmin(layer.activation_nudges))
    return (f"Each output neuron should move its activation by −η ∂C/∂a<sub>j</sub>, with {gradient} and "
            f"η = {n.learning_rate:g}: the target <b>{names[n.label]}</b> up by <b>{scale(layer.activation_nudges[n.label])}</b>, "
            f"every other one down, most of all <b>{names[worst]}</b> ({scale(layer.activation_nudges[worst])}). "
            f"The arrows show it.<br><br>Output {names[k]}: a = {n.output[k]:.3f}, y = {n.target[k]:.0f}, "
            f"∂C/∂a = {significant(layer.activation_gradients[k])}, wants <b>{scale(layer.activation_nudges[k])}</b>.")


def hidden_wants_text(n: ExampleNudges, weights: list[np.ndarray], l: int, k: int, follow_note: str,
                      scale: Scale, names) -> str:
    """What hidden layer ``l`` should change, for neuron ``k``: the sum of the next layer's wishes."""
    L = len(n.layers)
    layer, nxt = n.layer(l), n.layer(l + 1)
    next_name = layer_name(l + 1, L)
    wishes = layer.wishes[:, k]
    order = np.argsort(-np.abs(wishes))[: len(wishes) if len(wishes) <= 10 else 6]
    lines = "".join(
        f"<tr><td>{f'output {names[j]}' if l + 1 == L else f'neuron {shown(j)} of {next_name}'}</td><td align=right>w = {significant(weights[l][j, k])}</td>"
        f"<td align=right>δ = {significant(nxt.deltas[j])}</td><td align=right>asks {scale(wishes[j])}</td></tr>"
        for j in order)
    return (f"A neuron of {layer_name(l, L)} cannot be told what to be; it can only be asked, by every neuron of "
            f"{next_name} at once. Neuron j asks −η w<sub>jk</sub> δ<sub>j</sub>: its own δ<sub>j</sub> (how much the "
            f"cost wants its z to move), weighted by the weight between them. The sum over j is the arrow, "
            f"−η Σ<sub>j</sub> w<sub>jk</sub> δ<sub>j</sub>.<br><br>"
            f"Neuron <b>{shown(k)}</b> (a = {activation(n.forward.activations[l][0][k])}) {follow_note}— "
            f"{'the wishes, biggest first' if len(order) == len(wishes) else 'the biggest wishes'}"
            f"<table cellspacing=4>{lines}</table>sum over all {len(wishes)}: <b>{scale(layer.activation_nudges[k])}</b>")


def slope_name(n: ExampleNudges, l: int) -> str:
    """σ′(z) = a(1 − a) where layer ``l`` is a sigmoid, else f′(z)."""
    layer, a = n.layer(l), n.forward.activations[l][0]
    sigmoid = layer.derivatives is not None and np.allclose(layer.derivatives, a * (1 - a), rtol=1e-4, atol=1e-9) \
        and a.min() >= 0 and a.max() <= 1 and not np.isin(a, (0.0, 1.0)).all()
    return "σ′(z) = a(1 − a)" if sigmoid else "f′(z)"


def chain_text(n: ExampleNudges, weights: list[np.ndarray], l: int, k: int, follow_note: str, scale: Scale,
               names) -> str:
    """The chain at neuron ``k`` of layer ``l``: ∂C/∂a × f′(z) = δ; then the bias, weight and wish nudges."""
    L = len(n.layers)
    layer = n.layer(l)
    eta = n.learning_rate
    previous = n.forward.activations[l - 1][0]
    a = n.forward.activations[l][0][k]
    bright, dim = int(np.argmax(previous)), int(np.argmin(previous))
    source = "pixel" if l == 1 else f"neuron of {layer_name(l - 1, L)}"
    who = f"Output {names[k]}" if l == L else f"Neuron {shown(k)}"
    slope = ""
    if layer.derivatives is None:
        chain = (f"Under cross-entropy with softmax outputs the chain is short: δ = ∂C/∂z = a − y = "
                 f"<b>{significant(layer.deltas[k])}</b>. There is no σ′(z) factor, so a confidently wrong output still "
                 f"gets a big δ and learns fast.")
    else:
        d, name = layer.derivatives[k], slope_name(n, l)
        chain = (f"How much the cost wants a to move, ∂C/∂a = <b>{significant(layer.activation_gradients[k])}</b>, times "
                 f"how much a can move, {name} = <b>{significant(d, sign=False)}</b>, gives "
                 f"δ = ∂C/∂z = <b>{significant(layer.deltas[k])}</b>.")
        if d < SATURATED:
            slope = (f" {name.split(' =')[0]} is small here: the neuron is <b>saturated</b> (a = {activation(a)}). It is "
                     f"sure of itself, so it learns slowly — even when it is wrong.")
    wish = ""
    if l > 1:
        wish = (f"<br>δ times each incoming weight is this neuron's wish for {layer_name(l - 1, L)}, −η δ w: "
                f"<b>{scale(-eta * layer.deltas[k] * weights[l - 1][k, bright])}</b> for the brightest {source} "
                f"(w = {significant(weights[l - 1][k, bright])}).")
    return (f"{who} of {layer_name(l, L)} (a = {activation(a)}) {follow_note}<br><br>{chain}{slope}<br><br>"
            f"Bias nudge −η δ = <b>{scale(layer.bias_nudges[k])}</b> (the arrows).<br>"
            f"Weight nudges −η δ a<sub>i</sub> (the edges): from the brightest {source} (a = {activation(previous[bright])}) "
            f"<b>{scale(layer.weight_nudges[k, bright])}</b>, from the darkest (a = {activation(previous[dim])}) "
            f"<b>{scale(layer.weight_nudges[k, dim])}</b>. Weights from brighter neurons get bigger nudges: they are "
            f"the ones that mattered." + wish)


def step_text(n: ExampleNudges, r: StepResult, names, again: bool = False) -> str:
    opening = "One more step from here" if again else "Now take the step"
    return (f"{opening}: add every nudge (η = {n.learning_rate:g}) to its weight or bias. On this example "
            f"the cost goes from <b>{r.cost_before:.4f}</b> to <b>{r.cost_after:.4f}</b>, and the target "
            f"{names[n.label]}'s activation from {r.output_before[n.label]:.4f} to <b>{r.output_after[n.label]:.4f}</b>. "
            f"The picture shows the network after the step (on a copy until you apply it).")


def batch_text(b: BatchNudges, member: int, names) -> str:
    average = np.concatenate([w.ravel() for w in b.weight_nudges])
    agreement = [float(np.dot(v, average) / (np.linalg.norm(v) * np.linalg.norm(average) or 1.0))
                 for v in (np.concatenate([l.weight_nudges.ravel() for l in e.layers]) for e in b.examples)]
    labels = ", ".join(names[e.label] for e in b.examples)
    shown = "their <b>average</b>" if member == 0 else f"example {member} alone (a {names[b.examples[member - 1].label]})"
    return (f"One example pulls the network towards itself only. Stochastic gradient descent takes a mini-batch "
            f"of the <b>training set</b> — here {len(b.examples)} examples: {labels} — and steps by the <b>average</b> "
            f"of their nudges. Showing {shown}.<br><br>How much each example's wish points the way of the average "
            f"(cosine): " + ", ".join(f"{c:.2f}" for c in agreement)
            + f".<br>No example asks exactly for the average step; mean cost of the mini-batch {b.cost:.4f}.")


def batch_targets_text(b: BatchNudges, member: int, names) -> str:
    """What the mini-batch compares its outputs with: each example's own label (``member`` 1..n: that one's)."""
    if member == 0:
        return "each example's own label: " + ", ".join(names[e.label] for e in b.examples)
    return f"{names[b.examples[member - 1].label]} (example {member} of the mini-batch)"


def page_scale(p: Page, n: ExampleNudges) -> Scale:
    """The common scale of a page's nudges (none for the pages without nudges)."""
    if p.kind in (Kind.WANTS, Kind.EDGES):
        layer = n.layer(p.layer)
        return Scale(*[a for a in (layer.activation_nudges, layer.bias_nudges, layer.weight_nudges, layer.wishes)
                       if a is not None])
    return Scale()


def page_text(p: Page, n: ExampleNudges, result: StepResult, batch: BatchNudges, network, names, scale: Scale, k: int,
              follow_note: str, member: int, repeated_costs=None) -> str:
    """The text of page ``p`` for neuron ``k`` (and mini-batch ``member``) of ``network``'s nudges ``n``."""
    cost = network.cost.name
    if p.kind is Kind.FORWARD:
        return forward_text(n, names, cost)
    if p.kind is Kind.COST:
        return cost_text(n, names, cost)
    if p.kind is Kind.WANTS and p.layer == len(n.layers):
        return output_wants_text(n, names, k, cost, scale)
    if p.kind is Kind.WANTS:
        return hidden_wants_text(n, network.weights, p.layer, k, follow_note, scale, names)
    if p.kind is Kind.EDGES:
        text = chain_text(n, network.weights, p.layer, k, follow_note, scale, names)
        return text + (" Below: each first-layer neuron's weight nudges as a picture." if p.layer == 1 else "")
    if p.kind is Kind.STEP:
        text = step_text(n, result, names, again=repeated_costs is not None)
        if repeated_costs is not None:
            text = (f"<b>Applied {len(repeated_costs) - 1} times</b>: this example's cost went "
                    + " → ".join(f"{c:.3f}" for c in repeated_costs) + ". " + text)
        return text + ("<br>Below: the outputs before and after, and the cost around the network, along the "
                       "gradient and on a slice through it (on a sample of the training set).")
    return batch_text(batch, member, names)
