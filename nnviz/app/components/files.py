"""The window's files: new, open, save, datasets, recent files, drops, and what nnviz remembers
of them. Every question goes through ``Dialogs``; the network on show is the model's."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6 import QtCore, QtGui

from ...core.data import load_dataset
from ...core.errors import NnvizError, one_line
from ...core.files import load_run, save_run
from ...core.formatting import learning_rate_text
from ...core.options import default_options
from ...core.places import rescue_path
from ...model import TrainingMode, WindowModel
from ...model.options import make_network
from ..shell.actions import Actions
from ..shell.dialogs import Button, Dialogs
from ..shell.settings import Remembered, with_recent
from ..shell.status import Lasting, Status
from ..training.controller import TrainingController
from .base import Component

NETWORK_SUFFIX = ".npz"


class FilesComponent(Component):
    def __init__(self, model: WindowModel, parent: QtCore.QObject, remembered: Remembered, actions: Actions,
                 dialogs: Dialogs, status: Status, controller: TrainingController):
        super().__init__(model, parent)
        self.remembered, self.dialogs, self.status, self.controller = remembered, dialogs, status, controller
        self._reports: list[tuple[str, str]] = []
        self.recent_menu = actions.submenu("open_recent")
        self.recent_menu.triggered.connect(self._on_recent)
        for name, slot in (("new_network", self.new_network), ("open_network", self.open_network),
                           ("save", self.save), ("save_as", self.save_as), ("open_dataset", self.open_dataset)):
            actions.serve(name, slot)
        self._update_recent_menu()

    # -- the network on show ------------------------------------------------------------------------

    def new_network(self) -> bool:
        if not self.confirm_discard():
            return False
        model = self.model
        try:
            network = make_network(model.architecture, model.dataset.n_inputs, model.dataset.n_classes)
        except NnvizError as error:
            self.dialogs.show_error("Cannot make that network", str(error))
            return False
        model.set_network(network)
        self._start_run()
        return True

    def _start_run(self) -> None:
        """A new network's run: η and the weight decay of its activation and cost's recipe (ReLU
        with the sigmoid's η overshoots and dies: docs/recipe.md), η constant (the app never
        halves it), the rest as the person set it."""
        model, architecture = self.model, self.model.architecture
        recipe = default_options(architecture.activation, architecture.cost)
        model.set_options(replace(model.options, learning_rate=recipe.learning_rate,
                                  weight_decay=recipe.weight_decay, halve_after=0))
        self.status.say(f"A new {architecture.activation} network learning by {architecture.cost} starts with the η and "
                        f"weight decay that suit it: η = {learning_rate_text(recipe.learning_rate)}, weight decay λ = "
                        f"{recipe.weight_decay:g}", Lasting.REPORT)

    def open_network(self, path: str | Path | None = None) -> bool:
        path = path or self.dialogs.open_file("Open network", self.folder())
        if not path:
            return False
        # The file is checked before anything is asked: a bad file never costs a "save changes?".
        try:
            run = load_run(path)
        except NnvizError as error:
            self.dialogs.show_error("Cannot open network", str(error))
            return False
        network = run.network
        reason = self.model.misfit(network.sizes)
        if reason:
            self.dialogs.show_error("Network does not fit the dataset", f"{Path(path).name} has {network.sizes[0]} "
                                                                        f"inputs and {network.sizes[-1]} outputs: {reason}.")
            return False
        if not self.confirm_discard():
            return False
        model = self.model
        model.set_network(network, Path(path), run.metadata, history=run.history)
        # Train continues the file's run exactly (when the file can say how), with its settings;
        # Epochs stays the person's.
        model.set_trainer_state(run.state)
        model.set_options(replace(run.options, epochs=model.options.epochs))
        notes = [note for note in (run.note, model.edits_note) if note]
        if not notes and model.edits.edits:
            notes.append(f"{len(model.edits)} edit(s) of the trained network restored")
        if notes:
            self.status.say(" · ".join(one_line(n) for n in notes), Lasting.REPORT)
        self._remember_network(Path(path))
        return True

    def save(self) -> bool:
        return self.save_as(self.model.path) if self.model.path else self.save_as()

    def save_as(self, path: str | Path | None = None) -> bool:
        model = self.model
        if path is None:
            suggestion = Path(self.folder()) / (model.path.name if model.path else "network.npz")
            path = self.dialogs.save_file("Save network", suggestion)
            if not path:
                return False
        path = Path(path)
        if path.suffix != NETWORK_SUFFIX:
            path = path.with_suffix(NETWORK_SUFFIX)
        try:
            metadata = self._write_run(path)
        except OSError as error:
            self.dialogs.show_error("Cannot save network", f"{path}: {error.strerror or error}. The previous file, "
                                                           "if any, is unchanged.")
            return False
        model.saved_as(path, metadata)
        self._remember_network(path)
        self.status.say(f"Saved {path}", Lasting.NOTICE)
        return True

    def _write_run(self, path: Path) -> dict:
        """Save the network as it is now with its run to ``path``; returns the metadata written."""
        model = self.model
        # The trainer's state matches the network only while training is paused.
        state = model.trainer_state if model.mode == TrainingMode.IDLE else None
        return save_run(path, model.network, model.history, model.options, state, **model.training_metadata())

    def rescue(self) -> str:
        """Save a changed network to the rescue folder (the app is being interrupted); what to
        tell the person."""
        if not self.model.dirty:
            return "interrupted"
        path = rescue_path(Path(self.model.name).stem or "untitled")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._write_run(path)
        except OSError as error:
            return f"interrupted; the unsaved network could not be saved to {path.parent} ({error.strerror or error})"
        self.model.set_dirty(False)
        return f"interrupted; the unsaved network was saved to {path}"

    def open_dataset(self, folder: str | Path | None = None) -> bool:
        folder = folder or self.dialogs.folder("Open dataset folder (four IDX files)", self.folder())
        if not folder:
            return False
        try:
            dataset = load_dataset(folder)
        except NnvizError as error:
            self.dialogs.show_error("Cannot open dataset", str(error))
            return False
        model = self.model
        fits = dataset.misfit(model.network.sizes) is None
        if not fits and not self.confirm_discard():
            return False
        if fits:
            model.set_dataset(dataset)
        else:
            try:
                network = make_network(model.architecture, dataset.n_inputs, dataset.n_classes)
            except NnvizError as error:
                self.dialogs.show_error("Cannot make a network for that dataset", str(error))
                return False
            model.set_dataset(dataset, network)
            self._start_run()
        # Only a folder that loaded and is on show is remembered: the next start opens it.
        self.remembered.change(last_dataset=Path(folder).resolve())
        return True

    # -- asking ------------------------------------------------------------------------------------

    def confirm_discard(self) -> bool:
        """True when there are no unsaved changes, or the person saved or chose to discard them."""
        if not self.model.dirty:
            return True
        was_running = self.model.mode != TrainingMode.IDLE
        if was_running:
            self.controller.pause()
        answer = self.dialogs.ask_unsaved()
        if answer == Button.Save:
            return self.save()
        if answer == Button.Discard:
            return True
        if was_running:
            self.controller.start(self.model.epoch_target())
        return False

    def report_later(self, title: str, text: str) -> None:
        """Show an error once the window is up (start-up problems)."""
        self._reports.append((title, text))
        QtCore.QTimer.singleShot(0, self, self._show_reports)

    def _show_reports(self) -> None:
        reports, self._reports = self._reports, []
        for title, text in reports:
            self.dialogs.show_error(title, text)

    def folder(self) -> str:
        path = self.model.path
        return str(path.parent if path else self.remembered.settings.last_folder or Path.home())

    # -- recent files and drops ----------------------------------------------------------------------

    def droppable(self, mime: QtCore.QMimeData) -> str | None:
        """The network file among what is being dragged onto the window, or None."""
        for url in mime.urls():
            if url.toLocalFile().endswith(NETWORK_SUFFIX):
                return url.toLocalFile()
        return None

    def _remember_network(self, path: Path) -> None:
        path = path.resolve()
        self.remembered.change(recent=with_recent(self.remembered.settings, path), last_folder=path.parent,
                               last_network=path)
        self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.remembered.settings.recent:
            action = self.recent_menu.addAction(path.name)
            action.setData(str(path))
            action.setToolTip(str(path))
        self.recent_menu.setEnabled(bool(self.remembered.settings.recent))

    def _on_recent(self, action: QtGui.QAction) -> None:
        self.open_network(action.data())
