"""导出Word in the window: the 文件 menu action and the preview tab's button write the same
.docx as the command line, through the save dialog."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from PySide6.QtWidgets import QFileDialog

from export.docx import render_docx
from gui.main_window import MainWindow
from model.datafile import read_datafile

from .conftest import EXAMPLE, SAMPLE

pytestmark = pytest.mark.gui


def _save_to(monkeypatch: pytest.MonkeyPatch, out: Path) -> list[str]:
    asked: list[str] = []

    def dialog(parent, caption, name, filters):  # type: ignore[no-untyped-def]
        asked.append(name)
        return str(out), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    return asked


def test_export_word_from_the_file_menu(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    window.session.import_report(read_datafile(SAMPLE.read_bytes()), replace=False)
    out = tmp_path / "报告.docx"
    asked = _save_to(monkeypatch, out)
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert texts.index("导出Word(&W)…") == texts.index("导出PDF(&D)…") + 1
    window.export_actions["docx"].trigger()
    assert asked == ["某某县自然资源局2022年政府信息公开工作年度报告.docx"]
    assert out.read_bytes() == render_docx(window.session.report)
    word = docx.Document(io.BytesIO(out.read_bytes()))
    # The title as the PDF sets it: broken by meaning, before 政府信息公开…报告.
    assert word.paragraphs[0].text.split("\n") == [
        "某某县自然资源局2022年",
        "政府信息公开工作年度报告",
    ]
    assert "已导出Word文档" in window.statusBar().currentMessage()


def test_export_word_from_the_preview_tab(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    window.session.import_report(read_datafile(EXAMPLE.read_bytes()), replace=False)
    preview = window.pages["preview"]
    window.tabs.setCurrentWidget(preview)
    out = tmp_path / "example.docx"
    _save_to(monkeypatch, out)
    buttons = [*preview.export_buttons.values(), preview.print_button]
    assert [b.text() for b in buttons] == ["导出PDF…", "导出Word…", "导出网页版…", "打印…"]
    preview.export_buttons["docx"].click()
    assert docx.Document(str(out)).core_properties.author == "古城回族乡人民政府"


def test_export_word_is_off_without_a_report(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.open_initial_report()
    assert not window.export_actions["docx"].isEnabled()
