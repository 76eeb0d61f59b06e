"""Hundreds of damaged, lying and hostile network files, built from one good file.

Structural mutations, not only random bytes: the zip directory and local headers lie about
sizes, methods and flags; the ``.npy`` headers lie about dtype, shape and order; the metadata
JSON is nested, mistyped, huge or full of control characters; files are truncated, duplicated,
linked, unreadable. Every case is deterministic (seeded), so a failure names a case that can
be rebuilt. ``expect_ok`` marks the few mutations that leave a legal network (e.g. a flip in a
timestamp, a compressed archive): those must load.
"""

from __future__ import annotations

import io
import json
import os
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

import numpy as np

from nnviz.core.files import save_network
from nnviz.core.network import Network

SIZES = (784, 6, 10)


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def npy_raw(header: str, payload: bytes = b"", version=(1, 0), magic=b"\x93NUMPY") -> bytes:
    """A .npy entry with a header text of our choosing (padded as NumPy pads it)."""
    text = header.encode("latin1")
    length_size = 2 if version[0] == 1 else 4
    total = len(magic) + 2 + length_size + len(text) + 1
    text += b" " * ((-total) % 64) + b"\n"
    packed = struct.pack("<H" if length_size == 2 else "<I", len(text) & (0xFFFF if length_size == 2 else 0xFFFFFFFF))
    return magic + bytes(version) + packed + text + payload


def build_npz(entries, method=zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are one of the mutations
        with zipfile.ZipFile(buffer, "w", method) as z:
            for name, data in entries:
                z.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), data, compress_type=method)
    return buffer.getvalue()


def good_arrays(seed: int = 1) -> dict[str, np.ndarray]:
    network = Network(SIZES, seed=seed)
    arrays = {}
    for l, (w, b) in enumerate(zip(network.weights, network.biases), start=1):
        arrays[f"weights_{l}"] = np.ascontiguousarray(w)
        arrays[f"biases_{l}"] = np.ascontiguousarray(b)
    return arrays


def good_metadata(**changes) -> dict:
    metadata = {"format": "nnviz-network", "version": 1, "sizes": list(SIZES), "activation": "sigmoid", "cost": "mse",
                "created": "2026-01-01T00:00:00+00:00", "epochs_trained": 1}
    metadata.update(changes)
    return metadata


def network_entries(metadata_text: str | None = None, arrays=None, metadata_entry: bytes | None = None):
    arrays = good_arrays() if arrays is None else arrays
    entries = []
    if metadata_entry is not None:
        entries.append(("metadata.npy", metadata_entry))
    elif metadata_text is not None:
        entries.append(("metadata.npy", npy_bytes(np.array(metadata_text))))
    else:
        entries.append(("metadata.npy", npy_bytes(np.array(json.dumps(good_metadata())))))
    entries += [(f"{name}.npy", npy_bytes(a)) for name, a in arrays.items()]
    return entries


