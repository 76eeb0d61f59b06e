"""``nnviz`` with no command: the desktop app."""

from __future__ import annotations

import sys


def run(args) -> int:
    try:
        from ..app.main import run_app
    except ImportError as error:
        print(f"nnviz: error: the desktop app needs PySide6 and pyqtgraph ({error})", file=sys.stderr)
        return 1
    return run_app(network_path=args.network, data_dir=args.data, quit_after_ms=args.quit_after)
