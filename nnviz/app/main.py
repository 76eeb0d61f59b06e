"""Start the app: the dataset, the first network to show, the window.

Start-up never fails on what was remembered: a last dataset or network that cannot be loaded,
or a damaged settings file, gives a note in the status bar and the bundled MNIST and
pretrained network instead. Only what the person asked for on the command line (--open,
--data) gets an error dialog.
"""

from __future__ import annotations

import functools
import gc
import sys
from dataclasses import replace
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from ..core.crashlog import write_crash_log
from ..core.data import Dataset, bundled_mnist_dir, load_dataset
from ..core.errors import NnvizError, one_line
from ..core.files import load_run
from ..core.network import Network
from ..model import WindowModel
from ..model.window_model import PRETRAINED_NAME
from .shell import crash
from .shell.interrupt import quit_on_signals
from .shell.settings import Remembered, Settings
from .shell.status import Lasting
from .window.main_window import MainWindow

PRETRAINED = "pretrained-784-16-16-10.npz"


def first_network(dataset: Dataset, settings: Settings, explicit: Path | None):
    """The network to open with: the one asked for, else the last one used, else the bundled
    pretrained one, else a fresh one. Returns (network, path, metadata, error for the one asked
    for or None, note about the remembered one or None, the file's LoadedRun or None)."""
    # (file, whether Save may write to it, whether the person asked for it now)
    if explicit:
        candidates = [(Path(explicit), True, True)]
    else:
        candidates = [(settings.last_network, True, False)] if settings.last_network else []
        try:
            candidates.append((bundled_mnist_dir() / PRETRAINED, False, False))
        except NnvizError:
            pass
    error = note = None
    for candidate, keep_path, asked in candidates:
        try:
            run = load_run(candidate)
            network, metadata = run.network, run.metadata
        except NnvizError as failure:
            if asked:
                error = str(failure)
            elif keep_path:
                note = f"The last network could not be opened: {failure}"
            continue
        except Exception as bug:  # noqa: BLE001 - a remembered file must never stop start-up
            if asked:
                raise
            note = f"The last network could not be opened (a bug, logged to {write_crash_log(bug)})"
            continue
        misfit = dataset.misfit(network.sizes)
        if misfit is None:
            return network, (candidate if keep_path else None), metadata, error, note, run
        if asked:
            error = f"{candidate.name}: {misfit}"
        elif keep_path:
            note = f"The last network does not fit {dataset.name}: {misfit}"
    return Network((dataset.n_inputs, 16, 16, dataset.n_classes), seed=0), None, {}, error, note, None


@functools.cache
def bundled_dataset() -> Dataset:
    """The bundled MNIST, loaded once a process: it never changes, and a second window (or every
    window a test session keeps) need not hold a copy of its own."""
    return load_dataset()


def make_model(network_path: Path | None, data_dir: Path | None, remembered: Remembered
               ) -> tuple[WindowModel, list[str], list[str]]:
    """The model a window starts with: the dataset and network asked for, else the remembered
    ones, else the bundled ones; with the remembered settings. Returns (model, notes for the
    status bar, problems to show as errors)."""
    notes, problems = list(remembered.notes), []
    dataset = None
    folder = data_dir or remembered.settings.last_dataset
    if folder:
        try:
            dataset = load_dataset(folder)
        except Exception as failure:  # noqa: BLE001 - see _remembered_failed
            if data_dir:
                if not isinstance(failure, NnvizError):
                    raise
                problems.append(f"{failure}\n\nShowing the bundled MNIST instead.")
            else:
                notes.append(_remembered_failed("dataset", failure) + "; showing the bundled MNIST")
                remembered.change(last_dataset=None)
    if dataset is None:
        dataset = bundled_dataset()
    network, path, metadata, error, note, run = first_network(dataset, remembered.settings, network_path)
    if error:
        problems.append(error)
    if note:
        notes.append(note)
        if remembered.settings.last_network and path is None:
            remembered.change(last_network=None)
    # A file shown without a path is the bundled pretrained network (first_network).
    name = PRETRAINED_NAME if path is None and metadata else None
    model = WindowModel(dataset, network, path, metadata, name=name, history=run.history if run is not None else None)
    remembered.settings.options.apply_to(model)
    if run is not None:
        # Train continues the file's run exactly, with its settings; Epochs stays the person's.
        model.set_trainer_state(run.state)
        model.set_options(replace(run.options, epochs=model.options.epochs))
        if run.note:
            notes.append(run.note)
    if model.edits_note:
        notes.append(model.edits_note)
    return model, notes, problems


def make_window(network_path: Path | None = None, data_dir: Path | None = None,
                settings: QtCore.QSettings | None = None) -> MainWindow:
    """The window nnviz opens: its model (``make_model``) with the settings in ``settings``
    (checked, and written back repaired)."""
    remembered = Remembered(settings or QtCore.QSettings("nnviz", "nnviz"))
    model, notes, problems = make_model(network_path, data_dir, remembered)
    window = MainWindow(model, remembered)
    if notes:
        window.status.say(" · ".join(one_line(n) for n in notes), Lasting.STAYS)
    for problem in problems:
        window.files.report_later("nnviz", problem)
    return window


def _remembered_failed(what: str, failure: BaseException) -> str:
    if isinstance(failure, NnvizError):
        return f"The last {what} could not be opened: {failure}"
    # A bug, but a remembered file must never stop start-up: log it and carry on.
    return f"The last {what} could not be opened (a bug, logged to {write_crash_log(failure)})"


def started() -> None:
    """Start-up is over. What it made lives as long as the app: the collector's full passes leave
    it alone from now on. A full pass over it was one of the window's longest blocks, whenever an
    allocation triggered it (docs/performance.md)."""
    gc.freeze()


def run_app(network_path: Path | None = None, data_dir: Path | None = None, quit_after_ms: int | None = None) -> int:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    app.setOrganizationName("nnviz")
    app.setApplicationName("nnviz")
    crash.install()
    try:
        window = make_window(network_path, data_dir)
    except NnvizError as error:
        print(f"nnviz: error: {error}", file=sys.stderr)
        return 1
    window.show()
    started()
    quit_on_signals(app, window.interrupted)
    if quit_after_ms is not None:
        QtCore.QTimer.singleShot(quit_after_ms, window, window.close)
    return app.exec()
