"""The window's compute process, as the window uses it (app/training/jobs.py): results equal the
core's own, the latest job of a kind wins, a process that dies is reported once and replaced, and
neither closing the window mid-job nor Ctrl+C in the terminal leaves a process behind."""

import gc
import os
import signal
import textwrap
import time
import weakref

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from nnviz.app.main import make_window
from nnviz.app.training.jobs import ComputeJobs, Kept
from nnviz.core import computations

from helpers import alive, ends_soon, interrupt_app

TIMEOUT = 60_000


@pytest.fixture
def jobs(qapp):
    made = ComputeJobs()
    yield made
    made.close()
    made.deleteLater()


class Heard:
    """What a channel said, in order: ("progressed" | "finished" | "failed", value)."""

    def __init__(self, channel):
        self.said = []
        channel.progressed.connect(self.progressed)
        channel.finished.connect(self.finished)
        channel.failed.connect(self.failed)

    def progressed(self, value):
        self.said.append(("progressed", value))

    def finished(self, value):
        self.said.append(("finished", value))

    def failed(self, line):
        self.said.append(("failed", line))

    def ended(self) -> bool:
        return bool(self.said) and self.said[-1][0] in ("finished", "failed")


def test_a_valley_from_the_process_equals_the_one_computed_here(jobs, short_run, qtbot):
    network, history, x, labels = short_run
    channel = jobs.channel("valley")
    heard = Heard(channel)
    channel.run("valley", network, "run", [("run", history)], x, labels, size=7, coarse=3)
    assert channel.busy
    qtbot.waitUntil(heard.ended, timeout=TIMEOUT)
    here = list(computations.valley(network, "run", [("run", history)], x, labels, size=7, coarse=3))[-1]
    kind, there = heard.said[-1]
    assert kind == "finished" and not channel.busy and there.complete
    # The process's one BLAS thread sums in another order than this process's: float32 rounding apart.
    np.testing.assert_allclose(there.costs, here.costs, rtol=1e-5)
    np.testing.assert_allclose(there.paths[0].coordinates, here.paths[0].coordinates, rtol=1e-6, atol=1e-9)
    # stages on the way, none going back (the last may already be complete: the process may send
    # the last yield before it knows there is no other, then say "done")
    assert all(kind == "progressed" for kind, _ in heard.said[:-1])
    progress = [value.progress for _, value in heard.said]
    assert progress == sorted(progress) and progress[0] < 1


def test_the_latest_job_of_a_kind_wins_and_a_stopped_one_says_nothing_more(jobs, short_run, mnist, qtbot):
    network, history, x, labels = short_run
    jobs.keep("dataset", mnist)
    channel = jobs.channel("race")
    heard = Heard(channel)
    channel.run("race", network, Kept("dataset"), 50.0)  # minutes of work
    qtbot.waitUntil(lambda: bool(heard.said), timeout=TIMEOUT)
    pid = jobs.process_id
    channel.run("valley", network, "random", [("run", history)], x, labels, size=5, coarse=2)
    qtbot.waitUntil(heard.ended, timeout=TIMEOUT)
    replaced = [value for _, value in heard.said if isinstance(value, computations.RaceProgress)]
    assert len(replaced) >= 1 and heard.said[-1][0] == "finished" and heard.said[-1][1].kind == "random"
    assert all(isinstance(value, computations.RaceProgress) for _, value in heard.said[:len(replaced)])
    # another kind runs beside it; a stop silences the job at once, and the process serves on
    other = jobs.channel("other")
    beside = Heard(other)
    channel.run("race", network, Kept("dataset"), 50.0)
    other.run("valley", network, "run", [("run", history)], x, labels, size=5, coarse=2)
    qtbot.waitUntil(beside.ended, timeout=TIMEOUT)
    assert beside.said[-1][0] == "finished" and channel.busy
    count = len(heard.said)
    channel.stop()
    qtbot.wait(300)
    assert len(heard.said) == count and not channel.busy and jobs.process_id == pid


