"""Automatic backups of the database, and putting one back.

A backup is made with SQLite's online backup API (a file copy of a live WAL database can miss
committed pages still in the ``-wal`` file), under a temporary name that is renamed only once
the copy is complete, so a backup cut short by a power failure is never listed as a good one.
Backups live in the ``backups`` folder beside the database.  Automatic ones are kept by a
simple rule: the last :data:`KEEP_LAST`, plus the newest of each day for :data:`KEEP_DAYS`
days.  Backups made before a restore or a migration are never pruned: they are rare and they
are the clerk's way back from a wrong choice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import re
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from model.dbfile import SQLITE_HEADER
from model.errors import UserError, os_reason, sqlite_reason
from model.paths import BACKUP_DIR_NAME, backup_dir

log = logging.getLogger(__name__)

KEEP_LAST = 10
KEEP_DAYS = 30
AUTO = "auto"
BEFORE_RESTORE = "before-restore"
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(
    r"-(?P<kind>auto|before-restore|before-\w+)-(?P<stamp>\d{8}-\d{6})(-(?P<number>\d+))?\Z"
)


class BackupError(UserError):
    """A backup could not be made or restored; ``str()`` is the message for the clerk."""


@dataclass(frozen=True)
class Backup:
    """One backup file and what it holds."""

    path: Path
    kind: str
    made_at: dt.datetime
    reports: tuple[tuple[str, int], ...]  # (agency, year), empty if unreadable
    good: bool
    number: int = 1  # several backups made in the same second

    @property
    def order(self) -> tuple[dt.datetime, int]:
        return (self.made_at, self.number)

    @property
    def description(self) -> str:
        if not self.good:
            return "（已损坏，不能恢复）"
        if not self.reports:
            return "（没有报告）"
        return "、".join(f"{agency} {year}年" for agency, year in self.reports)


# ---------------------------------------------------------------------------- making


def make_backup(db_path: Path, kind: str = AUTO, now: dt.datetime | None = None) -> Path:
    """Copy the database into the backups folder; the path of the copy."""
    try:
        target = _target(db_path, kind, now or dt.datetime.now())
    except OSError as error:
        raise BackupError(f"无法备份数据库“{db_path}”：{_reason(error)}") from error
    partial = target.with_name(target.name + ".partial")
    try:
        with closing(_connect_ro(db_path)) as source, closing(sqlite3.connect(partial)) as copy:
            source.backup(copy)
            # One self-contained file: no -wal or -shm beside a backup that is only read.
            copy.execute("PRAGMA journal_mode = DELETE")
        partial.replace(target)
    except (sqlite3.Error, OSError) as error:
        _remove_partial(partial)
        raise BackupError(f"无法备份数据库“{db_path}”：{_reason(error)}") from error
    log.info("backup %s of %s", target.name, db_path)
    return target


def backup_if_changed(db_path: Path, now: dt.datetime | None = None) -> Path | None:
    """A new automatic backup if the data differs from the newest backup's; then prune.

    Compared by content, not by modification time: closing a WAL database rewrites the file
    without changing a single report.
    """
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    made = None
    newest = next((b for b in list_backups(db_path, read=False)), None)
    if newest is None or not _same_data(newest.path, db_path):
        made = make_backup(db_path, AUTO, now)
    prune(db_path, now)
    return made


def _same_data(backup: Path, db_path: Path) -> bool:
    """Whether ``db_path`` holds the data of ``backup``: the same pages, or else the same rows.

    At start the database is usually untouched since the backup made at the last exit, and the
    backup API copies pages as they are: comparing the files is then a few milliseconds, where
    reading and hashing every row takes about a second for 3,000 reports (benchmarks/).
    """
    return _same_pages(backup, db_path) or content_digest(backup) == content_digest(db_path)


#: Header bytes that change how the pages read: page size, reserved bytes per page, text
#: encoding.  The rest of the 100-byte header (change counter, journal mode, …) does not.
_HEADER_FIELDS = (slice(16, 18), slice(20, 21), slice(56, 60))
_CHUNK = 1 << 20


def _same_pages(a: Path, b: Path) -> bool:
    """True only if both files are whole databases (no ``-wal`` content) with identical pages."""
    if any(_wal_has_content(path) for path in (a, b)):
        return False
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with a.open("rb") as file_a, b.open("rb") as file_b:
            header_a, header_b = file_a.read(100), file_b.read(100)
            if len(header_a) < 100 or not header_a.startswith(SQLITE_HEADER):
                return False
            if any(header_a[field] != header_b[field] for field in _HEADER_FIELDS):
                return False
            while (chunk := file_a.read(_CHUNK)) == file_b.read(_CHUNK):
                if not chunk:
                    return True
    except OSError:
        pass
    return False


def _wal_has_content(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except FileNotFoundError:
        return False


def content_digest(path: Path) -> str:
    """A digest of every row of every table, independent of page layout and WAL state."""
    digest = hashlib.sha256()
    with closing(_connect_ro(path)) as connection:
        tables = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
        for (table,) in tables:
            digest.update(f"\x00{table}\x00".encode())
            rows = connection.execute(f'SELECT * FROM "{table}"').fetchall()
            for row in sorted(repr(r) for r in rows):
                digest.update(row.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _target(db_path: Path, kind: str, now: dt.datetime) -> Path:
    folder = backup_dir(db_path)
    stem = f"{db_path.stem}-{kind}-{now:{_STAMP}}"
    target = folder / f"{stem}.sqlite3"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{stem}-{number}.sqlite3"
    return target


# ---------------------------------------------------------------------------- listing


def list_backups(db_path: Path, read: bool = True) -> list[Backup]:
    """The backups of ``db_path``, newest first; with ``read``, each is opened and checked."""
    folder = db_path.parent / BACKUP_DIR_NAME
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{db_path.stem}-*.sqlite3"):
        match = _NAME.search(path.stem[len(db_path.stem) :])
        if match is None or not path.stem.startswith(db_path.stem):
            continue
        made_at = dt.datetime.strptime(match["stamp"], _STAMP)
        reports, good = _read(path) if read else ((), True)
        number = int(match["number"] or 1)
        found.append(Backup(path, match["kind"], made_at, reports, good, number))
    return sorted(found, key=lambda b: b.order, reverse=True)


def newest_good_backup(db_path: Path) -> Backup | None:
    return next((b for b in list_backups(db_path) if b.good), None)


def _read(path: Path) -> tuple[tuple[tuple[str, int], ...], bool]:
    """The reports in a backup, and whether it passes SQLite's integrity check."""
    try:
        with path.open("rb") as file:
            if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return (), False
        with closing(_connect_ro(path)) as connection:
            if connection.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
                return (), False
            rows = connection.execute("SELECT agency, year FROM report ORDER BY agency, year")
            return tuple((str(a), int(y)) for a, y in rows), True
    except (sqlite3.Error, OSError):
        return (), False


