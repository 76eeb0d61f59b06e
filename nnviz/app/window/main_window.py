"""The window: the views, laid out, and the components that tie each of them to the model.

The state lives in ``WindowModel`` (nnviz/model, no Qt). The window builds the views (widgets
that show plain values and emit what a person asked for) and one component per job
(nnviz/app/components), each given exactly the model, views and services it works with. Nothing
here draws or decides; see docs/architecture.md.
"""

from __future__ import annotations

import functools

from PySide6 import QtCore, QtGui, QtWidgets

from ...model import WindowModel
from ...model.options import SPEEDS
from ..components.compare import CompareComponent
from ..components.dreams import NeuronDreamComponent
from ..components.seeing import SeeingComponent
from ..components.edges_and_loops import EdgesAndLoopsComponent
from ..components.edits import EditsComponent
from ..components.examples import ExampleComponent
from ..components.export import ExportComponent
from ..components.files import FilesComponent
from ..components.inspect import NeuronComponent, WeightsComponent
from ..components.mistakes import MistakesComponent
from ..components.picture import NetworkPicture
from ..components.race import RaceComponent
from ..components.record import RecordComponent
from ..components.step import StepComponent
from ..components.stepper import StepperComponent
from ..components.training import TrainingComponent
from ..components.valley import ValleyComponent
from ..shell import help, theme
from ..shell.help import HelpComponent
from ..shell.interrupt import say
from ..shell.actions import Actions
from ..shell.dialogs import Dialogs
from ..shell.settings import Remembered
from ..shell.status import Status
from ..shell.wheel import scroll_before_values
from ..training.controller import TrainingController
from ..training.jobs import ComputeJobs
from ..views.compare_view import CompareView
from ..views.confusion import ConfusionPanel
from ..views.controls import ControlsPanel
from ..views.dreams import NeuronDreamView
from ..views.edits_panel import EditsPanel, NeuronWeightsEditor
from ..views.input_panel import InputPanel
from ..views.inspect import NeuronPanel, WeightImages
from ..views.later import Later, later_view
from ..views.network.network_view import NetworkView
from ..views.neuron_history import NeuronHistory
from ..views.plots import PlotsPanel
from ..views.seeing import SeeingPage
from ..views.step_strip import StepStrip
from ..views.stepper import StepperPanel
from ..views.timeline import Timeline
from ..views.toolbar import Readout, RunToolbar
from ..views.valley_tab import ValleyPanel, ValleyTab
from . import frame
from .redraws import Redraws

#: Windows closed but not yet deleted by Qt (closing posts the deletion), by id: a window its
#: owner dropped could otherwise be freed by the cyclic collector first, which empties its views'
#: Python halves while Qt still owns them, then has Qt take them apart (a segfault, or pyqtgraph's
#: items asked their sizes without their attributes). Each leaves as Qt destroys it.
_CLOSING: dict[int, "MainWindow"] = {}

