"""The texts after backpropagation proper (no Qt): the input's wish, the step and what the gradient
predicted of it, the step's size η, the mini-batch in numbers, why SGD averages, and "Wiggle it".

Numbers are read off ``core.nudges`` and written by ``numbers``, as in ``pages``.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.naming import shown
from ..core.network import parameter_count
from ..core.nudges import BatchNudges, ExampleNudges, Parameter, StepResult, Wiggle
from .applying import ApplyRecord
from .numbers import NBSP, Scale, activation, apart, apart_all, cost, equals, keep, short, significant, weight
from .pages import capital, layer_name, neuron_name, wish_table


def pixel_name(p: int, image_shape) -> str:
    """Pixel ``p`` (0-based) as a person finds it: "pixel 407 (row 15, column 15)"."""
    rows, columns = image_shape
    if rows * columns <= p:
        return keep(f"pixel {shown(p)}")
    return keep(f"pixel {shown(p)} (row {shown(p // columns)}, column {shown(p % columns)})")


def change(value: float) -> str:
    """A change of cost, signed: −0.00354."""
    return significant(value)


def input_pixel(n: ExampleNudges) -> int:
    """The pixel the input's page follows: the one with the biggest wish."""
    return int(np.argmax(np.abs(n.input_nudges)))


def input_text(n: ExampleNudges, weights: list[np.ndarray], image_shape, p: int, scale: Scale, names=()) -> str:
    """The input's wish, −η W1ᵀ δ1, and for pixel ``p`` every hidden neuron's share of it."""
    L = len(n.layers)
    first = n.layer(1)
    terms = -n.learning_rate * weights[0][:, p] * first.deltas
    rows = [keep(f"output {names[k]}") if L == 1 else keep(f"neuron {shown(k)}") for k in range(len(terms))]
    table = wish_table(f"from {layer_name(1, L)}", rows, weights[0][:, p], first.deltas, terms, scale)
    return (f"Backpropagation does not stop at {layer_name(1, L)}. The same rule gives a wish for every pixel: "
            f"−η{NBSP}∂C/\u2060∂x<sub>p</sub>{NBSP}={NBSP}−η{NBSP}Σ<sub>k</sub>{NBSP}w<sub>kp</sub>{NBSP}δ<sub>k</sub>, summed "
            f"over the {len(first.deltas)} neurons of {layer_name(1, L)}. The picture (blue: brighter, red: darker) is how "
            f"the image itself would like to change to lower the cost. The network cannot change its input, but the "
            f"picture shows which pixels it takes as evidence for the target, and which against.<br><br>"
            f"{capital(pixel_name(p, image_shape))}, {equals('a', activation(n.x[p]))}, has the biggest wish. The "
            f"wishes of all {len(terms)} neurons for it, biggest first:{table}sum: <b>{scale(n.input_nudges[p])}</b>")


def step_text(n: ExampleNudges, r: StepResult, names, predicted: float | None = None, repeated_costs=None) -> str:
    """The step on this example: its cost before and after, beside the gradient's first-order prediction."""
    text = ""
    if repeated_costs is not None:
        text = (f"<b>Applied {len(repeated_costs) - 1} times</b>: this example's cost went "
                + " → ".join(apart_all(repeated_costs)) + ". ")
    opening = "One more step from here" if repeated_costs is not None else "Now take the step"
    actual = r.cost_after - r.cost_before
    before, after = apart(r.cost_before, r.cost_after)
    a_before, a_after = apart(r.output_before[n.label], r.output_after[n.label], activation)
    text += (f"{opening}: add every nudge ({equals('η', short(n.learning_rate))}) to its weight or bias. On this "
             f"example the cost goes from <b>{before}</b> to <b>{after}</b> "
             f"(ΔC{NBSP}={NBSP}{change(actual)}), and the target {names[n.label]}'s activation from "
             f"{a_before} to <b>{a_after}</b>.")
    if predicted is not None:
        close = predicted != 0 and abs(actual - predicted) <= 0.2 * abs(predicted)
        text += (f"<br><br>The gradient predicted ΔC{NBSP}≈{NBSP}−η|∇C|²{NBSP}={NBSP}<b>{change(predicted)}</b>: each "
                 f"nudge's slope times its step, added up. "
                 + ("It is close: over a step this small the cost is nearly a straight line." if close else
                    "It is off: over a step this big the cost curves away from the straight line its slope "
                    "draws, and only a smaller η would make the prediction hold."))
    return text + ("<br><br>The picture shows the network after the step (on a copy until you apply it), its edges "
                   "coloured by how much the step changes them.")


