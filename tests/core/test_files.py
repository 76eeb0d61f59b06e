"""Network files: exact round trips, atomic saves, and every kind of damage refused clearly."""

import io
import json
import os
import zipfile

import numpy as np
import pytest

from nnviz.core.errors import NetworkFileError
from nnviz.core.files import load_network, save_network
from nnviz.core.network import Network


@pytest.fixture
def saved(tmp_path):
    network = Network((784, 16, 16, 10), "tanh", "cross-entropy", seed=9)
    path = tmp_path / "net.npz"
    save_network(network, path, epochs_trained=3, validation_accuracy=0.91)
    return network, path


def test_round_trip_is_exact_and_keeps_the_metadata(saved):
    network, path = saved
    loaded, metadata = load_network(path)
    assert loaded.sizes == network.sizes and loaded.dtype == network.dtype
    assert (loaded.activation.name, loaded.cost.name) == ("tanh", "cross-entropy")
    np.testing.assert_array_equal(loaded.params, network.params)
    assert metadata["epochs_trained"] == 3 and metadata["validation_accuracy"] == 0.91
    assert metadata["format"] == "nnviz-network" and metadata["version"] == 2 and "created" in metadata


def test_float64_networks_round_trip_too(tmp_path):
    network = Network((5, 3, 2), seed=1, dtype=np.float64)
    save_network(network, tmp_path / "n.npz")
    loaded, _ = load_network(tmp_path / "n.npz")
    assert loaded.dtype == np.float64
    np.testing.assert_array_equal(loaded.params, network.params)


def test_plain_numpy_reads_the_file_as_documented(saved):
    network, path = saved
    with np.load(path, allow_pickle=False) as f:
        metadata = json.loads(str(f["metadata"]))
        assert metadata["sizes"] == [784, 16, 16, 10]
        np.testing.assert_array_equal(f["weights_1"], network.weights[0])
        np.testing.assert_array_equal(f["biases_3"], network.biases[2])


def test_saving_replaces_the_file_atomically_and_a_failed_save_keeps_the_old_one(saved, monkeypatch):
    network, path = saved
    good = path.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez", disk_full)
    with pytest.raises(OSError, match="No space"):
        save_network(Network(seed=1), path)
    assert path.read_bytes() == good
    assert [p.name for p in path.parent.iterdir()] == ["net.npz"]  # no temporary left behind


def rewrite(path, change):
    """Rewrite the npz at ``path`` with its arrays passed through ``change(dict) -> dict``."""
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    arrays = change(arrays)
    with open(path, "wb") as out:
        np.savez(out, **arrays)


def with_metadata(**changes):
    def change(arrays):
        metadata = json.loads(str(arrays["metadata"]))
        metadata.update(changes)
        return {**arrays, "metadata": np.array(json.dumps(metadata))}
    return change


CORRUPTIONS = {
    "wrong-shape": (lambda a: {**a, "weights_2": np.zeros((16, 15), np.float32)}, "weights_2 has shape"),
    "nan": (lambda a: {**a, "biases_1": np.full(16, np.nan, np.float32)}, "NaN"),
    "inf": (lambda a: {**a, "weights_3": np.full((10, 16), np.inf, np.float32)}, "NaN or infinite"),
    "missing-key": (lambda a: {k: v for k, v in a.items() if k != "biases_2"}, "missing biases_2"),
    "extra-key": (lambda a: {**a, "weights_4": np.zeros((2, 10), np.float32)}, "unexpected weights_4"),
    "int-dtype": (lambda a: {**a, "weights_1": a["weights_1"].astype(np.int32)}, "dtype int32"),
    "mixed-dtype": (lambda a: {**a, "weights_1": a["weights_1"].astype(np.float64)}, "mix dtypes"),
    "wrong-version": (with_metadata(version=99), "format version 99"),
    "not-nnviz": (with_metadata(format="something-else"), "not an nnviz network"),
    "bad-activation": (with_metadata(activation="swish"), "unknown activation"),
    "sizes-disagree": (with_metadata(sizes=[784, 16, 10]), "arrays do not match 2 layers"),
    "huge-sizes": (with_metadata(sizes=[784, 10**9, 10]), "bad layer sizes"),
    "metadata-not-json": (lambda a: {**a, "metadata": np.array("{not json")}, "not valid JSON"),
    "metadata-not-text": (lambda a: {**a, "metadata": np.zeros(3)}, "not a text string"),
    "no-metadata": (lambda a: {k: v for k, v in a.items() if k != "metadata"}, "no metadata"),
}