# ---------------------------------------------------------------------------- pruning


def prune(db_path: Path, now: dt.datetime | None = None) -> list[Path]:
    """Delete the automatic backups the keeping rule does not keep; the paths deleted."""
    autos = [b for b in list_backups(db_path, read=False) if b.kind == AUTO]
    keep = set(kept(autos, now or dt.datetime.now()))
    removed = []
    for backup in autos:
        if backup.path not in keep:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
    for partial in (db_path.parent / BACKUP_DIR_NAME).glob(f"{db_path.stem}-*.partial*"):
        if _PARTIAL.search(partial.name):  # a backup cut short by a crash, with its journal
            with contextlib.suppress(OSError):
                partial.unlink()
    return removed


#: A backup still being written, and the files SQLite keeps beside it while it is.
_PARTIAL = re.compile(r"\.sqlite3\.partial(-journal|-wal|-shm)?\Z")


def _remove_partial(partial: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            partial.with_name(partial.name + suffix).unlink(missing_ok=True)


def _reason(error: BaseException) -> str:
    """Why a backup or restore failed, in Chinese."""
    if isinstance(error, sqlite3.Error):
        return sqlite_reason(error)
    if isinstance(error, OSError):
        return os_reason(error)
    return "未知错误"


def kept(backups: Iterable[Backup], now: dt.datetime) -> list[Path]:
    """The last :data:`KEEP_LAST`, and the newest of each of the last :data:`KEEP_DAYS` days."""
    newest_first = sorted(backups, key=lambda b: b.order, reverse=True)
    keep = [b.path for b in newest_first[:KEEP_LAST]]
    days: set[dt.date] = set()
    for backup in newest_first:
        day = backup.made_at.date()
        if day not in days and (now.date() - day).days < KEEP_DAYS:
            days.add(day)
            keep.append(backup.path)
    return keep


# ---------------------------------------------------------------------------- restoring


def restore(backup: Path, db_path: Path) -> Path | None:
    """Put ``backup``'s data into the database at ``db_path`` (which must not be open).

    The current data is first backed up (kind ``before-restore``); that copy's path is
    returned (None when there was no database).  The data is written through SQLite's backup
    API into the database itself, so its WAL and journal stay consistent.
    """
    if not _read(backup)[1]:
        raise BackupError(f"备份“{backup.name}”已损坏，不能用来恢复。")
    safety = None
    if db_path.is_file() and db_path.stat().st_size > 0:
        safety = make_backup(db_path, BEFORE_RESTORE)
    try:
        with closing(_connect_ro(backup)) as source, closing(sqlite3.connect(db_path)) as target:
            source.backup(target)
    except (sqlite3.Error, OSError) as error:
        raise BackupError(f"无法从备份恢复到“{db_path}”：{_reason(error)}") from error
    log.info("restored %s from %s (previous data in %s)", db_path, backup, safety)
    return safety


def set_aside(db_path: Path, now: dt.datetime | None = None) -> Path:
    """Rename a broken database (with its ``-wal`` and ``-shm``) out of the way, untouched, so
    that a new file or a backup can take its place.  The new name of the database file."""
    stamp = f"{now or dt.datetime.now():{_STAMP}}"
    aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}-{number}")
    try:
        for suffix in ("-wal", "-shm"):
            companion = db_path.with_name(db_path.name + suffix)
            if companion.exists():
                companion.replace(aside.with_name(aside.name + suffix))
        db_path.replace(aside)
    except OSError as error:
        raise BackupError(f"无法把损坏的文件“{db_path}”改名保存：{os_reason(error)}") from error
    log.warning("set aside broken database %s as %s", db_path, aside)
    return aside


def _connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
