"""The review sheet (自查表) as the county office reads it: one A4 page with the unit, year,
format and version code, every rule of the format with its result, and lines to sign; read
back from the PDF with pdfplumber."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

import export.review_sheet as review_sheet
import main
from export.review_sheet import (
    ERROR,
    PASSED,
    SHEET_TITLE,
    SIGNERS,
    TO_VERIFY,
    render_review_sheet,
    review_items,
)
from model.checks import check
from model.formats import Severity
from model.report import Report
from model.version import version_code

MM = 72 / 25.4
# The columns of the table of rules (export/review_sheet.py): 序号 9 mm, 检查项 62 mm, 结果 14 mm,
# from the 18 mm margin.
RULE_COLUMN = (27 * MM, 89 * MM)
RESULT_COLUMN = (89 * MM, 103 * MM)
NOTE_COLUMN = (103 * MM, 192 * MM)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _column(page: Any, x: tuple[float, float], top: float, bottom: float) -> str:
    return str(page.crop((x[0] + 0.5, top, x[1] - 0.5, bottom)).extract_text())


def _table_top(page: Any) -> float:
    """The top of the table's header row (the word 检查项)."""
    return float(next(w["top"] for w in page.extract_words() if w["text"] == "检查项")) + 14


def _table_bottom(page: Any) -> float:
    """The foot of the rows of rules: the line under them (rules not listed row by row), or
    the signatures."""
    ends = ("以下", "另有", "填报人")
    return min(float(w["top"]) for w in page.extract_words() if w["text"].startswith(ends)) - 1


def _read(data: bytes) -> tuple[int, str, str, list[str], str]:
    """Pages, all text, the 检查项 column, the 结果 column (a word a row), the 说明 column."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        top, bottom = _table_top(page), _table_bottom(page)
        return (
            len(pdf.pages),
            str(page.extract_text()),
            _squeeze(_column(page, RULE_COLUMN, top, bottom)),
            _column(page, RESULT_COLUMN, top, bottom).split(),
            _squeeze(_column(page, NOTE_COLUMN, top, bottom)),
        )


def _faulty(report: Report) -> Report:
    """Part 三 out of balance: one more 予以公开 than requests received."""
    fmt = report.format
    key = next(k for k in fmt.input_keys if k.startswith("requests.") and ".granted." in k)
    return dataclasses.replace(report, cells={**report.cells, key: report.cells.get(key, 0) + 1})


@pytest.mark.parametrize("which", ["example", "sample"])
def test_every_rule_with_its_result_on_one_page(which: str, request: pytest.FixtureRequest) -> None:
    report: Report = request.getfixturevalue(which)
    findings = check(report)
    rendered = render_review_sheet(report, findings)
    pages, text, rules, results, _ = _read(rendered.data)
    assert pages == rendered.pages == 1
    flat = _squeeze(text)
    assert SHEET_TITLE in flat
    assert f"填报单位{report.agency}" in flat
    assert f"报告年度{report.year}年" in flat
    assert f"{report.format_id}年格式（{report.format.document}）" in flat
    assert f"版本码{version_code(report)}" in flat
    for signer in (*SIGNERS, "日期"):
        assert f"{signer}：" in flat
    # every rule of the format, in the format's order, one row each with its result
    at = 0
    items = review_items(report, findings)
    listed = [i for i in items if _squeeze(i.rule.summary) in rules]
    for item in listed:  # the rows of the table, in the format's order
        found = rules.find(_squeeze(item.rule.summary), at)
        assert found >= 0, item.rule.summary
        at = found + 1
    assert results == [item.result for item in listed]
    # the rules without a row of their own passed, and are named below the table
    for number, item in enumerate(items, 1):
        if item not in listed:
            assert item.passed
            assert f"{number}.{_squeeze(item.rule.summary)}" in flat
    assert f"共{len(report.format.rules)}项" in flat


def test_a_fault_is_an_error_row_with_its_message(example: Report) -> None:
    report = _faulty(example)
    findings = check(report)
    balance = [f for f in findings if f.rule == "requests.balance"]
    assert balance and balance[0].severity is Severity.ERROR
    _, text, _, results, notes = _read(render_review_sheet(report, findings).data)
    rules = [rule.id for rule in report.format.rules]
    assert results[rules.index("requests.balance")] == ERROR
    assert _squeeze(balance[0].message)[:30] in notes
    assert TO_VERIFY not in results or any(not f.is_error for f in findings)
    assert "错误1项" in _squeeze(text)


def test_a_warning_reads_to_verify(example: Report) -> None:
    report = dataclasses.replace(example, agency="某某县某某镇人民政府", signature_agency=None)
    report = dataclasses.replace(report, texts={**report.texts, "problems": "甲" * 10})
    previous = dataclasses.replace(report, year=report.year - 1)
    findings = check(report, previous)
    warned = {f.rule for f in findings if f.severity is Severity.WARNING}
    assert "problems.repeated" in warned
    _, _, _, results, _ = _read(render_review_sheet(report, findings).data)
    rules = [rule.id for rule in report.format.rules]
    assert results[rules.index("problems.repeated")] == TO_VERIFY


def test_without_last_year_a_comparison_says_so(sample: Report) -> None:
    _, _, _, _, notes = _read(render_review_sheet(sample, check(sample), False).data)
    assert review_sheet.NOT_COMPARED in notes
    _, _, _, _, notes = _read(render_review_sheet(sample, check(sample), True).data)
    assert review_sheet.NOT_COMPARED not in notes


def test_more_rules_than_fit_still_one_page(
    example: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A format with many more rules (here each rule five times over, the first one failing):
    one page, the problem kept, and a line saying how many are not listed."""
    report = _faulty(example)
    findings = check(report)
    real = review_sheet.review_items

    def many(*args: Any) -> list[review_sheet.ReviewItem]:
        return real(*args) * 6

    monkeypatch.setattr(review_sheet, "review_items", many)
    rendered = render_review_sheet(report, findings)
    pages, text, _, results, _ = _read(rendered.data)
    flat = _squeeze(text)
    assert pages == 1
    total = len(report.format.rules) * 6
    assert f"共{total}项" in flat
    listed = len(results)
    assert 0 < listed < total
    passed = sum(item.passed for item in many(report, findings, True))
    assert f"另有{passed - results.count(PASSED)}项均为“通过”，未列出。" in flat
    assert results.count(ERROR) == 6  # the failing rule is never the one left out


