"""``nnviz info``: a saved network's metadata and what its run's record holds."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import one_line, printable, shorten


def add_parser(commands) -> None:
    info = commands.add_parser("info", help="print a saved network's metadata")
    info.add_argument("file", type=Path)
    info.set_defaults(run=run)


def run(args) -> int:
    from ..core.files import load_run

    run = load_run(args.file)
    metadata = {k: v for k, v in run.metadata.items() if k not in ("training", "history", "trainer_state")}
    # Keys and values come from the file: shown printable and cut to a line.
    keys = {key: shorten(printable(key), 40) for key in metadata}
    width = max(map(len, keys.values()))
    for key, value in metadata.items():
        if isinstance(value, float):
            value = f"{value:.2%}" if key.endswith("accuracy") else f"{value:g}"
        elif isinstance(value, list):
            value = "-".join(map(str, value)) if key == "sizes" else value
        text = value if isinstance(value, str) else _short_repr(value)
        print(f"{keys[key]:<{width}}  {shorten(printable(text), 200)}")
    print(_history_line(run))
    if run.note:
        print(f"note: {one_line(run.note)}")
    return 0


def _history_line(run) -> str:
    history = run.history
    if len(history):
        resumable = "; can be resumed" if run.state is not None else ""
        return (f"history: {len(history)} checkpoints covering epochs 0-{history.end:g}, "
                f"{len(history.epochs)} epoch records{resumable}")
    if run.metadata.get("version") == 1:
        return "history: none (version 1 file)"
    return "history: none (damaged)" if run.note and "history" in run.note else "history: none"


def _short_repr(value) -> str:
    try:
        return repr(value)[:1000]
    except (RecursionError, ValueError):
        return f"<{type(value).__name__}>"
