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
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from .archive import Archive, write_atomic
from .errors import NetworkFileError, ShapeError
from .functions import ACTIVATIONS, COSTS
from .network import Network, check_sizes

FORMAT_NAME = "nnviz-network"
FORMAT_VERSION = 1
ALLOWED_DTYPES = (np.dtype("<f4"), np.dtype("<f8"))
MAX_METADATA_CHARS = 1_000_000


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
    if "metadata" not in archive.names:
        raise NetworkFileError(f"{path}: not an nnviz network (no metadata entry)")
    text = archive.read_text("metadata", MAX_METADATA_CHARS)
    try:
        metadata = json.loads(text)
    except json.JSONDecodeError as error:
        raise NetworkFileError(f"{path}: its metadata is not valid JSON ({error})") from None
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT_NAME:
        raise NetworkFileError(f"{path}: not an nnviz network (format is not {FORMAT_NAME!r})")
    version = metadata.get("version")
    if version != FORMAT_VERSION:
        raise NetworkFileError(
            f"{path}: format version {version!r} is not one this nnviz reads (it reads version {FORMAT_VERSION}); "
            "a newer nnviz may have written it"
        )
    try:
        metadata["sizes"] = list(check_sizes(metadata.get("sizes")))
    except (ShapeError, TypeError) as error:
        raise NetworkFileError(f"{path}: bad layer sizes in its metadata ({error})") from None
    if metadata.get("activation") not in ACTIVATIONS:
        raise NetworkFileError(f"{path}: unknown activation {metadata.get('activation')!r}")
    if metadata.get("cost") not in COSTS:
        raise NetworkFileError(f"{path}: unknown cost {metadata.get('cost')!r}")
    return metadata


def _read_parameters(path: Path, archive: Archive, name: str, shape: tuple) -> np.ndarray:
    array = archive.read(name, ALLOWED_DTYPES, shape)
    if not np.isfinite(array).all():
        raise NetworkFileError(f"{path}: {name} contains NaN or infinite values")
    return array
