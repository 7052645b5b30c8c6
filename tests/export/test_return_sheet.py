"""The 退回意见 as the unit reads it: one A4 page naming the unit, the year and the version
code that was reviewed, the findings (errors first, each with its part), the county's remarks or
lines to write them on, 审核人 and 日期, and the county office; read back with pdfplumber."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pdfplumber
import pytest

from export.return_sheet import (
    BLANK_LINES,
    ERROR,
    REVIEWER,
    SHEET_TITLE,
    WARNING,
    part_label,
    render_return_sheet,
)
from model.checks import Finding, check
from model.formats import Severity
from model.report import Report
from model.version import version_code

COUNTY = "某某县人民政府办公室"
MM = 72 / 25.4
# The columns of the findings (export/return_sheet.py): 序号 10 mm, 类别 14 mm, 所在部分 30 mm,
# 问题说明 the rest, from the 18 mm margin.
PART_COLUMN = (42 * MM, 72 * MM)
MESSAGE_COLUMN = (72 * MM, 192 * MM)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _read(data: bytes) -> tuple[int, str, list[dict[str, float]]]:
    """Pages, the first page's text squeezed, and its drawn lines."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        return len(pdf.pages), _squeeze(page.extract_text() or ""), list(page.lines)


def _column(data: bytes, x: tuple[float, float]) -> str:
    """The text of one column of the findings, squeezed (a wrapped message reads whole)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        top = next(w["bottom"] for w in page.extract_words() if w["text"] == "问题说明")
        bottom = next(w["top"] for w in page.extract_words() if w["text"].startswith("其他意见"))
        return _squeeze(page.crop((x[0] + 0.5, top + 1, x[1] - 0.5, bottom)).extract_text() or "")


def _faulty(report: Report) -> Report:
    """Part 三 out of balance: one more 予以公开 than requests received."""
    fmt = report.format
    key = next(k for k in fmt.input_keys if k.startswith("requests.") and ".granted." in k)
    return dataclasses.replace(report, cells={**report.cells, key: report.cells.get(key, 0) + 1})


def _many(count: int) -> list[Finding]:
    """``count`` findings, warnings and errors mixed, warnings first in the list."""
    return [
        Finding(
            "requests.balance",
            Severity.WARNING if n % 3 == 0 else Severity.ERROR,
            f"第{n}号问题：第三部分第{n}行的数字与合计不一致，请核对后修改。",
            "requests" if n % 2 else "overview",
        )
        for n in range(1, count + 1)
    ]


def test_the_sheet_names_the_report_and_every_finding(sample: Report) -> None:
    report = _faulty(sample)
    findings = check(report)
    assert any(f.is_error for f in findings) and any(not f.is_error for f in findings)
    remarks = "第一部分总体情况过于简略，请补充本年度主动公开的具体做法。\n第五部分请写明整改情况。"
    data = render_return_sheet(report, findings, county=COUNTY, remarks=remarks)
    pages, text, _ = _read(data)
    assert pages == 1
    assert text.startswith(SHEET_TITLE)
    assert f"报送单位{report.agency}" in text
    assert f"报告年度{report.year}年" in text
    assert f"版本码{version_code(report)}" in text
    errors = sum(f.is_error for f in findings)
    assert f"{ERROR}{errors}条，{WARNING}{len(findings) - errors}条" in text
    messages, parts = _column(data, MESSAGE_COLUMN), _column(data, PART_COLUMN)
    for finding in findings:
        assert _squeeze(finding.message) in messages
        assert _squeeze(part_label(report, finding)) in parts
    # errors first: every error's message before every warning's
    last_error = max(messages.index(_squeeze(f.message)) for f in findings if f.is_error)
    first_warning = min(messages.index(_squeeze(f.message)) for f in findings if not f.is_error)
    assert last_error < first_warning
    for line in remarks.splitlines():
        assert _squeeze(line) in text
    assert f"{REVIEWER}：" in text and "日期：" in text
    assert text.endswith(COUNTY)


def test_forty_findings_still_fit_one_page(sample: Report) -> None:
    findings = _many(40)
    data = render_return_sheet(sample, findings, county=COUNTY, date=dt.date(2024, 2, 5))
    pages, text, _ = _read(data)
    assert pages == 1
    messages = _column(data, MESSAGE_COLUMN)
    shown = [f for f in findings if _squeeze(f.message) in messages]
    counted = re.search(r"另有(\d+)条（错误(\d+)条、需核实(\d+)条）", text)
    assert counted, text
    assert len(shown) + int(counted.group(1)) == 40
    assert len(shown) >= 15  # the smallest type holds a good many
    # the errors come first, so the rows shown are errors
    errors = [f for f in findings if f.is_error]
    assert shown == errors[: len(shown)]
    assert int(counted.group(2)) == len(errors) - len(shown)
    assert int(counted.group(3)) == 40 - len(errors)
    assert "2024年2月5日" in text and text.endswith(COUNTY)


def test_a_few_findings_are_all_listed(example: Report) -> None:
    findings = _many(6)
    data = render_return_sheet(example, findings, county=COUNTY)
    pages, text, _ = _read(data)
    assert pages == 1
    assert "另有" not in text
    messages = _column(data, MESSAGE_COLUMN)
    for finding in findings:
        assert _squeeze(finding.message) in messages
    parts = _column(data, PART_COLUMN)
    assert "三、依申请公开" in parts and "一、总体情况" in parts


def test_without_remarks_there_are_lines_to_write_on(example: Report) -> None:
    _, text, lines = _read(render_return_sheet(example, _many(2), county=COUNTY))
    width = 210 * MM - 2 * 18 * MM
    ruled = [ln for ln in lines if abs(ln["top"] - ln["bottom"]) < 0.1 and ln["width"] > width - 1]
    assert len(ruled) >= BLANK_LINES
    assert "其他意见：" in text
    assert "年月日" in text  # no date given: a blank to write it in


def test_long_remarks_are_cut_not_overflowing(example: Report) -> None:
    remarks = "请补充第一部分的具体数据和做法。" * 200
    pages, text, _ = _read(render_return_sheet(example, _many(30), county=COUNTY, remarks=remarks))
    assert pages == 1
    assert "请补充第一部分" in text and "……" in text
    assert text.endswith(COUNTY)


def test_no_findings_still_a_sheet(example: Report) -> None:
    pages, text, _ = _read(
        render_return_sheet(example, [], county=COUNTY, remarks="标题格式不规范，请修改。")
    )
    assert pages == 1
    assert "标题格式不规范，请修改。" in text
    assert f"{ERROR}0条，{WARNING}0条" in text


@pytest.mark.parametrize("which", ["example", "sample"])
def test_agency_and_year_may_be_given(which: str, request: pytest.FixtureRequest) -> None:
    report: Report = request.getfixturevalue(which)
    data = render_return_sheet(report, [], county=COUNTY, agency="某某县某某镇人民政府", year=2020)
    _, text, _ = _read(data)
    assert "报送单位某某县某某镇人民政府" in text and "报告年度2020年" in text
    # the same input gives the same bytes (the sheet can be compared, previewed, printed)
    assert data == render_return_sheet(
        report, [], county=COUNTY, agency="某某县某某镇人民政府", year=2020
    )
