"""The errors a user can cause, each with a message written for that user.

Everything nnviz raises on purpose derives from ``NnvizError``, so that the command line
and the window can show the message and carry on, while a genuine bug still surfaces (in
the last-resort handlers, which log its traceback).

A message may quote what a hostile file holds (a name, a value, a path), so every
``NnvizError`` makes itself one printable line of at most ``MAX_MESSAGE`` characters: control
and formatting characters are shown as escapes, and an over-long message is shortened in the
middle so that both the file's name and what is wrong survive.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

#: With "nnviz: error: " before it, a message stays under 300 characters.
MAX_MESSAGE = 280
#: Quoted values and paths are cut to this many characters before they go into a message.
MAX_QUOTE = 60
MAX_PATH = 120

# Cc: control characters; Cf: formatting (bidi overrides, zero-width); Zl/Zp: line and paragraph
# separators; Cs: lone surrogates; Co/Cn: private or unassigned. None of these belongs in a line
# shown to a person: a terminal may obey them, and bidi overrides can make text lie.
_UNSHOWABLE = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"))


def printable(text: str) -> str:
    """``text`` with every control or formatting character replaced by a visible escape."""
    if text.isprintable() and text.isascii():
        return text
    out = []
    for ch in text:
        if unicodedata.category(ch) in _UNSHOWABLE or (ch.isspace() and ch != " "):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def shorten(text: str, limit: int) -> str:
    """``text`` cut in the middle to at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    keep = limit - 1
    return text[: keep - keep // 3] + "…" + text[len(text) - keep // 3:]


def quote(value, limit: int = MAX_QUOTE) -> str:
    """A value from a file, safe to put in a message: repr-like, printable, short."""
    try:
        text = repr(value) if not isinstance(value, (list, dict, tuple)) else _short_repr(value)
    except (ValueError, RecursionError):
        text = f"<{type(value).__name__}>"
    return shorten(printable(text), limit)


def _short_repr(value) -> str:
    # repr of a huge or deeply nested list would be huge or recurse; show its kind and length.
    kind = type(value).__name__
    if isinstance(value, (list, tuple)) and len(value) <= 8 and all(isinstance(v, (int, float, str, type(None))) for v in value):
        return repr(value)
    return f"<a {kind} of {len(value):,} items>"


def shown_path(path) -> str:
    """A path for a message: printable, and at most MAX_PATH characters (the end kept longest)."""
    return shorten(printable(str(Path(path)) if not isinstance(path, str) else path), MAX_PATH)


def one_line(message: str) -> str:
    """``message`` as one printable line of at most MAX_MESSAGE characters."""
    return shorten(printable(" ".join(str(message).split("\n"))), MAX_MESSAGE)


class NnvizError(Exception):
    """A problem the user can act on; ``str(error)`` is the whole explanation, one line."""

    def __init__(self, message: str = "", *args):
        super().__init__(one_line(message), *args)


class DatasetError(NnvizError):
    """A dataset file or folder is missing, corrupt, or not in the IDX layout."""


class NetworkFileError(NnvizError):
    """A network file cannot be read, or does not describe a valid network."""


class ShapeError(NnvizError, ValueError):
    """Arrays whose shapes do not fit the network they are given to."""


class TrainingDiverged(NnvizError):
    """The cost or a parameter became NaN or infinite; the network was restored."""


class SettingsError(NnvizError):
    """A remembered setting cannot be used (kept for messages; settings fall back to defaults)."""


def describe_os_error(error: OSError) -> str:
    """An OSError in words, without the path it may repeat (the caller names the file)."""
    import errno

    words = {
        errno.ENOENT: "no such file or folder",
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.EISDIR: "it is a folder, not a file",
        errno.ENOTDIR: "a part of the path is not a folder",
        errno.ENAMETOOLONG: "the name is too long",
        errno.ELOOP: "too many levels of symbolic links",
        errno.ENOSPC: "no space left on the disk",
        errno.EROFS: "the disk is read-only",
        errno.EDQUOT: "disk quota exceeded",
        errno.EIO: "input/output error",
    }
    return words.get(error.errno, printable(error.strerror or type(error).__name__))
