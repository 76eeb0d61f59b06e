"""Building IDX dataset folders for tests of file handling (synthetic pixels, real format)."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np


def write_idx(path: Path, array: np.ndarray, compress: bool = True) -> Path:
    """Write ``array`` (uint8) to ``path`` in IDX format, the way MNIST's files are made."""
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + np.ascontiguousarray(array, np.uint8).tobytes()
    if compress:
        payload = gzip.compress(payload)
    path.write_bytes(payload)
    return path


def make_idx_dataset(folder: Path, n_train=120, n_test=30, shape=(28, 28), n_classes=10, seed=0, class_names=None) -> Path:
    """A small dataset folder in MNIST's four-file layout (synthetic pixels: for file handling only)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", rng.integers(0, 256, (n, *shape), dtype=np.uint8))
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", rng.integers(0, n_classes, n, dtype=np.uint8))
    if class_names:
        (folder / "classes.txt").write_text("\n".join(class_names) + "\n")
    return folder


class ServedInAThread:
    """The window's end of a pipe (``connection``), with ``serve(their end)`` of a process's loop
    (the training worker's, the compute server's) running in a thread on the other end."""

    def __init__(self, serve):
        import socket
        import threading

        from nnviz.core.pipe import BlockingEnd

        ours, theirs = socket.socketpair()
        self.connection, self.theirs = BlockingEnd(ours), BlockingEnd(theirs)
        self.thread = threading.Thread(target=serve, args=(self.theirs,), daemon=True)
        self.thread.start()

    def quit(self):
        self.connection.send(("quit",))
        self.thread.join(10)
        assert not self.thread.is_alive()
        self.connection.close()
        self.theirs.close()


def interrupt_app(script: str, home, ready) -> tuple[int, str, int]:
    """Run the app as ``python -c script`` with its settings and files in ``home``, in a session of
    its own (as a terminal's Ctrl+C reaches a whole group), until ``ready(line)`` gives a process
    id from a line it printed; then send the group SIGINT. Returns (exit code, stderr, that id)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_DATA_HOME": str(home / "data")}
    app = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, start_new_session=True)
    try:
        found = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and found is None:
            found = ready(app.stdout.readline())
        assert found, "the app never got ready"
        os.killpg(app.pid, signal.SIGINT)
        _, errors = app.communicate(timeout=60)
    finally:
        app.kill()
    return app.returncode, errors, found


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie does not)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def ends_soon(pid: int, seconds: float = 10.0) -> bool:
    """Whether process ``pid`` has ended, or ends within ``seconds``."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and alive(pid):
        time.sleep(0.1)
    return not alive(pid)


def shown_at(qtbot, widget, width: int, height: int):
    """``widget`` shown at ``width`` x ``height``, exposed, and closed with the test."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
