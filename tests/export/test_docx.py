"""The Word file read back: every table cell's text and spans against the data and the template
grid, headings and paragraphs in order and in their named styles, East Asian fonts, A4 with the
official margins, the PAGE field, reproducible bytes; and, through LibreOffice, every number on
the converted pages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from export.document import Document, Paragraph, Table, build_document, format_value
from export.docx import (
    BODY,
    HEADING_1,
    HEADING_2,
    JOINER,
    PARAGRAPH_STYLES,
    TITLE,
    file_time,
    render_docx,
)
from model.calc import all_values
from model.formats.layout import Role, part_grid
from model.report import Report

from .libreoffice import convert, soffice


@dataclass
class Written:
    report: Report
    document: Document
    data: bytes
    word: Any  # python-docx Document, reopened from the bytes


def _write(report: Report) -> Written:
    data = render_docx(report)
    return Written(report, build_document(report), data, docx.Document(io.BytesIO(data)))


@pytest.fixture(scope="module", params=["example", "sample"])
def written(request: pytest.FixtureRequest) -> Written:
    return _write(request.getfixturevalue(request.param))


def plain(text: str) -> str:
    """Text as the reader sees it: the zero-width joiners between numbers and units left out."""
    return text.replace(JOINER, "")


def _tables(document: Document) -> list[Table]:
    return [b for s in document.sections for b in s.blocks if isinstance(b, Table)]


# ---------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class ReadCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    vertical: bool


def _read_table(tbl: Any) -> list[ReadCell]:
    """The cells of a w:tbl with their spans, from gridSpan and vMerge alone."""
    starts: dict[tuple[int, int], ReadCell] = {}
    below: dict[int, ReadCell] = {}  # column → the merged cell still open there
    for row, tr in enumerate(tbl.findall(qn("w:tr"))):
        col = 0
        for tc in tr.findall(qn("w:tc")):
            props = tc.find(qn("w:tcPr"))
            span_el = props.find(qn("w:gridSpan"))
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            merge = props.find(qn("w:vMerge"))
            text = plain("".join(t.text or "" for t in tc.iter(qn("w:t"))))
            direction = props.find(qn("w:textDirection"))
            if merge is not None and merge.get(qn("w:val")) != "restart":
                above = below[col]
                assert above.colspan == span and not text
                grown = dataclasses.replace(above, rowspan=above.rowspan + 1)
                starts[above.row, above.col] = below[col] = grown
            else:
                cell = ReadCell(row, col, 1, span, text, direction is not None)
                starts[row, col] = cell
                if merge is not None:
                    below[col] = cell
                else:
                    below.pop(col, None)
            col += span
    return sorted(starts.values(), key=lambda c: (c.row, c.col))


def test_every_table_cell_has_its_text_and_the_template_spans(written: Written) -> None:
    report = written.report
    fmt = report.format
    values = all_values(fmt, report.cells)
    word_tables = written.word.element.body.findall(qn("w:tbl"))
    table_parts = [p for p in fmt.parts if p.text is None]
    assert len(word_tables) == len(table_parts) == len(_tables(written.document))
    for part, tbl in zip(table_parts, word_tables, strict=True):
        grid = part_grid(fmt, part.key)
        read = {(c.row, c.col): c for c in _read_table(tbl)}
        assert len(read) == len(grid.cells)
        for cell in grid.cells:
            got = read[cell.row, cell.col]
            assert (got.rowspan, got.colspan) == (cell.rowspan, cell.colspan), cell
            assert got.vertical == cell.vertical, cell
            if cell.role is Role.VALUE:
                assert cell.key is not None
                expected = format_value(report, cell.key, values.get(cell.key, 0))
                assert re.fullmatch(r"-?\d+(\.\d+)?(万元|元)?", expected), expected
            else:
                expected = cell.text
            assert got.text == expected, cell
        gridcols = tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
        assert len(gridcols) == grid.columns
        assert sum(int(g.get(qn("w:w"))) for g in gridcols) == round(156 / 25.4 * 1440)


def test_official_merged_headers(written: Written) -> None:
    """申请人情况 over seven columns, 法人或其他组织 over five, part 三's vertical groups, and
    part 四's 行政复议 | 行政诉讼 header."""
    requests, appeals = written.word.element.body.findall(qn("w:tbl"))[1:3]
    by_text = {c.text: c for c in _read_table(requests)}
    assert by_text["申请人情况"].colspan == 7
    assert by_text["法人或其他组织"].colspan == 5
    assert by_text["三、本年度办理结果"].vertical
    groups = [c for c in _tables(written.document)[1].cells if c.role is Role.GROUP]
    assert {g.text for g in groups} >= {"三、本年度办理结果", "（三）不予公开", "（五）不予处理"}
    for group in groups:
        assert by_text[group.text].vertical
        assert by_text[group.text].rowspan == group.rowspan > 1
    top = [c for c in _read_table(appeals) if c.row == 0]
    assert [(c.text, c.colspan) for c in top] == [("行政复议", 5), ("行政诉讼", 10)]
    directions = {e.get(qn("w:val")) for e in requests.iter(qn("w:textDirection"))}
    assert directions == {"tbRl"}  # CJK upright, one character a line


