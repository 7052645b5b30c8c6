"""The command line on a damaged database: exit status 2, the message, the file untouched."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

import main
from model import ops
from model.db import open_database


def _good(path: Path) -> None:
    with open_database(path) as db:
        for year in range(2000, 2040):
            created = ops.create_report(db, "古城回族乡人民政府", year)
            ops.set_text(db, created.report_id, "overview", "总体情况" * 300)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _truncated(path: Path) -> None:
    _good(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _overwritten(path: Path) -> None:
    _good(path)
    data = bytearray(path.read_bytes())
    data[4096 : 4096 * 3] = os.urandom(8192)
    path.write_bytes(bytes(data))


def _newer(path: Path) -> None:
    _good(path)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00d'")
        connection.commit()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_truncated, "已损坏"),
        (_overwritten, "已损坏"),
        (lambda p: p.write_bytes(os.urandom(20000)), "不是本程序的数据库"),
        (lambda p: p.write_text("名称,年度\n", encoding="utf-8"), "不是本程序的数据库"),
        (_newer, "更新版本"),
    ],
    ids=["truncated", "overwritten", "random-bytes", "text-file", "newer-version"],
)
def test_a_damaged_database_exits_2_with_the_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make, message: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "nianbao.sqlite3"
    make(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main.main(["list", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and str(path) in err and "Traceback" not in err
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
