"""Draft paragraphs written from the tables, for the clerk to edit (never saved unasked).

The wording reuses the row labels of the format definition, without their numbering, so a
draft always names the rows exactly as the tables do.  Which rows it states is the format's
word as well: the rows of its balance rule (received, then dealt with) for the requests, and
the ``tallies`` a table declares for the appeals.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from model.calc import all_values
from model.formats import ReportFormat, Table
from model.formats.rules import BalanceRule
from model.report import Report
from model.values import CellValue

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")
_NOTE = re.compile(r"（[^）]*）$")


def plain_label(label: str) -> str:
    """A row label without its numbering or trailing note: “（二）部分公开（…）” → “部分公开”."""
    return _NOTE.sub("", _NUMBERING.sub("", label))


def requests_paragraph(report: Report) -> str:
    """本年度共新收政府信息公开申请N件，上年结转M件；…；结转下年度继续办理K件。"""
    rule = _balance_rule(report.format)
    table = report.format.table(rule.table)
    values = all_values(report.format, report.cells)

    def total(row: str) -> CellValue:
        return values[f"{table.key}.{row}.{_total_column(table)}"]

    outcomes: dict[str, int] = {}
    for row in table.rows:
        if row.groups and not row.derived:
            outcome = plain_label(row.groups[1] if len(row.groups) > 1 else row.label)
            outcomes[outcome] = outcomes.get(outcome, 0) + int(total(row.key))
    listed = "，".join(f"{label}{count}件" for label, count in outcomes.items())
    new, carried_in = rule.lhs
    handled, carried_out = rule.rhs
    return (
        f"本年度共新收政府信息公开申请{total(new)}件，上年结转{total(carried_in)}件；"
        f"办结{total(handled)}件，其中{listed}；"
        f"结转下年度继续办理{total(carried_out)}件。"
    )


def appeals_paragraph(report: Report) -> str:
    """本年度因政府信息公开被申请行政复议N件，被提起行政诉讼M件。"""
    values = all_values(report.format, report.cells)
    stated = [
        f"{words}{sum(values[f'{table.key}.{row}.{_total_column(table)}'] for row in rows)}件"
        for table in report.format.tables
        for words, rows in table.tallies
    ]
    return f"本年度因政府信息公开{'，'.join(stated)}。"


def overview_draft(report: Report) -> str:
    """A paragraph on requests and appeals for 一、总体情况."""
    return requests_paragraph(report) + appeals_paragraph(report)


#: The texts a first paragraph can be drafted for from the tables, and how.  The window offers
#: 根据表格生成段落 on exactly these.
DRAFTS: dict[str, Callable[[Report], str]] = {"overview": overview_draft}


def _balance_rule(fmt: ReportFormat) -> BalanceRule:
    """The rule that says which rows are the requests received and those dealt with."""
    return next(rule for rule in fmt.rules if isinstance(rule, BalanceRule))


def _total_column(table: Table) -> str:
    return next(column.key for column in table.columns if column.derived)
