"""The window's files: new, open, save, datasets, exports, recent files, drops, settings, menus.

A mixin of ``MainWindow``: it reads and replaces the window's ``model``; dialogs happen here and
only here.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from ...core.data import load_dataset
from ...core.errors import NnvizError, one_line
from ...core.files import LoadedRun, load_run, save_run
from ...core.network import Network
from ...core.places import rescue_path
from ...model import TrainingMode
from ..shell import actions
from ..window import frame as layout
from ..shell.interrupt import say
from ..shell.settings import Options, forget, with_recent

NETWORK_FILTER = "nnviz networks (*.npz);;All files (*)"


class FileActions:
    """New/Open/Save/Export and the settings; mixed into MainWindow."""

    # -- the network on show ------------------------------------------------------------------------

    def _set_network(self, network: Network, path: Path | None, metadata: dict, name: str | None = None,
                     history=None) -> None:
        self.controller.shutdown()
        self.model.set_network(network, path, metadata, name, history)
        if self.model.path:
            self._add_recent(self.model.path)
            self.settings.setValue("last_network", str(self.model.path))

    def _take_run(self, run: LoadedRun) -> None:
        """An opened file's run: Train continues it exactly (when the file can say how), with
        its training settings."""
        self.model.trainer_state = run.state
        options = replace(run.options, epochs=self.model.options.epochs)  # Epochs stays the person's
        self.model.set_options(options)
        self.controls.show_options(options)
        if run.note:
            self.statusBar().showMessage(run.note, 8000)

    def _set_options_from_controls(self, options) -> None:
        # The controls know nothing of the run's schedule and weight decay: those stay the run's.
        self.model.set_options(replace(options, halve_after=self.model.options.halve_after,
                                       weight_decay=self.model.options.weight_decay))

    def _set_dirty(self, dirty: bool) -> None:
        self.model.set_dirty(dirty)
        self.setWindowModified(dirty)

    def _new_from_controls(self, dataset) -> Network:
        arch = self.controls.architecture()
        return Network((dataset.n_inputs, *arch.hidden, dataset.n_classes), arch.activation, arch.cost, seed=arch.seed)

    def new_network(self) -> None:
        if not self._confirm_discard():
            return
        try:
            network = self._new_from_controls(self.dataset)
        except NnvizError as error:
            self.show_error("Cannot make that network", str(error))
            return
        self._set_network(network, None, {})
        self.model.set_options(self.controls.options())  # a new run: the controls' settings, η constant

    def open_network(self, path: str | Path | None = None) -> bool:
        if path is None:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Open network", self._folder(), NETWORK_FILTER)
            if not path:
                return False
        # The file is checked before anything is asked: a bad file never costs a "save changes?".
        try:
            run = load_run(path)
        except NnvizError as error:
            self.show_error("Cannot open network", str(error))
            return False
        network = run.network
        reason = self.model.misfit(network.sizes)
        if reason:
            self.show_error("Network does not fit the dataset", f"{Path(path).name} has {network.sizes[0]} inputs and "
                                                                f"{network.sizes[-1]} outputs: {reason}.")
            return False
        if not self._confirm_discard():
            return False
        self._set_network(network, Path(path), run.metadata, history=run.history)
        self._take_run(run)
        return True

    def save(self) -> bool:
        return self.save_as(self.path) if self.path else self.save_as()

    def save_as(self, path: str | Path | None = None) -> bool:
        if path is None:
            suggestion = str(Path(self._folder()) / (self.path.name if self.path else "network.npz"))
            path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "Save network", suggestion, NETWORK_FILTER)
            if not path:
                return False
        path = Path(path)
        if path.suffix != ".npz":
            path = path.with_suffix(".npz")
        try:
            metadata = self._write_run(path)
        except OSError as error:
            self.show_error("Cannot save network", f"{path}: {error.strerror or error}. The previous file, if any, is unchanged.")
            return False
        self.model.saved_as(path, metadata)
        self.setWindowModified(False)
        self._add_recent(path)
        self.settings.setValue("last_network", str(path))
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def _write_run(self, path: Path) -> dict:
        """Save the network on show with its run to ``path``; returns the metadata written."""
        model = self.model
        # The trainer's state matches the network only while training is paused.
        state = model.trainer_state if model.mode == TrainingMode.IDLE else None
        return save_run(path, model.live_network(), model.history, model.options, state, **model.training_metadata())

    def interrupted(self, signum: int) -> None:
        """Ctrl+C or SIGTERM (interrupt.py): stop training, keep a changed network in the rescue
        folder, end the training process and quit with 128 + ``signum``."""
        if self.model.mode != TrainingMode.IDLE:
            stopped = QtCore.QEventLoop()
            self.controller.progressed.connect(lambda s: s.state == TrainingMode.IDLE and stopped.quit())
            self.controller.pause()
            # The snapshot that says it stopped carries the trainer's state: the rescued run resumes exactly.
            QtCore.QTimer.singleShot(2000, stopped.quit)
            stopped.exec()
        line = "interrupted"
        if self.isWindowModified():
            path = rescue_path(Path(self.model.name).stem or "untitled")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._write_run(path)
                line += f"; the unsaved network was saved to {path}"
            except OSError as error:
                line += f"; the unsaved network could not be saved to {path.parent} ({error.strerror or error})"
        say(one_line(line))
        self.controller.close()
        self._save_settings()
        self.setWindowModified(False)
        QtWidgets.QApplication.instance().exit(128 + signum)

    def open_dataset(self, folder: str | Path | None = None) -> bool:
        if folder is None:
            folder = QtWidgets.QFileDialog.getExistingDirectory(self, "Open dataset folder (four IDX files)", self._folder())
            if not folder:
                return False
        try:
            dataset = load_dataset(folder)
        except NnvizError as error:
            self.show_error("Cannot open dataset", str(error))
            return False
        fits = dataset.misfit(self.network.sizes) is None
        if not fits and not self._confirm_discard():
            return False
        self.controller.shutdown()
        self.data_dir = Path(folder)
        self.model.set_dataset(dataset)
        if fits:
            self._set_network(self.model.live_network(), self.path, self.metadata, self.model.name, self.model.history)
        else:
            self._set_network(self._new_from_controls(dataset), None, {})
            self.model.set_options(self.controls.options())
        # Only a folder that loaded and is on show is remembered: the next start opens it.
        self._remember(last_dataset=Path(folder).resolve())
        return True

    # -- exports ---------------------------------------------------------------------------------------

    def export_network(self, path: str | Path | None = None) -> bool:
        """The network picture as PNG (what the view shows) or SVG (vector, every drawn edge)."""

        def svg(path: Path) -> None:
            with self.network_view.vector_rendering():
                write_svg(self.network_view, path)

        return self._export(path, "Export network picture", "network", self.network_view, svg)

    def export_plots(self, path: str | Path | None = None) -> bool:
        """The training plots as one PNG, or as two SVGs (NAME-cost.svg and NAME-accuracy.svg)."""

        def svg(path: Path) -> None:
            for name, plot in (("cost", self.plots.cost_plot), ("accuracy", self.plots.accuracy_plot)):
                write_svg(plot, path.with_name(f"{path.stem}-{name}.svg"))

        return self._export(path, "Export plots", "plots", self.plots, svg)

    def _export(self, path, title: str, stem: str, widget: QtWidgets.QWidget, write) -> bool:
        path = path or self._ask_export_path(title, stem)
        if not path:
            return False
        path = Path(path)
        try:
            if path.suffix.lower() == ".svg":
                write(path)
            elif not widget.grab().save(str(path)):
                raise OSError(f"could not write {path}")
        except OSError as error:
            self.show_error("Cannot export", str(error))
            return False
        self.statusBar().showMessage(f"Exported {path}", 4000)
        return True

    def _ask_export_path(self, title: str, stem: str) -> str:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, title, str(Path(self._folder()) / f"{stem}.png"),
                                                        "PNG image (*.png);;SVG drawing (*.svg)")
        return path

    # -- asking --------------------------------------------------------------------------------------

    def _confirm_discard(self) -> bool:
        """True when there are no unsaved changes, or the person saved or chose to discard them."""
        if not self.isWindowModified():
            return True
        was_running = self.model.mode != TrainingMode.IDLE
        if was_running:
            self.controller.pause()
        answer = self.ask_unsaved()
        if answer == QtWidgets.QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QtWidgets.QMessageBox.StandardButton.Discard:
            return True
        if was_running:
            self.controller.start(self.model.epoch_target())
        return False

    def ask_unsaved(self) -> QtWidgets.QMessageBox.StandardButton:
        buttons = QtWidgets.QMessageBox.StandardButton
        return QtWidgets.QMessageBox.question(
            self, "Unsaved training", "The network has changed since it was last saved. Save it first?",
            buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)

    def show_error(self, title: str, text: str) -> None:
        QtWidgets.QMessageBox.critical(self, title, text)

    def _folder(self) -> str:
        return str(self.path.parent if self.path else self.remembered.last_folder or Path.home())

    # -- menus, recent files, drops, settings ----------------------------------------------------

    def _make_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.file_menu = file_menu
        # Keys and texts come from the one registry (actions.py), which Help > Keyboard shortcuts lists.
        self.new_action = actions.make_action("new_network", self, lambda: self.new_network())
        self.open_action = actions.make_action("open_network", self, lambda: self.open_network())
        self.save_action = actions.make_action("save", self, lambda: self.save())
        self.save_as_action = actions.make_action("save_as", self, lambda: self.save_as())
        file_menu.addActions([self.new_action, self.open_action])
        self.recent_menu = file_menu.addMenu("Open &recent")
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action])
        file_menu.addSeparator()
        file_menu.addAction("Open &dataset…", self.open_dataset)
        file_menu.addSeparator()
        file_menu.addAction("&Export network picture…", self.export_network)
        file_menu.addAction("Export &plots…", self.export_plots)
        file_menu.addSeparator()
        file_menu.addAction(actions.make_action("quit", self, lambda: self.close()))
        self.view_menu = self.menuBar().addMenu("&View")
        self.view_menu.addAction(actions.make_action("reset_zoom", self, lambda: self.network_view.reset_zoom()))
        self._update_recent_menu()

    def _recent(self) -> list[str]:
        return [str(p) for p in self.remembered.recent]

    def _add_recent(self, path: Path) -> None:
        path = path.resolve()
        self._remember(recent=with_recent(self.remembered, path), last_folder=path.parent)
        self._update_recent_menu()

    def _remember(self, **changes) -> None:
        """Change what the window remembers (settings.py's ``Settings`` fields), here and in the
        settings file."""
        self.remembered = forget(self.settings, self.remembered, **changes)

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self._recent():
            self.recent_menu.addAction(Path(path).name, lambda p=path: self.open_network(p)).setToolTip(path)
        self.recent_menu.setEnabled(bool(self._recent()))

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if any(url.toLocalFile().endswith(".npz") for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.toLocalFile().endswith(".npz"):
                event.acceptProposedAction()
                self.open_network(url.toLocalFile())
                return

    def _restore_settings(self) -> None:
        # self.remembered was checked as the window was made, not only at start-up: the file may
        # have changed since (another window, another nnviz), and a window is also made without make_window.
        if self.startup_notes:
            self.statusBar().showMessage(" · ".join(one_line(n) for n in self.startup_notes))
        remembered = self.remembered
        geometry = remembered.geometry
        if geometry is None or not self.restoreGeometry(QtCore.QByteArray(geometry)) or not layout.fits_screen(self):
            layout.place_first_launch(self)
        for state, splitter in ((remembered.splitter, self.splitter), (remembered.centre, self.centre)):
            if state is not None:
                splitter.restoreState(QtCore.QByteArray(state))
        self.controls.restore(remembered.options.to_state())

    def _save_settings(self) -> None:
        self._remember(geometry=self.saveGeometry().data(), splitter=self.splitter.saveState().data(),
                       centre=self.centre.saveState().data(), options=Options.from_state(self.controls.state()))
        self.settings.sync()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if not self._confirm_discard():
            event.ignore()
            return
        self.controller.close()
        self._save_settings()
        event.accept()


def write_svg(widget: QtWidgets.QWidget, path: Path) -> None:
    """``widget`` drawn as vector graphics. Not pyqtgraph's SVGExporter: it cannot parse the path
    data this Qt writes (ValueError in its _generateItemSvg with PySide6 6.11)."""
    from PySide6.QtSvg import QSvgGenerator

    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(widget.size())
    generator.setViewBox(QtCore.QRect(QtCore.QPoint(0, 0), widget.size()))
    generator.setTitle("nnviz")
    painter = QtGui.QPainter(generator)
    widget.render(painter)
    if not painter.end():
        raise OSError(f"could not write {path}")
