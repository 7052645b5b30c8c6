"""The database file, with plain ``sqlite3``: is it ours, is it whole, is it current?

Everything here runs before SQLAlchemy or Alembic is imported: :func:`inspect_file` refuses a
file that is not a SQLite database, is damaged, or was written by a newer program, without
touching it; :class:`FileReader` reads a current one (read-only) so that the window can show
the first report while SQLAlchemy still loads.  :mod:`model.db` opens the database for writing.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from model import migrations
from model.errors import (
    BrokenDatabaseError,
    DatabaseError,
    database_failure,
    os_reason,
    sqlite_reason,
)
from model.files import check_database_path

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
#: The smallest possible database file: the header is the first 100 bytes of page 1.
MIN_DATABASE_SIZE = 100
BUSY_TIMEOUT_MS = 5000


class NewerDatabaseError(DatabaseError):
    """The file was written by a newer version of the program: it is not damaged, and must be
    left exactly as it is (never set aside, never replaced by a backup)."""


@dataclass(frozen=True)
class Found:
    """What a database file holds, read before SQLAlchemy or Alembic touch it."""

    revision: str | None
    has_tables: bool

    @property
    def current(self) -> bool:
        """The file has this program's newest schema: it can be read and written as it is."""
        return self.revision == migrations.HEAD_REVISION


def inspect_file(path: Path) -> Found:
    """The file's revision, refusing anything that is not a whole SQLite database.

    A folder, a device or a pipe is refused before anything reads it (reading a pipe would wait
    for ever); so is a path through a file where a folder should be."""
    check_database_path(path)
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return Found(revision=None, has_tables=False)
    check_header(path)
    with sqlite_errors(path), closing(connect_read_only(path)) as connection:
        quick_check(path, connection)
        found = _read_revision(connection)
    known = found.current or found.revision is None  # Alembic is imported only otherwise
    if not known and not migrations.is_known_revision(str(found.revision)):
        raise NewerDatabaseError(newer_message(path, str(found.revision)))
    return found


def newer_message(path: Path, revision: str) -> str:
    return (
        f"数据库文件“{path}”是由更新版本的政务公开年报写入的（数据版本 {revision}），"
        "这个版本的程序不能打开它。文件没有损坏，也未作任何改动：请安装最新版本的程序后再打开。"
    )


class FileReader:
    """A read-only connection to a current database file (see :class:`model.reads.Readable`).

    It never writes: the database file is left as it was, and not even the WAL is checkpointed
    (SQLite may leave empty ``-wal`` and ``-shm`` files beside it, for the next connection that
    writes)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._closed = False
        with sqlite_errors(self.path):
            self._connection = connect_read_only(self.path)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        if self._closed:  # not "damaged", which is what sqlite3 would make of it
            raise DatabaseError(f"数据库“{self.path}”已经关闭，请重新打开程序。")
        connection = self._connection
        with sqlite_errors(self.path):
            connection.execute("BEGIN")
            try:
                yield connection
            finally:
                if connection.in_transaction:  # SQLite ends it itself after some errors
                    connection.execute("ROLLBACK")

    def close(self) -> None:
        self._closed = True
        self._connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def check_header(path: Path) -> None:
    try:
        with path.open("rb") as file:
            header = file.read(MIN_DATABASE_SIZE)
    except OSError as error:
        log.info("cannot read the header of %s: %s", path, error)
        raise DatabaseError(f"无法读取数据库文件“{path}”：{os_reason(error)}。") from error
    if len(header) < MIN_DATABASE_SIZE or not header.startswith(SQLITE_HEADER):
        raise BrokenDatabaseError(
            f"文件“{path}”不是本程序的数据库（不是SQLite数据库文件），未作任何改动。"
        )


def quick_check(path: Path, connection: sqlite3.Connection) -> None:
    """A damaged file (truncated, overwritten) is refused at once rather than failing at the
    clerk's first edit.  ``quick_check`` reads every page but skips the slow index checks."""
    problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
    if problems != ["ok"]:  # SQLite's own report, in English: for support, in the log only
        log.info("integrity check of %s failed: %s", path, problems[:10])
        raise BrokenDatabaseError(damaged_message(path, "完整性检查发现数据页损坏"))


def connect_read_only(path: Path) -> sqlite3.Connection:
    """``isolation_level=None``: transactions are opened by whoever reads, never implicitly.

    On read-only media (a CD, a write-protected USB stick, a read-only share) SQLite cannot
    create the ``-shm`` file a WAL database is read with; as nothing can change a file there,
    it is then read as ``immutable`` (when no ``-wal`` file holds pending writes: those would be
    missed, so the usual way is tried and fails with a message)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if on_read_only_media(path) and not _pending_wal(path):
        uri += "&immutable=1"
    connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return connection


def on_read_only_media(path: Path) -> bool:
    """Nothing can be written in the database's folder (the file itself exists)."""
    return path.is_file() and not os.access(path.parent, os.W_OK)


def _pending_wal(path: Path) -> bool:
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


@contextmanager
def sqlite_errors(path: Path) -> Iterator[None]:
    """``sqlite3`` failures as the clerk's messages, in Chinese: a locked or unreadable file may
    well be fine (:class:`DatabaseError`), a damaged one is not (:class:`BrokenDatabaseError`).
    SQLite's own English words go to the log only."""
    try:
        yield
    except sqlite3.OperationalError as error:
        log.info("sqlite3 refused %s: %s", path, error)
        if "Could not decode" in str(error):  # a stored text overwritten by junk
            raise BrokenDatabaseError(
                damaged_message(path, "存储的文字已损坏，无法解码")
            ) from error
        raise database_failure(path, error) from error
    except sqlite3.DatabaseError as error:  # SQLITE_CORRUPT, SQLITE_NOTADB
        log.info("sqlite3 found %s damaged: %s", path, error)
        raise BrokenDatabaseError(damaged_message(path, error)) from error


def damaged_message(path: Path, reason: object = "") -> str:
    """The clerk's message for a damaged file; ``reason`` is what was found, in Chinese, or the
    ``sqlite3`` error itself (only its meaning is shown, never SQLite's English words)."""
    if isinstance(reason, BaseException):
        reason = sqlite_reason(reason)
    detail = f"（{reason}）" if reason and reason != "已损坏" else ""
    return f"数据库文件“{path}”已损坏，无法打开{detail}。文件未作改动。"


def _read_revision(connection: sqlite3.Connection) -> Found:
    tables = {
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    if "alembic_version" not in tables:
        return Found(revision=None, has_tables=bool(tables))
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return Found(revision=row[0] if row else None, has_tables=True)
