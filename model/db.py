"""Opening the database: check the file, migrate it (after a backup), hand out sessions.

Opening is where a clerk's data is most at risk, so it is careful: a file that is not a SQLite
database, or one written by a newer version of the program, is refused without being touched;
an older one is backed up before it is migrated.  A current database is recognised with plain
``sqlite3`` and never imports Alembic, which keeps start-up fast.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from model import migrations

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
#: The smallest possible database file: the header is the first 100 bytes of page 1.
MIN_DATABASE_SIZE = 100
BUSY_TIMEOUT_MS = 5000


class StoreError(Exception):
    """An expected failure of the store; ``str()`` is the message for the clerk."""


class DatabaseError(StoreError):
    """The database file cannot be used (not a database, damaged, newer, locked, full disk)."""


class BrokenDatabaseError(DatabaseError):
    """The file itself is unusable (not a database, damaged, or from a newer program): trying
    again will not help, only restoring a backup or starting a new file will."""


@dataclass(frozen=True)
class _Found:
    """What a database file holds, read before SQLAlchemy or Alembic touch it."""

    revision: str | None
    has_tables: bool


class Database:
    """An open database: the engine and a factory of sessions."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        try:
            with self._sessions.begin() as session:
                yield session
        except OperationalError as error:
            if "Could not decode" in str(error.orig):  # a stored text overwritten by junk
                damage = "存储的文字已损坏，无法解码"
                raise BrokenDatabaseError(_damaged_message(self.path, damage)) from error
            raise DatabaseError(_operational_message(self.path, error)) from error
        except SQLAlchemyDatabaseError as error:  # SQLITE_CORRUPT found only now, on reading
            raise BrokenDatabaseError(_damaged_message(self.path, error.orig)) from error

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_database(path: Path) -> Database:
    """Open (creating or migrating if needed) the database at ``path``."""
    path = Path(path)
    found = _inspect(path)
    if found.revision != migrations.HEAD_REVISION:
        _prepare_migration(path, found)
    engine = _create_engine(path)
    if found.revision != migrations.HEAD_REVISION:
        _migrate(path, engine)
    return Database(path, engine)


# ---------------------------------------------------------------------------- the file


def _inspect(path: Path) -> _Found:
    """The file's revision, refusing anything that is not a SQLite database."""
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return _Found(revision=None, has_tables=False)
    _check_header(path)
    try:
        with closing(_connect_read_only(path)) as connection:
            _quick_check(path, connection)
            return _read_revision(connection)
    except sqlite3.OperationalError as error:  # locked, unreadable: the file may well be fine
        raise DatabaseError(_sqlite_message(path, str(error))) from error
    except sqlite3.DatabaseError as error:  # SQLITE_CORRUPT, SQLITE_NOTADB
        raise BrokenDatabaseError(_damaged_message(path, error)) from error


def _damaged_message(path: Path, error: object) -> str:
    return f"数据库文件“{path}”已损坏，无法打开（{error}）。文件未作改动。"


def _quick_check(path: Path, connection: sqlite3.Connection) -> None:
    """A damaged file (truncated, overwritten) is refused at once rather than failing at the
    clerk's first edit.  ``quick_check`` reads every page but skips the slow index checks."""
    problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise BrokenDatabaseError(_damaged_message(path, RuntimeError(problems[0])))


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as file:
            header = file.read(MIN_DATABASE_SIZE)
    except OSError as error:
        raise DatabaseError(f"无法读取数据库文件“{path}”：{error.strerror or error}") from error
    if len(header) < MIN_DATABASE_SIZE or not header.startswith(SQLITE_HEADER):
        raise BrokenDatabaseError(
            f"文件“{path}”不是本程序的数据库（不是SQLite数据库文件），未作任何改动。"
        )


def _connect_read_only(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return connection


def _read_revision(connection: sqlite3.Connection) -> _Found:
    tables = {
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    if "alembic_version" not in tables:
        return _Found(revision=None, has_tables=bool(tables))
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return _Found(revision=row[0] if row else None, has_tables=True)


# ---------------------------------------------------------------------------- migration


def _prepare_migration(path: Path, found: _Found) -> None:
    """Refuse what must not be migrated; back up what will be."""
    if found.revision is None:
        if found.has_tables:
            raise BrokenDatabaseError(
                f"文件“{path}”是其他程序的SQLite数据库，不是本程序的数据库，未作任何改动。"
            )
        return
    if not migrations.is_known_revision(found.revision):
        raise BrokenDatabaseError(
            f"数据库文件“{path}”由更新版本的本程序创建（版本 {found.revision}），"
            "当前程序无法打开。请升级程序。文件未作改动。"
        )
    from model.backups import BackupError, make_backup  # model.backups imports this module

    try:
        backup = make_backup(path, f"before-{migrations.HEAD_REVISION}")
    except BackupError as error:
        raise DatabaseError(f"{error}。为免数据受损，数据库未升级。") from error
    log.info("migrating %s from %s; backup at %s", path, found.revision, backup)


def _migrate(path: Path, engine: Engine) -> None:
    try:
        with engine.begin() as connection:
            migrations.upgrade_to_head(connection)
    except OperationalError as error:
        engine.dispose()
        raise DatabaseError(_operational_message(path, error)) from error


def _create_engine(path: Path) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(URL.create("sqlite+pysqlite", database=str(path)))
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_connect(dbapi_connection: Any, connection_record: object) -> None:
    """Pragmas for every connection: WAL with FULL sync survives a laptop losing power.

    ``isolation_level = None`` stops the ``sqlite3`` module from opening and committing
    transactions on its own (it would commit DDL half-way through a migration);
    :func:`_on_begin` opens them instead, as SQLAlchemy's documentation recommends.
    """
    dbapi_connection.isolation_level = None
    for pragma in (
        "journal_mode = WAL",
        "synchronous = FULL",
        "foreign_keys = ON",
        f"busy_timeout = {BUSY_TIMEOUT_MS}",
    ):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _on_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def _operational_message(path: Path, error: OperationalError) -> str:
    return _sqlite_message(path, str(error.orig))


def _sqlite_message(path: Path, detail: str) -> str:
    if "locked" in detail or "busy" in detail:
        return f"数据库“{path}”正被另一个程序占用，请关闭其他打开它的窗口后重试。"
    if "full" in detail:
        return f"磁盘空间不足，无法写入数据库“{path}”。请清理磁盘后重试。"
    if "readonly" in detail:
        return f"数据库“{path}”是只读的，无法保存修改。请检查文件权限。"
    return f"数据库“{path}”操作失败：{detail}"