def _metadata_cases():
    deep = 100_000
    cases = {
        "json-deep-list": "[" * deep + "]" * deep,
        "json-deep-dict": '{"a":' * deep + "1" + "}" * deep,
        "json-deep-in-field": json.dumps(good_metadata())[:-1] + ', "extra": ' + "[" * 50_000 + "]" * 50_000 + "}",
        "json-invalid": "{not json",
        "json-empty": "",
        "json-list": "[1, 2]",
        "json-string": '"nnviz-network"',
        "json-number": "1e999999",
        "json-null": "null",
        "json-nan-value": json.dumps(good_metadata(epochs_trained=float("nan"))),
        "json-infinity": json.dumps(good_metadata(validation_accuracy=float("inf"))),
        "json-huge-int": json.dumps(good_metadata())[:-1] + ', "epochs_trained": ' + "9" * 5000 + "}",
        "json-bad-unicode-escape": json.dumps(good_metadata())[:-1] + ', "x": "\\ud800"}',
        "json-duplicate-keys": json.dumps(good_metadata())[:-1] + ', "activation": "swish"}',
        "json-trailing-garbage": json.dumps(good_metadata()) + "garbage",
        "json-nul-in-text": json.dumps(good_metadata())[:-1] + ', "x": "\\u0000"}',
    }
    wrong = {
        "format": [None, 1, ["nnviz-network"], {"a": 1}, "nnviz-networ\x1b[31mk", "x" * 100_000],
        "version": [None, "1", 1.5, True, 2, 0, -1, 10**30, [1], {"v": 1}, float("nan")],
        "sizes": [None, "784,6,10", [784], [], [784, "6", 10], [784, 6.5, 10], [784, 0, 10], [784, -6, 10],
                  [784, True, 10], [784, [6], 10], [784, 10**30, 10], [784, 2**63, 10], [784, 6, 2**31],
                  [10**9, 10**9], [2] * 500_000, [784] + [1] * 10_000 + [10], [784, None, 10], {"0": 784},
                  [784, 6, 10, 0], [784, float("inf"), 10], [784, 6.0, 10], [-784, 6, 10], [784, 6, 10**6]],
        "activation": [None, 1, ["sigmoid"], {"name": "sigmoid"}, "swish", "sigmoid\x00", "\x1b[2J\x1b[31mred",
                       "x" * 1_000_000, "\u202etxt.exe", "sigmoid\n", "Sigmoid", True, 1.5, "\ud800"],
        "cost": [None, 1, ["mse"], {"a": 1}, "hinge", "\x07\x07\x07", "y" * 300_000, "mse ", False],
        "epochs_trained": [None, "three", [1, 2], {"a": 1}, -5, 10**40, 1.5, float("nan"), "\x1b]0;title\x07"],
        "validation_accuracy": ["high", [0.9], {"a": 1}, 10**40, -1.0, float("-inf"), None],
        "test_accuracy": ["x", [1], 1e308, None],
        "training_cost": ["x", [1], -1, None],
        "learning_rate": ["x", [1], -1, 0, 1e308, float("nan"), None],
        "batch_size": ["x", [1], -1, 0, 10**20, 1.5, None],
        "dataset": [None, 1, ["MNIST"], {"a": 1}, "\x1b[31mred\x1b[0m", "z" * 200_000, "line1\nline2\rline3"],
        "created": [None, 1, [], "not a date", "\x1b[1m"],
    }
    for key, values in wrong.items():
        for i, value in enumerate(values):
            try:
                cases[f"meta-{key}-{i}"] = json.dumps(good_metadata(**{key: value}))
            except (ValueError, TypeError):
                pass
    cases["meta-missing-sizes"] = json.dumps({k: v for k, v in good_metadata().items() if k != "sizes"})
    cases["meta-missing-activation"] = json.dumps({k: v for k, v in good_metadata().items() if k != "activation"})
    cases["meta-missing-format"] = json.dumps({k: v for k, v in good_metadata().items() if k != "format"})
    cases["meta-control-key"] = json.dumps(good_metadata(**{"\x1b[31mkey\x1b[0m": 1}))
    cases["meta-long-key"] = json.dumps(good_metadata(**{"k" * 100_000: 1}))
    cases["meta-many-keys"] = json.dumps(good_metadata(**{f"k{i}": i for i in range(50_000)}))
    cases["meta-unicode-values"] = json.dumps(good_metadata(dataset="数字 — ✓ 🧠"), ensure_ascii=False)
    cases["meta-rtl-and-zero-width"] = json.dumps(good_metadata(dataset="\u202e\u200b\u2066abc\u2069"))
    return cases


