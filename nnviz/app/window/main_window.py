"""The window: builds the model and the views, and connects them.

The state lives in ``WindowModel`` (nnviz/model, no Qt). Controls call the model; the views
follow its events through the ``_on_*`` handlers below, which hand each widget plain values.
Files and settings are in file_actions.py, the training worker's wiring in training_wiring.py
(see docs/architecture.md).
"""

from __future__ import annotations

import collections
import time
from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtWidgets

from ...core.data import Dataset
from ...core.drawing import preprocess
from ...core.evaluation import confusion_matrix
from ...core.files import LoadedRun
from ...core.history import RunHistory
from ...core.network import Network
from ...model import Example, Source, TrainingMode, WindowModel
from ...model.browsing import Filters
from ...model.window_model import PRETRAINED_NAME
from . import frame as layout
from ..shell import theme
from ..export.animation_dialog import AnimationExport
from ..components.compare import CompareWiring
from ..views.controls import ControlsPanel
from ..components.edits import EditsWiring
from ..components.files import FileActions
from ..views.input_panel import InputPanel
from ..views.inspect import ConfusionPanel, NeuronPanel, WeightImages
from ..views.network.network_view import NetworkView
from ..views.landscape import LandscapeView
from ..views.neuron_history import NeuronHistory
from ...model.pacing import Redraw
from ..views.plots import PlotsPanel
from ..shell.settings import repair_settings
from ..views.stepper import StepperPanel
from ..components.stepper import StepperWiring
from ..views.timeline import Timeline
from ..components.timeline import TimelineWiring
from ..training.controller import TrainingController
from ..components.training import TrainingWiring

#: How many training snapshots the landscape draws as the path that led to the network.
LANDSCAPE_PATH = 20


