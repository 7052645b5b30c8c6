"""What a write changed, as frozen records, and what such a record means.

Every write in :mod:`model.ops` returns one (or a list); the window updates its copy of the
report from it (:func:`apply_change`), and the same record undoes it
(:func:`model.ops.apply_inverse`) and, inverted (:func:`inverted`), redoes it.  Kept apart from
:mod:`model.ops` so that the window can handle them before SQLAlchemy is imported, and Qt-free so
that the logic is tested alone (tests/model/test_changes.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Final, TypeVar

from model.errors import OperationError
from model.report import Report
from model.values import CellValue

_V = TypeVar("_V")


class StaleWriteError(OperationError):
    """A write refused because the database no longer holds the value the caller last read:
    another window or program changed it since.  Nothing is written; ``str()`` says what."""


class _Unchecked(Enum):
    ANY = "any"


#: The ``expected=`` of a write that does not say what it replaces (scripts, imports).
UNCHECKED: Final = _Unchecked.ANY
Unchecked = _Unchecked


@dataclass(frozen=True)
class ReportCreated:
    report_id: int
    agency: str
    year: int
    format_id: str


@dataclass(frozen=True)
class ReportDeleted:
    report_id: int
    agency: str
    year: int


@dataclass(frozen=True)
class ReportRenamed:
    report_id: int
    old: str
    new: str


@dataclass(frozen=True)
class CellChanged:
    report_id: int
    key: str
    old: CellValue | None
    new: CellValue | None


@dataclass(frozen=True)
class TextChanged:
    report_id: int
    key: str
    old: str
    new: str


@dataclass(frozen=True)
class UnitChanged:
    report_id: int
    key: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class TitleChanged:
    report_id: int
    old: str | None
    new: str | None


@dataclass(frozen=True)
class SignatureChanged:
    report_id: int
    old_agency: str | None
    old_date: dt.date | None
    new_agency: str | None
    new_date: dt.date | None


@dataclass(frozen=True)
class DeclaredChanged:
    """A total as an imported report wrote it (kept only to report a disagreement)."""

    report_id: int
    key: str
    old: CellValue | None
    new: CellValue | None


Change = (
    ReportCreated
    | ReportDeleted
    | ReportRenamed
    | CellChanged
    | DeclaredChanged
    | TextChanged
    | UnitChanged
    | TitleChanged
    | SignatureChanged
)


# ---------------------------------------------------------------------------- what a change does
# The window keeps its copy of the report in step from these records and undoes and redoes with
# them; they are here, beside the records, so that each is defined once and tested without Qt.


def same_value(a: object, b: object) -> bool:
    """Equal and written alike: 1.50 and 1.5 yuan are different entries to the clerk, because
    they print differently (``Decimal`` compares them equal)."""
    return type(a) is type(b) and str(a) == str(b)


def is_edit(change: Change) -> bool:
    """Whether ``change`` wrote a value other than the one it found (:func:`same_value`).
    Creating, deleting and renaming a report always count."""
    match change:
        case SignatureChanged(old_agency=agency, old_date=date, new_agency=new, new_date=on):
            return not (same_value(agency, new) and same_value(date, on))
        case (
            CellChanged(old=old, new=new)
            | TextChanged(old=old, new=new)
            | UnitChanged(old=old, new=new)
            | TitleChanged(old=old, new=new)
            | DeclaredChanged(old=old, new=new)
            | ReportRenamed(old=old, new=new)
        ):
            return not same_value(old, new)
    return True


def inverted(change: Change) -> Change:
    """The record of writing ``change`` backwards: its old value becomes the new one.  Undoing
    the inverted record redoes ``change``.  Creating and deleting a report have no inverse."""
    match change:
        case CellChanged(report_id=r, key=k, old=old, new=new):
            return CellChanged(r, k, new, old)
        case DeclaredChanged(report_id=r, key=k, old=old, new=new):
            return DeclaredChanged(r, k, new, old)
        case TextChanged(report_id=r, key=k, old=old, new=new):
            return TextChanged(r, k, new, old)
        case UnitChanged(report_id=r, key=k, old=old, new=new):
            return UnitChanged(r, k, new, old)
        case TitleChanged(report_id=r, old=old, new=new):
            return TitleChanged(r, new, old)
        case SignatureChanged(report_id=r, old_agency=oa, old_date=od, new_agency=na, new_date=nd):
            return SignatureChanged(r, na, nd, oa, od)
        case ReportRenamed(report_id=r, old=old, new=new):
            return ReportRenamed(r, new, old)
    raise TypeError(change)


def apply_change(report: Report, change: Change) -> None:
    """Bring ``report`` (a copy read earlier) in line with ``change``, written since.  Creating
    and deleting a report change no report's contents: they are ignored."""
    match change:
        case CellChanged(key=key, new=new):
            set_or_clear(report.cells, key, new)
        case DeclaredChanged(key=key, new=new):
            set_or_clear(report.declared, key, new)
        case TextChanged(key=key, new=new):
            report.texts[key] = new
        case UnitChanged(key=key, new=new):
            set_or_clear(report.units, key, new)
        case TitleChanged(new=new):
            report.title = new
        case SignatureChanged(new_agency=agency, new_date=date):
            report.signature_agency, report.signature_date = agency, date
        case ReportRenamed(new=new):
            report.agency = new


def set_or_clear(values: dict[str, _V], key: str, value: _V | None) -> None:
    """Store ``value`` under ``key`` in one of a report's dicts (cells, declared totals, units),
    where a blank (``None``) is no entry."""
    if value is None:
        values.pop(key, None)
    else:
        values[key] = value
