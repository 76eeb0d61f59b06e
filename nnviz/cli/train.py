"""``nnviz train``: a network trained without the window, with a progress bar, saved with its run."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from ..core.errors import NnvizError, one_line
from . import arguments
from .exits import EXIT_INTERRUPTED

#: ``train`` options that describe a run; --resume takes them from the file instead.
RUN_OPTIONS = {"sizes": "--sizes", "activation": "--activation", "cost": "--cost", "batch_size": "--batch-size",
               "lr": "--lr", "momentum": "--momentum", "halve_after": "--halve-after",
               "weight_decay": "--weight-decay", "seed": "--seed"}



def add_parser(commands) -> None:
    from ..core.functions import ACTIVATIONS, COSTS
    from ..core.training import (
        DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS, DEFAULT_HALVE_AFTER, DEFAULT_LEARNING_RATE, DEFAULT_MOMENTUM, DEFAULT_SEED,
        DEFAULT_WEIGHT_DECAY,
    )

    train = commands.add_parser("train", help="train a network without the window")
    train.add_argument("--sizes", type=arguments.sizes, default=None, metavar="N,N,...",
                       help="layer sizes, input first (default: 784,16,16,10, or the dataset's image and class counts)")
    each = "each activation and cost has its own, docs/recipe.md"
    train.add_argument("--activation", choices=sorted(ACTIVATIONS), default=None, help="hidden-layer activation (default: sigmoid)")
    train.add_argument("--cost", choices=sorted(COSTS), default=None, help="cost function (default: mse)")
    train.add_argument("--epochs", type=arguments.positive_int, default=DEFAULT_EPOCHS,
                       help=f"epochs to train, or with --resume epochs more (default: {DEFAULT_EPOCHS})")
    train.add_argument("--batch-size", type=arguments.positive_int, default=None, help=f"mini-batch size (default: {DEFAULT_BATCH_SIZE})")
    train.add_argument("--lr", type=arguments.positive_float, default=None,
                       help=f"learning rate η (default: {DEFAULT_LEARNING_RATE:g} for the sigmoid under mse; {each})")
    train.add_argument("--momentum", type=arguments.momentum, default=None, help=f"momentum μ in [0, 1) (default: {DEFAULT_MOMENTUM:g}, plain SGD)")
    train.add_argument("--halve-after", type=arguments.non_negative_int, default=None, metavar="N",
                       help="halve η after N epochs without a better validation accuracy, and end the run when η "
                       f"reaches 1/128 of where it started; 0 keeps η constant (default: {DEFAULT_HALVE_AFTER})")
    train.add_argument("--weight-decay", type=arguments.non_negative_float, default=None, metavar="λ",
                       help=f"L2 regularisation: each step shrinks the parameters by η·λ/n "
                       f"(default: {DEFAULT_WEIGHT_DECAY:g} for the sigmoid under mse; {each})")
    train.add_argument("--seed", type=int, default=None, help=f"seed for the initial network and the shuffles (default: {DEFAULT_SEED})")
    train.add_argument("--data", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                       help="a dataset folder in MNIST's IDX layout")
    train.add_argument("--resume", type=Path, metavar="FILE",
                       help="continue the run saved in FILE for --epochs more, exactly as if it had not stopped")
    train.add_argument("--out", type=Path, metavar="FILE", help="save the trained network here (.npz; with --resume, default: FILE)")
    train.add_argument("--quiet", action="store_true", help="no progress bar, only the line per epoch")
    train.set_defaults(run=run)


def run(args) -> int:
    from tqdm import tqdm

    from ..core.archive import check_writable
    from ..core.data import load_dataset
    from ..core.formatting import learning_rate_text, schedule_end_text
    from ..core.training import BatchDone, EpochDone

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
                        f"η {learning_rate_text(event.learning_rate)}  {event.seconds:.2f} s"
                    )
                    if event.schedule_ended:
                        tqdm.write(schedule_end_text(event.epoch, trainer.learning_rate))
                if stop.interrupted:
                    raise KeyboardInterrupt
                if isinstance(event, EpochDone) and (event.epoch >= target or event.schedule_ended):
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
    from ..core.errors import describe_os_error, shown_path
    from ..core.places import rescue_path

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
    """A new run from the command line's options, the activation's and cost's defaults for those
    not given: (trainer, options, the last epoch to train)."""
    import dataclasses

    from ..core.formatting import learning_rate_text
    from ..core.network import Network
    from ..core.options import default_options
    from ..core.training import Trainer

    given = {"learning_rate": args.lr, "batch_size": args.batch_size, "momentum": args.momentum,
             "halve_after": args.halve_after, "weight_decay": args.weight_decay, "seed": args.seed}
    sizes = args.sizes or (dataset.n_inputs, 16, 16, dataset.n_classes)
    activation, cost = args.activation or "sigmoid", args.cost or "mse"
    options = dataclasses.replace(default_options(activation, cost), epochs=args.epochs,
                                  **{k: v for k, v in given.items() if v is not None})
    network = Network(sizes, activation, cost, seed=options.seed)
    trainer = Trainer.from_options(network, dataset, options)
    print(
        f"Training {'-'.join(map(str, sizes))} ({activation}, {cost}) on {dataset.name}: "
        f"{len(dataset.train):,} training images, mini-batches of {options.batch_size}, "
        f"η = {learning_rate_text(options.learning_rate)}, weight decay λ = {options.weight_decay:g}",
        flush=True,
    )
    return trainer, options, args.epochs


def _resume(args, dataset):
    """The run saved in ``args.resume``, continued: (trainer, options, the last epoch to train)."""
    import dataclasses

    from ..core.files import load_run
    from ..core.formatting import learning_rate_text
    from ..core.training import Trainer

    given = [flag for name, flag in RUN_OPTIONS.items() if getattr(args, name) is not None]
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
        f"{dataset.name}: mini-batches of {run.state.batch_size}, η = {learning_rate_text(run.state.learning_rate)}",
        flush=True,
    )
    return trainer, options, target


def _save(network, args, report, dataset, options, history, state, path) -> None:
    from ..core.files import save_run

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
