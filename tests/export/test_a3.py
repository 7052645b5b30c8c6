"""The notice-board copy (公告栏A3, issue 16 item 6) read back as a clerk pinning it up checks it:
A3 paper, the report laid out anew rather than enlarged — body at about 22 pt, 28 characters a
line, tables and every number at 小四 (12 pt) or larger — and every figure of the tables there."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from export.document import Table, build_document
from export.geometry import NOTICE_BOARD, OFFICIAL
from export.pdf import render_notice_board, render_pdf
from model.datafile import read_datafile
from model.report import Report

from .conftest import EXAMPLE

A3 = (841.89, 1190.55)  # 297 × 420 mm in points
SMALL_FOUR = 12.0  # 小四


def _read(data: bytes) -> list[dict[str, Any]]:
    """Per page: the characters inside the tables' grids, and the others in the type area."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            boxes = [t.bbox for t in page.find_tables()]

            def inside(c: dict[str, Any], boxes: list[Any] = boxes) -> bool:
                x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
                return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

            type_area_bottom = NOTICE_BOARD.top + NOTICE_BOARD.type_height
            chars = [c for c in page.chars if c["text"].strip()]
            table_words = [
                w["text"]
                for w in page.extract_words(keep_blank_chars=False)
                if inside({**w, "top": w["top"], "bottom": w["bottom"]})
            ]
            pages.append(
                {
                    "size": (page.width, page.height),
                    "table": [c for c in chars if inside(c)],
                    "text": [c for c in chars if not inside(c) and c["top"] < type_area_bottom],
                    "table_words": table_words,
                    "lines": _body_lines(chars),
                }
            )
    return pages


def _body_lines(chars: list[dict[str, Any]]) -> list[tuple[str, float, float]]:
    """The body's lines: text, left and right edge."""
    rows: dict[float, list[dict[str, Any]]] = {}
    for c in chars:
        if abs(c["size"] - NOTICE_BOARD.body_size) < 0.05:
            rows.setdefault(round(c["top"], 1), []).append(c)
    lines = []
    for row in rows.values():
        row.sort(key=lambda c: c["x0"])
        lines.append(("".join(c["text"] for c in row), row[0]["x0"], row[-1]["x1"]))
    return lines


def _table_values(report: Report) -> Counter[str]:
    """Every number of every table of the report, as the document sets it."""
    values: Counter[str] = Counter()
    for section in build_document(report).sections:
        for block in section.blocks:
            if isinstance(block, Table):
                values.update(c.text for c in block.cells if c.numeric)
    return values


@pytest.mark.parametrize("which", ["example", "sample"])
def test_the_notice_board_copy_is_a3_in_large_type_with_every_figure(
    which: str, request: pytest.FixtureRequest
) -> None:
    report: Report = request.getfixturevalue(which)
    pages = _read(render_notice_board(report).data)
    assert pages
    for page in pages:
        assert page["size"] == pytest.approx(A3, abs=0.5)
    table = [c for page in pages for c in page["table"]]
    text = [c for page in pages for c in page["text"]]
    assert len(table) > 100 and len(text) > 300  # tables and text both found
    assert min(c["size"] for c in table) >= SMALL_FOUR
    assert min(c["size"] for c in text) >= 22
    # the 28-a-line grid, laid out anew: a full line of Han characters holds 28 and fills
    # the A3 type area
    left, right = NOTICE_BOARD.left, NOTICE_BOARD.left + NOTICE_BOARD.type_width
    full = [
        text
        for page in pages
        for text, x0, x1 in page["lines"]
        if x0 == pytest.approx(left, abs=1)
        and x1 == pytest.approx(right, abs=1.5)
        and not any(ch.isascii() for ch in text)
    ]
    # (a line the 禁则 shortened to 27 is spread out, as on A4)
    assert Counter(len(text) for text in full).most_common(1)[0][0] == 28
    # every figure of the tables, as many times as the tables hold it
    words = Counter(w for page in pages for w in page["table_words"])
    missing = {v: n for v, n in _table_values(report).items() if words[v] < n}
    assert not missing


