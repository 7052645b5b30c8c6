"""A third format is purely additive: registered in the one list of formats, with nothing else
changed, it goes through every path the real ones do (issue 14).

The format (tests/third_format.py) is the 2021 format with one more row in part 二 and a
seventh, text part.  Each test follows one path: the year's format, the printed grid, totals
and checks, the JSON Schema, the data file, the database, and the PDF and Word files read back.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import docx
import pdfplumber
import pytest
from jsonschema import Draft202012Validator

from export.renderers import renderer
from model import ops
from model.calc import all_values
from model.checks import check
from model.datafile import read_datafile, write_datafile
from model.db import Database, open_database
from model.drafts import overview_draft
from model.errors import UserError
from model.formats import FORMATS, ReportFormat, format_for_year
from model.formats.layout import Role, part_grid
from model.report import Report
from model.schema import build_schema
from tests.third_format import (
    FORMAT_ID,
    NEW_CELL,
    NEW_HEADING,
    NEW_ROW_LABEL,
    NEW_TEXT,
    YEAR,
    third_format,
)

__all__ = ["third_format"]  # the fixture, imported for pytest

AGENCY = "古城回族乡人民政府"
NEW_FIGURE = 4321
ATTACHMENT = "附件一为本机关政府信息公开指南，附件二为依申请公开流程图。"


@pytest.fixture
def report(third_format: ReportFormat) -> Report:
    """A 2091 report with the new row, the seventh part and some of the old cells filled."""
    return Report(
        format_id=third_format.id,
        agency=AGENCY,
        year=YEAR,
        cells={NEW_CELL: NEW_FIGURE, "requests.new.natural": 5, "requests.granted.natural": 3},
        texts={"overview": "本年度共收到申请5件。", NEW_TEXT: ATTACHMENT},
    )


def test_the_year_chooses_it_and_only_from_its_first_year(third_format: ReportFormat) -> None:
    assert format_for_year(YEAR) is third_format
    assert format_for_year(YEAR + 5) is third_format
    assert format_for_year(YEAR - 1).id == "2021"


def test_it_leaves_the_list_when_the_test_ends() -> None:
    assert FORMAT_ID not in FORMATS
    assert format_for_year(YEAR).id == "2021"


def test_the_grid_of_part_two_has_the_new_row(third_format: ReportFormat) -> None:
    grid = part_grid(third_format, "active")
    labels = [c for c in grid.cells if c.role is Role.LABEL and c.text == NEW_ROW_LABEL]
    values = [c for c in grid.value_cells() if c.key == NEW_CELL]
    assert len(labels) == 1
    assert len(values) == 1
    assert values[0].row == labels[0].row
    assert (
        third_format.cells[NEW_CELL].place
        == f"第二十条第（六）项“{NEW_ROW_LABEL}”行“本年处理决定数量”列"
    )


def test_totals_and_checks_run(report: Report) -> None:
    values = all_values(report.format, report.cells)
    assert values[NEW_CELL] == NEW_FIGURE
    assert values["requests.new.total"] == 5
    assert values["requests.handled.total"] == 3
    findings = check(report)
    balance = [f for f in findings if f.rule == "requests.balance"]
    assert [f.message for f in balance] == [
        "第三部分“自然人”列：第一项加第二项为5，第三项加第四项为3，不相等（相差2）"
    ]
    assert not [f for f in findings if f.rule == "format.year"]


def test_a_report_in_it_for_an_earlier_year_is_told_of_the_format_in_force(
    third_format: ReportFormat,
) -> None:
    early = Report(format_id=third_format.id, agency=AGENCY, year=YEAR - 1)
    [finding] = [f for f in check(early) if f.rule == "format.year"]
    assert finding.message == f"{YEAR - 1}年度的报告应使用2021格式，本报告使用的是{FORMAT_ID}格式"


def test_the_schema_describes_it_and_accepts_its_file(
    third_format: ReportFormat, report: Report
) -> None:
    schema = build_schema()
    assert FORMAT_ID in schema["properties"]["format"]["enum"]
    assert NEW_CELL in schema["$defs"][f"cells_{FORMAT_ID}"]["properties"]
    assert NEW_TEXT in schema["$defs"][f"texts_{FORMAT_ID}"]["properties"]
    validator = Draft202012Validator(schema)
    doc = json.loads(write_datafile(report))
    assert list(validator.iter_errors(doc)) == []
    doc["format"] = "2021"  # the real formats have neither the row nor the part
    assert not validator.is_valid(doc)


def test_a_data_file_round_trip_keeps_the_row_and_the_part(report: Report) -> None:
    text = write_datafile(report)
    assert list(json.loads(text)["texts"]) == ["overview", NEW_TEXT]
    assert read_datafile(text.encode("utf-8")) == report


def test_a_data_file_in_the_old_format_may_not_have_them(report: Report) -> None:
    doc = json.loads(write_datafile(report))
    doc["format"] = "2021"
    refused = _refusal(json.dumps(doc, ensure_ascii=False))
    assert (
        f"cells.{NEW_CELL}：这是{FORMAT_ID}格式的单元格，本文件是2021格式（该格式没有这一项）"
        in refused
    )
    assert f"texts：未知的字段“{NEW_TEXT}”" in refused


def _refusal(text: str) -> list[str]:
    with pytest.raises(Exception) as refused:
        read_datafile(text.encode("utf-8"))
    return list(getattr(refused.value, "problems", []))


@pytest.fixture
def database(tmp_path: Path, third_format: ReportFormat) -> Iterator[tuple[Path, Database]]:
    path = tmp_path / "nianbao.sqlite3"
    with open_database(path) as db:
        yield path, db


def test_a_database_round_trip_keeps_the_row_and_the_part(
    database: tuple[Path, Database], report: Report
) -> None:
    path, db = database
    created = ops.create_report(db, AGENCY, YEAR)
    assert created.format_id == FORMAT_ID
    ops.set_cell(db, created.report_id, NEW_CELL, NEW_FIGURE)
    ops.set_text(db, created.report_id, NEW_TEXT, ATTACHMENT)
    with open_database(path) as fresh:
        stored = ops.load_report(fresh, created.report_id)
    assert stored.format is FORMATS[FORMAT_ID]
    assert stored.cells == {NEW_CELL: NEW_FIGURE}
    assert stored.texts == {NEW_TEXT: ATTACHMENT}
    saved = ops.save_report(db, report, replace=True)
    assert ops.load_report(db, saved) == report


def test_the_old_format_refuses_them_in_the_database(database: tuple[Path, Database]) -> None:
    _, db = database
    created = ops.create_report(db, AGENCY, YEAR, format_id="2021")
    with pytest.raises(ops.OperationError, match=f"没有名为“{NEW_TEXT}”的文字部分"):
        ops.set_text(db, created.report_id, NEW_TEXT, ATTACHMENT)
    with pytest.raises(ops.OperationError):
        ops.set_cell(db, created.report_id, NEW_CELL, NEW_FIGURE)


# ---------------------------------------------------------------------------- exports


def _flat(text: str) -> str:
    """Text for comparison, as tests/export does: NFKC, no white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return _flat("".join(page.extract_text() for page in pdf.pages))


