"""Every read of reports from the database, in plain SQL on a ``sqlite3`` connection.

This is the one read path.  :mod:`model.ops` runs it on the connection of its SQLAlchemy
engine; at start-up the window runs it on a read-only connection of its own
(:class:`model.dbfile.FileReader`), so the first report is on screen before SQLAlchemy is
even imported.  Writes all go through :mod:`model.ops`.

The tables are those of :mod:`model.orm`; values come back as SQLAlchemy stores them there:
dates and moments as ISO text, money as its exact decimal text, flags as 0 and 1.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Protocol

from model.errors import BrokenDatabaseError, OperationError
from model.report import TEXT_KEYS, Report, default_title
from model.values import CellValue


class Readable(Protocol):
    """Something the reports can be read from: an open database, or the file at start-up."""

    @property
    def path(self) -> Path: ...

    def read(self) -> AbstractContextManager[sqlite3.Connection]:
        """One read transaction; ``sqlite3`` failures come out as :class:`StoreError`."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class ReportSummary:
    """A line of the report list: enough to choose a report without loading it."""

    id: int
    agency: str
    year: int
    format_id: str
    title: str | None
    modified_at: dt.datetime

    @property
    def display_title(self) -> str:
        return self.title or default_title(self.agency, self.year)


_SUMMARY = "SELECT id, agency, year, format_id, title, modified_at FROM report"


def list_reports(connection: sqlite3.Connection) -> list[ReportSummary]:
    """Every report, by agency and then year."""
    rows = connection.execute(f"{_SUMMARY} ORDER BY agency, year")
    return [_summary(row) for row in rows]


def report_summaries(
    connection: sqlite3.Connection, report_ids: Iterable[int]
) -> dict[int, ReportSummary]:
    """The list lines of just these reports (those that exist), without reading every report."""
    wanted = sorted({int(report_id) for report_id in report_ids})
    if not wanted:
        return {}
    marks = ", ".join("?" * len(wanted))
    rows = connection.execute(f"{_SUMMARY} WHERE id IN ({marks})", wanted)
    return {summary.id: summary for summary in map(_summary, rows)}


def latest_report(connection: sqlite3.Connection) -> int | None:
    """The report changed last (of equals, the first in :func:`list_reports`' order)."""
    row = connection.execute(
        "SELECT id FROM report ORDER BY modified_at DESC, agency, year LIMIT 1"
    ).fetchone()
    return None if row is None else int(row[0])


def find_report(connection: sqlite3.Connection, agency: str, year: int) -> int | None:
    row = connection.execute(
        "SELECT id FROM report WHERE agency = ? AND year = ?", (agency, year)
    ).fetchone()
    return None if row is None else int(row[0])


def load_report(connection: sqlite3.Connection, report_id: int) -> Report:
    row = connection.execute(
        "SELECT format_id, agency, year, title, signature_agency, signature_date"
        " FROM report WHERE id = ?",
        (report_id,),
    ).fetchone()
    if row is None:
        raise missing(report_id)
    format_id, agency, year, title, signature_agency, signature_date = row
    report = Report(
        format_id=format_id,
        agency=agency,
        year=year,
        title=title,
        signature_agency=signature_agency,
        signature_date=_date(signature_date),
    )
    order = {key: index for index, key in enumerate(report.format.cells)}
    cells = connection.execute(
        "SELECT key, declared, count, money FROM cell WHERE report_id = ?", (report_id,)
    ).fetchall()
    for key, declared, count, money in sorted(cells, key=lambda c: order.get(c[0], len(order))):
        value: CellValue = count if count is not None else _decimal(money)
        (report.declared if declared else report.cells)[key] = value
    texts = connection.execute(
        "SELECT key, text FROM report_text WHERE report_id = ?", (report_id,)
    ).fetchall()
    report.texts = dict(sorted(texts, key=_text_order))
    units = connection.execute(
        "SELECT key, unit FROM report_unit WHERE report_id = ?", (report_id,)
    )
    report.units = dict(units)
    return report


def previous_report(connection: sqlite3.Connection, report: Report) -> Report | None:
    """Last year's report of the same agency, which the cross-year checks compare with."""
    found = find_report(connection, report.agency, report.year - 1)
    return None if found is None else load_report(connection, found)


def missing(report_id: int) -> OperationError:
    return OperationError(f"找不到编号为{report_id}的报告，它可能已被删除。")


# ---------------------------------------------------------------------------- stored values


def _summary(row: tuple[int, str, int, str, str | None, str]) -> ReportSummary:
    report_id, agency, year, format_id, title, modified_at = row
    return ReportSummary(report_id, agency, year, format_id, title, _moment(modified_at))


def _text_order(item: tuple[str, str]) -> int:
    return TEXT_KEYS.index(item[0]) if item[0] in TEXT_KEYS else len(TEXT_KEYS)


def _date(value: object) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _damaged("落款日期", value) from None


def _moment(value: object) -> dt.datetime:
    """A moment stored as naive UTC text (``model.orm.UtcDateTime``), read back as aware UTC."""
    try:
        return dt.datetime.fromisoformat(str(value)).replace(tzinfo=dt.UTC)
    except ValueError:
        raise _damaged("修改时间", value) from None


def _decimal(value: object) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise _damaged("金额", value) from None


def _damaged(what: str, value: object) -> BrokenDatabaseError:
    return BrokenDatabaseError(f"数据库已损坏：存储的{what}“{value}”无法读取。文件未作改动。")