class MainWindow(FileActions, TrainingWiring, TimelineWiring, CompareWiring, StepperWiring, EditsWiring, AnimationExport,
                 QtWidgets.QMainWindow):
    def __init__(self, dataset: Dataset, network: Network, path: Path | None = None, metadata: dict | None = None,
                 settings: QtCore.QSettings | None = None, data_dir: Path | None = None, run: LoadedRun | None = None,
                 history: RunHistory | None = None):
        super().__init__()
        self.settings = settings or QtCore.QSettings("nnviz", "nnviz")
        # What the window remembers, typed and checked (settings.py); shown in _restore_settings.
        self.remembered, self.startup_notes = repair_settings(self.settings)
        self.data_dir = data_dir
        # A file shown without a path is the bundled pretrained network (main.first_network).
        name = PRETRAINED_NAME if path is None and metadata else None
        self.model = WindowModel(dataset, network, path, metadata, name=name,
                                 history=run.history if run is not None else history)
        self.stepping = False
        self._weights_stale = False
        self._frame_had_edges = False
        self.setAcceptDrops(True)
        self.setStyleSheet(theme.STYLE_SHEET)
        self._build_views()
        self._make_menus()
        self._make_edit_menu()
        self._add_animation_export()
        layout.arrange(self)
        self._connect()
        self._restore_settings()
        self.network_view.set_edge_fraction(self.controls.edges.value() / 100)
        self.model.set_options(self.controls.options())
        if run is not None:
            self._take_run(run)
        self._on_network(network)
        self._on_history(self.model.history)
        self._on_file(self.model.title)
        self._on_progress(None)
        self._on_example(self.model.example)

    # -- composition -----------------------------------------------------------------------------

    def _build_views(self) -> None:
        self.network_view = NetworkView()
        self.timeline = Timeline()
        self.neuron_history = NeuronHistory()
        self.input_panel = InputPanel()
        self.plots = PlotsPanel()
        self.weight_images = WeightImages()
        self.neuron_panel = NeuronPanel()
        self.neuron_panel.layout().addWidget(self.neuron_history, 3)
        self.neuron_tab = self.neuron_panel
        self.confusion = ConfusionPanel()
        self.bottom = QtWidgets.QTabWidget()
        self.bottom.addTab(self.plots, "Training")
        self.bottom.addTab(self.weight_images, "Hidden layer 1 weights")
        self.bottom.addTab(self.neuron_panel, "Neuron")
        self.bottom.addTab(self.confusion, "Mistakes")
        self.landscape = LandscapeView()
        self.bottom.addTab(self.landscape, "Landscape")
        self._build_edits()
        # The path the landscape draws: the parameters before the last few snapshots.
        self._recent_params: collections.deque = collections.deque(maxlen=LANDSCAPE_PATH)
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
        network_area = QtWidgets.QWidget()
        network_layout = QtWidgets.QVBoxLayout(network_area)
        network_layout.setContentsMargins(0, 0, 0, 0)
        network_layout.setSpacing(2)
        # the network, and a second run's beside it when comparing (compare.py)
        self.network_row = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        self.network_row.addWidget(self.network_view)
        network_layout.addWidget(self.network_row, 1)
        network_layout.addWidget(self.timeline)
        self.centre.addWidget(network_area)
        self.centre.addWidget(self.bottom)
        self.centre.setStretchFactor(0, 3)
        self.centre.setStretchFactor(1, 1)
        self.splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.centre)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)

    def _connect(self) -> None:
        model, events = self.model, self.model.events
        # views follow the model
        events.network.connect(self._on_network)
        events.params.connect(self._on_params)
        events.file.connect(self._on_file)
        events.example.connect(self._on_example)
        events.filters.connect(self._on_filters)
        events.neuron.connect(self._on_neuron)
        events.mode.connect(self._on_mode)
        events.progress.connect(self._on_progress)
        events.epoch.connect(self._on_epoch)
        events.options.connect(self.controller.set_options)
        events.dataset.connect(self._on_dataset)
        # controls change the model
        self.input_panel.browsed.connect(self.browse)
        self.input_panel.filters_changed.connect(lambda: self._set_filters(self.input_panel.filters()))
        self.input_panel.index_chosen.connect(self.go_to)
        self.input_panel.drawing_changed.connect(self._on_drawing_changed)
        self.input_panel.source_changed.connect(self._on_source_changed)
        self.network_view.neuron_clicked.connect(lambda layer, k: self.inspect_neuron(layer, k))
        self.network_view.selection_cleared.connect(lambda: model.select_neuron(None))
        self.confusion.cell_clicked.connect(self.browse_cell)
        self.confusion.refresh_requested.connect(self.update_confusion)
        self.bottom.currentChanged.connect(self._on_bottom_tab)
        self.controls.edge_fraction_changed.connect(self.network_view.set_edge_fraction)
        self.controls.backprop_requested.connect(self.start_stepper)
        self.stepper.closed.connect(self.stop_stepper)
        self.stepper.applied.connect(self._on_step_applied)
        self._connect_training()
        self._connect_timeline()
        self._connect_compare()
        self._connect_edits()

    # -- shortcuts to the model's state (what tests and the other parts read) ------------------------

    @property
    def network(self) -> Network:
        return self.model.network

    @property
    def dataset(self) -> Dataset:
        return self.model.dataset

    @property
    def path(self) -> Path | None:
        return self.model.path

    @property
    def metadata(self) -> dict:
        return self.model.metadata

    @property
    def epochs_done(self) -> int:
        return self.model.epochs_done

    @property
    def example_index(self) -> int:
        return self.model.example.index

    @example_index.setter
    def example_index(self, index: int) -> None:
        self.model.go_to(index)

    @property
    def filters(self) -> Filters:
        return self.model.filters

    # -- controls change the model ----------------------------------------------------------------------

    def browse(self, step: int) -> None:
        """Next (+1), previous (-1) or a random (0) example among those the filters let through."""
        found = self.model.browse(step)
        names, split = self.dataset.class_names, self.filters.split
        if not found:
            self.statusBar().showMessage(f"No {self.filters.describe(names)} in the {split} set", 4000)
            return
        self.statusBar().showMessage(f"{self.filters.describe(names)}: {found:,} in the {split} set", 3000)

    def go_to(self, index: int) -> None:
        self.model.go_to(index)

    def _set_filters(self, filters: Filters) -> None:
        if not self.model.set_filters(filters):
            self.statusBar().showMessage(f"No {filters.describe(self.dataset.class_names)} in the {filters.split} set",
                                         4000)

    def browse_cell(self, true_class: int, answer: int) -> None:
        """Browse the test examples of one confusion-matrix cell."""
        self._set_filters(Filters("test", cell=(true_class, answer)))

    def inspect_neuron(self, layer: int, k: int, switch: bool = True) -> None:
        """Select neuron ``k`` of ``layer``: highlight its edges and show what it listens to."""
        self.model.select_neuron((layer, k))
        if switch:
            self.bottom.setCurrentWidget(self.neuron_panel)

    def split_predictions(self, name: str | None = None) -> np.ndarray:
        return self.model.split_predictions(name)

    def _on_source_changed(self, source: str) -> None:
        if source == Source.DRAWING:
            self.model.set_drawing(self._drawn_input())
        self.model.set_source(Source(source))

    def _on_drawing_changed(self) -> None:
        self.model.set_drawing(self._drawn_input())

    def _drawn_input(self) -> np.ndarray | None:
        """The drawing as the network's input, or None while there is no digit to read."""
        rows, cols = self.dataset.image_shape
        image = preprocess(self.input_panel.drawing_ink(), size=max(rows, cols), box=round(max(rows, cols) * 20 / 28))
        if image is None or image.shape != (rows, cols):
            return None
        return image.reshape(-1).astype(self.network.dtype)

    # -- views follow the model -------------------------------------------------------------------------

    def _on_network(self, network: Network) -> None:
        self._recent_params.clear()  # the landscape's path belongs to the network it led to
        self.plots.clear()
        self.controls.set_architecture(network.sizes[1:-1], network.activation.name, network.cost.name)
        self.input_panel.set_classes(self.dataset.class_names)
        self._show_weights()

    def _on_dataset(self, dataset: Dataset) -> None:
        self.input_panel.set_classes(dataset.class_names)

    def _on_params(self, network: Network) -> None:
        """Parameters changed: activations follow at once, the weights' pictures when due."""
        if self.stepping:  # the view belongs to the stepper until it is done
            self._weights_stale = True
            return
        if self._due(Redraw.EDGES):
            self._show_weights()
        else:
            self._weights_stale = True
        if self._due(Redraw.ACTIVATIONS):
            start = time.perf_counter()
            self._on_example(self.model.example)
            if self._plan is not None:  # a new example or network costs more than a snapshot does
                # the neurons repaint later, in the event loop: their last repaint stands for this one
                self.pacer.measured(Redraw.ACTIVATIONS, time.perf_counter() - start
                                    + self.network_view.neurons.last_paint_seconds)

    def _show_weights(self) -> None:
        """The views that show weights: the edges, the first-layer pictures, the neuron panel."""
        start = time.perf_counter()
        network = self.network
        self.network_view.show_network(network, self.dataset.image_shape, self.dataset.class_names)
        if self.bottom.currentWidget() is self.weight_images or not self.weight_images.items:
            self.weight_images.show_weights(network.weights[0], self.dataset.image_shape)
        if self.bottom.currentWidget() is self.confusion and self.model.mode == TrainingMode.IDLE:
            self.update_confusion()
        self._weights_stale = False
        self._frame_had_edges = True
        self._show_neuron()
        # Paced by what it costs while training (the picture's slices are added when it is done);
        # a new network's layout or a stopped run's confusion matrix is no training redraw.
        self._weights_seconds = time.perf_counter() - start if self._plan is not None else 0.0

    def _on_example(self, example: Example) -> None:
        if self.stepping:
            return
        self.input_panel.show_source(example.source == Source.DRAWING)
        reading = self.model.reading()
        output = reading.forward.output[0]
        names = self.dataset.class_names
        if example.source == Source.DRAWING:
            self.network_view.show_forward(reading.forward, reading.answer, None)
            self.input_panel.show_drawing_answer(None if reading.answer is None else names[reading.answer],
                                                 self.model.confidence(output))
        else:
            split = self.dataset.split(example.split)
            where = f"{example.split} example {example.index + 1:,} of {len(split):,}"
            if self.filters.cell is not None:
                where += f" · {self.filters.describe(names)}"
            self.network_view.show_forward(reading.forward, reading.answer, reading.label)
            self.input_panel.show_example(split.image(example.index), names[reading.label], names[reading.answer],
                                          self.model.confidence(output), reading.correct, where, example.index,
                                          len(split))
        if self.model.mode == TrainingMode.IDLE:  # while training, it follows the weights' redraws
            self._show_neuron()

    def show_example(self) -> None:
        """Redraw the example on show (it follows the model by itself; this is for callers that
        changed something the model cannot see)."""
        self._on_example(self.model.example)

    def _on_filters(self, filters: Filters) -> None:
        self.input_panel.show_filters(filters)

    def _on_neuron(self, selected: tuple[int, int] | None) -> None:
        self.network_view.select_neuron(selected)
        self._show_neuron()

    def _show_neuron(self) -> None:
        if self.model.selected_neuron is None:
            return
        layer, k = self.model.selected_neuron
        incoming = self.network.weights[layer - 1][k]
        text = self.network_view.describe_neuron(layer, k)
        if layer == 1:
            text += "<br><br>Its 784 incoming weights as a picture: blue pixels push it on, red ones off. " \
                    "This is what it looks for."
        else:
            text += f"<br><br>Its {len(incoming)} incoming weights, one bar per neuron of the layer before."
        self.neuron_panel.show_neuron(text + "<br><i>Click empty space in the network to show all edges again.</i>",
                                      incoming, self.dataset.image_shape if layer == 1 else None)
        self._show_neuron_history()

    def _on_file(self, title: str) -> None:
        self.setWindowTitle(title)
        self.setWindowModified(self.model.dirty)

    def _on_mode(self, mode: TrainingMode) -> None:
        self.controls.set_running(mode != TrainingMode.IDLE)

    def _on_progress(self, progress) -> None:
        # A styled progress bar costs the GUI thread a little each time: not every snapshot.
        if progress is not None and not self._due(Redraw.READOUT):
            return
        start = time.perf_counter()
        self.controls.show_progress(*self.model.progress_text())
        self.controls.show_readout(self.model.readout())
        self._update_timeline()
        if self._plan is not None:
            self.pacer.measured(Redraw.READOUT, time.perf_counter() - start)

    def _on_epoch(self, epoch: int) -> None:
        self._on_progress(self.model.progress)

    def update_confusion(self) -> None:
        split = self.dataset.test
        matrix = confusion_matrix(split.labels, self.split_predictions("test"), self.dataset.n_classes)
        self.confusion.show_matrix(matrix, self.dataset.class_names)

    def _on_bottom_tab(self, index: int) -> None:
        widget = self.bottom.widget(index)
        if widget is self.confusion and self.model.mode == TrainingMode.IDLE:
            self.update_confusion()
        elif widget is self.weight_images:
            self.weight_images.show_weights(self.network.weights[0], self.dataset.image_shape)
        elif widget is self.neuron_tab:
            self._show_neuron_history()
            self._show_weights_editor()
        elif widget is self.landscape:
            self._update_landscape()

    def _update_landscape(self) -> None:
        """The cost around the network on a fixed training sample, with the last snapshots' path."""
        sample = np.arange(min(1000, len(self.dataset.train)))
        self.landscape.show_landscape(self.network, self.dataset.train.inputs(sample, self.network.dtype),
                                      self.dataset.train.labels[sample], list(self._recent_params),
                                      self.model.options.learning_rate)
