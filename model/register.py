"""The county desk's register: the units that report to a county, the county's decisions on
their reports, and its 汇总 reports' own fields.

Like :mod:`model.ops`, every write is one small operation in one transaction that returns a
frozen record of what it changed; :func:`apply_register_inverse` undoes it (and returns the
record that redoes it), refusing with :class:`StaleWriteError` when the database no longer
holds what the record says it wrote.  Refusals are :class:`OperationError` with a message for
the clerk; nothing is written when one is raised.

A unit's reports are the ``report`` rows whose agency is the unit's name: nothing here renames,
moves or deletes a report.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Final

from sqlalchemy import Connection, delete, insert, update

from model import names, tables
from model.changes import StaleWriteError
from model.db import Database, raw_connection
from model.errors import BrokenDatabaseError, OperationError
from model.formats import FIRST_YEAR, LAST_YEAR, format_for_year
from model.schema import text_problem

__all__ = [
    "KEEP",
    "AggregateCreated",
    "AggregateDeleted",
    "AggregateFieldsSet",
    "AggregateMemberSet",
    "AggregateRecord",
    "AggregateTextSet",
    "Decision",
    "Keep",
    "RegisterChange",
    "Status",
    "Unit",
    "UnitAdded",
    "UnitKind",
    "UnitRemoved",
    "UnitUpdated",
    "UnitYear",
    "UnitYearSet",
    "add_unit",
    "add_units",
    "apply_register_inverse",
    "clear_decisions",
    "create_aggregate",
    "delete_aggregate",
    "find_aggregate",
    "find_unit",
    "guess_kind",
    "list_aggregates",
    "list_units",
    "load_aggregate",
    "remove_unit",
    "set_aggregate_fields",
    "set_aggregate_member",
    "set_aggregate_text",
    "set_unit_year",
    "unit_years",
    "update_unit",
]


class UnitKind(StrEnum):
    """What a unit is; the register lists them in this order."""

    OWN = "本级"
    DEPARTMENT = "部门"
    TOWNSHIP = "乡镇街道"
    OTHER = "其他"


class Decision(StrEnum):
    """What the county decided on a unit's report of a year."""

    RETURNED = "退回"
    PASSED = "已通过"
    PUBLISHED = "已发布"


class Status(StrEnum):
    """What the review table shows for a unit (derived: ``county.desk.status_of``)."""

    NOT_SUBMITTED = "未报"
    SUBMITTED = "已报"
    FAULTY = "有错误"
    RETURNED = "退回"
    PASSED = "已通过"
    PUBLISHED = "已发布"


_KIND_ORDER: Final = {kind: index for index, kind in enumerate(UnitKind)}


# ---------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    kind: UnitKind
    must_report: bool
    note: str
    #: The first and last year the unit reports (set up, merged, abolished); None: no limit.
    from_year: int | None = None
    to_year: int | None = None

    def active(self, year: int) -> bool:
        """Whether ``year`` lies in the unit's years (a unit outside them is not expected to
        report that year, whatever 须报送 says)."""
        return (self.from_year is None or self.from_year <= year) and (
            self.to_year is None or year <= self.to_year
        )

    @property
    def years_text(self) -> str:
        """2021年起, 至2023年, 2021–2023年, or "" (no limit)."""
        if self.from_year is None and self.to_year is None:
            return ""
        if self.to_year is None:
            return f"{self.from_year}年起"
        if self.from_year is None:
            return f"至{self.to_year}年"
        return f"{self.from_year}–{self.to_year}年"


@dataclass(frozen=True)
class UnitYear:
    """The county's entry for a unit and a year (no entry: nothing decided or noted)."""

    unit_id: int
    year: int
    decision: Decision | None
    url: str
    published_on: dt.date | None
    note: str
    decided_at: dt.datetime | None


@dataclass(frozen=True)
class AggregateRecord:
    """A 汇总 report's own fields: its figures are the sums of the year's reports (less the
    ``excluded`` agencies), never stored."""

    id: int
    name: str
    year: int
    title: str | None
    texts: dict[str, str] = field(hash=False)
    signature_agency: str | None
    signature_date: dt.date | None
    excluded: frozenset[str]
    modified_at: dt.datetime

    def same_contents(self, other: AggregateRecord) -> bool:
        """Equal but for when it was last changed."""
        return dataclasses.replace(self, modified_at=other.modified_at) == other


@dataclass(frozen=True)
class UnitAdded:
    unit: Unit


