"""The store itself refuses a text over the limit (the window and every other caller), naming
the text part and its length, and writes nothing; an import is checked the same way."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from model import ops
from model.datafile import read_datafile
from model.db import open_database
from model.errors import OperationError
from model.schema import MAX_TEXT

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "examples"
    / "example-2019-township.nianbao.json"
)


def test_set_text_refuses_a_text_over_the_limit_and_keeps_the_stored_one(tmp_path: Path) -> None:
    with open_database(tmp_path / "db.sqlite3") as db:
        report_id = ops.save_report(db, read_datafile(EXAMPLE.read_bytes()), replace=False)
        before = ops.load_report(db, report_id).text("overview")
        with pytest.raises(OperationError) as caught:
            ops.set_text(db, report_id, "overview", "字" * (MAX_TEXT + 1), expected=before)
        assert str(caught.value) == "“总体情况”过长（20,001字），最多20,000字，未保存。"
        assert ops.load_report(db, report_id).text("overview") == before
        done = ops.set_text(db, report_id, "overview", "字" * MAX_TEXT, expected=before)
        assert done.new == "字" * MAX_TEXT
        assert ops.load_report(db, report_id).text("overview") == "字" * MAX_TEXT


def test_an_imported_report_with_a_text_over_the_limit_is_refused_whole(tmp_path: Path) -> None:
    """A report built by a caller (not read from a data file, whose reader checks it too)."""
    report = read_datafile(EXAMPLE.read_bytes())
    long = dataclasses.replace(report, texts={**report.texts, "problems": "字" * (MAX_TEXT + 5)})
    with open_database(tmp_path / "db.sqlite3") as db:
        with pytest.raises(OperationError) as caught:
            ops.save_report(db, long, replace=False)
        assert "过长（20,005字），最多20,000字" in str(caught.value)
        assert "问题" in str(caught.value)
        assert ops.list_reports(db) == []
