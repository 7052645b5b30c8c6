"""The county desk window (县级汇总台): the register and the review, driven as a clerk would
— typing, keys, clicks — and checked in the database."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QWidget

from gui.desk import register_page, review_page
from gui.desk.window import DeskWindow
from gui.main_window import MainWindow
from model import ops, register
from model.datafile import read_datafile
from model.register import Decision, UnitKind

from .conftest import SAMPLE

YEAR = 2022  # the sample's year
#: Units with a report (the last one's report has an error) and one without.
UNITS = {
    "某某县人民政府": UnitKind.OWN,
    "某某县自然资源局": UnitKind.DEPARTMENT,
    "某某县教育局": UnitKind.DEPARTMENT,
    "某某镇人民政府": UnitKind.TOWNSHIP,
}
REPORTED = ("某某县自然资源局", "某某县教育局", "某某镇人民政府")
FAULTY = "某某镇人民政府"
SILENT = "某某县人民政府"


def fill(window: MainWindow, units: dict[str, UnitKind] = UNITS) -> None:
    """The register and this year's reports, written as the model writes them."""
    assert window.session is not None
    db = window.session.db
    register.add_units(db, list(units.items()))
    sample = read_datafile(SAMPLE.read_bytes())
    for agency in REPORTED:
        report = copy.deepcopy(sample)
        report.agency = agency
        if agency == FAULTY:  # 一+二 no longer equals 三+四
            report.cells["requests.new.natural"] = 1000
        ops.save_report(db, report, replace=False)
    window.session.reportsChanged.emit()


def open_desk(window: MainWindow) -> DeskWindow:
    """汇总 → 县级汇总台…, from the main window's menu."""
    [action] = [a for a in window.findChildren(QAction) if a.text() == "县级汇总台(&D)…"]
    action.trigger()
    desk = window.desk_window  # type: ignore[attr-defined]
    assert isinstance(desk, DeskWindow)
    desk.context.set_year(YEAR)
    desk.year_box.setValue(YEAR)
    return desk


@pytest.fixture
def desk(window: MainWindow, qtbot) -> DeskWindow:  # type: ignore[no-untyped-def]
    return filled_desk(window, qtbot)


def filled_desk(window: MainWindow, qtbot) -> DeskWindow:  # type: ignore[no-untyped-def]
    """The desk of a register of four units, three of which reported (one with an error)."""
    fill(window)
    desk = open_desk(window)
    qtbot.addWidget(desk)
    qtbot.waitExposed(desk)
    desk.activateWindow()
    return desk


