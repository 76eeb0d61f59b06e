"""Animations of a run: the writers (no Qt), the rendered frames, and ``nnviz animate``."""

import sys
import threading

import numpy as np
import pytest
from PIL import Image, ImageSequence

from nnviz.animation.writers import VIDEO_EXTRA, AnimationCancelled, AnimationError, check_writable, write_animation
from nnviz.cli import main
from nnviz.core.data import bundled_mnist_dir
from nnviz.core.files import load_network, save_network, save_run
from nnviz.core.history import EpochRecord, RunHistory
from nnviz.core.network import Network

PRETRAINED = bundled_mnist_dir() / "pretrained-784-16-16-10.npz"


def synthetic_frames(n, height=48, width=64):
    """Frames that differ: a bar moving across, in a colour that changes."""
    for i in range(n):
        frame = np.zeros((height, width, 3), np.uint8)
        frame[:, (i * 7) % width : (i * 7) % width + 6] = (40 * i % 256, 200, 255 - 30 * i % 256)
        yield frame


def read_frames(path):
    with Image.open(path) as image:
        return [(np.asarray(frame.convert("RGB")), frame.info.get("duration")) for frame in ImageSequence.Iterator(image)]


@pytest.mark.parametrize("suffix", [".gif", ".webp", ".apng"])
def test_frames_are_written_in_order_at_their_size_and_rate(tmp_path, suffix):
    path = tmp_path / f"run{suffix}"
    write_animation(synthetic_frames(8), path, fps=10, total=8)
    frames = read_frames(path)
    assert len(frames) == 8
    assert all(f.shape == (48, 64, 3) for f, _ in frames)
    assert all(not np.array_equal(a, b) for (a, _), (b, _) in zip(frames, frames[1:]))
    assert [duration for _, duration in frames] == [100] * 8
    # only the animation is left in the folder: the temporary file was renamed
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_cancelled_export_leaves_no_file_and_stops_rendering(tmp_path):
    path = tmp_path / "run.gif"
    asked = []

    def progress(done, total):
        asked.append((done, total))
        return done < 3

    with pytest.raises(AnimationCancelled):
        write_animation(synthetic_frames(50), path, fps=10, total=50, progress=progress)
    assert asked == [(1, 50), (2, 50), (3, 50)]
    assert list(tmp_path.iterdir()) == []


def test_an_error_while_rendering_leaves_no_file(tmp_path):
    def failing():
        yield from synthetic_frames(2)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_animation(failing(), tmp_path / "run.webp", fps=10, total=5)
    assert list(tmp_path.iterdir()) == []


def test_mp4_without_the_video_extra_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "imageio", None)
    monkeypatch.setitem(sys.modules, "imageio.v2", None)
    with pytest.raises(AnimationError) as error:
        check_writable(tmp_path / "run.mp4")
    assert str(error.value) == VIDEO_EXTRA and 'pip install "nnviz[video]"' in VIDEO_EXTRA


def test_mp4_through_the_video_extra(tmp_path):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")

    path = tmp_path / "run.mp4"
    write_animation(synthetic_frames(6), path, fps=6, total=6)
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    assert frames == 6 and seconds == pytest.approx(1.0)
    assert [p.name for p in tmp_path.iterdir()] == ["run.mp4"]


@pytest.mark.parametrize(
    "name, message",
    [("run.avi", "cannot write animations as .avi; use one of"), ("missing/run.gif", "the folder"), ("folder.gif", "is a folder")],
)
def test_an_unknown_format_or_place_is_refused_before_rendering(tmp_path, name, message):
    (tmp_path / "folder.gif").mkdir()
    with pytest.raises(AnimationError, match=message):
        check_writable(tmp_path / name)


# -- frames of a real run ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def short_run(tmp_path_factory):
    """A history of 6 checkpoints from a random network to the pretrained one, saved as a run."""
    trained = load_network(PRETRAINED)[0]
    start = Network(seed=3)
    history = RunHistory()
    for i, t in enumerate(np.linspace(0, 1, 6)):
        history.record_checkpoint(t * 2, (1 - t) * start.params + t * trained.params)
        history.record_cost(t * 2 + 0.01, 0.9 - 0.4 * t)
    history.record_epoch(EpochRecord(1, 0.3, 0.90, 0.89, 1.0))
    history.record_epoch(EpochRecord(2, 0.2, 0.95, 0.95, 1.0))
    path = tmp_path_factory.mktemp("run") / "run.npz"
    save_run(path, trained, history)
    return path, trained, history


def test_the_timeline_export_has_its_frames_size_and_the_network_moving(qapp, tmp_path, short_run, mnist):
    from nnviz.app.export.frames import Example, export_timeline

    _, trained, history = short_run
    path = tmp_path / "run.webp"
    progress = []
    export_timeline(path, trained, history, mnist, Example("test", 1), size=(480, 270), fps=4, seconds=2,
                    progress=lambda done, total: progress.append((done, total)) or True)
    assert progress == [(i, 8) for i in range(1, 9)]
    stored = read_frames(path)
    frames = [frame for frame, _ in stored]
    assert frames[0].shape == (270, 480, 3)
    # 8 frames of 250 ms; a frame equal to the one before is stored once, for longer
    assert sum(duration for _, duration in stored) == 2000
    # the network changes from frame to frame through several of the 6 checkpoints
    assert 4 <= len(frames) <= 6
    assert all(not np.array_equal(a, b) for a, b in zip(frames, frames[1:]))


