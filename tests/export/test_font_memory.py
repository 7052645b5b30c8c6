"""The fonts cost little memory once loaded, and print exactly as ReportLab's own reading of
them would (export/fonts.py, issue 20: the 预览 within the bare window + 100 MB)."""

from __future__ import annotations

import gc
import tracemalloc

import pytest
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from export import fonts
from export.fonts import SHIPPED, SHIPPED_DIR, FontFile

#: Characters of a report: CJK, full-width punctuation, digits, Latin, a no-break space.
TEXT = "政府信息公开工作年度报告（一）主动公开情况。第1项：123,456.78 元；PDF、Word\u00a0𠀀"


def _as_reportlab_reads(face: TTFontFace, font: FontFile) -> None:
    """``face`` answers every question ReportLab asks of a face as ReportLab's own reading
    of the same file does: glyph of each character, width of each character (value and
    type), each glyph's metrics and offset, and the embedded subset of a report's text."""
    own = TTFontFace(str(SHIPPED_DIR / font.file), subfontIndex=font.subfont)
    assert dict(face.charToGlyph) == own.charToGlyph
    codes = set(own.charToGlyph) | {ord(c) for c in TEXT} | {0x10FFFF}
    for code in codes:
        width, expected = face.getCharWidth(code), own.getCharWidth(code)
        assert (width, type(width)) == (expected, type(expected)), hex(code)
    assert (face.defaultWidth, type(face.defaultWidth)) == (
        own.defaultWidth,
        type(own.defaultWidth),
    )
    assert len(face.hmetrics) == len(own.hmetrics)
    assert [face.hmetrics[g] for g in range(len(face.hmetrics))] == [
        (int(aw), int(lsb)) for aw, lsb in own.hmetrics
    ]
    assert list(face.glyphPos) == own.glyphPos
    subset = [ord(c) for c in TEXT if ord(c) in own.charToGlyph]
    assert len(subset) > 20
    assert face.makeSubset(subset) == own.makeSubset(subset)


@pytest.mark.parametrize("font", SHIPPED, ids=lambda font: font.file)
def test_a_loaded_font_reads_as_reportlab_reads_it(font: FontFile) -> None:
    face = fonts._Font("test-" + font.name, SHIPPED_DIR / font.file, font.subfont).face
    assert isinstance(face.charToGlyph, fonts._CharMap)  # read into arrays, not by ReportLab
    assert "glyphToChar" not in vars(face)
    _as_reportlab_reads(face, font)


@pytest.mark.parametrize("font", SHIPPED, ids=lambda font: font.file)
def test_a_font_reportlab_reads_is_made_compact_the_same(font: FontFile) -> None:
    """A font whose character map only ReportLab reads (not one the program ships) is
    made compact after ReportLab's reading, with the same answers."""
    face = TTFontFace(str(SHIPPED_DIR / font.file), subfontIndex=font.subfont)
    fonts._compact(face)
    assert isinstance(face.charToGlyph, fonts._CharMap)
    _as_reportlab_reads(face, font)


def test_the_font_is_reportlabs_font_but_for_its_face() -> None:
    path = SHIPPED_DIR / fonts.WQY_MICROHEI.file
    ours = fonts._Font("test-ours", path, 0)
    own = TTFont("test-own", str(path))
    assert vars(ours).keys() == vars(own).keys()
    assert ours.face.filename == own.face.filename
    assert set(vars(own.face)) - {"glyphToChar"} <= set(vars(ours.face))


def test_a_loaded_font_keeps_a_small_part_of_its_file_in_memory() -> None:
    font = fonts.NOTO_SERIF  # 14.8 MB, 30,000 characters
    gc.collect()
    tracemalloc.start()
    try:
        ttf = fonts._Font("test-memory", SHIPPED_DIR / font.file, font.subfont)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(vars(ttf.face)["_ttf_data"], fonts._FontData)  # not the whole file
    # ReportLab's own reading keeps some 27 MB and passes 30 MB on the way
    assert kept < 2 * 2**20
    assert peak < 4 * 2**20


def test_a_font_of_the_computer_is_read_by_reportlab(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Only the shipped fonts, proven above, are read by the program's own reading; a
    Windows font (a copy of a shipped one stands in for it) goes through ReportLab's."""
    import shutil

    font = next(f for f in SHIPPED if f.file.endswith(".ttc"))
    copy = tmp_path / font.file
    shutil.copy(SHIPPED_DIR / font.file, copy)

    def never(face: TTFontFace) -> bool:
        raise AssertionError("read by the program's own reading")

    monkeypatch.setattr(fonts, "_read_tables", never)
    face = fonts._Font("test-copy", copy, font.subfont).face
    assert isinstance(face.charToGlyph, fonts._CharMap)  # still made compact
    _as_reportlab_reads(face, font)
