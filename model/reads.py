"""Every read of reports from the database, in plain SQL on a ``sqlite3`` connection.

This is the one read path.  :mod:`model.ops` runs it on the connection of its SQLAlchemy
engine; at start-up the window runs it on a read-only connection of its own
(:class:`model.dbfile.FileReader`), so the first report is on screen before SQLAlchemy is
even imported.  Writes all go through :mod:`model.ops`.

The tables are those of :mod:`model.tables`; values come back as SQLAlchemy stores them there:
dates and moments as ISO text, money as its exact decimal text, flags as 0 and 1.
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from model.errors import BrokenDatabaseError, OperationError
from model.formats import FORMATS, CellDef, CellKind, ReportFormat
from model.formats.rules import SimilarTextRule
from model.names import visible
from model.report import Report, default_title
from model.values import CellValue, InvalidValue, check_integer, from_json


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
    """The report, every stored value checked as it is read: a value the program could never
    have written (damage, or another program's edit) is a :class:`BrokenDatabaseError` naming
    it, never a value that fails later, in a check or an export, with a traceback."""
    row = connection.execute(
        "SELECT format_id, agency, year, title, signature_agency, signature_date"
        " FROM report WHERE id = ?",
        (report_id,),
    ).fetchone()
    if row is None:
        raise missing(report_id)
    cells, texts, units = (
        connection.execute(f"{query} WHERE t.report_id = ?", (report_id,)).fetchall()
        for query in _CONTENTS
    )
    return _report(row, cells, texts, units)


#: A report's cells, texts and units: each row begins with its report's id.
_CONTENTS = (
    "SELECT t.report_id, t.key, t.declared, t.count, t.money FROM cell t",
    "SELECT t.report_id, t.key, t.text FROM report_text t",
    "SELECT t.report_id, t.key, t.unit FROM report_unit t",
)


def load_year(connection: sqlite3.Connection, year: int) -> list[tuple[ReportSummary, Report]]:
    """Every report of ``year`` with its list line, by agency: in four queries however many
    reports there are (the county desk loads 150 at once), each value checked as in
    :func:`load_report`."""
    rows = connection.execute(
        "SELECT id, agency, year, format_id, title, modified_at, signature_agency,"
        " signature_date FROM report WHERE year = ? ORDER BY agency, id",
        (year,),
    ).fetchall()
    if not rows:
        return []
    contents: dict[object, tuple[list[_Row], list[_Row], list[_Row]]] = {
        row[0]: ([], [], []) for row in rows
    }
    for index, query in enumerate(_CONTENTS):
        found = connection.execute(
            f"{query} JOIN report r ON r.id = t.report_id WHERE r.year = ?", (year,)
        )
        for content in found:
            contents[content[0]][index].append(content)
    loaded: list[tuple[ReportSummary, Report]] = []
    for row in rows:
        report_id, agency, year_, format_id, title, modified_at, signature_agency, date = row
        summary = _summary((report_id, agency, year_, format_id, title, modified_at))
        fields = (format_id, agency, year_, title, signature_agency, date)
        loaded.append((summary, _report(fields, *contents[report_id])))
    return loaded


_Row = tuple[object, ...]


def _report(row: _Row, cells: list[_Row], texts: list[_Row], units: list[_Row]) -> Report:
    """A report from its stored row (format_id, agency, year, title, signature_agency,
    signature_date) and its rows of cells, texts and units (:data:`_CONTENTS`), every value
    checked."""
    format_id, agency, year, title, signature_agency, signature_date = row
    fmt = _format(format_id)
    report = Report(
        format_id=fmt.id,
        agency=_text(agency, "机关名称"),
        year=_integer(year, "年度"),
        title=_optional_text(title, "标题"),
        signature_agency=_optional_text(signature_agency, "落款单位"),
        signature_date=_date(signature_date),
    )
    where = f"“{visible(report.agency)}”{report.year}年报告中"
    order = _cell_order(fmt.id)
    last = len(order)

    def rank(cell: _Row) -> int:
        return order.get(cell[1], last) if isinstance(cell[1], str) else last

    for _, key, declared, count, money in sorted(cells, key=rank):
        cell = fmt.cells.get(key) if isinstance(key, str) else None
        if cell is None or bool(declared) is not cell.derived or declared not in (0, 1):
            raise _damaged("单元格", key, where)
        assert isinstance(key, str)
        value = _cell_value(cell, count, money, where)
        (report.declared if declared else report.cells)[key] = value
    checked_texts: list[tuple[str, str]] = []
    for _, key, text in texts:
        if key not in fmt.text_keys:
            raise _damaged("文字部分", key, where)
        assert isinstance(key, str)
        checked_texts.append((key, _text(text, "文字", where)))
    report.texts = dict(sorted(checked_texts, key=lambda item: fmt.text_keys.index(item[0])))
    checked_units: dict[str, str] = {}
    for _, key, unit in units:
        cell = fmt.cells.get(key) if isinstance(key, str) else None
        if cell is None or unit not in cell.column.unit_choices:
            raise _damaged("金额单位", unit, where)
        assert isinstance(key, str) and isinstance(unit, str)
        checked_units[key] = unit
    report.units = checked_units
    return report


def previous_report(connection: sqlite3.Connection, report: Report) -> Report | None:
    """Last year's report of the same agency, which the cross-year checks compare with."""
    found = find_report(connection, report.agency, report.year - 1)
    return None if found is None else load_report(connection, found)


def other_units(connection: sqlite3.Connection, report: Report) -> list[Report]:
    """The other units' reports of ``report``'s year, as far as the checks comparing units
    read them (:class:`~model.formats.rules.SimilarTextRule`): each with its agency, 落款 and
    the compared texts only, in one query, however many units there are."""
    keys = sorted({r.text for r in report.format.rules if isinstance(r, SimilarTextRule)})
    if not keys:
        return []
    marks = ", ".join("?" * len(keys))
    rows = connection.execute(
        "SELECT r.id, r.format_id, r.agency, r.signature_agency, t.key, t.text FROM report r"
        f" LEFT JOIN report_text t ON t.report_id = r.id AND t.key IN ({marks})"
        " WHERE r.year = ? AND r.agency <> ? ORDER BY r.agency, r.id",
        (*keys, report.year, report.agency),
    ).fetchall()
    others: dict[int, Report] = {}
    for report_id, format_id, agency, signature_agency, key, text in rows:
        other = others.get(report_id)
        if other is None:
            other = others[report_id] = Report(
                format_id=_format(format_id).id,
                agency=_text(agency, "机关名称"),
                year=report.year,
                signature_agency=_optional_text(signature_agency, "落款单位"),
            )
        if key is not None:
            where = f"“{visible(other.agency)}”{report.year}年报告中"
            other.texts[key] = _text(text, "文字", where)
    return list(others.values())


def missing(report_id: int) -> OperationError:
    return OperationError(f"找不到编号为{report_id}的报告，它可能已被删除。")


# ---------------------------------------------------------------------------- stored values


def _summary(row: tuple[int, str, int, str, str | None, str]) -> ReportSummary:
    report_id, agency, year, format_id, title, modified_at = row
    return ReportSummary(
        report_id,
        _text(agency, "机关名称"),
        _integer(year, "年度"),
        _format(format_id).id,
        _optional_text(title, "标题"),
        _moment(modified_at),
    )


def _date(value: object) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _damaged("落款日期", value) from None


def _moment(value: object) -> dt.datetime:
    """A moment stored as naive UTC text (``model.tables.UtcDateTime``), read back as aware UTC."""
    try:
        return dt.datetime.fromisoformat(str(value)).replace(tzinfo=dt.UTC)
    except ValueError:
        raise _damaged("修改时间", value) from None


def _format(value: object) -> ReportFormat:
    if not isinstance(value, str) or value not in FORMATS:
        raise _damaged("报告格式", value)
    return FORMATS[value]


def _text(value: object, what: str, where: str = "") -> str:
    if not isinstance(value, str):
        raise _damaged(what, value, where)
    return value


def _optional_text(value: object, what: str) -> str | None:
    return None if value is None else _text(value, what)


def _integer(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _damaged(what, value)
    return value


@functools.cache
def _cell_order(format_id: str) -> dict[str, int]:
    """The format's cell keys in its order (a report's cells are read back in it)."""
    return {key: index for index, key in enumerate(FORMATS[format_id].cells)}


def _cell_value(cell: CellDef, count: object, money: object, where: str) -> CellValue:
    """A cell's value from its two columns, as :mod:`model.ops` writes them: a count in
    ``count`` (an integer the cell may hold), money in ``money`` (exact decimal text);
    ``where``: the report, for the message (the cell's place is added)."""
    kind = cell.kind
    try:
        if kind is CellKind.MONEY:
            if count is not None or not isinstance(money, str):
                raise InvalidValue("")
            return from_json(kind, money)
        if money is not None or isinstance(count, bool) or not isinstance(count, int):
            raise InvalidValue("")
        return check_integer(kind, count)
    except InvalidValue:
        what = "金额" if kind is CellKind.MONEY else "数值"
        raise _damaged(what, money if count is None else count, f"{where}{cell.place}") from None


def _damaged(what: str, value: object, where: str = "") -> BrokenDatabaseError:
    shown = "二进制数据" if isinstance(value, bytes) else visible(str(value)[:40])
    return BrokenDatabaseError(
        f"数据库已损坏：{where}存储的{what}“{shown}”无法读取。文件未作改动；"
        "可以从备份恢复（文件 → 从备份恢复）。"
    )
