"""Where nnviz keeps its own files: crash logs (the state folder) and rescued networks (the data folder).

The XDG base-directory locations on Linux and other Unix systems, the usual ones on macOS and
Windows, as QStandardPaths and platformdirs name them; the command line must not need Qt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "nnviz"


def state_dir() -> Path:
    """Logs and other state worth keeping but not worth backing up: ~/.local/state/nnviz."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / APP / "Logs"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Logs" / APP
    return _xdg("XDG_STATE_HOME", ".local/state") / APP


def data_dir() -> Path:
    """The user's own nnviz files (e.g. a network rescued from a failed save): ~/.local/share/nnviz."""
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / APP
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP
    return _xdg("XDG_DATA_HOME", ".local/share") / APP


def rescue_path(stem: str) -> Path:
    """Where a network that could not be saved where asked (or a run interrupted unsaved) goes:
    ~/.local/share/nnviz/rescued/STEM-YYYYmmdd-HHMMSS.npz."""
    from datetime import datetime

    from .errors import shorten

    return data_dir() / "rescued" / f"{shorten(stem, 60)}-{datetime.now():%Y%m%d-%H%M%S}.npz"


def _xdg(variable: str, default: str) -> Path:
    value = os.environ.get(variable, "")
    # The spec: a relative path in the variable is invalid and must be ignored.
    return Path(value) if value and os.path.isabs(value) else Path.home() / default
