"""A report in memory: what the checks read, the store loads and the data file carries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from model.formats import ReportFormat, get_format
from model.values import CellValue


def default_title(agency: str, year: int) -> str:
    return f"{agency}{year}年政府信息公开工作年度报告"


@dataclass
class Report:
    """One agency's report for one year.

    ``cells`` holds the input cells that are filled in (a missing key is blank, printed as
    0).  ``declared`` holds derived cells as an imported report wrote them, kept only so
    that a disagreement with the computed total is reported rather than lost.
    """

    format_id: str
    agency: str
    year: int
    title: str | None = None
    cells: dict[str, CellValue] = field(default_factory=dict)
    declared: dict[str, CellValue] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    signature_agency: str | None = None
    signature_date: dt.date | None = None

    @property
    def format(self) -> ReportFormat:
        return get_format(self.format_id)

    @property
    def display_title(self) -> str:
        return self.title or default_title(self.agency, self.year)

    def text(self, key: str) -> str:
        return self.texts.get(key, "")

    def unit(self, key: str) -> str | None:
        """The unit a money cell is printed with (fixed, chosen, or the default choice)."""
        column = self.format.cells[key].column
        if column.unit:
            return column.unit
        return self.units.get(key) or (column.unit_choices[0] if column.unit_choices else None)
