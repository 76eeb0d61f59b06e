"""Saving and loading networks as ``.npz`` files that plain NumPy can open.

A network file is an uncompressed NumPy ``.npz`` (a zip of ``.npy`` arrays) holding

    metadata     a 0-d unicode array: JSON with "format": "nnviz-network", "version": 1,
                 "sizes", "activation", "cost", and what is known of its training
    weights_1 .. weights_L    float32 or float64, shape (n_l, n_{l-1})
    biases_1 .. biases_L      the same dtype, shape (n_l,)

so ``json.loads(str(np.load(path)["metadata"]))`` and ``np.load(path)["weights_1"]`` read it.
Loading checks everything before it builds anything, and refuses pickles outright.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from .archive import Archive, write_atomic
from .errors import NetworkFileError, ShapeError, printable, quote, shown_path
from .functions import ACTIVATIONS, COSTS
from .network import Network, check_sizes

FORMAT_NAME = "nnviz-network"
FORMAT_VERSION = 1
ALLOWED_DTYPES = (np.dtype("<f4"), np.dtype("<f8"))
MAX_METADATA_CHARS = 1_000_000
#: A network file describing more layers than this is damaged or hostile.
MAX_LAYERS = 100


def save_network(network: Network, path: str | Path, **metadata: Any) -> dict:
    """Write ``network`` to ``path`` atomically (see ``archive.write_atomic``) and return the
    metadata written. ``metadata`` adds or overrides entries (epochs_trained, validation_accuracy, dataset, ...).
    """
    path = Path(path)
    header = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "sizes": list(network.sizes),
        "activation": network.activation.name,
        "cost": network.cost.name,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **metadata,
    }
    arrays = {"metadata": np.array(json.dumps(header))}
    for l, (w, b) in enumerate(zip(network.weights, network.biases), start=1):
        arrays[f"weights_{l}"] = np.ascontiguousarray(w)
        arrays[f"biases_{l}"] = np.ascontiguousarray(b)
    write_atomic(path, arrays)
    return header


def load_network(path: str | Path) -> tuple[Network, dict]:
    """The network in ``path`` and its metadata, or a NetworkFileError saying what is wrong."""
    path = Path(path)
    with Archive(path) as archive:
        metadata = _read_metadata(path, archive)
        sizes = metadata["sizes"]
        expected = {"metadata"}
        for l in range(1, len(sizes)):
            expected |= {f"weights_{l}", f"biases_{l}"}
        if archive.names != expected or archive.other_members:
            extra = sorted(set(archive.names) - expected) + sorted(archive.other_members)
            missing = sorted(expected - archive.names)
            raise NetworkFileError(
                f"{path}: arrays do not match {len(sizes) - 1} layers"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unexpected {', '.join(extra)}" if extra else "")
            )
        weights, biases = [], []
        for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            weights.append(_read_parameters(path, archive, f"weights_{l}", (n_out, n_in)))
            biases.append(_read_parameters(path, archive, f"biases_{l}", (n_out,)))
    dtypes = {a.dtype for a in weights + biases}
    if len(dtypes) != 1:
        raise NetworkFileError(f"{path}: layers mix dtypes {sorted(map(str, dtypes))}")
    try:
        network = Network.from_parameters(weights, biases, metadata["activation"], metadata["cost"], dtypes.pop())
    except ShapeError as error:
        raise NetworkFileError(f"{path}: {error}") from None
    return network, metadata


def _read_metadata(path: Path, archive: Archive) -> dict:
    """The metadata entry, parsed and checked: the format, the layers, and the type and range
    of every value nnviz itself reads. Anything wrong is one NetworkFileError line."""
    where = shown_path(path)
    if "metadata" not in archive.names:
        raise NetworkFileError(f"{where}: not an nnviz network (no metadata entry)")
    text = archive.read_text("metadata", MAX_METADATA_CHARS)
    try:
        metadata = json.loads(text)
    except RecursionError:
        raise NetworkFileError(f"{where}: its metadata is nested too deeply to be an nnviz network") from None
    except ValueError as error:  # JSONDecodeError, and integers of thousands of digits
        raise NetworkFileError(f"{where}: its metadata is not valid JSON ({printable(str(error))[:80]})") from None
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT_NAME:
        raise NetworkFileError(f"{where}: not an nnviz network (format is not {FORMAT_NAME!r})")
    version = metadata.get("version")
    if type(version) is not int or version != FORMAT_VERSION:
        raise NetworkFileError(
            f"{where}: format version {quote(version, 30)} is not one this nnviz reads (it reads version {FORMAT_VERSION}); "
            "a newer nnviz may have written it"
        )
    metadata["sizes"] = _check_metadata_sizes(where, metadata.get("sizes"))
    for key, names in (("activation", ACTIVATIONS), ("cost", COSTS)):
        value = metadata.get(key)
        if not isinstance(value, str) or value not in names:
            raise NetworkFileError(f"{where}: unknown {key} {quote(value, 40)} (nnviz knows {', '.join(sorted(names))})")
    for key, (check, expected) in _METADATA_VALUES.items():
        if key in metadata and not check(metadata[key]):
            raise NetworkFileError(f"{where}: its metadata says {key} is {quote(metadata[key], 40)}; expected {expected}")
    return metadata


def _check_metadata_sizes(where: str, sizes) -> list[int]:
    # Checked here, before check_sizes, so that a list of a million layers or of strings costs
    # nothing and its message stays short.
    if not isinstance(sizes, list) or not 2 <= len(sizes) <= MAX_LAYERS:
        what = f"{len(sizes):,} layers" if isinstance(sizes, list) else quote(sizes, 40)
        raise NetworkFileError(f"{where}: bad layer sizes in its metadata ({what}; a network has 2 to {MAX_LAYERS} layers)")
    if not all(type(n) is int for n in sizes):
        raise NetworkFileError(f"{where}: bad layer sizes in its metadata ({quote(sizes, 60)}: not all whole numbers)")
    try:
        return list(check_sizes(sizes))
    except ShapeError as error:
        raise NetworkFileError(f"{where}: bad layer sizes in its metadata ({error})") from None


def _number(low: float, high: float, integer: bool = False, optional: bool = False):
    def check(value) -> bool:
        if value is None:
            return optional
        if type(value) is bool or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
            return False
        return math.isfinite(value) and low <= value <= high

    return check


def _text(max_chars: int):
    return lambda value: isinstance(value, str) and len(value) <= max_chars


#: Values nnviz reads back (the window shows them, `nnviz info` prints them): (check, what is expected).
_METADATA_VALUES = {
    "epochs_trained": (_number(0, 10**9, integer=True), "a whole number of epochs"),
    "training_cost": (_number(0, math.inf, optional=True), "a finite cost"),
    "validation_accuracy": (_number(0, 1, optional=True), "a fraction between 0 and 1"),
    "test_accuracy": (_number(0, 1, optional=True), "a fraction between 0 and 1"),
    "learning_rate": (_number(0, 1e6), "a positive learning rate"),
    "final_learning_rate": (_number(0, 1e6), "a positive learning rate"),
    "batch_size": (_number(1, 10**9, integer=True), "a whole number of at least 1"),
    "momentum": (_number(0, 1), "a number in [0, 1)"),
    "seed": (_number(-(2**63), 2**64, integer=True), "a whole number"),
    "dataset": (_text(200), "a name of at most 200 characters"),
    "created": (_text(100), "a date"),
}


def _read_parameters(path: Path, archive: Archive, name: str, shape: tuple) -> np.ndarray:
    array = archive.read(name, ALLOWED_DTYPES, shape)
    if not np.isfinite(array).all():
        raise NetworkFileError(f"{path}: {name} contains NaN or infinite values")
    return array