#: The bottom tabs, in order: (attribute of the view, the tab's name).
TABS = (("plots", "Training"), ("weight_images_page", "Hidden layer 1 weights"), ("neuron_panel", "Neuron"),
        ("seeing_tab", "What the network sees"), ("confusion_page", "Mistakes"), ("valley_tab", "Cost valley"),
        ("edits_panel", "Edits"))


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, model: WindowModel, remembered: Remembered, controller: TrainingController | None = None):
        super().__init__()
        self.model = model
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAcceptDrops(True)
        self.setStyleSheet(theme.STYLE_SHEET)
        self.setWindowIcon(help.window_icon())
        self.actions = Actions(self)
        self.dialogs = Dialogs(self)
        self.status = Status(self.statusBar())
        self.redraws = Redraws(parent=self)
        self.controller = controller or TrainingController(self)
        self.jobs = ComputeJobs(self)
        self._finished = False
        self._build_views()
        self.menus = self.actions.build_menus(self.menuBar())
        frame.arrange(self)
        self._build_components(remembered)
        frame.restore(self, remembered)

    # -- the views ---------------------------------------------------------------------------------

    def _build_views(self) -> None:
        self.network_view = NetworkView()
        self.timeline = Timeline()
        self.input_panel = InputPanel()
        self.controls = ControlsPanel()
        self.toolbar = RunToolbar(self.actions, SPEEDS)
        self.readout = Readout()
        self.plots = PlotsPanel()
        self.weight_images_page = Later(WeightImages)
        self.neuron_history_page = Later(NeuronHistory)
        self.weights_editor = NeuronWeightsEditor()
        self.neuron_dream_page = Later(NeuronDreamView)
        self.neuron_panel = NeuronPanel(self.neuron_history_page, self.weights_editor, self.neuron_dream_page)
        self.seeing_tab = Later(SeeingPage)
        self.confusion_page = Later(ConfusionPanel)
        self.valley_panel = ValleyPanel()
        # the network's place: the network (and a second run's), or the valley when it takes it
        self.stage = QtWidgets.QStackedWidget()
        self.valley_tab = ValleyTab(self.valley_panel, self.stage)
        self.edits_panel = EditsPanel()
        self.step_strip = StepStrip()
        self.compare_view = CompareView()
        self.compare_view.hide()
        self.stepper_dock = QtWidgets.QDockWidget("Backpropagation, step by step", self)
        self.stepper_dock.setObjectName("stepper")
        self.stepper_dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea, self.stepper_dock)
        self.stepper_dock.hide()

        self.bottom = QtWidgets.QTabWidget()
        for name, title in TABS:
            self.bottom.addTab(getattr(self, name), title)
        left = QtWidgets.QWidget()
        left_layout = QtWidgets.QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.input_panel)
        left_layout.addWidget(self.controls)
        self.left = QtWidgets.QScrollArea()
        self.left.setWidget(left)
        self.left.setWidgetResizable(True)
        self.left.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll_before_values(self.left)
        network_area = QtWidgets.QWidget()
        network_layout = QtWidgets.QVBoxLayout(network_area)
        network_layout.setContentsMargins(0, 0, 0, 0)
        network_layout.setSpacing(2)
        # the network, and a second run's beside it when comparing
        self.network_row = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        self.network_row.addWidget(self.network_view)
        self.network_row.addWidget(self.compare_view)
        self.network_row.setStretchFactor(0, 2)
        self.network_row.setStretchFactor(1, 1)
        self.stage.addWidget(self.network_row)
        network_layout.addWidget(self.stage, 1)
        network_layout.addWidget(self.step_strip)
        network_layout.addWidget(self.timeline)
        self.centre = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        self.centre.addWidget(network_area)
        self.centre.addWidget(self.bottom)
        self.centre.setStretchFactor(0, 3)
        self.centre.setStretchFactor(1, 1)
        self.splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.centre)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)

    # -- the components ----------------------------------------------------------------------------

    def _build_components(self, remembered: Remembered) -> None:
        model, actions, dialogs, status, redraws = self.model, self.actions, self.dialogs, self.status, self.redraws
        self.remembered = remembered
        self.files = FilesComponent(model, self, remembered, actions, dialogs, status, self.controller)
        self.training = TrainingComponent(model, self.controls, self.toolbar, self.readout, self.controller, redraws,
                                          actions, dialogs, status, self)
        # Before the views drawn here: handlers run in the order components follow the model, and
        # the test set's answers come from the compute process, which starts on them meanwhile.
        self.mistakes = MistakesComponent(model, self.confusion_page, redraws, self.jobs, self)
        self.examples = ExampleComponent(model, self.input_panel, actions, status, redraws, self)
        self.picture = NetworkPicture(model, self.network_view, redraws, actions, self.show_neuron_tab, self)
        self.step = StepComponent(model, self.step_strip, redraws, self)
        self.record = RecordComponent(model, self.timeline, self.plots, redraws, actions, status, self)
        self.weights = WeightsComponent(model, self.weight_images_page, redraws, self)
        self.neuron = NeuronComponent(model, self.neuron_panel, redraws, status, self)
        self.neuron_dreams = NeuronDreamComponent(model, self.neuron_dream_page, redraws, self)
        self.seeing = SeeingComponent(model, self.seeing_tab, redraws, self)
        self.edges_and_loops = EdgesAndLoopsComponent(model, actions, self)
        self.valley = ValleyComponent(model, self.valley_panel, self.valley_tab, self.jobs, actions, status, self)
        self.race = RaceComponent(model, self.valley_panel, self.jobs, status, self)
        self.edits = EditsComponent(model, self.edits_panel, actions, status, self)
        self.lesson = StepperComponent(model, StepperPanel, self.stepper_dock, self.left, self.network_view, actions,
                                       dialogs, status, self)
        self.compare = CompareComponent(model, self.compare_view, redraws, actions, dialogs, self.files.folder, self)
        self.export = ExportComponent(model, self.network_view, self.plots, actions, dialogs, status,
                                      self.files.folder, self)
        self.help = HelpComponent(actions, self)
        self._components = (self.files, self.training, self.examples, self.picture, self.step, self.record, self.weights,
                            self.neuron, self.neuron_dreams, self.seeing, self.edges_and_loops, self.mistakes,
                            self.valley, self.race, self.edits, self.lesson, self.compare, self.export)
        actions.serve("quit", self.close)
        self._follow_title()
        model.events.file.connect(self._follow_title)
        model.events.dataset.connect(self._follow_title)

    def _follow_title(self, cause=None) -> None:
        self.setWindowTitle(self.model.title)
        self.setWindowModified(self.model.dirty)

    def finding(self) -> bool:
        """Whether what the network sees or which neurons are dead are being found in slices, or the
        test set's answers for the Mistakes tab in the compute process (tests and screenshots wait
        for it)."""
        return (self.neuron.busy() or self.neuron_dreams.busy() or self.seeing.busy() or self.edges_and_loops.busy()
                or self.mistakes.busy())

    @property
    def stepper(self) -> StepperPanel:
        """The backpropagation stepper's panel (made when a lesson first opens, or now)."""
        return self.lesson.panel()

    # The views of tabs made when first shown (``views/later.Later``), made now if asked for.
    weight_images = later_view("weight_images_page", "The hidden layer 1 weights tab's view.")
    neuron_history = later_view("neuron_history_page", 'The Neuron tab\'s page "Through the run".')
    neuron_dream = later_view("neuron_dream_page", 'The Neuron tab\'s page "What excites it".')
    seeing_page = later_view("seeing_tab", 'The tab "What the network sees".')
    confusion = later_view("confusion_page", "The Mistakes tab's view.")

    def finish_finding(self) -> None:
        """Find at once what is being found in slices (not the Mistakes tab's answers: those come
        from the compute process). For a result wanted now: a test's, a picture's."""
        for component in (self.neuron, self.neuron_dreams, self.seeing, self.edges_and_loops):
            component.finish()

    def show_neuron_tab(self) -> None:
        """A click on a neuron: its tab comes to the front."""
        self.bottom.setCurrentWidget(self.neuron_panel)

    def reveal_fold(self, opened: bool) -> None:
        """"Momentum, new network" opened by a click on a small screen: scroll it into view."""
        if opened:
            QtCore.QTimer.singleShot(0, self, self._scroll_to_new_button)  # not after the window is gone

    def _scroll_to_new_button(self) -> None:
        self.left.ensureWidgetVisible(self.controls.new_button)

    def interrupted(self, signum: int) -> None:
        """Ctrl+C or SIGTERM (shell/interrupt.py): stop training (its last snapshot carries the
        trainer's state, so a rescued run resumes exactly), keep a changed network in the rescue
        folder, end the training process and quit with 128 + ``signum``."""
        self.training.stop_and_wait()
        say(self.files.rescue())
        self._finished = True
        self._leave()
        QtWidgets.QApplication.instance().exit(128 + signum)

    def _leave(self) -> None:
        """What closing does once it is decided: the training process ends, the window remembers
        its place and settings, and the components let go of the model."""
        self.controller.close()
        self.jobs.close()
        frame.remember(self, self.remembered, self.model)
        for component in self._components:
            component.detach()
        self.model.events.file.disconnect(self._follow_title)
        self.model.events.dataset.disconnect(self._follow_title)
        # Views still emit as Qt takes them apart (a tab widget's current page changes as its pages
        # go, its slots half gone: "Slot 'InputPanel::' not found"); nothing they say now is a
        # person's, and the model may be another window's too.
        for widget in self.findChildren(QtWidgets.QWidget):
            widget.blockSignals(True)
        _CLOSING[id(self)] = self
        self.destroyed.connect(functools.partial(_CLOSING.pop, id(self), None))

    # -- events ---------------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if self.files.droppable(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        path = self.files.droppable(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.files.open_network(path)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self._finished:
            event.accept()
            return
        if not self.files.confirm_discard():
            event.ignore()
            return
        self._finished = True
        self._leave()
        event.accept()
