"""The stepper's pages and the texts of backpropagation proper, with the real numbers (no Qt).

Every number here is read off ``core.nudges`` and written by ``numbers`` (one format per kind
of number); tests format the core's values the same way and look for them in these texts. The
pages after backpropagation (the input's wish, the step, η, the mini-batch) and "Wiggle it" are
in ``step_pages``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from ..core.naming import shown
from ..core.nudges import BatchNudges, ExampleNudges, LayerNudges
from .numbers import (DC_DA, DIGITS, NBSP, SUPERSCRIPTS, Scale, activation, common_exponent, cost, equals, keep,  # noqa: F401
                      scale_label, significant, weight)

#: Below this f'(z) a neuron is called saturated: for the sigmoid, a above 0.947 or below 0.053.
SATURATED = 0.05
#: Names of the costs as the network carries them (``Cost.name``).
SQUARED_ERROR, SOFTMAX_CROSS_ENTROPY, BOOK_CROSS_ENTROPY = "mse", "cross-entropy", "binary cross-entropy"


class Kind(StrEnum):
    FORWARD = "forward"
    COST = "cost"
    WANTS = "wants"
    EDGES = "edges"
    INPUT = "input"
    STEP = "step"
    ETA = "eta"
    BATCH = "batch"


@dataclass(frozen=True)
class Page:
    kind: Kind
    layer: int = 0
    title: str = ""


def layer_name(l: int, n_layers: int) -> str:
    """The one name of layer ``l`` (1..L) used everywhere, on one line: "hidden layer 1", ..., "the output layer"."""
    return keep("the output layer" if l == n_layers else f"hidden layer {l}")


def neuron_name(l: int, k: int, n_layers: int, names) -> str:
    """Neuron ``k`` of layer ``l`` (0..L) in running text, on one line: "output 2", "neuron 6 of hidden layer 1"."""
    if l == 0:
        return keep(f"pixel {shown(k)}")
    if l == n_layers:
        return keep(f"output {names[k]}")
    return keep(f"neuron {shown(k)} of {layer_name(l, n_layers)}")


def capital(text: str) -> str:
    """``text`` starting a sentence (the rest as it is: "output T-shirt", not "Output t-shirt")."""
    return text[:1].upper() + text[1:]


def plan(n_layers: int) -> list[Page]:
    """The walk for a network of ``n_layers`` weight layers: backwards from the output."""
    pages = [Page(Kind.FORWARD, title="The example and the forward pass"), Page(Kind.COST, title="The cost of this example")]
    for l in range(n_layers, 0, -1):
        name = layer_name(l, n_layers)
        pages.append(Page(Kind.WANTS, l, f"What {name} wants" if l == n_layers else f"What {name} should change"))
        pages.append(Page(Kind.EDGES, l, f"The chain in {name}: δ, biases and weights"))
    return pages + [Page(Kind.STEP, title="The step"), Page(Kind.BATCH, title="A mini-batch: the average of the nudges")]


def walk(n_layers: int) -> list[Page]:
    """The lesson's walk: ``plan``'s pages, with the input's wish after the first layer's chain and
    a page on the step's size η after the step."""
    pages = plan(n_layers)
    edges_1 = next(i for i, p in enumerate(pages) if p.kind is Kind.EDGES and p.layer == 1)
    pages.insert(edges_1 + 1, Page(Kind.INPUT, title="How the image itself would like to change"))
    step = next(i for i, p in enumerate(pages) if p.kind is Kind.STEP)
    pages.insert(step + 1, Page(Kind.ETA, title="How big a step: the learning rate η"))
    return pages


def layer_scale(layer: LayerNudges) -> Scale:
    """One scale for everything a layer's pages say: ∂C/∂a, δ, wishes and nudges."""
    return Scale(*[a for a in (layer.activation_gradients, layer.deltas, layer.activation_nudges, layer.bias_nudges,
                               layer.weight_nudges, layer.wishes) if a is not None])


def page_scale(p: Page, n: ExampleNudges) -> Scale:
    """The common scale of a page's small numbers (none for the pages without them)."""
    if p.kind in (Kind.WANTS, Kind.EDGES):
        return layer_scale(n.layer(p.layer))
    if p.kind is Kind.COST:
        return cost_scale(n)
    if p.kind is Kind.INPUT:
        return Scale(n.input_nudges, n.layer(1).deltas, -n.learning_rate * n.layer(1).deltas)
    return Scale()


# -- the texts -------------------------------------------------------------------------------------


