"""What the start-up reader (:mod:`model.dbfile`) tells a clerk is Chinese only: SQLite's and
the operating system's English words (``unable to open database file``, ``no such table``,
``Is a directory``, the integrity check's own report) never reach the message."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from model import reads
from model.dbfile import FileReader, check_header, inspect_file
from model.errors import BrokenDatabaseError, DatabaseError
from model.schema import MAX_TEXT  # noqa: F401  (the schema loads without SQLAlchemy too)

#: Two or more Latin letters in a row: an English word (the path itself is left out).
ENGLISH = re.compile(r"[A-Za-z]{2,}")


def _words(message: str, path: Path) -> list[str]:
    return ENGLISH.findall(message.replace(str(path), ""))


def _plain_database(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path)) as connection:
        for statement in statements:
            connection.execute(statement)
        connection.commit()


@pytest.mark.parametrize(
    ("offset", "how"),
    [(3, "SQLite refuses the page"), (5, "the integrity check lists the page")],
)
def test_a_damaged_page_is_reported_in_chinese(tmp_path: Path, offset: int, how: str) -> None:
    path = tmp_path / "damaged.sqlite3"
    _plain_database(
        path,
        "CREATE TABLE t (x TEXT)",
        *[f"INSERT INTO t VALUES ('{'字' * 50}{n}')" for n in range(400)],
    )
    data = bytearray(path.read_bytes())
    data[2 * 4096 + offset] = 0x7F  # a table page's cell count or content start: nonsense
    path.write_bytes(bytes(data))
    with pytest.raises(BrokenDatabaseError) as caught:
        inspect_file(path)
    message = str(caught.value)
    assert "已损坏" in message and "未作改动" in message
    assert _words(message, path) == []


def test_the_command_line_says_only_the_chinese_sentence(tmp_path: Path) -> None:
    """SQLite's own report goes to the log, never to the clerk's console."""
    path = tmp_path / "damaged.sqlite3"
    _plain_database(
        path,
        "CREATE TABLE t (x TEXT)",
        *[f"INSERT INTO t VALUES ('{'字' * 50}{n}')" for n in range(400)],
    )
    data = bytearray(path.read_bytes())
    data[2 * 4096 + 5] = 0x7F
    path.write_bytes(bytes(data))
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, str(root / "main.py"), "--db", str(path), "list"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=root,
        timeout=120,
    )
    assert done.returncode == 2
    assert "已损坏" in done.stderr
    assert _words(done.stdout + done.stderr, path) == []


def test_a_missing_table_is_reported_in_chinese(tmp_path: Path) -> None:
    """A file that says it is current but lacks the report table: read at start-up."""
    from model import migrations

    path = tmp_path / "half.sqlite3"
    _plain_database(
        path,
        "CREATE TABLE alembic_version (version_num TEXT)",
        f"INSERT INTO alembic_version VALUES ('{migrations.HEAD_REVISION}')",
    )
    assert inspect_file(path).current
    with (
        FileReader(path) as reader,
        pytest.raises(DatabaseError) as caught,
        reader.read() as connection,
    ):
        reads.list_reports(connection)
    message = str(caught.value)
    assert "缺少必需的表" in message
    assert _words(message, path) == []


@pytest.mark.skipif(sys.platform == "win32", reason="file modes")
def test_an_unreadable_file_is_reported_in_chinese(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = tmp_path / "locked.sqlite3"
    _plain_database(path, "CREATE TABLE t (x)")
    path.chmod(0)
    try:
        with pytest.raises(DatabaseError) as caught:
            check_header(path)
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert "没有访问权限" in str(caught.value)
    assert _words(str(caught.value), path) == []


def test_a_header_that_cannot_be_read_is_reported_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An I/O error (a USB stick pulled out) while the header is read: errno, not strerror."""
    import errno

    path = tmp_path / "db.sqlite3"
    _plain_database(path, "CREATE TABLE t (x)")

    def failing_open(self: Path, *args: object, **kwargs: object) -> object:
        raise OSError(errno.EIO, "Input/output error", str(self))

    monkeypatch.setattr(Path, "open", failing_open)
    with pytest.raises(DatabaseError) as caught:
        check_header(path)
    assert "磁盘读写出错" in str(caught.value)
    assert _words(str(caught.value), path) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_given_as_the_database_is_refused_at_once(tmp_path: Path) -> None:
    """Reading the header of a pipe would wait for ever."""
    path = tmp_path / "pipe.sqlite3"
    os.mkfifo(path)
    with pytest.raises(DatabaseError, match="设备或管道"):
        inspect_file(path)


def test_a_folder_given_as_the_database_is_refused_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError) as caught:
        inspect_file(tmp_path)
    assert "是一个文件夹" in str(caught.value)
    assert _words(str(caught.value), tmp_path) == []
