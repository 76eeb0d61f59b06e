"""The window's remembered settings, typed and checked.

``read_settings(qsettings)`` reads every value nnviz keeps, checks its type and range, and
replaces a wrong one by its default; it returns the ``Settings`` and one note per value it
replaced (for the status bar). ``write_settings`` stores a ``Settings`` back, and
``repair_settings`` does both, so that code reading the QSettings afterwards only ever sees
checked values. Nothing here raises on what a settings file holds.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from PySide6 import QtCore

from ...core.errors import quote
from ...core.functions import ACTIVATIONS, COSTS
from ...core.training import DEFAULT_BATCH_SIZE, DEFAULT_LEARNING_RATE
from ...model import WindowModel
from ...core.options import Architecture
from ...model.options import SPEEDS

MAX_RECENT = 8
#: Saved window and splitter states are a few hundred bytes; anything much larger is not one.
MAX_STATE_BYTES = 65_536
MAX_PATH_CHARS = 4096
_HIDDEN = re.compile(r"\s*(\d{1,4}\s*(,\s*\d{1,4}\s*)*)?")


@dataclass(frozen=True)
class Options:
    """What the training controls remember; ranges as the controls offer them."""

    learning_rate: float = DEFAULT_LEARNING_RATE
    batch_size: int = DEFAULT_BATCH_SIZE
    epochs: int = 30
    momentum: float = 0.0
    seed: int = 0
    speed: int = len(SPEEDS) - 1
    edges: int = 25
    hidden: str = "16,16"
    activation: str = "sigmoid"
    cost: str = "mse"
    more_open: bool = False  # the options that fold away are shown

    def to_state(self) -> dict:
        return asdict(self)

    @classmethod
    def of(cls, model: WindowModel, more_open: bool) -> Options:
        """What the window remembers of ``model``'s settings (and whether the fold is open)."""
        o, a = model.options, model.architecture
        return cls(learning_rate=o.learning_rate, batch_size=o.batch_size, epochs=o.epochs, momentum=o.momentum,
                   seed=a.seed, speed=model.speed, edges=round(model.edge_fraction * 100),
                   hidden=",".join(map(str, a.hidden)), activation=a.activation, cost=a.cost, more_open=more_open)

    def architecture(self) -> Architecture:
        hidden = tuple(int(part) for part in self.hidden.split(",") if part.strip())
        return Architecture(hidden, self.activation, self.cost, self.seed)

    def apply_to(self, model: WindowModel) -> None:
        """Make ``model``'s settings these (a new start: the training options, what New network
        makes, the speed and the edges drawn)."""
        model.set_options(replace(model.options, learning_rate=self.learning_rate, batch_size=self.batch_size,
                                  epochs=self.epochs, momentum=self.momentum, seed=self.seed))
        model.set_architecture(self.architecture())
        model.set_speed(self.speed)
        model.set_edge_fraction(self.edges / 100)


#: (low, high) of each number in Options, the controls' own ranges.
OPTION_RANGES = {
    "learning_rate": (0.001, 100.0),
    "batch_size": (1, 1000),
    "epochs": (1, 1000),
    "momentum": (0.0, 0.99),
    "seed": (0, 2**31 - 1),
    "speed": (0, len(SPEEDS) - 1),
    "edges": (1, 100),
}


@dataclass(frozen=True)
class Settings:
    geometry: bytes | None = None
    splitter: bytes | None = None
    centre: bytes | None = None
    options: Options = field(default_factory=Options)
    last_network: Path | None = None
    last_dataset: Path | None = None
    last_folder: Path | None = None
    recent: tuple[Path, ...] = ()


class Remembered:
    """What this nnviz remembers between sessions (``settings``, checked), and the notes about
    values that were wrong; ``change`` writes a change through to the settings file."""

    def __init__(self, qsettings: QtCore.QSettings):
        self.qsettings = qsettings
        self.settings, self.notes = repair_settings(qsettings)

    def change(self, **changes) -> None:
        self.settings = forget(self.qsettings, self.settings, **changes)

    def sync(self) -> None:
        self.qsettings.sync()


def read_settings(qsettings: QtCore.QSettings) -> tuple[Settings, list[str]]:
    """The checked settings, and a note for each value that was wrong and replaced by its default."""
    notes: list[str] = []

    def value(key: str):
        try:
            return qsettings.value(key)
        except Exception:  # noqa: BLE001 - Qt may fail to convert a damaged variant
            notes.append(f"setting {key} could not be read; using the default")
            return None

    def state(key: str) -> bytes | None:
        raw = value(key)
        if raw is None:
            return None
        if isinstance(raw, QtCore.QByteArray) and 0 < raw.size() <= MAX_STATE_BYTES:
            return bytes(raw.data())
        notes.append(f"setting {key} is not a saved window state ({_kind(raw)}); using the default")
        return None

    def path(key: str, raw=None) -> Path | None:
        raw = value(key) if raw is None else raw
        if raw is None or raw == "":
            return None
        checked = _path(raw)
        if checked is None:
            notes.append(f"setting {key} is not a file or folder name ({_kind(raw)}); forgotten")
        return checked

    settings = Settings(
        geometry=state("geometry"),
        splitter=state("splitter"),
        centre=state("centre"),
        options=_options(value("options"), notes),
        last_network=path("last_network"),
        last_dataset=path("last_dataset"),
        last_folder=path("last_folder"),
        recent=_recent(value("recent"), notes),
    )
    return settings, notes


