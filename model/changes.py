"""What a write changed, as frozen records.

Every write in :mod:`model.ops` returns one (or a list); the window updates its copy of the
report from it, and the same record undoes it (:func:`model.ops.apply_inverse`).  Kept apart
from :mod:`model.ops` so that the window can handle them before SQLAlchemy is imported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Final

from model.errors import OperationError
from model.values import CellValue


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
