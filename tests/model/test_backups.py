"""Automatic backups: made with SQLite's backup API, listed with their reports, pruned by the
keeping rule, restored after a copy of the current data is saved."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import pytest

from model import backups, ops
from model.backups import Backup, BackupError
from model.db import BrokenDatabaseError, Database, open_database

AGENCY = "古城回族乡人民政府"


@pytest.fixture
def db(db_path: Path) -> Database:
    database = open_database(db_path)
    created = ops.create_report(database, AGENCY, 2022)
    ops.set_cell(database, created.report_id, "art20_1.rules.issued", 5)
    return database


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_holds_the_data_and_lists_its_reports(db_path: Path, db: Database) -> None:
    made = backups.make_backup(db_path)
    [listed] = backups.list_backups(db_path)
    assert listed.path == made and listed.good and listed.kind == "auto"
    assert listed.reports == ((AGENCY, 2022),)
    assert listed.description == f"{AGENCY} 2022年"
    assert [p.name for p in made.parent.iterdir()] == [made.name]  # no -wal, -shm, .partial
    with open_database(made) as copy:
        report = ops.load_report(copy, 1)
    assert report.cells == {"art20_1.rules.issued": 5}


def test_a_backup_is_made_only_when_the_data_changed(db_path: Path, db: Database) -> None:
    first = backups.backup_if_changed(db_path)
    assert first is not None
    assert backups.backup_if_changed(db_path) is None
    db.close()  # closing checkpoints the WAL: the file changes, the data does not
    assert backups.backup_if_changed(db_path) is None
    with open_database(db_path) as again:
        ops.set_cell(again, 1, "art20_1.rules.issued", 6)
    assert backups.backup_if_changed(db_path) is not None
    assert len(backups.list_backups(db_path)) == 2


def test_an_untouched_database_is_recognised_by_its_pages(db_path: Path, db: Database) -> None:
    """The quick comparison at start never takes a changed database for its backup."""
    db.close()
    made = backups.make_backup(db_path)
    assert backups._same_pages(made, db_path)
    assert backups.backup_if_changed(db_path) is None
    with open_database(db_path) as again:
        ops.set_cell(again, 1, "art20_1.rules.issued", 7)
        assert not backups._same_pages(made, db_path)  # the edit is still in the -wal file
    assert not backups._same_pages(made, db_path)  # and now in the file's own pages
    assert backups.backup_if_changed(db_path) is not None


def test_no_backup_of_a_missing_or_empty_file(tmp_path: Path) -> None:
    assert backups.backup_if_changed(tmp_path / "none.sqlite3") is None
    (tmp_path / "empty.sqlite3").touch()
    assert backups.backup_if_changed(tmp_path / "empty.sqlite3") is None


def _fake(when: dt.datetime, number: int = 1) -> Backup:
    return Backup(Path(f"x-{when:%Y%m%d-%H%M%S}-{number}"), "auto", when, (), True, number)


def test_the_keeping_rule_last_ten_plus_one_a_day_for_thirty_days() -> None:
    now = dt.datetime(2024, 3, 31, 18, 0)
    made = [_fake(now - dt.timedelta(days=day, hours=hour)) for day in range(45) for hour in (1, 5)]
    kept = set(backups.kept(made, now))
    newest_ten = {b.path for b in made[:10]}
    one_a_day = {b.path for b in made if b.made_at.hour == 17 and (now - b.made_at).days < 30}
    assert kept == newest_ten | one_a_day
    assert len(kept) == 10 + 25  # days 0–4 are already among the ten newest


def test_pruning_deletes_only_automatic_backups_and_partial_ones(
    db_path: Path, db: Database
) -> None:
    now = dt.datetime(2024, 3, 31, 18, 0)
    for hours in range(15):
        backups.make_backup(db_path, now=now - dt.timedelta(minutes=hours))
    before_restore = backups.make_backup(
        db_path, backups.BEFORE_RESTORE, now - dt.timedelta(days=90)
    )
    partial = before_restore.parent / "nianbao-auto-20240331-170000.sqlite3.partial"
    litter = [partial.with_name(partial.name + s) for s in ("", "-journal", "-wal", "-shm")]
    for path in litter:
        path.write_bytes(b"half")
    removed = backups.prune(db_path, now)
    assert len(removed) == 5
    left = backups.list_backups(db_path, read=False)
    assert sum(b.kind == "auto" for b in left) == 10
    assert before_restore.exists() and not any(path.exists() for path in litter)


def test_a_backup_that_fails_half_way_leaves_nothing_and_says_why_in_chinese(
    db_path: Path, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    real = backups._connect_ro

    class Failing:
        """The source of a backup whose disk fails once the copy has been started."""

        def __init__(self, path: Path) -> None:
            self.connection = real(path)

        def backup(self, copy: sqlite3.Connection) -> None:
            copy.execute("CREATE TABLE started (x)")  # the partial file and its journal exist
            copy.execute("BEGIN")
            copy.execute("INSERT INTO started VALUES (1)")
            raise sqlite3.OperationalError("disk I/O error")

        def close(self) -> None:
            self.connection.close()

    monkeypatch.setattr(backups, "_connect_ro", Failing)
    with pytest.raises(BackupError) as raised:
        backups.make_backup(db_path)
    assert "磁盘出错" in str(raised.value) and "I/O" not in str(raised.value)
    folder = db_path.parent / "backups"
    assert [p.name for p in folder.iterdir()] == []


def test_a_damaged_backup_is_listed_as_such_and_never_chosen(db_path: Path, db: Database) -> None:
    good = backups.make_backup(db_path, now=dt.datetime(2024, 1, 1, 9, 0))
    bad = backups.make_backup(db_path, now=dt.datetime(2024, 1, 2, 9, 0))
    bad.write_bytes(bad.read_bytes()[:5000])
    listed = backups.list_backups(db_path)
    assert [(b.path, b.good) for b in listed] == [(bad, False), (good, True)]
    assert "损坏" in listed[0].description
    newest = backups.newest_good_backup(db_path)
    assert newest is not None and newest.path == good
    with pytest.raises(BackupError, match="损坏"):
        backups.restore(bad, db_path)


def test_restore_saves_the_current_data_first(db_path: Path, db: Database) -> None:
    made = backups.make_backup(db_path)
    ops.set_cell(db, 1, "art20_1.rules.issued", 99)
    db.close()
    safety = backups.restore(made, db_path)
    assert safety is not None and safety.name.startswith("nianbao-before-restore-")
    with open_database(db_path) as restored:
        assert ops.load_report(restored, 1).cells == {"art20_1.rules.issued": 5}
    with open_database(safety) as saved:
        assert ops.load_report(saved, 1).cells == {"art20_1.rules.issued": 99}


def test_a_broken_file_is_set_aside_untouched_and_a_backup_takes_its_place(
    db_path: Path, db: Database
) -> None:
    made = backups.make_backup(db_path)
    db.close()
    db_path.write_bytes(b"SQLite format 3\x00" + os.urandom(8000))
    before = digest(db_path)
    with pytest.raises(BrokenDatabaseError):
        open_database(db_path)
    aside = backups.set_aside(db_path)
    assert not db_path.exists() and digest(aside) == before
    assert ".damaged-" in aside.name
    assert backups.restore(made, db_path) is None
    with open_database(db_path) as restored:
        assert ops.load_report(restored, 1).agency == AGENCY