def test_a_process_that_dies_is_reported_once_and_the_next_job_starts_another(jobs, short_run, mnist, qtbot):
    network, history, x, labels = short_run
    jobs.keep("dataset", mnist)
    race, valley = jobs.channel("race"), jobs.channel("valley")
    heard, idle = Heard(race), Heard(valley)
    race.run("race", network, Kept("dataset"), 50.0)
    qtbot.waitUntil(lambda: bool(heard.said), timeout=TIMEOUT)
    pid = jobs.process_id
    os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(heard.ended, timeout=TIMEOUT)
    kind, line = heard.said[-1]
    assert kind == "failed" and "ended unexpectedly" in line and "\n" not in line
    assert idle.said == []  # a channel with nothing under way has nothing to say
    assert not race.busy and jobs.process_id is None and not alive(pid)
    qtbot.wait(200)
    assert [kind for kind, _ in heard.said].count("failed") == 1  # once
    # a new process, which has the dataset kept again
    heard.said.clear()
    race.run("race", network, Kept("dataset"), 0.01, interval=0.0)
    qtbot.waitUntil(heard.ended, timeout=TIMEOUT)
    assert heard.said[-1][0] == "finished" and heard.said[-1][1].done
    assert jobs.process_id not in (None, pid)
    assert not any(kind == "failed" for kind, _ in heard.said)


def closed_mid_job(qtbot, settings) -> tuple[weakref.ref, int]:
    """A window closed while its compute process races (minutes of work, from the Cost valley
    tab's button): a weak reference to it, and the process's id."""
    window = make_window(settings=settings)
    window.show()
    qtbot.waitExposed(window)
    window.race.start(50)
    qtbot.waitUntil(lambda: window.model.race.progress is not None, timeout=TIMEOUT)
    pid = window.jobs.process_id
    assert window.jobs.busy() and alive(pid)
    window.model.set_dirty(False)
    window.close()
    return weakref.ref(window), pid


def test_closing_the_window_mid_job_leaves_no_process_and_no_window(qtbot, settings, errors):
    window, pid = closed_mid_job(qtbot, settings)
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    QtWidgets.QApplication.processEvents()
    gc.collect()
    assert window() is None and not alive(pid)


APP_THAT_COMPUTES = textwrap.dedent("""
    import sys
    from PySide6 import QtCore
    from nnviz.app import main as app_main

    make_window = app_main.make_window

    def computing_window(*args, **kwargs):
        window = make_window(*args, **kwargs)
        QtCore.QTimer.singleShot(200, lambda: window.race.start(50))
        window.jobs.channel("race").progressed.connect(
            lambda p: print("computing", window.jobs.process_id, flush=True))
        return window

    app_main.make_window = computing_window
    from nnviz.cli import main
    sys.exit(main())
""")


def _computing(line: str) -> int | None:
    return int(line.split()[1]) if line.startswith("computing") else None


def test_ctrl_c_in_the_terminal_mid_job_ends_both_processes(tmp_path):
    code, errors, computing = interrupt_app(APP_THAT_COMPUTES, tmp_path, _computing)
    assert code == 130 and "nnviz: interrupted" in errors, errors
    assert ends_soon(computing), "the compute process outlived the app"


def test_a_channel_with_an_interval_gets_fewer_partial_results_and_always_the_last(jobs, short_run, qtbot):
    network, history, x, labels = short_run
    channel = jobs.channel("slow", interval=0.3)
    heard = Heard(channel)
    times = []
    channel.progressed.connect(lambda value: times.append(time.monotonic()))
    channel.run("valley", network, "run", [("run", history)], x, labels, size=41, coarse=11)
    qtbot.waitUntil(heard.ended, timeout=TIMEOUT)
    every = list(computations.valley(network, "run", [("run", history)], x, labels, size=41, coarse=11))
    kinds = [kind for kind, _ in heard.said]
    assert kinds[-1] == "finished" and heard.said[-1][1].complete
    assert 1 <= kinds.count("progressed") < len(every) - 1  # 43 stages before the last
    assert all(later - earlier >= 0.29 for earlier, later in zip(times, times[1:]))
    progress = [value.progress for _, value in heard.said]
    assert progress == sorted(progress)
