"""The ``nnviz`` command: the desktop app by default, and headless train / eval / info."""

from __future__ import annotations

import os
import signal
import sys


def _interrupted_while_starting(signum, frame) -> None:
    # Until main() is running, a Ctrl+C would give a traceback from inside an import.
    os.write(2, b"nnviz: interrupted\n")
    os._exit(130)


# Only when this is the program (python -m nnviz.cli, or the nnviz script), not when imported.
if __name__ == "__main__" or os.path.basename(sys.argv[0] if sys.argv else "") == "nnviz":
    try:
        signal.signal(signal.SIGINT, _interrupted_while_starting)
    except ValueError:  # not the main thread
        pass

import argparse  # noqa: E402 - after the handler above, on purpose
from pathlib import Path  # noqa: E402

from .core.crashlog import report_crash
from .core.errors import NnvizError, one_line, printable, shorten


#: The exit code of a bug caught by the last-resort handler (sysexits' EX_SOFTWARE).
EXIT_BUG = 70
EXIT_INTERRUPTED = 130


def main(argv: list[str] | None = None) -> int:
    """The ``nnviz`` command; ``argv`` None means the real command line (then a Ctrl+C ends the
    process with 130 for certain, see _finish)."""
    code = _main(argv)
    if argv is None:
        # The work is done, and its result decided: a Ctrl+C from here on, while the interpreter
        # shuts down, must not turn it into a death by signal.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if code == EXIT_INTERRUPTED:
            _finish(code)
    return code


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
        args = _parser().parse_args(argv)
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


def _parser() -> argparse.ArgumentParser:
    from .core.functions import ACTIVATIONS, COSTS
    from .core.training import (
        DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS, DEFAULT_HALVE_AFTER, DEFAULT_LEARNING_RATE, DEFAULT_MOMENTUM, DEFAULT_SEED,
        DEFAULT_WEIGHT_DECAY,
    )
    from .version import version

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
    parser.set_defaults(run=_run_app)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    train = commands.add_parser("train", help="train a network without the window")
    train.add_argument("--sizes", type=_sizes, default=None, metavar="N,N,...",
                       help="layer sizes, input first (default: 784,16,16,10, or the dataset's image and class counts)")
    train.add_argument("--activation", choices=sorted(ACTIVATIONS), default=None, help="hidden-layer activation (default: sigmoid)")
    train.add_argument("--cost", choices=sorted(COSTS), default=None, help="cost function (default: mse)")
    train.add_argument("--epochs", type=_positive_int, default=DEFAULT_EPOCHS,
                       help=f"epochs to train, or with --resume epochs more (default: {DEFAULT_EPOCHS})")
    train.add_argument("--batch-size", type=_positive_int, default=None, help=f"mini-batch size (default: {DEFAULT_BATCH_SIZE})")
    train.add_argument("--lr", type=_positive_float, default=None, help=f"learning rate η (default: {DEFAULT_LEARNING_RATE:g})")
    train.add_argument("--momentum", type=_momentum, default=None, help=f"momentum μ in [0, 1) (default: {DEFAULT_MOMENTUM:g}, plain SGD)")
    train.add_argument("--halve-after", type=_non_negative_int, default=None, metavar="N",
                       help="halve η after N epochs without a better validation accuracy; 0 keeps η constant "
                       f"(default: {DEFAULT_HALVE_AFTER})")
    train.add_argument("--weight-decay", type=_non_negative_float, default=None, metavar="λ",
                       help=f"L2 regularisation: each step shrinks the parameters by η·λ/n (default: {DEFAULT_WEIGHT_DECAY:g})")
    train.add_argument("--seed", type=int, default=None, help=f"seed for the initial network and the shuffles (default: {DEFAULT_SEED})")
    train.add_argument("--data", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                       help="a dataset folder in MNIST's IDX layout")
    train.add_argument("--resume", type=Path, metavar="FILE",
                       help="continue the run saved in FILE for --epochs more, exactly as if it had not stopped")
    train.add_argument("--out", type=Path, metavar="FILE", help="save the trained network here (.npz; with --resume, default: FILE)")
    train.add_argument("--quiet", action="store_true", help="no progress bar, only the line per epoch")
    train.set_defaults(run=_run_train)

    evaluate = commands.add_parser("eval", help="test accuracy and confusion matrix of a saved network")
    evaluate.add_argument("file", type=Path)
    evaluate.add_argument("--data", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                       help="a dataset folder in MNIST's IDX layout")
    evaluate.add_argument("--split", choices=("test", "validation", "train"), default="test")
    evaluate.add_argument("--ablate", action="store_true",
                          help="also the accuracy with each hidden neuron switched off in turn, most needed first")
    evaluate.set_defaults(run=_run_eval)

    _add_animate_parser(commands)

    info = commands.add_parser("info", help="print a saved network's metadata")
    info.add_argument("file", type=Path)
    info.set_defaults(run=_run_info)
    return parser


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, like 784,16,16,10, not {text!r}") from None
    if len(sizes) < 2 or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"need at least two layers of at least one neuron, not {text!r}")
    return sizes


