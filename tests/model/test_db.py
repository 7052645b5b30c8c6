"""Opening the database: what a clerk's file goes through before the program uses it."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from model import db as db_module
from model import migrations, ops, paths
from model.backups import make_backup
from model.db import Database, DatabaseError, open_database

ROOT = Path(__file__).resolve().parents[2]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored_revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as connection:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )


# ---------------------------------------------------------------------------- start-up cost


def test_importing_model_db_does_not_import_alembic() -> None:
    result = run_python("import sys, model.db, model.ops; print('alembic' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_opening_a_current_database_does_not_import_alembic(db_path: Path) -> None:
    open_database(db_path).close()
    code = (
        "import sys; from pathlib import Path; from model.db import open_database\n"
        f"open_database(Path({str(db_path)!r})).close()\n"
        "print('alembic' in sys.modules)"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


# ---------------------------------------------------------------------------- a new database


def test_a_new_database_is_created_at_head(db_path: Path) -> None:
    open_database(db_path).close()
    assert stored_revision(db_path) == migrations.HEAD_REVISION


def test_an_empty_file_is_migrated_to_head(db_path: Path) -> None:
    db_path.touch()
    with open_database(db_path) as database:
        created = ops.create_report(database, "古城回族乡人民政府", 2019)
    assert stored_revision(db_path) == migrations.HEAD_REVISION
    with open_database(db_path) as database:
        assert ops.find_report(database, "古城回族乡人民政府", 2019) == created.report_id


def test_a_missing_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "新文件夹" / "年报.sqlite3"
    open_database(path).close()
    assert path.is_file()


@pytest.mark.parametrize("empty", [False, True])
def test_no_backup_is_made_for_a_brand_new_file(db_path: Path, empty: bool) -> None:
    if empty:
        db_path.touch()
    open_database(db_path).close()
    backups = db_path.parent / paths.BACKUP_DIR_NAME
    assert not backups.exists() or not any(backups.iterdir())


def pragmas(connection: Connection) -> dict[str, object]:
    names = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    return {name: connection.execute(text(f"PRAGMA {name}")).scalar() for name in names}


def test_pragmas_are_on_for_every_connection(db: Database) -> None:
    expected = {
        "journal_mode": "wal",
        "synchronous": 2,  # FULL
        "foreign_keys": 1,
        "busy_timeout": db_module.BUSY_TIMEOUT_MS,
    }
    # Two connections at once: each is set up when it connects, not just the first.
    with db.engine.connect() as first, db.engine.connect() as second:
        assert pragmas(first) == expected
        assert pragmas(second) == expected


def test_a_failing_transaction_writes_nothing(db_path: Path, db: Database) -> None:
    created = ops.create_report(db, "古城回族乡人民政府", 2019)
    with pytest.raises(RuntimeError), db.transaction() as connection:
        connection.execute(text("DELETE FROM report"))
        raise RuntimeError("boom")
    with open_database(db_path) as fresh:
        assert ops.find_report(fresh, "古城回族乡人民政府", 2019) == created.report_id


def test_a_locked_database_gives_a_message_not_a_crash(
    db_path: Path, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 50)
    db.close()
    with closing(sqlite3.connect(db_path, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        with open_database(db_path) as locked, pytest.raises(DatabaseError, match="占用"):
            ops.create_report(locked, "古城回族乡人民政府", 2019)
        other.execute("ROLLBACK")


# ---------------------------------------------------------------------------- refused files


def write_truncated_database(path: Path, keep: int | None) -> None:
    source = path.with_name("source.sqlite3")
    with open_database(source) as database:
        for year in range(2000, 2060):
            created = ops.create_report(database, "古城回族乡人民政府", year)
            ops.set_text(database, created.report_id, "overview", "总体情况" * 200)
    with closing(sqlite3.connect(source)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = source.read_bytes()
    path.write_bytes(data[: keep if keep is not None else len(data) // 2])


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: p.write_bytes(os.urandom(4096)), id="random-bytes"),
        pytest.param(lambda p: p.write_text("机关,年度\n古城乡,2019\n", "utf-8"), id="text-file"),
        pytest.param(lambda p: p.write_bytes(b"SQLite format 3\x00"), id="header-only"),
        pytest.param(lambda p: write_truncated_database(p, None), id="truncated-half"),
        pytest.param(lambda p: write_truncated_database(p, 60), id="truncated-60-bytes"),
    ],
)
def test_a_file_that_is_not_a_database_is_refused_untouched(db_path: Path, make: object) -> None:
    make(db_path)  # type: ignore[operator]
    before = digest(db_path)
    with pytest.raises(DatabaseError) as raised:
        open_database(db_path)
    assert str(db_path) in str(raised.value)
    assert digest(db_path) == before
    assert not (db_path.parent / paths.BACKUP_DIR_NAME).exists()


def test_another_programs_sqlite_database_is_refused_untouched(db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("CREATE TABLE contacts (name TEXT)")
        connection.commit()
    before = digest(db_path)
    with pytest.raises(DatabaseError, match="其他程序"):
        open_database(db_path)
    assert digest(db_path) == before


def test_a_database_from_a_newer_program_is_refused_untouched(db_path: Path) -> None:
    with open_database(db_path) as database:
        ops.create_report(database, "古城回族乡人民政府", 2019)
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(db_path)
    with pytest.raises(DatabaseError, match="更新版本") as raised:
        open_database(db_path)
    assert str(db_path) in str(raised.value)
    assert digest(db_path) == before
    assert stored_revision(db_path) == "9999"


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError):
        open_database(tmp_path)


# ---------------------------------------------------------------------------- backups


def test_backup_copies_the_data_next_to_the_database(db_path: Path, db: Database) -> None:
    created = ops.create_report(db, "古城回族乡人民政府", 2019)
    ops.set_text(db, created.report_id, "overview", "尚未检查点的文字")  # still in the -wal file
    now = dt.datetime(2025, 1, 20, 9, 30, 5)
    first = make_backup(db_path, "before-0002", now)
    second = make_backup(db_path, "before-0002", now)
    assert first.parent == db_path.parent / "backups"
    assert first.name == "nianbao-before-0002-20250120-093005.sqlite3"
    assert second != first and second.exists()
    assert not list(first.parent.glob("*.partial"))
    with open_database(first) as copy:
        assert ops.load_report(copy, created.report_id).texts == {"overview": "尚未检查点的文字"}


def test_an_older_database_is_backed_up_before_it_is_migrated(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pretend the program's head is newer (tests/model/test_migrations.py upgrades a real
    0001 database)."""
    with open_database(db_path) as database:
        ops.create_report(database, "古城回族乡人民政府", 2019)
    monkeypatch.setattr(migrations, "HEAD_REVISION", "0004")
    with open_database(db_path) as database:
        assert ops.find_report(database, "古城回族乡人民政府", 2019) is not None
    backups = list((db_path.parent / "backups").iterdir())
    assert [b.name.startswith("nianbao-before-0004-") for b in backups] == [True]
    with closing(sqlite3.connect(backups[0])) as copy:
        assert copy.execute("SELECT agency, year FROM report").fetchall() == [
            ("古城回族乡人民政府", 2019)
        ]


