"""Checked reading and atomic writing of ``.npz`` archives (a zip of ``.npy`` arrays).

``files.py`` decides what a network file must hold; this module makes sure that reading any
entry of any archive, however damaged or hostile, either gives a checked array or raises a
NetworkFileError whose message names the file and what is wrong, and that writing never
destroys the previous good file.

Memory stays bounded by what the caller expects: each ``.npy`` header is parsed here (bounded,
no ``eval``), its dtype and shape are checked against what the caller asks for, sizes are
Python integers compared with the zip directory and with the file's real size, and only then
are exactly that many bytes read (the zip reader stops decompressing at the declared size).
"""

from __future__ import annotations

import itertools
import os
import re
import stat
import struct
import time
import zipfile
from pathlib import Path
from typing import BinaryIO, Callable

import numpy as np

from .errors import NetworkFileError, describe_os_error, printable, quote, shorten, shown_path

#: Room for the .npy header beside the array data itself.
NPY_HEADER_ALLOWANCE = 4096
NPY_MAGIC = b"\x93NUMPY"
#: An archive with more entries than this is not a network file (a 100-layer network has 201).
MAX_ENTRIES = 1000
#: zip methods the standard library reads: stored, deflated (np.savez_compressed), bzip2, lzma.
READABLE_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate",
                    zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "lzma"}
#: A temporary file of an interrupted save older than this is removed at the next save beside it.
STALE_TEMPORARY_SECONDS = 60
_TEMPORARY_COUNT = itertools.count()
_HEADER = re.compile(
    r"\{\s*(?:'(?:descr|fortran_order|shape)'\s*:\s*(?:'[^'\\]{1,32}'|True|False|\(\s*(?:\d{1,19}\s*,\s*)*(?:\d{1,19}\s*)?\))\s*,?\s*){3}\}\s*"
)
_PAIR = re.compile(r"'(descr|fortran_order|shape)'\s*:\s*('[^'\\]{1,32}'|True|False|\([^)]*\))")


