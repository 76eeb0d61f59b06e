"""Make README.md's screenshots from the real app, offscreen: python scripts/screenshots.py

docs/window.png    first launch: the bundled pretrained network reading a test digit
docs/training.png  a new network in the middle of its second epoch, plots filling in
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


def main() -> int:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    DOCS.mkdir(exist_ok=True)
    settings = QtCore.QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QtCore.QSettings.Format.IniFormat)
    window = make_window(settings=settings)
    window.resize(1600, 1000)
    window.show()
    window.example_index = 3  # a 0
    window.show_example()
    wait(0.5)
    window.grab().save(str(DOCS / "window.png"))

    window.new_network()
    window.controls.epochs.setValue(2)
    window.controls.run_button.click()
    while window.epochs_done < 1:
        wait(0.1)
    window.controls.speed.setValue(7)  # 50 mini-batches a second: watch it mid-epoch
    wait(2.0)
    window.grab().save(str(DOCS / "training.png"))
    window.controller.shutdown()
    window.setWindowModified(False)
    window.close()
    print(f"wrote {DOCS / 'window.png'} and {DOCS / 'training.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