@dataclass(frozen=True)
class UnitRemoved:
    unit: Unit
    years: tuple[UnitYear, ...]


@dataclass(frozen=True)
class UnitUpdated:
    old: Unit
    new: Unit


@dataclass(frozen=True)
class UnitYearSet:
    unit_id: int
    year: int
    old: UnitYear | None
    new: UnitYear | None


@dataclass(frozen=True)
class AggregateCreated:
    record: AggregateRecord


@dataclass(frozen=True)
class AggregateDeleted:
    """Not in the first contract: what undoing :class:`AggregateCreated` (or
    :func:`delete_aggregate`) did, so that it can be redone."""

    record: AggregateRecord


@dataclass(frozen=True)
class AggregateTextSet:
    aggregate_id: int
    key: str
    old: str
    new: str


@dataclass(frozen=True)
class AggregateFieldsSet:
    """Name, title or signature changed (``old``/``new``: the whole record before and after)."""

    aggregate_id: int
    old: AggregateRecord
    new: AggregateRecord


@dataclass(frozen=True)
class AggregateMemberSet:
    aggregate_id: int
    agency: str
    included_before: bool
    included: bool


RegisterChange = (
    UnitAdded
    | UnitRemoved
    | UnitUpdated
    | UnitYearSet
    | AggregateCreated
    | AggregateDeleted
    | AggregateTextSet
    | AggregateFieldsSet
    | AggregateMemberSet
)


class Keep(Enum):
    """A field :func:`set_aggregate_fields` leaves as it is."""

    KEEP = "keep"


KEEP: Final = Keep.KEEP


# ---------------------------------------------------------------------------- units

_TOWNSHIP = re.compile(r"(乡|镇|街道|街道办事处|苏木)(人民政府|政府|党委|办事处)?$")
_OWN = re.compile(r"(县|区|市|旗)人民政府(办公室)?$")


def guess_kind(name: str) -> UnitKind:
    """The kind a unit's name suggests: a 乡/镇/街道 → 乡镇街道; the 县/区/市人民政府 (or its
    办公室) → 本级; anything else → 部门.  The clerk can change it."""
    # a note in brackets at the end says nothing of the kind: 某某镇人民政府（本级）
    name = re.sub(r"[（(][^（）()]*[）)]\s*$", "", names.lookup(name)).strip()
    if _TOWNSHIP.search(name):
        return UnitKind.TOWNSHIP
    if _OWN.search(name):
        return UnitKind.OWN
    return UnitKind.DEPARTMENT


def add_unit(
    db: Database, name: str, kind: UnitKind, must_report: bool = True, note: str = ""
) -> UnitAdded:
    """Put a unit in the register; its name must be new."""
    return add_units(db, [(name, kind)], must_report=must_report, note=note)[0]


def add_units(
    db: Database,
    units: Sequence[tuple[str, UnitKind]],
    *,
    must_report: bool = True,
    note: str = "",
) -> list[UnitAdded]:
    """Put several units in the register in one transaction: all of them, or none if one is
    refused (a blank or repeated name, a kind that does not exist)."""
    checked = [(_unit_name(name), _kind(kind)) for name, kind in units]
    note = _note(note)
    must_report = _flag(must_report)
    seen: set[str] = set()
    for name, _ in checked:
        if name in seen:
            raise OperationError(f"单位“{name}”重复了。")
        seen.add(name)
    added: list[UnitAdded] = []
    with db.transaction() as connection:
        for name, kind in checked:
            _check_unit_name_free(connection, name)
            values = {"name": name, "kind": kind.value, "must_report": must_report, "note": note}
            result = connection.execute(insert(tables.unit).values(**values))
            key = result.inserted_primary_key
            assert key is not None
            added.append(UnitAdded(Unit(int(key[0]), name, kind, must_report, note)))
    return added


def update_unit(
    db: Database,
    unit_id: int,
    *,
    kind: UnitKind | None = None,
    must_report: bool | None = None,
    note: str | None = None,
    name: str | None = None,
    from_year: int | Keep | None = KEEP,
    to_year: int | Keep | None = KEEP,
) -> UnitUpdated:
    """Change a unit (``None``, or :data:`KEEP` for its years where None means “no limit”:
    leave that field).  Renaming a unit renames nothing else: its reports are then those of
    the new name.  Refused if another unit has the name, or its first year is after its last."""
    with db.transaction() as connection:
        old = _unit(connection, unit_id)
        new = Unit(
            unit_id,
            old.name if name is None else _unit_name(name),
            old.kind if kind is None else _kind(kind),
            old.must_report if must_report is None else _flag(must_report),
            old.note if note is None else _note(note),
            old.from_year if from_year is KEEP else _optional_year(from_year, "起始年度"),
            old.to_year if to_year is KEEP else _optional_year(to_year, "终止年度"),
        )
        if new.from_year is not None and new.to_year is not None and new.from_year > new.to_year:
            raise OperationError(
                f"起始年度（{new.from_year}年）不能晚于终止年度（{new.to_year}年）。"
            )
        _write_unit(connection, old, new)
    return UnitUpdated(old, new)


