"""The wheel carries MNIST and the pretrained network, so an installed nnviz works offline."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    (path,) = out.glob("nnviz-*.whl")
    return path


def test_the_wheel_contains_the_data_and_the_pretrained_network(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                 "t10k-labels-idx1-ubyte.gz", "SHA256SUMS", "pretrained-784-16-16-10.npz"):
        assert f"nnviz/assets/{name}" in names
    assert "nnviz/app/shell/icon.svg" in names  # the window's icon
    assert "nnviz/app/shell/check.svg" in names  # a checked box's tick


def test_an_installed_wheel_trains_from_its_bundled_data(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target)}
    # run from elsewhere, so that only the installed copy (not the checkout's assets/) can be found
    result = subprocess.run(
        [sys.executable, "-c", "import nnviz.core.data as d, sys; print(d.bundled_mnist_dir()); "
         "from nnviz.cli import main; sys.exit(main(['train', '--epochs', '1', '--quiet', '--batch-size', '32']))"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert str(target) in result.stdout.splitlines()[0]
    assert "epoch   1/1" in result.stdout


def test_the_core_never_imports_qt():
    # Every module under nnviz.core, found by walking the package, so that a new one is covered
    # without anyone adding it here; and the command line, which must start without Qt too.
    code = (
        "import importlib, pkgutil, sys, nnviz.core\n"
        "names = [m.name for m in pkgutil.walk_packages(nnviz.core.__path__, 'nnviz.core.')]\n"
        "for name in names + ['nnviz.cli']:\n"
        "    importlib.import_module(name)\n"
        "assert {'nnviz.core.history', 'nnviz.core.kernel', 'nnviz.core.training'} <= set(names), names\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'superqt', 'shiboken6')]\n"
        "assert not bad, bad\n"
        "print(len(names))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ})
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout) >= 12
