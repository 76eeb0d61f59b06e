"""`nnviz train --resume` and `nnviz info`'s history line, as a person uses them."""

import numpy as np

from nnviz.cli import main
from nnviz.core.files import load_run, save_network
from nnviz.core.network import Network

# Mini-batches of 200 keep the five epochs short; momentum and a schedule that halves η after
# every epoch without progress put the velocity and the schedule's state to the test too.
RUN = ["--batch-size", "200", "--lr", "3", "--momentum", "0.3", "--halve-after", "1", "--seed", "1", "--quiet"]


def test_three_epochs_then_two_resumed_equal_five_straight_bit_for_bit(tmp_path, capsys):
    straight, stopped = tmp_path / "five.npz", tmp_path / "three.npz"
    assert main(["train", "--epochs", "5", *RUN, "--out", str(straight)]) == 0
    assert main(["train", "--epochs", "3", *RUN, "--out", str(stopped)]) == 0
    capsys.readouterr()
    assert main(["train", "--resume", str(stopped), "--epochs", "2", "--quiet"]) == 0  # --out defaults to FILE
    out = capsys.readouterr().out
    assert "epoch   4/5" in out and "epoch   5/5" in out and "epoch   3/" not in out
    a, b = load_run(straight), load_run(stopped)
    np.testing.assert_array_equal(b.network.params, a.network.params)
    assert b.history == a.history and len(b.history) > 60 and [e.epoch for e in b.history.epochs] == [1, 2, 3, 4, 5]
    assert b.state == a.state and b.options == a.options
    assert b.metadata["epochs_trained"] == 5


def test_resume_writes_to_out_and_leaves_the_file_alone(tmp_path, capsys):
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    assert main(["train", "--epochs", "1", *RUN, "--out", str(first)]) == 0
    before = first.read_bytes()
    assert main(["train", "--resume", str(first), "--epochs", "1", "--quiet", "--out", str(second)]) == 0
    assert first.read_bytes() == before
    assert load_run(second).history.end == 2.0


def test_resume_refuses_settings_of_its_own_and_files_without_a_state(tmp_path, capsys):
    path = tmp_path / "net.npz"
    save_network(Network(seed=0), path)
    assert main(["train", "--resume", str(path), "--epochs", "1"]) == 1
    assert "holds no state to resume" in capsys.readouterr().err
    assert main(["train", "--resume", str(path), "--lr", "0.5"]) == 1
    err = capsys.readouterr().err
    assert "drop --lr" in err and "Traceback" not in err


def test_info_says_how_much_history_a_file_holds(tmp_path, capsys):
    path = tmp_path / "net.npz"
    assert main(["train", "--epochs", "1", *RUN, "--out", str(path)]) == 0
    capsys.readouterr()
    assert main(["info", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    (line,) = [line for line in lines if line.startswith("history:")]
    assert line.startswith(f"history: {len(load_run(path).history)} checkpoints covering epochs 0-1")
    save_network(Network(seed=0), path)
    assert main(["info", str(path)]) == 0
    assert "history: none" in capsys.readouterr().out
