"""How a person reads which example or which neuron: one convention for every text.

Arrays count from 0; everything a person reads counts from 1, as "example 1 of 10,000" does:
examples 1..n, pixels 1..784, neurons 1..16 of a hidden layer. Output neurons are not numbered
but named by their class ("output 7" is the neuron of the digit 7), as the picture labels them.
Layers keep the picture's names: layer 0 is the input, 1..L-1 hidden, L the output.

Code stays 0-based; only the text converts, with these helpers.
"""

from __future__ import annotations

from typing import Sequence


def shown(index):
    """The number a person reads for the 0-based ``index`` (or array of them) of an example, pixel or hidden neuron."""
    return index + 1


def from_shown(number: int) -> int:
    """The 0-based index of the example, pixel or hidden neuron a person calls ``number``."""
    return int(number) - 1


def neuron_name(sizes: Sequence[int], layer: int, k: int, class_names: Sequence[str] | None = None) -> str:
    """Neuron ``k`` (0-based) of ``layer`` as a person reads it: "pixel 5", "neuron 3 of layer 1", "output 7"."""
    if layer == 0:
        return f"pixel {shown(k)}"
    if layer == len(sizes) - 1:
        return f"output {class_names[k] if class_names is not None and k < len(class_names) else k}"
    return f"neuron {shown(k)} of layer {layer}"


def neuron_title(sizes: Sequence[int], layer: int, k: int, class_names: Sequence[str] | None = None) -> str:
    """Neuron ``k`` of ``layer`` as a heading names it: "hidden layer 1, neuron 5", "output 7", "pixel 5"."""
    if 0 < layer < len(sizes) - 1:
        return f"hidden layer {layer}, neuron {shown(k)}"
    return neuron_name(sizes, layer, k, class_names)