def output_table(n: ExampleNudges, names, target: int, costs: np.ndarray | None = None, formula: str = "",
                 scale: Scale | None = None) -> str:
    """One row per output neuron: its name, its activation a, the target y (and its cost term, on ``scale``)."""
    scale = scale or Scale()
    rows = "".join(
        f"<tr><td>{names[j]}{' ←' if j == target else ''}</td><td align=right>{activation(n.output[j])}</td>"
        f"<td align=right>{n.target[j]:.0f}</td>"
        + (f"<td align=right>{scale(costs[j], sign=False)}</td>" if costs is not None else "") + "</tr>"
        for j in range(len(n.output)))
    head = "".join(f"<th>{h}</th>" for h in ("output", "a", "target y") + ((formula,) if costs is not None else ()))
    return f"<table cellspacing=6><tr>{head}</tr>{rows}</table>"


def which_cross_entropy(cost_name: str) -> str:
    """The sentence that says which of the two cross-entropies a page shows, or nothing."""
    if cost_name == BOOK_CROSS_ENTROPY:
        return ("Under cross-entropy the book's way (Nielsen, chapter 3): the same sigmoid outputs, judged by another "
                "cost. (The training option “cross-entropy” pairs it with softmax outputs instead.)")
    if cost_name == SOFTMAX_CROSS_ENTROPY:
        return ("This network was trained with cross-entropy on softmax outputs: its outputs share 1 between them, and "
                "C is −ln of the target's output.")
    return ""


def forward_text(n: ExampleNudges, names, cost_name: str) -> str:
    answer = int(n.output.argmax())
    share = ("The outputs are a softmax: they add up to 1, so each is the network's probability for that digit."
             if cost_name == SOFTMAX_CROSS_ENTROPY else
             "Each output is its own sigmoid between 0 and 1 (they need not add up to 1): the answer is the most active one.")
    return (f"A <b>{names[n.label]}</b> is the target. The image goes in as {len(n.x)} pixel activations between "
            f"0 and 1. Every other neuron computes <i>a</i>{NBSP}={NBSP}σ(<i>w</i>·<i>a</i><sub>prev</sub>{NBSP}+{NBSP}<i>b</i>) "
            f"from the layer before it. The network answers <b>{names[answer]}</b> (its output neuron is at "
            f"{equals('a', activation(n.output[answer]))}). {share}<br>" + output_table(n, names, n.label))


def cost_formula(cost_name: str) -> str:
    if cost_name == SQUARED_ERROR:
        return "(a<sub>j</sub>{0}−{0}y<sub>j</sub>)²".format(NBSP)
    if cost_name == BOOK_CROSS_ENTROPY:
        return "−[y<sub>j</sub>{0}ln{0}a<sub>j</sub>{0}+{0}(1{0}−{0}y<sub>j</sub>){0}ln(1{0}−{0}a<sub>j</sub>)]".format(NBSP)
    return f"−y<sub>j</sub>{NBSP}ln{NBSP}a<sub>j</sub>"


def cost_text(n: ExampleNudges, names, cost_name: str) -> str:
    formula = cost_formula(cost_name)
    note = which_cross_entropy(cost_name)
    scale = cost_scale(n)
    return ((note + "<br><br>" if note else "") + f"How bad is this answer? Each output adds {formula} to the cost of this example:"
            + output_table(n, names, n.label, n.costs, formula, scale)
            + f"C{NBSP}={NBSP}Σ<sub>j</sub>{NBSP}{formula}{NBSP}={NBSP}<b>{scale(n.cost, sign=False)}</b>"
            + ("" if not scale.exponent else f" ({cost(n.cost)})") + ". Learning means making this smaller.")


def cost_scale(n: ExampleNudges) -> Scale:
    """The cost page's scale: its terms are as small as the cost, most far smaller."""
    return Scale(n.costs, [n.cost])


def cost_gradient(cost_name: str) -> str:
    """∂C/∂a_j of each cost, as the pages write it."""
    if cost_name == SQUARED_ERROR:
        return "∂C/\u2060∂a<sub>j</sub>{0}={0}2(a<sub>j</sub>{0}−{0}y<sub>j</sub>)".format(NBSP)
    if cost_name == BOOK_CROSS_ENTROPY:
        return "∂C/\u2060∂a<sub>j</sub>{0}={0}(a<sub>j</sub>{0}−{0}y<sub>j</sub>){0}/{0}(a<sub>j</sub>(1{0}−{0}a<sub>j</sub>))".format(NBSP)
    return "∂C/\u2060∂a<sub>j</sub>{0}={0}−y<sub>j</sub>/\u2060a<sub>j</sub>".format(NBSP)


