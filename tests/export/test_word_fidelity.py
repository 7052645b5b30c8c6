"""The Word file as faithful as the PDF (issue 16): the 28 × 22 document grid, numbers kept
with their units, no stray half-line gaps, the page number 7 mm under the type area, headings
kept with their text, the title's lines and the 落款 — read from the Word XML and measured on
LibreOffice's rendering of the file — and page breaks that match the PDF's."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from export.document import Document, Paragraph, build_document
from export.docx import EXACT_LINE, JOINER, LINE_CHARS, render_docx
from export.geometry import BODY_SIZE, LEFT, MM, TOP, TYPE_HEIGHT, TYPE_WIDTH
from export.linebreak import UNITS
from export.pdf import render_pdf
from model.report import Report

from .conftest import stress_report
from .libreoffice import convert, soffice

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RIGHT = LEFT + TYPE_WIDTH
TYPE_BOTTOM = TOP + TYPE_HEIGHT  # from the top of the page

#: Lines whose last character would overflow just after a number, so that only a joiner keeps
#: the number with its unit (the first line of a paragraph holds 26 characters after the
#: two-character indent).
NUMBER_AT_LINE_END = [
    "一" * 25 + "9件已全部办结，无逾期答复情形。",
    "一" * 24 + "178件依法予以答复，无一超期。",
    "一" * 23 + "67.74万元已按规定公开发布。",
]
HAN_ONLY = "政务公开" * 40  # 160 characters, no punctuation: every full line holds 28
#: 淮安市人民政府2024年政府信息公开工作年度报告 (real title, 15-huaian-2024): never 年 / 度.
HUAIAN_TITLE = "淮安市人民政府2024年政府信息公开工作年度报告"


def _norm(text: str) -> str:
    return re.sub(r"[\s\u200b-\u200d\u2060]+", "", unicodedata.normalize("NFKC", text))


def _width(text: str) -> float:
    """Characters of the body size: Han and full-width 1, digits and Latin about ½."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in _norm(text))


@dataclass
class Rendered:
    report: Report
    document: Document
    word: Any  # python-docx Document
    pages: list[Any]  # LibreOffice's pages (pdfplumber)

    def lines(self, page: int) -> list[dict[str, Any]]:
        """The text lines of a page, the page number left out."""
        return [
            line
            for line in self.pages[page].extract_text_lines()
            if not re.fullmatch(r"—\s*\d+\s*—", _norm(line["text"]).replace("—", "— ").strip())
            and line["top"] < TYPE_BOTTOM + 2
        ]


def _with_texts(report: Report, **texts: str) -> Report:
    return dataclasses.replace(report, texts={**report.texts, **texts})


#: LibreOffice reads ``w:overflowPunct`` the wrong way round (writerfilter's DomainMapper:
#: ``ParaIsHangingPunctuation = (val == 0)``; ECMA-376 §17.3.1.21 and Word: val 0 forbids a
#: mark hanging past the margin), so that the file's “no hanging punctuation” would make it
#: hang marks that Word and WPS keep inside the type area.  For the conversion only, the flag
#: is written as LibreOffice understands it, as the fonts are mapped for it.
_NO_OVERFLOW = b'<w:overflowPunct w:val="0"/>'


