"""README and docs/ say what the code does: the commands CI runs, pictures that exist, a file format
that plain NumPy reads as written."""

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from nnviz.core.files import load_run

ROOT = Path(__file__).resolve().parents[2]
PRETRAINED = ROOT / "assets" / "pretrained-784-16-16-10.npz"
FORMAT = ROOT / "docs" / "file-format.md"


def test_readme_s_test_command_is_the_one_ci_runs():
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith(("#", "set ", "cd "))]
    readme = (ROOT / "README.md").read_text().splitlines()
    assert ci[-1] == "bash scripts/setup.sh && .venv/bin/python -m pytest"
    assert f"    {ci[-1]}" in readme  # an indented code line, as a reader copies it


@pytest.mark.parametrize("page", ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))])
def test_every_picture_and_page_a_document_links_exists(page):
    path = ROOT / page
    targets = re.findall(r"\]\(([^)#\s]+)\)", path.read_text())
    missing = [t for t in targets if "://" not in t and not (path.parent / t).exists()]
    assert not missing, f"{page} links to missing {missing}"
    if page == "README.md":
        assert {"docs/window-1280x720.png", "docs/file-format.md"} <= set(targets)


def _snippet() -> str:
    (code,) = re.findall(r"```python\n(.*?)```", FORMAT.read_text(), re.S)
    return code


def test_the_documented_numpy_snippet_reads_the_bundled_run(tmp_path, monkeypatch):
    shutil.copy(PRETRAINED, tmp_path / "mnist.npz")
    monkeypatch.chdir(tmp_path)
    names: dict = {}
    exec(_snippet(), names)
    run = load_run(PRETRAINED)
    assert names["meta"]["format"] == "nnviz-network" and names["meta"]["sizes"] == [784, 16, 16, 10]
    np.testing.assert_array_equal(names["W1"], run.network.weights[0])
    np.testing.assert_array_equal(names["b1"], run.network.biases[0])
    # The documented slicing of a checkpoint gives layer 1's weights at that checkpoint (float16).
    then = run.history.parameters(5)[: 16 * 785].reshape(16, 785)[:, :-1]
    np.testing.assert_allclose(names["W1_then"], then, rtol=2**-10, atol=2**-20)
    assert not np.allclose(names["W1_then"], names["W1"])  # checkpoint 5 is early in the run
    np.testing.assert_array_equal(names["positions"], run.history.checkpoint_positions)
    assert names["positions"][0] == 0.0 and names["positions"][-1] == 30.0
    np.testing.assert_array_equal(names["epoch"], np.arange(1, 31))
    assert names["test"][-1] == pytest.approx(names["meta"]["test_accuracy"])  # fractions, not percent
    assert len(names["rate_changes"]) == len(run.history.learning_rate_changes) == names["meta"]["history"]["learning_rate_changes"]
    assert names["velocity"].shape == run.network.params.shape


def test_the_format_table_names_every_entry_and_metadata_key_of_a_saved_run():
    text = FORMAT.read_text()
    table = {row.split("|")[1] for row in text.splitlines() if row.startswith("| `")}
    documented = set(re.findall(r"`(\w+)`", " ".join(table)))
    with np.load(PRETRAINED, allow_pickle=False) as f:
        entries = {re.sub(r"_\d+$", "_l", name) for name in f.files}
        metadata = json.loads(str(f["metadata"]))
    assert entries - documented == set()
    metadata_row = next(row for row in text.splitlines() if row.startswith("| `metadata`"))
    keys = set(metadata) | set(metadata["training"])
    assert {key for key in keys if f"`{key}`" not in metadata_row} == set()
