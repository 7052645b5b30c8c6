"""The command line never writes to a database a window holds (issue 12, D1), whatever path
it is given, and a lock file left behind never blocks it (D15).  Run as the clerk would: a
separate process, with the window's lock held by this one."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from model import ops
from model.db import open_database
from model.dblock import DatabaseLock, lock_path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "resources" / "examples" / "example-2019-township.nianbao.json"


def _main(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def _dump(path: Path) -> str:
    with closing(sqlite3.connect(path)) as connection:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    db_path = tmp_path / "g.sqlite3"
    assert _main("--db", str(db_path), "import", str(EXAMPLE)).returncode == 0
    return db_path


@pytest.fixture
def replacement(tmp_path: Path) -> Path:
    path = tmp_path / "replace.nianbao.json"
    text = EXAMPLE.read_text(encoding="utf-8")
    path.write_text(
        text.replace('procurement.projects": 9,', 'procurement.projects": 42,'), encoding="utf-8"
    )
    assert 'procurement.projects": 42,' in path.read_text(encoding="utf-8")
    return path


@pytest.mark.parametrize("spelling", ["same path", "symbolic link", "hard link", "dots"])
def test_import_refuses_a_database_a_window_holds(
    stored: Path, replacement: Path, tmp_path: Path, spelling: str
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    path = {
        "same path": stored,
        "symbolic link": tmp_path / "alias.sqlite3",
        "hard link": other / "hard.sqlite3",
        "dots": other / ".." / stored.name,
    }[spelling]
    if spelling == "symbolic link":
        path.symlink_to(stored)
    elif spelling == "hard link":
        os.link(stored, path)
    before = _dump(stored)
    window = DatabaseLock(stored)  # as the window holds it
    assert window.acquire()
    try:
        done = _main("--db", str(path), "import", "--replace", str(replacement))
    finally:
        window.release()
    assert done.returncode == 2, done.stderr
    assert "窗口中打开" in done.stderr and "Traceback" not in done.stderr
    assert _dump(stored) == before
    again = _main("--db", str(path), "import", "--replace", str(replacement))
    assert again.returncode == 0, again.stderr  # once the window is closed
    with open_database(stored) as db:
        report_id = ops.find_report(db, "古城回族乡人民政府", 2019)
        assert report_id is not None
        assert ops.load_report(db, report_id).cells["art20_9.procurement.projects"] == 42


def test_reading_commands_work_while_a_window_is_open(stored: Path) -> None:
    window = DatabaseLock(stored)
    assert window.acquire()
    try:
        listed = _main("--db", str(stored), "list")
    finally:
        window.release()
    assert listed.returncode == 0 and "古城回族乡人民政府" in listed.stdout


def test_a_lock_file_whose_process_id_is_reused_does_not_block(
    stored: Path, replacement: Path
) -> None:
    """D15: the lock file names a live process (this one), but no lock is held on it."""
    lock_path(stored).write_text(f"{os.getpid()}\npython3.11\nhost\n", encoding="utf-8")
    done = _main("--db", str(stored), "import", "--replace", str(replacement))
    assert done.returncode == 0, done.stderr
