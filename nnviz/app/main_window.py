"""The window: composes the views, owns the network being shown, handles files and settings."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from ..core.data import Dataset, load_dataset
from ..core.drawing import preprocess
from ..core.evaluation import confusion_matrix, predictions
from ..core.errors import NnvizError
from ..core.files import load_network, save_network
from ..core.network import Network
from . import actions, layout, theme
from .controls import ControlsPanel
from .network_view import NetworkView
from . import browser
from .input_panel import InputPanel
from .inspect_panels import ConfusionPanel, NeuronPanel, WeightImages
from .panels import PlotsPanel
from .stepper import StepperPanel
from .training_controller import IDLE, TrainingController, TrainingOptions, TrainingSnapshot

MAX_RECENT = 8
#: While training runs at full speed, edges are rebuilt at most this often (a rebuild costs ~13 ms
#: of the GUI thread, and holds the GIL the trainer needs); activations follow every snapshot
#: (~3 ms). Slowed down to SLOW_RATE mini-batches a second or fewer, every nudge is drawn.
EDGE_INTERVAL = 0.5
SLOW_RATE = 25
READOUT_INTERVAL = 0.2
NETWORK_FILTER = "nnviz networks (*.npz);;All files (*)"


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, dataset: Dataset, network: Network, path: Path | None = None, metadata: dict | None = None,
                 settings: QtCore.QSettings | None = None, data_dir: Path | None = None):
        super().__init__()
        self.settings = settings or QtCore.QSettings("nnviz", "nnviz")
        self.dataset = dataset
        self.data_dir = data_dir
        self.network = network
        self.path: Path | None = None
        self.metadata: dict = {}
        self.epochs_done = 0
        self.filters = browser.Filters()
        self.example_index = 0
        self.source = "dataset"  # or "drawing"
        self._predictions: dict[str, np.ndarray] = {}
        self._rng = np.random.default_rng()
        self._last_edges = 0.0
        self._last_readout = 0.0
        self.setAcceptDrops(True)
        self.setStyleSheet(theme.STYLE_SHEET)

        self.network_view = NetworkView()
        self.input_panel = InputPanel()
        self.plots = PlotsPanel()
        self.weight_images = WeightImages()
        self.neuron_panel = NeuronPanel()
        self.confusion = ConfusionPanel()
        self.bottom = QtWidgets.QTabWidget()
        self.bottom.addTab(self.plots, "Training")
        self.bottom.addTab(self.weight_images, "Hidden layer 1 weights")
        self.bottom.addTab(self.neuron_panel, "Neuron")
        self.bottom.addTab(self.confusion, "Mistakes")
        self.controls = ControlsPanel()
        self.controller = TrainingController(self)
        self.stepper = StepperPanel(self.network_view)
        self.stepper_dock = QtWidgets.QDockWidget("Backpropagation, step by step", self)
        self.stepper_dock.setObjectName("stepper")
        self.stepper_dock.setWidget(self.stepper)
        self.stepper_dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.stepper_dock.setMinimumWidth(380)
        self.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea, self.stepper_dock)
        self.stepper_dock.hide()
        self.stepping = False

        left = QtWidgets.QWidget()
        left_layout = QtWidgets.QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.input_panel)
        left_layout.addWidget(self.controls)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(290)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.centre = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        self.centre.addWidget(self.network_view)
        self.centre.addWidget(self.bottom)
        self.centre.setStretchFactor(0, 3)
        self.centre.setStretchFactor(1, 1)
        self.splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.centre)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)

        self._make_menus()
        layout.arrange(self)
        self.controls.run_toggled.connect(self._on_run_toggled)
        self.controls.step_batch_requested.connect(lambda: self._step(lambda: self.controller.step_batches(1)))
        self.controls.step_epoch_requested.connect(lambda: self._step(self.controller.step_epoch))
        self.controls.new_network_requested.connect(self.new_network)
        self.controls.options_changed.connect(self._on_options_changed)
        self.controls.edge_fraction_changed.connect(self.network_view.set_edge_fraction)
        self.input_panel.browsed.connect(self.browse)
        self.input_panel.filters_changed.connect(self._on_filters_changed)
        self.input_panel.index_chosen.connect(self.go_to)
        self.input_panel.drawing_changed.connect(self._on_drawing_changed)
        self.input_panel.source_changed.connect(self._on_source_changed)
        self.network_view.neuron_clicked.connect(self.inspect_neuron)
        self.confusion.cell_clicked.connect(self.browse_cell)
        self.confusion.refresh_requested.connect(self.update_confusion)
        self.bottom.currentChanged.connect(self._on_bottom_tab)
        self.controller.progressed.connect(self._on_progressed)
        self.controller.failed.connect(self._on_failed)
        self.controller.state_changed.connect(self._on_state_changed)
        self.controls.backprop_requested.connect(self.start_stepper)
        self.stepper.closed.connect(self.stop_stepper)
        self.stepper.applied.connect(self._on_step_applied)

        self._restore_settings()
        self.network_view.set_edge_fraction(self.controls.edges.value() / 100)
        self._set_network(network, path, metadata or {})

    # -- the network on show ------------------------------------------------------------------------

    def _set_network(self, network: Network, path: Path | None, metadata: dict) -> None:
        self.controller.shutdown()
        self.network = network
        self.path = Path(path) if path else None
        self.metadata = dict(metadata)
        self.epochs_done = int(metadata.get("epochs_trained", 0) or 0)
        self.plots.clear()
        self.controls.set_architecture(network.sizes[1:-1], network.activation.name, network.cost.name)
        self.controls.set_progress(None)
        self._set_readout()
        self.input_panel.set_classes(self.dataset.class_names)
        self.network_view.select_neuron(None)
        self._network_changed()
        self.network_view.show_network(network, self.dataset.image_shape, self.dataset.class_names)
        self.show_example()
        self._set_dirty(False)
        if self.path:
            self._add_recent(self.path)
            self.settings.setValue("last_network", str(self.path))

    def show_example(self) -> None:
        """Run the example on show (from the dataset, or the drawing) through the network and light it up."""
        names = self.dataset.class_names
        if self.source == "drawing":
            x = self._drawn_input()
            forward = self.network.forward(np.zeros(self.network.sizes[0]) if x is None else x)
            answer = None if x is None else int(forward.output[0].argmax())
            self.network_view.show_forward(forward, answer, None)
            self.input_panel.show_drawing_answer(None if answer is None else names[answer],
                                                 0.0 if answer is None else self._confidence(forward.output[0]))
            return
        split = self.dataset.split(self.filters.split)
        self.example_index %= len(split)
        i = self.example_index
        forward = self.network.forward(split.inputs(i, self.network.dtype))
        output = forward.output[0]
        answer, label = int(output.argmax()), int(split.labels[i])
        self.network_view.show_forward(forward, answer, label)
        self.input_panel.show_example(split.image(i), names[label], names[answer], self._confidence(output),
                                      answer == label, f"{self.filters.split} example {i + 1:,} of {len(split):,}",
                                      i, len(split))

    def _confidence(self, output: np.ndarray) -> float:
        if self.network.cost.name == "cross-entropy":
            return float(output.max())
        return float(output.max() / output.sum()) if output.sum() > 0 else 0.0

    def _drawn_input(self) -> np.ndarray | None:
        """The drawing as the network's input, or None while there is no digit to read."""
        ink = self.input_panel.canvas.ink()
        rows, cols = self.dataset.image_shape
        image = preprocess(ink, size=max(rows, cols), box=round(max(rows, cols) * 20 / 28))
        if image is None or image.shape != (rows, cols):
            return None
        return image.reshape(-1).astype(self.network.dtype)

    def browse(self, step: int) -> None:
        """Next (+1), previous (-1) or a random (0) example among those the filters let through."""
        if self.source != "dataset":
            self.input_panel.setCurrentIndex(0)
        split = self.dataset.split(self.filters.split)
        needs = self.filters.only_mistakes or self.filters.cell is not None
        indices = browser.candidates(split.labels, self.filters, self.split_predictions() if needs else None)
        chosen = browser.step_to(indices, self.example_index, step, self._rng)
        if chosen is None:
            self.statusBar().showMessage(f"No {self.filters.describe(self.dataset.class_names)} in the {self.filters.split} set", 4000)
            return
        self.example_index = chosen
        self.show_example()
        self.statusBar().showMessage(f"{self.filters.describe(self.dataset.class_names)}: {len(indices):,} in the "
                                     f"{self.filters.split} set", 3000)

    def go_to(self, index: int) -> None:
        self.example_index = index
        self.show_example()

    def split_predictions(self, name: str | None = None) -> np.ndarray:
        """The network's answers for a whole split, computed once per network state."""
        name = name or self.filters.split
        if name not in self._predictions:
            self._predictions[name] = predictions(self.network, self.dataset.split(name))
        return self._predictions[name]

    def _network_changed(self) -> None:
        """The parameters changed: forget derived answers and refresh the views that show weights."""
        self._predictions.clear()
        if self.bottom.currentWidget() is self.weight_images or not self.weight_images.items:
            self.weight_images.show_weights(self.network.weights[0], self.dataset.image_shape)
        if self.network_view.neurons is not None and self.network_view.neurons.selected is not None:
            self.inspect_neuron(*self.network_view.neurons.selected, switch=False)

    def _on_filters_changed(self) -> None:
        self.filters = browser.Filters(self.input_panel.split.currentText(), self.input_panel.digit_filter,
                                       self.input_panel.only_mistakes.isChecked())
        self.example_index = -1
        self.browse(+1)

    def browse_cell(self, true_class: int, answer: int) -> None:
        """Browse the test examples of one confusion-matrix cell."""
        self.input_panel.setCurrentIndex(0)
        for widget, value in ((self.input_panel.split, "test"),):
            widget.blockSignals(True)
            widget.setCurrentText(value)
            widget.blockSignals(False)
        self.filters = browser.Filters("test", cell=(true_class, answer))
        self.example_index = -1
        self.browse(+1)

    def _on_source_changed(self, source: str) -> None:
        self.source = source
        self.show_example()

    def _on_drawing_changed(self) -> None:
        if self.source == "drawing":
            self.show_example()

    def inspect_neuron(self, layer: int, k: int, switch: bool = True) -> None:
        """Select neuron ``k`` of ``layer``: highlight its edges and show what it listens to."""
        self.network_view.select_neuron((layer, k))
        incoming = self.network.weights[layer - 1][k]
        shape = self.dataset.image_shape if layer == 1 else None
        text = self.network_view.neurons.describe(layer, k)
        if layer == 1:
            text += "<br><br>Its 784 incoming weights as a picture: blue pixels push it on, red ones off. " \
                    "This is what it looks for."
        else:
            text += f"<br><br>Its {len(incoming)} incoming weights, one bar per neuron of the layer before."
        self.neuron_panel.show_neuron(text + "<br><i>Click empty space in the network to show all edges again.</i>",
                                      incoming, shape)
        if switch:
            self.bottom.setCurrentWidget(self.neuron_panel)

    def update_confusion(self) -> None:
        split = self.dataset.test
        matrix = confusion_matrix(split.labels, self.split_predictions("test"), self.dataset.n_classes)
        self.confusion.show_matrix(matrix, self.dataset.class_names)

    def _on_bottom_tab(self, index: int) -> None:
        widget = self.bottom.widget(index)
        if widget is self.confusion and self.controller.state == IDLE:
            self.update_confusion()
        elif widget is self.weight_images:
            self.weight_images.show_weights(self.network.weights[0], self.dataset.image_shape)

    # -- the backpropagation stepper -------------------------------------------------------------

    def start_stepper(self) -> None:
        """Walk through backpropagation for the example on show (and the mini-batch that starts with it)."""
        split = self.dataset.split(self.filters.split)
        i = self.example_index % len(split)
        batch = np.arange(i, i + self.controls.batch_size.value()) % len(split)
        x, label = split.inputs(i, self.network.dtype), int(split.labels[i])
        if self.source == "drawing":
            drawn = self._drawn_input()
            if drawn is None:
                self.statusBar().showMessage("Draw a digit first", 4000)
                return
            # A drawing has no label: follow what the person most likely meant, the network's answer.
            x, label = drawn, int(self.network.forward(drawn).output[0].argmax())
        self.stepping = True
        self.stepper_dock.show()
        self.stepper.start(self.network, x, label, self.dataset.class_names, self.controls.learning_rate.value(),
                           split.inputs(batch, self.network.dtype), split.labels[batch])

    def stop_stepper(self) -> None:
        self.stepper.play_button.setChecked(False)
        self.stepping = False
        self.stepper_dock.hide()
        self.network_view.neurons.set_arrows([])
        self.network_view.show_edge_values(self.network.weights)
        self.show_example()

    def _on_step_applied(self, stepped: Network) -> None:
        # The worker trains its own copy: it must not carry on from the network before the step.
        self.controller.shutdown()
        self.network.params[:] = stepped.params
        self._set_dirty(True)
        self._network_changed()
        self.stop_stepper()
        self.statusBar().showMessage("Applied the step to the network", 4000)

    # -- training ---------------------------------------------------------------------------------

    def _ensure_trainer(self) -> None:
        if not self.controller.attached:
            options = TrainingOptions(**self.controls.options(), seed=self.controls.seed.value())
            self.controller.attach(self.network, self.dataset, options, self.epochs_done)

    def _on_run_toggled(self, run: bool) -> None:
        if run:
            if self.controls.epochs.value() <= self.epochs_done:
                self.controls.epochs.setValue(self.epochs_done + self.controls.epochs.value())
            self._ensure_trainer()
            self.controller.start()
        else:
            self.controller.pause()

    def _step(self, command) -> None:
        self._ensure_trainer()
        command()

    def _on_options_changed(self, options: dict) -> None:
        self.controller.set_options(**options)

    @QtCore.Slot(object)
    def _on_progressed(self, snapshot: TrainingSnapshot) -> None:
        self.network.params[:] = snapshot.params
        stopped = snapshot.state == IDLE
        if len(snapshot.batch_costs):
            end = snapshot.epoch - 1 + snapshot.batch / max(snapshot.batches_per_epoch, 1)
            self.plots.add_batch_costs(snapshot.batch_costs, end, snapshot.batches_per_epoch)
        report = snapshot.report
        if report is not None:
            self.epochs_done = report.epoch
            self.plots.add_epoch(report.epoch, report.training_cost, report.validation_accuracy, report.test_accuracy)
            self.metadata.update(epochs_trained=report.epoch, training_cost=report.training_cost,
                                 validation_accuracy=report.validation_accuracy, test_accuracy=report.test_accuracy)
        if stopped:
            self.plots.flush()
        # Rebuilding the edges and redrawing the plots are the two expensive updates (~13 and
        # ~10 ms); never both in one frame while training runs, so the window stays smooth.
        now = time.monotonic()
        if self.stepping:  # the view belongs to the stepper until it is done
            self.plots.refresh(force=stopped)
        elif stopped or now - self._last_edges >= EDGE_INTERVAL or self._slow():
            self.network_view.show_edge_values(self.network.weights)
            self.network_view.neurons.biases = [b.copy() for b in self.network.biases]
            self._network_changed()
            self._last_edges = now
            if stopped:
                self.plots.refresh(force=True)
        else:
            self.plots.refresh()
        if not self.stepping:
            self.show_example()
        # The progress bar and read-out change every snapshot but need not be redrawn as often
        # as the network: a styled progress bar costs 0.6 ms of the GUI thread each time.
        if stopped or report is not None or now - self._last_readout >= READOUT_INTERVAL or self._slow():
            self._last_readout = now
            if snapshot.batches_per_epoch:
                self.controls.set_progress(snapshot.epoch, snapshot.batch, snapshot.batches_per_epoch)
            self._set_readout(snapshot)
        if snapshot.batches_done and not self.isWindowModified():
            self._set_dirty(True)

    def _slow(self) -> bool:
        rate = self.controls.options()["max_rate"]
        return rate is not None and rate <= SLOW_RATE

    def _on_failed(self, message: str) -> None:
        self.show_error("Training stopped", message)

    def _on_state_changed(self, state: str) -> None:
        self.controls.set_running(state != IDLE)

    def _set_readout(self, snapshot: TrainingSnapshot | None = None) -> None:
        parts = [f"{self.epochs_done} epoch{'s' if self.epochs_done != 1 else ''} trained"]
        if snapshot is not None and np.isfinite(snapshot.running_cost):
            parts.append(f"cost {snapshot.running_cost:.4f}")
        if "validation_accuracy" in self.metadata:
            parts.append(f"validation {self.metadata['validation_accuracy']:.2%}")
        if self.metadata.get("test_accuracy") is not None:
            parts.append(f"test {self.metadata['test_accuracy']:.2%}")
        self.controls.readout.setText(" · ".join(parts))

    # -- files ---------------------------------------------------------------------------------------

    def new_network(self) -> None:
        if not self._confirm_discard():
            return
        arch = self.controls.architecture()
        sizes = (self.dataset.n_inputs, *arch["hidden"], self.dataset.n_classes)
        try:
            network = Network(sizes, arch["activation"], arch["cost"], seed=arch["seed"])
        except NnvizError as error:
            self.show_error("Cannot make that network", str(error))
            return
        self._set_network(network, None, {})

    def open_network(self, path: str | Path | None = None) -> bool:
        if path is None:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Open network", self._folder(), NETWORK_FILTER)
            if not path:
                return False
        if not self._confirm_discard():
            return False
        try:
            network, metadata = load_network(path)
        except NnvizError as error:
            self.show_error("Cannot open network", str(error))
            return False
        if network.sizes[0] != self.dataset.n_inputs or network.sizes[-1] != self.dataset.n_classes:
            self.show_error("Network does not fit the dataset",
                            f"{Path(path).name} has {network.sizes[0]} inputs and {network.sizes[-1]} outputs, but "
                            f"{self.dataset.name} has {self.dataset.n_inputs}-pixel images of {self.dataset.n_classes} classes.")
            return False
        self._set_network(network, Path(path), metadata)
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
        info = {k: v for k, v in self.metadata.items() if k not in ("format", "version", "sizes", "activation", "cost", "created")}
        info.setdefault("dataset", self.dataset.name)
        info["epochs_trained"] = self.epochs_done
        try:
            self.metadata = save_network(self.network, path, **info)
        except OSError as error:
            self.show_error("Cannot save network", f"{path}: {error.strerror or error}. The previous file, if any, is unchanged.")
            return False
        self.path = path
        self._add_recent(path)
        self.settings.setValue("last_network", str(path))
        self._set_dirty(False)
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

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
        fits = self.network.sizes[0] == dataset.n_inputs and self.network.sizes[-1] == dataset.n_classes
        if not fits and not self._confirm_discard():
            return False
        self.controller.shutdown()
        self.dataset, self.data_dir = dataset, Path(folder)
        self.settings.setValue("last_dataset", str(folder))
        self.example_index = 0
        if fits:
            self._set_network(self.network, self.path, self.metadata)
        else:
            arch = self.controls.architecture()
            sizes = (dataset.n_inputs, *arch["hidden"], dataset.n_classes)
            self._set_network(Network(sizes, arch["activation"], arch["cost"], seed=arch["seed"]), None, {})
        self._update_title()
        return True

    def export_network(self, path: str | Path | None = None) -> bool:
        """The network picture as PNG (what the view shows) or SVG (vector, every drawn edge)."""

        def svg(path: Path) -> None:
            with self.network_view.vector_rendering():
                _write_svg(self.network_view, path)

        return self._export(path, "Export network picture", "network", self.network_view, svg)

    def export_plots(self, path: str | Path | None = None) -> bool:
        """The training plots as one PNG, or as two SVGs (NAME-cost.svg and NAME-accuracy.svg)."""

        def svg(path: Path) -> None:
            for name, plot in (("cost", self.plots.cost_plot), ("accuracy", self.plots.accuracy_plot)):
                _write_svg(plot, path.with_name(f"{path.stem}-{name}.svg"))

        return self._export(path, "Export plots", "plots", self.plots, svg)

    def _export(self, path, title: str, stem: str, widget: QtWidgets.QWidget, write_svg) -> bool:
        path = path or self._ask_export_path(title, stem)
        if not path:
            return False
        path = Path(path)
        try:
            if path.suffix.lower() == ".svg":
                write_svg(path)
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

    def _confirm_discard(self) -> bool:
        """True when there are no unsaved changes, or the person saved or chose to discard them."""
        if not self.isWindowModified():
            return True
        was_running = self.controller.state != IDLE
        if was_running:
            self.controller.pause()
        answer = self.ask_unsaved()
        if answer == QtWidgets.QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QtWidgets.QMessageBox.StandardButton.Discard:
            return True
        if was_running:
            self.controller.start()
        return False

    def ask_unsaved(self) -> QtWidgets.QMessageBox.StandardButton:
        buttons = QtWidgets.QMessageBox.StandardButton
        return QtWidgets.QMessageBox.question(
            self, "Unsaved training", "The network has changed since it was last saved. Save it first?",
            buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)

    def show_error(self, title: str, text: str) -> None:
        QtWidgets.QMessageBox.critical(self, title, text)

    def _set_dirty(self, dirty: bool) -> None:
        self.setWindowModified(dirty)
        self._update_title()

    def _update_title(self) -> None:
        name = self.path.name if self.path else "untitled"
        self.setWindowTitle(f"{name}[*] — {self.dataset.name} — nnviz")

    def _folder(self) -> str:
        return str(self.path.parent) if self.path else str(self.settings.value("last_folder", str(Path.home())))

    # -- menus, recent files, drops, settings ----------------------------------------------------

    def _make_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_action = actions.make_action("new_network", self, self.new_network)
        self.open_action = actions.make_action("open_network", self, lambda: self.open_network())
        self.save_action = actions.make_action("save", self, self.save)
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
        file_menu.addAction(actions.make_action("quit", self, self.close))
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(actions.make_action("reset_zoom", self, self.network_view.reset_zoom))
        self._update_recent_menu()

    def _recent(self) -> list[str]:
        value = self.settings.value("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _add_recent(self, path: Path) -> None:
        recent = [str(path.resolve())] + [p for p in self._recent() if p != str(path.resolve())]
        self.settings.setValue("recent", recent[:MAX_RECENT])
        self.settings.setValue("last_folder", str(path.resolve().parent))
        self._update_recent_menu()

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
        geometry = self.settings.value("geometry")
        if geometry is None or not self.restoreGeometry(geometry) or not layout.fits_screen(self):
            layout.place_first_launch(self)
        for key, splitter in (("splitter", self.splitter), ("centre", self.centre)):
            state = self.settings.value(key)
            if state is not None:
                splitter.restoreState(state)
        options = self.settings.value("options")
        if isinstance(options, dict):
            self.controls.restore(options)

    def _save_settings(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("splitter", self.splitter.saveState())
        self.settings.setValue("centre", self.centre.saveState())
        self.settings.setValue("options", self.controls.state())
        self.settings.sync()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if not self._confirm_discard():
            event.ignore()
            return
        self.controller.shutdown()
        self._save_settings()
        event.accept()


def _write_svg(widget: QtWidgets.QWidget, path: Path) -> None:
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
