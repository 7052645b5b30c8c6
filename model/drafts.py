"""Draft paragraphs written from the tables, for the clerk to edit (never saved unasked).

The wording reuses the row labels of the format definition, without their numbering, so a
draft always names the rows exactly as the tables do.
"""

from __future__ import annotations

import re

from model.calc import all_values
from model.report import Report
from model.values import CellValue

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")
_NOTE = re.compile(r"（[^）]*）$")


def plain_label(label: str) -> str:
    """A row label without its numbering or trailing note: “（二）部分公开（…）” → “部分公开”."""
    return _NOTE.sub("", _NUMBERING.sub("", label))


def requests_paragraph(report: Report) -> str:
    """本年度共新收政府信息公开申请N件，上年结转M件；…；结转下年度继续办理K件。"""
    values = all_values(report.format, report.cells)
    outcomes: dict[str, int] = {}
    for row in report.format.table("requests").rows:
        if row.groups and not row.derived:
            outcome = plain_label(row.groups[1] if len(row.groups) > 1 else row.label)
            outcomes[outcome] = outcomes.get(outcome, 0) + int(values[f"requests.{row.key}.total"])

    def total(row: str) -> CellValue:
        return values[f"requests.{row}.total"]

    listed = "，".join(f"{label}{count}件" for label, count in outcomes.items())
    return (
        f"本年度共新收政府信息公开申请{total('new')}件，上年结转{total('carried_in')}件；"
        f"办结{total('handled')}件，其中{listed}；"
        f"结转下年度继续办理{total('carried_out')}件。"
    )


def appeals_paragraph(report: Report) -> str:
    values = all_values(report.format, report.cells)
    review = values["appeals.review.total"]
    suits = values["appeals.suit_direct.total"] + values["appeals.suit_after_review.total"]
    return f"本年度因政府信息公开被申请行政复议{review}件，被提起行政诉讼{suits}件。"


def overview_draft(report: Report) -> str:
    """A paragraph on requests and appeals for 一、总体情况."""
    return requests_paragraph(report) + appeals_paragraph(report)
