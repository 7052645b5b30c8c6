"""A warm export reuses what the last one made (issue 20 §3: the preview re-renders the whole
PDF at every pause in typing): the fonts' compressed streams and widths, a table's rows
measured once for a width, a repeated cell encoded once a document — and prints the very
same bytes as ReportLab's own way."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Table as RLTable

import export.pdf
from export.cjk import LineText
from export.pdf import _KeptArrays, _KeptFlate, render_notice_board, render_pdf
from model.report import Report
from tests.export.conftest import EXAMPLE, narrative

ROOT = Path(__file__).resolve().parents[2]


def _compressions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of what ReportLab compresses from now on."""
    sizes: list[int] = []
    compress = zlib.compress

    def counting(data: bytes, *args: Any, **kwargs: Any) -> bytes:
        sizes.append(len(data))
        return compress(data, *args, **kwargs)

    monkeypatch.setattr(pdfdoc.zlib, "compress", counting)
    return sizes


def test_a_second_export_compresses_only_its_pages(
    example: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = render_pdf(example)
    sizes = _compressions(monkeypatch)
    second = render_pdf(example)
    # one content stream a page; the font files (20–90 KB each) and their ToUnicode maps
    # come from the first export
    assert len(sizes) == second.pages == 5
    assert second.data == first.data


def test_a_report_with_new_characters_compresses_its_new_subsets(
    example: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    render_pdf(example)
    sizes = _compressions(monkeypatch)
    changed = dataclasses.replace(example, texts={**example.texts, "overview": "鑫淼犇骉"})
    rendered = render_pdf(changed)
    assert len(sizes) > rendered.pages  # the subsets with the new characters
    with pdfplumber.open(io.BytesIO(rendered.data)) as pdf:
        assert "鑫淼犇骉" in "".join(page.extract_text() or "" for page in pdf.pages)


def test_a_reused_export_embeds_its_fonts(example: Report, tmp_path: Path) -> None:
    render_pdf(example)
    path = tmp_path / "again.pdf"
    path.write_bytes(render_pdf(example).data)
    listed = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert len(listed) >= 4
    for line in listed:  # name, type, encoding, emb, sub, uni
        assert re.match(r"[A-Z]{6}\+", line), line
        assert line.split()[-5:-2] == ["yes", "yes", "yes"], line
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "古城回族乡政府信息公开年度报告" in text
    assert "其他需要报告的事项" in text


def test_reuse_changes_no_byte(example: Report, sample: Report) -> None:
    """The example warm, after other reports, is byte for byte what ReportLab writes
    itself: a new process where fonts keep no subsets, streams nor widths, and no table is
    kept."""
    render_pdf(example)
    render_pdf(sample)
    warm = render_pdf(example).data
    script = (
        "import sys, export.pdf as p; from model.datafile import read_datafile;"
        "p._remember_subsets = lambda: None; p.TABLES_KEPT = 0;"
        f"r = read_datafile(open({str(EXAMPLE)!r}, 'rb').read()); p.render_pdf(r);"
        "sys.stdout.buffer.write(p.render_pdf(r).data)"
    )
    own = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, check=True
    ).stdout
    assert own.startswith(b"%PDF")
    assert warm == own


def test_kept_streams_and_widths_are_zlibs_and_reportlabs_and_few() -> None:
    flate = _KeptFlate(2)
    fonts = [bytes([n]) * 5000 for n in range(3)]
    assert [flate.encode(f) for f in fonts] == [zlib.compress(f) for f in fonts]
    assert flate.encode("/CIDInit") == zlib.compress(b"/CIDInit")
    assert len(flate._kept) == 2
    assert flate.decode(flate.encode(fonts[0])) == fonts[0]
    arrays = _KeptArrays(2)
    doc = pdfdoc.PDFDocument()
    for widths in ([500] * 30, [1000, 500], [250], [1000, 500]):
        assert arrays.written(widths, doc) == pdfdoc.PDFArray(widths).format(doc)
    assert len(arrays._kept) == 2


def _squeezed(report: Report, lengths: tuple[int, ...]) -> list[Report]:
    """``report`` with overviews of ``lengths`` paragraphs: its tables start at other places
    on the page and break across pages at other rows."""
    return [
        dataclasses.replace(report, texts={**report.texts, "overview": narrative(n)})
        for n in lengths
    ]


def test_tables_break_as_reportlabs_own_table(
    example: Report, sample: Report, stress: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table measures its rows once for a width, yet breaks across pages at the same rows
    as ReportLab's table, which measures them again at each try (A4 and the A3 board)."""
    reports = [
        example,
        *_squeezed(example, (0, 4, 8, 12, 16)),
        *_squeezed(sample, (2, 16)),
        *_squeezed(stress, (0, 4)),  # tables longer than a page: measured a page at a time
    ]

    def printed() -> list[bytes]:
        return [render(r).data for r in reports for render in (render_pdf, render_notice_board)]

    ours = printed()
    splits = 0
    split = RLTable.split

    def counting(self: RLTable, aW: float, aH: float) -> list[Any]:
        nonlocal splits
        parts = list(split(self, aW, aH))
        splits += len(parts) > 1
        return parts

    monkeypatch.setattr(RLTable, "split", counting)
    monkeypatch.setattr(export.pdf, "_Grid", RLTable)
    monkeypatch.setattr(export.pdf, "TABLES_KEPT", 0)  # every table made anew
    export.pdf._kept_tables.clear()
    assert printed() == ours
    assert splits >= 10  # tables did break across pages


def test_a_table_measures_its_rows_once(example: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    export.pdf._kept_tables.clear()
    render_pdf(example)  # the fonts' subsets made
    export.pdf._kept_tables.clear()
    measured = 0
    calc = RLTable._calc_height

    def counting(self: RLTable, *args: Any, **kwargs: Any) -> Any:
        nonlocal measured
        measured += 1
        return calc(self, *args, **kwargs)

    monkeypatch.setattr(RLTable, "_calc_height", counting)
    render_pdf(example)
    assert measured == 3  # the example's three tables, each standing on one page (9 before)
    render_pdf(example)
    assert measured == 3  # kept for the next export of the same tables


def test_a_repeated_cell_is_encoded_once_a_document(
    example: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example's tables print “0” and other numbers hundreds of times: each distinct
    cell is turned into font codes once a document, not at every place it stands."""
    render_pdf(example)
    drawn = encoded = 0
    draw, split = LineText.drawOn, TTFont.splitString

    def drawing(self: LineText, *args: Any, **kwargs: Any) -> None:
        nonlocal drawn
        drawn += 1
        draw(self, *args, **kwargs)

    def encoding(self: TTFont, *args: Any, **kwargs: Any) -> Any:
        nonlocal encoded
        encoded += 1
        return split(self, *args, **kwargs)

    monkeypatch.setattr(LineText, "drawOn", drawing)
    monkeypatch.setattr(TTFont, "splitString", encoding)
    render_pdf(example)
    # the body's lines are encoded by ReportLab as before: some 130 an export
    assert drawn > 250
    assert encoded < 130 + drawn / 2


def test_a_table_is_kept_until_its_numbers_change(
    example: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview renders the same tables again at every pause in typing: the same table is
    made once, and a number typed into it prints at once (the same bytes as a table made
    anew)."""
    render_pdf(example)
    made = 0
    grid = export.pdf._Story.grid

    def counting(self: Any, table: Any) -> Any:
        nonlocal made
        made += 1
        return grid(self, table)

    monkeypatch.setattr(export.pdf._Story, "grid", counting)
    again = render_pdf(example)
    assert made == 0  # the example's three tables, kept
    typed = dataclasses.replace(
        example, cells={**example.cells, "art20_1.rules.made": 4321, "requests.new.legal": 765}
    )
    changed = render_pdf(typed)
    assert made == 2  # the tables of 第二十条 and of the requests, made anew
    with pdfplumber.open(io.BytesIO(changed.data)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "4321" in text and "765" in text
    monkeypatch.setattr(export.pdf, "TABLES_KEPT", 0)
    assert render_pdf(typed).data == changed.data
    assert render_pdf(example).data == again.data