def output_wants_text(n: ExampleNudges, names, k: int, cost_name: str, scale: Scale, follow_note: str = "") -> str:
    layer = n.layers[-1]
    wants = layer.activation_nudges
    eta = f"η{NBSP}={NBSP}{n.learning_rate:g}"
    if cost_name == SOFTMAX_CROSS_ENTROPY:
        others = ("Only the target's term depends on its own output, so the others' ∂C/\u2060∂a is 0: they are pulled down "
                  "through the softmax, which shares 1 among all ten.")
    else:
        worst = int(np.argmin(wants))
        others = (f"every other one down, most of all <b>{names[worst]}</b> ({scale(wants[worst])}). "
                  "The arrows show it.")
    return (f"Each output neuron should move its activation by −η{NBSP}∂C/\u2060∂a<sub>j</sub>, with {cost_gradient(cost_name)} "
            f"and {eta}: the target <b>{names[n.label]}</b> up by <b>{scale(wants[n.label])}</b>"
            f"{'; ' if cost_name != SOFTMAX_CROSS_ENTROPY else '. '}{others}<br><br>"
            f"{capital(neuron_name(len(n.layers), k, len(n.layers), names))}{' ' + follow_note.strip() if follow_note.strip() else ''}: "
            f"{equals('a', activation(n.output[k]))}, {equals('y', f'{n.target[k]:.0f}')}, "
            f"{equals(DC_DA, scale(layer.activation_gradients[k]))}, wants <b>{scale(wants[k])}</b>.")


def wish_table(heading: str, rows, weights: np.ndarray, deltas: np.ndarray, wishes: np.ndarray, scale: Scale) -> str:
    """Every wish −η w δ for one neuron, biggest first, with the w and δ it is made of.

    Every row: the text adds them up, and a learner can only check a sum they see whole.
    """
    lines = "".join(f"<tr><td>{rows[j]}</td><td align=right>{weight(weights[j])}</td>"
                    f"<td align=right>{scale(deltas[j])}</td><td align=right>{scale(wishes[j])}</td></tr>"
                    for j in np.argsort(-np.abs(wishes)))
    return (f"<table cellspacing=4><tr><th align=left>{heading}</th><th>w</th><th>δ</th>"
            f"<th>asks{NBSP}−η{NBSP}w{NBSP}δ</th></tr>{lines}</table>")


def hidden_wants_text(n: ExampleNudges, weights: list[np.ndarray], l: int, k: int, follow_note: str,
                      scale: Scale, names) -> str:
    """What hidden layer ``l`` should change, for neuron ``k``: the sum of every wish of the next layer."""
    L = len(n.layers)
    layer, nxt = n.layer(l), n.layer(l + 1)
    next_name = layer_name(l + 1, L)
    wishes = layer.wishes[:, k]
    rows = [keep(f"output {names[j]}") if l + 1 == L else keep(f"neuron {shown(j)}") for j in range(len(wishes))]
    table = wish_table(f"from {next_name}", rows, weights[l][:, k], nxt.deltas, wishes, scale)
    return (f"A neuron of {layer_name(l, L)} cannot be told what to be; it can only be asked, by every neuron of "
            f"{next_name} at once. Neuron j asks −η{NBSP}w<sub>jk</sub>{NBSP}δ<sub>j</sub>: its own δ<sub>j</sub> (how "
            f"much the cost wants its z to move), weighted by the weight between them. The sum over j is the arrow, "
            f"−η{NBSP}Σ<sub>j</sub>{NBSP}w<sub>jk</sub>{NBSP}δ<sub>j</sub>.<br><br>"
            f"Neuron <b>{shown(k)}</b> ({equals('a', activation(n.forward.activations[l][0][k]))}) {follow_note}— "
            f"the wishes of all {len(wishes)}, biggest first:{table}sum: <b>{scale(layer.activation_nudges[k])}</b>")


def slope_name(n: ExampleNudges, l: int) -> str:
    """σ′(z) = a(1 − a) where layer ``l`` is a sigmoid, else f′(z)."""
    layer, a = n.layer(l), n.forward.activations[l][0]
    sigmoid = layer.derivatives is not None and np.allclose(layer.derivatives, a * (1 - a), rtol=1e-4, atol=1e-9) \
        and a.min() >= 0 and a.max() <= 1 and not np.isin(a, (0.0, 1.0)).all()
    return f"σ′(z){NBSP}={NBSP}a(1{NBSP}−{NBSP}a)" if sigmoid else "f′(z)"


def saturation_text(n: ExampleNudges, l: int, k: int, name: str) -> str:
    """What a small f′(z) means here, or nothing when the neuron is not saturated."""
    layer = n.layer(l)
    if layer.derivatives is None or layer.derivatives[k] >= SATURATED:
        return ""
    a = n.forward.activations[l][0][k]
    opening = f" {name.split(NBSP)[0]} is small here: the neuron is <b>saturated</b> ({equals('a', activation(a))})."
    if l < len(n.layers):
        return opening + " It is sure of itself, so it learns slowly, whatever the cost asks of it."
    wrong = (a > 0.5) != (n.target[k] > 0.5)
    if wrong:
        return opening + (" It is sure of itself and wrong, and still learns slowly: the flat sigmoid hides how wrong it "
                          "is. Cross-entropy cures this.")
    return opening + " It is sure of itself, and right: it has little left to learn."


