"""Nothing stale, as a class: after long random sequences of model operations, a window that went
through them shows exactly what a second window built from the final model alone shows — every
text, number, enabled state and plotted value of every tab."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtWidgets

from nnviz.app.shell.settings import Remembered
from nnviz.app.views.network.network_view import NetworkView
from nnviz.app.views.timeline import Scrubber
from nnviz.app.window.main_window import MainWindow
from nnviz.core.dreams import DreamSettings
from nnviz.core.edits import CutEdge, EditError, Prune, SetWeight, SwitchOff
from nnviz.core.network import Network
from nnviz.core.training import Trainer
from nnviz.core.worker import TrainingSnapshot
from nnviz.model.browsing import Filters

SEQUENCES = 6
OPERATIONS = 25


@pytest.fixture(scope="module")
def runs(mnist):
    """Two short runs' records (the same architecture), as opened files have them."""
    made = []
    for seed in (0, 1):
        network = Network(seed=seed)
        trainer = Trainer(network, mnist, seed=seed)
        trainer.run_batches(40)
        made.append((network, trainer.history))
    return made


class Operations:
    """What happens to a window's model, at random: every kind of change the window knows."""

    def __init__(self, window, runs, rng: np.random.Generator):
        self.window, self.model, self.runs, self.rng = window, window.model, runs, rng

    def snapshot(self):
        model = self.model
        if model.cursor is not None or model.lesson is not None:
            return
        params = model.network.params + self.rng.normal(0, 0.01, model.network.params.shape).astype(np.float32)
        history = model.history.copy()
        position = history.end + 0.01 if len(history) else 0.01
        history.record_cost(position, float(self.rng.uniform(0.05, 0.2)))
        history.record_checkpoint(position, params)
        batch = int(self.rng.integers(1, 5000))
        model.take_snapshot(TrainingSnapshot(params=params, epoch=1, batch=batch, batches_per_epoch=5000,
                                             batches_done=1, running_cost=0.1, learning_rate=1.0,
                                             batch_costs=np.zeros(1), history=history))

    def move(self):
        if self.model.lesson is None:
            self.model.move_to(int(self.rng.integers(0, self.model.stop_count())))

    def now(self):
        if self.model.lesson is None:
            self.model.move_to(None)

    def edit(self):
        if self.model.lesson is not None:
            return
        sizes = self.model.network.sizes
        choice = self.rng.integers(4)
        edit = (SwitchOff(1, int(self.rng.integers(sizes[1]))) if choice == 0 else
                CutEdge(2, int(self.rng.integers(sizes[2])), int(self.rng.integers(sizes[1]))) if choice == 1 else
                SetWeight(3, int(self.rng.integers(sizes[3])), None, float(self.rng.normal())) if choice == 2 else
                Prune(1, 30.0))
        try:
            self.model.add_edit(edit)
        except EditError:
            pass

    def undo(self):
        if self.model.lesson is None:
            self.model.undo()

    def redo(self):
        if self.model.lesson is None:
            self.model.redo()

    def reset(self):
        if self.model.lesson is None:
            self.model.reset_edits()

    def new_network(self):
        self.model.set_network(Network(seed=int(self.rng.integers(100))))

    def open(self):
        network, history = self.runs[int(self.rng.integers(2))]
        self.model.set_network(network.copy(), name="opened.npz", history=history.copy())

    def filters(self):
        digit = None if self.rng.random() < 0.3 else int(self.rng.integers(10))
        self.model.set_filters(Filters(str(self.rng.choice(["test", "validation"])), digit,
                                       bool(self.rng.random() < 0.3)))

    def confusion_cell(self):
        self.model.set_filters(Filters("test", cell=(int(self.rng.integers(10)), int(self.rng.integers(10)))))

    def browse(self):
        self.model.browse(int(self.rng.integers(-1, 2)))

    def select(self):
        sizes = self.model.network.sizes
        layer = int(self.rng.integers(1, len(sizes)))
        self.model.select_neuron(None if self.rng.random() < 0.2 else (layer, int(self.rng.integers(sizes[layer]))))

    def compare(self):
        if self.model.comparison is None:
            network, history = self.runs[int(self.rng.integers(2))]
            self.model.compare_with("other.npz", network, history)
            self.model.show_difference(bool(self.rng.random() < 0.5))
        else:
            self.model.close_comparison()

    def lesson(self):
        if self.model.lesson is None:
            if self.model.example.source == "dataset":
                self.window.lesson.start()
                lesson = self.model.lesson
                lesson.go(int(self.rng.integers(len(lesson.pages))))
        else:
            if self.rng.random() < 0.5 and self.model.lesson.can_apply:
                self.window.lesson.apply()
            self.window.lesson.stop()

    def options(self):
        self.model.set_edge_fraction(float(self.rng.choice([0.1, 0.25, 1.0])))
        self.model.set_speed(int(self.rng.integers(12)))
        self.model.set_slow_motion(bool(self.rng.random() < 0.5))

    def ablation(self):
        self.model.measure_ablation()

    def seeing(self):
        seeing, rng = self.model.seeing, self.rng
        settings = DreamSettings(steps=int(rng.choice([20, 200])), smoothness=float(rng.choice([0.0, 0.03])),
                                 start=str(rng.choice(["grey", "static"])), seed=int(rng.integers(3)))
        if rng.random() < 0.5:
            seeing.dream_outputs(settings)
        if rng.random() < 0.5:
            seeing.new_static()
        if rng.random() < 0.5:
            seeing.fool(int(rng.integers(10)), str(rng.choice(["example", "static"])))
        if rng.random() < 0.5:
            seeing.dream_neuron(settings, bool(rng.random() < 0.3))

    def valley(self):
        if self.rng.random() < 0.3:
            self.model.set_valley_in_front(not self.model.valley_in_front)
        else:
            self.model.choose_valley_plane(str(self.rng.choice(["run", "random", "local"])))

    def all(self):
        return [getattr(self, name) for name in ("snapshot", "move", "now", "edit", "undo", "redo", "reset",
                                                 "new_network", "open", "filters", "confusion_cell", "browse",
                                                 "select", "compare", "lesson", "options", "ablation", "seeing",
                                                 "valley")]


