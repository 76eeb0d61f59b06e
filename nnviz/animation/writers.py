"""Writing frames (H x W x 3 uint8 arrays) as an animated GIF, APNG, WebP or MP4. No Qt here.

GIF, APNG and WebP go through Pillow; MP4 through imageio and the ffmpeg binary of
imageio-ffmpeg, the optional extra ``nnviz[video]``. Every writer writes to a temporary file
beside the target and renames it at the end, so that an error, a cancel or Ctrl+C never leaves a
partial file under the target's name.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from ..core.errors import NnvizError

FORMATS = {".gif": "GIF", ".webp": "WebP", ".apng": "APNG", ".png": "APNG", ".mp4": "MP4"}
VIDEO_EXTRA = 'MP4 needs the optional video extra: pip install "nnviz[video]" (imageio and imageio-ffmpeg)'

#: progress(frames_done, frames_total) -> False to cancel.
Progress = Callable[[int, int], bool]


class AnimationError(NnvizError):
    """An animation that cannot be written: its format, its place, a missing extra."""


class AnimationCancelled(NnvizError):
    """The progress callback asked to stop; nothing was written."""


def animation_format(path: str | Path) -> str:
    """The format named by ``path``'s suffix, or an AnimationError listing the known ones."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise AnimationError(f"{Path(path).name}: cannot write animations as {suffix or 'a file without a suffix'}; use one of {known}")
    return FORMATS[suffix]


def check_writable(path: str | Path) -> str:
    """The format of ``path`` after checking it can be written there and, for MP4, the extra.

    Called before any frame is rendered, so that a bad target fails at once.
    """
    path = Path(path)
    kind = animation_format(path)
    if kind == "MP4":
        _imageio()
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise AnimationError(f"{path}: is a folder")
    if not folder.is_dir():
        raise AnimationError(f"{path}: the folder {folder} does not exist")
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{path.name}.", suffix=".probe"):
            pass
    except OSError as error:
        raise AnimationError(f"{path}: cannot be written ({error.strerror or error})") from None
    return kind


def _imageio():
    try:
        import imageio.v2 as imageio
        import imageio_ffmpeg  # noqa: F401  (imageio finds ffmpeg through it)
    except ImportError:
        raise AnimationError(VIDEO_EXTRA) from None
    return imageio


def write_animation(
    frames: Iterable[np.ndarray],
    path: str | Path,
    fps: float,
    total: int,
    progress: Progress | None = None,
    colours: int = 128,
    palette_frames: Sequence[np.ndarray] = (),
) -> Path:
    """Write ``frames`` (``total`` of them, each H x W x 3 uint8) to ``path`` at ``fps``.

    ``progress`` is called after every frame; if it returns False the temporary file is removed
    and AnimationCancelled raised. A GIF has one palette of ``colours`` for all its frames,
    chosen from ``palette_frames`` (e.g. the first and the last) and the first frame: pixels that
    do not change then keep their index, and GIF only stores what changed.
    """
    path = Path(path)
    kind = check_writable(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.", suffix=f".part{path.suffix}")
    os.close(handle)
    temporary = Path(temporary)
    try:
        counted = _counted(frames, total, progress)
        if kind == "MP4":
            _write_mp4(counted, temporary, fps)
        else:
            _write_pillow(counted, temporary, kind, fps, colours, palette_frames)
        # mkstemp makes the file readable by its owner only; an animation is for sharing.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return path


def _counted(frames: Iterable[np.ndarray], total: int, progress: Progress | None):
    done = 0
    for frame in frames:
        yield frame
        done += 1
        if progress is not None and progress(done, total) is False:
            raise AnimationCancelled("the export was cancelled; nothing was written")


def _write_pillow(frames, temporary: Path, kind: str, fps: float, colours: int, palette_frames) -> None:
    from PIL import Image

    palette = None

    def images():
        nonlocal palette
        for frame in frames:
            image = Image.fromarray(np.ascontiguousarray(frame), "RGB")
            if kind == "GIF":
                if palette is None:
                    sample = np.concatenate([frame, *(f for f in palette_frames if f.shape[1:] == frame.shape[1:])])
                    palette = Image.fromarray(sample, "RGB").quantize(colours, method=Image.Quantize.MEDIANCUT)
                # No dithering: its noise changes from frame to frame and grows the file.
                image = image.quantize(palette=palette, dither=Image.Dither.NONE)
            yield image

    sequence = images()
    first = next(sequence, None)
    if first is None:
        raise AnimationError("no frames to write")
    # Pillow's APNG writer takes only a list; the others stream from the generator.
    rest = list(sequence) if kind == "APNG" else sequence
    options = {"save_all": True, "append_images": rest, "duration": round(1000 / fps), "loop": 0}
    if kind == "WebP":
        options.update(quality=80, method=4)
    elif kind == "GIF":
        options.update(optimize=False, disposal=1)
    # Our own file object, closed even when Ctrl+C interrupts Pillow halfway.
    with open(temporary, "wb") as file:
        first.save(file, format="PNG" if kind == "APNG" else kind, **options)  # Pillow writes APNG as PNG


def _write_mp4(frames, temporary: Path, fps: float) -> None:
    imageio = _imageio()
    writer = imageio.get_writer(temporary, format="FFMPEG", mode="I", fps=fps, codec="libx264",
                                quality=7, pixelformat="yuv420p", macro_block_size=2, ffmpeg_log_level="error")
    try:
        for frame in frames:
            writer.append_data(frame)
    finally:
        writer.close()