def _number(convert, valid, expected: str):
    """An argparse type: ``convert`` the text, and refuse it unless ``valid`` says yes."""

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or not valid(value):
            raise argparse.ArgumentTypeError(f"expected {expected}, not {text!r}")
        return value

    return parse


_positive_int = _number(int, lambda v: v >= 1, "a whole number of at least 1")
_positive_float = _number(float, lambda v: 0 < v < float("inf"), "a positive number")
_momentum = _number(float, lambda v: 0 <= v < 1, "a number in [0, 1)")
_non_negative_int = _number(int, lambda v: v >= 0, "a whole number of at least 0")
_non_negative_float = _number(float, lambda v: 0 <= v < float("inf"), "a number of at least 0")
#: ``train`` options that describe a run; --resume takes them from the file instead.
_RUN_OPTIONS = {"sizes": "--sizes", "activation": "--activation", "cost": "--cost", "batch_size": "--batch-size",
                "lr": "--lr", "momentum": "--momentum", "halve_after": "--halve-after",
                "weight_decay": "--weight-decay", "seed": "--seed"}


def _run_app(args) -> int:
    try:
        from .app.main import run_app
    except ImportError as error:
        print(f"nnviz: error: the desktop app needs PySide6 and pyqtgraph ({error})", file=sys.stderr)
        return 1
    return run_app(network_path=args.network, data_dir=args.data, quit_after_ms=args.quit_after)


