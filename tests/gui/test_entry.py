"""A clerk filling in a report in the window: every assertion is on the database."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from gui.main_window import MainWindow
from gui.tabs.table_tab import TableTab
from model import ops
from model.datafile import read_datafile
from model.db import Database

from .conftest import EXAMPLE, SAMPLE

pytestmark = pytest.mark.gui


def _table(window: MainWindow, part: str) -> TableTab:
    page = window.pages[part]
    assert isinstance(page, TableTab)
    window.tabs.setCurrentWidget(page)
    return page


def _stored(reader: Database, agency: str, year: int):  # type: ignore[no-untyped-def]
    report_id = ops.find_report(reader, agency, year)
    assert report_id is not None
    return ops.load_report(reader, report_id)


def _keys(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Each key to whichever widget has the focus, as a keyboard does (the first key of a
    cell opens its editor, which takes the focus)."""
    for char in text:
        qtbot.keyClicks(QApplication.focusWidget(), char)


def _type_cell(qtbot, page: TableTab, key: str, text: str, end=Qt.Key.Key_Return) -> None:  # type: ignore[no-untyped-def]
    """Go to a cell, type, and press Enter, with the keyboard focus where a clerk's would be."""
    page.view.setFocus()
    page.view.setCurrentIndex(page.model.index_of(key))
    _keys(qtbot, text)
    qtbot.keyClick(QApplication.focusWidget(), end)
    QApplication.processEvents()  # Qt commits an edit ended by Enter on the next turn


def _type_into_table(qtbot, page: TableTab, cells: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    """Start at the first cell and type each value, Tab after each: as a clerk would."""
    view = page.view
    view.setFocus()
    positions = page.model.input_positions()
    view.setCurrentIndex(page.model.index(*positions[0]))
    for _ in positions:
        key = view.currentIndex().data(Qt.ItemDataRole.UserRole + 1)
        value = cells.get(key)
        if value is not None:
            _keys(qtbot, str(value))
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)


def test_typing_the_whole_example_gives_exactly_its_data(
    qtbot, window: MainWindow, reader: Database
) -> None:
    expected = read_datafile(EXAMPLE.read_bytes())
    session = window.session
    assert session is not None
    session.create_report(expected.agency, expected.year, None)
    basic = window.pages["basic"]
    window.tabs.setCurrentWidget(basic)
    basic.title.setText(expected.title)  # Chinese is set, not typed (see PITFALLS)
    basic.title.editingFinished.emit()
    basic.preamble.setPlainText(expected.text("preamble"))
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for part in ("active", "requests", "appeals"):
        _type_into_table(qtbot, _table(window, part), raw["cells"])
    for key in ("overview", "problems", "other_matters"):
        page = window.pages[key]
        window.tabs.setCurrentWidget(page)
        page.editor.setPlainText(expected.text(key))
    stored = _stored(reader, expected.agency, expected.year)
    assert stored.cells == expected.cells
    assert stored.units == {} and stored.unit("art20_9.procurement.amount") == "万元"
    assert stored.title == expected.title
    assert {k: v for k, v in stored.texts.items() if v} == {
        k: v for k, v in expected.texts.items() if v
    }
    # The example's own faults, as published: no year in its title, no 成文日期.
    assert [f.rule for f in session.findings] == ["title.words", "signature.date"]


def test_a_broken_balance_shows_in_panel_and_cell_until_fixed(
    qtbot, window: MainWindow, reader: Database
) -> None:
    session = window.session
    assert session is not None
    session.import_report(read_datafile(EXAMPLE.read_bytes()), replace=False)
    page = _table(window, "requests")
    index = page.model.index_of("requests.new.legal")
    _type_cell(qtbot, page, "requests.new.legal", "3")
    assert _stored(reader, "古城回族乡人民政府", 2019).cells["requests.new.legal"] == 3
    panel = window.findings.list
    assert panel.count() == 3  # the error first, then the example's two warnings
    assert "“法律服务机构”列：第一项加第二项为3，第三项加第四项为0" in panel.item(0).text()
    red = page.model.data(index, Qt.ItemDataRole.BackgroundRole).color().name()
    assert red == "#f7c6c6"
    qtbot.mouseClick(
        panel.viewport(),
        Qt.MouseButton.LeftButton,
        pos=panel.visualItemRect(panel.item(0)).center(),
    )
    assert window.tabs.currentWidget() is page
    assert index in page.view.selectedIndexes()
    # fix it: 3 granted
    _type_cell(qtbot, page, "requests.granted.legal", "3")
    assert panel.count() == 2
    assert page.model.data(index, Qt.ItemDataRole.BackgroundRole) is None
    assert page.model.data(page.model.index_of("requests.handled.legal")) == "3"


