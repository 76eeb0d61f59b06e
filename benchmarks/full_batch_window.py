"""Full-batch gradient descent from the window: does Train work with a mini-batch as large as the
whole training set (the controls allow 60,000), and does the window stay responsive meanwhile?

    python -m benchmarks.full_batch_window [--epochs 3]

Prints, offscreen at the first launch's size on a 1280x720 screen (1152x648), with the Cost
valley tab on show: the seconds the epochs took (one step each), the lateness of a 10 ms QTimer
while they ran (p50, p99, max) against the same timer with the window idle, and how long after
training stopped the run's valley was drawn (the compute process's work, waited for by the window).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6 import QtCore, QtWidgets

from nnviz.app.main import make_window


class Lateness:
    """How late each tick of a 10 ms timer comes, in milliseconds."""

    def __init__(self):
        self.late: list[float] = []
        self._last = time.perf_counter()
        self.timer = QtCore.QTimer()
        self.timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.late.append((now - self._last) * 1e3 - 10)
        self._last = now

    def measure(self, app, until, seconds: float) -> np.ndarray:
        self.late, self._last = [], time.perf_counter()
        self.timer.start()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline and not until():
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)
        self.timer.stop()
        return np.array(self.late[1:] or [0.0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    settings = QtCore.QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QtCore.QSettings.Format.IniFormat)
    window = make_window(settings=settings)
    window.resize(1152, 648)
    window.show()
    model = window.model
    window.files.new_network()
    window.controls.batch_size.setValue(60_000)
    window.controls.epochs.setValue(args.epochs)
    window.bottom.setCurrentWidget(window.valley_tab)
    lateness = Lateness()
    idle = lateness.measure(app, lambda: False, 2.0)
    start = time.perf_counter()
    window.toolbar.run_button.click()
    busy = lateness.measure(app, lambda: model.mode == "idle" and model.epochs_done >= args.epochs, 600)
    trained = time.perf_counter() - start
    stopped = time.perf_counter()
    lateness.measure(app, lambda: model.valley is not None and model.valley.complete and model.valley_current(), 120)
    drawn = time.perf_counter() - stopped
    print(f"mini-batch {model.options.batch_size:,} (the training set: {len(model.dataset.train):,}): "
          f"{model.epochs_done} epochs, {len(model.history)} checkpoints, in {trained:.1f} s; {model.readout()}")
    for name, late in (("idle", idle), ("training full-batch", busy)):
        print(f"lateness of a 10 ms timer, {name:<19} p50 {np.percentile(late, 50):5.1f} ms   "
              f"p99 {np.percentile(late, 99):5.1f} ms   max {late.max():5.1f} ms   ({len(late)} ticks)")
    print(f"the run's valley drawn {drawn:.1f} s after training stopped")
    model.set_dirty(False)
    window.close()
    app.processEvents()


if __name__ == "__main__":
    main()