def as_libreoffice_reads_it(data: bytes) -> bytes:
    """The .docx ``data`` with ``w:overflowPunct`` inverted in its styles, for LibreOffice."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "word/styles.xml":
                content = content.replace(_NO_OVERFLOW, b'<w:overflowPunct w:val="1"/>')
            target.writestr(item, content)
    return out.getvalue()


def _signature_variants(sample: Report) -> dict[str, Report]:
    """The sample with 0 to 21 one-line paragraphs more at the end: one of them ends its text
    on the last line of a page, one a line earlier, and so on round a whole page."""
    line = "本年度无其他需要报告的事项。"
    return {
        f"sig{n:02d}": _with_texts(sample, other_matters="\n".join([line] * (n + 1)))
        for n in range(22)
    }


@pytest.fixture(scope="module")
def rendered(
    example: Report, sample: Report, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Rendered]]:
    """Every report of these tests converted in one LibreOffice run (it is slow)."""
    if soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing on CI: .ci/run should have installed it")
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs it")
    reports = {
        "example": example,
        "sample": sample,
        "stress": stress_report(),
        "lines": _with_texts(
            dataclasses.replace(sample, title=HUAIAN_TITLE),
            overview="\n".join([HAN_ONLY, *NUMBER_AT_LINE_END]),
        ),
        **_signature_variants(sample),
    }
    folder = tmp_path_factory.mktemp("fidelity")
    files, words = [], []
    for name, report in reports.items():
        path = folder / f"{name}.docx"
        data = render_docx(report)
        path.write_bytes(as_libreoffice_reads_it(data))
        files.append(path)
        words.append(docx.Document(io.BytesIO(data)))
    pdfs = convert(files, folder, timeout=400)
    opened = [pdfplumber.open(p) for p in pdfs]
    yield {
        name: Rendered(report, build_document(report), word, list(pdf.pages))
        for (name, report), word, pdf in zip(reports.items(), words, opened, strict=True)
    }
    for pdf in opened:
        pdf.close()


# ---------------------------------------------------------------------------- the grid


def test_the_word_file_carries_the_28_by_22_document_grid(sample: Report) -> None:
    """The 文档网格 of Chinese Word templates: lines and characters, 22 lines of the exact line
    pitch filling the type area and 28 characters of 3号 a line."""
    word = docx.Document(io.BytesIO(render_docx(sample)))
    grid = word.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    pitch = int(grid.get(qn("w:linePitch")))
    assert pitch == EXACT_LINE
    assert abs(22 * pitch / 20 - TYPE_HEIGHT) < 1  # points
    # Word's character pitch: the Normal style's size plus charSpace/4096 pt
    normal = word.styles["Normal"].element.find(qn("w:rPr")).find(qn("w:sz"))
    size = int(normal.get(qn("w:val"))) / 2
    assert size == BODY_SIZE
    char_pitch = size + int(grid.get(qn("w:charSpace"))) / 4096
    assert abs(28 * char_pitch - TYPE_WIDTH) < 0.1


def test_libreoffice_sets_28_characters_a_full_line(rendered: dict[str, Rendered]) -> None:
    """A paragraph of Han characters only: 26 after the indent, then 28 on every full line,
    flush with both edges of the type area."""
    done = rendered["lines"]
    lines = [line for p in range(len(done.pages)) for line in done.lines(p)]
    start = next(i for i, line in enumerate(lines) if _norm(line["text"]).startswith("政务公开"))
    counts = [len(_norm(line["text"])) for line in lines[start : start + 6]]
    assert counts == [26, 28, 28, 28, 28, 22]
    for line in lines[start + 1 : start + 5]:
        assert abs(line["x0"] - LEFT) < 1.5 and abs(line["x1"] - RIGHT) < 2.5, line["text"]
    assert LINE_CHARS == 28


def test_no_punctuation_hangs_past_the_type_area(rendered: dict[str, Rendered]) -> None:
    """Word's and WPS's default lets a closing mark stand in the right margin (允许标点溢出边
    界); the file turns that off, so that a line holds 28 characters and a mark that may not
    start a line takes the character before it along, as the PDF does (GB/T 9704: the text
    stays in the type area) — and both break their lines, and so their pages, alike."""
    defaults = rendered["sample"].word.styles.element.find(qn("w:docDefaults"))
    overflow = defaults.find(f"{W_NS}pPrDefault/{W_NS}pPr/{W_NS}overflowPunct")
    assert overflow is not None and overflow.get(qn("w:val")) == "0"
    for name in ("example", "sample", "stress"):
        for page in rendered[name].pages:
            outside = [c["text"] for c in page.chars if c["x1"] > RIGHT + 1 and _norm(c["text"])]
            assert not outside, (name, page.page_number, outside)


# ---------------------------------------------------------------------------- numbers


def test_every_number_is_joined_to_its_unit_in_the_xml(rendered: dict[str, Rendered]) -> None:
    """Counts and amounts keep their unit (9件, 67.74万元); a date in running text carries no
    invisible character, so that “2019年” pasted from Word into a website stays searchable."""
    dates = "年月日时分秒号"
    units = "".join(sorted(set(UNITS) - set(dates)))
    for name in ("example", "sample", "lines"):
        body = rendered[name].word.element.body
        paragraphs = [
            "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))
        ]
        signature_date = rendered[name].document.date
        running = "\n".join(p for p in paragraphs if p.replace(JOINER, "") != signature_date)
        text = "\n".join(paragraphs)
        assert re.search(rf"\d{JOINER}[{units}]", text), name
        assert not re.search(rf"\d[{units}]", text), name  # never a bare number before a unit
        assert re.search(rf"\d[{dates}]", running), name  # 2019年 as typed
        assert not re.search(rf"\d{JOINER}[{dates}]", running), name


def test_the_joiner_holds_where_a_line_would_break_after_a_number(
    rendered: dict[str, Rendered],
) -> None:
    """The lines built to overflow right after a number carry the joiner exactly there.

    LibreOffice does not honour it (its Chinese line breaking knows only its 禁则 lists: it
    splits 9 / 件 with U+2060 or U+200D alike), so this is read from the XML, not the pages;
    Word treats U+200D as its “no-width non break”."""
    body = rendered["lines"].word.element.body
    text = "".join(t.text or "" for t in body.iter(qn("w:t")))
    for built, number in zip(NUMBER_AT_LINE_END, ("9件", "178件", "67.74万元"), strict=True):
        joined = number[:-1] + JOINER + number[-1] if number.endswith("件") else number
        if number == "67.74万元":
            joined = f"67.74{JOINER}万{JOINER}元"
        assert built.replace(number, joined) in text, number


# ---------------------------------------------------------------------------- spacing


def _body_elements(word: Any) -> list[Any]:
    return [e for e in word.element.body if e.tag in (qn("w:p"), qn("w:tbl"))]


def test_only_what_follows_a_table_has_the_half_line_above_it(
    rendered: dict[str, Rendered],
) -> None:
    for name in ("example", "sample"):
        elements = _body_elements(rendered[name].word)
        for i, element in enumerate(elements):
            if element.tag != qn("w:p"):
                continue
            spacing = element.find(qn("w:pPr")).find(qn("w:spacing"))
            before = int(spacing.get(qn("w:before"))) if spacing is not None else 0
            after_table = i > 0 and elements[i - 1].tag == qn("w:tbl")
            assert (before > 0) == after_table, (name, i)


def test_libreoffice_leaves_no_stray_gap_under_a_heading_after_a_table(
    rendered: dict[str, Rendered],
) -> None:
    """Part 五 follows table 四: its heading has the half line above it, its first line of
    text stands one line pitch under the heading, as everywhere."""
    for name in ("example", "sample"):
        done = rendered[name]
        heading = next(s.heading for s in done.document.sections if s.key == "problems")
        for page in range(len(done.pages)):
            lines = done.lines(page)
            found = [i for i, line in enumerate(lines) if _norm(line["text"]) == heading]
            if found and found[0] + 1 < len(lines):
                gap = lines[found[0] + 1]["top"] - lines[found[0]]["top"]
                assert abs(gap - EXACT_LINE / 20) < 0.6, (name, gap)
                break
        else:
            pytest.fail(f"{name}: no text under {heading}")


def test_libreoffice_page_number_stands_7_mm_below_the_type_area(
    rendered: dict[str, Rendered],
) -> None:
    """GB/T 9704 §7.5: the dashes of “— N —” 7 mm under the type area, as in the PDF (a dash
    stands about 0.3 em above the baseline)."""
    for page in rendered["sample"].pages:
        dash = next(c for c in page.chars if c["text"] == "—")
        baseline = page.height - dash["matrix"][5]
        below = (baseline - 0.3 * dash["size"] - TYPE_BOTTOM) / MM
        assert abs(below - 7) < 0.5, below


# ---------------------------------------------------------------------------- keeping together


def test_headings_keep_with_their_text(rendered: dict[str, Rendered]) -> None:
    """Both heading styles keep with the next paragraph, and no page of any report ends with
    a heading."""
    styles = rendered["sample"].word.styles
    for name in ("一级标题", "二级标题"):
        assert styles[name].element.find(qn("w:pPr")).find(qn("w:keepNext")) is not None
    for name, done in rendered.items():
        headings = {_norm(s.heading) for s in done.document.sections}
        headings |= {
            _norm(b.lead)
            for s in done.document.sections
            for b in s.blocks
            if isinstance(b, Paragraph) and b.lead and not b.text
        }
        for page in range(len(done.pages) - 1):
            lines = done.lines(page)
            assert lines and _norm(lines[-1]["text"]) not in headings, (name, page + 1)


@pytest.mark.slow
def test_the_signature_never_stands_apart(rendered: dict[str, Rendered]) -> None:
    """Whatever line of a page the text ends on, the agency and the date stand on one page,
    and that page carries body text above them (GB/T 9704 §7.3.5.5)."""
    for name, done in rendered.items():
        if not name.startswith("sig"):
            continue
        signature, date = _norm(done.document.signature), _norm(done.document.date)
        last = len(done.pages) - 1
        texts = [_norm(line["text"]) for line in done.lines(last)]
        assert signature in texts and date in texts, (name, texts[-3:])
        above = texts[: texts.index(signature)]
        assert any(t == "本年度无其他需要报告的事项。" for t in above), (name, texts)


def test_libreoffice_places_the_signature_as_gbt_9704_without_seal(
    rendered: dict[str, Rendered],
) -> None:
    """§7.3.5.2: the agency 右空二字 and the date under it starting two characters right of
    the agency's first; a date that would then reach closer than two characters to the edge
    stands 右空二字 itself, and the agency moves left to keep the two characters."""
    for name in ("sample", "sig00"):
        done = rendered[name]
        lines = done.lines(len(done.pages) - 1)
        by_text = {_norm(line["text"]): line for line in lines}
        agency = by_text[_norm(done.document.signature)]
        date = by_text[_norm(done.document.date)]
        gaps = (RIGHT - agency["x1"], RIGHT - date["x1"])
        assert abs(min(gaps) - 2 * BODY_SIZE) < 2, (name, gaps)  # 右空二字
        shift = date["x0"] - agency["x0"]
        # 右移二字, less the date's digits being set a little wider than half a character
        assert 1.25 * BODY_SIZE < shift < 2 * BODY_SIZE + 2, (name, shift)
        assert date["top"] > agency["top"]


# ---------------------------------------------------------------------------- the title


def test_the_title_prints_the_lines_the_document_breaks_it_into(
    rendered: dict[str, Rendered],
) -> None:
    done = rendered["lines"]
    expected = list(done.document.title_lines)
    assert len(expected) == 2  # 22 characters of 2号 do not fit one 20-character line
    title = done.word.paragraphs[0]
    assert title.style.name == "标题"
    assert title.text.replace(JOINER, "").split("\n") == expected
    page = done.lines(0)
    assert [_norm(line["text"]) for line in page[: len(expected)]] == [
        _norm(line) for line in expected
    ]
    for line in page[: len(expected)]:  # centred
        assert abs((line["x0"] + line["x1"]) / 2 - (LEFT + RIGHT) / 2) < 2


# ---------------------------------------------------------------------------- page breaks


def _page_starts(pages: list[Any]) -> list[str]:
    starts = []
    for page in pages:
        lines = [
            line["text"]
            for line in page.extract_text_lines()
            if line["top"] < TYPE_BOTTOM + 2 and not re.fullmatch(r"[—\s\d\u200d]+", line["text"])
        ]
        starts.append(_norm("".join(lines))[:8])
    return starts


def _pdf_pages(report: Report, path: Path) -> list[str]:
    path.write_bytes(render_pdf(report).data)
    with pdfplumber.open(path) as pdf:
        return _page_starts(list(pdf.pages))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["example", "sample"])
def test_word_has_as_many_pages_as_the_pdf(
    rendered: dict[str, Rendered], name: str, tmp_path: Path
) -> None:
    done = rendered[name]
    assert len(done.pages) == len(_pdf_pages(done.report, tmp_path / f"{name}.pdf"))


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "example",
        "sample",
        "stress",
    ],
)
def test_word_breaks_its_pages_where_the_pdf_does(
    rendered: dict[str, Rendered], name: str, tmp_path: Path
) -> None:
    """The same number of pages, each starting with the same words, in the PDF and in
    LibreOffice's rendering of the Word file."""
    done = rendered[name]
    assert _page_starts(done.pages) == _pdf_pages(done.report, tmp_path / f"{name}.pdf")
