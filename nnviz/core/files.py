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
import os
import tempfile
import zipfile
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from .errors import NetworkFileError, ShapeError
from .functions import ACTIVATIONS, COSTS
from .network import Network, check_sizes

FORMAT_NAME = "nnviz-network"
FORMAT_VERSION = 1
ALLOWED_DTYPES = (np.dtype("<f4"), np.dtype("<f8"))
MAX_METADATA_CHARS = 1_000_000
#: Room for the .npy header beside the array data itself.
NPY_HEADER_ALLOWANCE = 4096


def save_network(network: Network, path: str | Path, **metadata: Any) -> dict:
    """Write ``network`` to ``path`` atomically and return the metadata written.

    The file is written beside ``path`` under a temporary name, flushed to disk, then renamed
    over ``path``: a crash or a full disk leaves the previous file as it was.
    ``metadata`` adds or overrides entries (epochs_trained, validation_accuracy, dataset, ...).
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
    folder = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return header


def load_network(path: str | Path) -> tuple[Network, dict]:
    """The network in ``path`` and its metadata, or a NetworkFileError saying what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise NetworkFileError(f"{path}: no such file")
    try:
        with zipfile.ZipFile(path) as archive:
            members = {info.filename: info for info in archive.infolist()}
            metadata = _read_metadata(path, archive, members)
            sizes = metadata["sizes"]
            expected = {"metadata.npy"}
            for l in range(1, len(sizes)):
                expected |= {f"weights_{l}.npy", f"biases_{l}.npy"}
            if set(members) != expected:
                extra, missing = sorted(set(members) - expected), sorted(expected - set(members))
                raise NetworkFileError(
                    f"{path}: arrays do not match {len(sizes) - 1} layers"
                    + (f"; missing {', '.join(missing)}" if missing else "")
                    + (f"; unexpected {', '.join(extra)}" if extra else "")
                )
            weights, biases = [], []
            for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
                weights.append(_read_array(path, archive, members, f"weights_{l}", (n_out, n_in)))
                biases.append(_read_array(path, archive, members, f"biases_{l}", (n_out,)))
    except zipfile.BadZipFile as error:
        raise NetworkFileError(f"{path}: not a network file (not a valid .npz archive: {error})") from None
    except (OSError, EOFError, ValueError, zipfile.LargeZipFile, zlib.error) as error:
        raise NetworkFileError(f"{path}: damaged ({error})") from None
    dtypes = {a.dtype for a in weights + biases}
    if len(dtypes) != 1:
        raise NetworkFileError(f"{path}: layers mix dtypes {sorted(map(str, dtypes))}")
    try:
        network = Network.from_parameters(weights, biases, metadata["activation"], metadata["cost"], dtypes.pop())
    except ShapeError as error:
        raise NetworkFileError(f"{path}: {error}") from None
    return network, metadata


def _read_metadata(path: Path, archive: zipfile.ZipFile, members: dict) -> dict:
    info = members.get("metadata.npy")
    if info is None:
        raise NetworkFileError(f"{path}: not an nnviz network (no metadata entry)")
    if info.file_size > 4 * MAX_METADATA_CHARS + NPY_HEADER_ALLOWANCE:
        raise NetworkFileError(f"{path}: its metadata declares {info.file_size:,} bytes, far too many")
    array = _load_member(path, archive, "metadata")
    if array.dtype.kind != "U" or array.shape != ():
        raise NetworkFileError(f"{path}: the metadata entry is not a text string")
    try:
        metadata = json.loads(str(array))
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


def _read_array(path: Path, archive: zipfile.ZipFile, members: dict, name: str, shape: tuple) -> np.ndarray:
    # The declared size is checked before anything is decompressed, so a file that claims a
    # gigantic array (a zip bomb) is refused without reading it.
    limit = int(np.prod(shape)) * 8 + NPY_HEADER_ALLOWANCE
    if members[f"{name}.npy"].file_size > limit:
        raise NetworkFileError(f"{path}: {name} declares {members[f'{name}.npy'].file_size:,} bytes for shape {shape}")
    array = _load_member(path, archive, name)
    if array.dtype not in ALLOWED_DTYPES:
        raise NetworkFileError(f"{path}: {name} has dtype {array.dtype}; expected float32 or float64")
    if array.shape != shape:
        raise NetworkFileError(f"{path}: {name} has shape {array.shape}, but the layer sizes need {shape}")
    if not np.isfinite(array).all():
        raise NetworkFileError(f"{path}: {name} contains NaN or infinite values")
    return array


def _load_member(path: Path, archive: zipfile.ZipFile, name: str) -> np.ndarray:
    try:
        with archive.open(f"{name}.npy") as member:
            return np.lib.format.read_array(member, allow_pickle=False)
    except ValueError as error:
        # NumPy refuses object arrays (pickles) with a ValueError; say so plainly.
        if "pickle" in str(error).lower() or "object" in str(error).lower():
            raise NetworkFileError(f"{path}: {name} holds Python objects (a pickle), which nnviz refuses to load") from None
        raise NetworkFileError(f"{path}: {name} is damaged ({error})") from None
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as error:
        raise NetworkFileError(f"{path}: {name} is damaged ({error})") from None
