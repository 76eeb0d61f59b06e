"""Hostile settings files: the window always starts, with the bundled dataset and network if
need be, and a note in the status bar saying what was replaced."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtCore

from helpers import make_idx_dataset
from nnviz.app.main import make_window
from nnviz.app.shell.settings import MAX_RECENT, Options, read_settings
from nnviz.core.files import save_network
from nnviz.core.network import Network


@pytest.fixture(autouse=True)
def bundled_mnist_once(monkeypatch, mnist):
    """The bundled MNIST from the session's copy (decompressing it for each of 40 starts is
    most of their time); any other folder is loaded for real."""
    import nnviz.app.main as app_main

    real = app_main.load_dataset
    monkeypatch.setattr(app_main, "load_dataset", lambda folder=None: mnist if folder is None else real(folder))


def _deep_json_network(path):
    save_network(Network((784, 16, 16, 10), seed=0), path)
    with np.load(path) as f:
        arrays = {k: f[k] for k in f.files}
    arrays["metadata"] = np.array("[" * 100_000 + "]" * 100_000)
    with open(path, "wb") as out:
        np.savez(out, **arrays)
    return path


def _bad_dataset(tmp_path):
    folder = make_idx_dataset(tmp_path / "bad-data")
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"\x1f\x8b garbage")
    return folder


#: name: (what to store, via the QSettings API or as raw INI text); each must start with a note.
HOSTILE = {
    "geometry-text": lambda s, t: s.setValue("geometry", "hello"),
    "geometry-number": lambda s, t: s.setValue("geometry", 12345),
    "geometry-list": lambda s, t: s.setValue("geometry", ["a", "b"]),
    "geometry-huge": lambda s, t: s.setValue("geometry", QtCore.QByteArray(b"x" * 200_000)),
    "splitter-number": lambda s, t: s.setValue("splitter", 42),
    "splitter-dict": lambda s, t: s.setValue("splitter", {"a": 1}),
    "centre-text": lambda s, t: s.setValue("centre", "x" * 10_000),
    "options-text": lambda s, t: s.setValue("options", "fast"),
    "options-list": lambda s, t: s.setValue("options", [1, 2, 3]),
    "batch-size-huge": lambda s, t: s.setValue("options", {"batch_size": 2**62}),
    "batch-size-huge-text": lambda s, t: s.setValue("options", {"batch_size": "9" * 400}),
    "learning-rate-nan": lambda s, t: s.setValue("options", {"learning_rate": float("nan")}),
    "learning-rate-inf-text": lambda s, t: s.setValue("options", {"learning_rate": "inf"}),
    "learning-rate-list": lambda s, t: s.setValue("options", {"learning_rate": [1.0]}),
    "seed-negative": lambda s, t: s.setValue("options", {"seed": -5}),
    "edges-huge": lambda s, t: s.setValue("options", {"edges": 2**40}),
    "speed-float": lambda s, t: s.setValue("options", {"speed": 2.5}),
    "hidden-garbage": lambda s, t: s.setValue("options", {"hidden": "x" * 10_000}),
    "hidden-list": lambda s, t: s.setValue("options", {"hidden": [16, 16]}),
    "activation-list": lambda s, t: s.setValue("options", {"activation": ["relu"]}),
    "cost-unknown": lambda s, t: s.setValue("options", {"cost": "hinge"}),
    "last-network-list": lambda s, t: s.setValue("last_network", ["a.npz", "b.npz"]),
    "last-network-number": lambda s, t: s.setValue("last_network", 7),
    "last-network-nul": lambda s, t: s.setValue("last_network", "a\0b.npz"),
    "last-network-deep-json": lambda s, t: s.setValue("last_network", str(_deep_json_network(t / "deep.npz"))),
    "last-network-missing": lambda s, t: s.setValue("last_network", str(t / "gone.npz")),
    "last-network-folder": lambda s, t: s.setValue("last_network", str(t)),
    "last-network-huge-name": lambda s, t: s.setValue("last_network", "n" * 100_000),
    "last-dataset-fails": lambda s, t: s.setValue("last_dataset", str(_bad_dataset(t))),
    "last-dataset-list": lambda s, t: s.setValue("last_dataset", [str(t), str(t)]),
    "last-dataset-file": lambda s, t: s.setValue("last_dataset", str(_deep_json_network(t / "x.npz"))),
    "last-dataset-dict": lambda s, t: s.setValue("last_dataset", {"a": "b"}),
    "recent-number": lambda s, t: s.setValue("recent", 5),
    "recent-nested": lambda s, t: s.setValue("recent", [["a"], {"b": 1}, 3]),
    "recent-thousands": lambda s, t: s.setValue("recent", [f"/x/{i}.npz" for i in range(5000)]),
    "last-folder-list": lambda s, t: s.setValue("last_folder", ["a", "b"]),
    "raw-ini-garbage": "[General]\ngeometry=@ByteArray(\\x01\\x02)\nsplitter=@Variant(\\0\\0\\0\\x7f\\xff\\xff)\n"
                       "options=@Variant(garbage)\nlast_network=@Invalid()\n",
    "raw-ini-binary": bytes(range(256)) * 8,
    "raw-ini-control": "[General]\nlast_network=\x1b[31m\x07\nlast_dataset=\x1b]0;x\x07\n",
}


def write_hostile(path, tmp_path, case):
    if isinstance(case, (str, bytes)):
        path.write_bytes(case.encode("latin1") if isinstance(case, str) else case)
        return
    settings = QtCore.QSettings(str(path), QtCore.QSettings.Format.IniFormat)
    case(settings, tmp_path)
    settings.sync()


@pytest.mark.qt_log_ignore("QVariant::load", "invalid type")  # Qt's own words on the raw garbage
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_window_starts_whatever_the_settings_file_holds(qtbot, tmp_path, errors, name, own):
    path = tmp_path / "settings.ini"
    write_hostile(path, tmp_path, HOSTILE[name])
    settings = QtCore.QSettings(str(path), QtCore.QSettings.Format.IniFormat)
    window = make_window(settings=settings)
    own(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.model.dataset.n_inputs == 784 and window.model.shown.sizes[0] == 784
    assert not errors  # remembered things never raise a dialog at start-up
    if not name.startswith("raw-ini"):  # Qt itself drops some garbage without telling
        message = window.statusBar().currentMessage()
        assert message and "\n" not in message and len(message) < 1000, message
    window.close()
    # The next start finds the settings repaired: nothing left to note.
    assert read_settings(QtCore.QSettings(str(path), QtCore.QSettings.Format.IniFormat))[1] == []


def test_a_remembered_dataset_that_fails_falls_back_to_mnist_and_is_forgotten(qtbot, tmp_path, settings, errors, own):
    settings.setValue("last_dataset", str(_bad_dataset(tmp_path)))
    window = make_window(settings=settings)
    own(window)
    assert window.model.dataset.name == "MNIST"
    assert "last dataset could not be opened" in window.statusBar().currentMessage()
    assert "t10k-labels" in window.statusBar().currentMessage()
    assert settings.value("last_dataset") is None


def test_read_settings_keeps_good_values_and_replaces_each_bad_one_with_its_default(settings):
    settings.setValue("options", {"learning_rate": "0.25", "batch_size": 2**62, "hidden": "32, 8", "cost": "hinge"})
    settings.setValue("recent", ["/a.npz", "/a.npz", 7] + [f"/{i}.npz" for i in range(20)])
    settings.setValue("last_network", "/nets/last.npz")
    checked, notes = read_settings(settings)
    assert checked.options == Options(learning_rate=0.25, hidden="32, 8")
    assert checked.last_network.name == "last.npz"
    assert len(checked.recent) == MAX_RECENT and str(checked.recent[0]) == "/a.npz"
    assert len(notes) == 2
    assert "batch_size" in notes[0] and "cost" in notes[0]
    assert json.dumps(notes)  # plain strings


def _hostile_network(tmp_path, name):
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parents[1]))
    from robustness.hostile_networks import CENTRAL, LOCAL, _zip_patch, build_npz, good_metadata, network_entries, npy_raw

    good = build_npz(network_entries())
    data = {
        "deep-json": build_npz(network_entries(metadata_text="[" * 100_000 + "]" * 100_000)),
        "list-for-a-name": build_npz(network_entries(metadata_text=json.dumps(good_metadata(activation=["sigmoid"])))),
        "terabyte-header": build_npz([(n, npy_raw("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }")
                                       if n == "weights_1.npy" else d) for n, d in network_entries()]),
        "encrypted": _zip_patch(_zip_patch(good, CENTRAL, 8, "<H", 1, 1), LOCAL, 6, "<H", 1, 1),
        "half-a-million-layers": build_npz(network_entries(metadata_text=json.dumps(good_metadata(sizes=[2] * 500_000)))),
    }[name]
    path = tmp_path / f"{name}.npz"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", ["deep-json", "list-for-a-name", "terabyte-header", "encrypted", "half-a-million-layers"])
def test_open_on_the_command_line_with_a_hostile_file_starts_with_one_line(qtbot, tmp_path, settings, errors, name, own):
    window = make_window(network_path=_hostile_network(tmp_path, name), settings=settings)
    own(window)
    qtbot.waitUntil(lambda: len(errors) == 1)
    text = errors[0][1]
    assert name in text and "\n" not in text and len(text) <= 300
    assert window.model.shown.sizes == (784, 16, 16, 10)


#: A hostile value for each key the window itself reads, written after start-up repaired the file.
#: key: (the value, a word the status bar's note must hold).
CHANGED_SINCE_START_UP = {
    "geometry": ("hello", "geometry"),
    "splitter": (42, "splitter"),
    "centre": (["a", "b"], "centre"),
    "options": ({"batch_size": 2**62, "more_open": [1], "hidden": "x" * 10_000}, "batch_size, hidden, more_open"),
    "recent": ([["a"], {"b": 1}, 3], "recent"),
    "last_folder": (["a", "b"], "last_folder"),
}


@pytest.mark.parametrize("key", sorted(CHANGED_SINCE_START_UP))
def test_a_window_opens_whatever_its_settings_became_after_start_up_repaired_them(qtbot, settings, errors, key, own):
    first = make_window(settings=settings)
    first.show()
    first.close()  # writes good values for every key
    value, note = CHANGED_SINCE_START_UP[key]
    settings.setValue(key, value)  # e.g. another nnviz wrote it since
    second = make_window(settings=settings)
    own(second)
    second.show()
    qtbot.waitExposed(second)
    assert note in second.statusBar().currentMessage()
    assert second.remembered.notes and all(isinstance(n, str) for n in second.remembered.notes)
    assert second.controls.batch_size.value() == Options().batch_size
    if key == "last_folder":
        assert second.files.folder() == str(Path.home())  # where file dialogs open: not "['a', 'b']"
    assert all(a.text().endswith(".npz") for a in second.files.recent_menu.actions())
    second.close()
    assert not errors
    assert read_settings(settings)[1] == []  # written back checked


def test_a_dataset_folder_is_remembered_only_once_it_loaded_and_is_on_show(qtbot, settings, errors, tmp_path, own):
    window = make_window(settings=settings)
    own(window)
    broken = _bad_dataset(tmp_path)
    assert not window.files.open_dataset(broken)
    assert read_settings(settings)[0].last_dataset is None and window.remembered.settings.last_dataset is None
    good = make_idx_dataset(tmp_path / "letters", shape=(8, 8), n_classes=3)
    assert window.files.open_dataset(good)
    assert read_settings(settings)[0].last_dataset == good.resolve()
    window.model.set_dirty(False)
    window.close()
    again = make_window(settings=settings)  # and the next start opens it
    own(again)
    assert again.model.dataset.n_inputs == 64 and again.remembered.settings.last_dataset == good.resolve()