def unit(desk: DeskWindow, name: str) -> register.Unit:
    found = register.find_unit(desk.context.db, name)
    assert found is not None
    return found


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` as an input method would deliver it (QTest only types ASCII); in a table,
    the first character opens the cell's editor, which takes the rest."""
    target = widget
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(target, event)
        if isinstance(widget, QAbstractItemView):
            target = QApplication.focusWidget() or widget


def undo(qtbot, desk: DeskWindow) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+Z in the desk window (its own undo stack, not the report window's)."""
    desk.activateWindow()
    qtbot.keyClick(desk.tabs.currentWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_menu_opens_the_desk_on_the_same_database(desk: DeskWindow, window: MainWindow) -> None:
    assert desk.windowTitle() == "县级汇总台"
    assert [desk.tabs.tabText(i) for i in range(desk.tabs.count())] == [
        "单位名册",
        "审核",
        "汇总",
        "指标",
    ]
    assert window.session is not None
    assert desk.context.db is window.session.db
    names = [r.agency for r in desk.register_page.model.rows]
    assert names == ["某某县人民政府", "某某县教育局", "某某县自然资源局", "某某镇人民政府"]


def test_add_a_unit_by_typing_then_undo_removes_it(desk: DeskWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = desk.register_page
    page.name_edit.setFocus()
    type_text(page.name_edit, "某某乡人民政府")
    assert page.kind_box.currentText() == "乡镇街道"  # guessed from the name
    qtbot.keyClick(page.name_edit, Qt.Key.Key_Return)
    added = unit(desk, "某某乡人民政府")
    assert added.kind is UnitKind.TOWNSHIP and added.must_report
    assert "某某乡人民政府" in [r.agency for r in page.model.rows]
    assert page.name_edit.text() == ""
    undo(qtbot, desk)
    assert register.find_unit(desk.context.db, "某某乡人民政府") is None
    assert "某某乡人民政府" not in [r.agency for r in page.model.rows]
    desk.redo_action.trigger()
    assert unit(desk, "某某乡人民政府").kind is UnitKind.TOWNSHIP


def test_a_kind_chosen_by_hand_is_kept_and_a_duplicate_is_refused(desk: DeskWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = desk.register_page
    page.kind_box.setCurrentText("其他")
    page.kind_box.activated.emit(3)
    type_text(page.name_edit, "某某镇人民政府")  # already registered
    assert page.kind_box.currentText() == "其他"
    qtbot.keyClick(page.name_edit, Qt.Key.Key_Return)
    assert "已" in desk.message.text() or "存在" in desk.message.text()
    assert len(register.list_units(desk.context.db)) == len(UNITS)
    assert desk.context.undo_stack.count() == 0


def test_edit_kind_must_report_and_note_in_place(desk: DeskWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = desk.register_page
    table, model = page.table, page.model
    at = model.row_of("某某县教育局")
    # 类别: F2 opens the choices, the clerk picks 其他 and presses Enter.
    table.setFocus()
    table.setCurrentIndex(model.index(at, register_page.KIND))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    [editor] = table.viewport().findChildren(QComboBox)
    editor.setCurrentText("其他")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits in a queued call
    assert unit(desk, "某某县教育局").kind is UnitKind.OTHER
    # 须报送: space toggles it.
    at = model.row_of("某某县教育局")
    table.setCurrentIndex(model.index(at, register_page.MUST))
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert unit(desk, "某某县教育局").must_report is False
    # 备注: typing replaces it.
    at = model.row_of("某某县教育局")
    table.setCurrentIndex(model.index(at, register_page.NOTE))
    type_text(table, "机构改革后合并")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QApplication.processEvents()
    assert unit(desk, "某某县教育局").note == "机构改革后合并"
    # Three steps, undone one by one.
    assert desk.context.undo_stack.count() == 3
    undo(qtbot, desk)
    assert unit(desk, "某某县教育局").note == ""
    undo(qtbot, desk)
    assert unit(desk, "某某县教育局").must_report is True
    undo(qtbot, desk)
    assert unit(desk, "某某县教育局").kind is UnitKind.DEPARTMENT


def test_a_units_first_year_typed_in_the_register(desk: DeskWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = desk.register_page
    model, table = page.model, page.table
    name = SILENT  # no report this year
    at = model.row_of(name)
    table.setFocus()
    table.setCurrentIndex(model.index(at, register_page.FROM))
    type_text(table, str(YEAR + 1))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QApplication.processEvents()
    assert unit(desk, name).from_year == YEAR + 1
    # not expected this year: off the review table, greyed in the register
    assert name not in [r.agency for r in desk.review_page.model.rows]
    qtbot.waitUntil(  # the register refreshes once the cell's editor has closed
        lambda: (
            model.index(model.row_of(name), register_page.NAME).data(Qt.ItemDataRole.ForegroundRole)
            is not None
        )
    )
    # a word is not a year
    assert not model.setData(model.index(model.row_of(name), register_page.TO), "明年")
    assert "不是年份" in desk.message.text()
    undo(qtbot, desk)
    assert unit(desk, name).from_year is None
    assert name in [r.agency for r in desk.review_page.model.rows]


def test_the_years_decision_address_and_date(desk: DeskWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    page, db = desk.register_page, desk.context.db
    model = page.model
    bureau = unit(desk, "某某县自然资源局")
    at = model.row_of(bureau.name)
    assert model.setData(model.index(at, register_page.STATUS), "已发布")
    assert model.setData(
        model.index(at, register_page.URL), "https://www.example.gov.cn/nb/2022.html"
    )
    assert model.setData(model.index(at, register_page.DATE), "2023年1月20日")
    entry = register.unit_years(db, YEAR)[bureau.id]
    assert entry.decision is Decision.PUBLISHED
    assert entry.url == "https://www.example.gov.cn/nb/2022.html"
    assert str(entry.published_on) == "2023-01-20"
    shown = model.index(model.row_of(bureau.name), register_page.STATUS).data()
    assert shown == "已发布"
    # A date that is not one is refused, with a message, and nothing changes.
    assert not model.setData(model.index(at, register_page.DATE), "一月底")
    assert "不是日期" in desk.message.text()
    assert register.unit_years(db, YEAR)[bureau.id].published_on == entry.published_on
    undo(qtbot, desk)
    assert register.unit_years(db, YEAR)[bureau.id].published_on is None
    assert register.unit_years(db, YEAR)[bureau.id].url == entry.url


def test_remove_a_unit_keeps_its_report_and_undo_brings_it_back(desk: DeskWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    page, db = desk.register_page, desk.context.db
    page.select("某某县教育局")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert register.find_unit(db, "某某县教育局") is None
    assert ops.find_report(db, "某某县教育局", YEAR) is not None
    review = desk.review_page.model
    [row] = [r for r in review.rows if r.agency == "某某县教育局"]
    assert row.unit is None  # still reviewed: a report of an unregistered unit
    undo(qtbot, desk)
    assert unit(desk, "某某县教育局").kind is UnitKind.DEPARTMENT


def rows_shown(page: review_page.ReviewPage, column: int = review_page.AGENCY) -> list[str]:
    proxy = page.proxy
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def test_review_table_statuses_sorted_and_filtered(desk: DeskWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = desk.review_page
    desk.tabs.setCurrentWidget(page)
    statuses = dict(zip(rows_shown(page), rows_shown(page, review_page.STATUS), strict=True))
    assert statuses == {
        "某某县人民政府": "未报",
        "某某县教育局": "已报",
        "某某县自然资源局": "已报",
        "某某镇人民政府": "有错误",
    }
    # Sorted by 错误, most first: the faulty township on top, the silent county last.
    header = page.table.horizontalHeader()
    header.setSortIndicator(review_page.ERRORS, Qt.SortOrder.DescendingOrder)
    names = rows_shown(page)
    assert names[0] == FAULTY and names[-1] == SILENT
    errors = rows_shown(page, review_page.ERRORS)
    assert int(errors[0]) > 0 and errors[-1] == ""
    # By status: 有错误 first (what needs attention), then 未报.
    header.setSortIndicator(review_page.STATUS, Qt.SortOrder.AscendingOrder)
    assert rows_shown(page)[:2] == [FAULTY, SILENT]
    # Filtered by name, then by status.
    type_text(page.filter_edit, "县")
    assert sorted(rows_shown(page)) == sorted(
        ["某某县人民政府", "某某县教育局", "某某县自然资源局"]
    )
    page.filter_edit.clear()
    page.status_box.setCurrentText("已报")
    assert sorted(rows_shown(page)) == ["某某县教育局", "某某县自然资源局"]
    assert "显示2/4个单位" in page.summary.text()


def test_selecting_a_unit_shows_its_findings(desk: DeskWindow) -> None:
    page = desk.review_page
    page.select(FAULTY)
    lines = [page.findings.item(i).text() for i in range(page.findings.count())]
    assert lines and lines[0].startswith("错误：")
    row = page.current_row()
    assert row is not None and len(lines) == len(row.findings)
    page.select(SILENT)
    assert "尚未报送" in page.unit_label.text()
    assert not page.open_button.isEnabled()


def test_double_click_opens_the_report_in_the_main_window(
    desk: DeskWindow,
    window: MainWindow,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    page = desk.review_page
    desk.tabs.setCurrentWidget(page)
    page.select("某某县教育局")
    index = page.table.currentIndex()
    rect = page.table.visualRect(index)
    # QTest's double click alone is no press for the view: a click first, as a hand makes it.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.session is not None and window.session.report is not None
    assert window.session.report.agency == "某某县教育局"
    assert window.session.report_id == ops.find_report(desk.context.db, "某某县教育局", YEAR)
    assert "某某县教育局" in window.windowTitle()


def test_set_returned_then_undo(desk: DeskWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    page, db = desk.review_page, desk.context.db
    desk.tabs.setCurrentWidget(page)
    page.select(FAULTY)
    qtbot.mouseClick(page.return_button, Qt.MouseButton.LeftButton)
    township = unit(desk, FAULTY)
    assert register.unit_years(db, YEAR)[township.id].decision is Decision.RETURNED
    assert page.current_row() is not None and str(page.current_row().status) == "退回"  # type: ignore[union-attr]
    assert (
        desk.register_page.model.index(
            desk.register_page.model.row_of(FAULTY), register_page.STATUS
        ).data()
        == "退回"
    )
    undo(qtbot, desk)
    entry = register.unit_years(db, YEAR).get(township.id)
    assert entry is None or entry.decision is None
    assert str(page.current_row().status) == "有错误"  # type: ignore[union-attr]


def test_an_edit_in_the_main_window_refreshes_that_unit(
    desk: DeskWindow, window: MainWindow
) -> None:
    session = window.session
    assert session is not None
    session.open(ops.find_report(desk.context.db, "某某县教育局", YEAR))
    assert session.set_cell("requests.new.natural", 1000)  # now 一+二 ≠ 三+四
    desk.context.flush()  # the desk gathers the session's edits for a moment
    page = desk.review_page
    page.select("某某县教育局")
    row = page.current_row()
    assert row is not None and row.errors > 0 and str(row.status) == "有错误"
    assert desk.context.last_refresh < 0.5  # one unit (the contract asks < 50 ms; measured)
    print(f"desk refresh after one edit: {desk.context.last_refresh * 1000:.1f} ms")


def test_return_sheet_pdf_names_the_unit_and_the_remarks(desk: DeskWindow, tmp_path: Path) -> None:
    import pdfplumber

    page = desk.review_page
    page.select(FAULTY)
    row = page.current_row()
    assert row is not None
    written = page.write_return_sheet(
        row, tmp_path / "退回意见.pdf", "某某县人民政府办公室", "请核对申请数"
    )
    assert written is not None
    with pdfplumber.open(written) as pdf:
        assert len(pdf.pages) == 1
        text = pdf.pages[0].extract_text()
    assert FAULTY in text and "请核对申请数" in text and "某某县人民政府办公室" in text


def test_return_sheet_goes_to_the_print_preview(
    desk: DeskWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gui.printing

    shown: list[int] = []

    def preview(document, parent=None, notice_board=None) -> bool:  # type: ignore[no-untyped-def]
        shown.append(document.pageCount())
        return True

    monkeypatch.setattr(gui.printing, "preview_and_print", preview)
    page = desk.review_page
    page.select(FAULTY)
    row = page.current_row()
    assert row is not None
    page.print_return_sheet(row, "某某县人民政府办公室", "")
    assert shown == [1]  # the one-page sheet, as the print preview shows it
    assert page.unit_label.text() == "退回意见已发送到打印机"


def test_screenshot_with_twenty_units(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    units = dict(UNITS)
    for n in range(1, 17):
        name = f"某某县第{n}局" if n % 3 else f"第{n}镇人民政府"
        units[name] = register.guess_kind(name)
    fill(window, units)
    desk = open_desk(window)
    qtbot.addWidget(desk)
    desk.resize(1366, 768)
    desk.show()
    qtbot.waitExposed(desk)
    assert len(desk.register_page.model.rows) == 20
    assert desk.review_page.proxy.rowCount() == 20
    desk.register_page.select(FAULTY)
    shots = Path(os.environ.get("DESK_SHOTS", tmp_path))  # to look at them: DESK_SHOTS=/tmp
    assert desk.grab().save(str(shots / "desk-register.png"))
    desk.tabs.setCurrentWidget(desk.review_page)
    desk.review_page.select(FAULTY)
    assert desk.grab().save(str(shots / "desk-review.png"))


def test_the_desk_closes_with_the_main_window(desk: DeskWindow, window: MainWindow) -> None:
    assert desk.isVisible()
    window.close()
    assert not desk.isVisible()


def test_another_year_is_chosen_by_typing_it(desk: DeskWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    desk.year_box.setFocus()
    desk.year_box.selectAll()
    qtbot.keyClicks(desk.year_box, "2021")
    assert desk.context.year == YEAR  # not while typing (2, 20, 202 are no years)
    qtbot.keyClick(desk.year_box, Qt.Key.Key_Return)
    assert desk.context.year == 2021
    statuses = {str(r.status) for r in desk.review_page.model.rows}
    assert statuses == {"未报"}  # the reports are of 2022
    assert "2021年" in desk.counts.text()
