"""The training process's side (core/worker.py): what it sends is what a trainer in this process
would have done, the window's record rebuilt from its deltas equals the trainer's, a window
that does not keep up gets fewer snapshots rather than a queue, and the process ends with its pipe."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nnviz
from nnviz.core.history import RunHistory
from nnviz.core.network import Network
from nnviz.core.pipe import BlockingEnd
from nnviz.core.training import BatchDone, Trainer, TrainingOptions
from nnviz.core.worker import CREDIT, Attach, Worker

from helpers import ServedInAThread


def serve_worker(connection):
    Worker(connection).serve()


FAST = TrainingOptions(batch_size=100, learning_rate=3.0, seed=4)


class Window(ServedInAThread):
    """The window's end of the pipe, with a worker serving the other end in a thread."""

    def __init__(self, dataset):
        super().__init__(serve_worker)
        self.connection.send(("dataset", dataset))
        self.history = RunHistory()

    def attach(self, generation, network, options=FAST, **kwargs):
        self.connection.send(("attach", generation, Attach(network, options, **kwargs)))

    def receive(self, timeout=30.0, ack=True):
        assert self.connection.poll(timeout), "the worker sent nothing"
        message = self.connection.recv()
        if message[0] == "snapshot":
            self.history = self.history.apply(message[2].history)
            if ack:
                self.connection.send(("ack",))
        return message

    def until_idle(self, generation=1):
        """Messages up to the snapshot that says training stopped."""
        messages = []
        while True:
            messages.append(self.receive())
            kind, gen = messages[-1][:2]
            if kind == "snapshot" and gen == generation and messages[-1][2].state == "idle":
                return messages



def test_history_sent_as_deltas_rebuilds_the_record_exactly(mnist):
    network = Network(seed=1)
    trainer = Trainer.from_options(network, mnist, FAST, evaluate_test=False)
    mirror, mark = RunHistory().apply(trainer.history.since(None)), trainer.history.mark()
    for _ in range(3):
        trainer.run_batches(170)  # crosses checkpoints, cost points and an epoch's end
        delta = trainer.history.since(mark)
        assert not delta.full
        mirror, mark = mirror.apply(delta), trainer.history.mark()
        assert mirror == trainer.history
    # a checkpoint replaced at the same position is sent again
    trainer.history.record_checkpoint(trainer.history.end, np.zeros_like(network.params))
    mirror = mirror.apply(trainer.history.since(mark))
    assert mirror == trainer.history and not mirror.parameters(len(mirror) - 1).any()
    # a record cut short since the mark is sent whole
    cut = trainer.history.truncated(2)
    delta = cut.since(mark)
    assert delta.full and mirror.apply(delta) == cut


@pytest.mark.parametrize("sent", ["none", "empty", "earlier"])
def test_steps_in_the_worker_equal_steps_in_this_process_bit_for_bit(mnist, sent):
    """The window sends no record, an empty one (a new network) or one with a past (a network
    trained before): the record it rebuilds from the deltas is the trainer's either way."""
    window = Window(mnist)
    network = Network(seed=3)
    history = {"none": None, "empty": RunHistory(),
               "earlier": RunHistory(checkpoint_positions=[0.0], checkpoints=[np.ones_like(network.params)])}[sent]
    window.history = history.copy() if history is not None else RunHistory()
    window.attach(1, network.copy(), history=history)
    window.connection.send(("command", "batches", 7, None, 1))
    messages = window.until_idle()
    last = messages[-1][2]
    assert all(m[0] == "snapshot" for m in messages)
    assert last.batches_done == 7 and last.trainer_state is not None and last.command == 1
    twin = Network(seed=3)
    trainer = Trainer.from_options(twin, mnist, FAST, history=history.copy() if history is not None else None)
    costs = [e.cost for e in trainer.run_batches(7) if isinstance(e, BatchDone)]
    np.testing.assert_array_equal(last.params, twin.params)
    sent_costs = np.concatenate([m[2].batch_costs for m in messages if m[0] == "snapshot"])
    np.testing.assert_array_equal(sent_costs, costs)
    assert window.history == trainer.history and window.history.checkpoint_positions[0] == 0.0
    # continuing: one epoch more, still the same run as in this process
    window.connection.send(("command", "epoch", 0, None, 2))
    last = window.until_idle()[-1][2]
    trainer.run_epoch()
    np.testing.assert_array_equal(last.params, twin.params)
    assert last.report is not None and last.report.epoch == 1
    assert window.history == trainer.history
    window.quit()


