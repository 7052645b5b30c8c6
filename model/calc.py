"""The derived cells: totals computed from the input cells, never typed."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from model.formats import ReportFormat
from model.values import CellValue


def derived_values(fmt: ReportFormat, cells: Mapping[str, CellValue]) -> dict[str, CellValue]:
    """Every derived cell of ``fmt`` for the given input cells (a blank counts as 0)."""
    get = cells.get
    return {
        key: sum((get(term, 0) for term in fmt.cells[key].terms), 0) for key in fmt.derived_keys
    }


def all_values(fmt: ReportFormat, cells: Mapping[str, CellValue]) -> dict[str, CellValue]:
    """Every cell of ``fmt``, inputs and derived, blanks as 0: what the printed report shows."""
    values: dict[str, CellValue] = {key: cells.get(key, 0) for key in fmt.input_keys}
    values.update(derived_values(fmt, cells))
    return values


def as_number(value: CellValue | None) -> Decimal | int:
    return 0 if value is None else value