def _run_train(args) -> int:
    from tqdm import tqdm

    from .core.archive import check_writable
    from .core.data import load_dataset
    from .core.training import BatchDone, EpochDone

    # Checked before the dataset is even loaded: a run must not end with nowhere to go.
    out = args.out or args.resume
    if out:
        check_writable(out)
    try:
        dataset = load_dataset(args.data)
        trainer, options, target = _resume(args, dataset) if args.resume else _start(args, dataset)
    except KeyboardInterrupt:
        print("\nInterrupted before training started: nothing saved", file=sys.stderr)
        return EXIT_INTERRUPTED
    network = trainer.network
    finished = network.copy()  # the run as of the last completed epoch: what Ctrl+C keeps
    finished_history, finished_state = trainer.history.copy(), trainer.state()
    report = None
    bar = None
    interrupted = False
    try:
        # Ctrl+C is noted and answered between two mini-batches, never raised inside a library
        # call (inside tqdm's lock it left the lock broken and the run ended as a bug), so what
        # it saves and what its message names are always one finished epoch.
        with _interrupts_deferred() as stop:
            for event in trainer.events():
                if isinstance(event, BatchDone):
                    if bar is None:
                        bar = tqdm(total=event.batches_per_epoch, initial=event.batch - 1, desc=f"epoch {event.epoch}/{target}",
                                   unit="batch", leave=False, disable=args.quiet, dynamic_ncols=True)
                    bar.update(1)
                    if event.batch % 200 == 0:
                        bar.set_postfix(cost=f"{event.running_cost:.4f}", refresh=False)
                else:
                    if bar is not None:
                        bar.close()
                    bar = None
                    finished.params[:] = network.params
                    finished_history, finished_state = trainer.history.copy(), trainer.state()
                    report = event
                    tqdm.write(
                        f"epoch {event.epoch:>3}/{target}  cost {event.training_cost:.4f}  "
                        f"validation {event.validation_accuracy:.2%}  test {event.test_accuracy:.2%}  "
                        f"η {event.learning_rate:g}  {event.seconds:.2f} s"
                    )
                if stop.interrupted:
                    raise KeyboardInterrupt
                if isinstance(event, EpochDone) and event.epoch >= target:
                    break
    except KeyboardInterrupt:
        interrupted = True
    # From here on Ctrl+C waits until the save is complete: never half a file, never a lost run.
    with _interrupts_deferred() as deferred:
        if bar is not None:
            bar.close()
        if interrupted:
            during = report.epoch + 1 if report is not None else trainer.epochs_done + 1
            if args.out and report is not None:
                saved = _save_or_rescue(finished, args, report, dataset, options, finished_history, finished_state)
                print(f"\nInterrupted during epoch {during}: saved the network after epoch {report.epoch} to {saved}",
                      file=sys.stderr)
            else:
                print(f"\nInterrupted during epoch {during}: nothing saved", file=sys.stderr)
            return EXIT_INTERRUPTED
        if args.out:
            saved = _save_or_rescue(network, args, report, dataset, options, trainer.history, trainer.state())
            if saved != args.out:
                return 1
            print(f"Saved to {saved}")
    if deferred.interrupted:
        print(f"Interrupted while saving: the network after epoch {report.epoch} was saved first", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


class _interrupts_deferred:
    """Within the block, Ctrl+C is noted instead of raised; ``interrupted`` says whether it came."""

    def __enter__(self):
        self.interrupted = False
        try:
            self._previous = signal.signal(signal.SIGINT, self._note)
        except ValueError:  # not the main thread: signals cannot be handled here anyway
            self._previous = None
        return self

    def _note(self, signum, frame) -> None:
        self.interrupted = True

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


def _save_or_rescue(network, args, report, dataset, options, history, state) -> Path:
    """Save to ``args.out``; if that fails, to a file in the user's data folder, saying so.
    Returns where the network went."""
    from .core.errors import describe_os_error, shown_path
    from .core.places import rescue_path

    try:
        _save(network, args, report, dataset, options, history, state, args.out)
        return args.out
    except OSError as error:
        reason = describe_os_error(error)
    rescue = rescue_path(args.out.stem)
    try:
        rescue.parent.mkdir(parents=True, exist_ok=True)
        _save(network, args, report, dataset, options, history, state, rescue)
    except OSError as error:
        raise NnvizError(f"{shown_path(args.out)}: cannot save ({reason}), nor in {shown_path(rescue.parent)} "
                         f"({describe_os_error(error)}); the trained network is lost") from None
    print(f"nnviz: error: {shown_path(args.out)}: cannot save ({reason}); saved the network to {rescue} instead",
          file=sys.stderr)
    return rescue


def _start(args, dataset):
    """A new run from the command line's options: (trainer, options, the last epoch to train)."""
    from .core.network import Network
    from .core.training import Trainer, TrainingOptions

    given = {"learning_rate": args.lr, "batch_size": args.batch_size, "momentum": args.momentum,
             "halve_after": args.halve_after, "weight_decay": args.weight_decay, "seed": args.seed}
    options = TrainingOptions(epochs=args.epochs, **{k: v for k, v in given.items() if v is not None})
    sizes = args.sizes or (dataset.n_inputs, 16, 16, dataset.n_classes)
    activation, cost = args.activation or "sigmoid", args.cost or "mse"
    network = Network(sizes, activation, cost, seed=options.seed)
    trainer = Trainer.from_options(network, dataset, options)
    print(
        f"Training {'-'.join(map(str, sizes))} ({activation}, {cost}) on {dataset.name}: "
        f"{len(dataset.train):,} training images, mini-batches of {options.batch_size}, η = {options.learning_rate:g}",
        flush=True,
    )
    return trainer, options, args.epochs


def _resume(args, dataset):
    """The run saved in ``args.resume``, continued: (trainer, options, the last epoch to train)."""
    import dataclasses

    from .core.files import load_run
    from .core.training import Trainer

    given = [flag for name, flag in _RUN_OPTIONS.items() if getattr(args, name) is not None]
    if given:
        raise NnvizError(f"--resume continues the saved run with its own settings; drop {', '.join(given)}")
    run = load_run(args.resume)
    if run.note:
        print(f"nnviz: note: {one_line(run.note)}", file=sys.stderr)
    if run.state is None:
        raise NnvizError(f"{args.resume} holds no state to resume its run from (saved by an older nnviz, or without it)")
    misfit = dataset.misfit(run.network.sizes)
    if misfit:
        raise NnvizError(f"{args.resume}: {misfit}")
    if run.metadata.get("dataset", dataset.name) != dataset.name:
        raise NnvizError(f"{args.resume} was trained on {run.metadata['dataset']}, not {dataset.name}; pass its --data")
    target = run.state.epochs_done + args.epochs
    options = dataclasses.replace(run.options, epochs=target)
    trainer = Trainer.resume(run.network, dataset, options, run.state, run.history)
    args.out = args.out or args.resume
    print(
        f"Resuming {args.resume}'s run after epoch {run.state.epochs_done:g} for {args.epochs} more on "
        f"{dataset.name}: mini-batches of {run.state.batch_size}, η = {run.state.learning_rate:g}",
        flush=True,
    )
    return trainer, options, target


def _save(network, args, report, dataset, options, history, state, path) -> None:
    from .core.files import save_run

    save_run(
        path,
        network,
        history,
        options,
        state,
        dataset=dataset.name,
        epochs_trained=report.epoch,
        training_cost=report.training_cost,
        validation_accuracy=report.validation_accuracy,
        test_accuracy=report.test_accuracy,
        learning_rate=options.learning_rate,
        final_learning_rate=state.learning_rate,
        batch_size=options.batch_size,
        momentum=options.momentum,
        seed=options.seed,
    )


def _run_eval(args) -> int:
    from .core.data import load_dataset
    from .core.evaluation import confusion_matrix, predictions
    from .core.files import load_network

    network, metadata = load_network(args.file)
    dataset = load_dataset(args.data)
    misfit = dataset.misfit(network.sizes)
    if misfit:
        raise NnvizError(f"{args.file}: {misfit}")
    split = dataset.split(args.split)
    answers = predictions(network, split)
    matrix = confusion_matrix(split.labels, answers, dataset.n_classes)
    print(f"{args.split} accuracy on {dataset.name}: {(answers == split.labels).mean():.2%} "
          f"({int(matrix.trace()):,} of {len(split):,})")
    print("\nConfusion matrix (rows: true class, columns: the network's answer)")
    names = [name[:6] for name in dataset.class_names]
    width = max(6, len(str(matrix.max())) + 1, *(len(n) + 1 for n in names))
    print(" " * width + "".join(f"{n:>{width}}" for n in names))
    for name, row in zip(names, matrix):
        print(f"{name:>{width}}" + "".join(f"{count:>{width}}" for count in row))
    if args.ablate:
        _print_ablation(network, split)
    return 0


def _print_ablation(network, split) -> None:
    from .core.edits import ablation_table
    from .core.naming import shown

    table = ablation_table(network, split)
    print(f"\nWhich neurons matter: {split.name} accuracy with each hidden neuron switched off "
          f"(none off: {table.baseline:.2%})")
    print(f"{'layer':>5}  {'neuron':>6}  {'accuracy':>8}  {'change':>7}")
    for row in table.rows:
        print(f"{row.layer:>5}  {shown(row.neuron):>6}  {row.accuracy:>8.2%}  {row.change * 100:>+6.2f}%")


def _run_info(args) -> int:
    from .core.files import load_run

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


def _add_animate_parser(commands) -> None:
    animate = commands.add_parser("animate", help="render a saved run's training history as an animation")
    animate.add_argument("file", type=Path)
    animate.add_argument("--out", type=Path, required=True, metavar="FILE",
                         help="the animation to write: .gif, .webp, .apng, or .mp4 (needs nnviz[video])")
    animate.add_argument("--example", default="test:1", metavar="SPLIT:NUMBER",
                         help="the example the network reads in every frame, counting from 1 as the window "
                              "does (default: test:1)")
    animate.add_argument("--size", type=_frame_size, default=(1280, 720), metavar="WxH", help="frame size (default: 1280x720)")
    animate.add_argument("--fps", type=_positive_float, default=12.0, help="frames per second (default: 12)")
    animate.add_argument("--seconds", type=_positive_float, default=10.0, help="length of the animation (default: 10)")
    animate.add_argument("--data", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                         help="a dataset folder in MNIST's IDX layout")
    animate.add_argument("--quiet", action="store_true", help="no progress bar")
    animate.set_defaults(run=_run_animate)


def _frame_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    try:
        size = (int(width), int(height))
    except ValueError:
        size = None
    if size is None or not (320 <= size[0] <= 3840 and 240 <= size[1] <= 2160):
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT from 320x240 to 3840x2160, like 1280x720, not {text!r}")
    return size


def _run_animate(args) -> int:
    import os

    from .animation.writers import AnimationCancelled, check_writable
    from .core.data import load_dataset
    from .core.files import load_run

    check_writable(args.out)  # a bad target fails before anything is loaded or rendered
    run = load_run(args.file)
    if run.note:
        print(f"nnviz: note: {run.note}", file=sys.stderr)
    if not len(run.history):
        raise NnvizError(f"{args.file}: has no training history to animate (files saved by nnviz train since format version 2 have one)")
    dataset = load_dataset(args.data)
    misfit = dataset.misfit(run.network.sizes)
    if misfit:
        raise NnvizError(f"{args.file}: {misfit}")
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from tqdm import tqdm

    from .app.animation import Example, application, export_timeline, frame_count

    # No tqdm monitor thread beside Qt: it outlives even a disabled bar and runs Python every 10 s,
    # so Python's garbage collector can run there and free Qt objects off the GUI thread (a crash;
    # see landscape_view._CollectorPause).
    tqdm.monitor_interval = 0

    example = Example.parse(args.example, dataset)
    total = frame_count(args.fps, args.seconds)
    application()
    with tqdm(total=total, unit="frame", desc=f"rendering {args.out.name}", disable=args.quiet, dynamic_ncols=True) as bar:
        def progress(done, _total):
            bar.update(done - bar.n)
            return True

        try:
            export_timeline(args.out, run.network, run.history, dataset, example, args.size, args.fps, args.seconds, progress)
        except KeyboardInterrupt:
            bar.close()
            print("\nInterrupted: nothing written", file=sys.stderr)
            return 130
        except AnimationCancelled:
            return 130
    print(f"Saved {total} frames of {args.size[0]}x{args.size[1]} to {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