KEYS = tuple(f.name for f in fields(Settings))


def write_settings(qsettings: QtCore.QSettings, settings: Settings, keys=KEYS) -> None:
    """Store ``settings`` (only ``keys`` of it); a None path or state, or no recent files,
    removes its key."""
    for key in keys:
        value = getattr(settings, key)  # an unknown key is a bug: AttributeError
        if value is None or value == ():
            qsettings.remove(key)
        elif key == "options":
            qsettings.setValue(key, value.to_state())
        elif key == "recent":
            qsettings.setValue(key, [str(p) for p in value])
        elif isinstance(value, bytes):
            qsettings.setValue(key, QtCore.QByteArray(value))
        else:
            qsettings.setValue(key, str(value))


def repair_settings(qsettings: QtCore.QSettings) -> tuple[Settings, list[str]]:
    """``read_settings``, and when anything was wrong, the checked values written back."""
    settings, notes = read_settings(qsettings)
    if notes:
        write_settings(qsettings, settings)
        qsettings.sync()
    return settings, notes


def forget(qsettings: QtCore.QSettings, settings: Settings, **changes) -> Settings:
    """``settings`` with ``changes`` (e.g. last_dataset=None), the changed keys also written to
    ``qsettings`` (the others are left as they are there)."""
    settings = replace(settings, **changes)
    write_settings(qsettings, settings, changes)
    return settings


def with_recent(settings: Settings, path: Path) -> tuple[Path, ...]:
    """``settings``' recent files with ``path`` first, at most MAX_RECENT."""
    return ((path,) + tuple(p for p in settings.recent if p != path))[:MAX_RECENT]


# -- checking ----------------------------------------------------------------------------------------


def _kind(raw) -> str:
    if isinstance(raw, str):
        return f"text of {len(raw):,} characters" if len(raw) > 40 else quote(raw, 40)
    if isinstance(raw, QtCore.QByteArray):
        return f"{raw.size():,} bytes"
    if isinstance(raw, (list, tuple, dict)):
        return f"a {type(raw).__name__} of {len(raw):,} items"
    return quote(raw, 30)


def _path(raw) -> Path | None:
    if not isinstance(raw, str) or not 0 < len(raw) <= MAX_PATH_CHARS or "\0" in raw:
        return None
    return Path(raw)


def _number(raw, kind: type, low, high):
    """``raw`` (a number, or text from an INI file) as ``kind`` within [low, high], else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str):
        if len(raw) > 40:
            return None
        try:
            raw = float(raw) if kind is float else int(raw.strip())
        except ValueError:
            return None
    if not isinstance(raw, (int, float)) or (kind is int and isinstance(raw, float) and not raw.is_integer()):
        return None
    if isinstance(raw, float) and not math.isfinite(raw):
        return None
    if not low <= raw <= high:
        return None
    return kind(raw)


def _options(raw, notes: list[str]) -> Options:
    if raw is None:
        return Options()
    if not isinstance(raw, dict):
        notes.append(f"setting options is not a set of options ({_kind(raw)}); using the defaults")
        return Options()
    defaults = Options()
    checked = {}
    wrong = []
    for key, (low, high) in OPTION_RANGES.items():
        if key not in raw:
            continue
        kind = type(getattr(defaults, key))
        number = _number(raw[key], kind, low, high)
        if number is None:
            wrong.append(key)
        else:
            checked[key] = number
    hidden = raw.get("hidden", defaults.hidden)
    if isinstance(hidden, str) and len(hidden) <= 100 and _HIDDEN.fullmatch(hidden):
        checked["hidden"] = hidden.strip()
    else:
        wrong.append("hidden")
    for key, names in (("activation", ACTIVATIONS), ("cost", COSTS)):
        name = raw.get(key, getattr(defaults, key))
        if isinstance(name, str) and name in names:
            checked[key] = name
        else:
            wrong.append(key)
    more_open = raw.get("more_open", defaults.more_open)
    # QSettings' INI files give booleans back as strings.
    if isinstance(more_open, bool) or more_open in ("true", "false"):
        checked["more_open"] = more_open in (True, "true")
    else:
        wrong.append("more_open")
    if wrong:
        notes.append(f"settings {', '.join(wrong)} were out of range or of the wrong type; using the defaults")
    return replace(defaults, **checked)


def _recent(raw, notes: list[str]) -> tuple[Path, ...]:
    if raw is None or raw == "":
        return ()
    items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else None
    if items is None:
        notes.append(f"setting recent is not a list of files ({_kind(raw)}); forgotten")
        return ()
    paths = [_path(item) for item in items[: MAX_RECENT * 4]]
    if any(p is None for p in paths) or len(items) > MAX_RECENT * 4:
        notes.append("some recent files were not file names; forgotten")
    unique: list[Path] = []
    for p in paths:
        if p is not None and p not in unique:
            unique.append(p)
    return tuple(unique[:MAX_RECENT])
