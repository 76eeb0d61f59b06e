"""Saving and loading networks, and the record of their training, as ``.npz`` files that plain
NumPy can open.

A network file is an uncompressed NumPy ``.npz`` (a zip of ``.npy`` arrays) holding

    metadata     a 0-d unicode array: JSON with "format": "nnviz-network", "version": 2,
                 "sizes", "activation", "cost", what is known of its training, and (version 2)
                 "training" (the run's TrainingOptions), "history" (the counts of the history's
                 entries) and "trainer_state" (what resuming the run needs, when it can be)
    weights_1 .. weights_L    float32 or float64, shape (n_l, n_{l-1}): the final parameters
    biases_1 .. biases_L      the same dtype, shape (n_l,)

and, in version 2, the run's history (see ``history.py``), with C checkpoints of P parameters:

    history_checkpoint_positions   float64 (C,): epochs as floats, sorted, the first 0.0
    history_checkpoints            float16 (C, P), laid out as ``Network.params`` (float32/64
                                   if a parameter is beyond float16's range)
    history_cost                   float64 (M, 2): position, mean cost of 50 mini-batches
    history_epochs                 float64 (E, 5): epoch, training cost, validation accuracy,
                                   test accuracy (NaN if not measured), η
    history_learning_rates         float64 (K, 2): position, the new η
    trainer_velocity               the parameters' dtype (P,): momentum's velocity

so ``json.loads(str(np.load(path)["metadata"]))`` and ``np.load(path)["weights_1"]`` read it.
Loading checks everything before it builds anything, and refuses pickles outright. Version 1
files (no history) still load, with an empty history. A damaged history or trainer state is
left out with a one-line ``note``; it never keeps the network from opening.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .archive import Archive, write_atomic
from .errors import NetworkFileError, ShapeError, printable, quote, shown_path
from .functions import ACTIVATIONS, COSTS
from .history import EpochRecord, RunHistory
from .network import Network, check_sizes, parameter_count
from .options import default_options
from .training import TrainerState, TrainingOptions

FORMAT_NAME = "nnviz-network"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
ALLOWED_DTYPES = (np.dtype("<f4"), np.dtype("<f8"))
CHECKPOINT_DTYPES = (np.dtype("<f2"), np.dtype("<f4"), np.dtype("<f8"))
FLOAT64 = (np.dtype("<f8"),)
MAX_METADATA_CHARS = 1_000_000
#: A network file describing more layers than this is damaged or hostile.
MAX_LAYERS = 100
# Bounds on what a file's history may declare, checked before anything is read.
MAX_CHECKPOINTS = 100_000
MAX_HISTORY_BYTES = 1 << 30
MAX_COST_POINTS = 10_000_000
MAX_EPOCH_RECORDS = 1_000_000
MAX_LEARNING_RATE_CHANGES = 1_000_000
#: float16's largest finite value: checkpoints beyond it are stored in the network's dtype.
FLOAT16_MAX = 65504.0
HISTORY_ENTRIES = (
    "history_checkpoint_positions", "history_checkpoints", "history_cost", "history_epochs", "history_learning_rates",
)
VELOCITY_ENTRY = "trainer_velocity"
#: Metadata entries that describe the arrays written with them, so never copied from elsewhere.
_FORMAT_OWNED = ("history", "trainer_state")


class LoadedRun(NamedTuple):
    """A network file's contents. ``state`` is None when the run cannot be resumed exactly;
    ``note`` says in one line what was left out because it was damaged (None if nothing)."""

    network: Network
    metadata: dict
    options: TrainingOptions
    history: RunHistory
    state: TrainerState | None
    note: str | None


def save_network(network: Network, path: str | Path, **metadata: Any) -> dict:
    """Write ``network`` alone (an empty history) to ``path``; see ``save_run``."""
    # A loaded file's metadata may hold "history" (the format's own entry, rewritten on saving).
    return save_run(path, network, **{k: v for k, v in metadata.items() if k not in _FORMAT_OWNED})


def save_run(
    path: str | Path,
    network: Network,
    history: RunHistory | None = None,
    options: TrainingOptions | None = None,
    state: TrainerState | None = None,
    **metadata: Any,
) -> dict:
    """Write ``network``, its run's ``history``, ``options`` and resume ``state`` to ``path``
    atomically (see ``archive.write_atomic``) and return the metadata written. ``metadata`` adds
    or overrides entries (epochs_trained, validation_accuracy, dataset, ...).
    """
    path = Path(path)
    history = history if history is not None else RunHistory()
    # Metadata carried over from a loaded file must not describe a history or state not written now.
    metadata = {k: v for k, v in metadata.items() if k not in _FORMAT_OWNED}
    header = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "sizes": list(network.sizes),
        "activation": network.activation.name,
        "cost": network.cost.name,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **metadata,
    }
    if options is not None:
        header["training"] = options.to_metadata()
    header["history"] = {
        "checkpoints": len(history),
        "cost_points": len(history.cost_values),
        "epochs": len(history.epochs),
        "learning_rate_changes": len(history.learning_rate_changes),
    }
    if state is not None:
        header["trainer_state"] = state.to_metadata()
    arrays = {"metadata": np.array(json.dumps(header))}
    for l, (w, b) in enumerate(zip(network.weights, network.biases), start=1):
        arrays[f"weights_{l}"] = np.ascontiguousarray(w)
        arrays[f"biases_{l}"] = np.ascontiguousarray(b)
    arrays.update(_history_arrays(history, network))
    if state is not None:
        velocity = state.velocity if state.velocity is not None else np.zeros_like(network.params)
        arrays[VELOCITY_ENTRY] = np.ascontiguousarray(velocity, network.dtype)
    write_atomic(path, arrays)
    return header


def _history_arrays(history: RunHistory, network: Network) -> dict[str, np.ndarray]:
    checkpoints = np.array([history.parameters(i) for i in range(len(history))], network.dtype)
    checkpoints = checkpoints.reshape(len(history), len(network.params))
    # Half the size, and float16's 3 significant digits are far finer than a picture of the
    # network or its accuracy can show (the final parameters are kept exactly, as weights_l).
    if not len(checkpoints) or np.abs(checkpoints).max() <= FLOAT16_MAX:
        checkpoints = checkpoints.astype(np.float16)
    epochs = np.array(
        [(e.epoch, e.training_cost, e.validation_accuracy, math.nan if e.test_accuracy is None else e.test_accuracy,
          e.learning_rate) for e in history.epochs],
        np.float64,
    ).reshape(-1, 5)
    return {
        "history_checkpoint_positions": np.array(history.checkpoint_positions, np.float64),
        "history_checkpoints": checkpoints,
        "history_cost": np.stack([history.cost_positions, history.cost_values], axis=1).reshape(-1, 2),
        "history_epochs": epochs,
        "history_learning_rates": np.array(history.learning_rate_changes, np.float64).reshape(-1, 2),
    }


def load_network(path: str | Path) -> tuple[Network, dict]:
    """The network in ``path`` and its metadata, or a NetworkFileError saying what is wrong."""
    path = Path(path)
    with Archive(path) as archive:
        metadata = _read_metadata(path, archive)
        return _read_network(path, archive, metadata), metadata


def load_run(path: str | Path) -> LoadedRun:
    """Everything in the file at ``path``; a NetworkFileError if the network cannot be read.

    A damaged history, trainer state or options are left out (an empty history, no state,
    default options) and ``note`` says why.
    """
    path = Path(path)
    notes = []
    with Archive(path) as archive:
        metadata = _read_metadata(path, archive)
        network = _read_network(path, archive, metadata)
        history, state = RunHistory(), None
        if metadata["version"] >= 2:
            try:
                history = _read_history(archive, metadata, network)
            except (NetworkFileError, ValueError, TypeError, KeyError) as error:
                notes.append(f"its training history is damaged and was left out ({_reason(path, error)})")
            try:
                state = _read_state(archive, metadata, network)
            except (NetworkFileError, ValueError, TypeError, KeyError) as error:
                notes.append(f"its run cannot be resumed ({_reason(path, error)})")
    try:
        options = _read_options(metadata)
    except (ValueError, TypeError) as error:
        options = default_options(network.activation.name, network.cost.name)
        notes.append(f"its training settings are damaged; the defaults replace them ({error})")
    note = f"{path.name}: " + "; ".join(notes) if notes else None
    return LoadedRun(network, metadata, options, history, state, note)


def _reason(path: Path, error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text.removeprefix(f"{path}: ")


def _read_network(path: Path, archive: Archive, metadata: dict) -> Network:
    sizes = metadata["sizes"]
    expected = {"metadata"}
    for l in range(1, len(sizes)):
        expected |= {f"weights_{l}", f"biases_{l}"}
    optional = set(HISTORY_ENTRIES) | {VELOCITY_ENTRY} if metadata["version"] >= 2 else set()
    if not expected <= archive.names or archive.names - expected - optional or archive.other_members:
        extra = sorted(archive.names - expected - optional) + sorted(archive.other_members)
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
        return Network.from_parameters(weights, biases, metadata["activation"], metadata["cost"], dtypes.pop())
    except ShapeError as error:
        raise NetworkFileError(f"{path}: {error}") from None


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
    if type(version) is not int or version not in READABLE_VERSIONS:
        raise NetworkFileError(
            f"{where}: format version {quote(version, 30)} is not one this nnviz reads (it reads versions "
            f"{READABLE_VERSIONS[0]} to {READABLE_VERSIONS[-1]}); a newer nnviz may have written it"
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


def _read_options(metadata: dict) -> TrainingOptions:
    if metadata["version"] >= 2:
        training = metadata.get("training", {})
        if not isinstance(training, dict):
            raise ValueError("they are not a mapping")
        return TrainingOptions.from_metadata(training)
    # Version 1 kept a few settings among the rest of its metadata.
    return TrainingOptions.from_metadata({k: metadata[k] for k in ("learning_rate", "batch_size", "momentum", "seed") if k in metadata})


def _count(counts: dict, key: str, most: int) -> int:
    value = counts.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= most:
        raise ValueError(f"it declares {value!r} {key.replace('_', ' ')}, not a whole number from 0 to {most:,}")
    return value


def _read_entry(archive: Archive, name: str, dtypes: tuple, shape: tuple) -> np.ndarray:
    if name not in archive.names:
        raise ValueError(f"{name} is missing")
    return archive.read(name, dtypes, shape)


def _read_history(archive: Archive, metadata: dict, network: Network) -> RunHistory:
    counts = metadata.get("history")
    if counts is None and not set(HISTORY_ENTRIES) & archive.names:
        return RunHistory()
    if not isinstance(counts, dict):
        raise ValueError("its description in the metadata is missing or not a mapping")
    n = _count(counts, "checkpoints", MAX_CHECKPOINTS)
    m = _count(counts, "cost_points", MAX_COST_POINTS)
    e = _count(counts, "epochs", MAX_EPOCH_RECORDS)
    k = _count(counts, "learning_rate_changes", MAX_LEARNING_RATE_CHANGES)
    p = parameter_count(network.sizes)
    if n * p * 8 > MAX_HISTORY_BYTES:
        raise ValueError(f"{n:,} checkpoints of {p:,} parameters would take more than {MAX_HISTORY_BYTES:,} bytes")
    positions = _read_entry(archive, "history_checkpoint_positions", FLOAT64, (n,))
    checkpoints = _read_entry(archive, "history_checkpoints", CHECKPOINT_DTYPES, (n, p))
    cost = _read_entry(archive, "history_cost", FLOAT64, (m, 2))
    epochs = _read_entry(archive, "history_epochs", FLOAT64, (e, 5))
    rates = _read_entry(archive, "history_learning_rates", FLOAT64, (k, 2))
    if not (np.isfinite(positions).all() and np.isfinite(cost).all() and np.isfinite(rates).all()):
        raise ValueError("a position or value is NaN or infinite")
    if not np.isfinite(checkpoints).all():
        raise ValueError("a checkpoint holds NaN or infinite parameters")
    if n and (positions[0] != 0.0 or (np.diff(positions) <= 0).any()):
        raise ValueError("its checkpoints are not in order from 0")
    if m and (cost[0, 0] < 0 or (np.diff(cost[:, 0]) < 0).any()):
        raise ValueError("its cost curve is not in order")
    numbers = epochs[:, 0]
    if not np.isfinite(np.delete(epochs, 3, axis=1)).all() or (numbers < 1).any() or (numbers != np.round(numbers)).any() \
            or (np.diff(numbers) <= 0).any():
        raise ValueError("its epoch records are not numbered in order")
    checkpoints = checkpoints.astype(network.dtype)
    checkpoints.flags.writeable = False
    return RunHistory(
        cost[:, 0], cost[:, 1],
        [EpochRecord(int(r[0]), float(r[1]), float(r[2]), None if math.isnan(r[3]) else float(r[3]), float(r[4])) for r in epochs],
        map(tuple, rates),
        positions,
        list(checkpoints),
    )


def _read_state(archive: Archive, metadata: dict, network: Network) -> TrainerState | None:
    raw = metadata.get("trainer_state")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ValueError("its trainer state is not a mapping")
    velocity = _read_entry(archive, VELOCITY_ENTRY, (network.dtype,), network.params.shape)
    if not np.isfinite(velocity).all():
        raise ValueError("its velocity holds NaN or infinite values")
    return TrainerState.from_metadata(raw, velocity)
