"""How fast the window draws, and how smooth it stays while training runs.

    python -m benchmarks.gui_speed [--sizes 784,16,16,10] [--seconds 6] [--skip training,timeline]

For a network of ``--sizes`` (seeded, untrained), prints:
- the network view alone, offscreen at 1600x900: its repaint when only the activations change;
  the work of drawing new weights at the window's default edge setting and with every edge, in
  one block (how it was drawn before slicing) and sliced across turns of the event loop, in all
  and its longest slice (what the window can feel), as a ratio of the block measured in the same
  run; a move to new parameters with the same example (what a timeline move, Replay and a
  snapshot do to the view): from the call until the new picture is on screen;
- the window at 1600x1000, training live: the lateness of a 10 ms QTimer (p50, p99, max) idle
  and while training, which is what a person feels as smoothness; the longest single blocks of
  the GUI thread (one snapshot handled, one slice of edges, one turn of the event loop); what
  the pacer measured; mini-batches a second with the live view against the same training
  process driven by no window;
- the timeline: a move to another checkpoint of a one-epoch run in the window at 1600x900 (the
  Mistakes tab open and a first-layer neuron selected), until every view it changes is painted:
  the edges complete, and the answers for the test set, which the compute process computes
  meanwhile, shown; against a repaint of the whole window with nothing changed; when the
  network's picture alone was complete; and the longest block of the GUI thread the move causes.
  Jumps right after the run opens (answers not computed yet), a scrub, Replay, jumps once the
  tab has computed the run's answers ahead, and jumps with the tab hidden.

BLAS runs on one thread, as in the app (nnviz/cli sets it before NumPy loads). Wall times on a
machine shared with other work are inflated; the CPU times beside them are what this thread
spent, near what an idle machine takes.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import replace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from nnviz.cli import one_blas_thread_for_the_window  # noqa: E402 - before NumPy, as the app does

one_blas_thread_for_the_window()

import numpy as np  # noqa: E402
from PySide6 import QtCore, QtWidgets

from nnviz.app.main import make_window, started
from nnviz.app.shell.settings import Remembered
from nnviz.app.window.main_window import MainWindow
from nnviz.core.data import load_dataset
from nnviz.core.network import Network
from nnviz.core.training import Trainer
from nnviz.model import WindowModel
from nnviz.model.options import SPEEDS

VIEW_SIZE = (1600, 900)


def temporary_settings() -> QtCore.QSettings:
    return QtCore.QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QtCore.QSettings.Format.IniFormat)


def repaint_ms(view, change, repeats=15, cpu: list | None = None) -> float:
    """The median wall time of ``change()`` and a repaint, in ms; its CPU time appended to ``cpu``."""
    times, cpus = [], []
    for _ in range(repeats):
        start, thread = time.perf_counter(), time.thread_time()
        change()
        view.viewport().repaint()
        times.append((time.perf_counter() - start) * 1e3)
        cpus.append((time.thread_time() - thread) * 1e3)
    if cpu is not None:
        cpu.append(float(np.median(cpus)))
    return float(np.median(times))


def redraw_ms(view, change, repeats=9) -> tuple[float, float, float, float]:
    """Median over ``repeats`` of: the whole edge drawing, its longest slice, and the wall time
    from ``change()`` until the new picture is on screen (the event loop runs in between), and
    the CPU time of this thread over the same stretch (what it would be on an idle machine)."""
    app = QtWidgets.QApplication.instance()
    totals, slices, walls, cpus = [], [], [], []
    for _ in range(repeats):
        done = []

        def redrawn():
            done.append(time.perf_counter())
        view.edges.redrawn.connect(redrawn)
        view.edges.longest_slice = 0.0
        start, cpu = time.perf_counter(), time.thread_time()
        change()
        while not done or view.edges.pending:
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        view.viewport().repaint()
        walls.append((time.perf_counter() - start) * 1e3)
        cpus.append((time.thread_time() - cpu) * 1e3)
        view.edges.redrawn.disconnect(redrawn)  # only this one: the window's own measurement stays
        totals.append(view.edges.last_seconds * 1e3)
        slices.append(view.edges.longest_slice * 1e3)
    return float(np.median(totals)), float(np.median(slices)), float(np.median(walls)), float(np.median(cpus))


def run_event_loop(seconds: float) -> None:
    """Let Qt run as in the app (blocking until events come), for ``seconds``."""
    loop = QtCore.QEventLoop()
    QtCore.QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


class Ticks:
    """The gaps between the ticks of a precise ``interval_ms`` timer while it runs, in ms. A gap
    is at least one turn of the event loop: less the interval, it is how late a tick came; with a
    1 ms timer the longest gaps are the longest blocks of the GUI thread (to a millisecond)."""

    def __init__(self, interval_ms: int):
        self.interval_ms = interval_ms
        self.gaps: list[float] = []
        #: The CPU time of this thread within each gap, in ms: a long gap with little of it was
        #: the system's doing (the process waited for a core), not the window's work.
        self.cpu: list[float] = []
        self.timer = QtCore.QTimer()
        self.timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self._last = self._last_cpu = 0.0

    def start(self) -> None:
        self.gaps, self.cpu, self._last, self._last_cpu = [], [], time.perf_counter(), time.thread_time()
        self.timer.start(self.interval_ms)

    def stop(self) -> np.ndarray:
        self.timer.stop()
        return np.array(self.gaps or [0.0])

    def lateness(self) -> np.ndarray:
        """How late each tick came, in ms."""
        return np.maximum(self.stop() - self.interval_ms, 0.0)

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.gaps.append((now - self._last) * 1e3)
        self.cpu.append((cpu - self._last_cpu) * 1e3)
        self._last, self._last_cpu = now, cpu


def lateness(seconds: float) -> np.ndarray:
    """How late each tick of a 10 ms timer comes while the event loop runs for ``seconds``, in ms."""
    timer = Ticks(10)
    timer.start()
    run_event_loop(seconds)
    return timer.lateness()


def architecture_window(sizes: tuple[int, ...]) -> MainWindow:
    """The window nnviz opens, with a new network of ``sizes`` (seed 0) made by New network."""
    window = make_window(settings=temporary_settings())
    model = window.model
    model.set_architecture(replace(model.architecture, hidden=tuple(sizes[1:-1]), seed=0))
    window.files.new_network()
    if window.model.network.sizes != sizes:
        raise SystemExit(f"the window made {window.model.network.sizes}, not {sizes}")
    return window


def close(window: MainWindow) -> None:
    window.controller.close()
    window.model.set_dirty(False)
    window.close()


def view_figures(window: MainWindow, sizes: tuple[int, ...]) -> None:
    app = QtWidgets.QApplication.instance()
    view = window.network_view
    default = window.model.edge_fraction
    # the view alone at 1600x900
    row, place = view.parentWidget(), window.network_row.indexOf(view)
    view.setParent(None)
    view.resize(*VIEW_SIZE)
    view.show()
    app.processEvents()
    view.reset_zoom()
    app.processEvents()
    dataset = window.model.dataset
    networks = [Network(sizes, seed=k) for k in range(2)]
    examples = [dataset.test.inputs(i) for i in range(20)]
    counter = iter(range(10**9))
    forwards = [networks[0].forward(x) for x in examples]
    edges = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    print(f"network view {'-'.join(map(str, sizes))} ({edges:,} edges), {VIEW_SIZE[0]}x{VIEW_SIZE[1]} offscreen, medians")
    cpu = []
    wall = repaint_ms(view, lambda: view.show_forward(forwards[next(counter) % 20]), cpu=cpu)
    print(f"  activations only           {wall:6.1f} ms (CPU {cpu[0]:4.1f} ms)   (target ≤ 5)")
    settings = [(default, f"{default:.0%} of input edges (default)"), (1.0, "every edge")]
    if default == 1.0:
        settings = settings[1:]
    for fraction, name in settings:
        view.set_edge_fraction(fraction)
        total, piece, _, _ = redraw_ms(view, lambda: view.show_edge_values(networks[next(counter) % 2].weights))

        def in_one_block():
            view.show_edge_values(networks[next(counter) % 2].weights)
            view.finish_drawing()
        block = repaint_ms(view, in_one_block, repeats=9)
        thinning = getattr(view, "thinning", None)  # (none before issue #21)
        thinned = thinning.thinned([fraction] + [1.0] * (len(sizes) - 2)) if thinning else []
        print(f"  new weights, {name}: {view.last_bins.drawn:,} edges drawn"
              + (f" (layers {thinned} drawn thinned: {[f'{f:.0%}' for f in thinning.fractions]})" if thinned else ""))
        print(f"    {block:6.1f} ms in one block; sliced {total:6.1f} ms of work in all, longest slice {piece:4.1f} ms"
              f" = {piece / block:.2f} of the block   (target: slice ≤ 16)")

        def move():
            network = networks[next(counter) % 2]
            view.show_parameters(network, network.forward(examples[0]))
        _, _, wall, cpu = redraw_ms(view, move)
        block = repaint_ms(view, lambda: (move(), view.finish_drawing()), repeats=9)
        target = 50 if sizes == (784, 16, 16, 10) or fraction != 1.0 else None
        target = 100 if fraction == default and max(sizes[1:-1]) > 16 else target
        print(f"    new parameters, same example: {wall:6.1f} ms until on screen sliced (CPU {cpu:5.1f} ms), "
              f"{block:6.1f} ms in one block" + (f"   (target ≤ {target})" if target else ""))
    view.set_edge_fraction(default)
    row.insertWidget(place, view)  # back where the window keeps it
    app.processEvents()


def training_figures(window: MainWindow, sizes: tuple[int, ...], seconds: float) -> None:
    app = QtWidgets.QApplication.instance()
    window.resize(1600, 1000)
    app.processEvents()
    idle = lateness(seconds)
    model, view = window.model, window.network_view
    model.set_options(replace(model.options, epochs=1000))
    model.set_speed(len(SPEEDS) - 1)  # full speed: a person starts slower, throughput is measured flat out
    arrivals, handling = [], []
    # Timed from outside: everything the GUI thread does with what the training process sends
    # (reading, unpickling, adding to the record, the model's handlers), wrapped.
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
    window.toolbar.run_action.trigger()
    timer, blocks = Ticks(10), Ticks(1)
    timer.start()
    blocks.start()
    cpu, wall = time.thread_time(), time.perf_counter()
    run_event_loop(seconds)
    share = (time.thread_time() - cpu) / (time.perf_counter() - wall)
    busy, gaps = timer.lateness(), blocks.stop()
    window.toolbar.run_action.trigger()
    run_event_loop(0.3)  # the snapshot that says it stopped
    (first, first_done), (last, last_done) = arrivals[1], arrivals[-1]
    live_rate = (last_done - first_done) / (last - first)

    print(f"the window 1600x1000, training {'-'.join(map(str, sizes))} at full speed (mini-batches of "
          f"{model.options.batch_size})")
    print("  event-loop lateness of a 10 ms timer")
    for name, late in (("idle", idle), ("training, live view", busy)):
        print(f"    {name:<20} p50 {np.percentile(late, 50):5.1f} ms   p99 {np.percentile(late, 99):5.1f} ms   "
              f"max {late.max():5.1f} ms   ({len(late)} ticks)" + ("   (target p99 ≤ 16)" if name != "idle" else ""))
    headless_rate = process_rate(window.model.dataset, sizes, model.options.batch_size, seconds)
    print(f"  from Train to the first snapshot (the training process starting, the dataset sent) "
          f"{(arrivals[0][0] - clicked) * 1e3:5.0f} ms")
    print("  longest single blocks of the GUI thread while training live   (target ≤ 16)")
    print(f"    one snapshot received and handled {max(handling) * 1e3:5.1f} ms (p99 "
          f"{np.percentile(handling, 99) * 1e3:5.1f} ms)   one slice of edges {view.edges.longest_slice * 1e3:5.1f} ms")
    cpu = np.array(blocks.cpu or [0.0])
    print(f"    blocks over 16 ms (gaps in a 1 ms timer): {np.count_nonzero(gaps > 16)} in {seconds:g} s, the longest "
          f"{gaps.max():5.1f} ms; of them with over 16 ms of this thread's CPU (its own work, not a wait for a "
          f"core): {np.count_nonzero(cpu > 16)}, the most CPU in one gap {cpu.max():5.1f} ms")
    print(f"  the GUI thread's CPU while training live: {share:.0%} of a core (the trainer has a core of its own; "
          f"on a machine shared with other work this share is what the trainer can lose; the 1 ms timer's own "
          f"share is in it)")
    pacer = window.redraws.pacer
    print("  what the pacer measured (running averages), and the least interval it keeps")
    print("    " + "   ".join(f"{kind.value} {pacer.costs.get(kind, 0.0) * 1e3:.1f} ms / {pacer.interval(kind):.2f} s"
                               for kind in pacer.paces))
    print(f"  throughput: with the live view {live_rate:8.0f}/s   headless {headless_rate:8.0f}/s   "
          f"ratio {live_rate / headless_rate:.2f}   (target ≥ 0.85)")


def process_rate(dataset, sizes: tuple[int, ...], batch_size: int, seconds: float) -> float:
    """Mini-batches a second of the training process at full speed, driven by no window."""
    from nnviz.app.training.controller import TrainingController
    from nnviz.core.training import TrainingOptions

    controller = TrainingController()
    arrivals = []
    controller.progressed.connect(lambda s: arrivals.append((time.perf_counter(), s.batches_done)))
    controller.attach(Network(sizes, seed=0), dataset, TrainingOptions(epochs=1000, batch_size=batch_size))
    controller.start(1000)
    run_event_loop(seconds)
    controller.close()
    (first, first_done), (last, last_done) = arrivals[1], arrivals[-1]
    return (last_done - first_done) / (last - first)


def checkpoint_move(sizes: tuple[int, ...], repeats: int = 30) -> None:
    """One move of the timeline: every view that depends on the parameters redrawn, at 1600x900.

    A window showing a freshly recorded one-epoch run, the Mistakes tab open (the confusion matrix
    is recomputed for each checkpoint) and a first-layer neuron selected; each move goes to
    another checkpoint and ends when what it changed is painted, its edges complete.
    """
    app = QtWidgets.QApplication.instance()
    dataset = load_dataset()
    network = Network(sizes, seed=0)
    trainer = Trainer(network, dataset, seed=0)
    trainer.run_epoch()
    model = WindowModel(dataset, network, history=trainer.history)
    window = MainWindow(model, Remembered(temporary_settings()))
    window.resize(1600, 900)
    window.show()
    started()  # as the app does once its window is up
    window.picture.inspect(1, 3)
    window.bottom.setCurrentWidget(window.confusion_page)
    run_event_loop(0.5)
    # The baseline, in the same run: a repaint of the same window with nothing changed.
    baseline = []
    for _ in range(repeats):
        start = time.perf_counter()
        window.repaint()
        baseline.append((time.perf_counter() - start) * 1e3)
    last = len(trainer.history) - 2
    jumps = timed_moves(window, np.linspace(0, last, repeats).round().astype(int), pause=0.0)
    middle = last // 3
    scrub = timed_moves(window, range(middle, min(middle + 20, last)), pause=0.3)
    replay = timed_moves(window, range(middle + 20, min(middle + 40, last)), pause=0.1, paced=True)
    # The tab left open a few seconds, as a person looks at it: the whole run's answers computed ahead.
    waited = time.perf_counter()
    while len(model.answers.known_checkpoints("test")) < last + 1 and time.perf_counter() - waited < 60:
        run_event_loop(0.1)
    ready = time.perf_counter() - waited
    computed = timed_moves(window, np.linspace(last, 0, repeats).round().astype(int), pause=0.0)
    window.bottom.setCurrentIndex(0)  # the plots: no answers wanted
    run_event_loop(0.3)
    plain = timed_moves(window, np.linspace(last, 0, repeats).round().astype(int), pause=0.0)
    close(window)
    print(f"timeline of a one-epoch run of {'-'.join(map(str, sizes))} ({last + 2} checkpoints), one checkpoint "
          f"move, the whole window 1600x900 (Mistakes tab open, a neuron selected), until what it changed is painted")
    for name, moves in (("jumps across the run (answers not computed yet)", jumps),
                        ("a checkpoint at a time, 0.3 s apart (a scrub)", scrub),
                        ("a checkpoint at a time, at 10/s (Replay)", replay),
                        (f"jumps across the run, its answers computed ahead ({ready:.1f} s later)", computed),
                        ("jumps across the run, the Mistakes tab not shown", plain)):
        times, pictures, updates, blocks, cpus, block_cpus = (np.array(column) for column in zip(*moves))
        print(f"  {name}: median {np.median(times):5.1f} ms   max {times.max():5.1f} ms   ({len(times)} moves; "
              f"target ≤ 50); CPU median {np.median(cpus):5.1f} ms")
        print(f"    the network's picture complete after median {np.median(pictures):5.1f} ms; the model's handlers "
              f"median {np.median(updates):5.1f} ms; longest block of the GUI thread median {np.median(blocks):5.1f} ms, "
              f"max {blocks.max():5.1f} ms (target ≤ 16), the most CPU in one block {block_cpus.max():5.1f} ms")
    print(f"  repaint of the whole window, nothing changed: median {np.median(baseline):5.1f} ms")


def timed_moves(window: MainWindow, stops, pause: float, paced: bool = False) -> list[tuple[float, ...]]:
    """Moves of the timeline to each of ``stops`` in turn, ``pause`` seconds of the event loop
    after each (``paced``: between the starts of two moves, as Replay's timer does). Per move, in
    ms: until what it changed is painted, until the network's picture was complete, the model's
    handlers, the longest block of the GUI thread, the CPU time of this thread, and the most of it
    in one block (a block longer than its CPU time waited for a core: the compute process computing
    the Mistakes tab's answers beside it, or other work on the machine)."""
    app = QtWidgets.QApplication.instance()
    model, view = window.model, window.network_view
    moves = []

    def timed_turn() -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.thread_time()
        app.processEvents()
        return time.perf_counter() - wall, time.thread_time() - cpu
    for index in stops:
        start, cpu = time.perf_counter(), time.thread_time()
        model.move_to(int(index))
        handlers = (time.perf_counter() - start) * 1e3
        handlers_cpu = (time.thread_time() - cpu) * 1e3
        turns, picture = [], None
        # The Mistakes tab's answers come from the compute process: waiting for them only, the
        # GUI thread sleeps between turns (spinning, it would count as its work, and take a core).
        while view.edges.pending or window.finding():
            turns.append(timed_turn())
            if not view.edges.pending:
                picture = picture or time.perf_counter()
                if turns[-1][0] < 2e-4:
                    time.sleep(2e-4)
        # The last changes painted, as the event loop paints them: only what changed (a whole
        # repaint, the baseline, is more than a person waits for).
        turns.append(timed_turn())
        end = time.perf_counter()
        moves.append(((end - start) * 1e3, ((picture or end) - start) * 1e3, handlers,
                      max([handlers] + [t * 1e3 for t, _ in turns]), (time.thread_time() - cpu) * 1e3,
                      max([handlers_cpu] + [c * 1e3 for _, c in turns])))
        if pause:
            run_event_loop(max(0.0, pause - (end - start)) if paced else pause)
    return moves


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="784,16,16,10", help="the network's layer sizes, e.g. 784,128,64,10")
    parser.add_argument("--seconds", type=float, default=6.0, help="length of each lateness measurement")
    parser.add_argument("--skip", default="", help="parts to leave out: view, training, timeline (comma-separated)")
    args = parser.parse_args()
    sizes = tuple(int(n) for n in args.sizes.split(","))
    skip = set(filter(None, args.skip.split(",")))
    QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    window = architecture_window(sizes)
    window.resize(1600, 1000)
    window.show()
    started()  # as the app does once its window is up
    QtWidgets.QApplication.instance().processEvents()
    try:
        if "view" not in skip:
            view_figures(window, sizes)
        if "training" not in skip:
            training_figures(window, sizes, args.seconds)
    finally:
        close(window)
    if "timeline" not in skip:
        checkpoint_move(sizes)


if __name__ == "__main__":
    main()
