"""What the network picture shows on each page of the lesson, as data (no Qt).

The video teaches with the picture: the neuron the text follows ringed, each neuron's wish as
an arrow, the edges into the layer being explained coloured and thickened by their nudge
−η δ a (not by their weight), the bias nudges as bars on the neurons, and a legend saying
what colour and length mean on this page. While a question waits for its answer the picture
shows only the activations and the weights, and marks (all alike) the neurons the question names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..core.arrays import ForwardPass
from .numbers import NBSP, Scale
from .pages import Kind, layer_name
from .step_pages import input_pixel

if TYPE_CHECKING:
    from .lesson import Lesson

WEIGHTS_LEGEND = "Edges: the weights, blue positive, red negative, the thicker the bigger."
#: No legend is longer: the view keeps this much room for it below the picture, on every page.
LEGEND_MAX = 300
ACTIVATIONS_LEGEND = "Neurons: the brighter, the more active (activation a from 0, dark, to 1, bright)."


@dataclass(frozen=True)
class LessonPicture:
    """The network picture of one page; layers count from 1 (the first hidden layer) to L.

    ``forward``: the activations on show, for one example (row 0). ``edges[l-1]``, shaped like
    W[l]: the weights when ``edges_are_nudges`` is False, else the nudges −η δ a of the layer(s)
    the page explains, zeros in the others. ``arrows[l-1]``: each neuron of layer l's wish
    −η ∂C/∂a (signed; None where the page has none). ``bias_marks[l-1]``: layer l's bias nudges
    −η δ (None where none). ``ringed``: the followed neuron (layer, k), or None. ``marked``: the
    neurons the text or the question names (layer 0 is the input). ``input_wish``: −η ∂C/∂x as an
    image (rows, cols) on the input's page. ``answer``: the most active output of ``forward``;
    ``target``: the digit the cost compares with (None for a mini-batch average).
    ``nudge_images`` (n_1, n_0): each first-layer neuron's weight nudges, for the panel to draw
    as images of the input, on the pages that have them (None elsewhere).
    """

    forward: ForwardPass
    edges: list[np.ndarray]
    edges_are_nudges: bool
    arrows: list[np.ndarray | None]
    bias_marks: list[np.ndarray | None]
    ringed: tuple[int, int] | None
    marked: tuple[tuple[int, int], ...]
    input_wish: np.ndarray | None
    answer: int | None
    target: int | None
    legend: str
    waiting: bool
    nudge_images: np.ndarray | None = None


def largest(scale: Scale, arrays) -> str:
    values = [np.max(np.abs(a)) for a in arrays if a is not None and np.size(a)]
    return scale(max(values) if values else 0.0, sign=False)


def nudged_edges(weights: list[np.ndarray], nudges: dict[int, np.ndarray]) -> list[np.ndarray]:
    """Matrices shaped like each W[l]: ``nudges[l]`` where given, zeros elsewhere."""
    return [np.array(nudges[l], copy=True) if l in nudges else np.zeros_like(w) for l, w in enumerate(weights, start=1)]


def picture_of(lesson: Lesson) -> LessonPicture | None:
    """The picture of ``lesson``'s page as it stands (None until a drawing's target is chosen)."""
    n = lesson.nudges
    if n is None:
        return None
    judged = lesson.judged
    L = len(n.layers)
    none = [None] * L
    page, scale = lesson.page, lesson.scale
    base = dict(forward=n.forward, edges=[w.copy() for w in judged.weights], edges_are_nudges=False, arrows=none,
                bias_marks=none, ringed=None, marked=(), input_wish=None, answer=int(n.output.argmax()),
                target=n.label, waiting=False)
    question = lesson.question
    if lesson.waiting:
        return LessonPicture(**{**base, "marked": question.about, "waiting": True,
                                "legend": f"Answer the question first: the picture shows only what it needs. "
                                          f"{ACTIVATIONS_LEGEND} {WEIGHTS_LEGEND} Circled (dashed): the neurons the question "
                                          f"names."})
    layer_named = layer_name(page.layer, L) if page.layer else ""
    if page.kind in (Kind.FORWARD, Kind.COST):
        marked = ((L, n.label),) if page.kind is Kind.COST else ()
        return LessonPicture(**{**base, "marked": marked, "legend": f"{ACTIVATIONS_LEGEND} {WEIGHTS_LEGEND}"})
    if page.kind is Kind.WANTS:
        arrows = list(none)
        arrows[page.layer - 1] = n.layer(page.layer).activation_nudges
        return LessonPicture(**{**base, "arrows": arrows, "ringed": (page.layer, lesson.followed(page.layer)),
                                "legend": f"Arrows on {layer_named}: the change each neuron's activation should make, "
                                          f"−η{NBSP}∂C/\u2060∂a: up (blue) to grow, down (red) to shrink, length by size "
                                          f"(longest {largest(scale, arrows)}). Ringed (white): the neuron the text follows. "
                                          f"{WEIGHTS_LEGEND}"})
    if page.kind is Kind.EDGES:
        layer = n.layer(page.layer)
        k = lesson.followed(page.layer)
        previous = n.forward.activations[page.layer - 1][0]
        marks = list(none)
        marks[page.layer - 1] = layer.bias_nudges
        return LessonPicture(**{
            **base, "edges": nudged_edges(judged.weights, {page.layer: layer.weight_nudges}), "edges_are_nudges": True,
            "bias_marks": marks, "ringed": (page.layer, k),
            "nudge_images": layer.weight_nudges if page.layer == 1 else None,
            "marked": ((page.layer - 1, int(np.argmax(previous))), (page.layer - 1, int(np.argmin(previous)))),
            "legend": f"Edges into {layer_named}: their nudges −η{NBSP}δ{NBSP}a, blue to grow, red to shrink, the thicker the bigger (largest {largest(scale, [layer.weight_nudges])}). Bars "
                      f"on its neurons: the bias nudges −η{NBSP}δ. Ringed (white): the neuron the text follows; circled: the "
                      f"brightest and the darkest neuron before it."})
    if page.kind is Kind.INPUT:
        first = n.layer(1)
        image = n.input_nudges.reshape(lesson.image_shape) if np.prod(lesson.image_shape) == len(n.x) else None
        terms = -n.learning_rate * first.deltas[:, None] * judged.weights[0]  # each neuron's wish for each pixel
        return LessonPicture(**{
            **base, "edges": nudged_edges(judged.weights, {1: terms}), "edges_are_nudges": True, "input_wish": image,
            "ringed": (1, lesson.followed(1)), "marked": ((0, input_pixel(n)),),
            "legend": f"The input: how each pixel would like to change, −η{NBSP}∂C/\u2060∂x, blue brighter, red darker "
                      f"(largest {largest(scale, [n.input_nudges])}). Edges into {layer_name(1, L)}: each neuron's "
                      f"wish for each pixel, −η{NBSP}w{NBSP}δ, on the same colours; the pixel's wish is their sum."})
    if page.kind in (Kind.STEP, Kind.ETA):
        after = lesson.result.network
        forward = after.forward(n.x)
        nudges = {l.layer: l.weight_nudges for l in n.layers}
        return LessonPicture(**{
            **base, "forward": forward, "answer": int(forward.output[0].argmax()),
            "edges": nudged_edges(judged.weights, nudges), "edges_are_nudges": True,
            "bias_marks": [l.bias_nudges for l in n.layers],
            "legend": f"After the step: the activations of the stepped network. Edges: how much the step changes each "
                      f"weight (the nudges), blue up, red down, the thicker the bigger (largest "
                      f"{largest(scale, list(nudges.values()))}); bars on the neurons: how much it changes each bias."})
    # the mini-batch: its average step, or one member's, on that member's activations
    b, member = lesson.batch, lesson.member
    if member == 0:
        weights, biases = b.weight_nudges, b.bias_nudges
        shown = lesson.example_member
    else:
        e = b.examples[member - 1]
        weights, biases = [l.weight_nudges for l in e.layers], [l.bias_nudges for l in e.layers]
        shown = member
    forward = n.forward if shown is None else b.examples[shown - 1].forward
    target = None if member == 0 else b.examples[member - 1].label
    p = lesson.parameter
    marked = ((p.layer, p.neuron),) + (() if p.is_bias else ((p.layer - 1, p.source),))
    return LessonPicture(**{
        **base, "forward": forward, "answer": int(forward.output[0].argmax()), "target": target,
        "edges": [np.array(w, copy=True) for w in weights], "edges_are_nudges": True, "bias_marks": list(biases),
        "marked": marked, "nudge_images": weights[0],
        "legend": ("Edges: the mini-batch's step, the average of its examples' nudges" if member == 0 else
                   f"Edges: example{NBSP}{member}'s nudges alone")
                  + f", blue up, red down, the thicker the bigger (largest {largest(scale, weights)}); bars: the bias "
                    f"nudges. Neurons: the activations of "
                  + ("the example on show." if member == 0 and shown is not None else
                     "the example on show (not in the mini-batch)." if member == 0 else f"example{NBSP}{member}.")
                  + " Circled: the weight the numbers follow."})