def chain_text(n: ExampleNudges, weights: list[np.ndarray], l: int, k: int, follow_note: str, scale: Scale,
               names, squared: ExampleNudges | None = None) -> str:
    """The chain at neuron ``k`` of layer ``l``: ∂C/∂a × f′(z) = δ; then the bias, weight and wish nudges.

    ``squared``: the same example's nudges under squared error, told beside these when the output
    layer is judged by the book's cross-entropy.
    """
    L = len(n.layers)
    layer = n.layer(l)
    eta = n.learning_rate
    previous = n.forward.activations[l - 1][0]
    a = n.forward.activations[l][0][k]
    bright, dim = int(np.argmax(previous)), int(np.argmin(previous))
    source = "pixel" if l == 1 else keep(f"neuron of {layer_name(l - 1, L)}")
    who = neuron_name(l, k, L, names)
    delta = f"δ{NBSP}={NBSP}∂C/\u2060∂z{NBSP}={NBSP}<b>{scale(layer.deltas[k])}</b>"
    saturation = ""
    if layer.derivatives is None:
        chain = (f"Under cross-entropy with softmax outputs the chain is short: δ{NBSP}={NBSP}∂C/\u2060∂z{NBSP}={NBSP}a{NBSP}−{NBSP}y"
                 f"{NBSP}={NBSP}<b>{scale(layer.deltas[k])}</b>. There is no σ′(z) factor, so a confidently wrong output "
                 f"still gets a big δ and learns fast.")
    elif l == L and squared is not None:
        s = squared.layer(l)
        chain = (f"Under cross-entropy {DC_DA}{NBSP}={NBSP}{keep('(a − y) / (a(1 − a))')}{NBSP}={NBSP}"
                 f"<b>{scale(layer.activation_gradients[k])}</b>, times how much a can move, "
                 f"{keep('σ′(z) = a(1 − a) =')}{NBSP}<b>{significant(layer.derivatives[k], sign=False)}</b>: "
                 f"the a(1{NBSP}−{NBSP}a) cancels, and δ{NBSP}={NBSP}a{NBSP}−{NBSP}y{NBSP}={NBSP}<b>{scale(layer.deltas[k])}</b>."
                 f"<br>Under squared error the same neuron has δ{NBSP}={NBSP}2(a{NBSP}−{NBSP}y){NBSP}·{NBSP}σ′(z){NBSP}="
                 f"{NBSP}<b>{scale(s.deltas[k])}</b>: the σ′ that cross-entropy cancels "
                 + ("makes it much smaller." if abs(s.deltas[k]) < 0.5 * abs(layer.deltas[k]) else "changes it little here."))
    else:
        d, name = layer.derivatives[k], slope_name(n, l)
        chain = (f"How much the cost wants a to move, {equals(DC_DA, f'<b>{scale(layer.activation_gradients[k])}</b>')}, "
                 f"times how much a can move, {name}{NBSP}={NBSP}<b>{significant(d, sign=False)}</b>, gives {delta}.")
        saturation = saturation_text(n, l, k, name)
    wish = ""
    if l > 1:
        wish = (f"<br>δ times each incoming weight is this neuron's wish for {layer_name(l - 1, L)}, −η{NBSP}δ{NBSP}w: "
                f"<b>{scale(-eta * layer.deltas[k] * weights[l - 1][k, bright])}</b> for the brightest {source} "
                f"({equals('w', weight(weights[l - 1][k, bright]))}).")
    return (f"{capital(who)} ({equals('a', activation(a))}) {follow_note}<br><br>{chain}{saturation}<br><br>"
            f"Bias nudge −η{NBSP}δ{NBSP}={NBSP}<b>{scale(layer.bias_nudges[k])}</b> (the bar on the neuron).<br>"
            f"Weight nudges −η{NBSP}δ{NBSP}a<sub>i</sub> (the edges): from the brightest {source} "
            f"({equals('a', activation(previous[bright]))}) <b>{scale(layer.weight_nudges[k, bright])}</b>, from the "
            f"darkest ({equals('a', activation(previous[dim]))}) <b>{scale(layer.weight_nudges[k, dim])}</b>. Weights from "
            f"brighter neurons get bigger nudges: they are the ones that mattered." + wish)


def batch_targets_text(b: BatchNudges, member: int, names) -> str:
    """What the mini-batch compares its outputs with: each example's own label (``member`` 1..n: that one's)."""
    if member == 0:
        return "each example's own label: " + ", ".join(names[e.label] for e in b.examples)
    return f"{names[b.examples[member - 1].label]} (example{NBSP}{member} of the mini-batch)"
