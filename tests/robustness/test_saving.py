"""Saving never loses the old file, respects the person's permissions, leaves no temporary file
when interrupted at any moment, and cleans up after a kill at the next save."""

from __future__ import annotations

import gc
import itertools
import os
import select
import signal
import stat
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest

from nnviz.core import archive
from nnviz.core.archive import STALE_TEMPORARY_SECONDS, check_writable
from nnviz.core.files import load_network, save_network
from nnviz.core.network import Network
from robustness.interrupts import InterruptAt, run_interrupted


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask():
    def set_umask(mask):
        os.umask(mask)

    previous = os.umask(0o022)
    yield set_umask
    os.umask(previous)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_follows_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    save_network(Network((4, 3, 2), seed=0), tmp_path / "n.npz")
    assert mode(tmp_path / "n.npz") == expected


@pytest.mark.parametrize("existing", [0o644, 0o640, 0o600, 0o664])
def test_saving_over_a_file_keeps_its_mode(tmp_path, umask, existing):
    umask(0o077)
    path = tmp_path / "n.npz"
    save_network(Network((4, 3, 2), seed=0), path)
    path.chmod(existing)
    save_network(Network((4, 3, 2), seed=1), path)
    assert mode(path) == existing


def test_saving_through_a_symlink_writes_the_file_it_points_to(tmp_path):
    real = tmp_path / "real" / "n.npz"
    real.parent.mkdir()
    save_network(Network((4, 3, 2), seed=0), real)
    link = tmp_path / "link.npz"
    link.symlink_to(real)
    network = Network((4, 3, 2), seed=7)
    save_network(network, link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    np.testing.assert_array_equal(load_network(real)[0].params, network.params)
    assert sorted(p.name for p in real.parent.iterdir()) == ["n.npz"]


def test_a_killed_saves_temporary_files_are_removed_at_the_next_save_and_only_those(tmp_path):
    old = time.time() - 10 * STALE_TEMPORARY_SECONDS
    leftovers = [tmp_path / ".n.npz.k3j_x9a2.tmp", tmp_path / ".other.npz.abcdef12.tmp"]
    kept = [tmp_path / ".n.npz.fresh123.tmp",  # a save still running in another process
            tmp_path / ".n.npz.tmp", tmp_path / "notes.tmp", tmp_path / ".n.txt.abcdef12.tmp"]
    for path in leftovers + kept:
        path.write_bytes(b"half a network")
        if path.name != ".n.npz.fresh123.tmp":
            os.utime(path, (old, old))
    save_network(Network((4, 3, 2), seed=0), tmp_path / "n.npz")
    assert not any(p.exists() for p in leftovers)
    assert all(p.exists() for p in kept)


SAVER = """
import signal, sys
from nnviz.core.files import save_network
from nnviz.core.network import Network
# A process born ignoring SIGINT (as a test run started in the background by a shell without
# job control is, and so its children) would go on saving for ever: SIGINT raises
# KeyboardInterrupt here, as it does in a program started from a terminal.
signal.signal(signal.SIGINT, signal.default_int_handler)
network = Network((784, 32, 10), seed=int(sys.argv[2]))
print("ready", flush=True)
while True:
    save_network(network, sys.argv[1], epochs_trained=int(sys.argv[2]))
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM])
def test_killing_saves_at_random_moments_always_leaves_a_file_that_loads(tmp_path, sig):
    path = tmp_path / "n.npz"
    save_network(Network((784, 32, 10), seed=0), path, epochs_trained=0)
    rng = np.random.default_rng(int(sig))
    for attempt in range(8):
        process = subprocess.Popen([sys.executable, "-c", SAVER, str(path), str(attempt + 1)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert process.stdout.readline().strip() == "ready"
            time.sleep(float(rng.uniform(0, 0.05)))
            process.send_signal(sig)
            process.communicate(timeout=60)
        finally:
            process.kill()  # never a saver left running, whatever failed
            process.communicate()
        _, metadata = load_network(path)  # whichever save finished last, whole
        assert 0 <= metadata["epochs_trained"] <= attempt + 1
        if sig == signal.SIGINT:  # an interrupt, unlike a kill, lets the save clean up after itself
            assert sorted(p.name for p in tmp_path.iterdir()) == ["n.npz"]
    # Age whatever the kills left behind; the next save removes it.
    for leftover in tmp_path.glob(".n.npz.*.tmp"):
        os.utime(leftover, (time.time() - 10 * STALE_TEMPORARY_SECONDS,) * 2)
    save_network(Network((784, 32, 10), seed=0), path)
    assert [p.name for p in tmp_path.iterdir()] == ["n.npz"]


@pytest.fixture
def no_fsync(monkeypatch):
    # Each fsync costs ~10 ms on this disk and changes nothing about which files exist.
    monkeypatch.setattr(archive.os, "fsync", lambda fd: None)


@pytest.fixture
def library_complaints(monkeypatch):
    """What objects left behind by an interrupt say as they are collected (``sys.unraisablehook``)."""
    complaints = []
    monkeypatch.setattr(sys, "unraisablehook", complaints.append)
    yield complaints
    gc.collect()


def test_an_interrupt_at_any_moment_of_a_save_leaves_no_temporary_file_and_a_whole_file(tmp_path, no_fsync,
                                                                                         library_complaints):
    path = tmp_path / "n.npz"
    old, new = Network((4, 3, 2), seed=0), Network((4, 3, 2), seed=1)
    save_network(old, path, epochs_trained=0)
    outcomes = []
    for moment in itertools.count(1):
        interrupt = InterruptAt(moment, closely=archive.__file__)
        run_interrupted(interrupt, save_network, new, path, epochs_trained=1)
        if interrupt.raised_at is None:
            break  # past the save's last point
        assert sorted(p.name for p in tmp_path.iterdir()) == ["n.npz"], f"interrupted in {interrupt.raised_at}"
        network, metadata = load_network(path)
        outcomes.append(metadata["epochs_trained"])
        np.testing.assert_array_equal(network.params, (old, new)[outcomes[-1]].params)
        if outcomes[-1] == 1:
            save_network(old, path, epochs_trained=0)  # the old file again, for the next moment
    assert len(outcomes) > 200  # about 500 with NumPy 2 and Python 3.11
    # Before the rename the old file stays; after it, the new one is whole.
    assert outcomes[0] == 0 and outcomes[-1] == 1 and set(outcomes) == {0, 1}
    # A ZipFile cut while it opened an entry cannot close when collected: the standard library's, not ours.
    gc.collect()
    assert {str(c.object) for c in library_complaints} <= {str(zipfile.ZipFile.__del__)}, library_complaints


def test_an_interrupt_at_any_moment_of_checking_a_target_leaves_no_probe(tmp_path):
    path = tmp_path / "n.npz"
    save_network(Network((4, 3, 2), seed=0), path)
    before = path.read_bytes()
    for moment in itertools.count(1):
        interrupt = InterruptAt(moment, closely=archive.__file__)
        run_interrupted(interrupt, check_writable, path)
        if interrupt.raised_at is None:
            break
        assert sorted(p.name for p in tmp_path.iterdir()) == ["n.npz"], f"interrupted in {interrupt.raised_at}"
    assert moment > 20
    assert path.read_bytes() == before


HANDLED_SAVER = """
import signal, sys
from nnviz.core.files import save_network
from nnviz.core.network import Network
# Python ignores SIGINT in a child that was born ignoring it (as a test run in the background
# from a shell without job control is): handle it, as a program that answers Ctrl+C does.
signal.signal(signal.SIGINT, signal.default_int_handler)
networks = [Network((784, 32, 10), seed=seed) for seed in (0, 1)]
print("ready", flush=True)
for line in sys.stdin:
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        print("saving", flush=True)
        while True:
            for epochs, network in enumerate(networks):
                save_network(network, sys.argv[1], epochs_trained=epochs)
    except KeyboardInterrupt:
        # A second press sent because the first was slow to answer must not end this process.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("interrupted", flush=True)
"""


def read_line(process, timeout: float = 60, hung_is_error: bool = True) -> str | None:
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    if not ready and not hung_is_error:
        return None
    assert ready, f"no answer from the saving process in {timeout} s"
    return process.stdout.readline().strip()


def test_a_handled_ctrl_c_at_random_moments_of_saves_never_leaves_a_temporary_file(tmp_path):
    path = tmp_path / "n.npz"
    save_network(Network((784, 32, 10), seed=0), path, epochs_trained=0)
    rng = np.random.default_rng(11)
    process = subprocess.Popen([sys.executable, "-c", HANDLED_SAVER, str(path)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert read_line(process) == "ready"
        for _ in range(200):
            process.stdin.write("go\n")
            process.stdin.flush()
            assert read_line(process) == "saving"
            time.sleep(float(rng.uniform(0, 0.01)))  # a save here takes a few milliseconds
            # Python drops a KeyboardInterrupt raised inside a finalizer ("Exception ignored in
            # ZipFile.__del__", once in a few hundred here): the save goes on, as after a missed
            # key, and the person presses Ctrl+C again. What must hold is what any press leaves.
            for _ in range(5):
                process.send_signal(signal.SIGINT)
                answer = read_line(process, timeout=5, hung_is_error=False)
                if answer is not None:
                    break
            assert answer == "interrupted"
            assert sorted(p.name for p in tmp_path.iterdir()) == ["n.npz"]
            network, metadata = load_network(path)
            assert network.sizes == (784, 32, 10) and metadata["epochs_trained"] in (0, 1)
    finally:
        process.kill()
        process.communicate()
