"""The status bar's read-out after one mini-batch (B): the cost of the training under way, with
three significant digits, and gone once another action changes the network."""

from __future__ import annotations

import re

import numpy as np
import pytest

from nnviz.core.edits import SwitchOff


def one_mini_batch(window, qtbot) -> None:
    before = window.model.shown.params.copy()
    window.actions["step_batch"].trigger()
    qtbot.waitUntil(lambda: window.controller.state == "idle" and window.model.progress is not None
                    and not np.array_equal(window.model.shown.params, before), timeout=10_000)


def shown_cost(window) -> str | None:
    found = re.search(r"cost ([0-9.]+)", window.readout.text())
    return found.group(1) if found else None


def test_the_cost_after_one_mini_batch_has_three_significant_digits_and_goes_when_an_edit_changes_the_network(
        window, qtbot):
    one_mini_batch(window, qtbot)
    cost = window.model.progress.running_cost
    text = shown_cost(window)
    assert text is not None and len(text.replace(".", "").lstrip("0")) == 3, text
    assert float(text) == pytest.approx(cost, rel=5e-3)
    window.edits.add_edit(SwitchOff(1, 2))
    # the cost was the network's before the edit; the accuracies beside it are the edited one's
    assert shown_cost(window) is None
    window.edits.reset()
    one_mini_batch(window, qtbot)
    assert float(shown_cost(window)) == pytest.approx(window.model.progress.running_cost, rel=5e-3)


def test_the_cost_goes_when_a_backprop_step_is_applied(fresh, qtbot):
    one_mini_batch(fresh, qtbot)
    assert shown_cost(fresh) is not None
    fresh.toolbar.backprop_button.click()
    lesson = fresh.model.lesson
    lesson.go(next(i for i, p in enumerate(lesson.pages) if p.kind == "step"))
    fresh.lesson.apply()
    assert shown_cost(fresh) is None
    fresh.lesson.stop()
