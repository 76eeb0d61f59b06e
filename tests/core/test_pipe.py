"""The pipe between the window and its training process (core/pipe.py): the window's end never
waits, and what arrives is what was sent, arrays included, however the bytes were cut."""

import socket
import threading

import numpy as np
import pytest

from nnviz.core.pipe import BlockingEnd, NonBlockingEnd, encode


def test_a_big_message_to_a_reader_not_yet_reading_leaves_the_window_free_and_arrives_whole():
    ours, theirs = socket.socketpair()
    window, worker = NonBlockingEnd(ours), BlockingEnd(theirs)
    images = np.random.default_rng(0).integers(0, 256, (20_000, 784), dtype=np.uint8)  # 15 MB
    window.put(("dataset", images, {"name": "x"}))  # returns with most of it still queued
    assert window.pending
    window.put(("ack",))
    received = []
    reader = threading.Thread(target=lambda: received.extend([worker.recv(), worker.recv()]))
    reader.start()
    while window.pending:
        window.flush()
    reader.join(30)
    kind, got, extra = received[0]
    assert kind == "dataset" and extra == {"name": "x"} and received[1] == ("ack",)
    np.testing.assert_array_equal(got, images)
    got[0, 0] ^= 1  # the worker trains in place: what arrives is its own, writable
    window.close()
    worker.close()


def test_messages_cut_anywhere_are_taken_only_when_whole_and_one_at_a_time():
    ours, theirs = socket.socketpair()
    window, worker = NonBlockingEnd(ours), BlockingEnd(theirs)
    params = np.arange(13_002, dtype=np.float32)
    worker.send(("snapshot", 1, params))
    worker.send(("state", 1, "running"))
    assert window.take(limit=1)[0][0] == "snapshot"
    assert window.take(limit=1) == [("state", 1, "running")]  # left in the socket until asked for
    # a message whose bytes come in pieces
    raw = b"".join(bytes(part) for part in encode(("snapshot", 2, params)))
    for i in range(0, len(raw), 7000):
        theirs.sendall(raw[i:i + 7000])
        taken = window.take()
        assert taken == [] or i + 7000 >= len(raw)
    np.testing.assert_array_equal(taken[0][2], params)
    worker.close()
    with pytest.raises(EOFError):
        window.take()
    window.close()


class _Counted:
    """A socket whose reads are counted: the bytes each call of the window's ``take`` read."""

    def __init__(self, sock):
        self.sock, self.read = sock, 0

    def __getattr__(self, name):
        return getattr(self.sock, name)

    def recv_into(self, buffer, n):
        k = self.sock.recv_into(buffer, n)
        self.read += k
        return k


class _Sent:
    """A socket whose writes are counted: the bytes each call of the window's ``flush`` wrote."""

    def __init__(self, sock):
        self.sock, self.sent = sock, 0

    def __getattr__(self, name):
        return getattr(self.sock, name)

    def send(self, data):
        k = self.sock.send(data)
        self.sent += k
        return k


def test_a_big_message_is_written_a_few_megabytes_a_call_while_the_other_end_reads(monkeypatch):
    import time

    from nnviz.core import pipe

    monkeypatch.setattr(pipe, "WRITE_PER_FLUSH", 64 << 10)
    ours, theirs = socket.socketpair()
    counted = _Sent(ours)
    window, worker = NonBlockingEnd(counted), BlockingEnd(theirs)
    dataset = np.random.default_rng(2).integers(0, 256, size=3_000_000, dtype=np.uint8)
    got = []
    reader = threading.Thread(target=lambda: got.append(worker.recv()))
    reader.start()  # a process reading as fast as it can: the socket takes whatever is written
    window.put(("dataset", dataset))
    writes, deadline = [counted.sent], time.monotonic() + 30
    while window.pending and time.monotonic() < deadline:
        counted.sent = 0
        window.flush()
        writes.append(counted.sent)
    reader.join(30)
    ours.close()
    theirs.close()
    assert not window.pending and got, "the message never went through"
    assert max(writes) <= 64 << 10 and len(writes) >= 3_000_000 / (64 << 10)
    kind, arrived = got[0]
    assert kind == "dataset"
    np.testing.assert_array_equal(arrived, dataset)


def test_a_big_message_is_read_a_few_megabytes_a_call_into_arrays_of_their_own(monkeypatch):
    import time

    from nnviz.core import pipe

    monkeypatch.setattr(pipe, "READ_PER_TAKE", 64 << 10)
    monkeypatch.setattr(pipe, "CHUNK", 16 << 10)
    ours, theirs = socket.socketpair()
    counted = _Counted(ours)
    window, worker = NonBlockingEnd(counted), BlockingEnd(theirs)
    rng = np.random.default_rng(1)
    checkpoints = [rng.normal(size=100_000).astype(np.float32) for _ in range(12)]  # 4.8 MB
    sender = threading.Thread(target=lambda: worker.send(("snapshot", checkpoints, np.zeros(0))))
    sender.start()
    time.sleep(0.2)  # the socket's buffers fill: more is there than a call may read
    reads, taken, deadline = [], [], time.monotonic() + 30
    while not taken and time.monotonic() < deadline:
        counted.read = 0
        taken = window.take()
        if counted.read:
            reads.append(counted.read)
    sender.join(30)
    assert taken, "the message never arrived whole"
    # at most READ_PER_TAKE a call (and one chunk past it), however much is there
    assert max(reads) < (64 << 10) + (16 << 10) and len(reads) >= 4.8e6 / (80 << 10)
    kind, got, empty = taken[0]
    assert kind == "snapshot" and empty.size == 0
    for sent, arrived in zip(checkpoints, got, strict=True):
        np.testing.assert_array_equal(arrived, sent)
        # its memory its own: no array keeps the others (or the whole message) alive
        memory = arrived
        while isinstance(memory, (np.ndarray, memoryview)):
            memory = memory.base if isinstance(memory, np.ndarray) else memory.obj
        assert isinstance(memory, bytearray) and len(memory) == sent.nbytes
    window.close()
    worker.close()


def test_a_broken_other_end_claiming_a_huge_part_is_a_closed_pipe_not_an_allocation():
    from nnviz.core.pipe import HEADER

    ours, theirs = socket.socketpair()
    window = NonBlockingEnd(ours)
    theirs.sendall(HEADER.pack(1 << 62, 0))
    with pytest.raises(EOFError, match="broken"):
        for _ in range(10):
            window.take()
    with pytest.raises(EOFError):  # and stays closed
        window.take()
    window.close()
    theirs.close()


def test_a_message_that_cannot_be_unpickled_closes_the_pipe_for_good():
    from nnviz.core.pipe import HEADER

    ours, theirs = socket.socketpair()
    window = NonBlockingEnd(ours)
    theirs.sendall(HEADER.pack(5, 0) + b"\x80\x05junk")
    with pytest.raises(EOFError, match="cannot be read"):
        for _ in range(10):
            window.take()
    with pytest.raises(EOFError):
        window.take()
    window.close()
    theirs.close()
