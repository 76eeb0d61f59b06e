"""Help > About, the window's icon, and `nnviz --version`."""

import subprocess
import sys
import tomllib
from pathlib import Path

from nnviz.app.shell import help

ROOT = Path(__file__).resolve().parents[2]


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_about_names_the_version_the_license_and_mnists_authors(window, qtbot):
    window.actions["about"].trigger()
    dialog = window.help.dialog
    qtbot.waitExposed(dialog)
    text = dialog.label.text()
    assert f"nnviz {project_version()}" in text
    for credit in ("Yann LeCun", "Corinna Cortes", "Christopher J.C. Burges", "CC BY-SA 3.0", "MIT"):
        assert credit in text
    dialog.close()


def test_the_window_has_an_icon_of_its_own(window):
    icon = window.windowIcon()
    assert not icon.isNull()
    picture = icon.pixmap(64, 64).toImage()
    assert picture.width() == 64
    # drawn, not a blank or one-colour square
    colours = {picture.pixelColor(x, y).name() for x in range(64) for y in range(64)}
    assert len(colours) > 20
    assert help.ICON.is_file()


def test_nnviz_version_prints_the_projects_version():
    result = subprocess.run([sys.executable, "-m", "nnviz.cli", "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.strip() == f"nnviz {project_version()}"
