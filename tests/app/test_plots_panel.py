"""The Training tab's plots while a run grows: each refresh draws the new mini-batch costs, the
epochs' means only when an epoch has ended (each curve set costs milliseconds of a busy turn)."""

import numpy as np
import pytest
from PySide6 import QtGui, QtWidgets

from nnviz.app.views.plots import PADDING, PlotsPanel
from nnviz.core.history import EpochRecord, RunHistory

from helpers import shown_at


def test_the_epochs_curve_is_set_again_only_when_an_epoch_ends_and_always_shows_them_all(qtbot, monkeypatch):
    panel = PlotsPanel()
    qtbot.addWidget(panel)
    history = RunHistory()
    panel.show_history(history)
    sets = []
    set_data = panel.epoch_curve.setData
    monkeypatch.setattr(panel.epoch_curve, "setData", lambda *a, **k: sets.append(1) or set_data(*a, **k))
    position = 0.0
    for epoch in (1, 2):
        for _ in range(5):  # a run growing by mini-batch costs: the batch curve follows each time
            position += 0.1
            history = history.copy()  # as each snapshot of a live run brings a new history
            history.record_cost(position, 1 / position)
            panel.show_history(history)
            assert panel.refresh(force=True)
            np.testing.assert_array_equal(panel.batch_curve.xData, history.cost_positions)
        history.record_epoch(EpochRecord(epoch, 0.5 / epoch, 0.8, None, 1.0))
        panel.show_history(history)
        panel.refresh(force=True)
    assert len(sets) == 2  # once per epoch's end, though every snapshot brings a new history
    np.testing.assert_array_equal(panel.epoch_curve.xData, [1.0, 2.0])
    np.testing.assert_allclose(panel.epoch_curve.yData, [0.5, 0.25])
    other = RunHistory()  # another run of the same length is drawn anew
    for k in range(10):
        other.record_cost(0.1 * (k + 1), 2.0)
    other.record_epoch(EpochRecord(1, 2.0, 0.5, None, 1.0))
    other.record_epoch(EpochRecord(2, 2.0, 0.5, None, 1.0))
    panel.show_history(other)
    panel.refresh(force=True)
    np.testing.assert_allclose(panel.epoch_curve.yData, [2.0, 2.0])


def test_a_refresh_that_moves_only_the_view_rebuilds_no_points_of_the_epochs(qtbot, monkeypatch):
    import pyqtgraph as pg

    panel = shown_at(qtbot, PlotsPanel(), 900, 250)
    history = RunHistory()
    for k in range(1, 21):
        history.record_cost(0.1 * k, 1 / k)
    history.record_epoch(EpochRecord(1, 0.3, 0.8, None, 1.0))
    panel.show_history(history)
    panel.refresh(force=True)
    panel.grab()
    rebuilt = []
    set_data = pg.ScatterPlotItem.setData
    monkeypatch.setattr(pg.ScatterPlotItem, "setData", lambda self, *a, **k: rebuilt.append(self) or set_data(self, *a, **k))
    for k in range(21, 31):  # the costs go on falling: the cost plot's range changes each time
        history.record_cost(0.1 * k, 1 / k ** 2)
        panel.show_history(history)
        panel.refresh(force=True)
        panel.grab()
    # the epoch's point is where it was: pyqtgraph's default re-set every curve's points at each
    # change of the view's range (its "dynamic range limit", for values far off screen)
    assert rebuilt == []
    np.testing.assert_allclose(panel.epoch_curve.yData, [0.3])


def test_a_change_of_a_plots_range_lays_out_no_hidden_axis_label_again(qtbot, monkeypatch):
    import pyqtgraph as pg

    from nnviz.app.views.plot import Plot

    plot = Plot()
    qtbot.addWidget(plot)
    curve = plot.plot([0, 1], [1, 2])
    plot.grab()
    laid_out = []
    update_label = pg.AxisItem._updateLabel
    monkeypatch.setattr(pg.AxisItem, "_updateLabel", lambda self: laid_out.append(self) or update_label(self))
    for k in range(2, 8):
        curve.setData(np.arange(k + 1), np.arange(k + 1) ** 2)
        plot.grab()
    assert [axis for axis in laid_out if not axis.isVisible()] == []



