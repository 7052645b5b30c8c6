"""The PDF read back: headings in order, every number in its own cell (by position), fonts
embedded, line breaking, page numbers, rare characters, reproducible bytes."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pdfplumber
import pytest

from export.document import Document, Paragraph, Table, build_document
from export.fonts import default_fonts
from export.linebreak import CLOSING
from export.pdf import LEFT, PAGE_NUMBER_SIZE, TYPE_WIDTH, render_pdf
from export.renderers import Rendered
from model.report import Report


@dataclass
class Printed:
    report: Report
    document: Document
    pdf: Rendered
    pages: list[Any]  # pdfplumber pages

    def text(self) -> str:
        """The running text, page numbers left out."""
        lines = [line for page in self.pages for line in page.extract_text().splitlines()]
        return _norm("".join(line for line in lines if not re.fullmatch(r"— *\d+ *—", line)))


def _norm(text: str) -> str:
    """Text for comparison: NFKC (upright vertical forms and full-width brackets alike), no
    whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _print(report: Report) -> Iterator[Printed]:
    rendered = render_pdf(report)
    with pdfplumber.open(io.BytesIO(rendered.data)) as pdf:
        yield Printed(report, build_document(report), rendered, list(pdf.pages))


@pytest.fixture(scope="module", params=["example", "sample"])
def printed(request: pytest.FixtureRequest) -> Iterator[Printed]:
    yield from _print(request.getfixturevalue(request.param))


@pytest.fixture(scope="module")
def stressed(stress: Report) -> Iterator[Printed]:
    yield from _print(stress)


def test_title_headings_and_paragraphs_appear_in_order(printed: Printed) -> None:
    text, at = printed.text(), 0
    document = printed.document
    expected = [document.title, *(p.full_text for p in document.preamble)]
    for section in document.sections:
        expected.append(section.heading)
        expected += [b.full_text for b in section.blocks if isinstance(b, Paragraph)]
    expected += [document.signature, document.date]
    for piece in filter(None, map(_norm, expected)):
        found = text.find(piece, at)
        assert found >= 0, f"missing or out of order: {piece[:30]}"
        at = found + len(piece)


# ---------------------------------------------------------------------------- tables by position


@dataclass
class Fragment:
    """A table as drawn on one page: its ruling lines give the grid."""

    page: Any
    xs: list[float]
    ys: list[float]


def _fragments(page: Any) -> list[Fragment]:
    """The tables on a page, from the drawn rules, top to bottom."""
    horizontal = [e for e in page.edges if e["orientation"] == "h"]
    vertical = [e for e in page.edges if e["orientation"] == "v"]
    blocks: list[list[Any]] = []
    for edge in sorted(vertical, key=lambda e: e["top"]):
        if blocks and edge["top"] <= max(e["bottom"] for e in blocks[-1]) + 0.5:
            blocks[-1].append(edge)
        else:
            blocks.append([edge])
    fragments = []
    for block in blocks:
        top, bottom = min(e["top"] for e in block), max(e["bottom"] for e in block)
        xs = _unique(e["x0"] for e in block)
        ys = _unique(e["top"] for e in horizontal if top - 0.5 <= e["top"] <= bottom + 0.5)
        if len(xs) > 2 and len(ys) > 1:  # the signature block draws no rules
            fragments.append(Fragment(page, xs, ys))
    return fragments


def _unique(values: Any) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 1.0:
            out.append(v)
    return out


def _text_in(page: Any, x0: float, top: float, x1: float, bottom: float) -> str:
    chars = [
        c
        for c in page.chars
        if x0 < (c["x0"] + c["x1"]) / 2 < x1 and top < (c["top"] + c["bottom"]) / 2 < bottom
    ]
    return _norm(
        "".join(c["text"] for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])))
    )


def _tables(document: Document) -> list[Table]:
    return [b for s in document.sections for b in s.blocks if isinstance(b, Table)]


