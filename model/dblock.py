"""Who has a database open for writing: one window, or one command at a time.

A lock here is the operating system's lock on a small file (``msvcrt.locking`` on Windows,
``fcntl.flock`` elsewhere).  It dies with the process that holds it, so neither a crash nor a
power cut nor a process id reused since can leave a lock that blocks the next start (a stale
lock *file* is harmless: only the lock on it counts).

It is taken on the database's real identity rather than on the path as typed:

* beside the file's real path (:func:`os.path.realpath` resolves symbolic links, ``..``, another
  spelling of the same folder and, on Windows, 8.3 short names and letter case), and
* once the file exists, on its (device, file number) in a per-user folder of the temporary
  directory, so that a hard link — another name of the same file in any folder — is caught too.

Qt-free, so that the command line can ask without starting Qt (``main.py import`` refuses a
database a window holds).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Self

from model.errors import DatabaseError

log = logging.getLogger(__name__)


class DatabaseInUseError(DatabaseError):
    """Another window (or command) has the database open for writing."""


class DatabaseGoneError(DatabaseError):
    """The database file was deleted or replaced by another file while the program ran."""


def real_path(db_path: Path) -> Path:
    """The one name of the file whatever spelling or link was typed."""
    return Path(os.path.realpath(db_path))


def lock_path(db_path: Path) -> Path:
    real = real_path(db_path)
    return real.with_name(real.name + ".lock")


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, file number) of the file at ``path``, the same for every name of it; None if
    there is no file."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def gone_message(path: Path) -> str:
    return (
        f"数据库文件“{path}”已被删除或换成了另一个文件。为免把修改写进错误的文件，"
        "修改暂不保存（标为橙色），窗口中的内容都还在。请用“文件 → 导出数据文件”另存当前报告，"
        "或用“文件 → 从备份恢复”。"
    )


def in_use_message(path: Path) -> str:
    return (
        f"数据库“{path}”正在政务公开年报窗口中打开，命令行不能同时写入它。"
        "请在窗口中操作（如“文件 → 导入数据文件”），或关闭那个窗口后重试。"
    )


def busy_message(path: Path) -> str:
    return f"数据库“{path}”正由另一个政务公开年报命令写入，等待超时。请稍后重试。"


#: Who holds a lock: a window (for as long as it is open) or a command (for one write).
WINDOW, COMMAND = "window", "command"
#: How long a command waits for other commands writing to the same database.
COMMAND_WAIT_S = 60.0


class DatabaseLock:
    """The lock of one database; :meth:`acquire` says whether this process now holds it.

    ``kind`` says who holds it (written in the lock file): a command that finds the database
    held by a window is refused at once, one that finds it held by another command waits for
    its turn (:meth:`wait`)."""

    def __init__(self, db_path: Path, kind: str = WINDOW) -> None:
        self.db_path = Path(db_path)
        self.kind = kind
        self._held: list[_FileLock] = []

    @property
    def held(self) -> bool:
        return bool(self._held)

    def acquire(self) -> bool:
        """True if no other window or command holds the database (and this one now does)."""
        try:
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            log.info("cannot create the folder of %s: %s", self.db_path, error)
        beside = _FileLock(lock_path(self.db_path), self.kind)
        state = beside.acquire()
        if state is False:
            return False
        if state:
            self._held.append(beside)
        if not self.lock_identity():
            self.release()
            return False
        return True

    def lock_identity(self) -> bool:
        """Also lock the file's identity (a no-op before the file exists); False if another
        name of the same file is held elsewhere."""
        if len(self._held) > 1 or (identity := file_identity(self.db_path)) is None:
            return True
        folder = _identity_folder()
        if folder is None:
            return True
        lock = _FileLock(self._identity_lock(folder, identity), self.kind)
        state = lock.acquire()
        if state is False:
            return False
        if state:
            self._held.append(lock)
        return True

    @staticmethod
    def _identity_lock(folder: Path, identity: tuple[int, int]) -> Path:
        # The numbers themselves, not a hash of them: hashlib (OpenSSL) would cost the first
        # paint ~3 ms, and the name is as unique as the identity.
        device, number = identity
        return folder / f"{device:x}-{number:x}.lock"

    def holder(self) -> str:
        """Who holds the database (WINDOW, COMMAND, or "" if no one says)."""
        kinds = [_FileLock.holder_of(lock_path(self.db_path))]
        identity, folder = file_identity(self.db_path), _identity_folder()
        if identity is not None and folder is not None:
            kinds.append(_FileLock.holder_of(self._identity_lock(folder, identity)))
        return WINDOW if WINDOW in kinds else next((k for k in kinds if k), "")

    def wait(self, seconds: float = COMMAND_WAIT_S) -> None:
        """Acquire, waiting while other commands write; DatabaseInUseError if a window holds
        the database (at once) or the commands do not finish in ``seconds``."""
        deadline = time.monotonic() + seconds
        while not self.acquire():
            if self.holder() == WINDOW:
                raise DatabaseInUseError(in_use_message(self.db_path))
            if time.monotonic() > deadline:
                raise DatabaseInUseError(busy_message(self.db_path))
            time.sleep(0.02)

    def release(self) -> None:
        while self._held:
            self._held.pop().release()

    def __enter__(self) -> Self:
        if self.kind == COMMAND:
            self.wait()
        elif not self.acquire():
            raise DatabaseInUseError(in_use_message(self.db_path))
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


@contextlib.contextmanager
def no_window(db_path: Path) -> Iterator[None]:
    """Hold the database for a command that writes to it; DatabaseInUseError if a window has
    it (other commands writing to it are waited for)."""
    with DatabaseLock(db_path, COMMAND):
        yield


class _FileLock:
    """An operating-system lock on one file, removed when released."""

    def __init__(self, path: Path, kind: str = WINDOW) -> None:
        self.path = path
        self.kind = kind
        self._file: IO[bytes] | None = None

    @staticmethod
    def holder_of(path: Path) -> str:
        """The kind its holder wrote after the first byte (the one locked on Windows)."""
        try:
            with open(path, "rb") as file:
                file.seek(1)
                return file.read(32).decode("ascii", errors="replace").strip()
        except OSError:
            return ""

    def acquire(self) -> bool | None:
        """True: locked; False: another process holds it; None: the file cannot be made
        (a read-only folder), which must not stop the program: the database will say whether
        it can be written."""
        for _ in range(5):
            try:
                file = open(self.path, "a+b")  # noqa: SIM115 (held until release)
            except OSError as error:  # not a warning: the command line must stay quiet
                log.info("cannot create lock file %s: %s", self.path, error)
                return None
            if not _try_lock(file):
                file.close()
                return False
            # Whoever held it before may have removed the file while we waited for it: then
            # we locked a file no one else will open; start again with the new one.
            if file_identity(self.path) == _identity_of(file):
                self._file = file
                with contextlib.suppress(OSError):  # who holds it, for a command that waits
                    file.truncate(0)
                    file.write(f" {self.kind}\n".encode("ascii"))
                    file.flush()
                return True
            _unlock(file)
            file.close()
        return None

    def release(self) -> None:
        file, self._file = self._file, None
        if file is None:
            return
        if sys.platform != "win32":  # removed while still locked: see acquire
            with contextlib.suppress(OSError):
                if file_identity(self.path) == _identity_of(file):
                    self.path.unlink()
        _unlock(file)
        file.close()
        if sys.platform == "win32":  # refused while another process has it open: fine
            with contextlib.suppress(OSError):
                self.path.unlink()


def _identity_of(file: IO[bytes]) -> tuple[int, int]:
    stat = os.fstat(file.fileno())
    return (stat.st_dev, stat.st_ino)


def _identity_folder() -> Path | None:
    """A folder only this user writes to: on Windows the user's own temporary folder."""
    if sys.platform == "win32":
        folder = Path(tempfile.gettempdir()) / "nianbao-locks"
    else:
        folder = Path(tempfile.gettempdir()) / f"nianbao-locks-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        if sys.platform != "win32" and folder.stat().st_uid != os.getuid():
            log.warning("lock folder %s belongs to another user", folder)
            return None
    except OSError as error:
        log.info("cannot create lock folder %s: %s", folder, error)
        return None
    return folder


if sys.platform == "win32":
    import msvcrt

    def _try_lock(file: IO[bytes]) -> bool:
        file.seek(0)
        try:
            msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(file: IO[bytes]) -> None:
        file.seek(0)
        with contextlib.suppress(OSError):
            msvcrt.locking(file.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(file: IO[bytes]) -> bool:
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(file: IO[bytes]) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(file.fileno(), fcntl.LOCK_UN)