def test_header_rows_repeat_on_a_new_page(written: Written) -> None:
    for table, tbl in zip(
        _tables(written.document), written.word.element.body.findall(qn("w:tbl")), strict=True
    ):
        rows = tbl.findall(qn("w:tr"))
        repeated = [tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None for tr in rows]
        assert repeated == [i < table.header_rows for i in range(table.rows)]


# ---------------------------------------------------------------------------- text


def _expected_paragraphs(document: Document) -> list[tuple[str, str]]:
    def paragraph(p: Paragraph) -> tuple[str, str]:
        if p.lead and not p.text:
            return ({1: HEADING_1, 2: HEADING_2}[p.lead_level].name, p.lead)
        return (BODY.name, p.full_text)

    out = [(TITLE.name, "\n".join(document.title_lines)), *map(paragraph, document.preamble)]
    for section in document.sections:
        out.append((HEADING_1.name, section.heading))
        out += [paragraph(b) for b in section.blocks if isinstance(b, Paragraph)]
    out += [(BODY.name, line) for line in (document.signature, document.date) if line]
    return out


def test_headings_and_paragraphs_in_order_in_their_styles(written: Written) -> None:
    got = [(p.style.name, plain(p.text)) for p in written.word.paragraphs if p.text]
    assert got == _expected_paragraphs(written.document)


def test_tables_stand_under_their_headings(written: Written) -> None:
    body = written.word.element.body
    order = []
    for element in body:
        if element.tag == qn("w:tbl"):
            order.append("table")
        elif element.tag == qn("w:p") and (
            text := plain("".join(t.text for t in element.iter(qn("w:t"))))
        ):
            order.append(text)
    for section in written.document.sections:
        if any(isinstance(b, Table) for b in section.blocks):
            assert order[order.index(section.heading) + 1] == "table"


def test_a_heading_that_opens_a_paragraph_has_its_character_style(written: Written) -> None:
    leads = [p for s in written.document.sections for p in s.blocks if isinstance(p, Paragraph)]
    leads = [p for p in leads if p.lead and p.text]
    assert leads
    runs = {plain(r.text): r.style.name for p in written.word.paragraphs for r in p.runs}
    for p in leads:
        assert runs[p.lead] == f"{'一级标题' if p.lead_level == 1 else '二级标题'} 字符"
        assert runs[p.text] == "Default Paragraph Font"


# ---------------------------------------------------------------------------- styles and fonts


def _east_asian(style: Any) -> str | None:
    fonts = style.element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_named_styles_exist_are_used_and_name_east_asian_fonts(written: Written) -> None:
    styles = written.word.styles
    expected = {
        "标题": "方正小标宋简体",
        "一级标题": "黑体",
        "二级标题": "楷体_GB2312",
        "正文": "仿宋_GB2312",
        "表格": "宋体",
    }
    assert [s.name for s in PARAGRAPH_STYLES] == list(expected)
    for name, font in expected.items():
        style = styles[name]
        assert _east_asian(style) == font
        assert style.font.name == font  # ascii/hAnsi too, so digits match the text around them
    assert styles["正文"].font.size.pt == 16
    assert styles["标题"].font.size.pt == 22
    used = {p.style.name for p in written.word.paragraphs}
    for table in written.word.tables:
        used |= {p.style.name for row in table.rows for c in row.cells for p in c.paragraphs}
    assert {"标题", "一级标题", "正文", "表格"} <= used
    # the document defaults name the body face too, for anything an editor adds unstyled
    defaults = written.word.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:eastAsiaTheme")) is None


