"""Writing files so that a power cut never leaves half a file where a good one stood."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path


class FileWriteError(OSError):
    """A file could not be written; ``str()`` is the message for the clerk.

    ``replace_failed`` says that the new file was written but could not take the place of the
    old one, as happens on Windows when the old one is open in a PDF viewer: another name
    will work (:func:`free_name`).
    """

    replace_failed = False


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_file_name(text: str, limit: int = 120) -> str:
    """``text`` made into one file name: no folder separators, no characters Windows refuses,
    no leading dots.  Text from a report (an agency's name) is never used as a path."""
    cleaned = _UNSAFE.sub("_", text).strip().lstrip(".").strip()
    return cleaned[:limit] or "报告"


def free_name(path: Path) -> Path:
    """``报告.pdf`` → ``报告 (2).pdf``, the first such name not yet taken."""
    name = path.name
    stem, dot, suffix = name.partition(".")
    number = 2
    while True:
        candidate = path.with_name(f"{stem} ({number}){dot}{suffix}")
        if not candidate.exists():
            return candidate
        number += 1


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then move it into
    place in one step: readers see the old file or the new one, never a mix."""
    path = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise FileWriteError(f"无法在“{path.parent}”中写入文件：{error.strerror}") from error
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise FileWriteError(f"无法写入“{path}”：{error.strerror}") from error
    try:
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        failure = FileWriteError(
            f"无法替换“{path}”：{error.strerror}（这个文件可能正被其他程序打开，如PDF阅读器）"
        )
        failure.replace_failed = path.exists()
        raise failure from error
