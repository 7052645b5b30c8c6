"""Printing and the preview: the same pages as the PDF, on A4 or scaled up to A3."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter

from export.pdf import render_pdf
from gui.main_window import MainWindow
from gui.printing import load_pdf, new_printer, print_document
from model.datafile import read_datafile

from .conftest import EXAMPLE, SAMPLE

pytestmark = pytest.mark.gui

A4 = (595.3, 841.9)
A3 = (841.9, 1190.6)


def _print_to_file(path: Path, paper: QPageSize.PageSizeId, report_file: Path) -> int:
    rendered = render_pdf(read_datafile(report_file.read_bytes()))
    document = load_pdf(rendered.data)
    printer = new_printer(paper)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printed = print_document(document, printer)
    assert printed == rendered.pages
    return printed


@pytest.mark.parametrize(
    ("paper", "size"), [(QPageSize.PageSizeId.A4, A4), (QPageSize.PageSizeId.A3, A3)]
)
def test_every_page_prints_on_the_chosen_paper(qtbot, tmp_path: Path, paper, size) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "printed.pdf"
    pages = _print_to_file(out, paper, SAMPLE)
    with pdfplumber.open(out) as printed:
        assert len(printed.pages) == pages
        for page in printed.pages:
            assert page.width == pytest.approx(size[0], abs=2)
            assert page.height == pytest.approx(size[1], abs=2)
            [image] = page.images
            # sharp: at least 250 dots per inch of the paper
            assert image["srcsize"][1] / (size[1] / 72) >= 250


def test_preview_tab_shows_the_pages(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    window.session.import_report(read_datafile(EXAMPLE.read_bytes()), replace=False)
    preview = window.pages["preview"]
    window.tabs.setCurrentWidget(preview)
    qtbot.waitUntil(
        lambda: preview.document is not None, timeout=30000
    )  # rendered off the UI thread
    expected = render_pdf(read_datafile(EXAMPLE.read_bytes())).pages
    assert preview.document.pageCount() == expected
    assert preview.status.text().startswith(f"共{expected}页")
    with pdfplumber.open(__import__("io").BytesIO(preview.pdf)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "政府集中采购" in text


def test_export_pdf_from_the_window(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    assert window.session is not None
    window.session.import_report(read_datafile(SAMPLE.read_bytes()), replace=False)
    out = tmp_path / "报告.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.export_actions["pdf"].trigger()
    with pdfplumber.open(out) as pdf:
        first = pdf.pages[0].extract_text() or ""
    assert "某某县自然资源局" in first


def test_only_the_report_offers_the_notice_board_layout(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A document without an A3 layout of its own (the one-page 自查表) prints as before: no
    版式 box; the report's pages, owned by the preview tab, get one."""
    from PySide6.QtWidgets import QComboBox

    from gui.printing import print_dialog

    document = load_pdf(render_pdf(read_datafile(SAMPLE.read_bytes())).data)
    printers = [new_printer(), new_printer()]  # kept alive with the dialogs
    plain = print_dialog(document, printers[0])
    assert plain.findChild(QComboBox, "print_layout") is None
    chooser = print_dialog(document, printers[1], notice_board=lambda: b"")
    assert chooser.findChild(QComboBox, "print_layout") is not None
    plain.deleteLater()
    chooser.deleteLater()