def test_font_table_says_what_to_substitute() -> None:
    from model.datafile import read_datafile

    from .conftest import EXAMPLE

    word = docx.Document(io.BytesIO(render_docx(read_datafile(EXAMPLE.read_bytes()))))
    part = word.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    )
    xml = part.blob.decode("utf-8")
    assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', xml)
    assert re.search(r'w:name="楷体_GB2312"><w:altName w:val="楷体"/>', xml)


def test_second_level_style_is_used_by_a_heading_alone_on_its_line(example: Report) -> None:
    report = dataclasses.replace(example, texts={**example.texts, "problems": "（一）存在的问题"})
    word = _write(report).word
    assert ("二级标题", "（一）存在的问题") in [(p.style.name, p.text) for p in word.paragraphs]


# ---------------------------------------------------------------------------- the page


def test_a4_portrait_with_the_official_margins(written: Written) -> None:
    (section,) = written.word.sections
    tolerance = Mm(0.01)
    for got, mm in [
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.left_margin, 28),
        (section.right_margin, 210 - 28 - 156),
        (section.bottom_margin, 297 - 37 - 225),
    ]:
        assert abs(got - Mm(mm)) <= tolerance, (got, mm)
    assert section.orientation == 0  # portrait, as the PDF


def _footer_text(footer: Any) -> str:
    return "".join(t.text for t in footer._element.iter(qn("w:t")))


def test_page_numbers_are_a_page_field_odd_right_even_left(written: Written) -> None:
    (section,) = written.word.sections
    assert written.word.settings.odd_and_even_pages_header_footer
    for footer, side in [(section.footer, "right"), (section.even_page_footer, "left")]:
        xml = footer._element.xml
        assert [e.get(qn("w:fldCharType")) for e in footer._element.iter(qn("w:fldChar"))] == [
            "begin",
            "separate",
            "end",
        ]
        assert [e.text for e in footer._element.iter(qn("w:instrText"))] == [" PAGE "]
        assert _footer_text(footer) == "— 1 —"
        (paragraph,) = footer.paragraphs
        assert paragraph.alignment.name.lower() == side
        assert f'w:{side}="280"' in xml  # one 14 pt character in


# ---------------------------------------------------------------------------- the file


def test_same_report_same_bytes_and_dates_from_the_report(written: Written) -> None:
    assert render_docx(written.report) == written.data
    props = written.word.core_properties
    assert props.title == written.document.title
    assert props.author == written.report.agency
    assert props.created == props.modified == file_time(written.report)


def test_file_time_is_the_signature_date() -> None:
    report = Report("2021", "某局", 2022, signature_date=dt.date(2023, 1, 18))
    assert file_time(report) == dt.datetime(2023, 1, 18, tzinfo=dt.UTC)
    assert file_time(Report("2021", "某局", 2022)) == dt.datetime(2023, 1, 1, tzinfo=dt.UTC)


def test_rare_characters_survive_and_control_characters_go(stress: Report) -> None:
    report = dataclasses.replace(
        stress, texts={**stress.texts, "other_matters": "粘贴来的\x01文字\x1f。"}
    )
    word = _write(report).word
    text = "\n".join(p.text for p in word.paragraphs)
    assert "䶮𠀀" in text
    assert "粘贴来的文字。" in text


# ---------------------------------------------------------------------------- LibreOffice


def _norm(text: str) -> str:
    """Running text for comparison: no spaces, and no zero-width characters (LibreOffice's
    PDF reports the joiner, and even a space of its Song face, as U+200D)."""
    return re.sub(r"[\s\u200b-\u200d\u2060]+", "", unicodedata.normalize("NFKC", text))


@dataclass
class Converted:
    written: Written
    pages: list[Any]  # pdfplumber pages

    def text(self) -> str:
        """The running text, page numbers left out."""
        lines = [line for page in self.pages for line in (page.extract_text() or "").splitlines()]
        return _norm(
            "".join(line for line in lines if not re.fullmatch(r"—[ \u200d]*\d+[ \u200d]*—", line))
        )


@pytest.fixture(scope="module")
def converted(
    example: Report, sample: Report, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Converted]]:
    """The example and the 2021 sample converted in one LibreOffice run (it is slow)."""
    if soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing on CI: .ci/run should have installed it")
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs it")
    folder = tmp_path_factory.mktemp("libreoffice")
    written = {"example": _write(example), "sample": _write(sample)}
    files = []
    for name, w in written.items():
        path = folder / f"{name}.docx"
        path.write_bytes(w.data)
        files.append(path)
    pdfs = convert(files, folder)
    opened = [pdfplumber.open(p) for p in pdfs]
    yield {
        name: Converted(w, list(pdf.pages))
        for (name, w), pdf in zip(written.items(), opened, strict=True)
    }
    for pdf in opened:
        pdf.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["example", "sample"])
