"""File > Export: the network picture (PNG or SVG), the training plots, and an animation of the
run's replay or of the backpropagation walk, written with a progress dialog whose Cancel leaves
no file. A refusal (a format without its extra, a folder that cannot be written) comes before
any progress dialog, never behind one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from ...animation.options import Example
from ...animation.writers import FORMATS, AnimationCancelled, check_writable
from ...core.errors import NnvizError
from ...model import Source, WindowModel
from ..export import frames
from ..export.animation_dialog import ANIMATION_FILTER, TIMELINE, AnimationDialog, AnimationRequest
from ..export.svg import write_svg
from ..shell.actions import Actions
from ..shell.dialogs import PICTURE_FILTER, Dialogs
from ..shell.status import Lasting, Status
from ..views.network.network_view import NetworkView
from ..views.plots import PlotsPanel
from .base import Component


class ExportComponent(Component):
    def __init__(self, model: WindowModel, network_view: NetworkView, plots: PlotsPanel, actions: Actions,
                 dialogs: Dialogs, status: Status, folder: Callable[[], str], parent: QtWidgets.QWidget):
        super().__init__(model, parent)
        self.network_view, self.plots, self.dialogs, self.status, self.folder = network_view, plots, dialogs, status, folder
        self.window = parent
        actions.serve("export_picture", self.export_network)
        actions.serve("export_plots", self.export_plots)
        actions.serve("export_animation", self.export_animation)
        self.progress: QtWidgets.QProgressDialog | None = None

    def export_network(self, path: str | Path | None = None) -> bool:
        """The network picture as PNG (what the view shows) or SVG (vector, every drawn edge)."""
        return self._export(path, "Export network picture", "network", self.network_view, self._network_svg)

    def _network_svg(self, path: Path) -> None:
        with self.network_view.vector_rendering():
            write_svg(self.network_view, path)

    def export_plots(self, path: str | Path | None = None) -> bool:
        """The training plots as one PNG, or as two SVGs (NAME-cost.svg and NAME-accuracy.svg)."""
        return self._export(path, "Export plots", "plots", self.plots, self._plots_svg)

    def _plots_svg(self, path: Path) -> None:
        for name, plot in self.plots.named_plots():
            write_svg(plot, path.with_name(f"{path.stem}-{name}.svg"))

    def _export(self, path, title: str, stem: str, widget: QtWidgets.QWidget, write_svg_of) -> bool:
        path = path or self.dialogs.save_file(title, Path(self.folder()) / f"{stem}.png", PICTURE_FILTER)
        if not path:
            return False
        path = Path(path)
        try:
            if path.suffix.lower() == ".svg":
                write_svg_of(path)
            elif not widget.grab().save(str(path)):
                raise OSError(f"could not write {path}")
        except OSError as error:
            self.dialogs.show_error("Cannot export", str(error))
            return False
        self.status.say(f"Exported {path}", Lasting.NOTICE)
        return True

    def export_animation(self, path: str | Path | None = None, request: AnimationRequest | None = None) -> bool:
        """Ask what to export (unless ``request``) and where (unless ``path``), then render with a
        progress dialog; True when a file was written."""
        model = self.model
        example = model.example
        if example.source == Source.DRAWING:
            self.dialogs.show_error("Cannot export animation", "Choose an example of the dataset: the drawing has no "
                                                               "walk to replay.")
            return False
        if request is None:
            dialog = AnimationDialog(bool(len(model.history)), self.window)
            accepted = dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted
            request = dialog.request()
            dialog.deleteLater()
            if not accepted:
                return False
        if path is None:
            suggestion = Path(self.folder()) / f"{'run' if request.what == TIMELINE else 'backprop'}.gif"
            path = self.dialogs.save_file("Export animation", suggestion, ANIMATION_FILTER)
            if not path:
                return False
        path = Path(path)
        if path.suffix.lower() not in FORMATS:
            path = path.with_suffix(".gif")
        try:
            check_writable(path)  # before the progress dialog: a refusal is never hidden behind it
        except NnvizError as error:
            self.dialogs.show_error("Cannot export animation", str(error))
            return False
        self.progress = progress = QtWidgets.QProgressDialog("Rendering the animation…", "Cancel", 0, 100, self.window)
        progress.setWindowTitle("Export animation")
        progress.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setValue(0)
        chosen = Example(example.split, example.index)
        try:
            if request.what == TIMELINE:
                frames.export_timeline(path, model.network, model.history, model.dataset, chosen, request.size,
                                       seconds=request.seconds, progress=self._report, edge_fraction=model.edge_fraction)
            else:
                frames.export_backprop_walk(path, model.shown, model.dataset, chosen, model.options.learning_rate,
                                            request.size, seconds_per_page=request.seconds, progress=self._report,
                                            edge_fraction=model.edge_fraction)
        except AnimationCancelled:
            self.status.say("Animation cancelled: no file written", Lasting.NOTICE)
            return False
        except (NnvizError, OSError) as error:
            progress.close()
            self.dialogs.show_error("Cannot export animation", str(error))
            return False
        finally:
            progress.close()
            progress.deleteLater()
            self.progress = None
        self.status.say(f"Exported {path}", Lasting.NOTICE)
        return True

    def _report(self, done: int, total: int) -> bool:
        progress = self.progress
        progress.setMaximum(max(total, 1))
        progress.setValue(min(done, total))
        QtWidgets.QApplication.processEvents()
        return not progress.wasCanceled()
