"""Writing files so that a power cut never leaves half a file where a good one stood."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class FileWriteError(OSError):
    """A file could not be written; ``str()`` is the message for the clerk."""


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
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise FileWriteError(f"无法写入“{path}”：{error.strerror}") from error