def test_it_is_laid_out_anew_not_enlarged(example: Report) -> None:
    """The A4 pages scaled to A3 would set the tables at 14.8 pt with text the same line for
    line; the notice board sets its own A3 pages, the A4 file unchanged beside it."""
    a4 = render_pdf(example)
    a3 = render_notice_board(example)
    assert a4.data != a3.data
    with pdfplumber.open(io.BytesIO(a4.data)) as pdf:
        assert (pdf.pages[0].width, pdf.pages[0].height) == pytest.approx((595.28, 841.89), abs=0.5)
        a4_sizes = {round(c["size"], 1) for p in pdf.pages for c in p.chars}
    with pdfplumber.open(io.BytesIO(a3.data)) as pdf:
        a3_sizes = {round(c["size"], 1) for p in pdf.pages for c in p.chars}
    assert max(a4_sizes) == OFFICIAL.title_size and max(a3_sizes) == round(
        NOTICE_BOARD.title_size, 1
    )
    assert min(a3_sizes) >= SMALL_FOUR > min(a4_sizes)


def test_numbers_too_long_for_their_cells_stay_at_small_four(stress: Report) -> None:
    """Nine-digit figures in every cell: on A4 they print small to fit (5 pt in part 三; 7 pt
    once enlarged to A3); on the notice board no table character is under 小四."""
    a4 = _read(render_pdf(stress).data)  # read with the A3 type area: only sizes are used
    assert min(c["size"] for page in a4 for c in page["table"]) < SMALL_FOUR / 2**0.5
    pages = _read(render_notice_board(stress).data)
    table = [c for page in pages for c in page["table"]]
    assert table
    assert min(c["size"] for c in table) >= SMALL_FOUR
    digits = "".join(c["text"] for c in table)
    assert digits.count("9") >= 9 * len(stress.cells)  # every figure printed, none cut


def test_the_official_geometry_is_the_a4_of_print_md() -> None:
    """One renderer, two geometries: the A4 one is the GB/T 9704 constants, unchanged."""
    from export import geometry as g

    assert (OFFICIAL.page_width, OFFICIAL.page_height) == (g.PAGE_WIDTH, g.PAGE_HEIGHT)
    assert (OFFICIAL.left, OFFICIAL.top, OFFICIAL.bottom) == (g.LEFT, g.TOP, g.BOTTOM)
    assert (OFFICIAL.type_width, OFFICIAL.type_height) == (g.TYPE_WIDTH, g.TYPE_HEIGHT)
    assert (OFFICIAL.body_size, OFFICIAL.title_size, OFFICIAL.table_size) == (16, 22, 10.5)
    assert (OFFICIAL.pitch, OFFICIAL.line, OFFICIAL.tracking) == (g.PITCH, g.LINE, g.TRACKING)
    assert OFFICIAL.narrow_value == g.NARROW_VALUE
    assert OFFICIAL.vertical_column == g.VERTICAL_COLUMN
    # the notice board: the same grid, √2 larger, on A3
    assert NOTICE_BOARD.body_size == pytest.approx(22.6, abs=0.05)
    assert NOTICE_BOARD.type_width / NOTICE_BOARD.pitch == pytest.approx(28)
    assert NOTICE_BOARD.type_height / NOTICE_BOARD.line == pytest.approx(22)


def test_the_command_line_writes_the_notice_board_copy(tmp_path: Path) -> None:
    """``export --file X --pdf-a3 OUT.pdf`` writes the A3 pages; it replaces only a PDF."""
    import main

    out = tmp_path / "公告栏.pdf"
    argv = ["--db", str(tmp_path / "db.sqlite3"), "export", "--file", str(EXAMPLE)]
    assert main.main([*argv, "--pdf-a3", str(out)]) == 0
    assert out.read_bytes() == render_notice_board(read_datafile(EXAMPLE.read_bytes())).data
    with pdfplumber.open(out) as pdf:
        assert (pdf.pages[0].width, pdf.pages[0].height) == pytest.approx(A3, abs=0.5)
    precious = tmp_path / "notes.txt"
    precious.write_text("不能覆盖", encoding="utf-8")
    assert main.main([*argv, "--pdf-a3", str(precious)]) == 2
    assert precious.read_text(encoding="utf-8") == "不能覆盖"