def shown_state(window) -> list:
    """What every widget of ``window`` shows, tab by tab (and page by page of a tab that has
    pages), in the order the widgets were made."""
    state = []
    for index in range(window.bottom.count()):
        window.bottom.setCurrentIndex(index)
        settle(window)
        state.append(("tab", index, _widgets(window)))
        for pages in window.bottom.widget(index).findChildren(QtWidgets.QTabWidget):
            for page in range(1, pages.count()):
                pages.setCurrentIndex(page)
                settle(window)
                state.append(("tab", (index, page), _widgets(window)))
            pages.setCurrentIndex(0)
    return state


def settle(window, timeout: float = 30.0) -> None:
    """Let the window finish what it computes or draws in turns of the event loop."""
    import time

    deadline = time.monotonic() + timeout
    QtWidgets.QApplication.processEvents()
    while (window.jobs.busy() or window.finding()) and time.monotonic() < deadline:
        window.finish_finding()  # what is found in slices: what it shows when found is compared
        time.sleep(0.002)  # the valley and the answers, in the compute process
        QtWidgets.QApplication.processEvents()
    window.network_view.finish_drawing()
    QtWidgets.QApplication.processEvents()


def _widgets(window) -> list:
    seen = []
    for widget in window.findChildren(QtWidgets.QWidget):
        if not widget.isVisibleTo(window):
            continue
        name = type(widget).__name__
        if isinstance(widget, QtWidgets.QLabel) and widget is not window.statusBar():
            seen.append((name, widget.text()))
        elif isinstance(widget, QtWidgets.QAbstractButton):
            seen.append((name, widget.text(), widget.isEnabled(), widget.isChecked()))
        elif isinstance(widget, (QtWidgets.QSpinBox, QtWidgets.QDoubleSpinBox)):
            seen.append((name, widget.value(), widget.isEnabled()))
        elif isinstance(widget, QtWidgets.QComboBox):
            seen.append((name, widget.currentText(), widget.count(), widget.isEnabled()))
        elif isinstance(widget, QtWidgets.QLineEdit) and not isinstance(widget.parent(), QtWidgets.QAbstractSpinBox):
            seen.append((name, widget.text()))
        elif isinstance(widget, QtWidgets.QProgressBar):
            seen.append((name, widget.value(), widget.maximum(), widget.toolTip()))
        elif isinstance(widget, QtWidgets.QSlider):
            seen.append((name, widget.value()))
        elif isinstance(widget, QtWidgets.QTableWidget):
            seen.append((name, [[widget.item(r, c).text() if widget.item(r, c) else None
                                 for c in range(widget.columnCount())] for r in range(widget.rowCount())]))
        elif isinstance(widget, QtWidgets.QListWidget):
            seen.append((name, [widget.item(i).text() for i in range(widget.count())]))
        elif isinstance(widget, Scrubber):
            seen.append((name, widget.positions.tolist(), widget.index, list(widget.rate_changes)))
        elif isinstance(widget, NetworkView):
            seen.append((name, _arrays(widget.edge_values), _arrays(widget.neurons._values if widget.neurons else None),
                         _arrays(widget.arrows), widget.neurons.selected if widget.neurons else None))
        elif isinstance(widget, pg.GraphicsView):
            for item in widget.scene().items():
                if isinstance(item, pg.PlotDataItem) and item.isVisible():
                    seen.append(("curve", _arrays([item.xData, item.yData])))
                elif isinstance(item, pg.ImageItem) and item.image is not None:
                    seen.append(("image", _arrays([item.image])))
                elif isinstance(item, pg.InfiniteLine):  # where a hidden line would be does not show
                    seen.append(("line", item.isVisible(), round(float(item.value()), 9) if item.isVisible() else None))
    return seen