class Archive:
    """An ``.npz`` opened for checked reading; use as a context manager.

    ``names`` are the entries without their ``.npy`` suffix. ``read`` checks an entry's declared
    dtype and shape before it reads (let alone allocates) anything.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._where = shown_path(self.path)
        self._file = open_regular_file(self.path, NetworkFileError)
        self.file_size = os.fstat(self._file.fileno()).st_size
        try:
            # zipfile parses the directory with struct and may raise almost anything on a
            # hostile one (BadZipFile, ValueError, struct.error, OverflowError, ...).
            self._zip = zipfile.ZipFile(self._file)
        except Exception as error:  # noqa: BLE001 - a parser fed hostile bytes
            self._file.close()
            reason = printable(str(error)) or type(error).__name__
            raise NetworkFileError(f"{self._where}: not a network file (not a valid .npz archive: {reason})") from None
        try:
            self._members = self._check_directory()
        except NetworkFileError:
            self.close()
            raise
        self.names = frozenset(name[:-4] for name in self._members if name.endswith(".npy"))
        self.other_members = frozenset(name for name in self._members if not name.endswith(".npy"))

    def _check_directory(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise NetworkFileError(f"{self._where}: holds {len(infos):,} entries; a network file has at most {MAX_ENTRIES:,}")
        members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = quote(info.filename, 40)
            if info.filename in members:
                raise NetworkFileError(f"{self._where}: the entry {name} appears twice")
            if info.flag_bits & 0x41:  # bit 0: encrypted, bit 6: strong encryption
                raise NetworkFileError(f"{self._where}: the entry {name} is encrypted; nnviz reads only unencrypted files")
            if info.compress_type not in READABLE_METHODS:
                raise NetworkFileError(
                    f"{self._where}: the entry {name} uses zip compression method {info.compress_type}, which nnviz "
                    f"cannot read (it reads {', '.join(READABLE_METHODS.values())})")
            if info.header_offset + info.compress_size > self.file_size:
                raise NetworkFileError(f"{self._where}: the entry {name} claims more bytes than the file holds (truncated?)")
            if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
                raise NetworkFileError(f"{self._where}: the zip directory contradicts itself about the size of {name}")
            members[info.filename] = info
        return members

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if hasattr(self, "_zip"):
            self._zip.close()
        self._file.close()

    def declared_bytes(self, name: str) -> int:
        """The uncompressed size the zip directory declares for entry ``name``."""
        return self._members[f"{name}.npy"].file_size

    def header(self, name: str) -> tuple[np.dtype, tuple[int, ...], bool]:
        """Entry ``name``'s declared (dtype, shape, fortran_order), read and checked without reading the data."""
        with self._open(name) as member:
            return self._read_header(name, member)[:3]

    def read(self, name: str, dtypes: tuple[np.dtype, ...], shape: tuple[int, ...]) -> np.ndarray:
        """Entry ``name``, which must have one of ``dtypes`` (either byte order) and exactly ``shape``."""
        shape = tuple(int(n) for n in shape)
        with self._open(name) as member:
            dtype, declared_shape, fortran, header_bytes = self._read_header(name, member)
            if dtype.newbyteorder("<") not in dtypes and dtype not in dtypes:
                expected = " or ".join(str(np.dtype(d)) for d in dtypes)
                raise NetworkFileError(f"{self._where}: {name} has dtype {quote(str(dtype), 30)}; expected {expected}")
            if declared_shape != shape:
                raise NetworkFileError(f"{self._where}: {name} has shape {quote(declared_shape, 40)}, expected {shape}")
            data = self._read_data(name, member, dtype, shape, header_bytes)
        try:
            array = np.frombuffer(data, dtype).reshape(shape, order="F" if fortran else "C")
            return np.ascontiguousarray(array.astype(dtype.newbyteorder("="), copy=False))
        except MemoryError:
            raise NetworkFileError(f"{self._where}: not enough memory to read {name} ({len(data):,} bytes)") from None

    def read_text(self, name: str, max_chars: int) -> str:
        """Entry ``name`` as a string: a 0-d unicode array of at most ``max_chars`` characters."""
        with self._open(name) as member:
            dtype, shape, _, header_bytes = self._read_header(name, member, text=True)
            if dtype.kind != "U" or shape != ():
                raise NetworkFileError(f"{self._where}: the {name} entry is not a text string")
            if dtype.itemsize // 4 > max_chars:
                raise NetworkFileError(
                    f"{self._where}: the {name} entry declares {dtype.itemsize // 4:,} characters, more than {max_chars:,}")
            data = self._read_data(name, member, dtype, (), header_bytes)
        try:
            text = data.decode("utf-32-be" if dtype.byteorder == ">" else "utf-32-le")
        except UnicodeDecodeError:
            raise NetworkFileError(f"{self._where}: the {name} entry is not valid text") from None
        return text.rstrip("\0")

    # -- the checked steps ------------------------------------------------------------------------

    def _open(self, name: str):
        info = self._members[f"{name}.npy"]
        try:
            return self._zip.open(info)
        except Exception as error:  # noqa: BLE001 - the local header is as hostile as the rest
            raise NetworkFileError(f"{self._where}: {name} is damaged ({_reason(error)})") from None

    def _read_header(self, name: str, member, text: bool = False):
        """(dtype, shape, fortran_order, header size in bytes) of an opened ``.npy`` entry."""
        try:
            start = member.read(len(NPY_MAGIC) + 2)
            if len(start) < len(NPY_MAGIC) + 2 or not start.startswith(NPY_MAGIC):
                raise NetworkFileError(f"{self._where}: {name} is not a NumPy array (no .npy header)")
            major = start[len(NPY_MAGIC)]
            if major not in (1, 2, 3):
                raise NetworkFileError(f"{self._where}: {name} is in .npy format version {major}, which nnviz does not read")
            size_bytes = member.read(2 if major == 1 else 4)
            if len(size_bytes) < (2 if major == 1 else 4):
                raise NetworkFileError(f"{self._where}: {name} is truncated inside its header")
            length = struct.unpack("<H" if major == 1 else "<I", size_bytes)[0]
            if length > NPY_HEADER_ALLOWANCE:
                raise NetworkFileError(f"{self._where}: {name} declares a {length:,}-byte .npy header, far too long")
            raw = member.read(length)
        except NetworkFileError:
            raise
        except Exception as error:  # noqa: BLE001 - decompressing hostile data
            raise NetworkFileError(f"{self._where}: {name} is damaged ({_reason(error)})") from None
        if len(raw) < length:
            raise NetworkFileError(f"{self._where}: {name} is truncated inside its header")
        try:
            header = raw.decode("utf-8" if major == 3 else "latin1")
        except UnicodeDecodeError:
            raise NetworkFileError(f"{self._where}: {name} has a damaged .npy header") from None
        dtype, shape, fortran = self._parse_header(name, header)
        if dtype.kind not in ("f", "U") or dtype.hasobject or dtype.itemsize == 0:
            what = "Python objects (a pickle), which nnviz refuses to load" if dtype.hasobject else f"dtype {quote(str(dtype), 30)}"
            raise NetworkFileError(f"{self._where}: {name} holds {what}")
        return dtype, shape, fortran, len(NPY_MAGIC) + 2 + len(size_bytes) + length

    def _parse_header(self, name: str, header: str):
        # NumPy writes "{'descr': '<f4', 'fortran_order': False, 'shape': (16, 784), }"; anything
        # else (expressions, nested structures, structured dtypes) is refused rather than evaluated.
        if not _HEADER.fullmatch(header.rstrip("\n ")):
            raise NetworkFileError(f"{self._where}: {name} has a .npy header nnviz does not accept: {quote(header.strip(), 80)}")
        pairs = dict(_PAIR.findall(header))
        if len(pairs) != 3:
            raise NetworkFileError(f"{self._where}: {name} has a .npy header without descr, fortran_order and shape")
        descr, fortran, shape_text = pairs["descr"][1:-1], pairs["fortran_order"], pairs["shape"]
        if fortran not in ("True", "False") or not shape_text.startswith("("):
            raise NetworkFileError(f"{self._where}: {name} has a malformed .npy header")
        if re.fullmatch(r"[<>|=]?O\d*", descr):
            raise NetworkFileError(f"{self._where}: {name} holds Python objects (a pickle), which nnviz refuses to load")
        if not re.fullmatch(r"[<>|=]?(?:f[248]|U\d{1,10})", descr):
            try:
                shown = str(np.dtype(descr)) if re.fullmatch(r"[<>|=]?[a-zA-Z]\d{0,2}", descr) else quote(descr, 30)
            except TypeError:
                shown = quote(descr, 30)
            raise NetworkFileError(f"{self._where}: {name} has dtype {shown}, not floating-point numbers or text")
        try:
            dtype = np.dtype(descr)
        except TypeError:  # e.g. a text length NumPy cannot represent
            raise NetworkFileError(f"{self._where}: {name} has dtype {quote(descr, 30)}, which NumPy cannot represent") from None
        shape = tuple(int(n) for n in re.findall(r"\d+", shape_text))
        if len(shape) > 32:
            raise NetworkFileError(f"{self._where}: {name} declares {len(shape)} dimensions")
        return dtype, shape, fortran == "True"

    def _read_data(self, name: str, member, dtype: np.dtype, shape: tuple[int, ...], header_bytes: int) -> bytes:
        count = 1
        for n in shape:
            count *= n  # Python ints: no overflow, however large the header's numbers
        nbytes = count * dtype.itemsize
        declared = self.declared_bytes(name)
        if declared != header_bytes + nbytes:
            lie = "more" if declared > header_bytes + nbytes else "fewer"
            raise NetworkFileError(
                f"{self._where}: {name} declares {declared - header_bytes:,} data bytes, {lie} than the "
                f"{nbytes:,} its shape {shorten(str(shape), 30)} needs")
        try:
            data = member.read(nbytes)
        except MemoryError:
            raise NetworkFileError(f"{self._where}: not enough memory to read {name} ({nbytes:,} bytes)") from None
        except Exception as error:  # noqa: BLE001 - decompressing hostile data
            raise NetworkFileError(f"{self._where}: {name} is damaged ({_reason(error)})") from None
        if len(data) != nbytes:
            raise NetworkFileError(f"{self._where}: {name} is truncated: {len(data):,} of {nbytes:,} data bytes")
        return data


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.errno is not None:
        return describe_os_error(error)
    return shorten(printable(str(error)) or type(error).__name__, 80)


