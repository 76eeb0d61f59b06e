"""The robustness battery: every hostile file through every entry point, judged as a user would.

    python tests/robustness/battery.py        prints the counts (cases, runs, failures by kind)

The test module (test_battery.py) runs the same and asserts that nothing failed. Each entry
point runs in a subprocess under a memory limit (RLIMIT_AS) on a whole batch of files; a case
that kills the process is recorded as a failure and the batch goes on with the next one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Address space for a driver: NumPy, the CLI and a tiny dataset need ~400 MB of it.
MEMORY_LIMIT = 1_500_000_000
MAX_LINE = 300
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
NETWORK_COMMANDS = ("info", "eval", "open")
DATASET_COMMANDS = ("train-data", "eval-data", "open-data")
FIT_784_10 = {"good", "odd-uncompressed", "odd-6-train-images", "one-class-of-labels", "folder-not-listable"}


@dataclass
class Outcome:
    command: str
    case: str
    expect_ok: bool | None
    code: int | None
    stdout: str = ""
    stderr: str = ""
    escaped: str | None = None
    problems: list[str] = field(default_factory=list)


def judge(outcome: Outcome, crash_logs: bool = False) -> list[str]:
    """What a user would see as broken in this run: a traceback, a crash, several or long lines, control characters."""
    problems = []
    if outcome.code is None:
        return ["the process died (signal, timeout or memory)"]
    if outcome.escaped:
        problems.append("traceback: " + outcome.escaped.strip().splitlines()[-1][:200])
    if "Traceback" in outcome.stderr:
        problems.append("traceback on stderr")
    lines = outcome.stderr.strip("\n").splitlines()
    if outcome.code != 0 and len(lines) != 1:
        problems.append(f"{len(lines)} lines on stderr")
    if outcome.code == 0 and lines and outcome.command != "train-data":
        problems.append("stderr output on success")
    if any(len(line) > MAX_LINE for line in lines):
        problems.append(f"a stderr line of {max(map(len, lines)):,} characters")
    if any(len(line) > MAX_LINE for line in outcome.stdout.splitlines()):
        problems.append("a stdout line past 300 characters")
    if CONTROL.search(outcome.stderr.strip("\n")) or CONTROL.search(outcome.stdout.replace("\n", "")):
        problems.append("control characters in the output")
    if "internal error" in outcome.stderr or crash_logs:
        problems.append("the last-resort handler caught it (a bug, not a message)")
    if outcome.expect_ok is True and outcome.code != 0:
        problems.append(f"a legal file was refused: {outcome.stderr.strip()[:160]}")
    if outcome.expect_ok is False and outcome.code == 0:
        problems.append("a broken file was accepted")
    return problems


def run_batch(command: str, cases, extra: str, workdir: Path, warm_up=(), timeout: float = 240) -> list[Outcome]:
    """Run ``command`` on every case in as few driver processes as possible."""
    env = {**os.environ, "NNVIZ_BATTERY_WARM_UP": json.dumps([str(p) for p in warm_up]), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "HOME": str(workdir),
           "XDG_STATE_HOME": str(workdir / "state"), "XDG_DATA_HOME": str(workdir / "data")}
    outcomes: list[Outcome] = []
    remaining = list(cases)
    while remaining:
        process = subprocess.run(
            [sys.executable, str(HERE / "driver.py"), command, str(MEMORY_LIMIT), extra],
            input="".join(json.dumps(str(path)) + "\n" for _, path, _ in remaining),
            capture_output=True, text=True, timeout=timeout, cwd=workdir, env=env,
        )
        started = None
        for line in process.stdout.splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if "start" in record:
                started = record["start"]
                continue
            name, _, ok = remaining[record["case"]]
            outcomes.append(Outcome(command, name, ok, record["code"], record["stdout"], record["stderr"], record["escaped"]))
            started = None
        done = len([o for o in outcomes if o.command == command]) - (len(cases) - len(remaining))
        if started is None and done == len(remaining):
            break
        if started is None:
            raise RuntimeError(f"driver for {command} failed before its first case: {process.stderr[-2000:]}")
        name, _, ok = remaining[started]
        outcomes.append(Outcome(command, name, ok, None, stderr=process.stderr[-300:]))
        remaining = remaining[started + 1:]
    logs = workdir / "state"
    for outcome in outcomes:
        outcome.problems = judge(outcome)
    if logs.exists() and any(logs.rglob("*.log")):
        outcomes.append(Outcome(command, "(crash logs)", None, 1, problems=["the last-resort handler wrote crash logs"]))
        shutil.rmtree(logs)
    return outcomes


def make_workdir() -> Path:
    """A folder the unprivileged driver can read everywhere and write into."""
    workdir = Path(tempfile.mkdtemp(prefix="nnviz-battery-"))
    workdir.chmod(0o777)
    for sub in ("state", "data", "out"):
        (workdir / sub).mkdir()
        (workdir / sub).chmod(0o777)
    return workdir


def network_cases(workdir: Path):
    sys.path.insert(0, str(HERE.parent))
    from robustness.hostile_networks import write_network_cases

    from robustness.hostile_networks import write_run_cases

    return write_network_cases(workdir / "networks") + write_run_cases(workdir / "runs")


def dataset_cases(workdir: Path):
    sys.path.insert(0, str(HERE.parent))
    from robustness.hostile_datasets import write_dataset_cases

    return write_dataset_cases(workdir / "datasets")


def support_files(workdir: Path) -> tuple[str, str]:
    """A tiny good dataset (784 pixels, 10 classes) and a network that fits it."""
    sys.path.insert(0, str(HERE.parent))
    from helpers import make_idx_dataset
    from robustness.hostile_networks import SIZES

    from nnviz.core.files import save_network
    from nnviz.core.network import Network

    data = make_idx_dataset(workdir / "tiny", n_train=60, n_test=20)
    net = workdir / "fits.npz"
    save_network(Network(SIZES, seed=2), net)
    return str(data), str(net)


def run_all(workdir: Path) -> list[Outcome]:
    networks = network_cases(workdir)
    datasets = dataset_cases(workdir)
    data, net = support_files(workdir)
    for name, path, _ in networks:
        if not name.startswith("fs-"):
            path.chmod(0o644)
    os.system(f"chmod -R a+rX {workdir}/tiny {workdir}/fits.npz")
    outcomes = []
    legal_networks = [str(p) for _, p, ok in networks if ok and p.suffix == ".npz" and not p.is_symlink()]
    for command in NETWORK_COMMANDS:
        outcomes += run_batch(command, networks, data, workdir, legal_networks)
    for command in DATASET_COMMANDS:
        extra = str(workdir / "out" / "warm-up.npz") if command == "train-data" else net
        cases = datasets
        if command == "eval-data":
            # The network evaluated has 784 inputs and 10 outputs: other legal datasets do not fit it.
            cases = [(n, p, ok if ok is not True or n in FIT_784_10 else None) for n, p, ok in datasets]
        outcomes += run_batch(command, cases, extra, workdir, [data, workdir / "datasets" / "odd-uncompressed"])
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    lines = []
    for command in NETWORK_COMMANDS + DATASET_COMMANDS:
        mine = [o for o in outcomes if o.command == command]
        bad = [o for o in mine if o.problems]
        lines.append(f"{command:<11} {len(bad):>4} of {len(mine):>4} runs failed")
    bad = [o for o in outcomes if o.problems]
    lines.append(f"{'total':<11} {len(bad):>4} of {len(outcomes):>4} runs failed")
    kinds: dict[str, int] = {}
    for o in bad:
        for p in o.problems:
            kind = p.split(":")[0]
            kinds[kind] = kinds.get(kind, 0) + 1
    for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
        lines.append(f"    {n:>4}  {kind}")
    return "\n".join(lines)


def describe(outcomes: list[Outcome], limit: int = 60) -> str:
    bad = [o for o in outcomes if o.problems]
    return "\n".join(f"{o.command} {o.case}: {'; '.join(o.problems)} | {o.stderr.strip()[:150]!r}" for o in bad[:limit])


if __name__ == "__main__":
    workdir = make_workdir()
    try:
        outcomes = run_all(workdir)
        if "-v" in sys.argv:
            print(describe(outcomes, 10_000))
        print(summary(outcomes))
    finally:
        os.system(f"chmod -R u+rwX {workdir} 2>/dev/null")
        shutil.rmtree(workdir, ignore_errors=True)
