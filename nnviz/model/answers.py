"""The answers of the network on show for whole splits: computed once per state of its parameters,
at once or a slice at a time, and kept for the checkpoints already shown."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..core.evaluation import answering, predictions

#: How many checkpoints' answers (per split) are kept while scrubbing: 10,000 answers each.
CHECKPOINT_PREDICTIONS = 128
#: Examples in a slice of answers computed across turns of the window's event loop, at most, and
#: the multiply-adds of one slice: 1,000 examples of 784-16-16-10 (~1 ms on one BLAS thread),
#: fewer of a wider network (~3 ms: 586 of 784-128-64-10, 238 of 784-256-256-10), so that a turn
#: that also draws a slice of edges stays well within a frame.
SLICE_EXAMPLES = 1000
SLICE_MULTIPLY_ADDS = 64_000_000


def slice_examples(sizes: tuple[int, ...]) -> int:
    """Examples in a slice of answers for a network of layer ``sizes``."""
    per_example = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return max(1, min(SLICE_EXAMPLES, SLICE_MULTIPLY_ADDS // per_example))


class Answers:
    """The answers of ``model.shown`` for its dataset's splits.

    Scrubbing back and forth or replaying again recomputes nothing: the answers at a checkpoint
    are kept under the checkpoint's array (immutable in the history; kept with them so that its
    id cannot be reused meanwhile). The model calls ``forget`` whenever the network on show
    changes and ``forget_all`` when the run or the dataset does.
    """

    def __init__(self, model):
        self._model = model
        self._now: dict[str, np.ndarray] = {}
        self._at_checkpoints: dict[tuple[int, str], tuple[np.ndarray, np.ndarray]] = {}
        #: Counts the changes of the network on show: answers computed in slices for an earlier
        #: one are dropped.
        self._version = 0

    def forget(self) -> None:
        """The network on show changed."""
        self._now.clear()
        self._version += 1

    def forget_all(self) -> None:
        """The run or the dataset changed: the checkpoints' answers go too."""
        self.forget()
        self._at_checkpoints.clear()

    def known(self, name: str) -> np.ndarray | None:
        """The answers for split ``name`` if they were computed already, else None (no work)."""
        if name in self._now:
            return self._now[name]
        key = self._key(name)
        if key in self._at_checkpoints:
            self._now[name] = self._at_checkpoints[key][1]
            return self._now[name]
        return None

    def of(self, name: str) -> np.ndarray:
        """The answers for split ``name``, shape (n,), computed now if need be."""
        answers = self.known(name)
        if answers is None:
            answers = predictions(self._model.shown, self._model.dataset.split(name))
            self._keep(name, answers)
        return answers

    def in_slices(self, name: str, examples: int | None = None) -> Iterator[int]:
        """Computes the answers for split ``name`` ``examples`` at a time (by default
        ``slice_examples``), yielding how many are done after each slice; at the end
        ``known(name)`` has them, unless the network on show changed meanwhile (they are
        dropped: ask again for the new one)."""
        model, version = self._model, self._version
        # A copy: the live network's parameters, and the checkpoint's, are changed in place.
        network, split = model.shown.copy(), model.dataset.split(name)
        answers = np.empty(len(split), np.int64)
        yield from answering(network, split, answers, examples or slice_examples(network.sizes))
        if version == self._version and name not in self._now:
            self._keep(name, answers)

    def _key(self, name: str) -> tuple[int, str] | None:
        model = self._model
        return None if model.cursor is None else (id(model.history.parameters(model.cursor)), name)

    def _keep(self, name: str, answers: np.ndarray) -> None:
        self._now[name] = answers
        if self._model.cursor is None:
            return
        if len(self._at_checkpoints) >= CHECKPOINT_PREDICTIONS:
            self._at_checkpoints.pop(next(iter(self._at_checkpoints)))
        checkpoint = self._model.history.parameters(self._model.cursor)
        self._at_checkpoints[(id(checkpoint), name)] = (checkpoint, answers)
