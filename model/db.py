"""Opening the database: check the file, migrate it (after a backup), hand out transactions.

Opening is where a clerk's data is most at risk, so it is careful: a file that is not a SQLite
database, or one written by a newer version of the program, is refused without being touched;
an older one is backed up before it is migrated.  A current database is recognised with plain
``sqlite3`` and never imports Alembic, which keeps start-up fast.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from pathlib import Path
from typing import Any, Self

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlalchemy.exc import OperationalError

from model import migrations
from model.backups import BackupError, make_backup
from model.dbfile import (
    BUSY_TIMEOUT_MS,
    Found,
    check_header,
    damaged_message,
    inspect_file,
    quick_check,
)
from model.errors import (
    BrokenDatabaseError,
    DatabaseError,
    StoreError,
    database_failure,
    os_reason,
    sqlite_reason,
)
from model.files import check_database_path

__all__ = ["BrokenDatabaseError", "Database", "DatabaseError", "StoreError", "open_database"]

log = logging.getLogger(__name__)


#: How a write transaction begins: as a writer at once, so that it waits its turn (for up to
#: the busy timeout) behind another writer.  A deferred ``BEGIN`` that reads and then writes
#: cannot wait: SQLite refuses the upgrade at once with "database is locked".
_WRITE = "BEGIN IMMEDIATE"
_READ = "BEGIN"


class Database:
    """An open database: its engine, write transactions for :mod:`model.ops`, and plain reads
    (:class:`model.reads.Readable`).

    ``read_only`` says why the file can only be read (read-only media), or is None; then
    reads work and every write is refused with that reason before anything is tried."""

    def __init__(self, path: Path, engine: Engine, read_only: str | None = None) -> None:
        self.path = path
        self.engine = engine
        self.read_only = read_only
        self._batch = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises.

        Inside :meth:`batch` (on the same thread) it is the batch's transaction instead."""
        if self.read_only is not None:
            raise DatabaseError(self.read_only)
        batch: Connection | None = getattr(self._batch, "connection", None)
        if batch is not None:
            with self._errors(), self._sqlite_errors():
                yield batch
            return
        with self._errors(), self._begin(_WRITE) as connection, self._sqlite_errors():
            yield connection  # raw reads in a write (model.reads) raise sqlite3 errors

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """:meth:`transaction` on the engine's own ``sqlite3`` connection, for the one write
        that runs on every cell the clerk enters (:func:`model.ops.set_cells`): the same
        ``BEGIN IMMEDIATE``, commit and rollback, errors and batch, without building a
        SQLAlchemy statement or connection per edit (that cost more than its fsync)."""
        if self.read_only is not None:
            raise DatabaseError(self.read_only)
        batch: Connection | None = getattr(self._batch, "connection", None)
        if batch is not None:
            with self._errors(), self._sqlite_errors():
                yield raw_connection(batch)
            return
        with self._errors(), self._sqlite_errors():
            pooled = self.engine.raw_connection()  # the pool's connection, set up by _on_connect
            try:
                driver = pooled.driver_connection
                assert isinstance(driver, sqlite3.Connection)
                driver.execute(_WRITE)
                try:
                    yield driver
                except BaseException:
                    driver.rollback()
                    raise
                driver.execute("COMMIT")
            finally:
                pooled.close()  # back to the pool, which rolls back a failed COMMIT

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction for every write in the block (an import of several files): all of
        them are committed together when it ends, or none if it raises."""
        if self.read_only is not None:
            raise DatabaseError(self.read_only)
        if getattr(self._batch, "connection", None) is not None:
            yield  # already inside one
            return
        with self._errors(), self._begin(_WRITE) as connection, self._sqlite_errors():
            self._batch.connection = connection
            try:
                yield
            finally:
                self._batch.connection = None

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """One transaction on the engine's own ``sqlite3`` connection, for :mod:`model.reads`."""
        batch: Connection | None = getattr(self._batch, "connection", None)
        if batch is not None:
            with self._errors(), self._sqlite_errors():
                yield raw_connection(batch)
            return
        with self._errors(), self._begin(_READ) as connection, self._sqlite_errors():
            yield raw_connection(connection)

    def _begin(self, statement: str) -> AbstractContextManager[Connection]:
        return _begin(self.engine, statement)

    @contextmanager
    def _sqlite_errors(self) -> Iterator[None]:
        """``sqlite3`` failures (raw reads) as the clerk's messages, in Chinese."""
        try:
            yield
        except sqlite3.OperationalError as error:
            if "Could not decode" in str(error):  # a stored text overwritten by junk
                damage = "存储的文字已损坏，无法解码"
                raise BrokenDatabaseError(damaged_message(self.path, damage)) from error
            raise database_failure(self.path, error) from error
        except sqlite3.DatabaseError as error:  # SQLITE_CORRUPT, SQLITE_NOTADB
            raise BrokenDatabaseError(damaged_message(self.path, _damage(error))) from error

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as error:
            if "Could not decode" in str(error.orig):  # a stored text overwritten by junk
                damage = "存储的文字已损坏，无法解码"
                raise BrokenDatabaseError(damaged_message(self.path, damage)) from error
            raise database_failure(self.path, error.orig or error) from error
        except SQLAlchemyDatabaseError as error:  # SQLITE_CORRUPT found only now, on reading
            raise BrokenDatabaseError(damaged_message(self.path, _damage(error.orig))) from error

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@contextmanager
def _begin(engine: Engine, statement: str) -> Iterator[Connection]:
    """A transaction begun with ``statement`` (see :func:`_on_begin`)."""
    with engine.connect() as connection:
        connection.info["nianbao_begin"] = statement
        try:
            with connection.begin():
                yield connection
        finally:
            connection.info.pop("nianbao_begin", None)


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
    check_database_path(path)
    read_only = _read_only_reason(path)
    if read_only is not None:
        return _open_read_only(path, read_only)
    if found is None:
        found = inspect_file(path)
    if not found.current:
        _prepare_migration(path, found)
    engine = _create_engine(path)
    if not found.current:
        _migrate(path, engine)
    return Database(path, engine)


