"""The table cells' shortcut (issue 20): a cell's text that fits its width prints without
ReportLab's paragraph machinery — and prints exactly as the paragraph printed it."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

import export.cjk
from export.cjk import CJKParagraph, LineText
from export.pdf import render_notice_board, render_pdf
from model.report import Report
from tests.export.conftest import EXAMPLE, stress_report

ROOT = Path(__file__).resolve().parents[2]


def _pdf(report: Report, board: bool = False) -> bytes:
    return (render_notice_board(report) if board else render_pdf(report)).data


@pytest.mark.parametrize("board", [False, True], ids=["A4", "A3"])
def test_every_cell_prints_the_same_as_its_paragraph(
    example: Report, sample: Report, board: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Byte for byte: the same operators at the same places, in the same font subsets —
    the example, the 2021 sample, and the largest numbers and longest names a report takes
    (they wrap, shrink and fall back to other fonts)."""
    reports = [example, sample, stress_report()]
    quick = [_pdf(r, board) for r in reports]
    # every cell a paragraph, as before the shortcut
    monkeypatch.setattr(LineText, "suits", staticmethod(lambda text, style: False))
    slow = [_pdf(r, board) for r in reports]
    assert quick == slow


def test_most_cells_skip_the_paragraph(example: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example's six hundred cells, nearly all a number on one line, no longer each
    parse, measure and break a paragraph (592 paragraphs an export before issue 20)."""
    made = 0
    original = CJKParagraph.__init__

    def counting(self: CJKParagraph, *args: Any, **kwargs: Any) -> None:
        nonlocal made
        made += 1
        original(self, *args, **kwargs)

    monkeypatch.setattr(export.cjk.CJKParagraph, "__init__", counting)
    rendered = render_pdf(example)
    assert made < 60
    with pdfplumber.open(io.BytesIO(rendered.data)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    # the numbers are there all the same
    assert "主动公开政府信息情况" in text
    assert sum(ch.isdigit() for ch in text) > 100


def test_a_cell_too_narrow_for_its_text_still_wraps(example: Report) -> None:
    """A label longer than its cell breaks over lines inside it, as a paragraph does."""
    rendered = render_pdf(example)
    with pdfplumber.open(io.BytesIO(rendered.data)) as pdf:
        words = [w for page in pdf.pages for w in page.extract_words()]
    # part 四's column head “结果维持” stands in a narrow column: two characters a line
    heads = [w for w in words if w["text"] in ("结果", "维持")]
    assert heads, "the narrow column head should wrap into two lines"


def test_kept_subsets_change_nothing(example: Report, sample: Report) -> None:
    """Fonts keep the subsets of the last documents; a document rendered after others with
    other characters is the same as in a new process, where no font has kept anything."""
    render_pdf(sample)
    render_notice_board(stress_report())
    again = render_pdf(example).data
    script = (
        "import sys; from export.pdf import render_pdf; from model.datafile import read_datafile;"
        f"sys.stdout.buffer.write(render_pdf(read_datafile(open({str(EXAMPLE)!r}, 'rb').read())).data)"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, check=True
    ).stdout
    assert again == fresh
