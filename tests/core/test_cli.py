"""`nnviz train / eval / info` as a person uses them in a terminal."""

import dataclasses
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from helpers import make_idx_dataset
from nnviz.cli import main
from nnviz.core.files import load_network, save_network
from nnviz.core.network import Network


def test_train_prints_a_line_per_epoch_and_saves_a_working_network(tmp_path, capsys):
    out = tmp_path / "net.npz"
    assert main(["train", "--epochs", "2", "--batch-size", "32", "--lr", "1.0", "--quiet", "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    epoch_lines = [line for line in lines if line.startswith("epoch")]
    assert len(epoch_lines) == 2 and "validation" in epoch_lines[0] and "test" in epoch_lines[0]
    network, metadata = load_network(out)
    assert metadata["epochs_trained"] == 2 and metadata["batch_size"] == 32 and metadata["dataset"] == "MNIST"
    assert metadata["test_accuracy"] > 0.85
    assert f"{metadata['test_accuracy']:.2%}" in epoch_lines[1]


def test_train_options_shape_the_network(tmp_path, capsys):
    out = tmp_path / "net.npz"
    args = ["train", "--epochs", "1", "--sizes", "784,30,10", "--activation", "relu", "--cost", "cross-entropy",
            "--lr", "0.1", "--momentum", "0.5", "--quiet", "--out", str(out)]
    assert main(args) == 0
    network, metadata = load_network(out)
    assert network.sizes == (784, 30, 10) and metadata["activation"] == "relu" and metadata["momentum"] == 0.5


def test_train_takes_the_activation_s_own_defaults_for_the_settings_not_given(tmp_path, capsys):
    from nnviz.core.files import load_run
    from nnviz.core.options import default_options

    relu = default_options("relu", "mse")
    out = tmp_path / "relu.npz"
    assert main(["train", "--epochs", "1", "--activation", "relu", "--quiet", "--out", str(out)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert f"η = {relu.learning_rate:g}," in first and f"weight decay λ = {relu.weight_decay:g}" in first
    assert load_run(out).options == dataclasses.replace(relu, epochs=1)
    assert main(["train", "--epochs", "1", "--activation", "relu", "--lr", "0.3", "--quiet", "--out", str(out)]) == 0
    assert load_run(out).options.learning_rate == 0.3 and load_run(out).options.weight_decay == relu.weight_decay


def test_train_ends_in_one_line_when_the_schedule_brings_eta_down_to_its_floor(tmp_path, capsys):
    folder = make_idx_dataset(tmp_path / "tiny", n_train=240)  # random pixels: nothing to learn, plateaus at once
    out = tmp_path / "tiny.npz"
    assert main(["train", "--data", str(folder), "--epochs", "60", "--halve-after", "1", "--lr", "2",
                 "--quiet", "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    epochs = [line for line in lines if line.startswith("epoch")]
    (last_word,) = [line for line in lines if "training ends" in line]
    ended = int(epochs[-1].split()[1].split("/")[0])
    assert ended < 60 and f"after epoch {ended}" in last_word and "0.015625" in last_word  # 2/128
    assert epochs[-1].split("η ")[1].startswith("0.03125")  # the η its last epoch trained with, as a decimal
    assert "e-" not in "\n".join(lines)
    assert load_network(out)[1]["epochs_trained"] == ended


def test_eval_prints_accuracy_and_confusion_matrix(tmp_path, capsys):
    path = tmp_path / "net.npz"
    save_network(Network(seed=0), path)
    assert main(["eval", str(path)]) == 0
    out = capsys.readouterr().out
    accuracy_line, _, _, header, *rows = out.splitlines()
    assert accuracy_line.startswith("test accuracy on MNIST:")
    assert header.split() == [str(d) for d in range(10)]
    counts = np.array([[int(c) for c in row.split()[1:]] for row in rows])
    assert counts.shape == (10, 10) and counts.sum() == 10_000
    assert counts.sum(axis=1).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_info_prints_the_metadata(tmp_path, capsys):
    path = tmp_path / "net.npz"
    save_network(Network(seed=0), path, epochs_trained=7, validation_accuracy=0.9312)
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "784-16-16-10" in out and "93.12%" in out and "epochs_trained       7" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["train", "--epochs", "0"], "at least 1"),
        (["train", "--lr", "-1"], "positive number"),
        (["train", "--sizes", "784,x,10"], "whole numbers"),
        (["train", "--activation", "swish"], "invalid choice"),
        (["train", "--momentum", "1.5"], "[0, 1)"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_code_2(args, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_bad_files_and_folders_give_one_line_and_exit_code_1(tmp_path, capsys):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a network")
    assert main(["info", str(bad)]) == 1
    assert main(["eval", str(tmp_path / "missing.npz")]) == 1
    assert main(["train", "--data", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("nnviz: error: ") for line in err)


def test_sizes_that_do_not_fit_the_data_are_an_error_not_a_traceback(capsys):
    assert main(["train", "--sizes", "100,10", "--epochs", "1"]) == 2
    assert "cannot learn" in capsys.readouterr().err


def test_another_dataset_with_other_image_size_trains(tmp_path, capsys):
    folder = make_idx_dataset(tmp_path / "tiny", shape=(8, 8), n_classes=3, class_names=["a", "b", "c"])
    out = tmp_path / "tiny.npz"
    assert main(["train", "--data", str(folder), "--epochs", "1", "--quiet", "--out", str(out)]) == 0
    assert load_network(out)[0].sizes == (64, 16, 16, 3)


def test_ctrl_c_exits_cleanly_and_keeps_only_finished_epochs(tmp_path):
    out = tmp_path / "net.npz"
    save_network(Network(seed=5), out, epochs_trained=0)
    previous = out.read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-m", "nnviz.cli", "train", "--epochs", "100", "--quiet", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    # wait for the first epoch line, then interrupt in the middle of the second epoch
    first = process.stdout.readline() + process.stdout.readline()
    assert "epoch   1/100" in first
    time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in stderr and "saved the network after epoch" in stderr
    assert out.read_bytes() != previous
    network, metadata = load_network(out)
    epochs = metadata["epochs_trained"]
    assert epochs >= 1 and f"Interrupted during epoch {epochs + 1}" in stderr
    assert [p.name for p in tmp_path.iterdir()] == ["net.npz"]


def test_the_command_line_imports_qt_only_to_run_the_window_or_an_animation():
    # Every command's options (animate's too) are built without Qt: `nnviz train` on a machine
    # without a display library never loads it.
    code = ("import sys\n"
            "from nnviz.cli import parser\n"
            "args = parser().parse_args(['animate', 'run.npz', '--out', 'run.gif'])\n"
            "assert args.size == (1280, 720) and args.fps == 12\n"
            "args = parser().parse_args(['landscape', 'run.npz', '--out', 'valley.png', '--plane', 'random'])\n"
            "assert args.size == 41 and args.plane == 'random' and args.picture_size == (1280, 720)\n"
            "loaded = sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph')))\n"
            "assert not loaded, loaded\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_eval_ablate_marks_the_neurons_never_active_on_the_training_set(tmp_path, capsys):
    network = Network(activation="relu", seed=0)
    network.weights[1][3] = -1.0  # neuron 4 of layer 2: its inputs are ReLUs (>= 0), its weights negative
    network.biases[1][3] = -1.0
    path = tmp_path / "dead.npz"
    save_network(network, path)
    assert main(["eval", str(path), "--ablate"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.split("Which neurons matter:")[1].splitlines()[2:]]
    assert [(r[0], r[1]) for r in rows if r[-1] == "dead"] == [("2", "4")]