def _damage(error: object) -> str:
    """What SQLite found, in Chinese, for :func:`model.dbfile.damaged_message`."""
    return sqlite_reason(error if isinstance(error, BaseException) else str(error))


# ---------------------------------------------------------------------------- read-only media


def _read_only_reason(path: Path) -> str | None:
    """Why an existing database can only be read (None if it can be written).

    On a CD, a write-protected USB stick or a read-only share SQLite cannot even open a WAL
    database for reading the usual way (it needs to create the ``-shm`` file beside it)."""
    if not path.is_file():
        return None
    if not os.access(path.parent, os.W_OK):
        where = "所在的磁盘或文件夹是只读的（如光盘、写保护的U盘或只读的网络共享）"
    elif not os.access(path, os.W_OK):
        where = "文件是只读的（文件属性或权限不允许修改）"
    else:
        return None
    return f"数据库“{path}”{where}，只能查看和导出，不能保存修改。请把它复制到可以写入的文件夹后再修改。"


def _open_read_only(path: Path, reason: str) -> Database:
    """A database that can be read but not written: refused at once if it would need a
    migration first, which cannot be written."""
    check_header(path)
    uri = _read_only_uri(path)
    try:
        with closing(sqlite3.connect(uri, uri=True)) as connection:
            quick_check(path, connection)
            revision = _revision(connection)
    except sqlite3.DatabaseError as error:
        raise database_failure(path, error) from error
    if revision != migrations.HEAD_REVISION:
        if revision is not None and not migrations.is_known_revision(revision):
            raise BrokenDatabaseError(
                f"数据库文件“{path}”由更新版本的本程序创建（版本 {revision}），"
                "当前程序无法打开。请升级程序。文件未作改动。"
            )
        raise DatabaseError(
            f"{reason.removesuffix('。')}；它需要升级才能打开，而只读的文件无法升级。"
        )
    engine = create_engine(
        URL.create("sqlite+pysqlite"),
        creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
    )
    event.listen(engine, "connect", _on_connect_read_only)
    event.listen(engine, "begin", _on_begin)
    return Database(path, engine, read_only=reason)


def _read_only_uri(path: Path) -> str:
    """Read-only; ``immutable`` (no ``-shm`` needed) when nothing waits in the ``-wal`` file —
    otherwise the usual way, which fails with a message if SQLite cannot manage."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    try:
        pending = wal.stat().st_size > 0
    except OSError:
        pending = False
    return uri if pending else uri + "&immutable=1"


def _revision(connection: sqlite3.Connection) -> str | None:
    tables = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if tables is None:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def _on_connect_read_only(dbapi_connection: Any, connection_record: object) -> None:
    dbapi_connection.isolation_level = None
    dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


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
    try:
        backup = make_backup(path, f"before-{migrations.HEAD_REVISION}")
    except BackupError as error:
        raise DatabaseError(f"{error}。为免数据受损，数据库未升级。") from error
    log.info("migrating %s from %s; backup at %s", path, found.revision, backup)


def _migrate(path: Path, engine: Engine) -> None:
    """Create or upgrade the schema, as a writer.  Alembic is loaded before the lock is taken
    (loading it takes a while), and once the lock is held the revision is read again: when
    several programs create the same new file at once, the first does the work and the others,
    each in its turn, find it done."""
    import alembic.command  # noqa: F401  (loaded now, not while holding the write lock)

    try:
        with _begin(engine, _WRITE) as connection:
            if _revision(raw_connection(connection)) == migrations.HEAD_REVISION:
                return
            migrations.upgrade_to_head(connection)
    except OperationalError as error:
        engine.dispose()
        raise database_failure(path, error.orig or error) from error


def _create_engine(path: Path) -> Engine:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseError(
            f"无法创建数据库所在的文件夹“{path.parent}”：{os_reason(error)}。"
            "请用 --db 指定一个可以写入的位置。"
        ) from error
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
    for pragma in (  # the busy timeout first: switching to WAL may have to wait for a lock
        f"busy_timeout = {BUSY_TIMEOUT_MS}",
        "journal_mode = WAL",
        "synchronous = FULL",
        "foreign_keys = ON",
    ):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _on_begin(connection: Connection) -> None:
    """Writes (:meth:`Database.transaction`, migrations) begin as writers; anything else
    deferred, as SQLite does by default."""
    connection.exec_driver_sql(connection.info.get("nianbao_begin", _READ))