def applied_text(record: ApplyRecord, sample_size: int) -> str:
    """What the last Apply did beyond the example: the cost on a fixed training sample, and why SGD averages."""
    if record.sample_costs is None:
        return ""
    before, after = record.sample_costs
    written = apart(before, after)
    sample = f"{sample_size:,}{NBSP}training examples"
    if record.kind == "batch":
        return (f"The mini-batch's average step took the mean cost on {sample} from <b>{written[0]}</b> to "
                f"<b>{written[1]}</b>.")
    example = record.example_costs
    mine = "" if example is None else "This example's cost went from {} to {}, ".format(*apart(*example))
    if after > before:
        return ((f"{mine}but " if mine else "") + f"on {sample} the mean cost <b>rose</b> from <b>{written[0]}</b> to "
                f"<b>{written[1]}</b>. A step for one example pulls the whole network towards that example alone, and "
                f"every other example pays for it: that is why SGD steps by the average of many examples' nudges.")
    return (f"{mine}and on {sample} the mean cost went from <b>{written[0]}</b> to <b>{written[1]}</b>: this time "
            f"what helped the example did not hurt the others on the whole.")


def eta_text(n: ExampleNudges, factors, costs, predicted: float) -> str:
    """This example's cost after one step of each size η × ``factors``, beside the first-order guess.

    ``predicted``: the gradient's ΔC at η (``core.nudges.predicted_change``), linear in η.
    """
    eta = n.learning_rate
    rows = "".join(
        f"<tr><td align=right>{short(eta * f)}</td><td align=right>{cost(n.cost + f * predicted)}</td>"
        f"<td align=right>{cost(c)}</td></tr>" for f, c in zip(factors, costs))
    best = int(np.argmin(costs))
    if best < len(costs) - 1:
        verdict = (f"The lowest cost comes at {equals('η', short(eta * factors[best]))}. Bigger steps overshoot: so far "
                   f"from where the slope was measured, the cost curves back up.")
    else:
        verdict = (f"Even {equals('η', short(eta * factors[-1]))} still lowers it: along this example's gradient the "
                   f"valley goes on that far. But a step that big for one example would pull the network away from all "
                   f"the others (see the mini-batch).")
    below = (" Where the straight line predicts a cost below 0, which no cost can reach, the first-order guess has "
             "clearly left the curve." if np.min(n.cost + np.asarray(factors) * predicted) < 0 else "")
    return (f"The nudges say which way is downhill here; η says how far to go. This example's cost is now "
            f"{equals('C', cost(n.cost))}. After one step of each size, as the gradient predicts it to first order "
            f"(C{NBSP}−{NBSP}η|∇C|²) and as it is:<table cellspacing=6><tr><th>η</th><th>predicted</th><th>after the step"
            f"</th></tr>{rows}</table>{verdict}{below}")


def parameter_name(parameter: Parameter, n_layers: int, names) -> str:
    """"the weight from neuron 5 of hidden layer 2 to output 2", or "the bias of output 2"."""
    to = neuron_name(parameter.layer, parameter.neuron, n_layers, names)
    if parameter.is_bias:
        return f"the bias of {to}"
    return f"the weight from {neuron_name(parameter.layer - 1, parameter.source, n_layers, names)} to {to}"


