"""打印 → 版式 公告栏A3（放大字号重排）: the print preview offers the notice-board layout besides A4
and the enlarged A3, and printing it prints the report laid out anew on A3 (issue 16 item 6)."""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QComboBox

from export.pdf import render_notice_board, render_pdf
from gui.main_window import MainWindow
from model.datafile import read_datafile
from model.report import Report

from .conftest import SAMPLE

pytestmark = pytest.mark.gui

A4 = (595.3, 841.9)
A3 = (841.9, 1190.6)
LAYOUTS = ["A4（公文原样）", "A3（A4等比放大）", "公告栏A3（放大字号重排）"]


def _print_with(
    qtbot, window: MainWindow, monkeypatch, choice: str, out: Path
) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Open 打印, choose ``choice`` in the 版式 box and print to ``out`` as the preview's print
    button does (a PDF printer stands in for the real one)."""
    seen: dict[str, object] = {}

    def choose_and_print(dialog: QPrintPreviewDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        preview = dialog.findChild(QPrintPreviewWidget)
        box = dialog.findChild(QComboBox, "print_layout")
        assert box is not None and box.isVisible()
        seen["items"] = [box.itemText(i) for i in range(box.count())]
        box.setCurrentIndex(seen["items"].index(choice))  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: preview.pageCount() > 0, timeout=30000)
        seen["preview_pages"] = preview.pageCount()
        dialog.grab().save(str(out.with_suffix(".png")))
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        dialog.paintRequested.emit(printer)
        dialog.close()
        return QPrintPreviewDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintPreviewDialog, "exec", choose_and_print)
    window.print_action.trigger()
    assert window.statusBar().currentMessage() == "已发送到打印机"
    return seen


def _large_figures() -> Report:
    """The county bureau's sample with 99,999,999 in every count: on A4 the numbers of part 三
    print small to fit, and the notice board, keeping them at 小四, needs a page more."""
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["cells"] = {k: 99_999_999 if isinstance(v, int) else v for k, v in data["cells"].items()}
    return read_datafile(json.dumps(data, ensure_ascii=False).encode("utf-8"))


@pytest.fixture
def example_window(window: MainWindow) -> MainWindow:
    assert window.session is not None
    window.session.import_report(_large_figures(), replace=False)
    return window


def _printed(out: Path) -> list[tuple[float, float]]:
    with pdfplumber.open(out) as pdf:
        return [(page.width, page.height) for page in pdf.pages]


def test_the_notice_board_layout_prints_the_a3_pages(  # type: ignore[no-untyped-def]
    qtbot, example_window: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    out = tmp_path / "公告栏.pdf"
    seen = _print_with(qtbot, example_window, monkeypatch, LAYOUTS[2], out)
    assert seen["items"] == LAYOUTS
    notice = render_notice_board(_large_figures()).pages
    assert notice != render_pdf(_large_figures()).pages  # told apart from the A4 pages
    assert seen["preview_pages"] == notice
    pages = _printed(out)
    assert len(pages) == notice
    for size in pages:
        assert size == pytest.approx(A3, abs=2)


@pytest.mark.parametrize(("choice", "paper"), [(LAYOUTS[0], A4), (LAYOUTS[1], A3)])
def test_a4_and_enlarged_a3_print_the_a4_pages(  # type: ignore[no-untyped-def]
    qtbot, example_window: MainWindow, monkeypatch, tmp_path: Path, choice: str, paper
) -> None:
    out = tmp_path / "打印.pdf"
    _print_with(qtbot, example_window, monkeypatch, choice, out)
    pages = _printed(out)
    assert len(pages) == render_pdf(_large_figures()).pages
    for size in pages:
        assert size == pytest.approx(paper, abs=2)