def open_regular_file(path: Path, error_type):
    """``path`` opened for binary reading if it is a readable regular file; else ``error_type``
    saying in words what it is instead (missing, a folder, a device or pipe, unreadable)."""
    where = shown_path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error_type(f"{where}: no such file") from None
    except OSError as error:
        raise error_type(f"{where}: cannot be read ({describe_os_error(error)})") from None
    except ValueError:  # a NUL character in the name
        raise error_type(f"{where}: not a valid file name") from None
    if stat.S_ISDIR(info.st_mode):
        raise error_type(f"{where}: is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise error_type(f"{where}: is not a regular file (a device, a pipe or a socket)")
    try:
        # O_NONBLOCK: should the file be swapped for a pipe after the check, open must not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise error_type(f"{where}: cannot be read ({describe_os_error(error)})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise error_type(f"{where}: is not a regular file")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def check_writable(path: str | Path, what: str = "the network") -> None:
    """Raise NetworkFileError unless ``what`` can be saved at ``path``: its folder exists and
    takes new files, and ``path`` is not a folder. Checked by trying, as permissions alone do not
    tell (a read-only disk, root, network file systems)."""
    path = Path(path)
    where = shown_path(path)
    probe = None
    try:
        target = Path(os.path.realpath(path)) if path.is_symlink() else path
        if target.is_dir():
            raise NetworkFileError(f"{where}: is a folder; give a file name to save {what} as")
        folder = target.parent if str(target.parent) else Path(".")
        if not folder.is_dir():
            raise NetworkFileError(f"{where}: the folder {shown_path(folder)} does not exist")
        probe = temporary_beside(target)
        os.close(_create(probe))
    except NetworkFileError:
        raise
    except OSError as error:
        raise NetworkFileError(f"{where}: cannot save there ({describe_os_error(error)})") from None
    except ValueError:  # a NUL character in the name
        raise NetworkFileError(f"{where}: not a valid file name") from None
    finally:
        if probe is not None:
            try:
                os.unlink(probe)  # here, not in a function: a Ctrl+C can be raised as one starts
            except (OSError, ValueError):
                pass


def write_atomic(path: str | Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as an uncompressed ``.npz`` at ``path``, atomically (``write_file_atomic``)."""
    write_file_atomic(path, lambda f: np.savez(f, **arrays))


def write_file_atomic(path: str | Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a file at ``path`` atomically: ``write(f)`` fills the binary file ``f``.

    The file is written beside ``path`` under a temporary name, flushed to disk, then renamed
    over ``path``: a crash or a full disk leaves the previous file as it was. Through a symbolic
    link it writes the file the link points to; over an existing file it keeps that file's
    permissions, and a new file gets those the umask gives. Temporary files that an earlier,
    killed save of a network left in that folder (only nnviz's own ``.NAME.npz.*.tmp``) are
    removed first.
    """
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent if str(target.parent) else Path(".")
    remove_stale_temporaries(folder)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    temporary = temporary_beside(target)
    try:
        with os.fdopen(_create(temporary), "wb") as f:
            write(f)
            f.flush()
            os.fchmod(f.fileno(), mode)
            os.fsync(f.fileno())
        os.replace(temporary, target)
    except BaseException as error:
        try:
            os.unlink(temporary)  # here, not in a function: a Ctrl+C can be raised as one starts
        except (OSError, ValueError):
            pass  # the error to report is the one that made the save fail
        if not isinstance(error, KeyboardInterrupt) and _during_interrupt(error):
            # zipfile, cut by Ctrl+C as it finishes an entry, raises ValueError instead ("an open
            # writing handle"): a Ctrl+C must stay one for the code that answers it.
            raise KeyboardInterrupt from error
        raise
    _sync_folder(folder)


def temporary_beside(target: Path) -> str:
    """A name ``.NAME.PID_N_XXXXXXXX.tmp`` beside ``target``, this process's alone, for a file that
    will replace it. Chosen before the file exists, so that its remover knows it at every moment:
    a Ctrl+C is raised where Python next checks, which after a slow open() is as the file has just
    been made (mkstemp gives the name only later). A string: removing a Path runs Python code."""
    return os.path.join(target.parent, f".{target.name}.{os.getpid()}_{next(_TEMPORARY_COUNT)}_{os.urandom(4).hex()}.tmp")


def _create(temporary: str) -> int:
    """A descriptor of the new file ``temporary``, for writing, readable by its owner only (as
    mkstemp makes it). An interrupt as open() returns loses the descriptor, never the name."""
    return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)


def _during_interrupt(error: BaseException) -> bool:
    """Whether ``error`` was raised while a KeyboardInterrupt was unwinding."""
    cause = error.__context__
    while cause is not None and not isinstance(cause, KeyboardInterrupt):
        cause = cause.__context__
    return cause is not None


def remove_stale_temporaries(folder: Path, older_than: float = STALE_TEMPORARY_SECONDS) -> list[Path]:
    """Remove ``.*.npz.*.tmp`` files in ``folder`` that no save has touched for ``older_than``
    seconds (a save still running elsewhere keeps writing to its own); returns those removed."""
    removed = []
    now = time.time()
    try:
        candidates = list(folder.glob(".*.npz.*.tmp"))
    except OSError:
        return removed
    for candidate in candidates:
        if not re.fullmatch(r"\..+\.npz\.[A-Za-z0-9_]{6,}\.tmp", candidate.name):
            continue
        try:
            info = candidate.lstat()
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > older_than:
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            continue
    return removed


def _umask() -> int:
    try:
        # Linux says it without changing it (os.umask would, for a moment, for every thread).
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
