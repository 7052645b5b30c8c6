"""Writing files so that a power cut never leaves half a file where a good one stood, and so
that an export never replaces anything but an earlier export.

An export is written to a temporary file beside its target and moved into place in one step.
Before that, the target is looked at: a folder, a link, a device or pipe, and any existing file
that is not an export of the same kind (the database itself, its ``-wal`` file, a document the
clerk did not mean to lose) is refused with a message, never replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from model.errors import DatabaseError, UserError, os_reason


class FileWriteError(UserError, OSError):
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


# ---------------------------------------------------------------------------- what may be replaced


@dataclass(frozen=True)
class FileKind:
    """A kind of file the program exports: how its bytes start, how its names end, and what
    to call it in a message.  The documents' kinds come from :mod:`export.renderers`."""

    starts: bytes
    suffixes: tuple[str, ...]
    noun: str

    def made(self, head: bytes) -> bool:
        """Whether a file that starts with ``head`` is one of these (a BOM and white space
        before a data file's ``{`` are allowed)."""
        head = head[len(_BOM) :] if head.startswith(_BOM) else head
        return head.lstrip().startswith(self.starts)


#: The data file (.nianbao.json).
DATA_FILE = FileKind(b"{", (".json",), "数据文件")
#: Files that belong to a SQLite database, by the end of their names.
_DATABASE_COMPANIONS = ("-wal", "-shm", "-journal")
_SQLITE_HEADER = b"SQLite format 3\x00"
_BOM = b"\xef\xbb\xbf"


def check_export_target(path: Path, kind: FileKind) -> None:
    """Refuse (:class:`FileWriteError`) a target an export of ``kind`` must not replace.

    Allowed: a name not yet taken, or an earlier export of the same kind — a file whose name
    ends as that kind's do and whose bytes start as that kind's do (``%PDF``, a zip, ``{``).
    Refused: a folder, a symbolic link, a device or pipe, a database or its ``-wal``/``-shm``/
    ``-journal`` file, and every other existing file."""
    if path.name.endswith(_DATABASE_COMPANIONS):
        database = path.with_name(re.sub(r"-(wal|shm|journal)\Z", "", path.name))
        if database.exists() or path.exists():  # SQLite deletes a -wal when it closes
            raise FileWriteError(_refusal(path, "它是数据库的附属文件"))
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if path.is_symlink():  # a dangling link: writing would create its target elsewhere
            raise FileWriteError(_refusal(path, "它是一个指向别处的快捷方式（链接）")) from None
        return
    except OSError as error:
        raise FileWriteError(f"无法导出到“{path}”：{os_reason(error)}") from error
    if stat.S_ISLNK(info.st_mode):
        raise FileWriteError(_refusal(path, "它是一个指向别处的快捷方式（链接）"))
    if stat.S_ISDIR(info.st_mode):
        raise FileWriteError(_refusal(path, "它是一个文件夹"))
    if not stat.S_ISREG(info.st_mode):
        raise FileWriteError(_refusal(path, "它是一个设备或管道，不是普通文件"))
    head = _head(path)
    if head.startswith(_SQLITE_HEADER):
        raise FileWriteError(_refusal(path, "它是一个数据库文件"))
    if not path.name.lower().endswith(kind.suffixes) or not kind.made(head):
        raise FileWriteError(_refusal(path, f"它不是本程序导出的{kind.noun}"))


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(64)
    except OSError as error:
        raise FileWriteError(f"无法导出到“{path}”：{os_reason(error)}") from error


def _refusal(path: Path, why: str) -> str:
    return f"不能导出到“{path}”：{why}，导出不会替换它。请换一个文件名。"


def check_database_path(path: Path) -> None:
    """Refuse at once, before anything opens it, a database path that is not a file: a folder,
    a device or a pipe (opening a pipe would wait for ever)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        if error.errno == errno.ENOTDIR:
            raise DatabaseError(
                f"无法使用数据库“{path}”：路径中的“{_file_in(path)}”是一个文件，不是文件夹。"
            ) from error
        raise DatabaseError(f"无法使用数据库“{path}”：{os_reason(error)}") from error
    if stat.S_ISDIR(mode):
        raise DatabaseError(f"“{path}”是一个文件夹，不是数据库文件。请给出数据库文件的路径。")
    if not stat.S_ISREG(mode):
        raise DatabaseError(f"“{path}”是一个设备或管道，不是数据库文件。")


def _file_in(path: Path) -> Path:
    """The first part of ``path`` that is a file where a folder should be."""
    for parent in reversed(path.parents):
        if parent.is_file():
            return parent
    return path.parent


# ---------------------------------------------------------------------------- writing

#: Temporary files left by an export that was killed before it could tidy up are deleted at
#: the next export to the same folder, once they are this old (a younger one may belong to an
#: export still running in another window).
STALE_SECONDS = 60.0
_TEMPORARY = re.compile(r"\A\.(?P<name>.+)\.[a-z0-9_]{8}(\.tmp)?\Z")


def write_atomically(path: Path, data: bytes, kind: FileKind) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then move it into
    place in one step: readers see the old file or the new one, never a mix.  The target is
    checked first (:func:`check_export_target`): it may replace only an earlier ``kind``."""
    path = Path(path)
    check_export_target(path, kind)
    remove_stale_temporaries(path.parent)
    try:
        handle, temporary = _create_temporary(path)
    except OSError as error:
        raise FileWriteError(f"无法在“{path.parent}”中写入文件：{os_reason(error)}") from error
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise FileWriteError(f"无法写入“{path}”：{os_reason(error)}") from error
    try:
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        failure = FileWriteError(
            f"无法替换“{path}”：{os_reason(error)}（这个文件可能正被其他程序打开，如PDF阅读器）"
        )
        failure.replace_failed = path.exists()
        raise failure from error


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new file ``.<name>.<random>.tmp`` beside ``path``, with the permissions any new file
    gets (``mkstemp`` makes it readable by its owner only, and the export would keep that)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    if os.name == "posix":
        try:
            os.fchmod(handle, 0o666 & ~umask())
        except OSError:
            os.close(handle)
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    return handle, temporary


def umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    with (
        contextlib.suppress(OSError, ValueError),
        open("/proc/self/status", encoding="ascii") as status,
    ):
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # elsewhere: set and restore at once
    os.umask(mask)
    return mask


def remove_stale_temporaries(folder: Path, now: float | None = None) -> list[Path]:
    """Delete the temporary files of exports killed before they finished (older than
    :data:`STALE_SECONDS`); the paths deleted.  Never fails: this is tidying up."""

    def ours(name: str, mode: int) -> bool:
        match = _TEMPORARY.match(name)
        return (
            match is not None
            and match["name"].lower().endswith((".pdf", ".docx", ".json"))
            and stat.S_ISREG(mode)
        )

    return remove_stale(folder, ours, now)


def remove_stale(
    folder: Path, ours: Callable[[str, int], bool], now: float | None = None
) -> list[Path]:
    """Delete the entries of ``folder`` that ``ours(name, mode)`` claims and that are older than
    :data:`STALE_SECONDS` (a file, or a folder with what is in it); the paths deleted.  Never
    fails: this is tidying up after a program killed half-way."""
    removed: list[Path] = []
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if not ours(entry.name, info.st_mode) or now - info.st_mtime <= STALE_SECONDS:
                continue
            if stat.S_ISDIR(info.st_mode):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is None or not match["name"].lower().endswith((".pdf", ".docx", ".json")):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_SECONDS:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed
