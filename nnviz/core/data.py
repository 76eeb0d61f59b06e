"""MNIST and every dataset in its four-file IDX layout: reading, checking, splitting.

IDX: a big-endian magic number (two zero bytes, a type code, the number of dimensions),
one big-endian int32 per dimension, then the raw values. nnviz reads unsigned bytes (type
0x08): images of shape (n, rows, cols) and labels of shape (n,). Files may be gzipped.

Images stay uint8 in memory (47 MB for MNIST instead of 188 MB as float32) and are scaled
to [0, 1] a few hundred at a time, when a mini-batch needs them.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .archive import open_regular_file
from .errors import DatasetError, describe_os_error, printable, quote, shorten, shown_path

IDX_UBYTE = 0x08
#: A declared size above this is a corrupt or hostile header, not a dataset.
MAX_IDX_BYTES = 2**31
#: Deflate's best case: one compressed byte stands for at most ~1032 bytes of data.
GZIP_MAX_RATIO = 1032
#: A classes.txt larger than this is not a list of at most 1000 class names.
MAX_CLASS_FILE_BYTES = 100_000
MAX_CLASS_NAME = 100
FILE_STEMS = {
    ("train", "images"): "train-images-idx3-ubyte",
    ("train", "labels"): "train-labels-idx1-ubyte",
    ("test", "images"): "t10k-images-idx3-ubyte",
    ("test", "labels"): "t10k-labels-idx1-ubyte",
}
CLASS_NAMES_FILE = "classes.txt"
DEFAULT_VALIDATION_SIZE = 10_000
#: Pixels are stored as 0-255 and shown to the network as 0-1.
MAX_PIXEL = 255


def read_idx(path: str | Path, ndim: int | None = None) -> np.ndarray:
    """The uint8 array stored in IDX file ``path`` (gzipped or not).

    Checks the magic number, the type, the number of dimensions (``ndim`` if given) and that
    the payload holds exactly as many bytes as the header declares. The declared size is
    computed with Python integers and checked against a limit and against what a file of this
    size can hold before anything is read; decompression stops just past the declared size.
    Any problem is a DatasetError naming the file.
    """
    path = Path(path)
    where = shown_path(path)
    count = 0
    with open_regular_file(path, DatasetError) as raw:
        file_size = os.fstat(raw.fileno()).st_size
        try:
            gzipped = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            with (gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else _Unclosed(raw)) as f:
                shape, count = _read_idx_header(f, where, ndim)
                # A gzip member inflates at most ~1032-fold; a raw file holds exactly what it holds.
                if gzipped and count > (file_size - 18) * GZIP_MAX_RATIO:
                    raise DatasetError(f"{where}: declares {count:,} bytes of data (shape {shape}), more than "
                                       f"a gzip file of {file_size:,} bytes can hold")
                if not gzipped and count > file_size - 4 - 4 * len(shape):
                    have = max(file_size - 4 - 4 * len(shape), 0)
                    raise DatasetError(f"{where}: truncated: {have:,} of {count:,} data bytes for shape {shape}")
                payload = _read_at_most(f, count + 1)
        except DatasetError:
            raise
        except MemoryError:
            raise DatasetError(f"{where}: not enough memory to read its {count:,} bytes") from None
        except OSError as error:  # includes gzip.BadGzipFile
            reason = describe_os_error(error) if error.errno else printable(str(error))[:80]
            raise DatasetError(f"{where}: cannot be read ({reason})") from None
        except (EOFError, zlib.error) as error:
            reason = printable(str(error))[:80] or "unexpected end"
            raise DatasetError(f"{where}: the compressed data is truncated or corrupt ({reason})") from None
    if len(payload) < count:
        raise DatasetError(f"{where}: truncated: {len(payload):,} of {count:,} data bytes for shape {shape}")
    if len(payload) > count:
        raise DatasetError(f"{where}: has bytes beyond the {count:,} its header declares for shape {shape}")
    return np.frombuffer(payload, np.uint8).reshape(shape)


def _read_idx_header(f, where: str, ndim: int | None) -> tuple[tuple[int, ...], int]:
    header = f.read(4)
    if len(header) < 4:
        raise DatasetError(f"{where}: too short to be an IDX file ({len(header)} bytes)")
    zero, dtype_code, dims = struct.unpack(">HBB", header)
    if zero != 0:
        raise DatasetError(f"{where}: not an IDX file (bad magic number 0x{header.hex()})")
    if dtype_code != IDX_UBYTE:
        raise DatasetError(f"{where}: holds type 0x{dtype_code:02x}; nnviz reads unsigned bytes (0x08)")
    if ndim is not None and dims != ndim:
        raise DatasetError(f"{where}: has {dims} dimensions where {ndim} were expected")
    raw_shape = f.read(4 * dims)
    if len(raw_shape) < 4 * dims:
        raise DatasetError(f"{where}: truncated inside its header")
    shape = struct.unpack(f">{dims}I", raw_shape)
    count = 1
    for n in shape:
        count *= n  # Python ints: no int64 overflow whatever the header says
    if count > MAX_IDX_BYTES:
        raise DatasetError(f"{where}: declares {count:,} bytes of data (shape {shape}), too many")
    return shape, count


def _read_at_most(f, limit: int, chunk: int = 1 << 20) -> bytes:
    """Up to ``limit`` bytes of ``f``, a chunk at a time, so that memory follows the data
    actually there rather than what a header claims."""
    parts = []
    left = limit
    while left > 0:
        part = f.read(min(chunk, left))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


class _Unclosed:
    """A context manager around a file that its owner closes."""

    def __init__(self, f):
        self.f = f

    def __enter__(self):
        return self.f

    def __exit__(self, *exc):
        return False


def pixels_with_255(images: np.ndarray, dtype, buffer: np.ndarray | None = None) -> np.ndarray:
    """``images`` (k, n) uint8 as floats, each row followed by 255: that is 255 · [x, 1] for the
    network's inputs x = pixels / 255, what a Workspace with ``input_scale=MAX_PIXEL`` takes.

    Written into the first k rows of ``buffer`` (k', n + 1) when it is big enough, so that a
    loop can reuse one; the returned array may have more rows than k.
    """
    k = len(images)
    if buffer is None or len(buffer) < k or buffer.dtype != dtype or buffer.shape[1] != images.shape[1] + 1:
        buffer = np.empty((k, images.shape[1] + 1), dtype)
    buffer[:k, :-1] = images
    buffer[:k, -1] = MAX_PIXEL
    return buffer


@dataclass(frozen=True)
class Split:
    """One part of a dataset: ``images`` (n, rows·cols) uint8 and ``labels`` (n,) uint8."""

    name: str
    images: np.ndarray
    labels: np.ndarray
    image_shape: tuple[int, int]
    #: What other modules derive from the images once (a split's images never change), by key.
    derived: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # What is derived from the images is kept: they must not change under it.
        self.images.flags.writeable = False

    def __len__(self) -> int:
        return len(self.labels)

    def __getstate__(self) -> dict:
        # Sent to another process without what was derived: it derives its own, if it needs it.
        return {**self.__dict__, "derived": {}}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    def inputs(self, index=slice(None), dtype=np.float32) -> np.ndarray:
        """Images ``index`` scaled to [0, 1]: shape (n, rows·cols), or (rows·cols,) for one."""
        return np.multiply(self.images[index], np.dtype(dtype).type(1 / MAX_PIXEL), dtype=dtype)

    def image(self, i: int) -> np.ndarray:
        """Image ``i`` as (rows, cols) uint8."""
        return self.images[i].reshape(self.image_shape)


@dataclass(frozen=True)
class Dataset:
    """Training, validation and test sets.

    The validation set is held out from the end of the training file: it is for choosing
    hyper-parameters and models, and the test set only for reporting, as in Nielsen's book.
    """

    name: str
    train: Split
    validation: Split
    test: Split
    class_names: tuple[str, ...]

    @property
    def image_shape(self) -> tuple[int, int]:
        return self.train.image_shape

    @property
    def n_inputs(self) -> int:
        return self.image_shape[0] * self.image_shape[1]

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    def split(self, name: str) -> Split:
        return {"train": self.train, "validation": self.validation, "test": self.test}[name]

    def misfit(self, sizes) -> str | None:
        """None when a network with layer ``sizes`` (input first) fits this dataset's images and
        classes, else a one-line reason for the user."""
        sizes = tuple(sizes)
        if len(sizes) >= 2 and sizes[0] == self.n_inputs and sizes[-1] == self.n_classes:
            return None
        first, last = (sizes[0], sizes[-1]) if sizes else (0, 0)
        return (
            f"a {first}-input, {last}-output network cannot learn {self.name}'s "
            f"{self.n_inputs}-pixel images of {self.n_classes} classes"
        )


def bundled_mnist_dir() -> Path:
    """The MNIST files shipped with nnviz, from a wheel (``nnviz/assets``) or a checkout (``assets``)."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "assets", package.parent / "assets"):
        if (candidate / (FILE_STEMS["train", "images"] + ".gz")).is_file():
            return candidate
    raise DatasetError("the bundled MNIST files are missing from this installation; reinstall nnviz or pass --data DIR")


def load_dataset(directory: str | Path | None = None, validation_size: int | None = None) -> Dataset:
    """The dataset in ``directory`` (four IDX files, gzipped or not), or the bundled MNIST.

    An optional ``classes.txt`` beside the files names the classes, one per line; otherwise
    they are "0".."9". Labels outside the classes are an error.
    """
    bundled = directory is None
    folder = bundled_mnist_dir() if bundled else Path(directory)
    where = shown_path(folder)
    if "\0" in str(folder):
        raise DatasetError(f"{where}: not a valid folder name")
    try:
        is_folder = folder.is_dir()
    except OSError as error:  # a name too long, a loop of links
        raise DatasetError(f"{where}: cannot be opened ({describe_os_error(error)})") from None
    if not is_folder:
        raise DatasetError(f"{where}: no such folder" if not _exists(folder) else f"{where}: is not a folder")
    try:
        arrays = {key: read_idx(_find(folder, stem), ndim=3 if key[1] == "images" else 1) for key, stem in FILE_STEMS.items()}
    except MemoryError:
        raise DatasetError(f"{where}: not enough memory to load this dataset") from None
    class_names = _class_names(folder)
    parts = {}
    for part in ("train", "test"):
        images, labels = arrays[part, "images"], arrays[part, "labels"]
        if len(images) != len(labels):
            raise DatasetError(f"{where}: the {part} set has {len(images):,} images but {len(labels):,} labels")
        if len(labels) == 0:
            raise DatasetError(f"{where}: the {part} set is empty")
        if labels.max() >= len(class_names):
            bad = int(np.argmax(labels >= len(class_names)))
            raise DatasetError(
                f"{where}: {part} label {labels[bad]} at index {bad} is outside the classes 0-{len(class_names) - 1}"
            )
        parts[part] = (images, labels)
    shape = arrays["train", "images"].shape[1:]
    if arrays["test", "images"].shape[1:] != shape:
        raise DatasetError(f"{where}: training images are {shape} but test images {arrays['test', 'images'].shape[1:]}")
    if 0 in shape:
        raise DatasetError(f"{where}: its images are {shape[0]}x{shape[1]}: no pixels to learn from")
    train_images, train_labels = parts["train"]
    n_validation = validation_size if validation_size is not None else min(DEFAULT_VALIDATION_SIZE, len(train_labels) // 6)
    if not 0 < n_validation < len(train_labels):
        raise DatasetError(f"{where}: cannot hold out {n_validation:,} of {len(train_labels):,} training images for validation")
    cut = len(train_labels) - n_validation

    def make(name, images, labels):
        return Split(name, np.ascontiguousarray(images.reshape(len(images), -1)), labels, tuple(shape))

    return Dataset(
        name="MNIST" if bundled else shorten(printable(folder.name), 60),
        train=make("train", train_images[:cut], train_labels[:cut]),
        validation=make("validation", train_images[cut:], train_labels[cut:]),
        test=make("test", *parts["test"]),
        class_names=class_names,
    )


def _exists(path: Path) -> bool:
    try:
        return path.exists() or path.is_symlink()
    except OSError:
        return False


def _find(folder: Path, stem: str) -> Path:
    for name in (stem + ".gz", stem, stem.replace("-idx", ".idx") + ".gz", stem.replace("-idx", ".idx")):
        candidate = folder / name
        try:
            if candidate.exists() or candidate.is_symlink():
                return candidate  # read_idx says what is wrong with it, if anything
        except OSError as error:
            raise DatasetError(f"{shown_path(candidate)}: cannot be read ({describe_os_error(error)})") from None
    raise DatasetError(f"{shown_path(folder)}: missing {stem} (or {stem}.gz); a dataset folder holds the four MNIST-layout IDX files")


def _class_names(folder: Path) -> tuple[str, ...]:
    path = folder / CLASS_NAMES_FILE
    where = shown_path(path)
    try:
        present = path.exists() and not path.is_dir()
    except OSError as error:
        raise DatasetError(f"{where}: cannot be read ({describe_os_error(error)})") from None
    if not present:
        return tuple(str(d) for d in range(10))
    with open_regular_file(path, DatasetError) as f:
        data = f.read(MAX_CLASS_FILE_BYTES + 1)
    if len(data) > MAX_CLASS_FILE_BYTES:
        raise DatasetError(f"{where}: is larger than {MAX_CLASS_FILE_BYTES:,} bytes; it should list one class name a line")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DatasetError(f"{where}: is not UTF-8 text") from None
    names = tuple(line.strip() for line in text.splitlines() if line.strip())
    if not 2 <= len(names) <= 1000:
        raise DatasetError(f"{where}: lists {len(names)} class names; a dataset needs 2 to 1000")
    for i, name in enumerate(names):
        if len(name) > MAX_CLASS_NAME or printable(name) != name:
            raise DatasetError(f"{where}: class name {i + 1} ({quote(name, 40)}) is longer than {MAX_CLASS_NAME} "
                               "characters or holds control characters")
    return names