def batch_text(b: BatchNudges, member: int, names, parameter: Parameter | None = None, value: float | None = None,
               example_member: int | None = None, example_split: str | None = "train", scale: Scale | None = None) -> str:
    """The mini-batch: its examples, and for ``parameter`` (now ``value``) each one's nudge and their average.

    ``example_member``: which member (1..n) is the example on show, or None when it is not in the
    batch (it comes from ``example_split``, or is a drawing when that is None).
    """
    L = len(b.weight_nudges)
    labels = ", ".join(names[e.label] for e in b.examples)
    text = (f"One example pulls the network towards itself only. Stochastic gradient descent takes a mini-batch of the "
            f"<b>training set</b> — here {len(b.examples)} examples: {labels} — and steps by the <b>average</b> of their "
            f"nudges. ")
    if example_member is not None:
        text += f"The example on show is example{NBSP}{example_member} of the mini-batch"
        if example_split is None:
            text += (", your drawing with the digit you chose (training itself learns from training examples only: it "
                     "is here so that you can follow it). ")
        elif example_split != "train":
            text += (f", though it is a {example_split} image: training itself never learns from the {example_split} "
                     f"set; it is here so that you can follow it. ")
        else:
            text += ". "
    if parameter is not None:
        each = batch_parameter_nudges(b, parameter)
        scale = scale or Scale(each)
        symbol = "b" if parameter.is_bias else "w"
        rows = "".join(f"<tr><td>{keep(f'example {i + 1}')} (a{NBSP}{names[e.label]})</td><td align=right>{scale(each[i])}"
                       f"</td></tr>" for i, e in enumerate(b.examples))
        now = "" if value is None else f" ({equals(symbol, weight(value))})"
        text += (f"<br><br>For {parameter_name(parameter, L, names)}{now}, each example's nudge "
                 f"−η{NBSP}∂C<sub>x</sub>/\u2060∂{symbol}:<table cellspacing=4>{rows}</table>average: "
                 f"<b>{scale(np.mean(each))}</b>. That is exactly the change SGD's step makes to this "
                 f"{'bias' if parameter.is_bias else 'weight'} (with no momentum); the trainer finds the same average in "
                 f"one matrix product for all {len(b.examples)}.")
    shown_now = ("their <b>average</b>" if member == 0 else
                 f"example{NBSP}{member} alone (a{NBSP}{names[b.examples[member - 1].label]})")
    return text + f"<br><br>On the network: {shown_now}. Mean cost of the mini-batch: {cost(b.cost)}."


def batch_parameter_nudges(b: BatchNudges, parameter: Parameter) -> np.ndarray:
    """Each example's nudge to ``parameter``: shape (batch size,); their mean is the batch's step for it."""
    l = parameter.layer - 1
    if parameter.is_bias:
        return np.array([e.layers[l].bias_nudges[parameter.neuron] for e in b.examples])
    return np.array([e.layers[l].weight_nudges[parameter.neuron, parameter.source] for e in b.examples])


def wiggle_text(w: Wiggle, learning_rate: float, sizes, names, page_scale: Scale | None = None) -> str:
    """Wiggle it: one parameter changed by ε, the cost before and after, the slope beside the gradient.

    On the page's scale (``page_scale``) when the slope and the gradient show three digits on it;
    else on a scale of their own (each number carries it): they must show their digits to be seen
    to agree, whatever the page's scale was chosen for.
    """
    L = len(sizes) - 1
    symbol = "b" if w.parameter.is_bias else "w"
    numbers = [w.gradient, w.slope_up, w.slope_down, learning_rate * w.gradient]
    readable = page_scale is not None and all(v == 0 or abs(v) / 10.0 ** page_scale.exponent >= 0.1 for v in numbers)
    scale = page_scale if readable else Scale(numbers[:3])
    # the parameter to as many decimals as ε has, so that the change shows
    places = max(0, -math.floor(math.log10(w.epsilon)))
    before_value, after_value = f"{w.value:+.{places}f}", f"{w.value + w.epsilon:+.{places}f}"
    difference = w.cost_up - w.cost
    name = parameter_name(w.parameter, L, names)
    if difference == 0:
        return (f"<b>Wiggle it.</b> Change only {name} ({equals(symbol, before_value)}) by {equals('ε', short(w.epsilon))}: "
                f"this example's cost stays {cost(w.cost)}. Its slope ∂C/\u2060∂{symbol} is 0 (the neuron it comes from is "
                f"off, or saturated beyond reach), and so is its nudge.")
    # enough decimals for the change in the cost to show four significant digits (never exponent form):
    # the slope worked out by hand from the two costs as written agrees with the page's to three
    decimals = min(15, max(4, 3 - math.floor(math.log10(abs(difference)))))
    return (f"<b>Wiggle it.</b> Change only {name} ({equals(symbol, before_value)}) by {equals('ε', short(w.epsilon))}, "
            f"to {after_value}, and run the example again: its cost goes from {w.cost:.{decimals}f} to "
            f"{w.cost_up:.{decimals}f}. The slope (C({symbol}{NBSP}+{NBSP}ε){NBSP}−{NBSP}C({symbol}))/\u2060ε{NBSP}={NBSP}"
            f"<b>{scale(w.slope_up)}</b>; by −ε it is {scale(w.slope_down)}. Backpropagation's "
            f"∂C/\u2060∂{symbol}{NBSP}={NBSP}<b>{scale(w.gradient)}</b>: the same number, found for all "
            f"{parameter_count(sizes):,} parameters in one backward pass. The nudge "
            f"−η{NBSP}∂C/\u2060∂{symbol}{NBSP}={NBSP}{scale(-learning_rate * w.gradient)} is this slope times a step of −η.")
