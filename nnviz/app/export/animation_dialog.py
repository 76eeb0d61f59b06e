"""File > Export animation…: the timeline replay or the backpropagation walk of the example on show,
written with a progress dialog whose Cancel leaves no file.

A mixin of ``MainWindow``; the rendering is ``animation.export_timeline``/``export_backprop_walk``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from ...animation.writers import AnimationCancelled, FORMATS
from ...core.errors import NnvizError
from ...model import Source
from . import frames as animation

TIMELINE, WALK = "timeline", "walk"
ANIMATION_FILTER = "GIF (*.gif);;WebP (*.webp);;Animated PNG (*.apng *.png);;MP4 video (*.mp4)"


@dataclass(frozen=True)
class AnimationRequest:
    """What to export: ``what`` (TIMELINE or WALK), the frame size, and the seconds (the whole
    replay, or each page of the walk)."""

    what: str = TIMELINE
    size: tuple[int, int] = animation.DEFAULT_SIZE
    seconds: float = animation.DEFAULT_SECONDS


class AnimationDialog(QtWidgets.QDialog):
    """What to export, how big and how long; the format follows the file name chosen next."""

    def __init__(self, has_history: bool, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export animation")
        self.what = QtWidgets.QComboBox()
        self.what.addItem("The run replayed (the timeline)", TIMELINE)
        self.what.addItem("Backpropagation, step by step, for the example on show", WALK)
        if not has_history:
            # Nothing recorded yet: only the walk can be shown.
            self.what.model().item(0).setEnabled(False)
            self.what.setCurrentIndex(1)
        self.width_box, self.height_box = QtWidgets.QSpinBox(), QtWidgets.QSpinBox()
        for box, value in ((self.width_box, animation.DEFAULT_SIZE[0]), (self.height_box, animation.DEFAULT_SIZE[1])):
            box.setRange(160, 3840)
            box.setValue(value)
            box.setSuffix(" px")
        self.seconds = QtWidgets.QDoubleSpinBox()
        self.seconds.setRange(0.5, 600)
        self.seconds.setValue(animation.DEFAULT_SECONDS)
        self.seconds.setSuffix(" s")
        self.what.currentIndexChanged.connect(self._on_what_changed)
        size = QtWidgets.QHBoxLayout()
        size.addWidget(self.width_box)
        size.addWidget(QtWidgets.QLabel("×"))
        size.addWidget(self.height_box)
        form = QtWidgets.QFormLayout(self)
        form.addRow("What", self.what)
        form.addRow("Size", size)
        self.seconds_label = QtWidgets.QLabel()
        form.addRow(self.seconds_label, self.seconds)
        form.addRow(QtWidgets.QLabel("The format follows the file name: .gif, .webp, .apng or .mp4."))
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok
                                             | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._on_what_changed()

    def _on_what_changed(self) -> None:
        walk = self.what.currentData() == WALK
        self.seconds_label.setText("Seconds per step" if walk else "Seconds in all")
        self.seconds.setValue(4.0 if walk else animation.DEFAULT_SECONDS)

    def request(self) -> AnimationRequest:
        return AnimationRequest(self.what.currentData(), (self.width_box.value(), self.height_box.value()),
                                self.seconds.value())


class AnimationExport:
    """File > Export animation…; mixed into MainWindow."""

    def _add_animation_export(self) -> None:
        menu = self.file_menu
        plots = next(a for a in menu.actions() if a.text() == "Export &plots…")
        after = menu.actions()[menu.actions().index(plots) + 1]
        self.export_animation_action = menu.addAction("Export &animation…")
        menu.insertAction(after, self.export_animation_action)
        self.export_animation_action.triggered.connect(lambda: self.export_animation())

    def export_animation(self, path: str | Path | None = None, request: AnimationRequest | None = None) -> bool:
        """Ask what to export (unless ``request``) and where (unless ``path``), then render with a
        progress dialog; True when a file was written."""
        example = self.model.example
        if example.source == Source.DRAWING:
            self.show_error("Cannot export animation", "Choose an example of the dataset: the drawing has no walk to "
                                                       "replay.")
            return False
        if request is None:
            dialog = AnimationDialog(bool(len(self.model.history)), self)
            if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
                return False
            request = dialog.request()
        if path is None:
            suggestion = str(Path(self._folder()) / f"{'run' if request.what == TIMELINE else 'backprop'}.gif")
            path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "Export animation", suggestion, ANIMATION_FILTER)
            if not path:
                return False
        path = Path(path)
        if path.suffix.lower() not in FORMATS:
            path = path.with_suffix(".gif")
        self.animation_progress = progress = QtWidgets.QProgressDialog("Rendering the animation…", "Cancel", 0, 100, self)
        progress.setWindowTitle("Export animation")
        progress.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setValue(0)

        def report(done: int, total: int) -> bool:
            progress.setMaximum(max(total, 1))
            progress.setValue(min(done, total))
            QtWidgets.QApplication.processEvents()
            return not progress.wasCanceled()

        chosen = animation.Example(example.split, example.index)
        try:
            if request.what == TIMELINE:
                animation.export_timeline(path, self.model.live_network(), self.model.history, self.dataset, chosen,
                                          request.size, seconds=request.seconds, progress=report)
            else:
                animation.export_backprop_walk(path, self.network, self.dataset, chosen, self.model.options.learning_rate,
                                               request.size, seconds_per_page=request.seconds, progress=report)
        except AnimationCancelled:
            self.statusBar().showMessage("Animation cancelled: no file written", 4000)
            return False
        except (NnvizError, OSError) as error:
            self.show_error("Cannot export animation", str(error))
            return False
        finally:
            progress.close()
            progress.deleteLater()
            self.animation_progress = None
        self.statusBar().showMessage(f"Exported {path}", 4000)
        return True
