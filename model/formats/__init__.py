"""The two national formats of the report, as data.

>>> format_for_year(2020).id, format_for_year(2021).id
('2019', '2021')
"""

from __future__ import annotations

from model.errors import UserError
from model.formats.f2019 import FORMAT_2019
from model.formats.f2021 import FORMAT_2021
from model.formats.types import (
    MAX_COUNT,
    MAX_MONEY_DIGITS,
    MONEY_PLACES,
    CellDef,
    CellKind,
    Column,
    Part,
    ReportFormat,
    Row,
    Severity,
    Table,
    TextField,
)

FORMATS: dict[str, ReportFormat] = {f.id: f for f in (FORMAT_2019, FORMAT_2021)}


class UnknownFormatError(UserError, LookupError):
    """A format id no format has; ``str()`` names the known ones."""


def get_format(format_id: str) -> ReportFormat:
    try:
        return FORMATS[format_id]
    except KeyError:
        known = "、".join(FORMATS)
        raise UnknownFormatError(f"未知的报告格式“{format_id}”（可用：{known}）") from None


def format_for_year(year: int) -> ReportFormat:
    """The format in force for a report year: 2019 up to 2020, 2021 from 2021."""
    return FORMAT_2019 if year <= FORMAT_2019.last_year else FORMAT_2021  # type: ignore[operator]


__all__ = [
    "FORMATS",
    "MAX_COUNT",
    "MAX_MONEY_DIGITS",
    "MONEY_PLACES",
    "CellDef",
    "CellKind",
    "Column",
    "Part",
    "ReportFormat",
    "Row",
    "Severity",
    "Table",
    "TextField",
    "UnknownFormatError",
    "format_for_year",
    "get_format",
]
