"""The answers kept for a run's checkpoints (model/answers.py) on a run longer than what is kept."""

from types import SimpleNamespace

import numpy as np

from nnviz.model.answers import AHEAD, CHECKPOINT_PREDICTIONS, Answers


class _History:
    def __init__(self, n: int):
        self._params = [np.full(3, float(i)) for i in range(n)]
        self.checkpoint_positions = np.arange(n, dtype=float)

    def __len__(self) -> int:
        return len(self._params)

    def parameters(self, index: int) -> np.ndarray:
        return self._params[index]


class _Network:
    def __init__(self):
        self.params = np.zeros(3)

    def copy(self):
        return _Network()


def computed_ahead(answers: Answers, model, cursor: int) -> list[int]:
    """Moves the cursor to ``cursor`` and computes ahead until nothing is left: what was computed."""
    model.cursor = cursor
    answers.forget()
    computed = []
    while (asked := answers.ask_ahead("test", AHEAD, +1)) is not None and len(computed) < 1000:
        answers.take(asked, np.zeros(1))
        computed.append(int(asked.checkpoint[0]))
    return computed


def test_computing_ahead_on_a_long_run_never_pushes_out_answers_it_wants_again():
    model = SimpleNamespace(cursor=None, history=_History(300), network=_Network(), shown=_Network(), position=0.0)
    answers = Answers(model)
    assert 2 * AHEAD + 1 <= CHECKPOINT_PREDICTIONS
    first = computed_ahead(answers, model, 60)
    assert sorted(first) == [i for i in range(60 - AHEAD, 60 + AHEAD + 1) if i != 60]
    # a jump: what was kept within reach of the new place is kept, the rest computed once
    second = computed_ahead(answers, model, 150)
    reach = set(range(150 - AHEAD, 150 + AHEAD + 1)) - {150}
    assert sorted(second) == sorted(reach - set(first)) and len(set(second)) == len(second)
    assert set(answers.known_checkpoints("test")) >= reach
