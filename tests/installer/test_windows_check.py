"""The Linux-side halves of `make windows-check` (installer/windows_check.py), checked here so
that the Wine run's verdicts can be trusted: the read-back finds every table number of a real
export and misses a wrong one; the stand-in "Windows" fonts carry their own PostScript names."""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
from reportlab.pdfbase.ttfonts import TTFontFile

from export.docx import render_docx
from export.pdf import render_pdf
from model.datafile import read_datafile

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "examples" / "sample-2021-county-bureau.nianbao.json"
EXAMPLE = ROOT / "resources" / "examples" / "example-2019-township.nianbao.json"


def _installer_module(name: str) -> ModuleType:
    saved = list(sys.path)
    sys.path.insert(0, str(ROOT / "installer"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path[:] = saved  # installer/build.py must not shadow anything afterwards


@pytest.fixture(scope="module", autouse=True)
def _poppler() -> None:
    if shutil.which("pdftotext") is None or shutil.which("pdffonts") is None:
        if os.environ.get("CI"):
            pytest.fail("poppler-utils (pdftotext, pdffonts) is missing on CI: .ci/run installs it")
        pytest.skip("poppler-utils (pdftotext, pdffonts) is not installed; .ci/run installs it")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("readback")
    report = read_datafile(SAMPLE.read_bytes())
    pdf, docx = folder / "年报.pdf", folder / "年报.docx"
    pdf.write_bytes(render_pdf(report).data)
    docx.write_bytes(render_docx(report))
    return pdf, docx


def test_every_table_row_of_an_export_is_read_back(exported: tuple[Path, Path]) -> None:
    readback = _installer_module("readback")
    pdf, docx = exported
    rows = readback.table_rows(SAMPLE)
    assert len(rows) > 20 and any(len(row) > 6 for row in rows)
    assert readback.missing_rows(readback.pdf_text(pdf), rows) == []
    assert readback.missing_rows(readback.docx_table_text(docx), rows) == []
    fonts = readback.pdf_fonts(pdf)
    assert fonts and all(font.embedded for font in fonts)


def test_an_export_of_other_numbers_is_caught(exported: tuple[Path, Path]) -> None:
    readback = _installer_module("readback")
    pdf, docx = exported
    other = readback.table_rows(EXAMPLE)  # the example's numbers are not the sample's
    assert readback.missing_rows(readback.pdf_text(pdf), other) != []
    assert readback.missing_rows(readback.docx_table_text(docx), other) != []


def test_stand_in_windows_fonts_have_names_of_their_own(tmp_path: Path, monkeypatch) -> None:
    check = _installer_module("windows_check")
    monkeypatch.setattr(check, "FONTS_DIR", tmp_path)
    check._put_stand_in_fonts()
    for name in check.STAND_IN_FONTS:
        font = TTFontFile(str(tmp_path / name))
        assert font.name.decode().startswith(f"WinFont-{Path(name).stem}"), name
