"""Saving never loses the old file, respects the person's permissions, and cleans up after a kill."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time

import numpy as np
import pytest

from nnviz.core.archive import STALE_TEMPORARY_SECONDS
from nnviz.core.files import load_network, save_network
from nnviz.core.network import Network


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
import sys
from nnviz.core.files import save_network
from nnviz.core.network import Network
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
        assert process.stdout.readline().strip() == "ready"
        time.sleep(float(rng.uniform(0, 0.05)))
        process.send_signal(sig)
        process.communicate(timeout=30)
        _, metadata = load_network(path)  # whichever save finished last, whole
        assert 0 <= metadata["epochs_trained"] <= attempt + 1
    # Age whatever the kills left behind; the next save removes it.
    for leftover in tmp_path.glob(".n.npz.*.tmp"):
        os.utime(leftover, (time.time() - 10 * STALE_TEMPORARY_SECONDS,) * 2)
    save_network(Network((784, 32, 10), seed=0), path)
    assert [p.name for p in tmp_path.iterdir()] == ["n.npz"]
