"""What the window asks the database: switching reports must not grow with the number of
reports (reading the whole list on every switch made it 40–90 ms at 3,000 reports)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from gui.main_window import MainWindow
from model import ops
from model.db import Database

pytestmark = pytest.mark.gui


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """Every statement SQLite runs on the database's connections, as SQLite saw it (the reads
    of model.reads go to sqlite3 directly, not through SQLAlchemy's cursor events)."""
    seen: list[str] = []
    traced: list[sqlite3.Connection] = []

    def record(statement: str) -> None:
        seen.append(" ".join(statement.split()))

    def checkout(dbapi_connection, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.set_trace_callback(record)
        traced.append(dbapi_connection)

    event.listen(db.engine, "checkout", checkout)
    try:
        yield seen
    finally:
        event.remove(db.engine, "checkout", checkout)
        for connection in traced:
            connection.set_trace_callback(None)


def _reports(window: MainWindow, count: int) -> list[int]:
    assert window.session is not None
    db = window.session.db
    ids = [ops.create_report(db, f"第{n}乡人民政府", 2022).report_id for n in range(count)]
    ops.create_report(db, "第1乡人民政府", 2021)  # last year's, for the cross-year checks
    window.session.reportsChanged.emit()
    return ids


def test_switching_reports_reads_only_the_reports_it_shows(window: MainWindow) -> None:
    first, second, *_ = _reports(window, 12)
    window.open_report(first)
    assert window.session is not None
    with statements(window.session.db) as seen:
        window.open_report(second)
    assert window.session.report_id == second
    reads = [s for s in seen if s.startswith("SELECT") and " FROM report " in f"{s} "]
    assert reads and all(" WHERE " in s for s in reads), reads  # never the whole list
    assert len(seen) <= 16, seen  # bounded: the report, last year's, the recent menu


def test_opening_the_initial_report_reads_the_list_once(window: MainWindow) -> None:
    _reports(window, 5)
    assert window.session is not None
    with statements(window.session.db) as seen:
        window.open_initial_report()
    whole_list = [s for s in seen if " FROM report ORDER BY " in s and " LIMIT " not in s]
    assert whole_list == [], whole_list  # the switcher is filled once, on reportsChanged
