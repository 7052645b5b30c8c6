"""Opening the database: check the file, migrate it (after a backup), hand out transactions.

Opening is where a clerk's data is most at risk, so it is careful: a file that is not a SQLite
database, or one written by a newer version of the program, is refused without being touched;
an older one is backed up before it is migrated.  A current database is recognised with plain
``sqlite3`` and never imports Alembic, which keeps start-up fast.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlalchemy.exc import OperationalError

from model import migrations
from model.dbfile import (
    BUSY_TIMEOUT_MS,
    Found,
    damaged_message,
    inspect_file,
    sqlite_errors,
    sqlite_message,
)
from model.errors import BrokenDatabaseError, DatabaseError, StoreError

__all__ = ["BrokenDatabaseError", "Database", "DatabaseError", "StoreError", "open_database"]

log = logging.getLogger(__name__)


class Database:
    """An open database: its engine, write transactions for :mod:`model.ops`, and plain reads
    (:class:`model.reads.Readable`)."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._errors(), self.engine.begin() as connection, sqlite_errors(self.path):
            yield connection  # raw reads in a write (model.reads) raise sqlite3 errors

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """One transaction on the engine's own ``sqlite3`` connection, for :mod:`model.reads`."""
        with self._errors(), self.engine.begin() as connection, sqlite_errors(self.path):
            yield raw_connection(connection)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as error:
            if "Could not decode" in str(error.orig):  # a stored text overwritten by junk
                damage = "存储的文字已损坏，无法解码"
                raise BrokenDatabaseError(damaged_message(self.path, damage)) from error
            raise DatabaseError(_operational_message(self.path, error)) from error
        except SQLAlchemyDatabaseError as error:  # SQLITE_CORRUPT found only now, on reading
            raise BrokenDatabaseError(damaged_message(self.path, error.orig)) from error

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def raw_connection(connection: Connection) -> sqlite3.Connection:
    """The ``sqlite3`` connection under a SQLAlchemy one, in the same transaction."""
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def open_database(path: Path, found: Found | None = None) -> Database:
    """Open (creating or migrating if needed) the database at ``path``.

    ``found`` is what :func:`model.dbfile.inspect_file` said of the file, if the caller has
    just asked (the window does, to show the first report before SQLAlchemy is loaded)."""
    path = Path(path)
    if found is None:
        found = inspect_file(path)
    if not found.current:
        _prepare_migration(path, found)
    engine = _create_engine(path)
    if not found.current:
        _migrate(path, engine)
    return Database(path, engine)


# ---------------------------------------------------------------------------- migration


def _prepare_migration(path: Path, found: Found) -> None:
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
    return sqlite_message(path, str(error.orig))