def remove_unit(db: Database, unit_id: int) -> UnitRemoved:
    """Take a unit off the register, with its entries of every year; its reports stay."""
    with db.transaction() as connection:
        unit = _unit(connection, unit_id)
        years = _years_of(raw_connection(connection), unit_id)
        connection.execute(delete(tables.unit).where(tables.unit.c.id == unit_id))
    return UnitRemoved(unit, years)


def set_unit_year(
    db: Database,
    unit_id: int,
    year: int,
    *,
    decision: Decision | None,
    url: str = "",
    published_on: dt.date | None = None,
    note: str = "",
    decided_now: bool = False,
) -> UnitYearSet:
    """Record the decision on a unit's report of ``year``, where it was published and a note.
    ``decided_at`` is now when the decision changes, or when ``decided_now`` says the county
    has just taken it again (passing a report changed since it was passed); it is kept when
    only the address, date or note change.  An entry with nothing in it is no entry."""
    year = _year(year)
    decision = None if decision is None else _decision(decision)
    url = _url(url)
    note = _note(note)
    published_on = _date(published_on, "发布日期")
    with db.transaction() as connection:
        _unit(connection, unit_id)
        old = _unit_year(raw_connection(connection), unit_id, year)
        if old is not None and old.decision == decision and not decided_now:
            decided_at = old.decided_at
        else:
            decided_at = None if decision is None else _now()
        new = _entry(UnitYear(unit_id, year, decision, url, published_on, note, decided_at))
        _write_unit_year(connection, unit_id, year, old, new)
    return UnitYearSet(unit_id, year, old, new)


def clear_decisions(db: Database, agencies: Iterable[str], year: int) -> list[UnitYearSet]:
    """Forget the decisions on these units' reports of ``year`` (a report sent again must be
    reviewed again); the url, date and note stay.  Agencies not in the register, or without a
    decision, are passed over."""
    year = _year(year)
    wanted = sorted({names.lookup(agency) for agency in agencies})
    changes: list[UnitYearSet] = []
    with db.transaction() as connection:
        raw = raw_connection(connection)
        for agency in wanted:
            unit = _find_unit(raw, agency)
            if unit is None:
                continue
            old = _unit_year(raw, unit.id, year)
            if old is None or old.decision is None:
                continue
            new = _entry(dataclasses.replace(old, decision=None, decided_at=None))
            _write_unit_year(connection, unit.id, year, old, new)
            changes.append(UnitYearSet(unit.id, year, old, new))
    return changes


# ---------------------------------------------------------------------------- 汇总 reports


def create_aggregate(db: Database, name: str, year: int) -> AggregateCreated:
    """A new 汇总 report of ``name`` (the county or region) for ``year``."""
    name = _aggregate_name(name)
    year = _year(year)
    now = _now()
    with db.transaction() as connection:
        _check_aggregate_free(raw_connection(connection), name, year, None)
        values = {"name": name, "year": year, "created_at": now, "modified_at": now}
        result = connection.execute(insert(tables.aggregate).values(**values))
        key = result.inserted_primary_key
        assert key is not None
        record = _aggregate(raw_connection(connection), int(key[0]))
    return AggregateCreated(record)


def delete_aggregate(db: Database, aggregate_id: int) -> AggregateDeleted:
    """Delete a 汇总 report's own fields (the reports it sums are not touched)."""
    with db.transaction() as connection:
        record = _aggregate(raw_connection(connection), aggregate_id)
        connection.execute(delete(tables.aggregate).where(tables.aggregate.c.id == aggregate_id))
    return AggregateDeleted(record)


def set_aggregate_text(db: Database, aggregate_id: int, key: str, text: str) -> AggregateTextSet:
    """Replace a free text of a 汇总 report; an empty text is stored as no text.  ``key`` must
    be a text of the year's format; a text the data file could not hold is refused."""
    return _set_aggregate_text(db, aggregate_id, key, text, None)