@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_corrupted_contents_are_refused_with_a_clear_message(saved, name):
    _, path = saved
    change, message = CORRUPTIONS[name]
    rewrite(path, change)
    with pytest.raises(NetworkFileError, match=message) as info:
        load_network(path)
    assert str(path) in str(info.value)


def test_a_pickle_inside_is_refused_without_running_it(saved):
    _, path = saved

    class Boom:
        def __reduce__(self):
            return (os.system, ("echo pwned > pwned.txt",))

    def change(arrays):
        arrays = dict(arrays)
        arrays["weights_1"] = np.array([Boom()], dtype=object)
        return arrays

    with np.load(path, allow_pickle=False) as f:
        arrays = change({k: f[k] for k in f.files})
    with open(path, "wb") as out:
        np.savez(out, **arrays, allow_pickle=True)
    with pytest.raises(NetworkFileError, match="pickle"):
        load_network(path)
    assert not os.path.exists("pwned.txt")


@pytest.mark.parametrize("cut", [0, 10, 100, 1000, -100, -10])
def test_truncated_files_are_refused(saved, cut):
    _, path = saved
    data = path.read_bytes()
    path.write_bytes(data[:cut] if cut > 0 else data[:cut])
    with pytest.raises(NetworkFileError):
        load_network(path)


def test_bit_flips_anywhere_are_refused_or_harmless(saved):
    network, path = saved
    data = bytearray(path.read_bytes())
    rng = np.random.default_rng(0)
    for position in rng.integers(0, len(data), 60):
        flipped = bytearray(data)
        flipped[position] ^= 1 << int(rng.integers(8))
        path.write_bytes(bytes(flipped))
        try:
            loaded, _ = load_network(path)
        except NetworkFileError:
            continue
        # A flip that zip's CRC does not cover (e.g. in a timestamp) must leave the network intact.
        np.testing.assert_array_equal(loaded.params, network.params)


def test_a_zip_bomb_declaring_a_huge_array_is_refused_before_decompressing(saved, tmp_path):
    _, path = saved
    bomb = tmp_path / "bomb.npz"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "weights_1.npy":
                header = io.BytesIO()
                np.lib.format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False, "shape": (16, 784)})
                target.writestr("weights_1.npy", header.getvalue() + b"\0" * 200_000_000)
            else:
                target.writestr(info, source.read(info))
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(NetworkFileError, match="declares 200,000,"):
        load_network(bomb)