def test_fonts_embedded_and_bytes_reproducible(sample: Report) -> None:
    data = render_review_sheet(sample, check(sample)).data
    assert data.count(b"/FontFile2") == len(re.findall(rb"/Type /FontDescriptor", data)) > 0
    base_fonts = re.findall(rb"/BaseFont /([^ /\n]+)", data)
    assert base_fonts and all(re.match(rb"[A-Z]{6}\+", name) for name in base_fonts), base_fonts
    assert render_review_sheet(sample, check(sample)).data == data


EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
EXAMPLE_FILE = EXAMPLES / "example-2019-township.nianbao.json"


def test_command_line_export_review_sheet(tmp_path: Path, example: Report) -> None:
    db = str(tmp_path / "reports.sqlite3")
    assert main.main(["--db", db, "import", str(EXAMPLE_FILE)]) == 0
    sheet, report_pdf = tmp_path / "自查表.pdf", tmp_path / "报告.pdf"
    args = ["--agency", example.agency, "--year", str(example.year)]
    assert (
        main.main(
            ["--db", db, "export", *args, "--review-sheet", str(sheet), "--pdf", str(report_pdf)]
        )
        == 0
    )
    pages, text, rules, results, _ = _read(sheet.read_bytes())
    flat = _squeeze(text)
    assert pages == 1 and report_pdf.read_bytes().startswith(b"%PDF")
    assert example.agency in flat and f"{example.year}年" in flat
    assert version_code(example) in flat
    items = review_items(example, check(example))
    for number, item in enumerate(items, 1):  # a row, or named among those that passed
        summary = _squeeze(item.rule.summary)
        assert summary in rules or f"{number}.{summary}" in flat
    assert results and set(results) <= {PASSED, TO_VERIFY, ERROR}
    for signer in (*SIGNERS, "日期"):
        assert f"{signer}：" in flat
    # straight from the file, alone; then again over the earlier sheet
    from_file = tmp_path / "从文件.pdf"
    for _ in range(2):
        assert (
            main.main(
                [
                    "--db",
                    db,
                    "export",
                    "--file",
                    str(EXAMPLE_FILE),
                    "--review-sheet",
                    str(from_file),
                ]
            )
            == 0
        )
        assert version_code(example) in _squeeze(_read(from_file.read_bytes())[1])


def test_command_line_never_replaces_another_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.pdf"
    notes.write_text("我的笔记", encoding="utf-8")
    status = main.main(
        [
            "--db",
            str(tmp_path / "db.sqlite3"),
            "export",
            "--file",
            str(EXAMPLE_FILE),
            "--review-sheet",
            str(notes),
        ]
    )
    assert status == 2
    assert "不是本程序导出的PDF文件" in capsys.readouterr().err
    assert notes.read_text(encoding="utf-8") == "我的笔记"
