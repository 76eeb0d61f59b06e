"""Start the app: the dataset, the first network to show, the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from ..core.data import bundled_mnist_dir, load_dataset
from ..core.errors import NnvizError
from ..core.files import load_run
from ..core.network import Network
from ..model.fitting import misfit
from .main_window import MainWindow

PRETRAINED = "pretrained-784-16-16-10.npz"


def first_network(dataset, settings: QtCore.QSettings, explicit: Path | None):
    """The network to open with: the one asked for, else the last one used, else the bundled
    pretrained one, else a fresh one. Returns (network, path, metadata, error message or None,
    the file's LoadedRun or None)."""
    # (file, whether Save may write to it): the bundled network is opened as untitled.
    if explicit:
        candidates = [(Path(explicit), True)]
    else:
        candidates = [(Path(settings.value("last_network")), True)] if settings.value("last_network") else []
        try:
            candidates.append((bundled_mnist_dir() / PRETRAINED, False))
        except NnvizError:
            pass
    error = None
    for candidate, keep_path in candidates:
        if not candidate.is_file():
            error = f"{candidate}: no such file" if explicit else error
            continue
        try:
            run = load_run(candidate)
            network, metadata = run.network, run.metadata
        except NnvizError as failure:
            error = str(failure) if explicit else error
            continue
        if misfit(dataset, network.sizes) is None:
            return network, (candidate if keep_path else None), metadata, error, run
    return Network((dataset.n_inputs, 16, 16, dataset.n_classes), seed=0), None, {}, error, None


def make_window(network_path: Path | None = None, data_dir: Path | None = None,
                settings: QtCore.QSettings | None = None) -> MainWindow:
    settings = settings or QtCore.QSettings("nnviz", "nnviz")
    problems = []
    dataset = None
    folder = data_dir or settings.value("last_dataset")
    if folder:
        try:
            dataset = load_dataset(folder)
        except NnvizError as error:
            problems.append(f"{error}\n\nShowing the bundled MNIST instead.")
            folder = None
    if dataset is None:
        dataset = load_dataset()
    network, path, metadata, error, run = first_network(dataset, settings, network_path)
    if error:
        problems.append(error)
    window = MainWindow(dataset, network, path, metadata, settings=settings, data_dir=Path(folder) if folder else None,
                        run=run)
    for problem in problems:
        QtCore.QTimer.singleShot(0, lambda p=problem: window.show_error("nnviz", p))
    return window


def run_app(network_path: Path | None = None, data_dir: Path | None = None, quit_after_ms: int | None = None) -> int:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    app.setOrganizationName("nnviz")
    app.setApplicationName("nnviz")
    try:
        window = make_window(network_path, data_dir)
    except NnvizError as error:
        print(f"nnviz: error: {error}", file=sys.stderr)
        return 1
    window.show()
    if quit_after_ms is not None:
        QtCore.QTimer.singleShot(quit_after_ms, window.close)
    return app.exec()
