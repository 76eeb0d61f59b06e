"""`nnviz dream` and `nnviz fool` as a person uses them: PNGs a plain reader gives back as the
network's input, JSON that says what the core found, one line and nothing written on bad input."""

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from nnviz.cli import main
from nnviz.core.data import bundled_mnist_dir
from nnviz.core.dreams import DreamSettings, dream
from nnviz.core.files import load_network, save_network
from nnviz.core.fooling import fool, fooling_static
from nnviz.core.network import Network

PRETRAINED = str(bundled_mnist_dir() / "pretrained-784-16-16-10.npz")


@pytest.fixture(scope="module")
def network():
    return load_network(PRETRAINED)[0]


def read_png(path):
    with Image.open(path) as picture:
        assert picture.mode == "L" and picture.size == (28, 28)
        return np.asarray(picture, np.float64).ravel() / 255


def test_dream_writes_the_image_and_what_the_core_found(network, tmp_path, capsys):
    out, record = tmp_path / "two.png", tmp_path / "two.json"
    assert main(["dream", PRETRAINED, "--neuron", "output:2", "--out", str(out), "--json", str(record)]) == 0
    found = dream(network, 3, 2)
    pixels = read_png(out)
    assert np.abs(pixels - found.image).max() <= 0.5 / 255 + 1e-12
    assert network.predict(pixels)[0] == 2
    saved = json.loads(record.read_text())
    assert saved["outputs"] == [float(v) for v in found.outputs] and saved["steps"] == found.steps == 200
    assert saved["target"] == "output:2" and saved["activation"] == found.activation
    assert "output 2" in capsys.readouterr().out


def test_dream_of_a_hidden_neuron_with_penalties_from_an_example(network, tmp_path, mnist):
    out, record = tmp_path / "h.png", tmp_path / "h.json"
    args = ["dream", PRETRAINED, "--neuron", "hidden2:3", "--smooth", "0.02", "--small", "0.01", "--steps", "40",
            "--start", "test:5", "--out", str(out), "--json", str(record)]
    assert main(args) == 0
    found = dream(network, 2, 2, DreamSettings(steps=40, smoothness=0.02, smallness=0.01), start=mnist.test.inputs(4, float))
    assert np.abs(read_png(out) - found.image).max() <= 0.5 / 255 + 1e-12
    assert json.loads(record.read_text())["activation"] == found.activation


def test_a_fooled_two_read_back_from_the_png_is_still_a_seven(network, tmp_path, mnist):
    out, record = tmp_path / "fooled.png", tmp_path / "fooled.json"
    assert main(["fool", PRETRAINED, "--example", "test:2", "--as", "7", "--out", str(out), "--json", str(record)]) == 0
    found = fool(network, mnist.test.inputs(1, float), 7)
    pixels = read_png(out)
    assert np.abs(pixels - found.image).max() <= 1e-9  # one grey level a step: the PNG holds it exactly
    assert network.predict(pixels)[0] == 7
    saved = json.loads(record.read_text())
    assert saved["largest_change"] == found.largest_change and saved["pixels_changed"] == found.pixels_changed
    assert saved["outputs"] == [float(v) for v in found.outputs_after]
    assert saved["outputs_before"] == [float(v) for v in found.outputs_before]
    assert saved["steps"] == found.steps and saved["target"] == "7" and saved["label"] == "2"


def test_static_read_as_a_three(network, tmp_path):
    out, record = tmp_path / "noise.png", tmp_path / "noise.json"
    assert main(["fool", PRETRAINED, "--noise", "--as", "3", "--out", str(out), "--json", str(record)]) == 0
    outputs = network.output(read_png(out))[0]
    assert outputs.argmax() == 3 and outputs[3] > 0.9
    assert json.loads(record.read_text())["steps"] == fooling_static(network, 3).steps


@pytest.mark.parametrize("args, code, message", [
    (["dream", PRETRAINED, "--neuron", "hidden3:1"], 1, "no hidden layer 3"),
    (["dream", PRETRAINED, "--neuron", "hidden1:17"], 1, "neurons 1 to 16"),
    (["dream", PRETRAINED, "--neuron", "output:10"], 1, "not a class"),
    (["dream", PRETRAINED, "--neuron", "neuron5"], 1, "like hidden1:5"),
    (["dream", PRETRAINED, "--neuron", "output:2", "--start", "test:0"], 1, "examples 1..10000"),
    (["dream", PRETRAINED, "--neuron", "output:2", "--steps", "-1"], 2, "at least 0"),
    (["dream", PRETRAINED], 2, "--neuron"),
    (["fool", PRETRAINED, "--example", "test:2", "--as", "10"], 1, "not a class"),
    (["fool", PRETRAINED, "--example", "test:10001", "--as", "7"], 1, "examples 1..10000"),
    (["fool", PRETRAINED, "--example", "train:x", "--as", "7"], 1, "expected split:number"),
    (["fool", PRETRAINED, "--example", "test:2", "--as", "7", "--steps", "5"], 1, "try more --steps"),
    (["fool", PRETRAINED, "--example", "test:2", "--noise", "--as", "7"], 2, "not allowed with"),
    (["fool", PRETRAINED, "--example", "test:2"], 2, "--as"),
    (["fool", "missing.npz", "--noise", "--as", "7"], 1, "no such file"),
])
def test_bad_input_is_one_line_and_writes_nothing(args, code, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.png").write_bytes(b"the previous image")
    if code == 2:
        with pytest.raises(SystemExit) as exit_info:
            main(args + ["--out", "old.png", "--json", "new.json"])
        assert exit_info.value.code == 2
    else:
        assert main(args + ["--out", "old.png", "--json", "new.json"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert message in err[-1] and "Traceback" not in "".join(err)
    assert code == 2 or len(err) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.png"]
    assert (tmp_path / "old.png").read_bytes() == b"the previous image"


def test_a_network_whose_input_is_not_an_image_is_one_line(tmp_path, capsys):
    path = tmp_path / "flat.npz"
    save_network(Network((50, 4, 3)), path)
    assert main(["dream", str(path), "--neuron", "output:1", "--out", str(tmp_path / "x.png")]) == 1
    assert "not a square image" in capsys.readouterr().err
    assert main(["fool", str(path), "--noise", "--as", "1", "--out", str(tmp_path / "x.png")]) == 1
    assert not (tmp_path / "x.png").exists()


def test_a_target_in_a_missing_folder_fails_before_anything_is_computed(tmp_path, capsys):
    assert main(["dream", PRETRAINED, "--neuron", "output:2", "--out", str(tmp_path / "nowhere" / "x.png")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_building_the_dream_and_fool_options_loads_no_qt():
    code = ("import sys\n"
            "from nnviz.cli import parser\n"
            "args = parser().parse_args(['dream', 'n.npz', '--neuron', 'output:2', '--out', 'two.png'])\n"
            "args = parser().parse_args(['fool', 'n.npz', '--noise', '--as', '3', '--out', 'x.png'])\n"
            "loaded = sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph')))\n"
            "assert not loaded, loaded\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
