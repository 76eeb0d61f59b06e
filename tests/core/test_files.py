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
