"""The compute process's side (core/jobs.py): its results are the core's own, a newer job of a kind
stops the older between two yields, a window that does not answer gets the latest result rather
than a queue, failures come back as one line, and the process ends with its pipe."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import nnviz
from nnviz.core import computations
from nnviz.core.errors import NnvizError
from nnviz.core.jobs import CREDIT, JOBS, Kept, Server
from nnviz.core.network import Network
from nnviz.core.pipe import BlockingEnd
from nnviz.core.race import Race

from helpers import ServedInAThread

#: Generators that close, as a record of which jobs were stopped.
closed: list[str] = []


def count(name: str, n: int, pause: float = 0.0):
    """0, 1, ..., n - 1, ``pause`` seconds apart; notes in ``closed`` when it was stopped."""
    try:
        for i in range(n):
            if pause:
                time.sleep(pause)
            yield i
    except GeneratorExit:
        closed.append(name)
        raise


def fail(kind: str):
    yield 1
    if kind == "person":
        raise NnvizError("the run has no history\nto draw")
    raise ZeroDivisionError("a bug")


def add(a, b):
    yield a + b


def quietly(n: int):
    """Nothing to say n times (points where it may be stopped), then "done"."""
    for _ in range(n):
        yield None
    yield "done"


TOYS = {"count": count, "fail": fail, "add": add, "quietly": quietly}


class Window(ServedInAThread):
    """The window's end of the pipe, with a server on the other end in a thread."""

    def __init__(self, jobs=None):
        super().__init__(lambda end: Server(end, jobs).serve())

    def run(self, kind, generation, name, *args, **kwargs):
        self.connection.send(("run", kind, generation, name, args, kwargs))

    def receive(self, timeout=30.0, ack=True):
        assert self.connection.poll(timeout), "the process sent nothing"
        message = self.connection.recv()
        if message[0] == "result" and ack:
            self.connection.send(("ack", message[1], message[2]))
        return message

    def until_done(self, kind, generation):
        """Every message up to the last result of job ``generation`` of ``kind`` (or its failure)."""
        messages = []
        while True:
            messages.append(self.receive())
            m = messages[-1]
            if m[1] == kind and m[2] == generation and (m[0] in ("failed", "done") or m[4]):
                return messages


def values(messages, kind, generation):
    """The results of job ``generation`` of ``kind`` among ``messages``, in order."""
    return [m[3] for m in messages if m[0] == "result" and m[1:3] == (kind, generation)]


def ended(message) -> bool:
    """Whether ``message`` says its job is done (its last result, or that the one before was)."""
    return message[0] == "done" or (message[0] == "result" and message[4])


@pytest.mark.parametrize("plane", ["run", "random", "local"])
def test_a_valley_computed_in_the_process_is_the_one_computed_here(short_run, plane):
    network, history, x, labels = short_run
    window = Window()
    window.run("valley", 1, "valley", network, plane, [("run", history)], x, labels, size=9, coarse=4)
    messages = window.until_done("valley", 1)
    window.quit()
    here = list(computations.valley(network, plane, [("run", history)], x, labels, size=9, coarse=4))
    assert all(m[0] in ("result", "done") for m in messages) and ended(messages[-1])
    there = values(messages, "valley", 1)[-1]
    assert there.complete and there.kind == plane
    np.testing.assert_array_equal(there.costs, here[-1].costs)
    np.testing.assert_array_equal(there.alphas, here[-1].alphas)
    np.testing.assert_array_equal(there.paths[0].coordinates, here[-1].paths[0].coordinates)
    np.testing.assert_array_equal(there.paths[0].costs, here[-1].paths[0].costs)
    # partial results grow toward it: progress never goes back
    progress = [v.progress for v in values(messages, "valley", 1)]
    assert progress == sorted(progress) and progress[0] < 1


def test_a_race_in_the_process_records_what_a_race_here_records(small_mnist):
    window = Window()
    window.connection.send(("keep", "dataset", small_mnist))
    window.run("race", 3, "race", Network(seed=2), Kept("dataset"), 2.5, seed=5, interval=0.0)
    messages = window.until_done("race", 3)
    window.quit()
    progress = values(messages, "race", 3)
    last = progress[-1]
    here = Race(Network(seed=2), small_mnist, examples=2500, seed=5).run()
    assert last.done and last.share_done == 1.0 and last.histories is not None
    for lane, mine in zip(last.lanes, here.lanes):
        assert lane.name == mine.name and lane.examples.tolist() == mine.measured_examples
        np.testing.assert_array_equal(lane.costs, mine.measured_costs)
    assert last.lanes[0].steps == 3 and last.lanes[1].steps == 250  # 1,000 examples a step against 10
    for history, mine in zip(last.histories, here.lanes):
        assert history == mine.history
    shares = [p.share_done for p in progress]
    assert shares == sorted(shares) and not any(p.done for p in progress[:-1])