def _placed(printed: Printed) -> Iterator[tuple[Table, Fragment, dict[int, int]]]:
    """Each table with the page fragments it is drawn in, and which grid row each fragment
    row shows (a continued table repeats its header rows first)."""
    fragments = [f for page in printed.pages for f in _fragments(page)]
    for table in _tables(printed.document):
        done = 0
        xs: list[float] = []
        while done < table.rows:
            fragment = fragments.pop(0)
            if len(fragment.xs) == table.columns + 1:
                xs = fragment.xs
            else:  # a piece of part 二 whose rows all span columns: the rules of the first
                assert xs and all(min(abs(x - c) for c in xs) < 1 for x in fragment.xs)
                fragment = Fragment(fragment.page, xs, fragment.ys)
            repeated = list(range(table.header_rows)) if done else []
            rows = repeated + list(range(done, table.rows))
            rows = rows[: len(fragment.ys) - 1]
            yield table, fragment, dict(enumerate(rows))
            done = rows[-1] + 1


def test_every_cell_stands_in_its_own_place(printed: Printed) -> None:
    """Every number of the report, and every label of the template, inside the band of its
    own row and columns in its own table."""
    seen: set[str] = set()
    for table, fragment, rows in _placed(printed):
        where = {grid_row: i for i, grid_row in rows.items()}
        for cell in table.cells:
            first, last = cell.row, cell.row + cell.rowspan - 1
            if first not in where or last not in where:
                continue  # drawn on another page
            x0, x1 = fragment.xs[cell.col], fragment.xs[cell.col + cell.colspan]
            top, bottom = fragment.ys[where[first]], fragment.ys[where[last] + 1]
            assert _text_in(fragment.page, x0, top, x1, bottom) == _norm(cell.text), cell
            if cell.key:
                seen.add(cell.key)
    keys = {c.key for t in _tables(printed.document) for c in t.cells if c.key}
    assert seen == keys


def test_the_example_numbers_are_printed(example: Report) -> None:
    (printed,) = _print(example)
    text = printed.text()
    assert "政府集中采购967.74万元" in text  # its row: label, 采购项目数量, 采购总金额


# ---------------------------------------------------------------------------- the file


def test_fonts_are_embedded_subsets(printed: Printed) -> None:
    data = printed.pdf.data
    descriptors = re.findall(rb"/FontDescriptor\b(?! \d+ 0 R)", data)
    assert descriptors
    assert data.count(b"/FontFile2") == len(re.findall(rb"/Type /FontDescriptor", data))
    base_fonts = re.findall(rb"/BaseFont /([^ /\n]+)", data)
    assert all(re.match(rb"[A-Z]{6}\+", name) for name in base_fonts), base_fonts


def test_metadata(printed: Printed) -> None:
    with pdfplumber.open(io.BytesIO(printed.pdf.data)) as pdf:
        assert pdf.metadata["Title"] == printed.document.title
        assert pdf.metadata["Author"] == printed.report.agency


def test_same_input_same_bytes(printed: Printed) -> None:
    assert render_pdf(printed.report).data == printed.pdf.data


def test_no_line_starts_with_closing_punctuation(printed: Printed, stressed: Printed) -> None:
    for pages in (printed.pages, stressed.pages):
        for page in pages:
            for line in page.extract_text_lines():
                assert line["text"][0] not in CLOSING, line["text"]


def test_a_part_three_table_stands_on_one_page(printed: Printed) -> None:
    pages_with_corner = [p for p in printed.pages if "勾稽关系" in p.extract_text()]
    assert len(pages_with_corner) == 1


def test_ten_pages_of_narrative_are_numbered(stressed: Printed) -> None:
    assert len(stressed.pages) == stressed.pdf.pages >= 10
    for number, page in enumerate(stressed.pages, start=1):
        line = page.extract_text_lines()[-1]
        assert line["text"].replace(" ", "") == f"—{number}—"
        if number % 2:  # odd: right, one character in
            assert line["x1"] == pytest.approx(LEFT + TYPE_WIDTH - PAGE_NUMBER_SIZE, abs=1)
        else:
            assert line["x0"] == pytest.approx(LEFT + PAGE_NUMBER_SIZE, abs=1)


def test_rare_characters_are_not_lost(stressed: Printed) -> None:
    text = stressed.text()
    assert "䶮" in text
    if default_fonts().missing("𠀀"):  # no Extension B font here (SimSun-ExtB is Windows')
        assert any("𠀀" in w and "U+20000" in w for w in stressed.pdf.warnings)
    else:
        assert "𠀀" in text


def test_large_numbers_print_whole(stressed: Printed) -> None:
    test_every_cell_stands_in_its_own_place(stressed)
