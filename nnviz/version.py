"""The version nnviz was installed as (no Qt here: `nnviz --version` must not load the window)."""

from __future__ import annotations

from importlib import metadata


def version() -> str:
    """The installed version; a source tree that was never installed says so instead of guessing."""
    try:
        return metadata.version("nnviz")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"
