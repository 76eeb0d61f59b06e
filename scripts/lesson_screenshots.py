"""The stepper's lesson views for README, from the real app, offscreen: python scripts/lesson_screenshots.py [OUT]

docs/step-chain.png      the chain in the output layer (∂C/∂a × σ′(z) = δ) on a "2"
docs/step-ask.png        Ask me first: a question before the reveal
docs/step-apply.png      the step page after Apply ×10: the example's cost falling, and the landscape
"""

from __future__ import annotations

import sys

from shots import application, fresh_window, out_folder, partly_trained, save, settle, wait  # first: it chooses offscreen Qt

from PySide6 import QtWidgets


def main() -> int:
    out = out_folder()
    _app = application()  # noqa: F841 - kept alive
    window = fresh_window(size=(1500, 950))
    partly_trained(window)  # still learning, so the nudges are big

    window.controls.learning_rate.setValue(0.5)
    window.model.go_to(1)  # a 2, as in the article
    window.lesson.start()
    stepper = window.stepper
    stepper.go(3)  # the chain in the output layer
    wait(0.2)
    save(window, out / "step-chain.png")
    stepper.ask_first.setChecked(True)
    stepper.go(2)
    wait(0.2)
    save(window, out / "step-ask.png")
    stepper.ask_first.setChecked(False)
    stepper.go(8)
    stepper.apply_repeatedly()
    settle(stepper.landscape)
    inner = stepper.findChild(QtWidgets.QScrollArea).widget()
    inner.grab().save(str(out / "step-apply.png"))
    stepper.undo()
    window.lesson.stop()
    window.model.set_dirty(False)
    window.close()
    print(f"wrote step-chain, step-ask and step-apply PNGs in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
