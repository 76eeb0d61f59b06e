"""Messages between the window and its training process over a socket: each end in its own way.

A message is any picklable value, pickled with protocol 5 so that NumPy arrays travel as raw
buffers beside the pickle, uncopied (a dataset of 47 MB is written straight from its arrays).
On the wire: a header (``HEADER``: the pickle's length, the number of buffers), the pickle, then
each buffer as its length (``LENGTH``) and its bytes.

The training process uses ``BlockingEnd``: it may wait, between mini-batches or when idle.
The window uses ``NonBlockingEnd``, which never waits: ``put`` queues a message, ``flush`` writes
what the socket takes now, ``take`` returns the messages that have fully arrived. The window
calls them when the socket is ready (Qt's socket notifiers), so a big message to a process
still starting up does not freeze it. It reads each part of a message straight into a bytearray
of its own (the pickle, each buffer), which the arrays then use: no copy of what arrived, and no
array keeps another's memory alive; and at most ``READ_PER_TAKE`` bytes a call, so that a big
message (a wide network's first snapshot, its early checkpoints: tens of megabytes of fresh
memory) is read over several turns of the window's event loop. It writes at most
``WRITE_PER_FLUSH`` bytes a call, for the same reason.
"""

from __future__ import annotations

import pickle
import select
import signal
import socket
import struct
import sys
from collections import deque
from collections.abc import Callable

HEADER = struct.Struct("!QI")
LENGTH = struct.Struct("!Q")
#: Bytes read from the socket at a time.
CHUNK = 1 << 20
#: The largest part of a message the window's end accepts: a gigabyte (a wide network's whole
#: parameters are megabytes, a snapshot's early checkpoints tens of them).
MOST_BYTES = 1 << 30
#: Bytes the window's end reads in one call of ``take``: a short turn of its event loop, even into fresh pages.
READ_PER_TAKE = 4 << 20
#: Bytes the window's end writes in one call of ``flush`` (or ``put``): the dataset it sends a
#: starting process, written in one go while the process read it, kept the window 40 ms.
WRITE_PER_FLUSH = 4 << 20


def encode(message) -> list:
    """The message as a list of byte strings and buffers to write in order."""
    buffers: list[pickle.PickleBuffer] = []
    payload = pickle.dumps(message, protocol=5, buffer_callback=buffers.append)
    parts: list = [HEADER.pack(len(payload), len(buffers)), payload]
    for buffer in buffers:
        raw = buffer.raw()
        parts += [LENGTH.pack(raw.nbytes), raw]
    return parts


class BlockingEnd:
    """One end of the pipe for a process that may wait (the training process, tests)."""

    def __init__(self, sock: socket.socket):
        sock.setblocking(True)
        self._sock = sock

    def fileno(self) -> int:
        return self._sock.fileno()

    def send(self, message) -> None:
        for part in encode(message):
            self._sock.sendall(part)

    def poll(self, timeout: float | None = 0.0) -> bool:
        """Whether a message (or the end of the pipe) is there to read, waiting up to ``timeout``
        seconds (None: for ever)."""
        readable, _, _ = select.select([self._sock], [], [], timeout)
        return bool(readable)

    def read(self, handle: Callable[[object], None], block: bool, done: Callable[[], bool]) -> None:
        """Hand every message that is there to ``handle``, waiting for the first when ``block``,
        until there is none left or ``done()``."""
        if block:
            handle(self.recv())
        while not done() and self.poll():
            handle(self.recv())

    def recv(self):
        size, count = HEADER.unpack(self._exactly(HEADER.size))
        payload = self._exactly(size)
        buffers = [self._exactly(LENGTH.unpack(self._exactly(LENGTH.size))[0]) for _ in range(count)]
        return pickle.loads(payload, buffers=buffers)

    def close(self) -> None:
        self._sock.close()

    def _exactly(self, n: int) -> bytearray:
        data = bytearray(n)
        view, got = memoryview(data), 0
        while got < n:
            k = self._sock.recv_into(view[got:], min(n - got, CHUNK))
            if k == 0:
                raise EOFError("the other end of the pipe is closed")
            got += k
        return data


