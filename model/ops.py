"""Every read and write of reports in the database.

Each write is one small operation in one transaction that returns what it changed, as a frozen
dataclass: the GUI refreshes from it, and the same record undoes it (:func:`apply_inverse`).
Every value is checked here, whoever calls, so the database never holds a cell its format
does not have or a value its cell may not hold.  Refusals are :class:`OperationError` with a
message for the clerk; nothing is written when one is raised.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

# ``sa.``: the format types Column, Row and Table are different things of the same names.
import sqlalchemy as sa
from sqlalchemy import Connection, bindparam, delete, insert, select, update

from model import names, reads, tables
from model.carryover import next_year_draft
from model.changes import (
    UNCHECKED,
    CellChanged,
    Change,
    DeclaredChanged,
    ReportCreated,
    ReportDeleted,
    ReportRenamed,
    SignatureChanged,
    StaleWriteError,
    TextChanged,
    TitleChanged,
    Unchecked,
    UnitChanged,
    same_value,
)
from model.db import Database, raw_connection
from model.errors import OperationError
from model.formats import (
    FIRST_YEAR,
    LAST_YEAR,
    CellDef,
    CellKind,
    ReportFormat,
    UnknownFormatError,
    format_for_year,
    get_format,
)
from model.reads import ReportSummary
from model.report import Report
from model.schema import text_problem
from model.values import CellValue, InvalidValue, check_integer, from_json, json_type

# ---------------------------------------------------------------------------- reports


def create_report(
    db: Database, agency: str, year: int, format_id: str | None = None
) -> ReportCreated:
    """A new, empty report; the format is the one in force for ``year`` unless given."""
    year = _year(year)
    fmt = _format(format_id) if format_id is not None else format_for_year(year)
    report = Report(format_id=fmt.id, agency=_agency(agency), year=year)
    with db.transaction() as connection:
        _check_free(connection, report.agency, report.year)
        report_id = _insert(connection, report)
    return ReportCreated(report_id, report.agency, report.year, fmt.id)


def create_next_year(db: Database, report_id: int) -> ReportCreated:
    """Next year's report of the same agency, started from this one (see
    :func:`model.carryover.next_year_draft`)."""
    with db.transaction() as connection:
        draft = next_year_draft(_load(connection, report_id))
        _year(draft.year)
        _check_free(connection, draft.agency, draft.year)
        new_id = _insert(connection, draft)
    return ReportCreated(new_id, draft.agency, draft.year, draft.format_id)


def rename_report(
    db: Database, report_id: int, agency: str, expected: str | Unchecked = UNCHECKED
) -> ReportRenamed:
    """Rename the report; ``expected`` is the name the caller believes is stored (a window
    passes it, so that it never renames a report someone else renamed meanwhile)."""
    new = _agency(agency)
    with db.transaction() as connection:
        row = _report_row(connection, report_id)
        _unchanged("单位名称", row.agency, expected, new)
        if new != row.agency:
            _check_free(connection, new, row.year)
            _update_report(connection, report_id, agency=new)
    return ReportRenamed(report_id, row.agency, new)


def delete_report(db: Database, report_id: int) -> ReportDeleted:
    """Delete a report with everything in it (the database cascades to its rows)."""
    with db.transaction() as connection:
        row = _report_row(connection, report_id)
        connection.execute(delete(tables.report).where(tables.report.c.id == report_id))
    return ReportDeleted(report_id, row.agency, row.year)


def save_report(db: Database, report: Report, replace: bool) -> int:
    """Write a whole report (an import) in one transaction and return its id.

    An existing report of the same agency and year is refused unless ``replace``; then its
    contents are replaced and its id kept, so windows showing it stay attached to it.
    """
    report = _checked_report(report)
    with db.transaction() as connection:
        existing = _find(connection, report.agency, report.year)
        if existing is None:
            return _insert(connection, report)
        if not replace:
            raise OperationError(_exists_message(report.agency, report.year))
        _replace(connection, existing, report)
        return existing


# ---------------------------------------------------------------------------- contents


def set_cell(
    db: Database,
    report_id: int,
    key: str,
    value: CellValue | None,
    expected: CellValue | Unchecked | None = UNCHECKED,
) -> CellChanged:
    """Fill in (or, with ``None``, clear) an input cell; ``expected``: see :func:`set_cells`."""
    stored = None if expected is UNCHECKED else {key: expected}
    return set_cells(db, report_id, {key: value}, stored)[0]


def set_cells(
    db: Database,
    report_id: int,
    values: Mapping[str, CellValue | None],
    expected: Mapping[str, CellValue | None] | None = None,
) -> tuple[CellChanged, ...]:
    """Several cells at once (a paste): all are written or, if one is refused, none.

    ``expected`` holds what the caller believes the cells hold now (``None``: blank); a cell
    that holds something else (another program wrote it since) refuses the whole write with
    :class:`StaleWriteError`, so that no write replaces a value its caller has not seen.

    This runs on every cell the clerk enters, so it speaks plain SQL on the ``sqlite3``
    connection (:meth:`Database.write`: one read of the format, one of the old values, one
    statement per kind of write) instead of building SQLAlchemy statements, which cost more
    than the commit itself (benchmarks/bench_edit.py)."""
    with db.write() as connection:
        found = connection.execute(_FORMAT_OF, (report_id,)).fetchone()
        if found is None:
            raise reads.missing(report_id)
        fmt = get_format(found[0])
        new = {key: _value(_cell_def(fmt, key), value) for key, value in values.items()}
        old = _input_cells(connection, report_id, new)
        for key, believed in (expected or {}).items():
            stored = old.get(key)
            if key in new and not same_value(stored, believed) and not same_value(stored, new[key]):
                raise _stale(_cell_def(fmt, key).place)
        changes = tuple(CellChanged(report_id, key, old.get(key), v) for key, v in new.items())
        _write_cells(connection, report_id, [c for c in changes if not same_value(c.old, c.new)])
    return changes


def check_cells(
    format_id: str, values: Mapping[str, CellValue | None]
) -> dict[str, CellValue | None]:
    """The values as :func:`set_cells` would store them, checked without the database: an edit
    kept in memory while the disk refuses it is still one the database would accept."""
    fmt = _format(format_id)
    return {key: _value(_cell_def(fmt, key), value) for key, value in values.items()}


def set_declared(
    db: Database,
    report_id: int,
    key: str,
    value: CellValue | None,
    expected: CellValue | Unchecked | None = UNCHECKED,
) -> DeclaredChanged:
    """Keep (or, with ``None``, drop) a total as an imported report wrote it.  Dropping it is
    how a clerk accepts the computed total after the disagreement has been looked at."""
    with db.transaction() as connection:
        row = _report_row(connection, report_id)
        new = _value(_cell_def(get_format(row.format_id), key, derived=True), value)
        where = _row_of(tables.cell, report_id, key, declared=True)
        found = connection.execute(select(tables.cell.c.count, tables.cell.c.money).where(where))
        old = next((_stored(count, money) for count, money in found), None)
        if not (expected is UNCHECKED or same_value(old, expected) or same_value(old, new)):
            raise _stale(_cell_def(get_format(row.format_id), key, derived=True).place)
        if not same_value(old, new):
            connection.execute(delete(tables.cell).where(where))
            if new is not None:
                cell = {"report_id": report_id, "key": key, "declared": True, **_columns(new)}
                connection.execute(insert(tables.cell), cell)
            _touch(connection, report_id)
    return DeclaredChanged(report_id, key, old, new)


def set_text(
    db: Database, report_id: int, key: str, text: str, expected: str | Unchecked = UNCHECKED
) -> TextChanged:
    """Replace a free text; an empty text is stored as no text.  ``expected``: the text the
    caller believes is stored (a window's copy); another one refuses with StaleWriteError.
    A text longer than the data file allows (:data:`model.schema.MAX_TEXT`) is refused."""
    with db.transaction() as connection:
        row = _report_row(connection, report_id)
        _check_text(row.format_id, key, text)
        column = tables.report_text.c.text
        if expected is not UNCHECKED:
            stored = connection.scalar(select(column).where(_row_of(column.table, report_id, key)))
            _unchanged(_text_label(row.format_id, key), stored or "", expected or "", text or "")
        old = _replace_text(connection, column, report_id, key, text or None) or ""
    return TextChanged(report_id, key, old, text)


def set_unit(
    db: Database,
    report_id: int,
    key: str,
    unit: str | None,
    expected: str | Unchecked | None = UNCHECKED,
) -> UnitChanged:
    """Choose the unit of a money cell whose format leaves it to the report (2019 采购总金额);
    ``expected``: the unit the caller believes is chosen (``None``: none chosen yet)."""
    with db.transaction() as connection:
        format_id = _report_row(connection, report_id).format_id
        new = _unit(format_id, key, unit)
        column = tables.report_unit.c.unit
        if expected is not UNCHECKED:
            stored = connection.scalar(select(column).where(_row_of(column.table, report_id, key)))
            what = f"{_cell_def(get_format(format_id), key).place}的单位"
            _unchanged(what, stored, expected, new)
        old = _replace_text(connection, column, report_id, key, new)
    return UnitChanged(report_id, key, old, new)


def set_title(
    db: Database,
    report_id: int,
    title: str | None,
    expected: str | Unchecked | None = UNCHECKED,
) -> TitleChanged:
    """Set the title; blank means the default title (which follows the agency and year).
    ``expected``: the title the caller believes is stored (``None``: the default)."""
    new = _title(title)
    with db.transaction() as connection:
        old = _report_row(connection, report_id).title
        if expected is not UNCHECKED:
            _unchanged("标题", old, expected or None, new)
        if old != new:
            _update_report(connection, report_id, title=new)
    return TitleChanged(report_id, old, new)


def set_signature(
    db: Database,
    report_id: int,
    agency: str | None,
    date: dt.date | None,
    expected: tuple[str | None, dt.date | None] | Unchecked = UNCHECKED,
) -> SignatureChanged:
    """Set the signature block: the signing agency and the date (either may be blank);
    ``expected``: the (agency, date) the caller believes is stored."""
    new_agency = _signature_agency(agency)
    new_date = date.date() if isinstance(date, dt.datetime) else date
    with db.transaction() as connection:
        row = _report_row(connection, report_id)
        old_agency, old_date = row.signature_agency, row.signature_date
        if expected is not UNCHECKED:
            believed = (expected[0] or None, expected[1])
            _unchanged("落款", (old_agency, old_date), believed, (new_agency, new_date))
        if (old_agency, old_date) != (new_agency, new_date):
            _update_report(
                connection, report_id, signature_agency=new_agency, signature_date=new_date
            )
    return SignatureChanged(report_id, old_agency, old_date, new_agency, new_date)


def apply_inverse(db: Database, change: Change) -> Change:
    """Undo ``change`` and return the change that did it (undoing that one redoes).

    Creating and deleting a report cannot be undone here: a deleted report's contents are gone
    and a re-created one would get a new id.  Undo a paste by passing the old values of its
    ``CellChanged`` records to :func:`set_cells`, so that it is undone in one transaction.
    The change's new value is what the database must still hold: if another program changed
    it since, the undo is refused (:class:`StaleWriteError`) rather than overwrite that.
    """
    match change:
        case CellChanged(report_id=report_id, key=key, old=old, new=new):
            return set_cell(db, report_id, key, old, expected=new)
        case TextChanged(report_id=report_id, key=key, old=old, new=new):
            return set_text(db, report_id, key, old, expected=new)
        case UnitChanged(report_id=report_id, key=key, old=old, new=new):
            return set_unit(db, report_id, key, old, expected=new)
        case TitleChanged(report_id=report_id, old=old, new=new):
            return set_title(db, report_id, old, expected=new)
        case SignatureChanged(
            report_id=report_id, old_agency=agency, old_date=date, new_agency=na, new_date=nd
        ):
            return set_signature(db, report_id, agency, date, expected=(na, nd))
        case ReportRenamed(report_id=report_id, old=old, new=new):
            return rename_report(db, report_id, old, expected=new)
        case DeclaredChanged(report_id=report_id, key=key, old=old, new=new):
            return set_declared(db, report_id, key, old, expected=new)
    raise OperationError("新建或删除报告的操作不能撤销。")


# ---------------------------------------------------------------------------- reads
# The SQL is in model.reads, the one read path; these run it on the database's connection.


def load_report(db: Database, report_id: int) -> Report:
    with db.read() as connection:
        return reads.load_report(connection, report_id)


def load_year(db: Database, year: int) -> list[tuple[ReportSummary, Report]]:
    """Every report of ``year`` with its list line, by agency, in a few queries (not one per
    report): the county desk's load."""
    with db.read() as connection:
        return reads.load_year(connection, year)


def find_report(db: Database, agency: str, year: int) -> int | None:
    with db.read() as connection:
        return reads.find_report(connection, names.lookup(agency), year)


def list_reports(db: Database) -> list[ReportSummary]:
    """Every report, by agency and then year."""
    with db.read() as connection:
        return reads.list_reports(connection)


def report_summaries(db: Database, report_ids: Iterable[int]) -> dict[int, ReportSummary]:
    """The list lines of just these reports (those that exist), without reading every report."""
    with db.read() as connection:
        return reads.report_summaries(connection, report_ids)


def latest_report(db: Database) -> int | None:
    """The report changed last (of equals, the first in :func:`list_reports`' order)."""
    with db.read() as connection:
        return reads.latest_report(connection)


def previous_report(db: Database, report: Report) -> Report | None:
    """Last year's report of the same agency, which the cross-year checks compare with."""
    with db.read() as connection:
        return reads.previous_report(connection, report)


# ---------------------------------------------------------------------------- checks


def _agency(agency: str) -> str:
    """The agency as stored: the rule of :mod:`model.names`, and never blank."""
    cleaned = _name(agency, names.AGENCY)
    if not cleaned:
        raise OperationError("机关名称不能为空。")
    return cleaned


def _title(title: str | None) -> str | None:
    """A title as stored (a typed line break kept); blank means the default title."""
    return _name(title or "", names.TITLE, line_breaks=True) or None


def _signature_agency(agency: str | None) -> str | None:
    return _name(agency or "", names.SIGNATURE) or None


def _name(text: str, what: str, line_breaks: bool = False) -> str:
    try:
        return names.clean_name(text, what, line_breaks=line_breaks)
    except names.InvalidName as error:
        raise OperationError(str(error)) from None


def _year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise OperationError(f"年度应为整数，不能是{json_type(year)}。")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise OperationError(f"年度{year}不在{FIRST_YEAR}—{LAST_YEAR}之间，请核实。")
    return year


def _format(format_id: str) -> ReportFormat:
    try:
        return get_format(format_id)
    except UnknownFormatError as error:
        raise OperationError(str(error)) from None


def _unchanged(what: str, stored: object, expected: object, new: object) -> None:
    """Refuse a write whose caller saw another value than the one stored, unless the stored
    one is already what it writes (``expected`` UNCHECKED: the caller does not say)."""
    if expected is not UNCHECKED and stored != expected and stored != new:
        raise _stale(what)


def _stale(what: str) -> StaleWriteError:
    return StaleWriteError(
        f"{what}已被其他窗口或程序修改，与这里显示的不同；"
        "为免覆盖别人保存的内容，这次修改没有保存。"
    )


def _text_label(format_id: str, key: str) -> str:
    try:
        return f"“{get_format(format_id).text(key).label}”"
    except (UnknownFormatError, KeyError):
        return f"文字“{key}”"


def _check_text(format_id: str, key: str, text: str | None) -> None:
    """Refuse a text the data file could not hold (the window's typing, a report built by a
    caller): what is stored must always export and read back; a key its format lacks."""
    if key not in get_format(format_id).text_keys:
        raise OperationError(f"没有名为“{key}”的文字部分。")
    if problem := text_problem(text or ""):
        raise OperationError(f"{_text_label(format_id, key)}{problem}，未保存。")


def _exists_message(agency: str, year: int) -> str:
    return f"“{agency}”的{year}年度报告已经存在。"


def _check_free(connection: Connection, agency: str, year: int) -> None:
    if _find(connection, agency, year) is not None:
        raise OperationError(_exists_message(agency, year))


def _cell_def(fmt: ReportFormat, key: str, derived: bool = False) -> CellDef:
    cell = fmt.cells.get(key)
    if cell is None:
        raise OperationError(f"{fmt.id}格式的报告中没有单元格“{key}”。")
    if cell.derived and not derived:
        raise OperationError(f"{cell.place}是合计，由程序自动计算，不能填写。")
    if derived and not cell.derived:
        raise OperationError(f"{cell.place}不是合计，不能作为导入的合计数保存。")
    return cell


def _value(cell: CellDef, value: CellValue | None) -> CellValue | None:
    """``value`` as the cell stores it, or an OperationError naming the cell."""
    if value is None:
        return None
    try:
        return _checked_value(cell.kind, value)
    except InvalidValue as error:
        raise OperationError(f"{cell.place}：{error}") from None


def _checked_value(kind: CellKind, value: object) -> CellValue:
    if isinstance(value, bool):
        raise InvalidValue("应为数字，不能是真假值")
    if kind is CellKind.MONEY:
        if not isinstance(value, Decimal):
            raise InvalidValue(f"金额应为精确小数，不能是{json_type(value)}")
        # Fixed-point text, so that 1E+2 is stored as 100 and NaN is refused by the pattern.
        return from_json(kind, format(value, "f"))
    if not isinstance(value, int):
        raise InvalidValue(f"应为整数，不能是{json_type(value)}")
    return check_integer(kind, value)


def _unit(format_id: str, key: str, unit: str | None) -> str | None:
    column = _cell_def(get_format(format_id), key).column
    if not column.unit_choices:
        raise OperationError(f"单元格“{key}”的单位是固定的，不能选择。")
    if unit is not None and unit not in column.unit_choices:
        choices = "、".join(column.unit_choices)
        raise OperationError(f"单位“{unit}”不可用，可选：{choices}。")
    return unit


def _checked_report(report: Report) -> Report:
    """Everything :func:`save_report` writes, checked before anything is; names stripped."""
    fmt = _format(report.format_id)
    _year(report.year)
    for key, value in report.cells.items():
        _value(_cell_def(fmt, key), value)
    for key, value in report.declared.items():
        _value(_cell_def(fmt, key, derived=True), value)
    for key, unit in report.units.items():
        _unit(fmt.id, key, unit)
    for key, text in report.texts.items():
        _check_text(fmt.id, key, text)
    return dataclasses.replace(
        report,
        agency=_agency(report.agency),
        title=_title(report.title),
        signature_agency=_signature_agency(report.signature_agency),
    )


# ---------------------------------------------------------------------------- rows


def _report_row(connection: Connection, report_id: int) -> sa.Row[Any]:
    """The report's own fields (``agency``, ``year``, ``format_id``, …), or the clerk's
    message that it is gone."""
    report = tables.report
    row = connection.execute(select(report).where(report.c.id == report_id)).one_or_none()
    if row is None:
        raise reads.missing(report_id)
    return row


def _find(connection: Connection, agency: str, year: int) -> int | None:
    report = tables.report
    query = select(report.c.id).where(report.c.agency == agency, report.c.year == year)
    return connection.scalar(query)


def _row_of(table: sa.Table, report_id: int, key: str, declared: bool | None = None) -> Any:
    """The WHERE clause of one row of a report's cells, texts or units."""
    where = (table.c.report_id == report_id) & (table.c.key == key)
    return where if declared is None else where & (table.c.declared.is_(declared))


def _replace_text(
    connection: Connection, column: sa.Column[str], report_id: int, key: str, new: str | None
) -> str | None:
    """Put ``new`` as the report's one text under ``key`` in ``column`` (of its texts or of its
    units; ``None`` or blank: no row), touching the report if that changes it; the old text."""
    table = column.table
    where = _row_of(table, report_id, key)
    old: str | None = connection.scalar(select(column).where(where))
    if old != new:
        connection.execute(delete(table).where(where))
        if new:
            values = {"report_id": report_id, "key": key, column.name: new}
            connection.execute(insert(table), values)
        _touch(connection, report_id)
    return old


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _update_report(connection: Connection, report_id: int, **fields: object) -> None:
    """Change the report's own fields; that changes it, so it is touched too."""
    report = tables.report
    statement = update(report).where(report.c.id == report_id)
    connection.execute(statement.values(**fields, modified_at=_now()))


def _touch(connection: Connection, report_id: int) -> None:
    connection.execute(_TOUCH, {"rid": report_id, "now": _now()})


# The statements of an edit (set_cells), in plain SQL on the sqlite3 connection, which keeps
# them prepared: columns as model.tables stores them (money as exact decimal text, flags 0/1,
# moments as naive UTC text in SQLAlchemy's format).
_FORMAT_OF = "SELECT format_id FROM report WHERE id = ?"
_INPUT_CELLS = "SELECT key, count, money FROM cell WHERE report_id = ? AND declared = 0 AND key IN "
_CLEAR_CELL = "DELETE FROM cell WHERE report_id = ? AND declared = 0 AND key = ?"
_UPDATE_CELL = (
    "UPDATE cell SET count = ?, money = ? WHERE report_id = ? AND declared = 0 AND key = ?"
)
_ADD_CELL = "INSERT INTO cell (report_id, key, declared, count, money) VALUES (?, ?, 0, ?, ?)"
_TOUCH_CELLS = "UPDATE report SET modified_at = ? WHERE id = ?"
_MOMENT = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's DateTime on SQLite (model.tables.UtcDateTime)
# Built once, for the other writes: building SQLAlchemy expressions costs more than running them.
_TOUCH = (
    update(tables.report)
    .where(tables.report.c.id == bindparam("rid"))
    .values(modified_at=bindparam("now"))
)


def _input_cells(
    connection: sqlite3.Connection, report_id: int, keys: Iterable[str]
) -> dict[str, CellValue]:
    """The stored input values of ``keys`` (blank cells have no row)."""
    keys = list(keys)
    query = _INPUT_CELLS + "(" + ", ".join("?" * len(keys)) + ")"
    return {
        key: _stored(count, None if money is None else Decimal(money))
        for key, count, money in connection.execute(query, (report_id, *keys))
    }


def _write_cells(
    connection: sqlite3.Connection, report_id: int, changes: list[CellChanged]
) -> None:
    """Write the changed input cells (a blank is no row), then touch the report."""
    if not changes:
        return
    cleared = [(report_id, c.key) for c in changes if c.new is None]
    updated = [
        (*_raw_columns(c.new), report_id, c.key)
        for c in changes
        if c.old is not None and c.new is not None
    ]
    added = [
        (report_id, c.key, *_raw_columns(c.new))
        for c in changes
        if c.old is None and c.new is not None
    ]
    if cleared:
        connection.executemany(_CLEAR_CELL, cleared)
    if updated:
        connection.executemany(_UPDATE_CELL, updated)
    if added:
        connection.executemany(_ADD_CELL, added)
    moment = _now().astimezone(dt.UTC).replace(tzinfo=None)
    connection.execute(_TOUCH_CELLS, (moment.strftime(_MOMENT), report_id))


def _raw_columns(value: CellValue) -> tuple[int | None, str | None]:
    """A value as the ``count`` and ``money`` columns hold it in SQLite (one of them NULL)."""
    return (None, str(value)) if isinstance(value, Decimal) else (value, None)


def _columns(value: CellValue | None, prefix: str = "") -> dict[str, object]:
    """A value as the ``count`` and ``money`` columns hold it (one of them NULL)."""
    money = value if isinstance(value, Decimal) else None
    return {f"{prefix}count": None if money is not None else value, f"{prefix}money": money}


def _stored(count: int | None, money: Decimal | None) -> CellValue:
    """A cell's value from its two columns."""
    if count is not None:
        return count
    assert money is not None  # the table's CHECK guarantees one of the two
    return money


def _insert(connection: Connection, report: Report) -> int:
    now = _now()
    values = {"agency": report.agency, "year": report.year, "created_at": now}
    result = connection.execute(insert(tables.report).values(**values, **_fields(report, now)))
    key = result.inserted_primary_key
    assert key is not None
    report_id = int(key[0])
    _insert_contents(connection, report_id, report)
    return report_id


def _replace(connection: Connection, report_id: int, report: Report) -> None:
    for table in (tables.cell, tables.report_text, tables.report_unit):
        connection.execute(delete(table).where(table.c.report_id == report_id))
    statement = update(tables.report).where(tables.report.c.id == report_id)
    connection.execute(statement.values(**_fields(report, _now())))
    _insert_contents(connection, report_id, report)


def _fields(report: Report, now: dt.datetime) -> dict[str, object]:
    """The report's own columns as written by an import or a new report."""
    return {
        "format_id": report.format_id,
        "title": (report.title or "").strip() or None,
        "signature_agency": (report.signature_agency or "").strip() or None,
        "signature_date": report.signature_date,
        "modified_at": now,
    }


def _insert_contents(connection: Connection, report_id: int, report: Report) -> None:
    """Every filled-in cell, text and unit of ``report``: a blank is no row."""
    cells = [
        {"report_id": report_id, "key": key, "declared": declared, **_columns(value)}
        for values, declared in ((report.cells, False), (report.declared, True))
        for key, value in values.items()
        if value is not None
    ]
    texts = [
        {"report_id": report_id, "key": key, "text": text}
        for key, text in report.texts.items()
        if text
    ]
    units = [{"report_id": report_id, "key": k, "unit": u} for k, u in report.units.items()]
    for table, rows in (
        (tables.cell, cells),
        (tables.report_text, texts),
        (tables.report_unit, units),
    ):
        if rows:
            connection.execute(insert(table), rows)


def _load(connection: Connection, report_id: int) -> Report:
    return reads.load_report(raw_connection(connection), report_id)
