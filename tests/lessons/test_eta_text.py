"""η reads in plain decimals on every page, even where the plateau schedule leaves it (η₀/128):
what the output layer wants says it as every text of nnviz does (``learning_rate_text``)."""

import re

import pytest

from nnviz.core.formatting import learning_rate_text


@pytest.mark.parametrize("learning_rate", [1 / 128, 0.00003])
def test_a_small_learning_rate_is_written_in_plain_decimals(make_lesson, pretrained, learning_rate):
    lesson = make_lesson(pretrained, "test", 1, learning_rate=learning_rate)
    texts = []
    for i in range(len(lesson.pages)):
        lesson.go(i)
        texts.append(re.sub(r"<[^>]+>", "", lesson.text))
    assert any(f"η\u00a0=\u00a0{learning_rate_text(learning_rate)}" in text for text in texts)
    assert not any(re.search(r"η\u00a0=\u00a0[\d.]+[eE]", text) for text in texts)
