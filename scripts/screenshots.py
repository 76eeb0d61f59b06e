"""Make README.md's screenshots from the real app, offscreen: python scripts/screenshots.py [OUT]

docs/window.png    first launch: the bundled pretrained network reading a test digit
docs/training.png  a new network in the middle of its second epoch, plots filling in
docs/step-*.png    the backpropagation stepper on a "2", one picture per kind of step
docs/mistakes.png  browsing the test digits the pretrained network gets wrong, one neuron selected
docs/draw.png      a digit drawn with the mouse, read live, and the first layer's weights
docs/confusion.png the confusion matrix of the test set
docs/timeline.png  a recorded run scrubbed back to the middle of its first epoch, a neuron followed
docs/compare.png   two runs side by side: sigmoid against ReLU, the same seed, the same epoch
docs/edits.png     what-if at 1280x720: a layer pruned, a neuron switched off, the Edits tab measured
docs/slow-motion.png  one SGD step in slow motion at 1280x720: the batch, the edges by how much it changed them
docs/wide-network-1280x720.png  a new 784-256-256-10 at 1280x720, its crowded layers thinned and said so
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from shots import application, fresh_window, out_folder, partly_trained, save, wait  # first: it chooses offscreen Qt

from PySide6 import QtCore, QtGui, QtWidgets


def draw(canvas, points) -> None:
    """A mouse stroke, as a person draws it."""
    left, none = QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.MouseButton.NoButton
    for kind, point, button, buttons in ([(QtCore.QEvent.Type.MouseButtonPress, points[0], left, left)]
                                         + [(QtCore.QEvent.Type.MouseMove, p, none, left) for p in points[1:]]
                                         + [(QtCore.QEvent.Type.MouseButtonRelease, points[-1], left, none)]):
        position = QtCore.QPointF(*point) * (canvas.width() / 280)  # points drawn for a 280-pixel canvas
        QtWidgets.QApplication.sendEvent(canvas, QtGui.QMouseEvent(
            kind, position, canvas.mapToGlobal(position), button, buttons, QtCore.Qt.KeyboardModifier.NoModifier))


def main(out: Path) -> int:
    _app = application()  # noqa: F841 - kept alive
    window = fresh_window()
    window.model.go_to(3)  # a 0
    wait(0.5)
    save(window, out / "window.png")

    window.input_panel.only_mistakes.setChecked(True)
    window.examples.browse(+1)
    window.picture.inspect(1, 8)
    wait(0.3)
    save(window, out / "mistakes.png")
    window.network_view.select_neuron(None)
    window.input_panel.only_mistakes.setChecked(False)
    window.bottom.setCurrentWidget(window.confusion_page)
    wait(0.3)
    save(window, out / "confusion.png")
    window.input_panel.setCurrentIndex(1)
    draw(window.input_panel.canvas, [(200, 70), (140, 60), (90, 90), (100, 130), (160, 140), (200, 180), (170, 230), (80, 225)])
    window.bottom.setCurrentWidget(window.weight_images_page)
    wait(0.3)
    save(window, out / "draw.png")
    window.input_panel.canvas.clear()
    window.input_panel.setCurrentIndex(0)
    window.bottom.setCurrentWidget(window.plots)

    window.files.new_network()
    window.controls.epochs.setValue(2)
    window.toolbar.run_button.click()
    while window.model.epochs_done < 1:
        wait(0.1)
    window.toolbar.speed.setValue(7)  # 50 mini-batches a second: watch it mid-epoch
    wait(2.0)
    save(window, out / "training.png")
    window.controller.shutdown()

    # The stepper on a network that is still learning, so that the nudges are big.
    window.model.set_dirty(False)
    partly_trained(window)
    window.controls.learning_rate.setValue(0.5)
    window.model.go_to(1)  # a 2, as in the article
    window.resize(1500, 900)
    window.lesson.start()
    lesson = window.model.lesson
    names = {"forward": "forward", "cost": "cost", "step": "step", "batch": "batch"}
    taken = set()
    for index, step in enumerate(lesson.pages):
        name = names.get(step.kind) or (f"{step.kind}-layer{step.layer}" if step.layer else step.kind)
        if step.kind in ("wants", "edges") and step.layer == 2:
            continue  # the same picture as for layer 3 and layer 1
        lesson.go(index)
        wait(0.2)
        save(window, out / f"step-{name}.png")
        taken.add(name)
    window.lesson.stop()
    window.model.set_dirty(False)
    window.close()
    print(f"wrote window, training, mistakes, confusion, draw and step-{{{','.join(sorted(taken))}}} PNGs in {out}")
    return 0


def timeline_shots(out: Path) -> int:
    """Two short recorded runs (sigmoid and ReLU hidden layers, seed 0), one scrubbed, then compared."""
    from nnviz.core.data import load_dataset
    from nnviz.core.files import save_run
    from nnviz.core.network import Network
    from nnviz.core.training import Trainer, TrainingOptions

    _app = application()  # noqa: F841 - kept alive
    dataset = load_dataset()
    folder = Path(tempfile.mkdtemp())
    for activation, rate in (("sigmoid", 1.0), ("relu", 0.1)):
        network = Network(activation=activation, seed=0)
        trainer = Trainer.from_options(network, dataset, TrainingOptions(learning_rate=rate, halve_after=0))
        for _ in range(3):
            trainer.run_epoch()
        save_run(folder / f"{activation}-3-epochs.npz", network, trainer.history,
                 TrainingOptions(learning_rate=rate, halve_after=0), trainer.state(), epochs_trained=3)
    window = fresh_window(folder / "sigmoid-3-epochs.npz")
    window.model.go_to(8)  # a 5
    window.model.move_to_position(0.4)
    window.picture.inspect(1, 5)
    wait(0.5)
    save(window, out / "timeline.png")
    window.bottom.setCurrentWidget(window.plots)
    window.compare.compare_with(folder / "relu-3-epochs.npz")
    window.model.move_to_position(1.0)
    wait(0.5)
    save(window, out / "compare.png")
    window.close()
    print(f"wrote timeline and compare PNGs in {out}")
    return 0


def edits_shot(out: Path) -> int:
    """The pretrained network with two what-if edits, and "which neurons matter" measured."""
    from nnviz.core.edits import Prune, SwitchOff

    _app = application()  # noqa: F841 - kept alive
    window = fresh_window(size=(1280, 720))
    window.model.go_to(8)  # a 5
    window.edits.add_edit(Prune(3, 50.0))
    window.edits.add_edit(SwitchOff(1, 5))
    window.picture.inspect(1, 5)
    window.bottom.setCurrentWidget(window.edits_panel)
    window.edits.measure_ablation()
    wait(0.5)
    save(window, out / "edits.png")
    window.model.set_dirty(False)
    window.close()
    print(f"wrote the edits PNG in {out}")
    return 0


def slow_motion_shot(out: Path) -> int:
    """One SGD step in slow motion (M) on a network that has seen 300 mini-batches, at 1280x720."""
    _app = application()  # noqa: F841 - kept alive
    window = fresh_window(size=(1280, 720))
    partly_trained(window)
    window.model.set_slow_motion(True)
    window.model.go_to(0, "train")  # a training digit on show (the strip says whether the step holds it)
    window.training.step_batches(1)
    while window.model.step_detail is None:
        wait(0.1)
    window.controller.shutdown()
    wait(0.5)
    save(window, out / "slow-motion.png")
    window.model.set_dirty(False)
    window.close()
    print(f"wrote the slow-motion PNG in {out}")
    return 0


def wide_network_shot(out: Path) -> int:
    """A new 784-256-256-10 at 1280x720: its crowded layers drawn thinned, and the note that says so."""
    from dataclasses import replace

    _app = application()  # noqa: F841 - kept alive
    window = fresh_window(size=(1280, 720))
    model = window.model
    model.set_architecture(replace(model.architecture, hidden=(256, 256), seed=0))
    window.files.new_network()
    wait(0.5)
    save(window, out / "wide-network-1280x720.png")
    model.set_dirty(False)
    window.close()
    print(f"wrote the wide-network PNG in {out}")
    return 0


if __name__ == "__main__":
    out = out_folder()
    sys.exit(main(out) or timeline_shots(out) or edits_shot(out) or slow_motion_shot(out) or wide_network_shot(out))
