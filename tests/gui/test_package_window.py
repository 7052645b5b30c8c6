"""文件 → 生成报送材料…: the clerk picks a folder, a new folder of five files appears in it, each
with the report's version code, and the status line names it."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pdfplumber
import pytest
from PySide6.QtWidgets import QFileDialog

from gui.main_window import MainWindow
from model.datafile import read_datafile
from model.version import version_code

from .conftest import SAMPLE

pytestmark = pytest.mark.gui

BASE = "某某县自然资源局_2022年政府信息公开工作年度报告"


def _choose(monkeypatch: pytest.MonkeyPatch, folder: Path | None) -> list[str]:
    asked: list[str] = []

    def dialog(parent, caption, *rest):  # type: ignore[no-untyped-def]
        asked.append(caption)
        return "" if folder is None else str(folder)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", dialog)
    return asked


def test_package_from_the_file_menu(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    window.session.import_report(read_datafile(SAMPLE.read_bytes()), replace=False)
    report = window.session.report
    assert report is not None
    code = version_code(report)
    parent = tmp_path / "报送"
    parent.mkdir()
    asked = _choose(monkeypatch, parent)
    file_menu = window.menuBar().actions()[0].menu()
    assert "生成报送材料(&K)…" in [a.text() for a in file_menu.actions()]
    assert window.package_action.isEnabled()
    window.package_action.trigger()
    assert asked and "报送材料" in asked[0]
    folder = parent / f"{BASE}_报送材料"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{BASE}{end}" for end in (".pdf", ".docx", ".html", ".nianbao.json", "_自查表.pdf")
    )
    with pdfplumber.open(folder / f"{BASE}.pdf") as pdf:
        assert pdf.metadata["NianbaoVersion"] == code
        assert "某某县自然资源局" in (pdf.pages[0].extract_text() or "")
    with pdfplumber.open(folder / f"{BASE}_自查表.pdf") as sheet:
        assert code in (sheet.pages[0].extract_text() or "")
    assert docx.Document(str(folder / f"{BASE}.docx")).core_properties.identifier == code
    assert f'<meta name="nianbao-version" content="{code}">' in (folder / f"{BASE}.html").read_text(
        encoding="utf-8"
    )
    data = json.loads((folder / f"{BASE}.nianbao.json").read_text(encoding="utf-8"))
    assert data["version"] == code and data["cells"] == json.loads(SAMPLE.read_bytes())["cells"]
    message = window.statusBar().currentMessage()
    assert "已生成报送材料（5个文件）" in message and str(folder) in message

    # Again: a new folder beside the first, which stays as it was.
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    window.package_action.trigger()
    assert (parent / f"{BASE}_报送材料 (2)").is_dir()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert "报送材料 (2)" in window.statusBar().currentMessage()


def test_cancelling_writes_nothing(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    window.session.import_report(read_datafile(SAMPLE.read_bytes()), replace=False)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    _choose(monkeypatch, None)
    window.package_action.trigger()
    assert list(out.iterdir()) == []


def test_a_folder_that_went_away_is_explained(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    window.session.import_report(read_datafile(SAMPLE.read_bytes()), replace=False)
    shown: list[str] = []
    monkeypatch.setattr("gui.dialogs.show_error", lambda _p, _t, text: shown.append(text))
    gone = tmp_path / "已删除的文件夹"
    _choose(monkeypatch, gone)
    window.package_action.trigger()
    assert not gone.exists()
    assert any("无法在" in text and "生成报送材料" in text for text in shown), shown


def test_package_is_off_without_a_report(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.open_initial_report()
    assert not window.package_action.isEnabled()