def test_a_long_runs_mini_batch_costs_are_drawn_as_the_pixels_hold_them(qtbot):
    panel = shown_at(qtbot, PlotsPanel(), 900, 250)
    history = RunHistory()
    for k in range(1, 7801):  # 65 epochs of the article's network: a point per 50 mini-batches
        history.record_cost(k / 120, 1 / np.sqrt(k))
    panel.show_history(history)
    panel.refresh(force=True)
    panel.grab()
    assert len(panel.batch_curve.xData) == 7800  # all of them kept
    drawn, _ = panel.batch_curve.getData()
    assert len(drawn) <= 10 * panel.cost_plot.width()  # ~5 samples a pixel, a low and a high each
    assert drawn.min() < 0.1 and drawn.max() > 64.9  # from the run's start to its end


def _growing_run(panel, history, start, stop, per_epoch=20, cost=lambda x: 0.09 * np.exp(-x / 3)):
    """Mini-batch costs from ``start`` to ``stop`` epochs, an epoch's record at each whole epoch,
    each new point drawn as a live refresh draws it; yields after each refresh."""
    for k in range(round(start * per_epoch) + 1, round(stop * per_epoch) + 1):
        position = k / per_epoch
        history.record_cost(position, cost(position))
        if k % per_epoch == 0:
            history.record_epoch(EpochRecord(k // per_epoch, cost(position), 0.80 + 0.01 * k / per_epoch, None, 1.0))
        panel.show_history(history)
        panel.refresh(force=True)
        yield position


def _inside(plot, xs, ys):
    (x0, x1), (y0, y1) = plot.plotItem.vb.viewRange()
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    return bool(np.all((x0 <= xs) & (xs <= x1) & (y0 <= ys) & (ys <= y1)))


def test_a_live_runs_plots_hold_every_point_and_change_their_axes_only_in_steps(qtbot, monkeypatch):
    import pyqtgraph as pg

    panel = shown_at(qtbot, PlotsPanel(), 900, 250)
    history = RunHistory()
    list(_growing_run(panel, history, 0, 1))
    panel.grab()
    laid_out = []
    generate = pg.AxisItem.generateDrawSpecs
    monkeypatch.setattr(pg.AxisItem, "generateDrawSpecs", lambda self, p: laid_out.append(self) or generate(self, p))
    refreshes = 0
    for position in _growing_run(panel, history, 1, 4):
        refreshes += 1
        panel.refresh_accuracy()
        panel.grab()
        # every point of both plots is in view, to the end of the epoch being trained
        log_costs = np.log10(history.cost_values)
        assert _inside(panel.cost_plot, history.cost_positions, log_costs)
        accuracies = 100 * np.array([r.validation_accuracy for r in history.epochs])
        assert _inside(panel.accuracy_plot, [r.epoch for r in history.epochs], accuracies)
        for plot in (panel.cost_plot, panel.accuracy_plot):
            assert plot.plotItem.vb.viewRange()[0][1] == pytest.approx(np.ceil(position - 1e-9) * (1 + PADDING), abs=0.03)
    # 60 refreshes over three epochs: the axes laid out again a few times an epoch, not at each
    assert refreshes == 60 and 0 < len(laid_out) <= 4 * 3 * 2


@pytest.mark.parametrize("log", [True, False])
def test_both_runs_points_are_in_view_on_either_scale(qtbot, log):
    panel = shown_at(qtbot, PlotsPanel(), 900, 250)
    panel.set_log_scale(log)
    other = RunHistory()
    list(_growing_run(panel, other, 0, 5, cost=lambda x: 2.0 + np.sin(x)))  # longer, and costlier
    history = RunHistory()
    panel.clear()
    panel.show_comparison(other, "slower")
    list(_growing_run(panel, history, 0, 2.5))
    panel.refresh_accuracy()
    for run in (history, other):
        ys = np.log10(run.cost_values) if log else run.cost_values
        assert _inside(panel.cost_plot, run.cost_positions, ys)
    assert panel.cost_plot.plotItem.vb.viewRange()[0][1] >= 5.0


def _wheel(plot, steps=1):
    """A turn of the mouse wheel over the middle of ``plot``'s data, as a person zooms."""
    from PySide6 import QtCore, QtWidgets

    box = plot.plotItem.vb
    event = QtWidgets.QGraphicsSceneWheelEvent(QtCore.QEvent.Type.GraphicsSceneWheel)
    event.setDelta(120 * steps)
    event.setOrientation(QtCore.Qt.Orientation.Vertical)
    event.setPos(box.boundingRect().center())
    box.wheelEvent(event)


def test_a_plot_the_learner_zoomed_stays_until_its_a_button_or_a_new_run(qtbot):
    panel = shown_at(qtbot, PlotsPanel(), 900, 250)
    history = RunHistory()
    list(_growing_run(panel, history, 0, 1.5))
    plot, box = panel.cost_plot, panel.cost_plot.plotItem.vb
    framed = box.viewRange()
    _wheel(plot, 3)  # zoomed in
    zoomed = box.viewRange()
    assert zoomed[0][1] - zoomed[0][0] < 0.9 * (framed[0][1] - framed[0][0]) and plot.held
    list(_growing_run(panel, history, 1.5, 2.5))
    np.testing.assert_allclose(box.viewRange(), zoomed)  # the run went on; the learner's view stayed
    assert not panel.accuracy_plot.held  # the other plot follows its data
    assert panel.accuracy_plot.plotItem.vb.viewRange()[0][1] == pytest.approx(3 * (1 + PADDING), abs=0.03)
    plot.plotItem.autoBtn.clicked.emit(plot.plotItem.autoBtn)  # the "A" in the plot's corner
    # framed again at once, in steps, holding everything: not pyqtgraph's own autorange
    assert not plot.held and not any(box.autoRangeEnabled())
    assert box.viewRange()[0][1] == pytest.approx(3 * (1 + PADDING), abs=0.03)
    list(_growing_run(panel, history, 2.5, 3.5))
    assert box.viewRange()[0][1] == pytest.approx(4 * (1 + PADDING), abs=0.03)  # and follows the run again
    _wheel(plot, -2)
    panel.clear()  # a new run
    list(_growing_run(panel, RunHistory(), 0, 0.5))
    assert not plot.held and box.viewRange()[0][1] == pytest.approx(1 + PADDING, abs=0.01)


def test_the_a_button_shows_only_on_a_plot_the_learner_moved(qtbot):
    panel = shown_at(qtbot, PlotsPanel(), 900, 250)
    list(_growing_run(panel, RunHistory(), 0, 1.5))
    item = panel.cost_plot.plotItem
    item.mouseHovering = True  # the pointer over the plot
    item.updateButtons()
    assert not item.autoBtn.isVisible()  # pyqtgraph's own rule showed it: its autorange is off
    _wheel(panel.cost_plot)
    assert item.autoBtn.isVisible()
    item.autoBtn.clicked.emit(item.autoBtn)
    assert not item.autoBtn.isVisible()


@pytest.mark.parametrize("log", [True, False])
def test_the_plots_keep_their_layout_while_the_labels_change_and_every_label_fits(qtbot, log):
    panel = shown_at(qtbot, PlotsPanel(), 900, 250)
    panel.set_log_scale(log)
    history = RunHistory()
    boxes = set()
    # cost from 1 down through four decades, accuracy from 9% to 99%: the ticks' labels go from
    # "1" to "0.0001" and from "10" to "100"
    for position in _growing_run(panel, history, 0, 10, per_epoch=4, cost=lambda x: 10 ** (-0.4 * x)):
        panel.refresh_accuracy()
        panel.grab()
        qtbot.wait(1)  # the layout a paint asked for
        boxes.add(tuple(tuple(plot.plotItem.vb.geometry().getRect()) for plot in (panel.cost_plot, panel.accuracy_plot)))
        for plot in (panel.cost_plot, panel.accuracy_plot):
            _assert_every_label_drawn(plot)
    assert len(boxes) == 1



def _assert_every_label_drawn(plot):
    """Every label of the left axis's major ticks is drawn: pyqtgraph silently drops one its axis
    has no room for."""
    from PySide6 import QtGui

    axis = plot.getAxis("left")
    image = QtGui.QImage(10, 10, QtGui.QImage.Format.Format_ARGB32)
    painter = QtGui.QPainter(image)
    _, _, texts = axis.generateDrawSpecs(painter)
    painter.end()
    low, high = axis.range
    spacing, values = axis.tickValues(low, high, axis.height())[0]
    values = [v for v in values if low <= v <= high]
    wanted = {t for t in axis.tickStrings(values, axis.autoSIPrefixScale * axis.scale, spacing) if t}
    assert wanted and wanted <= {text for _, _, text in texts}, (wanted, [t for _, _, t in texts])
    if axis.label.isVisible():  # and clear of the axis's title ("cost"), which pyqtgraph lets them overwrite
        title = axis.label.mapRectToParent(axis.label.boundingRect())
        assert all(rect.left() >= title.right() - 2 for rect, _, _ in texts), (title, [(t, r.left()) for r, _, t in texts])


def test_a_flat_costs_labels_fit_on_a_linear_axis(qtbot):
    # a network that learns nothing: its cost stays at 1.25 to the fifth decimal
    panel = shown_at(qtbot, PlotsPanel(), 900, 250)
    panel.set_log_scale(False)
    list(_growing_run(panel, RunHistory(), 0, 2, cost=lambda x: 1.25 + 1e-5 * np.sin(7 * x)))
    panel.grab()
    _assert_every_label_drawn(panel.cost_plot)


def test_the_last_epoch_of_a_finished_run_is_labelled(qtbot):
    # the Training tab at 1280x720: each plot ~380 pixels wide, a 30-epoch run
    panel = shown_at(qtbot, PlotsPanel(), 760, 200)
    list(_growing_run(panel, RunHistory(), 0, 30, per_epoch=4))
    panel.refresh_accuracy()
    panel.grab()
    from PySide6 import QtGui

    for plot in (panel.cost_plot, panel.accuracy_plot):
        image = QtGui.QImage(10, 10, QtGui.QImage.Format.Format_ARGB32)
        painter = QtGui.QPainter(image)
        _, _, texts = plot.getAxis("bottom").generateDrawSpecs(painter)
        painter.end()
        assert "30" in {text for _, _, text in texts}  # pyqtgraph drops a label with no room


def test_a_checked_box_shows_a_tick_and_an_unchecked_one_none(window):
    # A filled square alone did not tell a learner whether "log scale" was on.
    box = window.plots.log_scale
    QtWidgets.QApplication.processEvents()

    def white_pixels() -> int:
        image = box.grab().toImage()
        indicator = [QtGui.QColor(image.pixel(x, y)) for x in range(0, 20) for y in range(image.height())]
        return sum(c.red() > 220 and c.green() > 220 and c.blue() > 220 for c in indicator)
    assert box.isChecked() and white_pixels() >= 4
    box.setChecked(False)
    QtWidgets.QApplication.processEvents()
    assert white_pixels() == 0


def test_a_short_plots_labels_keep_apart(qtbot):
    # At 1280x720 the accuracy plot is ~45 pixels high: pyqtgraph wrote 0, 20, ... 100 into it.
    from nnviz.app.views.plots import TICK_GAP

    panel = shown_at(qtbot, PlotsPanel(), 900, 240)
    for plot in (panel.accuracy_plot, panel.cost_plot):
        axis = plot.getAxis("left")
        for low, high, pixels in ((0, 100, 50), (92, 97, 40), (-2, 0, 45), (0, 100, 400)):
            levels = axis.tickSpacing(low, high, pixels)
            assert levels and all(spacing * pixels / (high - low) >= TICK_GAP for spacing, _ in levels)
        # as many labels as fit, up to six: a tall plot in steps of 20, a short one of a few points
        assert axis.tickSpacing(0, 100, 400)[0][0] == 20
        assert axis.tickSpacing(92, 97, 50)[0][0] == 2  # 92, 94, 96 (not 95 alone)
