"""How long the window takes, from an edit to every view updated, on the pretrained network.

    python benchmarks/window_edit_speed.py [--repeats 9]

Prints medians in milliseconds (goal: <= 100 ms for an edit, the issue's "at once") of one edit
through the window (switch a neuron off, then undo it: each recomputes the what-if, the answer,
the outputs, the accuracies and the confusion matrix, and redraws the network), and of one
test-set accuracy alone, measured in the same run as the baseline the edit is a ratio of.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6 import QtCore, QtWidgets

from nnviz.app.main import make_window
from nnviz.core.edits import SwitchOff
from nnviz.core.evaluation import accuracy


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["nnviz"])
    settings = QtCore.QSettings(QtCore.QSettings.Format.IniFormat, QtCore.QSettings.Scope.UserScope, "nnviz-bench")
    window = make_window(settings=settings)
    window.resize(1280, 720)
    window.show()
    window.bottom.setCurrentWidget(window.confusion_page)  # the confusion matrix follows each edit too
    app.processEvents()
    edit, undo, baseline = [], [], []
    for i in range(args.repeats):
        start = time.perf_counter()
        window.edits.add_edit(SwitchOff(1, i % 16))
        app.processEvents()
        edit.append(time.perf_counter() - start)
        start = time.perf_counter()
        window.edits_panel.undo()
        app.processEvents()
        undo.append(time.perf_counter() - start)
        start = time.perf_counter()
        accuracy(window.model.shown, window.model.dataset.test)
        baseline.append(time.perf_counter() - start)
    ms = {name: float(np.median(times)) * 1e3 for name, times in (("edit", edit), ("undo", undo), ("accuracy", baseline))}
    for name, value in ms.items():
        print(f"{name:>9}: {value:7.1f} ms  ({value / ms['accuracy']:.1f}x one test-set accuracy)")
    window.model.set_dirty(False)
    window.close()


if __name__ == "__main__":
    main()
