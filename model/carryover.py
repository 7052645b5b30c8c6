"""Next year's report, started from this year's: what carries over, read from the same rules
that check the carry-over (``CarryOverRule`` and ``RunningCountRule`` of the format)."""

from __future__ import annotations

from model.formats import ReportFormat, format_for_year
from model.formats.rules import CarryOverRule, RunningCountRule
from model.report import Report
from model.values import CellValue


def next_year_draft(last: Report) -> Report:
    """What next year's report starts from.

    The texts and the signing agency as a draft to edit (the date stays blank); this year's
    carried-out requests as next year's carried-in ones; and, within one format, each running
    count whose rule adds last year's figures (2019: next year's 上一年项目数量 is this year's
    plus its 本年增/减).  Nothing else is carried: the 2021 现行有效件数 is next year's own
    figure, which its rule only compares.
    """
    fmt = format_for_year(last.year + 1)
    draft = Report(
        format_id=fmt.id,
        agency=last.agency,
        year=last.year + 1,
        texts={key: text for key, text in last.texts.items() if key in fmt.text_keys and text},
        signature_agency=last.signature_agency,
    )
    draft.cells.update(_carried(last, fmt))
    if last.format_id == fmt.id:
        draft.cells.update(_running_counts(last, fmt))
    return draft


def _carried(last: Report, fmt: ReportFormat) -> dict[str, CellValue]:
    carried: dict[str, CellValue] = {}
    for rule in (r for r in fmt.rules if isinstance(r, CarryOverRule)):
        for column in fmt.table(rule.table).columns:
            value = last.cells.get(f"{rule.table}.{rule.prev_row}.{column.key}")
            target = f"{rule.table}.{rule.row}.{column.key}"
            if value is not None and target in fmt.input_keys:
                carried[target] = value
    return carried


def _running_counts(last: Report, fmt: ReportFormat) -> dict[str, CellValue]:
    """Running counts; a negative result (a slip last year) is left blank for the checks."""
    carried: dict[str, CellValue] = {}
    for rule in fmt.rules:
        if not isinstance(rule, RunningCountRule) or not rule.plus_from_prev:
            continue
        for row in rule.rows:
            base = last.cells.get(f"{row}.{rule.base}")
            plus = last.cells.get(f"{row}.{rule.plus}") if rule.plus else None
            minus = last.cells.get(f"{row}.{rule.minus}") if rule.minus else None
            if base is None and plus is None:
                continue
            total = int(base or 0) + int(plus or 0) - int(minus or 0)
            if total >= 0:
                carried[f"{row}.{rule.column}"] = total
    return carried
