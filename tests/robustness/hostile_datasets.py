"""Broken, lying and merely odd dataset folders, built around a tiny good one.

Each case is (name, folder, expect_ok): expect_ok True for legal datasets that must train
(1x1 images, 28x14 images, 3 classes, ...), False for those that must be refused in words.
"""

from __future__ import annotations

import gzip
import os
import struct
from pathlib import Path

import numpy as np

from helpers import make_idx_dataset, write_idx

STEMS = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def idx_header(shape, code=0x08, ndim=None, zero=0) -> bytes:
    ndim = len(shape) if ndim is None else ndim
    return struct.pack(">HBB", zero, code, ndim) + b"".join(struct.pack(">I", n & 0xFFFFFFFF) for n in shape)


def _gzip_bomb(header: bytes, size: int) -> bytes:
    """``header`` followed by ``size`` zero bytes, gzipped in streaming fashion (small on disk)."""
    compressor = __import__("zlib").compressobj(9, 8, 31)  # 31: gzip container
    chunk = b"\0" * 10**7
    parts = [compressor.compress(header)]
    for _ in range(size // len(chunk)):
        parts.append(compressor.compress(chunk))
    parts.append(compressor.flush())
    return b"".join(parts)


def write_dataset_cases(root: Path) -> list[tuple[str, Path, bool]]:
    root.mkdir(parents=True, exist_ok=True)
    cases: list[tuple[str, Path, bool]] = []

    def dataset(name: str, ok: bool = False, **kwargs) -> Path:
        folder = make_idx_dataset(root / name, n_train=kwargs.pop("n_train", 60), n_test=kwargs.pop("n_test", 20), **kwargs)
        cases.append((name, folder, ok))
        return folder

    def replace(name: str, stem_index: int, data: bytes, gz_name: bool = True, ok: bool = False) -> Path:
        folder = dataset(name, ok)
        stem = STEMS[stem_index]
        (folder / f"{stem}.gz").unlink()
        (folder / (f"{stem}.gz" if gz_name else stem)).write_bytes(data)
        return folder

    dataset("good", True)
    # Legal but odd: these must train.
    dataset("odd-1x1", True, shape=(1, 1))
    dataset("odd-28x14", True, shape=(28, 14))
    dataset("odd-3-classes", True, n_classes=3, class_names=["cat", "dog", "bird"])
    dataset("odd-2-classes-unnamed", True, n_classes=2)
    dataset("odd-classes-unicode", True, n_classes=3, class_names=["数", "✓", "🧠"])
    dataset("odd-6-train-images", True, n_train=6, n_test=1)
    dataset("odd-200x1", True, shape=(200, 1))
    raw = dataset("odd-uncompressed", True)
    for stem in STEMS:
        gz = raw / f"{stem}.gz"
        (raw / stem).write_bytes(gzip.decompress(gz.read_bytes()))
        gz.unlink()

    # Every file: truncations, bad headers, size lies.
    for k, stem in enumerate(STEMS):
        is_images = "images" in stem
        n = 60 if stem.startswith("train") else 20
        shape = (n, 28, 28) if is_images else (n,)
        good = idx_header(shape) + bytes(int(np.prod(shape)))
        for cut in (0, 2, 4, 7, len(idx_header(shape)) - 1, len(idx_header(shape)) + 5, len(good) - 1):
            replace(f"{stem}-truncated-{cut}", k, gzip.compress(good[:cut]))
        replace(f"{stem}-extra-bytes", k, gzip.compress(good + b"\1\2\3"))
        replace(f"{stem}-magic", k, gzip.compress(idx_header(shape, zero=0x0102) + good[len(idx_header(shape)):]))
        for code in (0x09, 0x0B, 0x0D, 0x0E, 0xFF):
            replace(f"{stem}-type-{code:02x}", k, gzip.compress(idx_header(shape, code=code) + good[len(idx_header(shape)):]))
        replace(f"{stem}-ndim-wrong", k, gzip.compress(idx_header((n, 784)) + bytes(n * 784) if is_images else idx_header((n, 1)) + bytes(n)))
        replace(f"{stem}-ndim-255", k, gzip.compress(idx_header(shape, ndim=255) + bytes(1000)))
        big = (0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF) if is_images else (0xFFFFFFFF,)
        replace(f"{stem}-dims-overflow", k, gzip.compress(idx_header(big) + bytes(100)))
        overflow64 = (2**31 + 1, 2**31 + 1, 4) if is_images else (2**31 + 1,)
        replace(f"{stem}-dims-int64-wrap", k, gzip.compress(idx_header(overflow64) + bytes(100)))
        replace(f"{stem}-dims-huge-raw", k, idx_header(big) + bytes(100), gz_name=False)
        replace(f"{stem}-zero-count", k, gzip.compress(idx_header((0, 28, 28) if is_images else (0,))))
        replace(f"{stem}-gzip-truncated", k, gzip.compress(good)[:-12])
        replace(f"{stem}-gzip-crc", k, gzip.compress(good)[:-8] + b"\0\0\0\0" + gzip.compress(good)[-4:])
        replace(f"{stem}-gzip-garbage", k, b"\x1f\x8b" + os.urandom(0) + bytes(range(256)) * 4)
        replace(f"{stem}-gzip-trailing", k, gzip.compress(good) + b"trailing junk")
        replace(f"{stem}-gzip-bomb", k, _gzip_bomb(idx_header(shape), 5 * 10**7))
        replace(f"{stem}-raw-bomb-declared", k, idx_header((10**9 // 784 + 1, 28, 28) if is_images else (10**9,)) + bytes(10))
        replace(f"{stem}-empty", k, b"")
        replace(f"{stem}-text", k, b"not an idx file\n", gz_name=False)
    # Shapes and contents that do not fit together.
    dataset("zero-pixel-images").joinpath(f"{STEMS[0]}.gz").write_bytes(gzip.compress(idx_header((60, 0, 28))))
    cases[-1] = ("zero-pixel-images", root / "zero-pixel-images", False)
    folder = dataset("zero-pixels-both")
    write_idx(folder / f"{STEMS[0]}.gz", np.zeros((60, 0, 0), np.uint8))
    write_idx(folder / f"{STEMS[2]}.gz", np.zeros((20, 0, 0), np.uint8))
    folder = dataset("count-mismatch")
    write_idx(folder / f"{STEMS[1]}.gz", np.zeros(59, np.uint8))
    folder = dataset("label-too-big")
    write_idx(folder / f"{STEMS[3]}.gz", np.full(20, 10, np.uint8))
    folder = dataset("label-255", class_names=["a", "b", "c"], n_classes=3)
    write_idx(folder / f"{STEMS[1]}.gz", np.full(60, 255, np.uint8))
    folder = dataset("shape-mismatch")
    write_idx(folder / f"{STEMS[2]}.gz", np.zeros((20, 28, 14), np.uint8))
    folder = dataset("empty-train")
    write_idx(folder / f"{STEMS[0]}.gz", np.zeros((0, 28, 28), np.uint8))
    write_idx(folder / f"{STEMS[1]}.gz", np.zeros(0, np.uint8))
    folder = dataset("empty-test")
    write_idx(folder / f"{STEMS[2]}.gz", np.zeros((0, 28, 28), np.uint8))
    write_idx(folder / f"{STEMS[3]}.gz", np.zeros(0, np.uint8))
    dataset("one-train-image", n_train=1)
    dataset("one-class-of-labels", n_classes=1)  # legal labels, but classes.txt absent: 10 classes; fine
    cases[-1] = ("one-class-of-labels", cases[-1][1], True)
    # classes.txt
    for name, content in {"one-class": b"only\n", "empty": b"", "binary": bytes(range(256)), "latin1": "caf\xe9".encode("latin1"),
                          "too-many": "\n".join(f"c{i}" for i in range(2000)).encode(), "control": b"\x1b[31ma\nb\x07\nc\n",
                          "huge-line": b"x" * 10**7 + b"\ny\n", "huge-file": b"a\n" * 3 * 10**6,
                          "fewer-than-labels": b"a\nb\n"}.items():
        folder = dataset(f"classes-{name}")
        (folder / "classes.txt").write_bytes(content)
    (dataset("classes-directory") / "classes.txt").mkdir()
    cases[-1] = ("classes-directory", cases[-1][1], None)  # no class names: "0".."9", or refused in words
    # The folder and its files as filesystem objects.
    folder = dataset("file-is-directory")
    (folder / f"{STEMS[0]}.gz").unlink()
    (folder / f"{STEMS[0]}.gz").mkdir()
    folder = dataset("file-dangling-link")
    (folder / f"{STEMS[1]}.gz").unlink()
    os.symlink(folder / "nowhere", folder / f"{STEMS[1]}.gz")
    folder = dataset("file-link-loop")
    (folder / f"{STEMS[1]}.gz").unlink()
    os.symlink(folder / f"{STEMS[1]}.gz", folder / f"{STEMS[1]}.gz")
    folder = dataset("file-link-dev-zero")
    (folder / f"{STEMS[0]}.gz").unlink()
    os.symlink("/dev/zero", folder / STEMS[0])
    folder = dataset("file-fifo")
    (folder / f"{STEMS[3]}.gz").unlink()
    os.mkfifo(folder / STEMS[3])
    folder = dataset("file-unreadable")
    (folder / f"{STEMS[0]}.gz").chmod(0)
    folder = dataset("folder-unreadable")
    folder.chmod(0)
    folder = dataset("folder-not-listable", ok=True)  # the files can still be opened by name
    folder.chmod(0o311)
    folder = dataset("file-missing")
    (folder / f"{STEMS[2]}.gz").unlink()
    cases.append(("folder-missing", root / "no-such-folder", False))
    (root / "a-file").write_bytes(b"x")
    cases.append(("folder-is-a-file", root / "a-file", False))
    cases.append(("folder-dev", Path("/dev"), False))
    cases.append(("folder-name-control", root / "x\x1b[31m\ny", False))
    return cases