def test_invalid_input_is_refused_and_nothing_changes(
    qtbot, window: MainWindow, reader: Database
) -> None:
    session = window.session
    assert session is not None
    session.import_report(read_datafile(SAMPLE.read_bytes()), replace=False)
    page = _table(window, "requests")
    key = "requests.new.natural"
    before = _stored(reader, "某某县自然资源局", 2022).cells[key]
    for typed in ("abc", "-3", "1.5", "99999999999"):
        _type_cell(qtbot, page, key, typed)
        message = window.message.text()
        assert message.startswith("第三部分“一、本年新收政府信息公开申请数量”行“自然人”列：")
        assert _stored(reader, "某某县自然资源局", 2022).cells[key] == before
        assert page.model.data(page.model.index_of(key)) == str(before)


def test_full_width_digits_and_separators_are_accepted(
    qtbot, window: MainWindow, reader: Database
) -> None:
    session = window.session
    assert session is not None
    session.create_report("某某镇人民政府", 2022, None)
    page = _table(window, "active")
    index = page.model.index_of("art20_5.licensing.decisions")
    assert page.model.setData(index, " １,２３４ ")
    assert page.model.setData(page.model.index_of("art20_8.fees.amount"), "12.345678")
    cells = _stored(reader, "某某镇人民政府", 2022).cells
    assert cells["art20_5.licensing.decisions"] == 1234
    assert cells["art20_8.fees.amount"] == Decimal("12.345678")
    assert not page.model.setData(page.model.index_of("art20_8.fees.amount"), "1.1234567")


