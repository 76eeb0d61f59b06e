"""The window's process runs BLAS on one thread; the headless commands keep OpenBLAS's default."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = "import sys; sys.argv = {argv!r}; import nnviz.cli, os; print(os.environ.get('OPENBLAS_NUM_THREADS'))"


@pytest.mark.parametrize("argv, threads", [(["nnviz"], "1"), (["nnviz", "--open", "run.npz"], "1"),
                                           (["nnviz", "train", "--epochs", "1"], "None"),
                                           (["nnviz", "evaluate", "x.npz"], "None")])
def test_only_the_window_asks_for_one_blas_thread(argv, threads):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    shown = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv)], env=env, capture_output=True, text=True,
                           check=True).stdout.strip()
    assert shown == threads