def test_in_detail_mode_a_snapshot_carries_the_last_step_the_mini_batch_and_its_cost_before_and_after(mnist):
    window = Window(mnist)
    window.attach(1, Network(seed=3))
    window.connection.send(("command", "batches", 2, None, 1))
    assert all(m[2].detail is None for m in window.until_idle())  # not asked for: none
    window.connection.send(("detail", True))
    window.connection.send(("command", "batches", 3, None, 2))
    last = window.until_idle()[-1][2]
    detail = last.detail
    # the same steps in this process: the detail is the fifth one's
    twin = Network(seed=3)
    trainer = Trainer.from_options(twin, mnist, FAST)
    trainer.run_batches(4)
    before = twin.params.copy()
    (event,) = trainer.run_batches(1)
    assert (detail.epoch, detail.batch) == (1, 5)
    first_epoch = np.random.default_rng(FAST.seed).permutation(len(mnist.train))
    np.testing.assert_array_equal(detail.indices, first_epoch[400:500])  # mini-batches of 100
    assert detail.cost_before == event.cost == last.batch_costs[-1]
    batch = mnist.train.inputs(detail.indices), mnist.train.labels[detail.indices]
    assert detail.cost_after == pytest.approx(twin.cost_of(*batch), rel=1e-6)
    assert detail.cost_after < detail.cost_before  # a step downhill on its own mini-batch
    np.testing.assert_array_equal(detail.params_before, before)
    np.testing.assert_array_equal(detail.change, last.params - detail.params_before)
    np.testing.assert_array_equal(last.params, twin.params)
    window.connection.send(("detail", False))
    window.connection.send(("command", "batches", 1, None, 3))
    assert window.until_idle()[-1][2].detail is None
    window.quit()


def test_training_goes_idle_when_the_schedule_ends_the_run(small_mnist):
    options = TrainingOptions(learning_rate=2.0, batch_size=100, halve_after=1, seed=0)
    trainer = Trainer.from_options(Network(seed=0), small_mnist, options, evaluate_test=False)
    trainer.schedule.best = 2.0  # every epoch a plateau: η halves after each, to 2/128 after the seventh
    for _ in range(6):
        trainer.run_epoch()
    window = Window(small_mnist)
    window.history = trainer.history.copy()
    window.attach(1, trainer.network.copy(), options, history=trainer.history.copy(), state=trainer.state())
    window.connection.send(("command", "running", 0, None, 1))  # until epoch 30, were it not for the schedule
    last = window.until_idle()[-1][2]
    assert last.report.epoch == 7 and last.report.schedule_ended and last.learning_rate == 2.0 / 128
    window.quit()


def test_a_window_that_does_not_answer_gets_at_most_credit_snapshots(mnist):
    window = Window(mnist)
    window.attach(1, Network(seed=0))
    window.connection.send(("command", "running", 0, None, 9))
    unanswered = [window.receive(ack=False) for _ in range(CREDIT)]
    assert [m[0] for m in unanswered] == ["snapshot"] * CREDIT
    assert not window.connection.poll(0.5)  # trains on, sends nothing until the window answers
    window.connection.send(("ack",))
    later = window.receive()
    gained = later[2].batches_done - unanswered[-1][2].batches_done
    assert later[0] == "snapshot" and gained > 1
    assert len(later[2].batch_costs) == gained  # nothing was lost: every cost since the last snapshot
    window.connection.send(("command", "idle", 0, None, 9))
    window.connection.send(("ack",))
    window.until_idle()
    window.quit()


def test_a_diverging_run_says_so_in_one_line_and_sends_its_record_whole(mnist):
    window = Window(mnist)
    wild = TrainingOptions(batch_size=10, learning_rate=1e30, seed=0)
    window.attach(1, Network(seed=0), wild)
    window.connection.send(("command", "running", 0, None, 9))
    messages = window.until_idle()
    failed = [m for m in messages if m[0] == "failed"]
    assert len(failed) == 1 and "diverged" in failed[0][2] and "\n" not in failed[0][2]
    assert messages[-1][2].history.full and np.isfinite(messages[-1][2].params).all()
    window.quit()


def test_messages_of_a_network_no_longer_attached_carry_its_generation(mnist):
    window = Window(mnist)
    window.attach(1, Network(seed=0))
    window.connection.send(("command", "running", 0, None, 9))
    window.attach(2, Network(seed=5))  # the window moved on: the old run is forgotten
    window.connection.send(("command", "batches", 2, None, 9))
    messages = window.until_idle(generation=2)
    mine = [m for m in messages if m[1] == 2 and m[0] == "snapshot"]
    assert mine[-1][2].batches_done == 2
    np.testing.assert_array_equal(mine[0][2].history.checkpoints[0], Network(seed=5).params)
    window.quit()


def test_a_network_that_does_not_fit_the_dataset_fails_in_one_line(mnist):
    window = Window(mnist)
    window.attach(1, Network((100, 10)))
    kind, generation, message, dropped = window.receive()
    assert kind == "failed" and generation == 1 and "784" in message and "\n" not in message
    assert dropped  # the window must attach again: commands to this worker now go nowhere
    window.quit()


def test_the_process_ends_when_the_window_is_gone():
    ours, theirs = socket.socketpair()
    root = str(Path(nnviz.__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=root)
    with theirs:
        process = subprocess.Popen([sys.executable, "-m", "nnviz.core.worker", str(theirs.fileno())],
                                   pass_fds=(theirs.fileno(),), env=env, stderr=subprocess.PIPE)
    connection = BlockingEnd(ours)
    connection.send(("ack",))
    connection.close()  # as when the window's process is killed
    try:
        _, errors = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0 and errors == b""
