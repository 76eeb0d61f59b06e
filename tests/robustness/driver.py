"""Run one nnviz entry point on many files in one process, under a memory limit.

    python driver.py COMMAND LIMIT_BYTES EXTRA < paths   (one path per line, JSON-quoted)

Writes one JSON line when a case starts and one when it ends, flushed, so that the caller can
tell which case killed the process (and restart on the rest). Each case runs the real
``nnviz.cli.main`` (or the loader the window calls) with stdout and stderr captured; an
exception escaping it is what a user would see as a traceback.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import resource
import sys
import traceback


def main() -> None:
    command, limit, extra = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    from nnviz.cli import main as cli_main
    from nnviz.core.data import load_dataset
    from nnviz.core.errors import NnvizError
    from nnviz.core.files import load_network

    def loading(load):
        # What File > Open (network or dataset folder) and `nnviz --open` do before anything is
        # shown: load, and say in one line what is wrong.
        def run(path: str) -> int:
            try:
                load(path)
            except NnvizError as error:
                print(f"nnviz: error: {error}", file=sys.stderr)
                return 1
            return 0
        return run

    window_open, window_open_dataset = loading(load_network), loading(load_dataset)

    runs = {
        "info": lambda p: cli_main(["info", p]),
        "eval": lambda p: cli_main(["eval", p, "--data", extra]),
        "open": window_open,
        "train-data": lambda p: cli_main(["train", "--data", p, "--epochs", "1", "--quiet", "--out", extra]),
        "eval-data": lambda p: cli_main(["eval", extra, "--data", p]),
        "open-data": window_open_dataset,
    }
    # Everything the entry points import lazily, before privileges go (the interpreter's own
    # files may be readable by root only).
    for module in ("tqdm", "nnviz.core.network", "nnviz.core.training", "nnviz.core.evaluation", "nnviz.core.archive",
                   "gzip", "zipfile", "zlib", "bz2", "lzma", "tempfile", "ast", "encodings.latin_1", "encodings.utf_8",
                   "encodings.ascii", "encodings.cp437", "secrets", "unicodedata", "traceback", "platform", "datetime", "shutil", "signal"):
        importlib.import_module(module)
    warm_up = os.environ.get("NNVIZ_BATTERY_WARM_UP")
    if warm_up:
        # One legal case first, as root, so that every lazy import has happened.
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            for path in json.loads(warm_up):
                try:
                    runs[command](path)
                except BaseException:  # noqa: BLE001
                    pass
    if os.geteuid() == 0 and os.environ.get("NNVIZ_BATTERY_AS_ROOT") != "1":
        # As root every file is readable: drop to nobody so that permissions are real.
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    run = runs[command]
    for i, line in enumerate(sys.stdin):
        path = json.loads(line)
        print(json.dumps({"start": i}), flush=True)
        out, err = io.StringIO(), io.StringIO()
        escaped = None
        code = 0
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = run(path)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        except BaseException:  # noqa: BLE001 - this is exactly what the battery looks for
            escaped = traceback.format_exc(limit=-3)[-2000:]
            code = 1
        print(json.dumps({"case": i, "code": code, "stdout": out.getvalue()[-5000:], "stderr": err.getvalue()[-5000:],
                          "escaped": escaped}), flush=True)


if __name__ == "__main__":
    main()
