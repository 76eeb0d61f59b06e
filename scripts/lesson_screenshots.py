"""The stepper's lesson views for README, from the real app, offscreen: python scripts/lesson_screenshots.py [OUT]

docs/step-chain.png      the chain in the output layer (∂C/∂a × σ′(z) = δ) on a "2"
docs/step-ask.png        Ask me first: a question before the reveal
docs/step-apply.png      the step page after Apply ×10: the example's cost falling, and the landscape
docs/landscape.png       the Landscape tab after some training: the slice with the path of the last snapshots
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtCore, QtWidgets

from nnviz.app.main import make_window

DOCS = Path(__file__).resolve().parents[1] / "docs"


def wait(seconds: float) -> None:
    loop = QtCore.QEventLoop()
    QtCore.QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def settle(view) -> None:
    while view.busy():
        wait(0.1)
    wait(0.3)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS
    out.mkdir(parents=True, exist_ok=True)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    settings = QtCore.QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QtCore.QSettings.Format.IniFormat)
    window = make_window(settings=settings)
    window.resize(1500, 950)
    window.show()
    # A network that has seen 300 mini-batches: still learning, so the nudges are big.
    window.new_network()
    window._ensure_trainer()
    window.controller.step_batches(300)
    while window.controller.state != "idle" or not window.isWindowModified():
        wait(0.1)
    window.controller.shutdown()
    window.bottom.setCurrentWidget(window.landscape)
    settle(window.landscape)
    window.grab().save(str(out / "landscape.png"))
    window.bottom.setCurrentWidget(window.plots)

    window.controls.learning_rate.setValue(0.5)
    window.example_index = 1  # a 2, as in the article
    window.show_example()
    window.start_stepper()
    stepper = window.stepper
    stepper.go(3)  # the chain in the output layer
    wait(0.2)
    window.grab().save(str(out / "step-chain.png"))
    stepper.ask_first.setChecked(True)
    stepper.go(2)
    wait(0.2)
    window.grab().save(str(out / "step-ask.png"))
    stepper.ask_first.setChecked(False)
    stepper.go(8)
    stepper.apply_repeatedly()
    settle(stepper.landscape)
    inner = stepper.findChild(QtWidgets.QScrollArea).widget()
    inner.grab().save(str(out / "step-apply.png"))
    stepper.undo()
    window.stop_stepper()
    window.setWindowModified(False)
    window.close()
    print(f"wrote landscape, step-chain, step-ask and step-apply PNGs in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
