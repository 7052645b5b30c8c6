"""The clerk's first hour: the start page on an empty database, the default year, the status
bar once a report exists, the report selector's text, and the print preview's size."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QFileDialog, QStyle, QStyleOptionComboBox

import gui.dialogs
from gui.dialogs import NewReportDialog, default_year
from gui.main_window import MainWindow
from model import ops
from model.datafile import read_datafile
from model.db import Database

from .conftest import EXAMPLE, SAMPLE

pytestmark = pytest.mark.gui


def _on_start_page(window: MainWindow) -> bool:
    return window.start_page.isVisible() and not window.tabs.isVisible()


# ------------------------------------------------------------------ the default year


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (dt.date(2026, 1, 1), 2025),  # reports are due by 31 January: last year's
        (dt.date(2026, 3, 15), 2025),
        (dt.date(2026, 6, 30), 2025),  # the year just ended until the end of June
        (dt.date(2026, 7, 1), 2026),  # the current year from July
        (dt.date(2026, 12, 31), 2026),
    ],
)
def test_default_year_is_last_year_until_june(today: dt.date, year: int) -> None:
    assert default_year(today) == year


def test_new_report_dialog_starts_at_the_default_year(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(gui.dialogs, "default_year", lambda: default_year(dt.date(2024, 8, 1)))
    dialog = NewReportDialog("", lambda agency, year: None)
    qtbot.addWidget(dialog)
    assert dialog.year.value() == 2024


# ------------------------------------------------------------------ the start page


def test_an_empty_database_shows_the_ways_to_begin(window: MainWindow) -> None:
    assert window.session is not None and window.session.report is None
    assert _on_start_page(window)
    page = window.start_page
    assert page.new_button.isVisible() and page.import_button.isVisible()
    assert page.new_button.text() == f"新建{default_year()}年度报告"
    assert not page.carry_button.isVisible()  # nothing to carry over
    assert not window.findings_dock.isVisible()


def test_new_report_from_the_start_page(
    qtbot, window: MainWindow, reader: Database, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    shown: list[int] = []

    def fill_and_accept(dialog: NewReportDialog) -> int:
        shown.append(dialog.year.value())
        dialog.agency.setText("某某镇人民政府")
        return NewReportDialog.DialogCode.Accepted

    monkeypatch.setattr(NewReportDialog, "exec", fill_and_accept)
    qtbot.mouseClick(window.start_page.new_button, Qt.MouseButton.LeftButton)
    assert shown == [default_year()]
    report_id = ops.find_report(reader, "某某镇人民政府", default_year())
    assert report_id is not None
    assert window.session is not None and window.session.report_id == report_id
    assert window.tabs.isVisible() and not window.start_page.isVisible()
    assert window.findings_dock.isVisible()
    # The "no report yet" hint is gone from the status bar.
    assert window.message.text() == ""
    assert "还没有报告" not in window.statusBar().currentMessage()


def test_cancelling_the_new_report_stays_on_the_start_page(
    qtbot, window: MainWindow, reader: Database, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(NewReportDialog, "exec", lambda d: NewReportDialog.DialogCode.Rejected)
    qtbot.mouseClick(window.start_page.new_button, Qt.MouseButton.LeftButton)
    assert ops.list_reports(reader) == []
    assert _on_start_page(window)
    assert window.message.text().startswith("还没有报告")


def test_import_from_the_start_page(
    qtbot, window: MainWindow, reader: Database, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(EXAMPLE)], ""))
    qtbot.mouseClick(window.start_page.import_button, Qt.MouseButton.LeftButton)
    assert ops.find_report(reader, "古城回族乡人民政府", 2019) is not None
    assert window.tabs.isVisible() and not window.start_page.isVisible()
    assert window.message.text() == ""
    assert window.pages["basic"].agency.text() == "古城回族乡人民政府"


def test_a_broken_file_from_the_start_page_says_why(
    qtbot, window: MainWindow, reader: Database, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "坏文件.nianbao.json"
    broken.write_text("{", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(broken)], ""))
    qtbot.mouseClick(window.start_page.import_button, Qt.MouseButton.LeftButton)
    assert ops.list_reports(reader) == []
    assert _on_start_page(window)
    assert "坏文件.nianbao.json" in window.message.text()


def test_carry_over_from_the_start_page(qtbot, window: MainWindow, reader: Database) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    window.session.import_report(read_datafile(EXAMPLE.read_bytes()), replace=False)
    window.open_report(None)  # a 2019 report in the database, none open
    assert _on_start_page(window)
    page = window.start_page
    assert page.carry_button.isVisible()
    assert "古城回族乡人民政府" in page.carry_button.description()
    assert "2020年" in page.carry_button.description()
    qtbot.mouseClick(page.carry_button, Qt.MouseButton.LeftButton)
    report_id = ops.find_report(reader, "古城回族乡人民政府", 2020)
    assert report_id is not None
    assert window.session.report_id == report_id
    assert window.tabs.isVisible()
    assert window.message.text() == ""


def test_carry_over_is_not_offered_when_next_year_exists(window: MainWindow) -> None:
    assert window.session is not None
    window.session.import_report(read_datafile(EXAMPLE.read_bytes()), replace=False)
    window.session.create_next_year(window.session.report_id or 0)  # 2020 from 2019
    window.session.create_next_year(window.session.report_id or 0)  # 2021 from 2020
    window.session.open(None)
    # Only the latest year, 2021, can be carried over: to 2022.
    description = window.start_page.carry_button.description()
    assert "2021年的报告" in description and "2022年" in description


# ------------------------------------------------------------------ status bar, selector


def test_the_status_hint_goes_after_creating_through_the_menu(
    qtbot, window: MainWindow, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    assert window.message.text().startswith("还没有报告")

    def fill_and_accept(dialog: NewReportDialog) -> int:
        dialog.agency.setText("某某街道办事处")
        return NewReportDialog.DialogCode.Accepted

    monkeypatch.setattr(NewReportDialog, "exec", fill_and_accept)
    window.new_action.trigger()
    assert window.session is not None and window.session.report is not None
    assert window.message.text() == ""


def test_the_report_selector_shows_its_whole_text(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    qtbot.wait(100)  # the window on screen, its selector empty, before the first report
    window.session.import_report(read_datafile(EXAMPLE.read_bytes()), replace=False)
    window.session.import_report(read_datafile(SAMPLE.read_bytes()), replace=False)
    window.session.create_report("某某自治县某某镇人民政府办公室", 2024, None)  # a long name
    switcher = window.switcher
    texts = [switcher.itemText(i) for i in range(switcher.count())]
    assert any(t.endswith("2021格式") for t in texts) and any(t.endswith("2019格式") for t in texts)
    metrics = switcher.fontMetrics()
    widest = max(metrics.horizontalAdvance(t) for t in texts)

    def text_room() -> int:
        """The room the style leaves for the text, without the arrow and the frame."""
        option = QStyleOptionComboBox()
        switcher.initStyleOption(option)
        field = switcher.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            switcher,
        )
        return field.width()

    qtbot.wait(100)  # the tool bar lays itself out again on the next turn of the event loop
    assert switcher.width() >= widest
    assert text_room() >= widest, (text_room(), widest)


# ------------------------------------------------------------------ the print preview


def test_print_opens_the_preview_over_most_of_the_screen_fitted(
    qtbot, window: MainWindow, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    window.session.import_report(read_datafile(EXAMPLE.read_bytes()), replace=False)
    seen: dict[str, object] = {}

    def show_and_cancel(dialog: QPrintPreviewDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        preview = dialog.findChild(QPrintPreviewWidget)
        qtbot.waitUntil(lambda: preview.pageCount() > 0, timeout=30000)
        seen.update(
            size=dialog.size(),
            mode=preview.zoomMode(),
            zoom=preview.zoomFactor(),
            pages=preview.pageCount(),
        )
        dialog.close()
        return QPrintPreviewDialog.DialogCode.Rejected

    monkeypatch.setattr(QPrintPreviewDialog, "exec", show_and_cancel)
    window.print_action.trigger()
    screen = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    size = seen["size"]
    assert size.width() >= 0.8 * screen.width()  # type: ignore[attr-defined]
    assert size.height() >= 0.8 * screen.height()  # type: ignore[attr-defined]
    assert size.width() <= screen.width() and size.height() <= screen.height()  # type: ignore[attr-defined]
    assert seen["mode"] == QPrintPreviewWidget.ZoomMode.FitInView
    assert seen["zoom"] > 0.3  # type: ignore[operator]  # not a speck at 5%
    assert seen["pages"] >= 2
    assert window.statusBar().currentMessage() != "已发送到打印机"


def test_a_file_opened_at_start_leaves_the_tabs_their_room(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A double-clicked data file is imported in the same turn as the window opens (gui.app):
    the findings panel then came back at the rest of the window, 934 of 1280 pixels, and the
    tabs had to scroll after 二.  It takes a quarter at most, as when a report opens later."""
    from gui.app import create_application, open_database
    from gui.settings import Settings

    create_application([])
    window = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    assert open_database(window, tmp_path / "start.sqlite3")
    window.import_file(SAMPLE)  # no event processed in between, as at start-up
    qtbot.waitUntil(lambda: window.findings_dock.width() <= 1280 // 4)
    assert window.tabs.width() > 1280 // 2
    assert window.session is not None
    window.session.close()
