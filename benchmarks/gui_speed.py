"""How fast the window draws, and how smooth it stays while training runs.

    python benchmarks/gui_speed.py [--seconds 6]

Prints, offscreen at 1600x900:
- the repaint time of the network view when only the activations change;
- the work of drawing new weights at the default view (strongest 25% of input edges) and with
  all 12,960 edges: in one block (how it was drawn before slicing), and sliced across turns of
  the event loop, in all and its longest slice (what the window can feel), as a ratio of the
  block measured in the same run;
- a move to new parameters with the same example (what a timeline does): from the call until the
  new picture is on screen;
- the lateness of a 10 ms QTimer (p50, p99, max) with the window idle and while training with
  the live view, which is what a person feels as smoothness;
- the longest single blocks of the GUI thread while training live: handling one snapshot, and
  one slice of edges;
- mini-batches per second with the live view, against headless training in the same process.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6 import QtCore, QtWidgets

from nnviz.app.main import make_window
from nnviz.core.data import load_dataset
from nnviz.core.network import Network
from nnviz.core.training import Trainer


def repaint_ms(view, change, repeats=15) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        change()
        view.viewport().repaint()
        times.append((time.perf_counter() - start) * 1e3)
    return float(np.median(times))


def redraw_ms(view, change, repeats=9) -> tuple[float, float, float]:
    """Median over ``repeats`` of: the whole edge drawing, its longest slice, and the wall time
    from ``change()`` until the new picture is on screen (the event loop runs in between)."""
    app = QtWidgets.QApplication.instance()
    totals, slices, walls = [], [], []
    for _ in range(repeats):
        done = []
        view.edges.redrawn.connect(lambda: done.append(time.perf_counter()))
        view.edges.longest_slice = 0.0
        start = time.perf_counter()
        change()
        while not done or view.edges.pending:
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        view.viewport().repaint()
        walls.append((time.perf_counter() - start) * 1e3)
        view.edges.redrawn.disconnect()
        totals.append(view.edges.last_seconds * 1e3)
        slices.append(view.edges.longest_slice * 1e3)
    return float(np.median(totals)), float(np.median(slices)), float(np.median(walls))


def run_event_loop(seconds: float) -> None:
    """Let Qt run as in the app (blocking until events come), for ``seconds``."""
    loop = QtCore.QEventLoop()
    QtCore.QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def lateness(app, seconds: float) -> np.ndarray:
    """How late each tick of a 10 ms timer fires, in ms."""
    late = []
    timer = QtCore.QTimer()
    timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
    expected = [time.perf_counter() + 0.01]

    def tick():
        now = time.perf_counter()
        late.append(max(0.0, (now - expected[0]) * 1e3))
        expected[0] = now + 0.01

    timer.timeout.connect(tick)
    timer.start(10)
    run_event_loop(seconds)
    timer.stop()
    return np.array(late)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="length of each lateness measurement")
    args = parser.parse_args()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    settings = QtCore.QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QtCore.QSettings.Format.IniFormat)
    window = make_window(settings=settings)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    view = window.network_view

    # the view alone at 1600x900
    view.setParent(None)
    view.resize(1600, 900)
    view.show()
    view.reset_zoom()
    app.processEvents()
    dataset, network = window.model.dataset, window.model.shown
    examples = [dataset.test.inputs(i) for i in range(20)]
    counter = iter(range(10**9))
    print("network view, 1600x900 offscreen, median of 15 repaints")
    print(f"  activations only           {repaint_ms(view, lambda: view.show_forward(network.forward(examples[next(counter) % 20]))):6.1f} ms   (target ≤ 5)")
    networks = [Network(seed=k) for k in range(2)]
    for fraction, name in ((0.25, "25% of edges"), (1.0, "all edges")):
        view.set_edge_fraction(fraction)
        total, piece, _ = redraw_ms(view, lambda: view.show_edge_values(networks[next(counter) % 2].weights))

        def in_one_block():
            view.show_edge_values(networks[next(counter) % 2].weights)
            view.finish_drawing()
        block = repaint_ms(view, in_one_block, repeats=9)
        print(f"  new weights, {name:<13} {block:6.1f} ms in one block (as before slicing); sliced {total:6.1f} ms in all, "
              f"longest slice {piece:4.1f} ms = {piece / block:.2f} of the block   (target: slice ≤ 16)")
    for fraction, name in ((0.25, "25% of edges"), (1.0, "all edges")):
        view.set_edge_fraction(fraction)

        def move():
            network = networks[next(counter) % 2]
            view.show_parameters(network, network.forward(examples[0]))
        _, _, wall = redraw_ms(view, move)
        block = repaint_ms(view, lambda: (move(), view.finish_drawing()), repeats=9)
        print(f"  new parameters, same example, {name:<13} {wall:6.1f} ms until on screen sliced, "
              f"{block:6.1f} ms in one block   (target ≤ 50)")
    view.set_edge_fraction(0.25)
    window.network_row.insertWidget(0, view)  # back where the window keeps it
    app.processEvents()

    idle = lateness(app, args.seconds)
    window.files.new_network()
    window.controls.epochs.setValue(1000)
    arrivals, handling = [], []
    # Timed from outside: everything the GUI thread does with what the training process sends
    # (reading, unpickling, adding to the record, the window's handlers), wrapped.
    controller = window.controller
    readable = type(controller)._on_readable

    def handle():
        start = time.perf_counter()
        readable(controller)
        handling.append(time.perf_counter() - start)
    controller._notifier_slot = handle  # connected when the process starts (its first Train)
    controller.progressed.connect(lambda s: arrivals.append((time.perf_counter(), s.batches_done)))
    view.edges.longest_slice = 0.0
    clicked = time.perf_counter()
    window.toolbar.run_button.click()
    busy = lateness(app, args.seconds)
    window.toolbar.run_button.click()
    (first, first_done), (last, last_done) = arrivals[0], arrivals[-1]
    live_rate = (last_done - first_done) / (last - first)
    window.controller.close()
    window.model.set_dirty(False)
    window.close()

    print("event-loop lateness of a 10 ms timer (window 1600x1000)")
    for name, late in (("idle", idle), ("training, live view", busy)):
        print(f"  {name:<20} p50 {np.percentile(late, 50):5.1f} ms   p99 {np.percentile(late, 99):5.1f} ms   "
              f"max {late.max():5.1f} ms   ({len(late)} ticks)")

    # Headless: the same training process, driven by a controller with no window to draw.
    headless_rate = process_rate(window.model.dataset, args.seconds)
    trainer = Trainer(Network(seed=0), load_dataset(), seed=0)
    start = time.perf_counter()
    trainer.run_batches(int(live_rate * args.seconds))
    in_process_rate = int(live_rate * args.seconds) / (time.perf_counter() - start)
    print(f"from Train to the first snapshot (the training process starting, the dataset sent) "
          f"{(first - clicked) * 1e3:5.0f} ms")
    print("longest single blocks of the GUI thread while training live")
    print(f"  one snapshot received and handled {max(handling) * 1e3:5.1f} ms (p99 {np.percentile(handling, 99) * 1e3:5.1f} ms)   "
          f"one slice of edges {view.edges.longest_slice * 1e3:5.1f} ms   (target ≤ 16)")
    pacer = getattr(window, "pacer", None)
    if pacer is not None:
        print("what the pacer measured while training live (running averages) and the least interval it keeps")
        print("  " + "   ".join(f"{kind.value} {pacer.costs.get(kind, 0.0) * 1e3:.1f} ms / {pacer.interval(kind):.2f} s"
                               for kind in pacer.paces))
    print("training throughput (mini-batches of 10), from the first snapshot to the last")
    print(f"  with the live view {live_rate:8.0f}/s   headless {headless_rate:8.0f}/s   "
          f"ratio {live_rate / headless_rate:.2f}   (target ≥ 0.85)")
    print(f"  (headless: the training process with no window; a Trainer in this process {in_process_rate:.0f}/s)")


def process_rate(dataset, seconds: float) -> float:
    """Mini-batches a second of the training process at full speed, its snapshots only counted."""
    from nnviz.app.training.controller import TrainingController
    from nnviz.core.training import TrainingOptions

    controller = TrainingController()
    arrivals = []
    controller.progressed.connect(lambda s: arrivals.append((time.perf_counter(), s.batches_done)))
    controller.attach(Network(seed=0), dataset, TrainingOptions(epochs=1000))
    controller.start(1000)
    run_event_loop(seconds)
    controller.close()
    (first, first_done), (last, last_done) = arrivals[0], arrivals[-1]
    return (last_done - first_done) / (last - first)


def checkpoint_move(repeats: int = 30) -> None:
    """One move of the timeline: every view that depends on the parameters redrawn, at 1600x900.

    A window showing a freshly recorded one-epoch run, the Mistakes tab open (the confusion matrix
    is recomputed for each checkpoint) and a first-layer neuron selected; each move goes to
    another checkpoint and repaints the whole window.
    """
    from nnviz.app.window.main_window import MainWindow

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    dataset = load_dataset()
    network = Network(seed=0)
    trainer = Trainer(network, dataset, seed=0)
    trainer.run_epoch()
    settings = QtCore.QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QtCore.QSettings.Format.IniFormat)
    window = MainWindow(dataset, network, None, {"epochs_trained": 1}, settings=settings, history=trainer.history)
    window.resize(1600, 900)
    window.show()
    window.picture.inspect(1, 3)
    window.bottom.setCurrentWidget(window.confusion)
    app.processEvents()
    stops = np.linspace(0, len(trainer.history) - 2, repeats).round().astype(int)
    # The baseline, in the same run: a repaint of the same window with nothing changed.
    baseline = []
    for _ in range(repeats):
        start = time.perf_counter()
        window.repaint()
        baseline.append((time.perf_counter() - start) * 1e3)
    times, updates = [], []
    for index in stops:
        start = time.perf_counter()
        window.model.move_to(int(index))
        updates.append((time.perf_counter() - start) * 1e3)
        window.repaint()
        times.append((time.perf_counter() - start) * 1e3)
    window.model.set_dirty(False)
    window.close()
    times = np.array(times)
    print("timeline, one checkpoint move, whole window 1600x900 (Mistakes tab open, a neuron selected)")
    print(f"  checkpoint move            median {np.median(times):5.1f} ms   max {times.max():5.1f} ms   "
          f"({repeats} moves; target ≤ 50)")
    print(f"    of which the views' updates  median {np.median(updates):5.1f} ms, the repaint the rest")
    print(f"  repaint, nothing changed   median {np.median(baseline):5.1f} ms   "
          f"(a move costs {np.median(times) / np.median(baseline):.1f}x that)")


if __name__ == "__main__":
    main()
    checkpoint_move()