def _arrays(arrays) -> list:
    if arrays is None:
        return []
    return [None if a is None else _comparable(np.asarray(a, np.float64).round(9)) for a in arrays]


def _comparable(values: np.ndarray) -> list:
    """``values`` as lists in which NaN (a break in a curve) equals NaN."""
    shown = values.astype(object)
    shown[np.isnan(values)] = "NaN"
    return shown.tolist()


def differences(first: list, second: list) -> list:
    found = []
    for (_, tab, a), (_, _, b) in zip(first, second):
        if len(a) != len(b):
            found.append((tab, f"{len(a)} widgets shown against {len(b)}"))
        for x, y in zip(a, b):
            if x != y:
                found.append((tab, str(x)[:300], str(y)[:300]))
    return found


@pytest.mark.parametrize("seed", range(SEQUENCES))
def test_a_window_after_any_sequence_shows_what_a_new_window_of_its_model_shows(window, settings, runs, seed, qtbot):
    operations = Operations(window, runs, np.random.default_rng(seed))
    everything = operations.all()
    done = []
    for _ in range(OPERATIONS):
        operation = everything[int(operations.rng.integers(len(everything)))]
        operation()
        done.append(operation.__name__)
        QtWidgets.QApplication.processEvents()
    if window.model.lesson is not None:
        window.lesson.stop()
    window.network_view.finish_drawing()
    second = MainWindow(window.model, Remembered(settings))
    try:
        second.resize(window.size())
        second.show()
        qtbot.waitExposed(second)
        QtWidgets.QApplication.processEvents()
        found = differences(shown_state(window), shown_state(second))
        assert found == [], f"after {done}: {found[:5]}"
    finally:
        second.model.set_dirty(False)
        second.close()
        window.model.set_dirty(False)
