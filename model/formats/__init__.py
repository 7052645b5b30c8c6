"""The national formats of the report, as data, and the one list of them.

``FORMATS`` is the only place a format is registered: everything that offers, reads or
prints a report (the year's format, the data file's schema, the forms, the exports) goes
through it, so a new format is one module and one line here.  docs/FORMATS.md describes both
formats in words; tests/model/test_formats.py keeps it and this code in step.

>>> format_for_year(2020).id, format_for_year(2021).id
('2019', '2021')
>>> format_for_year(2005).id  # before the first format: the earliest one stands in
'2019'
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

#: The report years a report may have (the one definition of the range).
FIRST_YEAR = 2000
LAST_YEAR = 2100

FORMATS: dict[str, ReportFormat] = {f.id: f for f in (FORMAT_2019, FORMAT_2021)}


class UnknownFormatError(UserError, LookupError):
    """A format id no format has (``str()`` names the known ones), or a year none covers."""


def get_format(format_id: str) -> ReportFormat:
    try:
        return FORMATS[format_id]
    except KeyError:
        known = "、".join(FORMATS)
        raise UnknownFormatError(f"未知的报告格式“{format_id}”（可用：{known}）") from None


def format_for_year(year: int) -> ReportFormat:
    """The format in force for a report year (2019 up to 2020, 2021 from 2021).

    Where formats overlap the newest (latest ``first_year``) wins; a year before every
    format is written in the earliest one, as reports for those years always were.
    """
    formats = sorted(FORMATS.values(), key=lambda f: f.first_year)
    fitting = [f for f in formats if f.fits_year(year)]
    if fitting:
        return fitting[-1]
    if formats and year < formats[0].first_year:
        return formats[0]
    raise UnknownFormatError(f"没有适用于{year}年度的报告格式")


__all__ = [
    "FIRST_YEAR",
    "FORMATS",
    "LAST_YEAR",
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
