"""What ``nnviz dream`` and ``nnviz fool`` share: the network and its images' shape, and writing a
28x28 grayscale PNG (pixel = round(255 × the network's input)) with its JSON beside it.

Both targets are checked before anything is computed, and each file is written under a temporary
name and renamed when whole: an error never leaves a half-written file (nor loses an old one)."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import numpy as np

from ..core.errors import NnvizError, describe_os_error, shown_path


def add_common_options(command) -> None:
    command.add_argument("file", type=Path, help="a network file (.npz)")
    command.add_argument("--out", type=Path, required=True, metavar="PNG", help="the image to write (a 28x28 grayscale PNG)")
    command.add_argument("--json", type=Path, metavar="FILE", help="also write what was found as JSON here")
    command.add_argument("--data", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                         help="a dataset folder in MNIST's IDX layout (default: the bundled MNIST), for its examples, "
                              "class names and image size")


def load(args, needs_data: bool):
    """(network, image shape, class names, the dataset or None): the dataset is read only when
    it is needed or named, as it takes a second."""
    from ..core.data import load_dataset
    from ..core.dreams import image_shape
    from ..core.files import load_network

    network, _ = load_network(args.file)
    dataset = load_dataset(args.data) if needs_data or args.data else None
    if dataset is not None:
        misfit = dataset.misfit(network.sizes)
        if misfit:
            raise NnvizError(f"{args.file}: {misfit}")
        return network, dataset.image_shape, dataset.class_names, dataset
    return network, image_shape(network.sizes), None, None


def png(image: np.ndarray, shape: tuple[int, int]) -> bytes:
    """``image`` (rows·cols,) in [0, 1] as an 8-bit grayscale PNG: a plain reader gives back 255 × it, rounded."""
    from PIL import Image

    pixels = np.round(np.asarray(image, np.float64).reshape(shape) * 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "L").save(buffer, format="PNG")
    return buffer.getvalue()


def read_png(path: Path) -> np.ndarray:
    """The pixels of a grayscale PNG as the network's input: (rows·cols,) float64 in [0, 1]."""
    from PIL import Image

    with Image.open(path) as picture:
        return np.asarray(picture.convert("L"), np.float64).ravel() / 255


def check_targets(*paths: Path | None) -> None:
    """A NnvizError unless each path can be written: its folder exists and it is not a folder.
    Checked before anything is computed, so that a bad target fails at once."""
    for path in paths:
        if path is None:
            continue
        folder = path.parent if str(path.parent) else Path(".")
        if path.is_dir():
            raise NnvizError(f"{shown_path(path)}: is a folder; give a file name")
        if not folder.is_dir():
            raise NnvizError(f"{shown_path(path)}: the folder {shown_path(folder)} does not exist")


def write_files(files: dict[Path, bytes]) -> None:
    """Write each file whole or not at all (``archive.write_file_atomic``), after checking them all."""
    from ..core.archive import write_file_atomic

    check_targets(*files)
    for path, data in files.items():
        try:
            write_file_atomic(path, lambda f: f.write(data))
        except OSError as error:
            raise NnvizError(f"{shown_path(path)}: cannot write there ({describe_os_error(error)})") from None


def json_bytes(record: dict) -> bytes:
    return (json.dumps(record, indent=2) + "\n").encode()


def numbers(values) -> list[float]:
    """Numbers for the JSON, exactly as the core computed them."""
    return [float(v) for v in np.asarray(values, np.float64).ravel()]
