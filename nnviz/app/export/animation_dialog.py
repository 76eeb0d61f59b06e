"""What File > Export animation… asks: the timeline replay or the backpropagation walk of the
example on show, how big, how long (the format follows the file name chosen next)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtWidgets

from ...animation.options import DEFAULT_SECONDS, DEFAULT_SECONDS_PER_PAGE, DEFAULT_SIZE, MAX_SIZE, MIN_SIZE

TIMELINE, WALK = "timeline", "walk"
ANIMATION_FILTER = "GIF (*.gif);;WebP (*.webp);;Animated PNG (*.apng *.png);;MP4 video (*.mp4)"


@dataclass(frozen=True)
class AnimationRequest:
    """What to export: ``what`` (TIMELINE or WALK), the frame size, and the seconds (the whole
    replay, or each page of the walk)."""

    what: str = TIMELINE
    size: tuple[int, int] = DEFAULT_SIZE
    seconds: float = DEFAULT_SECONDS


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
        for i, box in enumerate((self.width_box, self.height_box)):
            value = DEFAULT_SIZE[i]
            box.setRange(MIN_SIZE[i], MAX_SIZE[i])
            box.setValue(value)
            box.setSuffix(" px")
        self.seconds = QtWidgets.QDoubleSpinBox()
        self.seconds.setRange(0.5, 600)
        self.seconds.setValue(DEFAULT_SECONDS)
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
        self.seconds.setValue(DEFAULT_SECONDS_PER_PAGE if walk else DEFAULT_SECONDS)

    def request(self) -> AnimationRequest:
        return AnimationRequest(self.what.currentData(), (self.width_box.value(), self.height_box.value()),
                                self.seconds.value())
