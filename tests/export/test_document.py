"""The neutral document: built from the format definition, every value as printed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from export.document import Paragraph, Table, build_document, paragraphs
from model.calc import all_values
from model.formats.layout import Role, part_grid
from model.report import Report
from model.values import date_text


def test_sections_are_the_six_parts_of_the_format(example: Report, sample: Report) -> None:
    for report in (example, sample):
        document = build_document(report)
        assert [s.heading for s in document.sections] == [p.heading for p in report.format.parts]
        assert document.sections[0].heading == "一、总体情况"


def test_title_signature_and_metadata(example: Report, sample: Report) -> None:
    document = build_document(example)
    assert document.title == "古城回族乡政府信息公开年度报告"
    assert document.author == document.signature == "古城回族乡人民政府"
    assert document.date == ""  # the example has no date: none is invented
    assert build_document(sample).date == "2023年1月18日"


@pytest.mark.parametrize(
    ("date", "printed"),
    [(dt.date(2020, 1, 20), "2020年1月20日"), (dt.date(2021, 10, 5), "2021年10月5日")],
)
def test_dates_have_no_zero_padding(date: dt.date, printed: str) -> None:
    assert date_text(date) == printed


def test_text_splits_into_paragraphs_on_newlines() -> None:
    assert paragraphs("第一段。\n\n  第二段。\r\n\u3000\u3000第三段。") == (
        Paragraph("第一段。"),
        Paragraph("第二段。"),
        Paragraph("第三段。"),
    )
    assert paragraphs("") == ()


def test_a_numbered_heading_opens_its_paragraph() -> None:
    (first, second, third, fourth) = paragraphs(
        "（一）加强组织领导，明确任务分工。乡长为主要责任人。\n"
        "一、总体情况\n"
        "（二）个别村委会对政务公开、政府信息公开工作重要性认识不够，主动公开积极性不高，宣传教育工作还有待提高。\n"
        "1.一般段落。"
    )
    assert (first.lead, first.text, first.lead_level) == (
        "（一）加强组织领导，明确任务分工。",
        "乡长为主要责任人。",
        2,
    )
    assert (second.lead, second.text, second.lead_level) == ("一、总体情况", "", 1)
    # A long sentence, not a heading: only its numeral is a lead, in the face of （一）'s (issue 16).
    assert (third.lead, third.lead_level) == ("（二）", 2) and third.text.startswith("个别村委会")
    assert fourth == Paragraph("1.一般段落。")


def test_every_numeral_of_a_list_is_in_one_face() -> None:
    """（三） opens with a long sentence where （一） and （二） open with headings: its numeral is
    still a lead, printed in the same face as theirs, and its sentence stays body text."""
    long = (
        "本年度我单位严格按照条例要求认真做好政府信息公开工作，主动公开各类信息，及时回应社会关切。"
    )
    listed = paragraphs(
        f"（一）加强组织领导。按要求开展工作。\n（二）完善制度。\n（三）{long}\n其他。"
    )
    assert [(p.lead, p.lead_level) for p in listed] == [
        ("（一）加强组织领导。", 2),
        ("（二）完善制度。", 2),
        ("（三）", 2),
        ("", 0),
    ]
    assert listed[2].text == long
    # A lone long item in a text without headings stays a plain paragraph.
    assert paragraphs(f"（一）{long}") == (Paragraph(f"（一）{long}"),)


def test_tables_have_the_official_grids(example: Report) -> None:
    document = build_document(example)
    fmt = example.format
    for section in document.sections:
        part = fmt.part(section.key)
        if not part.tables:
            continue
        (table,) = section.blocks
        assert isinstance(table, Table)
        grid = part_grid(fmt, part.key)
        assert (table.rows, table.columns, table.header_rows) == (
            grid.rows,
            grid.columns,
            grid.header_rows,
        )
        for printed, cell in zip(table.cells, grid.cells, strict=True):
            assert (printed.row, printed.col, printed.rowspan, printed.colspan) == (
                cell.row,
                cell.col,
                cell.rowspan,
                cell.colspan,
            )
            if cell.role is not Role.VALUE:
                assert printed.text == cell.text


def test_every_value_is_printed_blanks_as_zero_money_with_unit(example: Report) -> None:
    sparse = dataclasses.replace(example, cells={"art20_9.procurement.amount": Decimal("67.74")})
    document = build_document(sparse)
    values = all_values(sparse.format, sparse.cells)
    printed = {
        c.key: c.text
        for s in document.sections
        for b in s.blocks
        if isinstance(b, Table)
        for c in b.cells
        if c.key
    }
    assert set(printed) == set(values)
    assert printed["art20_9.procurement.amount"] == "67.74万元"
    assert printed["requests.new.total"] == "0"
    assert printed["art20_1.rules.made"] == "0"


def test_a_unit_in_the_label_is_not_repeated(sample: Report) -> None:
    table = build_document(sample).sections[1].blocks[0]
    assert isinstance(table, Table)
    assert table.cell("art20_8.fees.amount").text == "126.4370"  # 本年收费金额（单位：万元）


def test_derived_totals_are_computed(sample: Report) -> None:
    table = build_document(sample).sections[2].blocks[0]
    assert isinstance(table, Table)
    assert table.cell("requests.new.total").text == "53"
    assert table.cell("requests.handled.total").text == "54"
