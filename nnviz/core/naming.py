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

def neuron_reference(sizes: Sequence[int], layer: int, k: int, class_names: Sequence[str] | None = None) -> str:
    """Neuron ``k`` (0-based) of ``layer`` as the command line writes it: "hidden1:5", "output:2"."""
    if layer == len(sizes) - 1:
        return f"output:{_class_names(sizes[-1], class_names)[k]}"
    return f"hidden{layer}:{shown(k)}"


def parse_class(text: str, n_classes: int, class_names: Sequence[str] | None = None) -> int:
    """The 0-based output of the class a person names ("7"), or a NnvizError listing the classes."""
    from .errors import NnvizError, quote

    names = _class_names(n_classes, class_names)
    if str(text).strip() in names:
        return names.index(str(text).strip())
    listed = f"{names[0]} to {names[-1]}" if len(names) > 2 else " and ".join(names)
    raise NnvizError(f"{quote(text)} is not a class of this network (its classes are {listed})")


def parse_neuron(text: str, sizes: Sequence[int], class_names: Sequence[str] | None = None) -> tuple[int, int]:
    """(layer, 0-based k) of a neuron written as ``neuron_reference`` writes it, or a NnvizError.

    "hidden1:5" is neuron 5 (from 1) of hidden layer 1; "output:2" the output neuron of the class
    named "2" (without class names, the output numbered 2 from 0, as the picture labels them).
    """
    from .errors import NnvizError, quote

    kind, _, number = str(text).strip().partition(":")
    last = len(sizes) - 1
    if kind.lower() == "output":
        try:
            return last, parse_class(number, sizes[-1], class_names)
        except NnvizError as error:
            raise NnvizError(f"{quote(text)}: {error}") from None
    hidden = ", ".join(f"hidden{l}:1 to hidden{l}:{sizes[l]}" for l in range(1, last)) or "no hidden neurons"
    layer = kind.lower().removeprefix("hidden")
    if not (kind.lower().startswith("hidden") and layer.isdigit() and number.isdigit()):
        raise NnvizError(f"{quote(text)}: expected a neuron like hidden1:5 or output:2 (this network has {hidden})")
    layer, k = int(layer), from_shown(int(number))
    if not 1 <= layer < last:
        raise NnvizError(f"{quote(text)}: there is no hidden layer {layer} (this network has {hidden})")
    if not 0 <= k < sizes[layer]:
        raise NnvizError(f"{quote(text)}: hidden layer {layer} has neurons 1 to {sizes[layer]}")
    return layer, k


def _class_names(n_classes: int, class_names: Sequence[str] | None) -> list[str]:
    if class_names is not None and len(class_names) == n_classes:
        return [str(name) for name in class_names]
    return [str(j) for j in range(n_classes)]
