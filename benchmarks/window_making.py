"""What making a window costs, and which of its views and components cost most.

    python -m benchmarks.window_making [--windows 8]

Makes, shows and closes ``--windows`` windows offscreen (the first, which pays for imports and
caches, is not counted) and prints the median CPU time of ``make_window`` and of the whole
life of a window, then each view's and component's own constructor as a share of making the
window. The test suite makes a window for most of its app tests, and a person waits for one at
start-up: this is the figure to watch when a view is added.
"""

from __future__ import annotations

import argparse
import collections
import gc
import os
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the window has it (cli.one_blas_thread_for_the_window)

from PySide6 import QtCore, QtWidgets  # noqa: E402


def timed_constructors(module, spent: collections.Counter) -> None:
    """Replace each Qt class ``module`` names by a subclass that adds its constructor's CPU time to ``spent``."""
    for name in dir(module):
        cls = getattr(module, name)
        if isinstance(cls, type) and issubclass(cls, QtCore.QObject) and cls.__module__.startswith("nnviz."):
            def timed(cls=cls, name=name):
                class Timed(cls):
                    def __init__(self, *args, **kwargs):
                        start = time.process_time()
                        super().__init__(*args, **kwargs)
                        spent[name] += time.process_time() - start
                Timed.__name__ = Timed.__qualname__ = cls.__name__
                return Timed
            setattr(module, name, timed())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=8)
    args = parser.parse_args()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    from nnviz.app.main import make_window
    from nnviz.app.window import main_window

    spent: collections.Counter = collections.Counter()
    timed_constructors(main_window, spent)
    folder = tempfile.mkdtemp()
    making, lives = [], []
    for i in range(args.windows + 1):
        if i == 1:
            spent.clear()
        settings = QtCore.QSettings(os.path.join(folder, f"{i}.ini"), QtCore.QSettings.Format.IniFormat)
        start = time.process_time()
        window = make_window(settings=settings)
        made = time.process_time()
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        window.controller.shutdown()
        window.model.set_dirty(False)
        window.close()
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
        app.processEvents()
        gc.collect()
        if i:
            making.append(made - start)
            lives.append(time.process_time() - start)
    median = statistics.median(making)
    print(f"make_window: median {median * 1e3:.1f} ms of CPU over {args.windows} windows "
          f"(made, shown at 1400x900 and closed: {statistics.median(lives) * 1e3:.1f} ms)")
    for name, seconds in spent.most_common(12):
        share = seconds / args.windows / median
        print(f"  {seconds / args.windows * 1e3:6.1f} ms  {share:5.1%}  {name}")


if __name__ == "__main__":
    main()