def test_paste_a_block_from_a_spreadsheet(qtbot, window: MainWindow, reader: Database) -> None:
    session = window.session
    assert session is not None
    session.create_report("某某镇人民政府", 2022, None)
    page = _table(window, "requests")
    page.view.setCurrentIndex(page.model.index_of("requests.new.natural"))
    QGuiApplication.clipboard().setText("5\t1\t0\t0\t0\t0\t6\r\n2\t0\t0\t0\t0\t0\r\n")
    qtbot.keyClick(page.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    cells = _stored(reader, "某某镇人民政府", 2022).cells
    assert cells["requests.new.natural"] == 5 and cells["requests.new.business"] == 1
    assert cells["requests.carried_in.natural"] == 2
    assert len(cells) == 12  # the pasted total (6) was checked, not stored
    session.undo_stack.undo()  # one paste, one undo step
    assert _stored(reader, "某某镇人民政府", 2022).cells == {}
    session.undo_stack.redo()
    assert _stored(reader, "某某镇人民政府", 2022).cells == cells


@pytest.mark.parametrize(
    "block",
    ["5\t1\tx\r\n", "5\t1\t0\t0\t0\t0\t9\r\n", "1\t2\t3\t4\t5\t6\t21\t99\r\n", "-1\r\n"],
    ids=["not a number", "wrong total", "beyond the table", "negative"],
)
def test_a_bad_block_lands_nothing(qtbot, window: MainWindow, reader: Database, block: str) -> None:
    session = window.session
    assert session is not None
    session.import_report(read_datafile(SAMPLE.read_bytes()), replace=False)
    before = _stored(reader, "某某县自然资源局", 2022).cells
    page = _table(window, "requests")
    page.view.setCurrentIndex(page.model.index_of("requests.new.natural"))
    assert not page.view.paste(block)
    assert window.message.text().startswith("没有粘贴：")
    assert _stored(reader, "某某县自然资源局", 2022).cells == before


def test_undo_and_redo_restore_exact_values(qtbot, window: MainWindow, reader: Database) -> None:
    session = window.session
    assert session is not None
    session.import_report(read_datafile(EXAMPLE.read_bytes()), replace=False)
    page = _table(window, "active")
    amount = page.model.index_of("art20_9.procurement.amount")
    assert page.model.setData(amount, "67.740")
    overview = window.pages["overview"]
    window.tabs.setCurrentWidget(overview)
    original = session.report.text("overview")
    overview.editor.moveCursor(overview.editor.textCursor().MoveOperation.End)
    overview.editor.insertPlainText("补充一句。")
    stored = _stored(reader, "古城回族乡人民政府", 2019)
    assert stored.text("overview") == original + "补充一句。"
    assert str(stored.cells["art20_9.procurement.amount"]) == "67.740"
    qtbot.keyClick(overview.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _stored(reader, "古城回族乡人民政府", 2019).text("overview") == original
    assert overview.editor.toPlainText() == original
    session.undo_stack.undo()
    assert (
        str(_stored(reader, "古城回族乡人民政府", 2019).cells["art20_9.procurement.amount"])
        == "67.74"
    )
    session.undo_stack.redo()
    qtbot.keyClick(overview.editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    stored = _stored(reader, "古城回族乡人民政府", 2019)
    assert str(stored.cells["art20_9.procurement.amount"]) == "67.740"
    assert stored.text("overview") == original + "补充一句。"


def test_delete_clears_and_totals_follow(qtbot, window: MainWindow, reader: Database) -> None:
    session = window.session
    assert session is not None
    session.import_report(read_datafile(SAMPLE.read_bytes()), replace=False)
    page = _table(window, "appeals")
    index = page.model.index_of("appeals.review.upheld")
    page.view.setCurrentIndex(index)
    page.view.selectionModel().select(
        index, page.view.selectionModel().SelectionFlag.ClearAndSelect
    )
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert "appeals.review.upheld" not in _stored(reader, "某某县自然资源局", 2022).cells
    total = page.model.data(page.model.index_of("appeals.review.total"))
    assert total == str(
        sum(v for k, v in session.report.cells.items() if k.startswith("appeals.review."))
    )


def test_tab_skips_totals(qtbot, window: MainWindow) -> None:
    session = window.session
    assert session is not None
    session.create_report("某某镇人民政府", 2022, None)
    page = _table(window, "requests")
    page.view.setFocus()
    page.view.setCurrentIndex(page.model.index_of("requests.new.other_org"))
    qtbot.keyClick(page.view, Qt.Key.Key_Tab)
    assert page.view.currentIndex() == page.model.index_of("requests.carried_in.natural")
    page.view.setCurrentIndex(page.model.index_of("requests.other_misc.natural"))
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert page.view.currentIndex() == page.model.index_of("requests.carried_out.natural")


def test_the_item_models_pass_qt_model_tester(qtmodeltester, window: MainWindow) -> None:
    session = window.session
    assert session is not None
    session.import_report(read_datafile(SAMPLE.read_bytes()), replace=False)
    for part in ("active", "requests", "appeals"):
        qtmodeltester.check(window.pages[part].model, force_py=True)


def test_new_report_from_last_year_carries_over(
    qtbot, window: MainWindow, reader: Database, monkeypatch, tmp_path: Path
) -> None:
    session = window.session
    assert session is not None
    last = read_datafile(SAMPLE.read_bytes())
    session.import_report(last, replace=False)
    new_id = session.create_next_year(session.report_id)
    assert new_id == session.report_id
    stored = _stored(reader, "某某县自然资源局", 2023)
    assert stored.cells["requests.carried_in.natural"] == last.cells["requests.carried_out.natural"]
    assert window.switcher.currentText().startswith("某某县自然资源局")
    assert "2023" in window.windowTitle()