def set_aggregate_fields(
    db: Database,
    aggregate_id: int,
    *,
    name: str | Keep = KEEP,
    title: str | Keep | None = KEEP,
    signature_agency: str | Keep | None = KEEP,
    signature_date: dt.date | Keep | None = KEEP,
) -> AggregateFieldsSet:
    """Change a 汇总 report's name, title or 落款 (:data:`KEEP`: leave it; ``None`` or blank
    title: the default title)."""
    with db.transaction() as connection:
        raw = raw_connection(connection)
        old = _aggregate(raw, aggregate_id)
        target = dataclasses.replace(
            old,
            name=old.name if isinstance(name, Keep) else _aggregate_name(name),
            title=old.title if isinstance(title, Keep) else _title(title),
            signature_agency=(
                old.signature_agency
                if isinstance(signature_agency, Keep)
                else _signature_agency(signature_agency)
            ),
            signature_date=(
                old.signature_date
                if isinstance(signature_date, Keep)
                else _date(signature_date, "落款日期")
            ),
        )
        new = _write_aggregate_fields(connection, old, target)
    return AggregateFieldsSet(aggregate_id, old, new)


def set_aggregate_member(
    db: Database, aggregate_id: int, agency: str, included: bool
) -> AggregateMemberSet:
    """Sum (``included``) or leave out a unit's report in a 汇总 report."""
    return _set_member(db, aggregate_id, agency, _flag(included), None)


# ---------------------------------------------------------------------------- undo


def apply_register_inverse(db: Database, change: RegisterChange) -> RegisterChange:
    """Undo ``change`` and return the record that did it (undoing that one redoes).  The
    change's new state is what the database must still hold; if another window or program
    changed it since, the undo is refused with :class:`StaleWriteError`."""
    match change:
        case UnitAdded(unit=unit):
            with db.transaction() as connection:
                stored = _stored_unit(raw_connection(connection), unit.id)
                if stored != unit:
                    raise _stale(f"单位“{unit.name}”")
                years = _years_of(raw_connection(connection), unit.id)
                connection.execute(delete(tables.unit).where(tables.unit.c.id == unit.id))
            return UnitRemoved(unit, years)
        case UnitRemoved(unit=unit, years=years):
            with db.transaction() as connection:
                raw = raw_connection(connection)
                if _stored_unit(raw, unit.id) is not None:
                    raise _stale(f"单位“{unit.name}”")
                _check_unit_name_free(connection, unit.name)
                connection.execute(insert(tables.unit).values(**_unit_columns(unit)))
                for entry in years:
                    connection.execute(insert(tables.unit_year).values(**_year_columns(entry)))
            return UnitAdded(unit)
        case UnitUpdated(old=old, new=new):
            with db.transaction() as connection:
                stored = _stored_unit(raw_connection(connection), new.id)
                if stored != new:
                    raise _stale(f"单位“{new.name}”")
                _write_unit(connection, new, old)
            return UnitUpdated(new, old)
        case UnitYearSet(unit_id=unit_id, year=year, old=old, new=new):
            with db.transaction() as connection:
                unit = _unit(connection, unit_id)
                held = _unit_year(raw_connection(connection), unit_id, year)
                if held != new:
                    raise _stale(f"“{unit.name}”{year}年度的审核记录")
                _write_unit_year(connection, unit_id, year, new, old)
            return UnitYearSet(unit_id, year, new, old)
        case AggregateCreated(record=record):
            with db.transaction() as connection:
                current = _stored_aggregate(raw_connection(connection), record.id)
                if current is None or not current.same_contents(record):
                    raise _stale(f"“{record.name}”{record.year}年度汇总报告")
                table = tables.aggregate
                connection.execute(delete(table).where(table.c.id == record.id))
            return AggregateDeleted(current)
        case AggregateDeleted(record=record):
            with db.transaction() as connection:
                raw = raw_connection(connection)
                if _stored_aggregate(raw, record.id) is not None:
                    raise _stale(f"“{record.name}”{record.year}年度汇总报告")
                _check_aggregate_free(raw, record.name, record.year, None)
                _insert_aggregate(connection, record)
                restored = _aggregate(raw, record.id)
            return AggregateCreated(restored)
        case AggregateTextSet(aggregate_id=aggregate_id, key=key, old=old, new=new):
            return _set_aggregate_text(db, aggregate_id, key, old, new)
        case AggregateFieldsSet(aggregate_id=aggregate_id, old=old, new=new):
            with db.transaction() as connection:
                now_fields = _aggregate(raw_connection(connection), aggregate_id)
                if _fields(now_fields) != _fields(new):
                    raise _stale(f"“{new.name}”{new.year}年度汇总报告的标题或落款")
                done = _write_aggregate_fields(connection, now_fields, old)
            return AggregateFieldsSet(aggregate_id, now_fields, done)
        case AggregateMemberSet(
            aggregate_id=aggregate_id, agency=agency, included_before=before, included=now
        ):
            return _set_member(db, aggregate_id, agency, before, now)
    raise OperationError("这项操作不能撤销。")


