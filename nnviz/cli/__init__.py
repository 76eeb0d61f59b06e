"""The ``nnviz`` command: the desktop app by default, and headless commands, one module each
(``train``, ``evaluate``, ``info``, ``animate``, ``landscape``, ``dream``, ``fool``; ``app`` opens the window)."""

from __future__ import annotations

import os
import signal
import sys


def _interrupted_while_starting(signum, frame) -> None:
    # Until main() is running, a Ctrl+C would give a traceback from inside an import.
    os.write(2, b"nnviz: interrupted\n")
    os._exit(130)


def _is_the_program() -> bool:
    """Whether this is the running program (the nnviz script, or python -m nnviz.cli), not an import."""
    if os.path.basename(sys.argv[0] if sys.argv else "") == "nnviz":
        return True
    command = list(getattr(sys, "orig_argv", []))
    return "-m" in command and command[command.index("-m") + 1:][:1] == ["nnviz.cli"]


#: The commands that run without the window; with none of them ``nnviz`` opens the app.
HEADLESS = ("train", "evaluate", "animate", "landscape", "dream", "fool", "info")


def one_blas_thread_for_the_window() -> None:
    """The window's own products (a split's answers for the Mistakes tab, a neuron through the
    run) mostly run while the training process keeps a core busy: a second OpenBLAS thread then
    waits for a core, and a product takes several times as long — the test set's answers of
    784-16-16-10 took 71 ms instead of 9 on a loaded 2-core machine, a timeline move's handlers
    190 ms instead of 63 (docs/performance.md). Set before NumPy loads OpenBLAS; the headless
    commands keep their threads."""
    if not any(argument in HEADLESS for argument in sys.argv[1:]):
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, "1")


if _is_the_program():
    try:
        signal.signal(signal.SIGINT, _interrupted_while_starting)
    except ValueError:  # not the main thread
        pass
    one_blas_thread_for_the_window()

import argparse  # noqa: E402 - after the handler above, on purpose
from pathlib import Path  # noqa: E402

from ..core.crashlog import report_crash  # noqa: E402
from ..core.errors import NnvizError, one_line  # noqa: E402
from .exits import EXIT_BUG, EXIT_INTERRUPTED  # noqa: E402

__all__ = ["EXIT_BUG", "EXIT_INTERRUPTED", "main"]


def main(argv: list[str] | None = None) -> int:
    """The ``nnviz`` command; ``argv`` None means the real command line (then a Ctrl+C ends the
    process with 130 for certain, see _finish)."""
    code = _main(argv)
    if argv is None:
        # The work is done, and its result decided: a Ctrl+C from here on, while the interpreter
        # shuts down, must not turn it into a death by signal. A press that came just before is
        # raised as the call begins (Python checks for signals as a function starts), before its
        # own handling: here it is dropped too.
        while True:
            try:
                _ignore_interrupts()
            except KeyboardInterrupt:
                continue
            break
        if code == EXIT_INTERRUPTED:
            _finish(code)
    return code


def _ignore_interrupts() -> None:
    """Ignore Ctrl+C from now on. A press that came just before is raised on the way into the
    call that ignores it (Python checks for signals as a function starts): it is dropped too."""
    while True:
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            return
        except KeyboardInterrupt:
            continue


def _finish(code: int) -> None:
    # CPython kills itself with SIGINT at exit when a KeyboardInterrupt once escaped code it ran
    # from C (as some imports do), even though we handled it: end here, with our exit code.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001
            pass
    os._exit(code)


def _main(argv: list[str] | None) -> int:
    try:
        # Building the parser imports NumPy: a Ctrl+C there ends the process at once.
        args = parser().parse_args(argv)
        if signal.getsignal(signal.SIGINT) is _interrupted_while_starting:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        return args.run(args)
    except NnvizError as error:
        print(f"nnviz: error: {error}", file=sys.stderr)
        return 1
    except ValueError as error:  # a bad option value the core rejected, e.g. sizes that do not fit the data
        print(f"nnviz: error: {one_line(str(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nnviz: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `nnviz info x.npz | head`: the reader left; nothing more to say, and nowhere to say it.
        sys.stderr.close()
        return 1
    except Exception as error:  # noqa: BLE001 - the last resort: a bug, logged, one line shown
        report_crash(error)
        return EXIT_BUG


def parser() -> argparse.ArgumentParser:
    from ..version import version
    from . import animate, app, dream, evaluate, fool, info, landscape, train

    parser = argparse.ArgumentParser(
        prog="nnviz",
        description="Watch a neural network learn to read handwritten digits. "
        "With no command, opens the desktop app.",
    )
    parser.add_argument("--open", type=Path, metavar="FILE", dest="network", help="a network file (.npz) to open in the app")
    parser.add_argument("--data", type=Path, metavar="DIR", help="a dataset folder in MNIST's IDX layout (default: the bundled MNIST)")
    parser.add_argument("--version", action="version", version=f"nnviz {version()}")
    # For tests and the screenshot script: quit the app by itself after this many milliseconds.
    parser.add_argument("--quit-after", type=int, metavar="MS", help=argparse.SUPPRESS)
    parser.set_defaults(run=app.run)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in (train, evaluate, animate, landscape, dream, fool, info):
        command.add_parser(commands)
    return parser
