"""The tests' oracle for many examples at once: the article's one-example passes (network.py's
``feedforward_by_the_book`` and ``backprop_by_the_book``), stacked one row per example and
averaged, in the form the fast path reports its results."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core.arrays import ForwardPass, one_hot
from nnviz.core.network import Network, backprop_by_the_book, feedforward_by_the_book


@dataclass(frozen=True)
class BookGradients:
    """∂C/∂W[l] and ∂C/∂b[l] of the mean cost, each example's δ[l] (one row per example) and the mean cost."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    deltas: list[np.ndarray]
    cost: float


def book_forward(network: Network, x: np.ndarray) -> ForwardPass:
    """The book's forward pass of every row of ``x`` (n, n_0)."""
    passes = [feedforward_by_the_book(network, row) for row in np.atleast_2d(x)]
    zs = [np.hstack(layer).T for layer in zip(*(p[0] for p in passes))]
    activations = [np.hstack(layer).T for layer in zip(*(p[1] for p in passes))]
    return ForwardPass(zs=zs, activations=activations)


def book_cost(network: Network, x: np.ndarray, labels) -> float:
    """The mean over the rows of ``x`` (n, n_0) of C_x, from the book's forward pass."""
    outputs = book_forward(network, x).output
    return float(network.cost.per_output(outputs, one_hot(np.atleast_1d(labels), network.sizes[-1], outputs.dtype)).sum(axis=1).mean())


def book_gradients(network: Network, x: np.ndarray, labels) -> BookGradients:
    """The book's backpropagation of every row of ``x`` (n, n_0) with ``labels`` (n,), averaged."""
    x, labels = np.atleast_2d(x), np.atleast_1d(labels)
    ys = one_hot(labels, network.sizes[-1], network.dtype)
    per_example = [backprop_by_the_book(network, row, y) for row, y in zip(x, ys)]
    return BookGradients(
        weights=[np.mean(layer, axis=0) for layer in zip(*(nabla_w for _, nabla_w in per_example))],
        biases=[np.mean(layer, axis=0)[:, 0] for layer in zip(*(nabla_b for nabla_b, _ in per_example))],
        deltas=[np.hstack(layer).T for layer in zip(*(nabla_b for nabla_b, _ in per_example))],
        cost=book_cost(network, x, labels),
    )


def book_flat_gradient(network: Network, x: np.ndarray, labels) -> np.ndarray:
    """The book's ∇C of the mean cost, flat in the order of ``Network.params``: each layer's [W | b]."""
    oracle = book_gradients(network, x, labels)
    return np.concatenate([np.column_stack([w, b]).ravel() for w, b in zip(oracle.weights, oracle.biases)])
