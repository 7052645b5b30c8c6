"""The findings panel writes only characters that a Chinese Windows font and our fonts have:
no box where a symbol font is missing (a "✔" was one under Wine)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFontFile

from gui.findings_panel import NO_FINDINGS_MARK
from gui.main_window import MainWindow
from model.paths import resources_dir

from .conftest import SAMPLE

pytestmark = pytest.mark.gui

#: The fonts the window falls back to when the system has no Chinese face (gui/fonts.py).
SHIPPED = sorted((resources_dir() / "fonts").glob("*.tt[fc]"))


def _missing(text: str, font: Path) -> set[str]:
    cmap = TTFontFile(str(font)).charToGlyph
    return {c for c in text if not c.isspace() and ord(c) not in cmap}


def _summaries(window: MainWindow) -> list[str]:
    """The summary line in each state a clerk sees: no report, findings, none left."""
    session = window.session
    assert session is not None
    seen = [window.findings.summary.text()]
    window.import_file(SAMPLE)  # nothing to find
    seen.append(window.findings.summary.text())
    session.create_report("某某镇人民政府", 2020, None)  # empty: 尚未填写
    seen.append(window.findings.summary.text())
    return seen


def test_every_summary_is_in_gb2312_and_in_the_shipped_fonts(window: MainWindow) -> None:
    summaries = _summaries(window)
    assert any(text.startswith(NO_FINDINGS_MARK) for text in summaries), summaries
    assert SHIPPED
    for text in summaries:
        text.encode("gb2312")  # raises for a character the stock Chinese faces lack
        for font in SHIPPED:
            assert _missing(text, font) == set(), (text, font.name)
