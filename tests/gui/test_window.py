"""The window around the tables: new reports, import and export, saving, fonts, Chinese."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog

from gui.dialogs import NewReportDialog, default_year
from gui.main_window import MainWindow
from model import ops
from model.datafile import read_datafile
from model.db import Database

from .conftest import EXAMPLE, SAMPLE

pytestmark = pytest.mark.gui


def test_default_year_follows_the_reporting_season() -> None:
    assert default_year(dt.date(2026, 11, 25)) == 2026
    assert default_year(dt.date(2027, 1, 10)) == 2026


def test_new_report_dialog_offers_last_year(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = NewReportDialog("某某镇人民政府", lambda agency, year: year == 2025 or None)
    qtbot.addWidget(dialog)
    dialog.year.setValue(2026)
    assert dialog.from_last.isEnabled() and dialog.from_last.isChecked()
    assert dialog.format.itemText(0) == "按年度自动（2021格式）"
    dialog.year.setValue(2020)
    assert not dialog.from_last.isEnabled()
    assert dialog.format.itemText(0) == "按年度自动（2019格式）"
    assert dialog.result_value().year == 2020


def test_new_report_through_the_menu(
    qtbot, window: MainWindow, reader: Database, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    def fill_and_accept(dialog: NewReportDialog) -> int:
        dialog.agency.setText("某某镇人民政府")
        dialog.year.setValue(2024)
        return NewReportDialog.DialogCode.Accepted

    monkeypatch.setattr(NewReportDialog, "exec", fill_and_accept)
    window.new_action.trigger()
    report_id = ops.find_report(reader, "某某镇人民政府", 2024)
    assert report_id is not None
    assert ops.load_report(reader, report_id).format_id == "2021"
    assert "某某镇人民政府 2024年" in window.windowTitle()
    assert window.pages["basic"].year.text() == "2024年"


def test_import_and_export_a_data_file(
    qtbot, window: MainWindow, reader: Database, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(SAMPLE)], ""))
    window.import_files()
    assert ops.find_report(reader, "某某县自然资源局", 2022) is not None
    out = tmp_path / "out.nianbao.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.export_file()
    assert out.read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")


def test_a_broken_file_is_refused_with_its_reason(
    qtbot, window: MainWindow, reader: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.nianbao.json"
    broken.write_bytes(EXAMPLE.read_bytes()[:300])
    window.import_file(broken)
    assert "broken.nianbao.json" in window.message.text()
    assert ops.list_reports(reader) == []


def test_ctrl_s_only_confirms(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    window.session.import_report(read_datafile(EXAMPLE.read_bytes()), replace=False)
    window.pages["requests"].model.setData(
        window.pages["requests"].model.index_of("requests.new.natural"), "1"
    )
    assert window.saved_label.text().startswith("已保存 ")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage().startswith("所有修改都已自动保存")


def test_the_window_has_a_chinese_font_and_chinese_dialogs(window: MainWindow) -> None:
    family = QApplication.font().family()
    systems = QFontDatabase.writingSystems(family)
    assert QFontDatabase.WritingSystem.SimplifiedChinese in systems
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    texts = {b.text() for b in box.buttons()}
    assert texts == {"确定", "取消"}


def test_reopening_shows_the_last_report(
    qtbot, window: MainWindow, db_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from gui.app import open_database
    from gui.settings import Settings

    assert window.session is not None
    window.session.import_report(read_datafile(EXAMPLE.read_bytes()), replace=False)
    window.session.import_report(read_datafile(SAMPLE.read_bytes()), replace=False)
    window.switcher.setCurrentIndex(0)
    window.switcher.activated.emit(0)
    assert window.session.report.agency == "古城回族乡人民政府"
    window.close()
    again = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(again)
    assert open_database(again, db_path)
    assert again.session is not None and again.session.report is not None
    assert again.session.report.agency == "古城回族乡人民政府"
    again.session.close()


def test_delete_asks_and_removes(qtbot, window: MainWindow, reader: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    assert window.session is not None
    window.session.import_report(read_datafile(SAMPLE.read_bytes()), replace=False)
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No
    )
    window.delete_action.trigger()
    assert "删除后不能恢复" in asked[0]
    assert ops.find_report(reader, "某某县自然资源局", 2022) is not None
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.delete_action.trigger()
    assert ops.find_report(reader, "某某县自然资源局", 2022) is None
    assert window.session.report is None


def test_copy_a_block_out(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    assert window.session is not None
    window.session.import_report(read_datafile(SAMPLE.read_bytes()), replace=False)
    page = window.pages["requests"]
    window.tabs.setCurrentWidget(page)
    model = page.model
    first, last = (
        model.index_of("requests.new.natural"),
        model.index_of("requests.carried_in.business"),
    )
    page.view.selectionModel().select(
        QItemSelection(first, last), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    qtbot.keyClick(page.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    cells = window.session.report.cells
    expected = (
        f"{cells['requests.new.natural']}\t{cells['requests.new.business']}\n"
        f"{cells['requests.carried_in.natural']}\t{cells['requests.carried_in.business']}"
    )
    assert QApplication.clipboard().text() == expected


def test_draft_paragraph_goes_into_the_overview(
    qtbot, window: MainWindow, reader: Database
) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    window.session.import_report(read_datafile(SAMPLE.read_bytes()), replace=False)
    page = window.pages["overview"]
    window.tabs.setCurrentWidget(page)
    page.editor.setPlainText("")
    qtbot.mouseClick(page.draft_button, Qt.MouseButton.LeftButton)
    report_id = ops.find_report(reader, "某某县自然资源局", 2022)
    assert report_id is not None
    text = ops.load_report(reader, report_id).text("overview")
    assert text.startswith("本年度共新收政府信息公开申请53件，上年结转4件")
    qtbot.waitUntil(lambda: page.counter.text() == f"共{len(text)}字（原则上不超过1000字）")


def test_an_imported_total_that_disagrees_can_be_replaced_by_the_computed_one(
    qtbot, window: MainWindow, reader: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import json

    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["cells"]["requests.handled.natural"] = 40  # the items add up to 39
    faulty = tmp_path / "faulty.nianbao.json"
    faulty.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    window.import_file(faulty)
    panel = window.findings
    assert panel.list.count() == 1
    assert "报告填写为40，按各项相加应为39" in panel.list.item(0).text()
    assert not panel.accept_button.isVisibleTo(panel)
    panel.list.setCurrentRow(0)
    assert panel.accept_button.isVisibleTo(panel)
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    report_id = ops.find_report(reader, "某某县自然资源局", 2022)
    assert report_id is not None
    assert ops.load_report(reader, report_id).declared == {}
    assert panel.list.count() == 0
    assert window.session is not None
    window.session.undo_stack.undo()
    assert ops.load_report(reader, report_id).declared == {"requests.handled.natural": 40}
    assert panel.list.count() == 1