# ---------------------------------------------------------------------------- reads


def list_units(db: Database) -> list[Unit]:
    """The register: by kind (本级, 部门, 乡镇街道, 其他), then by name."""
    with db.read() as connection:
        units = [_unit_of(row) for row in connection.execute(f"{_UNIT} ORDER BY name")]
    return sorted(units, key=lambda unit: _KIND_ORDER[unit.kind])


def find_unit(db: Database, name: str) -> Unit | None:
    """The unit of this name (as typed: it is looked up as names are stored), or else the one
    whose name differs only in spaces or full-/half-width forms (:func:`model.names.match_key`:
    a unit's report may spell its name so), or None."""
    with db.read() as connection:
        found = _find_unit(connection, names.lookup(name))
        if found is not None:
            return found
        key = names.match_key(name)
        alike = [
            unit
            for unit in map(_unit_of, connection.execute(_UNIT))
            if names.match_key(unit.name) == key
        ]
    return alike[0] if len(alike) == 1 else None


def unit_years(db: Database, year: int) -> dict[int, UnitYear]:
    """The entries of ``year``, by unit id (a unit without one has none)."""
    with db.read() as connection:
        rows = connection.execute(f"{_UNIT_YEAR} WHERE year = ?", (year,))
        return {entry.unit_id: entry for entry in map(_unit_year_of, rows)}


def load_aggregate(db: Database, aggregate_id: int) -> AggregateRecord:
    with db.read() as connection:
        return _aggregate(connection, aggregate_id)


def find_aggregate(db: Database, name: str, year: int) -> int | None:
    with db.read() as connection:
        row = connection.execute(
            "SELECT id FROM aggregate WHERE name = ? AND year = ?", (names.lookup(name), year)
        ).fetchone()
    return None if row is None else int(row[0])


def list_aggregates(db: Database, year: int | None = None) -> list[AggregateRecord]:
    """Every 汇总 report (of ``year``), by year and then name."""
    with db.read() as connection:
        if year is None:
            rows = connection.execute("SELECT id FROM aggregate ORDER BY year, name")
        else:
            rows = connection.execute(
                "SELECT id FROM aggregate WHERE year = ? ORDER BY name", (year,)
            )
        return [_aggregate(connection, int(row[0])) for row in rows.fetchall()]


# ---------------------------------------------------------------------------- checks


def _unit_name(name: str) -> str:
    if not isinstance(name, str):
        raise OperationError("单位名称应为文字。")
    cleaned = _clean(name, names.AGENCY)
    if not cleaned:
        raise OperationError("单位名称不能为空。")
    return cleaned


def _aggregate_name(name: str) -> str:
    if not isinstance(name, str):
        raise OperationError("汇总报告的地区名称应为文字。")
    cleaned = _clean(name, "地区名称")
    if not cleaned:
        raise OperationError("汇总报告的地区名称（如“某某县人民政府”）不能为空。")
    return cleaned


def _title(title: str | None) -> str | None:
    return _clean(title or "", names.TITLE, line_breaks=True) or None


def _signature_agency(agency: str | None) -> str | None:
    return _clean(agency or "", names.SIGNATURE) or None


def _note(note: str) -> str:
    if not isinstance(note, str):
        raise OperationError("备注应为文字。")
    note = _clean(note, "备注", line_breaks=True)
    if problem := text_problem(note):
        raise OperationError(f"备注{problem}，未保存。")
    return note


def _clean(text: str, what: str, line_breaks: bool = False) -> str:
    try:
        return names.clean_name(text, what, line_breaks=line_breaks)
    except names.InvalidName as error:
        raise OperationError(str(error)) from None


def _kind(kind: object) -> UnitKind:
    try:
        return UnitKind(str(kind))
    except ValueError:
        choices = "、".join(UnitKind)
        raise OperationError(f"单位类别“{kind}”不存在，可选：{choices}。") from None


