"""An export embeds the same font subsets as ReportLab makes on its own, without copying each
font's whole glyph table (10 MB and more) every time (export/fonts.py, issue 20)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from export.fonts import Face, default_fonts
from export.pdf import render
from model.datafile import read_datafile

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "examples"
    / "example-2019-township.nianbao.json"
)
#: Characters of a report: CJK, full-width punctuation, digits, Latin.
TEXT = "政府信息公开工作年度报告（一）主动公开情况。第1项：123,456.78 元；PDF、Word"


def test_each_font_subset_is_the_one_reportlab_makes_itself() -> None:
    book = default_fonts()
    book.load_all()
    checked = 0
    for face in Face:
        for ttf in book._chain(face):
            subset = [ord(c) for c in TEXT if ord(c) in ttf.face.charToGlyph]
            shared = ttf.face.makeSubset(subset)
            own = vars(ttf.face).pop("get_table")  # ReportLab's method, as it comes
            try:
                assert shared == ttf.face.makeSubset(subset)
            finally:
                vars(ttf.face)["get_table"] = own
            checked += 1
    assert checked >= 4


def test_a_warm_export_allocates_far_less_than_a_glyph_table() -> None:
    report = read_datafile(EXAMPLE.read_bytes())
    render(report)  # fonts loaded
    tracemalloc.start()
    try:
        render(report)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20  # each shipped font's glyph table is 4–14 MB