def _docx_text(data: bytes) -> str:
    word = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return _flat("".join([p.text for p in word.paragraphs] + cells))


@pytest.mark.parametrize("name", ["pdf", "docx"])
def test_the_exports_print_the_row_and_the_part(report: Report, name: str) -> None:
    data = renderer(name).render(report).data
    text = _pdf_text(data) if name == "pdf" else _docx_text(data)
    for printed in (NEW_ROW_LABEL, str(NEW_FIGURE), NEW_HEADING, ATTACHMENT):
        assert _flat(printed) in text
    # the seventh part comes after the sixth
    assert text.index(_flat(NEW_HEADING)) > text.index(_flat("六、其他需要报告的事项"))


def test_the_word_file_prints_the_figure_in_the_new_row(report: Report) -> None:
    word = docx.Document(io.BytesIO(renderer("docx").render(report).data))
    rows = [[c.text for c in row.cells] for table in word.tables for row in table.rows]
    [row] = [r for r in rows if NEW_ROW_LABEL in r]
    assert str(NEW_FIGURE) in row


def test_the_overview_draft_reads_its_tables(report: Report) -> None:
    assert overview_draft(report) == (
        "本年度共新收政府信息公开申请5件，上年结转0件；办结3件，其中予以公开3件，部分公开0件，"
        "不予公开0件，无法提供0件，不予处理0件，其他处理0件；结转下年度继续办理0件。"
        "本年度因政府信息公开被申请行政复议0件，被提起行政诉讼0件。"
    )


def test_a_year_no_format_covers_is_refused_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(FORMATS, "2021")  # the 2019 format alone ends with 2020
    with pytest.raises(UserError, match="没有适用于2025年度的报告格式"):
        format_for_year(2025)
    assert format_for_year(2005).id == "2019"  # earlier years: the earliest format