class NonBlockingEnd:
    """One end of the pipe for a process that must never wait (the window)."""

    def __init__(self, sock: socket.socket):
        sock.setblocking(False)
        self._sock = sock
        self._out: deque[memoryview] = deque()
        self._message = _message_parts()
        self._part = next(self._message)
        self._got = 0
        self._closed = False

    def fileno(self) -> int:
        return self._sock.fileno()

    @property
    def pending(self) -> bool:
        """Whether queued bytes are still waiting to be written."""
        return bool(self._out)

    def put(self, message) -> None:
        """Queue ``message`` and write what the socket takes now (up to ``WRITE_PER_FLUSH``)."""
        self._out.extend(memoryview(part).cast("B") for part in encode(message))
        self.flush()

    def flush(self) -> None:
        """Write queued bytes until the socket would block or ``WRITE_PER_FLUSH`` bytes are
        written (``pending`` then says more is left). Raises OSError when the other end is gone."""
        budget = WRITE_PER_FLUSH
        while self._out and budget > 0:
            part = self._out[0]
            try:
                sent = self._sock.send(part[:budget])
            except BlockingIOError:
                return
            budget -= sent
            if sent < len(part):
                self._out[0] = part[sent:]
            else:
                self._out.popleft()

    def take(self, limit: int = 1) -> list:
        """Up to ``limit`` messages that have fully arrived, reading what is there (at most
        READ_PER_TAKE bytes) without waiting; the rest stays in the socket for the next call.
        Raises EOFError when the other end is gone and nothing is left."""
        if self._closed:
            raise EOFError("the other end of the pipe is closed")
        messages, read = [], 0
        while len(messages) < limit and read < READ_PER_TAKE:
            part = self._part
            try:
                k = self._sock.recv_into(memoryview(part)[self._got:], min(len(part) - self._got, CHUNK))
            except BlockingIOError:
                break
            if k == 0:
                self._closed = True
                if not messages:
                    raise EOFError("the other end of the pipe is closed")
                break
            read += k
            self._got += k
            if self._got == len(part):
                self._got = 0
                try:
                    self._part = self._message.send(part)
                except StopIteration as whole:
                    messages.append(whole.value)
                    self._message = _message_parts()
                    self._part = next(self._message)
                except Exception as error:  # noqa: BLE001 - whatever it is, nothing after it can be read
                    self._closed = True
                    if isinstance(error, EOFError):
                        raise
                    raise EOFError(f"the other end of the pipe sent what cannot be read ({error!r})") from error
        return messages

    def close(self) -> None:
        self._sock.close()


def serve_the_window(serve: Callable[[BlockingEnd], None], failure: Callable[[str], tuple],
                     argv: list[str] | None = None) -> int:
    """The ``main`` of a process the window started (``python -m MODULE FD``): ``serve`` the end
    of the pipe FD until the window is gone. A bug is logged, and the window gets
    ``failure(one line)``. Returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    # Ctrl+C is the window's to handle: it ends this process when it ends itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    connection = BlockingEnd(socket.socket(fileno=int(argv[0])))
    try:
        serve(connection)
    except (EOFError, OSError):
        pass  # the window is gone: there is no one left to work for
    except Exception as error:  # noqa: BLE001 - a bug: logged, and the window told in one line
        from .crashlog import crash_line, write_crash_log

        try:
            connection.send(failure(crash_line(error, write_crash_log(error))))
        except OSError:
            pass
        return 1
    return 0


def _message_parts():
    """The parts of one message to read, in order (see the module), each an empty bytearray of
    its size sent to be filled; returns the message. Its arrays use the buffers' bytearrays."""
    header = yield bytearray(HEADER.size)
    size, count = HEADER.unpack(header)
    payload = (yield bytearray(_sane(size))) if size else bytearray()
    buffers = []
    for _ in range(count):
        (n,) = LENGTH.unpack((yield bytearray(LENGTH.size)))
        buffers.append((yield bytearray(_sane(n))) if n else bytearray())
    return pickle.loads(payload, buffers=buffers)


def _sane(size: int) -> int:
    """``size``, unless no message part could be that big (the other end is broken): the pipe is
    then as good as closed, rather than the window's memory asked for all of it."""
    if size > MOST_BYTES:
        raise EOFError(f"the other end of the pipe sent a part of {size:,} bytes: it is broken")
    return size