def test_a_cancelled_timeline_export_leaves_no_file(qapp, tmp_path, short_run, mnist):
    from nnviz.app.export.frames import Example, export_timeline

    _, trained, history = short_run
    with pytest.raises(AnimationCancelled):
        export_timeline(tmp_path / "run.gif", trained, history, mnist, Example("test", 0), size=(320, 240),
                        fps=4, seconds=2, progress=lambda done, total: done < 2)
    assert list(tmp_path.iterdir()) == []


def test_nnviz_animate_writes_the_file_and_says_so(tmp_path, short_run, capsys):
    path, _, _ = short_run
    out = tmp_path / "run.gif"
    threads = set(threading.enumerate())
    assert main(["animate", str(path), "--out", str(out), "--size", "320x240", "--fps", "3", "--seconds", "2",
                 "--example", "validation:4", "--quiet"]) == 0
    # no Python thread left running beside Qt (tqdm's monitor was one; see nnviz/cli/animate.py)
    assert [t.name for t in set(threading.enumerate()) - threads if t.is_alive()] == []
    assert capsys.readouterr().out.startswith(f"Saved 6 frames of 320x240 to {out}")
    with Image.open(out) as image:
        assert image.size == (320, 240) and image.is_animated


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--example", "test:10001"], "--example test:10001: the test set has examples 1..10000"),
        (["--example", "test:0"], "--example test:0: the test set has examples 1..10000"),  # counts from 1
        (["--example", "holiday:3"], "the split must be train, validation or test"),
        (["--out-suffix", ".bmp"], "cannot write animations as .bmp"),
    ],
)
def test_nnviz_animate_refuses_in_one_line_and_writes_nothing(tmp_path, short_run, capsys, arguments, message):
    path, _, _ = short_run
    suffix = arguments[1] if arguments[0] == "--out-suffix" else ".gif"
    extra = [] if arguments[0] == "--out-suffix" else arguments
    assert main(["animate", str(path), "--out", str(tmp_path / f"run{suffix}"), "--quiet", *extra]) == 1
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_nnviz_animate_of_a_file_without_history_says_so(tmp_path, capsys):
    bare = tmp_path / "bare.npz"
    save_network(Network(seed=0), bare)  # the network alone: an empty history
    out = tmp_path / "out"
    out.mkdir()
    assert main(["animate", str(bare), "--out", str(out / "run.gif")]) == 1
    error = capsys.readouterr().err
    assert "has no training history to animate" in error and error.count("\n") == 1
    assert list(out.iterdir()) == []


def test_the_backprop_walk_export_holds_each_page_for_its_seconds(qapp, tmp_path, mnist):
    from nnviz.app.export.frames import Example, export_backprop_walk

    network = load_network(PRETRAINED)[0]
    path = tmp_path / "walk.apng"
    calls = []
    export_backprop_walk(path, network, mnist, Example("test", 0), 1.0, size=(640, 360), fps=2, seconds_per_page=1.5,
                         progress=lambda done, total: calls.append(total) or True)
    frames = read_frames(path)
    # 784-16-16-10 has 12 pages, 3 frames each; the writer stores a repeated frame once, for longer
    assert calls == [36] * 36
    assert [duration for _, duration in frames] == [1500] * 12
    assert frames[0][0].shape == (360, 640, 3)
    assert all(not np.array_equal(a, b) for (a, _), (b, _) in zip(frames, frames[1:]))
    # the network the walk was made on is untouched: the stepper works on a copy
    np.testing.assert_array_equal(network.params, load_network(PRETRAINED)[0].params)


def test_the_exported_frames_legend_sits_below_the_accuracy_curves_never_on_them(qapp, short_run, mnist):
    import pyqtgraph as pg

    from nnviz.app.export.frames import Example, RunFrames

    _, trained, history = short_run
    for size in ((800, 450), (1280, 720)):  # the README's animation and the default size
        frames = RunFrames(trained, history, mnist, Example("test", 0), size=size)
        try:
            frames.render(len(history) - 1)
            plot = frames.accuracy_plot
            legends = [item for item in plot.scene().items() if isinstance(item, pg.LegendItem)]
            assert len(legends) == 1 and len(legends[0].items) == 3
            data = plot.plotItem.vb.sceneBoundingRect()
            box = legends[0].sceneBoundingRect()
            assert box.width() > 50 and not box.intersects(data), (size, box, data)
            whole = plot.mapFromScene(box).boundingRect()
            assert plot.rect().contains(whole), (size, whole)  # all of it inside the frame, not cut off
            axis = plot.getAxis("bottom").sceneBoundingRect()
            assert plot.rect().contains(plot.mapFromScene(axis).boundingRect())  # the plot is not widened past it
        finally:
            frames.close()
            frames.deleteLater()