def test_a_newer_job_of_a_kind_stops_the_older_between_two_yields():
    closed.clear()
    window = Window(TOYS)
    window.run("a", 1, "count", "first", 10_000, 0.002)
    first = window.receive()
    assert first[:3] == ("result", "a", 1)
    window.run("a", 2, "count", "second", 3)
    messages = window.until_done("a", 2)
    assert closed == ["first"]
    assert values(messages, "a", 2)[-1] == 2 and ended(messages[-1])
    # whatever of the first was on its way came before anything of the second
    generations = [m[2] for m in messages]
    assert generations == sorted(generations)
    window.quit()


def test_a_yield_of_none_sends_nothing_and_a_newer_job_may_stop_the_job_there():
    window = Window(TOYS)
    window.run("a", 1, "quietly", 5)
    messages = window.until_done("a", 1)
    assert values(messages, "a", 1) == ["done"] and ended(messages[-1])
    window.run("b", 1, "quietly", 10**9)  # only Nones: it would never end
    assert not window.connection.poll(0.2)
    window.run("b", 2, "add", 2, 3)
    assert values(window.until_done("b", 2), "b", 2) == [5]
    window.quit()


def test_jobs_of_different_kinds_take_turns():
    window = Window(TOYS)
    window.run("a", 1, "count", "a", 50, 0.001)
    window.run("b", 1, "count", "b", 3, 0.001)
    messages = window.until_done("b", 1)
    # b, started second, ended while a still had far to go
    assert values(messages, "a", 1) and not any(m[1] == "a" and ended(m) for m in messages)
    assert values(window.until_done("a", 1), "a", 1)[-1] == 49
    window.quit()


def test_a_window_that_does_not_answer_gets_the_latest_result_not_a_queue():
    closed.clear()
    window = Window(TOYS)
    window.run("a", 1, "count", "slow window", 400, 0.001)
    unanswered = [window.receive(ack=False) for _ in range(CREDIT)]
    assert [m[3] for m in unanswered] == list(range(CREDIT))
    assert not window.connection.poll(0.2)  # goes on counting, sends nothing until answered
    window.connection.send(("ack", "a", 1))
    later = window.receive(ack=False)
    assert later[3] > CREDIT + 10 and not ended(later)  # the latest, far beyond the first
    window.connection.send(("ack", "a", 1))
    messages = window.until_done("a", 1)
    assert values(messages, "a", 1)[-1] == 399 and ended(messages[-1])  # the last result always arrives
    # an ack of an older generation gives no credit to a newer job
    window.run("a", 2, "count", "x", 10_000, 0.001)
    assert window.receive(ack=False)[2] == 2
    window.connection.send(("ack", "a", 1))
    assert not window.connection.poll(0.2)
    window.connection.send(("stop", "a"))
    window.quit()
    assert closed[-1:] == ["x"]


@pytest.mark.parametrize("who", ["person", "bug"])
def test_a_failing_job_says_so_in_one_line_and_the_process_serves_on(who, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    window = Window(TOYS)
    window.run("a", 1, "fail", who)
    messages = window.until_done("a", 1)
    assert [m[0] for m in messages] == ["result", "failed"]
    message = messages[-1][3]
    assert "\n" not in message
    if who == "person":
        assert "the run has no history" in message
    else:
        assert "ZeroDivisionError" in message and "bug" in message
        (log,) = (tmp_path / "nnviz").glob("crash-*.log")
        assert str(log) in message and "a bug" in log.read_text()
    window.run("a", 3, "add", 2, 3)
    assert values(window.until_done("a", 3), "a", 3) == [5]
    window.quit()


def test_an_unknown_job_or_kept_value_is_refused():
    window = Window(TOYS)
    window.run("a", 1, "exec", "import os")
    failed = window.receive()
    assert failed[0] == "failed" and "'exec'" in failed[3]
    window.run("a", 2, "add", Kept("nothing"), 1)
    failed = window.receive()
    assert failed[0] == "failed" and failed[2] == 2 and "nothing" in failed[3]
    window.connection.send(("keep", "two", 2))
    window.run("a", 3, "add", Kept("two"), b=40)
    assert values(window.until_done("a", 3), "a", 3) == [42]
    window.quit()


def test_only_the_cores_generator_functions_may_run():
    assert set(JOBS) == {"valley", "race", "answers"}
    assert all(f.__module__ == "nnviz.core.computations" for f in JOBS.values())


def test_the_process_ends_when_the_window_is_gone():
    ours, theirs = socket.socketpair()
    env = dict(os.environ, PYTHONPATH=str(Path(nnviz.__file__).resolve().parent.parent))
    with theirs:
        process = subprocess.Popen([sys.executable, "-m", "nnviz.core.jobs", str(theirs.fileno())],
                                   pass_fds=(theirs.fileno(),), env=env)
    window = BlockingEnd(ours)
    window.send(("run", "a", 1, "nothing such", (), {}))
    assert window.poll(30) and window.recv()[0] == "failed"  # it serves
    window.close()
    assert process.wait(30) == 0