# ---------------------------------------------------------------------------- paths


def test_paths_resolve_into_an_override_folder_and_create_it_lazily(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert not data.exists()
    path = paths.default_db_path(data)
    assert path == data / "nianbao.sqlite3"
    assert data.is_dir() and not path.exists()
    assert paths.backup_dir(path) == data / "backups"
    assert (data / "backups").is_dir()


def test_the_default_folder_is_the_platforms_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert paths._platform_data_dir().name == "nianbao"  # appauthor=False: no nianbao/nianbao
    monkeypatch.setattr(paths, "_platform_data_dir", lambda: tmp_path / "nianbao")
    assert paths.default_db_path() == tmp_path / "nianbao" / "nianbao.sqlite3"


def test_a_newer_database_is_its_own_error_not_damage(db_path: Path) -> None:
    from model.dbfile import NewerDatabaseError, inspect_file
    from model.errors import BrokenDatabaseError

    with open_database(db_path) as database:
        ops.create_report(database, "古城回族乡人民政府", 2019)
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()
    before = digest(db_path)
    with pytest.raises(NewerDatabaseError, match="更新版本") as raised:
        inspect_file(db_path)
    assert not isinstance(raised.value, BrokenDatabaseError)  # 损坏 is never said of it
    assert "已损坏" not in str(raised.value) and "没有损坏" in str(raised.value)
    assert digest(db_path) == before
