"""The one read path (model.reads), on the database's own connection and on the read-only
start-up reader (model.dbfile.FileReader), which must never change the file."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from model import ops, reads
from model.datafile import read_datafile
from model.db import Database, open_database
from model.dbfile import FileReader, inspect_file
from model.errors import BrokenDatabaseError, DatabaseError, OperationError

DATA = Path(__file__).resolve().parents[2] / "resources" / "examples"
FILES = [
    DATA / "example-2019-township.nianbao.json",
    DATA / "sample-2021-county-bureau.nianbao.json",
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("source", FILES, ids=lambda p: p.name.split(".")[0])
def test_the_start_up_reader_reads_the_report_exactly_as_imported(
    db_path: Path, db: Database, source: Path
) -> None:
    imported = read_datafile(source.read_bytes())
    report_id = ops.save_report(db, imported, replace=False)
    db.close()
    with FileReader(db_path) as reader, reader.read() as connection:
        loaded = reads.load_report(connection, report_id)
    stored = {key: text for key, text in imported.texts.items() if text}  # blank: no row
    assert loaded == dataclasses.replace(imported, texts=stored)
    assert list(loaded.cells) == list(imported.cells)  # the format's order, as in the file


def test_the_start_up_reader_never_changes_the_file(db_path: Path, db: Database) -> None:
    report_id = ops.save_report(db, read_datafile(FILES[0].read_bytes()), replace=False)
    db.close()
    before = _digest(db_path)
    reader = FileReader(db_path)
    for _ in range(3):
        with reader.read() as connection:
            reads.list_reports(connection)
            reads.load_report(connection, report_id)
    with pytest.raises(DatabaseError, match="只读"), reader.read() as connection:
        connection.execute("DELETE FROM report")
    reader.close()
    assert _digest(db_path) == before
    wal = db_path.with_name(db_path.name + "-wal")  # SQLite may leave an empty one: no data
    assert not wal.exists() or wal.stat().st_size == 0


def test_list_summaries_latest_and_last_years_report(db: Database) -> None:
    later = ops.create_report(db, "乙镇人民政府", 2020).report_id
    first = ops.create_report(db, "甲乡人民政府", 2020).report_id
    earlier = ops.create_report(db, "甲乡人民政府", 2019).report_id
    with db.read() as connection:
        listed = reads.list_reports(connection)
        assert [(s.agency, s.year) for s in listed] == [
            ("乙镇人民政府", 2020),
            ("甲乡人民政府", 2019),
            ("甲乡人民政府", 2020),
        ]
        assert all(s.modified_at.tzinfo is not None for s in listed)
        assert set(reads.report_summaries(connection, [first, 999])) == {first}
        assert reads.report_summaries(connection, []) == {}
        assert reads.latest_report(connection) == earlier  # the one written last
        current = reads.load_report(connection, first)
        previous = reads.previous_report(connection, current)
        assert previous is not None and previous.year == 2019
        assert reads.previous_report(connection, reads.load_report(connection, later)) is None
        with pytest.raises(OperationError, match="找不到编号为999的报告"):
            reads.load_report(connection, 999)


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        ("UPDATE report SET signature_date = '2020-13-45'", "落款日期"),
        ("UPDATE report SET modified_at = 'yesterday'", "修改时间"),
        ("UPDATE cell SET money = 'lots' WHERE money IS NOT NULL", "金额"),
        ("UPDATE cell SET money = x'3132' WHERE money IS NOT NULL", "金额“二进制数据”"),
        ("UPDATE cell SET count = 'abc' WHERE count IS NOT NULL", "数值“abc”"),
        ("UPDATE cell SET count = -5 WHERE count IS NOT NULL", "数值“-5”"),
        ("UPDATE cell SET count = 1e30 WHERE count IS NOT NULL", "数值"),
        ("UPDATE cell SET key = 'no.such' WHERE rowid = (SELECT min(rowid) FROM cell)", "no.such"),
        ("UPDATE cell SET declared = 1 WHERE rowid = (SELECT min(rowid) FROM cell)", "单元格"),
        ("UPDATE report SET format_id = '2099'", "报告格式“2099”"),
        ("UPDATE report SET agency = x'e4b8ad'", "二进制数据"),
        ("UPDATE report SET year = 'two thousand'", "年度"),
        ("UPDATE report SET title = x'00'", "标题"),
        ("UPDATE report_text SET text = x'e4b8ad'", "文字"),
        (
            "UPDATE report_text SET key = 'appendix'"
            " WHERE rowid = (SELECT min(rowid) FROM report_text)",
            "文字部分“appendix”",
        ),
        ("INSERT INTO report_unit VALUES (1, 'art20_9.procurement.projects', '亿元')", "单位"),
    ],
)
def test_a_damaged_stored_value_is_a_message_not_a_crash(
    db_path: Path, db: Database, statement: str, named: str
) -> None:
    ops.save_report(db, read_datafile(FILES[0].read_bytes()), replace=False)
    db.close()
    with closing(sqlite3.connect(db_path)) as raw, raw:
        raw.execute(statement)
    reader = FileReader(db_path)
    with pytest.raises(BrokenDatabaseError, match=named) as raised, reader.read() as connection:
        reads.list_reports(connection)
        reads.load_report(connection, 1)
    reader.close()
    assert "文件未作改动" in str(raised.value)


def test_a_text_overwritten_by_junk_is_a_damaged_database(db_path: Path, db: Database) -> None:
    ops.save_report(db, read_datafile(FILES[0].read_bytes()), replace=False)
    db.close()
    with closing(sqlite3.connect(db_path)) as raw, raw:
        raw.execute("UPDATE report_text SET text = CAST(x'fffe00d8' AS TEXT)")
    reader = FileReader(db_path)
    with pytest.raises(BrokenDatabaseError, match="已损坏"), reader.read() as connection:
        reads.load_report(connection, 1)
    reader.close()


def test_a_damaged_text_met_by_a_write_is_a_message_not_a_crash(
    db_path: Path, db: Database
) -> None:
    report_id = ops.save_report(db, read_datafile(FILES[0].read_bytes()), replace=False)
    with closing(sqlite3.connect(db_path)) as raw, raw:
        raw.execute("UPDATE report_text SET text = CAST(x'fffe41' AS TEXT)")
    with pytest.raises(BrokenDatabaseError, match="已损坏"):
        ops.create_next_year(db, report_id)  # reads the report inside its write transaction
    assert ops.list_reports(db)[0].year == 2019 and len(ops.list_reports(db)) == 1


def test_a_closed_reader_says_so(db_path: Path, db: Database) -> None:
    db.close()
    reader = FileReader(db_path)
    reader.close()
    with pytest.raises(DatabaseError, match="已经关闭"), reader.read() as connection:
        reads.list_reports(connection)


def test_inspecting_and_reading_at_start_up_never_import_sqlalchemy(db_path: Path) -> None:
    with open_database(db_path) as db:
        ops.save_report(db, read_datafile(FILES[0].read_bytes()), replace=False)
    script = (
        "import sys; from pathlib import Path\n"
        "from model import reads\n"
        "from model.dbfile import FileReader, inspect_file\n"
        "path = Path(sys.argv[1])\n"
        "assert inspect_file(path).current\n"
        "with FileReader(path) as reader, reader.read() as connection:\n"
        "    report = reads.load_report(connection, reads.latest_report(connection))\n"
        "print(report.agency, sorted(m for m in sys.modules if m.startswith('sqlalchemy')))\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script, str(db_path)],
        capture_output=True,
        text=True,
        cwd=root,
        check=True,
    )
    assert done.stdout.split() == ["古城回族乡人民政府", "[]"]
    assert inspect_file(db_path).current
