"""The battery: 540 hostile network files and 150 broken or odd datasets through every entry point.

Each entry point runs in subprocesses under a memory limit, on a batch of files at a time
(driver.py), and a sample runs as real one-file `nnviz` commands. What must hold for every run:
a legal file works; anything else exits non-zero with one line on stderr, at most 300
characters, no control characters, no traceback, and no bug caught by the last-resort handler.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys

import pytest

from robustness import battery


@pytest.fixture(scope="module")
def workdir():
    workdir = battery.make_workdir()
    yield workdir
    subprocess.run(["chmod", "-R", "u+rwX", str(workdir)], check=False)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def cases(workdir):
    networks = battery.network_cases(workdir)
    datasets = battery.dataset_cases(workdir)
    data, net = battery.support_files(workdir)
    for name, path, _ in networks:
        if not name.startswith("fs-"):
            path.chmod(0o644)
    subprocess.run(["chmod", "-R", "a+rX", data, net], check=True)
    return networks, datasets, data, net


def test_the_battery_is_as_big_as_promised(cases):
    networks, datasets, _, _ = cases
    assert len(networks) >= 500 and len(datasets) >= 60
    assert len({name for name, _, _ in networks}) == len(networks)


@pytest.mark.parametrize("command", battery.NETWORK_COMMANDS)
def test_every_network_file_is_loaded_or_refused_in_one_line(cases, workdir, command):
    networks, _, data, _ = cases
    legal = [str(p) for name, p, ok in networks if ok and not name.startswith("fs-")]
    outcomes = battery.run_batch(command, networks, data, workdir, legal)
    assert len(outcomes) >= len(networks)
    assert not [o for o in outcomes if o.problems], battery.describe(outcomes)


@pytest.mark.parametrize("command", battery.DATASET_COMMANDS)
def test_every_dataset_trains_or_is_refused_in_one_line(cases, workdir, command):
    _, datasets, data, net = cases
    extra = str(workdir / "out" / "trained.npz") if command == "train-data" else net
    if command == "eval-data":
        datasets = [(n, p, ok if ok is not True or n in battery.FIT_784_10 else None) for n, p, ok in datasets]
    outcomes = battery.run_batch(command, datasets, extra, workdir, [data])
    assert len(outcomes) >= len(datasets)
    assert not [o for o in outcomes if o.problems], battery.describe(outcomes)
    if command == "train-data":
        trained = {o.case for o in outcomes if o.code == 0}
        assert {"odd-1x1", "odd-28x14", "odd-3-classes", "odd-200x1"} <= trained


def _limited():
    resource.setrlimit(resource.RLIMIT_AS, (battery.MEMORY_LIMIT, battery.MEMORY_LIMIT))


def test_a_sample_as_real_commands_exits_non_zero_with_one_line(cases, workdir):
    networks, datasets, data, _ = cases
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "XDG_STATE_HOME": str(workdir / "state")}
    runs = [(["info", str(p)], name, ok) for name, p, ok in networks[7::60]]
    runs += [(["eval", str(p), "--data", data], name, ok) for name, p, ok in networks[30::150]]
    runs += [(["train", "--data", str(p), "--epochs", "1", "--quiet"], name, ok) for name, p, ok in datasets[5::30]]
    failures = []
    for args, name, ok in runs:
        process = subprocess.run([sys.executable, "-m", "nnviz.cli", *args], capture_output=True, text=True,
                                 env=env, preexec_fn=_limited, timeout=120, cwd=workdir)
        outcome = battery.Outcome(args[0], name, ok, process.returncode if process.returncode >= 0 else None,
                                  process.stdout if args[0] != "train" else "", process.stderr)
        outcome.problems = battery.judge(outcome)
        if outcome.problems:
            failures.append(outcome)
    assert len(runs) >= 15
    assert not failures, battery.describe(failures)
    assert not list((workdir / "state").rglob("*.log"))