def _npy_header_cases():
    w = good_arrays()["weights_1"]
    payload = w.tobytes()
    ok = f"{{'descr': '<f4', 'fortran_order': False, 'shape': {w.shape}, }}"
    return {
        "shape-terabytes": ("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", payload),
        "shape-overflow-int64": ("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }", payload),
        "shape-negative": ("{'descr': '<f4', 'fortran_order': False, 'shape': (-6, 784), }", payload),
        "shape-float": ("{'descr': '<f4', 'fortran_order': False, 'shape': (6.0, 784), }", payload),
        "shape-string": ("{'descr': '<f4', 'fortran_order': False, 'shape': '(6, 784)', }", payload),
        "shape-huge-int": (f"{{'descr': '<f4', 'fortran_order': False, 'shape': ({'9' * 5000}, 784), }}", payload),
        "shape-transposed": ("{'descr': '<f4', 'fortran_order': False, 'shape': (784, 6), }", payload),
        "shape-flat": ("{'descr': '<f4', 'fortran_order': False, 'shape': (4704,), }", payload),
        "shape-0d": ("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", payload[:4]),
        "shape-zero": ("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 784), }", b""),
        "shape-many-dims": (f"{{'descr': '<f4', 'fortran_order': False, 'shape': {(1,) * 70 + (6, 784)}, }}", payload),
        "shape-nested-deep": ("{'descr': '<f4', 'fortran_order': False, 'shape': " + "(" * 5000 + ")" * 5000 + ", }", payload),
        "fortran-true": ("{'descr': '<f4', 'fortran_order': True, 'shape': (6, 784), }", payload),
        "fortran-string": ("{'descr': '<f4', 'fortran_order': 'yes', 'shape': (6, 784), }", payload),
        "fortran-int": ("{'descr': '<f4', 'fortran_order': 1, 'shape': (6, 784), }", payload),
        "descr-object": ("{'descr': '|O', 'fortran_order': False, 'shape': (6, 784), }", payload),
        "descr-bigendian": ("{'descr': '>f4', 'fortran_order': False, 'shape': (6, 784), }", payload),
        "descr-float16": ("{'descr': '<f2', 'fortran_order': False, 'shape': (6, 784), }", payload[: len(payload) // 2]),
        "descr-complex": ("{'descr': '<c8', 'fortran_order': False, 'shape': (6, 784), }", payload * 2),
        "descr-int": ("{'descr': '<i4', 'fortran_order': False, 'shape': (6, 784), }", payload),
        "descr-void-huge": ("{'descr': '|V2147483647', 'fortran_order': False, 'shape': (6, 784), }", payload),
        "descr-unicode-huge": ("{'descr': '<U1000000000', 'fortran_order': False, 'shape': (6, 784), }", payload),
        "descr-struct": ("{'descr': [('a', '<f4'), ('b', '<f4')], 'fortran_order': False, 'shape': (6, 392), }", payload),
        "descr-struct-deep": ("{'descr': " + "[('a', " * 2000 + "'<f4'" + ")]" * 2000 + ", 'fortran_order': False, 'shape': (6, 784), }", payload),
        "descr-nonsense": ("{'descr': 'banana', 'fortran_order': False, 'shape': (6, 784), }", payload),
        "descr-number": ("{'descr': 4, 'fortran_order': False, 'shape': (6, 784), }", payload),
        "header-not-dict": ("[1, 2, 3]", payload),
        "header-missing-key": ("{'descr': '<f4', 'shape': (6, 784), }", payload),
        "header-extra-key": ("{'descr': '<f4', 'fortran_order': False, 'shape': (6, 784), 'x': 1, }", payload),
        "header-python-call": ("__import__('os').system('echo pwned')", payload),
        "header-syntax-error": ("{'descr': '<f4', 'fortran_order': False, 'shape': (6, 784", payload),
        "header-nonascii": ("{'descr': '<f4\u00e9', 'fortran_order': False, 'shape': (6, 784), }", payload),
        "header-control": ("{'descr': '\x1b[31m', 'fortran_order': False, 'shape': (6, 784), }", payload),
        "payload-short": (ok, payload[:-7]),
        "payload-long": (ok, payload + b"\0" * 1000),
        "payload-nan": (ok, np.full(w.shape, np.nan, np.float32).tobytes()),
        "payload-inf": (ok, np.full(w.shape, np.inf, np.float32).tobytes()),
        "payload-empty": (ok, b""),
    }


def _zip_patch(data: bytes, signature: bytes, offset: int, fmt: str, value, which: int = 0) -> bytes:
    """``data`` with field ``fmt`` at ``offset`` of the ``which``-th record ``signature`` set to ``value``."""
    positions = []
    start = 0
    while (i := data.find(signature, start)) >= 0:
        positions.append(i)
        start = i + 1
    if not positions:
        return data
    at = positions[which % len(positions)] + offset
    out = bytearray(data)
    struct.pack_into(fmt, out, at, value)
    return bytes(out)


CENTRAL, LOCAL, END = b"PK\x01\x02", b"PK\x03\x04", b"PK\x05\x06"


def _zip_lies(good: bytes):
    cases = {}
    for which in range(3):
        for field, (offset, fmt) in {"flags": (8, "<H"), "method": (10, "<H"), "csize": (20, "<I"), "size": (24, "<I"),
                                     "namelen": (28, "<H"), "extralen": (30, "<H"), "offset": (42, "<I")}.items():
            for value in {"flags": (1, 0x41, 0x8), "method": (1, 6, 9, 12, 14, 93, 99, 0xFFFF),
                          "csize": (0, 1, 0xFFFFFFFF, 10**6), "size": (0, 1, 0xFFFFFFFF, 10**9),
                          "namelen": (0, 0xFFFF), "extralen": (0xFFFF, 9), "offset": (0, 0xFFFFFFFF, 7)}[field]:
                cases[f"cd{which}-{field}-{value}"] = _zip_patch(good, CENTRAL, offset, fmt, value, which)
        for field, (offset, fmt) in {"flags": (6, "<H"), "method": (8, "<H"), "csize": (18, "<I"), "size": (22, "<I"),
                                     "namelen": (26, "<H"), "extralen": (28, "<H")}.items():
            for value in {"flags": (1,), "method": (8, 12, 99), "csize": (0, 0xFFFFFFFF), "size": (0xFFFFFFFF,),
                          "namelen": (0xFFFF, 0), "extralen": (0xFFFF,)}[field]:
                cases[f"local{which}-{field}-{value}"] = _zip_patch(good, LOCAL, offset, fmt, value, which)
    for field, (offset, fmt) in {"disk-entries": (8, "<H"), "total-entries": (10, "<H"), "cd-size": (12, "<I"),
                                 "cd-offset": (16, "<I"), "comment-len": (20, "<H")}.items():
        for value in (0, 1, 0xFFFF if fmt == "<H" else 0xFFFFFFFF, 1000):
            cases[f"end-{field}-{value}"] = _zip_patch(good, END, offset, fmt, value)
    return cases


def _bomb(entries, name: str, header: bytes, size: int) -> bytes:
    """An archive whose entry ``name`` is ``header`` and ``size`` zero bytes, deflated (a few hundred kB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in entries:
            if n != name:
                z.writestr(n, d)
        with z.open(name, "w", force_zip64=True) as member:
            member.write(header)
            chunk = b"\0" * 10**7
            for _ in range(size // len(chunk)):
                member.write(chunk)
            member.write(b"\0" * (size % len(chunk)))
    return buffer.getvalue()


def _recompress(entries, method):
    try:
        return build_npz(entries, method)
    except RuntimeError:
        return None


def write_network_cases(folder: Path) -> list[tuple[str, Path, bool]]:
    """Write every case into ``folder``; returns (name, path, whether it is a legal network)."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[tuple[str, Path, bool]] = []

    def add(name: str, data: bytes, ok: bool = False) -> None:
        path = folder / f"{name}.npz"
        path.write_bytes(data)
        cases.append((name, path, ok))

    good_path = folder / "good.npz"
    save_network(Network(SIZES, seed=1), good_path, epochs_trained=1)
    cases.append(("good", good_path, True))
    good = good_path.read_bytes()
    rng = np.random.default_rng(11)

    # Truncations and bit flips anywhere.
    for cut in sorted(set([0, 1, 2, 3, 4, 10, 22, 30, 64, 100, 127, 128, 200, 400, 1000]
                          + [int(c) for c in rng.integers(0, len(good), 25)] + [len(good) - k for k in (1, 2, 10, 22, 23, 46, 100)])):
        add(f"truncated-{cut}", good[:cut])
    for i, position in enumerate(rng.integers(0, len(good), 40)):
        flipped = bytearray(good)
        flipped[position] ^= 1 << int(rng.integers(8))
        add(f"bitflip-{i}-{position}", bytes(flipped), ok=None)
    for i, position in enumerate(rng.integers(0, len(good) - 64, 10)):
        garbled = bytearray(good)
        garbled[position:position + 64] = rng.integers(0, 256, 64, dtype=np.uint8).tobytes()
        add(f"garbled-{i}-{position}", bytes(garbled), ok=None)

    # Not archives at all.
    for name, data in {"empty": b"", "text": b"hello, not a zip\n", "pk-garbage": b"PK\x03\x04garbage",
                       "random": rng.integers(0, 256, 5000, dtype=np.uint8).tobytes(),
                       "gzip": zlib.compress(good), "only-end-record": END + b"\0" * 18,
                       "zeros": b"\0" * 100_000, "npy-not-npz": npy_bytes(np.zeros(3)),
                       "zip-empty": build_npz([]), "zip-directory-only": build_npz([("dir/", b"")])}.items():
        add(f"notnpz-{name}", data)

    # Zip directory and local header lies.
    for name, data in _zip_lies(good).items():
        add(f"zip-{name}", data, ok=None)

    # Encryption flags and compression methods, on each entry.
    entries = network_entries()
    for method, ok in ((zipfile.ZIP_DEFLATED, True), (zipfile.ZIP_BZIP2, True), (zipfile.ZIP_LZMA, True)):
        data = _recompress(entries, method)
        if data is not None:
            add(f"compressed-method-{method}", data, ok=ok)
    deflated = build_npz(entries, zipfile.ZIP_DEFLATED)
    for which in range(len(entries)):
        add(f"encrypted-entry-{which}", _zip_patch(_zip_patch(good, CENTRAL, 8, "<H", 1, which), LOCAL, 6, "<H", 1, which))
        add(f"encrypted-deflated-{which}", _zip_patch(_zip_patch(deflated, CENTRAL, 8, "<H", 1, which), LOCAL, 6, "<H", 1, which))
        for method in (1, 6, 9, 12, 14, 93, 95, 97, 98, 99):
            add(f"method-{method}-entry-{which}", _zip_patch(_zip_patch(good, CENTRAL, 10, "<H", method, which), LOCAL, 8, "<H", method, which))

    # Decompression bombs: small files that inflate far past what the entry may hold.
    arrays = good_arrays()
    bomb_header = npy_raw("{'descr': '<f4', 'fortran_order': False, 'shape': (6, 784), }")
    for size in (10**6, 10**8):
        add(f"bomb-weights-{size}", _bomb(network_entries(arrays=arrays), "weights_1.npy", bomb_header, size))
    meta_header = npy_raw("{'descr': '<U100000000', 'fortran_order': False, 'shape': (), }")
    add("bomb-metadata-declared", _bomb(network_entries(), "metadata.npy", meta_header, 10**8))
    # An entry whose zip size is honest but whose deflate stream runs on past it.
    honest = build_npz(network_entries(), zipfile.ZIP_DEFLATED)
    add("deflate-size-lie-small", _zip_patch(_zip_patch(honest, CENTRAL, 24, "<I", 200, 1), LOCAL, 22, "<I", 200, 1))

    # .npy header lies, in weights_1.
    for name, (header, payload) in _npy_header_cases().items():
        blob = npy_raw(header, payload)
        replaced = [(n, blob if n == "weights_1.npy" else d) for n, d in network_entries()]
        # Fortran order is legal .npy (the values are then read column by column).
        add(f"npy-{name}", build_npz(replaced), ok=None if name == "fortran-true" else False)
    for name, blob in {"magic": npy_raw("{}", magic=b"\x93NUMPZ"), "version-9": npy_raw("{}", version=(9, 0)),
                       "version-2": npy_raw("{'descr': '<f4', 'fortran_order': False, 'shape': (6, 784), }",
                                            arrays["weights_1"].tobytes(), version=(2, 0)),
                       "version-3": npy_raw("{'descr': '<f4', 'fortran_order': False, 'shape': (6, 784), }",
                                            arrays["weights_1"].tobytes(), version=(3, 0)),
                       "header-len-huge-v2": b"\x93NUMPY\x02\x00" + struct.pack("<I", 0xFFFFFFF0) + b"{" * 100,
                       "header-len-huge-v1": b"\x93NUMPY\x01\x00" + struct.pack("<H", 0xFFFF) + b"{" * 100,
                       "header-len-zero": b"\x93NUMPY\x01\x00\x00\x00",
                       "only-magic": b"\x93NUMPY", "empty": b""}.items():
        replaced = [(n, blob if n == "weights_1.npy" else d) for n, d in network_entries()]
        add(f"npyraw-{name}", build_npz(replaced), ok=True if name in ("version-2", "version-3") else False)

    # Array contents and layout.
    for name, change in {
        "nan": lambda a: {**a, "weights_2": np.full_like(a["weights_2"], np.nan)},
        "inf-bias": lambda a: {**a, "biases_1": np.full_like(a["biases_1"], np.inf)},
        "mixed-dtypes": lambda a: {**a, "weights_2": a["weights_2"].astype(np.float64)},
        "float64": lambda a: {k: v.astype(np.float64) for k, v in a.items()},
        "float16": lambda a: {k: v.astype(np.float16) for k, v in a.items()},
        "int": lambda a: {k: v.astype(np.int32) for k, v in a.items()},
        "bigendian": lambda a: {k: v.astype(">f4") for k, v in a.items()},
        "fortran": lambda a: {**a, "weights_1": np.asfortranarray(a["weights_1"])},
        "transposed": lambda a: {**a, "weights_1": np.ascontiguousarray(a["weights_1"].T)},
        "missing-bias": lambda a: {k: v for k, v in a.items() if k != "biases_2"},
        "extra-layer": lambda a: {**a, "weights_3": np.zeros((10, 10), np.float32), "biases_3": np.zeros(10, np.float32)},
        "bias-2d": lambda a: {**a, "biases_1": a["biases_1"][None]},
        "bias-scalar": lambda a: {**a, "biases_1": np.float32(0)},
        "object": lambda a: {**a, "weights_1": np.array([None, 1], dtype=object)},
        "strings": lambda a: {**a, "weights_1": np.array(["a", "b"])},
        "structured": lambda a: {**a, "weights_1": np.zeros(3, dtype=[("a", "<f4"), ("b", "<f4")])},
        "subnormal": lambda a: {**a, "weights_1": np.full_like(a["weights_1"], 1e-45)},
        "huge-values": lambda a: {**a, "weights_1": np.full_like(a["weights_1"], 3e38)},
    }.items():
        add(f"array-{name}", build_npz(network_entries(arrays=change(dict(arrays)))),
            ok=name in ("float64", "fortran", "subnormal", "huge-values", "bigendian"))

    # Metadata JSON and entry variants.
    for name, text in _metadata_cases().items():
        ok = name in ("meta-unicode-values", "meta-rtl-and-zero-width")
        add(f"metadata-{name}", build_npz(network_entries(metadata_text=text)), ok=ok or None)
    for name, entry in {
        "bytes": npy_bytes(np.array(b'{"format": "nnviz-network"}')),
        "1d": npy_bytes(np.array([json.dumps(good_metadata())])),
        "int": npy_bytes(np.array(5)),
        "object": npy_bytes(np.array({"format": "nnviz-network"}, dtype=object)),
        "u-huge-declared": npy_raw("{'descr': '<U999999999', 'fortran_order': False, 'shape': (), }", b"{}"),
        "u-negative": npy_raw("{'descr': '<U-5', 'fortran_order': False, 'shape': (), }", b"{}"),
        "u-bad-codepoints": npy_raw("{'descr': '<U4', 'fortran_order': False, 'shape': (), }", b"\xff\xff\xff\xff" * 4),
        "u-surrogates": npy_raw("{'descr': '<U2', 'fortran_order': False, 'shape': (), }", struct.pack("<II", 0xD800, 0xDC00)),
        "big-endian-text": npy_bytes(np.array(json.dumps(good_metadata())).astype(">U")),
    }.items():
        add(f"metaentry-{name}", build_npz(network_entries(metadata_entry=entry)), ok=name == "big-endian-text" or None)

    # Names: duplicates, extras, directories, traversal.
    base = network_entries()
    for name, entries in {
        "duplicate-metadata": base + [("metadata.npy", npy_bytes(np.array("{}")))],
        "duplicate-weights": base + [("weights_1.npy", npy_bytes(np.zeros((2, 2), np.float32)))],
        "extra-file": base + [("readme.txt", b"hello")],
        "extra-array": base + [("extra.npy", npy_bytes(np.zeros(3)))],
        "traversal": base + [("../../etc/passwd.npy", npy_bytes(np.zeros(3)))],
        "absolute": base + [("/tmp/x.npy", npy_bytes(np.zeros(3)))],
        "directory": base + [("weights_9.npy/", b"")],
        "control-name": base + [("\x1b[31mred.npy", npy_bytes(np.zeros(3)))],
        "long-name": base + [("n" * 60_000 + ".npy", npy_bytes(np.zeros(3)))],
        "many-entries": base + [(f"x{i}.npy", b"") for i in range(3000)],
        "no-npy-suffix": [(n[:-4], d) for n, d in base],
        "case": [(n.upper(), d) for n, d in base],
    }.items():
        add(f"names-{name}", build_npz(entries))

    # Filesystem oddities.
    special = []
    (folder / "a-directory.npz").mkdir(exist_ok=True)
    special.append(("fs-directory", folder / "a-directory.npz", False))
    for name, target in {"fs-dangling-link": folder / "nothing-here.npz", "fs-link-to-dir": folder,
                         "fs-link-to-dev-zero": Path("/dev/zero"), "fs-link-to-good": good_path,
                         "fs-link-to-proc": Path("/proc/self/mem")}.items():
        link = folder / f"{name}.npz"
        if not link.is_symlink():
            os.symlink(target, link)
        special.append((name, link, name == "fs-link-to-good"))
    loop = folder / "fs-link-loop.npz"
    if not loop.is_symlink():
        os.symlink(loop, loop)
    special.append(("fs-link-loop", loop, False))
    fifo = folder / "fs-fifo.npz"
    if not fifo.exists():
        os.mkfifo(fifo)
    special.append(("fs-fifo", fifo, False))
    unreadable = folder / "fs-unreadable.npz"
    unreadable.write_bytes(good)
    unreadable.chmod(0o000)
    special.append(("fs-unreadable", unreadable, None))  # root can read it anyway
    locked = folder / "locked"
    locked.mkdir(exist_ok=True)
    (locked / "net.npz").write_bytes(good)
    locked.chmod(0o000)
    special.append(("fs-in-unreadable-folder", locked / "net.npz", None))
    special.append(("fs-missing", folder / "missing.npz", False))
    special.append(("fs-name-with-control", folder / "x\x1b[31my\n.npz", False))
    special.append(("fs-very-long-name", folder / ("n" * 250 + ".npz"), False))
    special.append(("fs-too-long-name", folder / ("n" * 300 + ".npz"), False))
    (folder / ("n" * 250 + ".npz")).write_bytes(good[:100])
    cases += special
    return cases


def _run_file(folder: Path) -> Path:
    """A real version-2 file with a history and a trainer state: two epochs on tiny synthetic data."""
    from helpers import make_idx_dataset

    from nnviz.core.data import load_dataset
    from nnviz.core.files import save_run
    from nnviz.core.training import EpochDone, Trainer, TrainingOptions

    dataset = load_dataset(make_idx_dataset(folder / "run-data", n_train=60, n_test=20))
    options = TrainingOptions(epochs=2, momentum=0.5)
    trainer = Trainer.from_options(Network(SIZES, seed=3), dataset, options)
    report = None
    for event in trainer.events():
        if isinstance(event, EpochDone):
            report = event
            if event.epoch >= 2:
                break
    path = folder / "run-good.npz"
    save_run(path, trainer.network, trainer.history, options, trainer.state(), dataset=dataset.name,
             epochs_trained=report.epoch)
    return path


def write_run_cases(folder: Path) -> list[tuple[str, Path, bool]]:
    """Version-2 files whose history, state or options are damaged: the network must still load
    (the damaged part left out with a note) or be refused in words."""
    folder.mkdir(parents=True, exist_ok=True)
    good_path = _run_file(folder)
    cases = [("run-good", good_path, True)]
    with np.load(good_path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    metadata = json.loads(str(arrays["metadata"]))

    def add(name: str, entries, ok) -> None:
        path = folder / f"{name}.npz"
        path.write_bytes(build_npz(entries) if not isinstance(entries, bytes) else entries)
        cases.append((name, path, ok))

    def with_metadata(**changes):
        m = {**metadata, **changes}
        return [("metadata.npy", npy_bytes(np.array(json.dumps(m))))] + [
            (f"{k}.npy", npy_bytes(v)) for k, v in arrays.items() if k != "metadata"]

    for key, values in {"history": [None, [], "x", {"checkpoints": 10**12}, {"checkpoints": -1}, {"checkpoints": "3"},
                                    {**metadata.get("history", {}), "cost_points": 10**9}],
                        "trainer_state": [None, [], "x", {"epochs_done": "many"}, {"learning_rate": float("inf")}],
                        "training": [None, [], "x", {"learning_rate": -1}, {"batch_size": 10**30}, {"epochs": [1]}]}.items():
        for i, value in enumerate(values):
            add(f"run-meta-{key}-{i}", with_metadata(**{key: value}), True)
    history_names = [k for k in arrays if k.startswith("history_") or k.startswith("trainer_")]
    for name in history_names:
        a = arrays[name]
        for label, blob in {
            "huge-shape": npy_raw("{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000, 5), }", a.tobytes()),
            "pickle": npy_bytes(np.array([None], dtype=object)),
            "nan": npy_bytes(np.full_like(a, np.nan)) if a.dtype.kind == "f" and a.size else None,
            "wrong-dtype": npy_bytes(a.astype(np.int64)),
            "wrong-shape": npy_bytes(a.reshape(-1)[:-1] if a.size else np.zeros(3)),
            "truncated": npy_bytes(a)[:-3],
        }.items():
            if blob is not None:
                entries = [(f"{k}.npy", blob if k == name else npy_bytes(v)) for k, v in arrays.items()]
                add(f"run-{name}-{label}", entries, True)
        add(f"run-{name}-missing", [(f"{k}.npy", npy_bytes(v)) for k, v in arrays.items() if k != name], True)
    # A history that is legal in size but inflates from a small file: memory must stay bounded.
    p = sum((n_in + 1) * n_out for n_in, n_out in zip(SIZES[:-1], SIZES[1:]))
    n = 300_000_000 // (8 * p)
    bomb_meta = {**metadata, "history": {**metadata["history"], "checkpoints": n}}
    entries = [("metadata.npy", npy_bytes(np.array(json.dumps(bomb_meta))))] + [
        (f"{k}.npy", npy_bytes(v)) for k, v in arrays.items() if k not in ("metadata", "history_checkpoints", "history_checkpoint_positions")]
    entries.append(("history_checkpoint_positions.npy", npy_bytes(np.arange(n, dtype=np.float64))))
    header = npy_raw(f"{{'descr': '<f8', 'fortran_order': False, 'shape': ({n}, {p}), }}")
    add("run-history-bomb", _bomb(entries, "history_checkpoints.npy", header, n * p * 8), True)
    return cases