def test_libreoffice_prints_every_number_row_by_row(
    converted: dict[str, Converted], name: str
) -> None:
    """Each table row's numbers, in order, stand in the converted text, the rows in order."""
    done = converted[name]
    text, at = done.text(), 0
    for table in _tables(done.written.document):
        for row in range(table.rows):
            numbers = sorted(
                (c for c in table.cells if c.row == row and c.numeric), key=lambda c: c.col
            )
            if not numbers:
                continue
            piece = _norm("".join(c.text for c in numbers))
            found = text.find(piece, at)
            assert found >= 0, f"row {row} of a table: {piece} not found after {text[at : at + 60]}"
            at = found + len(piece)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["example", "sample"])
def test_libreoffice_pages_are_a4_with_text_and_page_numbers(
    converted: dict[str, Converted], name: str
) -> None:
    done = converted[name]
    for number, page in enumerate(done.pages, start=1):
        assert (round(page.width), round(page.height)) == (595, 842)
        # (LibreOffice's PDF may report the spaces of its Song face as U+200D)
        assert re.search(rf"—[\s\u200d]*{number}[\s\u200d]*—", page.extract_text() or ""), number
    text = done.text()
    for piece in _expected_paragraphs(done.written.document):
        assert _norm(piece[1]) in text, piece[1][:30]


def test_the_libreoffice_helper_finds_its_fonts(tmp_path: Path) -> None:
    """The fontconfig file maps every face the .docx names to a shipped font."""
    from export.docx import FONTS

    from .libreoffice import ALIASES, fontconfig
    from .libreoffice import FONTS as SHIPPED

    config = fontconfig(tmp_path).read_text(encoding="utf-8")
    assert str(SHIPPED) in config
    assert {f.name for f in FONTS} <= set(ALIASES)


def test_every_name_the_rule_admits_goes_into_the_document_properties(example: Report) -> None:
    """Word caps a property at 255 characters and XML refuses control characters: a title up
    to the schema's limit, with a line break, and names of rare characters still export."""
    from model.schema import MAX_TITLE

    title = "题" * (MAX_TITLE - 4) + "\n第二行"
    agency = "古城\U00020000\ue000乡" + "长" * 250
    report = dataclasses.replace(example, title=title, agency=agency)
    word = docx.Document(io.BytesIO(render_docx(report)))
    props = word.core_properties
    assert len(props.title) == 255 and props.title.startswith("题" * 254)
    assert props.title.endswith("…")
    assert props.author.startswith("古城\U00020000\ue000乡") and len(props.author) <= 255
    title_text = word.paragraphs[0].text.replace("\n", "")
    assert "题" * (MAX_TITLE - 4) in title_text  # the document keeps it whole


def test_stray_control_characters_never_break_the_file(example: Report) -> None:
    """A report from an older database may hold what the rule now refuses."""
    report = dataclasses.replace(example, title="标题\x01\x0b", agency="古城\x1b乡")
    word = docx.Document(io.BytesIO(render_docx(report)))
    assert word.core_properties.title == "标题" and word.core_properties.author == "古城乡"


def test_a_long_agency_breaks_between_names_in_word_too(sample: Report) -> None:
    """The 落款 of a name too long for one line: a paragraph per name, each 右空二字, never a
    line break inside a word (Word would break “管 / 理委员会” where the line ends)."""
    name = "中共平潭综合实验区工作委员会办公室（平潭综合实验区管理委员会办公室）"
    report = dataclasses.replace(sample, signature_agency=name)
    word = docx.Document(io.BytesIO(render_docx(report)))
    texts = [p.text.replace(JOINER, "") for p in word.paragraphs]
    at = texts.index("中共平潭综合实验区工作委员会办公室")
    assert texts[at : at + 3] == [
        "中共平潭综合实验区工作委员会办公室",
        "（平潭综合实验区管理委员会办公室）",
        "2023年1月18日",
    ]
    second = word.paragraphs[at + 1].paragraph_format
    assert second.right_indent == Pt(2 * 16)  # 右空二字
