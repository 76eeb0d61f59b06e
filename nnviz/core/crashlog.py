"""The last resort: a bug's traceback goes to a log file, the person sees one line with its path.

Used by the command line's ``main`` and by the app's ``sys.excepthook``. Never raises: if even
the log cannot be written, the line says so and the traceback goes to stderr instead.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path

from .errors import one_line
from .places import state_dir


def write_crash_log(error: BaseException, folder: Path | None = None) -> Path | None:
    """Write ``error``'s traceback (with versions) to a new file in ``folder`` (default: the
    state folder); returns its path, or None when it could not be written."""
    try:
        folder = folder or state_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        path = folder / f"crash-{stamp}-{os.getpid()}.log"
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        with open(path, "w", encoding="utf-8", errors="backslashreplace") as f:
            f.write(f"nnviz crash at {stamp} UTC\npython {sys.version}\nargv {sys.argv!r}\n\n{text}")
        return path
    except Exception:  # noqa: BLE001 - a crash handler must not crash
        return None


def crash_line(error: BaseException, log: Path | None) -> str:
    """The one line a person sees for a bug: what kind, and where the details are."""
    kind = "out of memory" if isinstance(error, MemoryError) else type(error).__name__
    where = f"the details are in {log}" if log else "the details could not be written to a log file"
    return one_line(f"internal error ({kind}), a bug in nnviz; {where}")


def report_crash(error: BaseException, stream=None) -> Path | None:
    """Log ``error`` and print its one line to ``stream`` (stderr by default)."""
    stream = stream or sys.stderr
    log = write_crash_log(error)
    try:
        print(f"nnviz: {crash_line(error, log)}", file=stream, flush=True)
        if log is None:
            traceback.print_exception(type(error), error, error.__traceback__, file=stream)
    except Exception:  # noqa: BLE001 - stderr itself may be gone
        pass
    return log
