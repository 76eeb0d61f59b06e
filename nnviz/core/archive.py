"""Checked reading and atomic writing of ``.npz`` archives (a zip of ``.npy`` arrays).

``files.py`` decides what a network file must hold; this module makes sure that reading any
entry of any archive, however damaged or hostile, either gives a checked array or raises a
NetworkFileError whose message names the file and what is wrong, and that writing never
destroys the previous good file.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .errors import NetworkFileError

#: Room for the .npy header beside the array data itself.
NPY_HEADER_ALLOWANCE = 4096


class Archive:
    """An ``.npz`` opened for checked reading; use as a context manager.

    ``names`` are the entries without their ``.npy`` suffix. ``read`` checks an entry's declared
    dtype and shape before it reads (let alone allocates) anything.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise NetworkFileError(f"{self.path}: no such file")
        try:
            self._zip = zipfile.ZipFile(self.path)
        except zipfile.BadZipFile as error:
            raise NetworkFileError(f"{self.path}: not a network file (not a valid .npz archive: {error})") from None
        except OSError as error:
            raise NetworkFileError(f"{self.path}: cannot be read ({error.strerror or error})") from None
        self._members = {info.filename: info for info in self._zip.infolist()}
        self.names = frozenset(name[:-4] for name in self._members if name.endswith(".npy"))
        self.other_members = frozenset(name for name in self._members if not name.endswith(".npy"))

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def declared_bytes(self, name: str) -> int:
        """The uncompressed size the zip directory declares for entry ``name``."""
        return self._members[f"{name}.npy"].file_size

    def read(self, name: str, dtypes: tuple[np.dtype, ...], shape: tuple[int, ...]) -> np.ndarray:
        """Entry ``name``, which must have one of ``dtypes`` and exactly ``shape``."""
        itemsize = max(np.dtype(d).itemsize for d in dtypes)
        count = 1
        for n in shape:
            count *= int(n)
        if self.declared_bytes(name) > count * itemsize + NPY_HEADER_ALLOWANCE:
            raise NetworkFileError(f"{self.path}: {name} declares {self.declared_bytes(name):,} bytes for shape {shape}")
        array = self._load(name)
        if array.dtype not in dtypes:
            expected = " or ".join(str(np.dtype(d)) for d in dtypes)
            raise NetworkFileError(f"{self.path}: {name} has dtype {array.dtype}; expected {expected}")
        if array.shape != tuple(shape):
            raise NetworkFileError(f"{self.path}: {name} has shape {array.shape}, expected {tuple(shape)}")
        return array

    def read_text(self, name: str, max_chars: int) -> str:
        """Entry ``name`` as a string: a 0-d unicode array of at most ``max_chars`` characters."""
        if self.declared_bytes(name) > 4 * max_chars + NPY_HEADER_ALLOWANCE:
            raise NetworkFileError(f"{self.path}: {name} declares {self.declared_bytes(name):,} bytes, far too many")
        array = self._load(name)
        if array.dtype.kind != "U" or array.shape != ():
            raise NetworkFileError(f"{self.path}: the {name} entry is not a text string")
        return str(array)

    def _load(self, name: str) -> np.ndarray:
        try:
            with self._zip.open(f"{name}.npy") as member:
                return np.lib.format.read_array(member, allow_pickle=False)
        except ValueError as error:
            # NumPy refuses object arrays (pickles) with a ValueError; say so plainly.
            if "pickle" in str(error).lower() or "object" in str(error).lower():
                raise NetworkFileError(f"{self.path}: {name} holds Python objects (a pickle), which nnviz refuses to load") from None
            raise NetworkFileError(f"{self.path}: {name} is damaged ({error})") from None
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as error:
            raise NetworkFileError(f"{self.path}: {name} is damaged ({error})") from None


def write_atomic(path: str | Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as an uncompressed ``.npz`` at ``path``, atomically.

    The file is written beside ``path`` under a temporary name, flushed to disk, then renamed
    over ``path``: a crash or a full disk leaves the previous file as it was.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