def _decision(decision: object) -> Decision:
    try:
        return Decision(str(decision))
    except ValueError:
        choices = "、".join(Decision)
        raise OperationError(f"审核结果“{decision}”不存在，可选：{choices}。") from None


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise OperationError("是否应报应为“是”或“否”。")
    return value


_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)


def _url(url: str) -> str:
    if not isinstance(url, str):
        raise OperationError("网址应为文字。")
    url = url.strip()
    if url and not _URL.fullmatch(url):
        raise OperationError(
            f"网址“{names.visible(url[:80])}”无效：应以 http:// 或 https:// 开头，且不含空格。"
        )
    return url


def _date(value: object, what: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, dt.date):
        raise OperationError(f"{what}应为日期。")
    return value


def _year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise OperationError("年度应为整数。")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise OperationError(f"年度{year}不在{FIRST_YEAR}—{LAST_YEAR}之间，请核实。")
    return year


def _entry(entry: UnitYear) -> UnitYear | None:
    """The entry as stored: one with nothing in it is no row."""
    blank = UnitYear(entry.unit_id, entry.year, None, "", None, "", None)
    return None if entry == blank else entry


def _stale(what: str) -> StaleWriteError:
    return StaleWriteError(
        f"{what}已被其他窗口或程序修改，与这里显示的不同；"
        "为免覆盖别人保存的内容，这次操作没有执行。"
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# ---------------------------------------------------------------------------- writes


def _check_unit_name_free(connection: Connection, name: str, unit_id: int | None = None) -> None:
    raw = raw_connection(connection)
    found = _find_unit(raw, name)
    if found is not None and found.id != unit_id:
        raise OperationError(f"单位“{name}”已在名单中。")
    key = names.match_key(name)
    for unit in map(_unit_of, raw.execute(_UNIT)):
        if unit.id != unit_id and names.match_key(unit.name) == key:
            raise OperationError(
                f"单位“{name}”与名单中的“{unit.name}”只差空格或全角半角，是同一个单位。"
            )


def _unit(connection: Connection, unit_id: int) -> Unit:
    unit = _stored_unit(raw_connection(connection), unit_id)
    if unit is None:
        raise OperationError(f"找不到编号为{unit_id}的单位，它可能已被删除。")
    return unit


def _unit_columns(unit: Unit) -> dict[str, object]:
    return {
        "id": unit.id,
        "name": unit.name,
        "kind": unit.kind.value,
        "must_report": unit.must_report,
        "note": unit.note,
        "from_year": unit.from_year,
        "to_year": unit.to_year,
    }


def _optional_year(year: object, what: str) -> int | None:
    """A unit's first or last year: None (no limit) or a report year."""
    if year is None:
        return None
    if not isinstance(year, int) or isinstance(year, bool):
        raise OperationError(f"{what}应为年份。")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise OperationError(f"{what}应在{FIRST_YEAR}年到{LAST_YEAR}年之间（不是{year}年）。")
    return year


def _write_unit(connection: Connection, old: Unit, new: Unit) -> None:
    if old == new:
        return
    if new.name != old.name:
        _check_unit_name_free(connection, new.name, new.id)
    columns = _unit_columns(new)
    del columns["id"]
    connection.execute(update(tables.unit).where(tables.unit.c.id == new.id).values(**columns))


def _year_columns(entry: UnitYear) -> dict[str, object]:
    return {
        "unit_id": entry.unit_id,
        "year": entry.year,
        "decision": None if entry.decision is None else entry.decision.value,
        "url": entry.url,
        "published_on": entry.published_on,
        "note": entry.note,
        "decided_at": entry.decided_at,
    }


def _write_unit_year(
    connection: Connection, unit_id: int, year: int, old: UnitYear | None, new: UnitYear | None
) -> None:
    if old == new:
        return
    table = tables.unit_year
    connection.execute(delete(table).where((table.c.unit_id == unit_id) & (table.c.year == year)))
    if new is not None:
        connection.execute(insert(table).values(**_year_columns(new)))


def _check_aggregate_free(
    connection: sqlite3.Connection, name: str, year: int, aggregate_id: int | None
) -> None:
    row = connection.execute(
        "SELECT id FROM aggregate WHERE name = ? AND year = ?", (name, year)
    ).fetchone()
    if row is not None and int(row[0]) != aggregate_id:
        raise OperationError(f"“{name}”的{year}年度汇总报告已经存在。")


def _fields(record: AggregateRecord) -> tuple[object, ...]:
    return (record.name, record.title, record.signature_agency, record.signature_date)


def _write_aggregate_fields(
    connection: Connection, old: AggregateRecord, target: AggregateRecord
) -> AggregateRecord:
    """Give the aggregate ``target``'s name, title and 落款; the record as it is then."""
    if _fields(old) == _fields(target):
        return old
    if target.name != old.name:
        _check_aggregate_free(raw_connection(connection), target.name, old.year, old.id)
    table = tables.aggregate
    connection.execute(
        update(table)
        .where(table.c.id == old.id)
        .values(
            name=target.name,
            title=target.title,
            signature_agency=target.signature_agency,
            signature_date=target.signature_date,
            modified_at=_now(),
        )
    )
    return _aggregate(raw_connection(connection), old.id)


def _insert_aggregate(connection: Connection, record: AggregateRecord) -> None:
    now = _now()
    connection.execute(
        insert(tables.aggregate).values(
            id=record.id,
            name=record.name,
            year=record.year,
            title=record.title,
            signature_agency=record.signature_agency,
            signature_date=record.signature_date,
            created_at=now,
            modified_at=now,
        )
    )
    texts = [{"aggregate_id": record.id, "key": k, "text": t} for k, t in record.texts.items()]
    if texts:
        connection.execute(insert(tables.aggregate_text), texts)
    excluded = [{"aggregate_id": record.id, "agency": a} for a in sorted(record.excluded)]
    if excluded:
        connection.execute(insert(tables.aggregate_excluded), excluded)


def _touch_aggregate(connection: Connection, aggregate_id: int) -> None:
    table = tables.aggregate
    connection.execute(update(table).where(table.c.id == aggregate_id).values(modified_at=_now()))


def _set_aggregate_text(
    db: Database, aggregate_id: int, key: str, text: str, expected: str | None
) -> AggregateTextSet:
    if not isinstance(text, str):
        raise OperationError("文字应为文字。")
    with db.transaction() as connection:
        record = _aggregate(raw_connection(connection), aggregate_id)
        fmt = format_for_year(record.year)
        if key not in fmt.text_keys:
            raise OperationError(f"{record.year}年度的报告格式中没有名为“{key}”的文字部分。")
        label = f"“{fmt.text(key).label}”"
        if problem := text_problem(text):
            raise OperationError(f"{label}{problem}，未保存。")
        old = record.texts.get(key, "")
        if expected is not None and old not in (expected, text):
            raise _stale(f"汇总报告的{label}")
        if old != text:
            table = tables.aggregate_text
            where = (table.c.aggregate_id == aggregate_id) & (table.c.key == key)
            connection.execute(delete(table).where(where))
            if text:
                connection.execute(
                    insert(table).values(aggregate_id=aggregate_id, key=key, text=text)
                )
            _touch_aggregate(connection, aggregate_id)
    return AggregateTextSet(aggregate_id, key, old, text)


def _set_member(
    db: Database, aggregate_id: int, agency: str, included: bool, expected: bool | None
) -> AggregateMemberSet:
    if not isinstance(agency, str) or not names.lookup(agency):
        raise OperationError("单位名称不能为空。")
    agency = names.lookup(agency)
    with db.transaction() as connection:
        record = _aggregate(raw_connection(connection), aggregate_id)
        before = agency not in record.excluded
        if expected is not None and before not in (expected, included):
            raise _stale(f"“{agency}”是否汇总")
        if before != included:
            table = tables.aggregate_excluded
            if included:
                where = (table.c.aggregate_id == aggregate_id) & (table.c.agency == agency)
                connection.execute(delete(table).where(where))
            else:
                connection.execute(insert(table).values(aggregate_id=aggregate_id, agency=agency))
            _touch_aggregate(connection, aggregate_id)
    return AggregateMemberSet(aggregate_id, agency, before, included)


# ---------------------------------------------------------------------------- stored rows
# Plain SQL on the sqlite3 connection, as model.reads: values come back as SQLAlchemy stores
# them (dates and moments as ISO text, flags as 0 and 1), each checked as it is read.

_UNIT = "SELECT id, name, kind, must_report, note, from_year, to_year FROM unit"
_UNIT_YEAR = "SELECT unit_id, year, decision, url, published_on, note, decided_at FROM unit_year"


def _stored_unit(connection: sqlite3.Connection, unit_id: int) -> Unit | None:
    row = connection.execute(f"{_UNIT} WHERE id = ?", (unit_id,)).fetchone()
    return None if row is None else _unit_of(row)


def _find_unit(connection: sqlite3.Connection, name: str) -> Unit | None:
    row = connection.execute(f"{_UNIT} WHERE name = ?", (name,)).fetchone()
    return None if row is None else _unit_of(row)


def _years_of(connection: sqlite3.Connection, unit_id: int) -> tuple[UnitYear, ...]:
    rows = connection.execute(f"{_UNIT_YEAR} WHERE unit_id = ? ORDER BY year", (unit_id,))
    return tuple(map(_unit_year_of, rows))


def _unit_year(connection: sqlite3.Connection, unit_id: int, year: int) -> UnitYear | None:
    row = connection.execute(
        f"{_UNIT_YEAR} WHERE unit_id = ? AND year = ?", (unit_id, year)
    ).fetchone()
    return None if row is None else _unit_year_of(row)


def _stored_aggregate(connection: sqlite3.Connection, aggregate_id: int) -> AggregateRecord | None:
    row = connection.execute(
        "SELECT id, name, year, title, signature_agency, signature_date, modified_at"
        " FROM aggregate WHERE id = ?",
        (aggregate_id,),
    ).fetchone()
    if row is None:
        return None
    record_id, name, year, title, signature_agency, signature_date, modified_at = row
    texts = connection.execute(
        "SELECT key, text FROM aggregate_text WHERE aggregate_id = ?", (aggregate_id,)
    ).fetchall()
    year = _integer(year, "年度")
    keys = format_for_year(year).text_keys if FIRST_YEAR <= year <= LAST_YEAR else ()
    order = {key: index for index, key in enumerate(keys)}
    excluded = connection.execute(
        "SELECT agency FROM aggregate_excluded WHERE aggregate_id = ?", (aggregate_id,)
    ).fetchall()
    return AggregateRecord(
        id=int(record_id),
        name=_text(name, "汇总报告名称"),
        year=year,
        title=_optional_text(title, "标题"),
        texts={
            _text(key, "文字部分"): _text(text, "文字")
            for key, text in sorted(texts, key=lambda t: order.get(t[0], len(order)))
        },
        signature_agency=_optional_text(signature_agency, "落款单位"),
        signature_date=_stored_date(signature_date, "落款日期"),
        excluded=frozenset(_text(agency, "单位名称") for (agency,) in excluded),
        modified_at=_moment(modified_at, "修改时间"),
    )


def _aggregate(connection: sqlite3.Connection, aggregate_id: int) -> AggregateRecord:
    record = _stored_aggregate(connection, aggregate_id)
    if record is None:
        raise OperationError(f"找不到编号为{aggregate_id}的汇总报告，它可能已被删除。")
    return record


def _unit_of(row: tuple[object, ...]) -> Unit:
    unit_id, name, kind, must_report, note, from_year, to_year = row
    if kind not in _KIND_ORDER or must_report not in (0, 1):
        raise _damaged("单位类别", kind)
    return Unit(
        _integer(unit_id, "单位编号"),
        _text(name, "单位名称"),
        UnitKind(str(kind)),
        bool(must_report),
        _text(note, "备注"),
        None if from_year is None else _integer(from_year, "起始年度"),
        None if to_year is None else _integer(to_year, "终止年度"),
    )


def _unit_year_of(row: tuple[object, ...]) -> UnitYear:
    unit_id, year, decision, url, published_on, note, decided_at = row
    if decision is not None and decision not in set(Decision):
        raise _damaged("审核结果", decision)
    return UnitYear(
        _integer(unit_id, "单位编号"),
        _integer(year, "年度"),
        None if decision is None else Decision(str(decision)),
        _text(url, "网址"),
        _stored_date(published_on, "发布日期"),
        _text(note, "备注"),
        None if decided_at is None else _moment(decided_at, "审核时间"),
    )


def _integer(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _damaged(what, value)
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise _damaged(what, value)
    return value


def _optional_text(value: object, what: str) -> str | None:
    return None if value is None else _text(value, what)


def _stored_date(value: object, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _damaged(what, value) from None


def _moment(value: object, what: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(value)).replace(tzinfo=dt.UTC)
    except ValueError:
        raise _damaged(what, value) from None


def _damaged(what: str, value: object) -> BrokenDatabaseError:
    shown = "二进制数据" if isinstance(value, bytes) else names.visible(str(value)[:40])
    return BrokenDatabaseError(
        f"数据库已损坏：单位名单或汇总报告中存储的{what}“{shown}”无法读取。文件未作改动；"
        "可以从备份恢复（文件 → 从备份恢复）。"
    )
