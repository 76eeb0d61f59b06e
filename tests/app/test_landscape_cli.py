"""``nnviz landscape``: the picture at the size asked, the core's numbers in the JSON, one-line errors."""

import json

import numpy as np
import pytest
from PIL import Image

from nnviz.cli import main
from nnviz.core.data import bundled_mnist_dir
from nnviz.core.files import load_run, save_network
from nnviz.core.network import Network
from nnviz.core.valley import compute_valley, plane_named, training_sample

PRETRAINED = bundled_mnist_dir() / "pretrained-784-16-16-10.npz"


@pytest.mark.parametrize("plane", ["run", "random", "local"])
def test_the_json_holds_the_cores_numbers_and_the_png_is_the_size_asked(qapp, tmp_path, mnist, capsys, plane):
    out, numbers = tmp_path / "valley.png", tmp_path / "valley.json"
    assert main(["landscape", str(PRETRAINED), "--out", str(out), "--json", str(numbers), "--plane", plane,
                 "--size", "5", "--sample", "100", "--picture-size", "640x400"]) == 0
    with Image.open(out) as image:
        assert image.size == (640, 400) and image.format == "PNG"
        pixels = np.asarray(image.convert("RGB"))
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50  # a picture, not a blank
    assert capsys.readouterr().out.startswith(f"Saved {out} and {numbers}")

    run = load_run(PRETRAINED)
    x, labels = training_sample(mnist.train, 100, 0, run.network.dtype)
    expected = compute_valley(run.network, plane_named(plane, run.network, run.history, x, labels),
                              [("this run", run.history)], x, labels, size=5)
    data = json.loads(numbers.read_text())
    assert [axis["explained_variance"] for axis in data["plane"]["axes"]] == pytest.approx(expected.explained.tolist(),
                                                                                          rel=1e-12)
    np.testing.assert_allclose(data["grid"]["alphas"], expected.alphas, rtol=1e-12)
    np.testing.assert_allclose(data["grid"]["betas"], expected.betas, rtol=1e-12)
    np.testing.assert_allclose(data["grid"]["costs"], expected.costs, rtol=1e-12)
    checkpoints = data["paths"][0]["checkpoints"]
    path = expected.paths[0]
    assert len(checkpoints) == len(run.history) == len(path)
    np.testing.assert_allclose([[c["alpha"], c["beta"]] for c in checkpoints], path.coordinates, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose([c["cost"] for c in checkpoints], path.costs, rtol=1e-12)
    np.testing.assert_allclose([c["distance"] for c in checkpoints], path.distances, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose([c["position"] for c in checkpoints], run.history.checkpoint_positions)


def test_the_ball_goes_where_asked(qapp, tmp_path, monkeypatch):
    from nnviz.app.export import valley_picture as module

    balls = []
    drawn = module.valley_picture
    monkeypatch.setattr(module, "valley_picture", lambda valley, size, ball=None: balls.append(ball) or drawn(valley, size, ball))
    out = tmp_path / "valley.png"
    assert main(["landscape", str(PRETRAINED), "--out", str(out), "--size", "3", "--sample", "50", "--at", "1.3",
                 "--picture-size", "320x240"]) == 0
    history = load_run(PRETRAINED).history
    assert balls == [history.index_at(1.3)] and history.checkpoint_positions[balls[0]] <= 1.3


def test_a_file_without_history_has_no_run_plane_but_a_random_one(qapp, tmp_path, capsys):
    bare = tmp_path / "bare.npz"
    save_network(Network(seed=0), bare, epochs_trained=0)
    out = tmp_path / "valley.png"
    assert main(["landscape", str(bare), "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "has no training history" in error and "--plane random" in error and error.count("\n") == 1
    assert not out.exists()
    assert main(["landscape", str(bare), "--out", str(out), "--plane", "random", "--size", "3", "--sample", "50",
                 "--picture-size", "320x240"]) == 0
    assert out.exists()


@pytest.mark.parametrize("size", ["0", "1", "202", "x", "4.5"])
def test_a_bad_size_is_refused_in_one_line(tmp_path, capsys, size):
    with pytest.raises(SystemExit) as info:
        main(["landscape", str(PRETRAINED), "--out", str(tmp_path / "v.png"), "--size", size])
    assert info.value.code == 2
    error = capsys.readouterr().err
    assert "grid points from 2 to 201" in error and "Traceback" not in error
    assert list(tmp_path.iterdir()) == []


def test_bad_targets_are_refused_before_anything_is_computed_and_keep_what_was_there(tmp_path, capsys):
    kept = tmp_path / "valley.png"
    kept.write_bytes(b"an earlier picture")
    folder = tmp_path / "pictures.png"
    folder.mkdir()
    cases = [
        (["--out", str(tmp_path / "missing" / "valley.png")], "does not exist"),
        (["--out", str(folder)], "is a folder"),
        (["--out", str(tmp_path / "valley.gif")], "ending in .png"),
        (["--out", str(kept), "--json", str(tmp_path / "nowhere" / "v.json")], "does not exist"),
    ]
    for arguments, message in cases:
        assert main(["landscape", str(PRETRAINED), *arguments]) == 1
        error = capsys.readouterr().err
        assert message in error and error.startswith("nnviz: error: ") and error.count("\n") == 1
    assert kept.read_bytes() == b"an earlier picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pictures.png", "valley.png"]


def test_a_file_that_is_not_a_network_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a network")
    assert main(["landscape", str(bad), "--out", str(tmp_path / "v.png")]) == 1
    error = capsys.readouterr().err
    assert error.startswith("nnviz: error: ") and error.count("\n") == 1
