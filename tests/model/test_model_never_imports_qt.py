"""The model is plain Python: importing every module of it (and of the core and the render room) brings in no Qt."""

import os
import pkgutil
import subprocess
import sys

import nnviz.core
import nnviz.model
import nnviz.render


def test_the_model_the_core_and_the_render_room_never_import_qt():
    modules = [m.name for package in (nnviz.core, nnviz.model, nnviz.render)
               for m in pkgutil.iter_modules(package.__path__, package.__name__ + ".")]
    assert "nnviz.model.window_model" in modules and "nnviz.render.raster" in modules
    code = (f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'superqt', 'shiboken6')]\n"
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ})
