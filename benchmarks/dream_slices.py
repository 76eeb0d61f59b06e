"""How long the window's GUI thread is busy at a time while it finds what the network sees.

    python benchmarks/dream_slices.py [--repeats 3]

The window finds dreams and foolings a few steps per tick of a timer (``StepPlayer``), so that it
never stalls: each slice must stay well under a 16 ms frame. Prints, for each thing found on the
bundled network, in a shown window offscreen: the number of slices, their median and longest
duration, and the time until it was found (the Neuron tab's dead neurons of a ReLU network with
one too); then the one-off costs of opening Help > Edges and loops? (the dialog, its evidence
measured next) and of ``dead_neurons`` in one call (a sigmoid network, and a ReLU network with a
dead neuron: the whole training set), what the window does in slices. As the baseline from the same run:
one ``Network.backprop`` of one example, the work of one dream step.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6 import QtCore, QtWidgets

from nnviz.app.components.edges_and_loops import EdgesAndLoopsComponent
from nnviz.app.main import make_window
from nnviz.app.views import dreams as dream_views
from nnviz.core.evaluation import dead_neurons
from nnviz.core.network import Network

SLICES: list[float] = []
LOOKS: list[float] = []
_tick = dream_views.StepPlayer._on_tick
_look = EdgesAndLoopsComponent.look


def timed_tick(self) -> None:
    start = time.perf_counter()
    _tick(self)
    SLICES.append(time.perf_counter() - start)


def timed_look(self) -> None:
    start = time.perf_counter()
    _look(self)
    LOOKS.append(time.perf_counter() - start)


def until_found(window, app) -> float:
    """Seconds until nothing is being found any more."""
    start = time.perf_counter()
    app.processEvents()
    while window.finding():
        time.sleep(0.001)
        app.processEvents()
    return time.perf_counter() - start


def report(name: str, seconds: float) -> None:
    slices = [s * 1e3 for s in SLICES]
    print(f"{name}: {len(slices)} slices, median {statistics.median(slices):.2f} ms, longest {max(slices):.2f} ms; "
          f"found in {seconds:.2f} s")
    SLICES.clear()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    dream_views.StepPlayer._on_tick = timed_tick  # before the window makes its players: they connect this
    EdgesAndLoopsComponent.look = timed_look
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["nnviz"])
    settings = QtCore.QSettings(QtCore.QSettings.Format.IniFormat, QtCore.QSettings.Scope.UserScope, "nnviz-bench")
    window = make_window(settings=settings)
    window.resize(1280, 720)
    window.show()
    app.processEvents()
    model = window.model
    x = model.dataset.test.inputs(1, np.float64)[None]
    baseline = []
    for _ in range(50):
        start = time.perf_counter()
        model.shown.backprop(x, np.array([7]))
        baseline.append(time.perf_counter() - start)
    print(f"baseline: one Network.backprop of one example: median {statistics.median(baseline) * 1e3:.3f} ms")
    for repeat in range(args.repeats):
        model.seeing.forget()
        window.picture.inspect(2, repeat)
        window.neuron_panel.pages.setCurrentWidget(window.neuron_dream_page)
        report(f"the dream of hidden2:{repeat + 1} (200 steps, 4 a slice)", until_found(window, app))
        window.bottom.setCurrentWidget(window.seeing_tab)
        report("the ten output dreams side by side (a step of each a slice)", until_found(window, app))
        window.seeing_page.pages.setCurrentIndex(2)
        report("static read as each digit (a step of each a slice)", until_found(window, app))
        window.seeing_page.pages.setCurrentIndex(1)
        model.seeing.fool(7 if repeat % 2 == 0 else 3)
        report("the example on show fooled (10 steps a slice)", until_found(window, app))
        window.seeing_page.pages.setCurrentIndex(0)
        start = time.perf_counter()
        window.actions["edges_and_loops"].trigger()
        opened = time.perf_counter() - start
        found = until_found(window, app)
        report(f"the edges-and-loops page's 16 dreams (12 steps a slice; the dialog opened in {opened * 1e3:.0f} ms, "
               f"its evidence measured in {LOOKS[-1] * 1e3:.0f} ms)", found)
        window.edges_and_loops.dialog.close()
    train = model.dataset.train
    relu = Network((784, 16, 16, 10), "relu", seed=1)
    relu.biases[0][3] = -100.0
    sigmoid = model.shown.copy()
    model.set_network(relu.copy())
    window.picture.inspect(1, 3)
    window.bottom.setCurrentWidget(window.neuron_panel)
    window.neuron_panel.pages.setCurrentIndex(0)
    report("the dead neurons of a ReLU network with one (40 passes of 64 training images a slice)", until_found(window, app))
    for name, network in (("sigmoid (stops after the first pass)", sigmoid), ("ReLU with a dead neuron", relu)):
        for chunk in (64, 2000):
            times = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                dead_neurons(network, train, chunk)
                times.append(time.perf_counter() - start)
            print(f"dead_neurons over the 50,000 training images, {name}, passes of {chunk}: "
                  f"median {statistics.median(times) * 1e3:.0f} ms")
    model.set_dirty(False)
    window.close()


if __name__ == "__main__":
    main()