@pytest.mark.parametrize("content", [b"", b"hello, not a zip", b"PK\x03\x04garbage"])
def test_files_that_are_not_npz_are_refused(tmp_path, content):
    path = tmp_path / "x.npz"
    path.write_bytes(content)
    with pytest.raises(NetworkFileError, match="not a network file|damaged"):
        load_network(path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(NetworkFileError, match="no such file"):
        load_network(tmp_path / "nothing.npz")


# -- version 2: the run's history, options and resume state ------------------------------------

from nnviz.core.files import load_run, save_run  # noqa: E402
from nnviz.core.history import EpochRecord, RunHistory, checkpoint_batches  # noqa: E402
from nnviz.core.training import Trainer, TrainingOptions  # noqa: E402


@pytest.fixture(scope="module")
def short_run(mnist):
    """A run stopped mid-epoch 2, with momentum and a changed η: everything a file must keep."""
    options = TrainingOptions(batch_size=500, learning_rate=3.0, momentum=0.5, seed=2, halve_after=1)
    network = Network(seed=2)
    trainer = Trainer.from_options(network, mnist, options)
    trainer.run_epoch()
    trainer.run_batches(10)
    trainer.learning_rate = 2.0
    trainer.run_batches(27)
    return network, options, trainer.history, trainer.state()


@pytest.fixture
def run_file(short_run, tmp_path):
    network, options, history, state = short_run
    path = tmp_path / "run.npz"
    save_run(path, network, history, options, state, epochs_trained=1)
    return path


def test_a_run_round_trips_with_its_history_options_and_resume_state(short_run, run_file):
    network, options, history, state = short_run
    run = load_run(run_file)
    assert run.note is None and run.options == options and run.metadata["version"] == 2
    np.testing.assert_array_equal(run.network.params, network.params)  # the final parameters exactly
    assert run.state == state
    np.testing.assert_array_equal(run.state.velocity, state.velocity)
    loaded = run.history
    assert len(loaded) == len(history) and loaded.epochs == history.epochs
    np.testing.assert_array_equal(loaded.checkpoint_positions, history.checkpoint_positions)
    np.testing.assert_array_equal(loaded.cost_positions, history.cost_positions)
    np.testing.assert_array_equal(loaded.cost_values, history.cost_values)
    assert loaded.learning_rate_changes == history.learning_rate_changes == [(1.0 + 10 * 500 / 50_000, 2.0)]
    for i in range(len(history)):
        exact = history.parameters(i)
        # checkpoints are kept as float16: within half a unit in float16's last place
        np.testing.assert_allclose(loaded.parameters(i), exact, rtol=2**-11, atol=2**-24)
        assert loaded.parameters(i).dtype == network.dtype
    # saving what was loaded writes the same history again: a resumed run's file matches a straight one
    run_file_again = run_file.with_name("again.npz")
    save_run(run_file_again, run.network, run.history, run.options, run.state)
    assert load_run(run_file_again).history == loaded


def test_plain_numpy_reads_the_history_as_documented(short_run, run_file):
    network, _, history, _ = short_run
    with np.load(run_file, allow_pickle=False) as f:
        metadata = json.loads(str(f["metadata"]))
        assert metadata["history"]["checkpoints"] == len(history)
        assert metadata["training"]["batch_size"] == 500
        assert f["history_checkpoints"].shape == (len(history), len(network.params))
        assert f["history_checkpoints"].dtype == np.float16
        np.testing.assert_array_equal(f["history_checkpoint_positions"], history.checkpoint_positions)
        assert f["history_cost"].shape == (len(history.cost_values), 2)
        epoch, cost, validation, test, rate = f["history_epochs"][0]
        assert (epoch, rate) == (1, 3.0) and validation == history.epochs[0].validation_accuracy
        np.testing.assert_array_equal(f["history_learning_rates"], [[1.1, 2.0]])
        assert f["trainer_velocity"].shape == network.params.shape


def test_version_1_files_open_with_an_empty_history(saved):
    network, path = saved

    def as_version_1(arrays):
        arrays = with_metadata(version=1, learning_rate=0.5, batch_size=20)(arrays)
        metadata = json.loads(str(arrays["metadata"]))
        del metadata["history"]
        arrays["metadata"] = np.array(json.dumps(metadata))
        return {k: v for k, v in arrays.items() if not k.startswith("history_")}

    rewrite(path, as_version_1)
    run = load_run(path)
    np.testing.assert_array_equal(run.network.params, network.params)
    assert len(run.history) == 0 and run.state is None and run.note is None
    assert run.options == TrainingOptions(learning_rate=0.5, batch_size=20)
    assert load_network(path)[1]["version"] == 1


def _change_history(**arrays_or_metadata):
    def change(arrays):
        arrays = dict(arrays)
        metadata = json.loads(str(arrays["metadata"]))
        for key, value in arrays_or_metadata.items():
            if key in ("history", "trainer_state"):
                metadata[key] = value(metadata[key]) if callable(value) else value
            elif value is None:
                del arrays[key]
            else:
                arrays[key] = value(arrays[key]) if callable(value) else value
        arrays["metadata"] = np.array(json.dumps(metadata))
        return arrays
    return change


def _with_nan(a):
    a = a.copy()
    a.flat[7] = np.nan
    return a


HISTORY_DAMAGE = {
    "checkpoints-wrong-shape": _change_history(history_checkpoints=lambda a: a[:, :-1]),
    "checkpoint-nan": _change_history(history_checkpoints=_with_nan),
    "checkpoints-int": _change_history(history_checkpoints=lambda a: a.astype(np.int16)),
    "huge-count": _change_history(history=lambda h: {**h, "checkpoints": 10**9}),
    "count-not-a-number": _change_history(history=lambda h: {**h, "epochs": "many"}),
    "description-not-a-mapping": _change_history(history=[1, 2]),
    "cost-missing": _change_history(history_cost=None),
    "positions-out-of-order": _change_history(history_checkpoint_positions=lambda a: a[::-1].copy()),
    "epoch-not-whole": _change_history(history_epochs=lambda a: a + [[0.5, 0, 0, 0, 0]]),
    "cost-inf": _change_history(history_cost=lambda a: np.where(a > 0.5, np.inf, a)),
}


@pytest.mark.parametrize("name", sorted(HISTORY_DAMAGE))
def test_a_damaged_history_is_left_out_with_a_one_line_note_and_the_network_still_opens(short_run, run_file, name):
    network, options, _, state = short_run
    rewrite(run_file, HISTORY_DAMAGE[name])
    run = load_run(run_file)
    np.testing.assert_array_equal(run.network.params, network.params)
    assert len(run.history) == 0 and not run.history
    assert run.note.startswith("run.npz: its training history is damaged") and "\n" not in run.note
    assert run.options == options and run.state == state  # the rest of the run is unharmed
    np.testing.assert_array_equal(load_network(run_file)[0].params, network.params)


def test_a_pickle_in_the_history_is_refused_without_running_it(run_file):
    class Boom:
        def __reduce__(self):
            return (os.system, ("echo pwned > pwned.txt",))

    with np.load(run_file, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    arrays["history_cost"] = np.array([Boom()], dtype=object)
    with open(run_file, "wb") as out:
        np.savez(out, **arrays, allow_pickle=True)
    run = load_run(run_file)
    assert "pickle" in run.note and len(run.history) == 0
    assert not os.path.exists("pwned.txt")


@pytest.mark.parametrize("damage", [
    _change_history(trainer_velocity=None),
    _change_history(trainer_velocity=_with_nan),
    _change_history(trainer_state=lambda s: {**s, "epochs_done": -1}),
    _change_history(trainer_state=lambda s: {k: v for k, v in s.items() if k != "rng_state"}),
])
def test_a_damaged_resume_state_leaves_the_run_unresumable_but_open(short_run, run_file, damage):
    network, *_ = short_run
    rewrite(run_file, damage)
    run = load_run(run_file)
    assert run.state is None and "cannot be resumed" in run.note and len(run.history) > 50
    np.testing.assert_array_equal(run.network.params, network.params)


def test_an_unknown_entry_is_still_refused(run_file):
    rewrite(run_file, lambda a: {**a, "history_extra": np.zeros(3)})
    with pytest.raises(NetworkFileError, match="unexpected history_extra"):
        load_run(run_file)


def test_a_30_epoch_history_stays_under_10_mb(tmp_path):
    # Shaped as the default run records it (mini-batches of 10: 5,000 a epoch), without training.
    network = Network(seed=0)
    rng = np.random.default_rng(0)
    positions = [0.0]
    for epoch in range(1, 31):
        positions += [epoch - 1 + k / 5000 for k in checkpoint_batches(epoch, 5000)] + [float(epoch)]
    history = RunHistory(
        cost_positions=np.arange(1, 3001) / 100, cost_values=rng.random(3000),
        checkpoint_positions=positions,
        checkpoints=[network.params + rng.normal(0, 3, network.params.shape).astype(np.float32) for _ in positions],
    )
    for epoch in range(1, 31):
        history.record_epoch(EpochRecord(epoch, 0.1, 0.95, 0.95, 1.0))
    assert sum(1 for p in positions if 0 < p < 1) >= 50
    path = tmp_path / "thirty.npz"
    save_run(path, network, history, TrainingOptions(), None)
    assert path.stat().st_size < 10_000_000
    assert len(load_run(path).history) == len(positions)


def test_saving_a_loaded_file_s_metadata_alone_does_not_claim_its_history_or_state(run_file, tmp_path):
    run = load_run(run_file)
    extra = {k: v for k, v in run.metadata.items() if k not in ("format", "version", "sizes", "activation", "cost", "created")}
    path = tmp_path / "plain.npz"
    save_network(run.network, path, **extra)  # as the window saves today
    again = load_run(path)
    assert again.note is None and again.state is None and len(again.history) == 0
    assert again.metadata["epochs_trained"] == 1


def test_damaged_training_settings_give_way_to_the_network_s_own_defaults(tmp_path):
    from nnviz.core.options import default_options

    path = tmp_path / "relu.npz"
    save_run(path, Network((784, 16, 10), "relu", seed=0), training={"learning_rate": -1.0})
    run = load_run(path)
    assert run.options == default_options("relu", "mse") and "settings are damaged" in run.note
