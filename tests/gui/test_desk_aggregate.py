"""The desk's 汇总 page, driven as a clerk would: the sums in the official tables, each unit's
figure behind a cell, ticking units in and out, the texts, the findings naming the units that
break them, the carry-over against last year, and the export read back."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog

from gui.desk.aggregate_page import AggregatePage
from gui.desk.context import DeskContext
from gui.desk.sums_grid import SumsGridModel
from gui.main_window import MainWindow
from model import ops, register
from model.db import Database
from model.report import Report

YEAR = 2023
COUNTY = "某某县人民政府"
BUREAU = "某某县教育局"
TOWN = "甲镇人民政府"
SILENT = "乙镇人民政府"  # must report, never did


def _report(
    agency: str, year: int, new: int, granted: int, carried_in: int = 0, **extra: int
) -> Report:
    carried_out = new + carried_in - granted
    cells = {
        "requests.new.natural": new,
        "requests.granted.natural": granted,
        "requests.carried_in.natural": carried_in,
        "requests.carried_out.natural": carried_out,
    }
    cells.update({k.replace("__", "."): v for k, v in extra.items()})
    return Report(format_id="2021", agency=agency, year=year, cells=cells)


def fill(db: Database) -> None:
    """Four units; three reported in 2023 (1000 + 234 + 0 applications), two in 2022."""
    register.add_unit(db, COUNTY, register.UnitKind.OWN)
    register.add_unit(db, BUREAU, register.UnitKind.DEPARTMENT)
    register.add_unit(db, TOWN, register.UnitKind.TOWNSHIP)
    register.add_unit(db, SILENT, register.UnitKind.TOWNSHIP)
    ops.save_report(db, _report(BUREAU, 2022, 50, 40), replace=False)  # carries 10 out
    ops.save_report(db, _report(TOWN, 2022, 5, 5), replace=False)
    ops.save_report(db, _report(BUREAU, YEAR, 1000, 1000, carried_in=10), replace=False)
    ops.save_report(db, _report(TOWN, YEAR, 234, 234), replace=False)
    ops.save_report(db, _report(COUNTY, YEAR, 0, 0), replace=False)


@pytest.fixture
def page(window: MainWindow, qtbot) -> Iterator[AggregatePage]:  # type: ignore[no-untyped-def]
    assert window.session is not None
    fill(window.session.db)
    context = DeskContext(window.session, YEAR, window)
    widget = AggregatePage(context)
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def shown(page: AggregatePage, key: str, part: str = "requests") -> str:
    model = page.grids[part].model()
    assert isinstance(model, SumsGridModel)
    return str(model.data(model.index_of(key)))


def click_cell(page: AggregatePage, qtbot, key: str, part: str = "requests") -> None:  # type: ignore[no-untyped-def]
    view = page.grids[part]
    page.tabs.setCurrentWidget(view)
    index = view.grid_model.index_of(key)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


def create(page: AggregatePage, qtbot) -> register.AggregateRecord:  # type: ignore[no-untyped-def]
    assert page.name_box.currentText() == COUNTY  # the register's 本级 unit, by default
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    found = register.find_aggregate(page.context.db, COUNTY, YEAR)
    assert found is not None
    return register.load_aggregate(page.context.db, found)


def test_the_tables_show_the_sums_and_each_units_figure(page: AggregatePage, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert shown(page, "requests.new.natural") == "1234"
    assert shown(page, "requests.new.total") == "1234"  # derived, recomputed
    assert shown(page, "requests.carried_in.natural") == "10"
    click_cell(page, qtbot, "requests.new.natural")
    assert page.contribution_rows() == [(BUREAU, "1000"), (TOWN, "234"), (COUNTY, "0")]
    assert "1234" in page.cell_label.text()
    # sorted the other way, the zero stays last
    page.contributions_view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert page.contribution_rows() == [(TOWN, "234"), (BUREAU, "1000"), (COUNTY, "0")]
    assert f"未报送报告的单位（1个）：{SILENT}" in page.coverage_label.text()


def test_unticking_a_unit_resums_and_undo_puts_it_back(page: AggregatePage, qtbot) -> None:  # type: ignore[no-untyped-def]
    record = create(page, qtbot)
    view, units = page.units_view, page.units
    row = next(n for n, r in enumerate(units.rows) if r.agency == TOWN)
    rect = view.visualRect(units.index(row, 0))
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 10, rect.center().y())
    )
    assert register.load_aggregate(page.context.db, record.id).excluded == frozenset({TOWN})
    qtbot.waitUntil(lambda: shown(page, "requests.new.natural") == "1000")
    assert f"未纳入汇总的单位（1个）：{TOWN}" in page.coverage_label.text()
    page.context.undo_stack.undo()
    assert register.load_aggregate(page.context.db, record.id).excluded == frozenset()
    qtbot.waitUntil(lambda: shown(page, "requests.new.natural") == "1234")


def test_a_text_typed_is_saved_and_the_draft_is_inserted(page: AggregatePage, qtbot) -> None:  # type: ignore[no-untyped-def]
    record = create(page, qtbot)
    editor = page.editors["problems"]
    editor.setFocus()
    for piece in ("个别单位", "答复不够规范"):  # as an input method commits it, piece by piece
        editor.insertPlainText(piece)
    stored = register.load_aggregate(page.context.db, record.id).texts
    assert stored["problems"] == "个别单位答复不够规范"
    page.context.undo_stack.undo()  # the typing, as one step
    assert "problems" not in register.load_aggregate(page.context.db, record.id).texts
    assert editor.toPlainText() == ""
    page.context.undo_stack.redo()
    assert editor.toPlainText() == "个别单位答复不够规范"

    def findings() -> str:
        return "\n".join(
            page.findings_list.item(n).text() for n in range(page.findings_list.count())
        )

    assert "“总体情况”尚未填写" in findings()
    page.editors["overview"].setFocus()
    qtbot.mouseClick(page.draft_button, Qt.MouseButton.LeftButton)
    assert "“总体情况”尚未填写" not in findings()  # the 汇总 checked again
    overview = register.load_aggregate(page.context.db, record.id).texts["overview"]
    assert "1234" in overview  # the summed applications, in words


def test_findings_name_the_units_that_break_them(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    db = window.session.db
    fill(db)
    broken = _report(TOWN, YEAR, 234, 234)
    broken.cells["requests.carried_out.natural"] = 9  # 一+二 ≠ 三+四 in 甲镇's own report
    ops.save_report(db, broken, replace=True)
    page = AggregatePage(DeskContext(window.session, YEAR, window))
    qtbot.addWidget(page)
    page.show()  # summed when shown
    texts = [page.findings_list.item(n).text() for n in range(page.findings_list.count())]
    assert any(TOWN in t and "错误" in t for t in texts), texts
    assert not any(BUREAU in t for t in texts)


def test_carry_over_names_the_unit_added(page: AggregatePage) -> None:
    text = page.carry_label.text()
    assert COUNTY in text  # summed this year, not last year


def test_mixed_formats_sum_nothing_and_say_who(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    db = window.session.db
    fill(db)
    old = Report(format_id="2019", agency=SILENT, year=YEAR)
    ops.save_report(db, old, replace=False)
    page = AggregatePage(DeskContext(window.session, YEAR, window))
    qtbot.addWidget(page)
    page.show()  # summed when shown
    assert page.sums is None
    assert SILENT in page.banner.text() and "2019" in page.banner.text()
    assert not page.export_buttons["pdf"].isEnabled()
    create(page, qtbot)  # then leave the 2019-format unit out: the others are summed
    row = next(n for n, r in enumerate(page.units.rows) if r.agency == SILENT)
    page.units.setData(
        page.units.index(row, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
    )
    qtbot.waitUntil(lambda: page.sums is not None)
    assert shown(page, "requests.new.natural") == "1234"
    assert page.banner.isHidden()
    coverage = page.coverage_label.text()
    assert f"汇总的单位（3个）：{COUNTY}、{BUREAU}、{TOWN}；" in coverage
    assert f"（1个）：{SILENT}" in coverage  # named as not summed


def test_export_pdf_has_the_sums_and_the_appendix(
    page: AggregatePage, qtbot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    record = create(page, qtbot)
    page.tabs.setCurrentWidget(page.texts_scroll)
    date = page.fields["signature_date"]
    refusals: list[str] = []
    page.context.refused.connect(refusals.append)
    for typed in ("2024年2月30日", "2024年1月20日"):  # the first is no date: refused
        date.setFocus()
        date.selectAll()
        date.insert(typed)
        page.fields["signature_agency"].setFocus()  # leaving the box saves it
        qtbot.waitUntil(lambda: not date.hasFocus())
    assert refusals and "不是存在的日期" in refusals[0]
    stored = register.load_aggregate(page.context.db, record.id)
    assert stored.signature_date == dt.date(2024, 1, 20)
    target = tmp_path / "汇总.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(page.export_buttons["pdf"], Qt.MouseButton.LeftButton)
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())  # names may wrap across lines
    assert "1234" in text
    assert COUNTY in text
    assert "汇总范围说明" in text
    assert "2024年1月20日" in flat
    assert f"汇总的单位（3个）：{COUNTY}、{BUREAU}、{TOWN}" in flat
    assert f"未报送报告的单位（1个）：{SILENT}" in flat


def test_a_units_new_report_is_summed_again(page: AggregatePage, qtbot) -> None:  # type: ignore[no-untyped-def]
    db = page.context.db
    ops.save_report(db, _report(TOWN, YEAR, 300, 300), replace=True)  # 甲镇 sends it again
    page.context.refresh([TOWN])
    qtbot.waitUntil(lambda: shown(page, "requests.new.natural") == "1300")


def test_export_data_file_carries_whom_it_sums(
    page: AggregatePage, qtbot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import json

    from model.datafile import read_datafile

    create(page, qtbot)
    page.editors["problems"].insertPlainText("个别单位答复不够规范")
    target = tmp_path / "汇总.nianbao.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(page.export_buttons["data"], Qt.MouseButton.LeftButton)
    data = target.read_bytes()
    document = json.loads(data)
    assert document["aggregate"]["units"] == [COUNTY, BUREAU, TOWN]
    assert document["aggregate"]["missing"] == [SILENT]
    report = read_datafile(data)
    assert report.agency == COUNTY
    assert report.cells["requests.new.natural"] == 1234
    assert report.texts["problems"] == "个别单位答复不够规范"


def test_carry_over_against_last_years_aggregate_names_the_units(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    db = window.session.db
    fill(db)
    ops.save_report(db, _report(BUREAU, YEAR, 1000, 1000, carried_in=7), replace=True)
    ops.save_report(db, _report("丙镇人民政府", YEAR - 1, 3, 3), replace=False)  # only last year
    last = register.create_aggregate(db, COUNTY, YEAR - 1).record
    register.set_aggregate_member(db, last.id, TOWN, included=False)
    register.create_aggregate(db, COUNTY, YEAR)
    page = AggregatePage(DeskContext(window.session, YEAR, window))
    qtbot.addWidget(page)
    page.show()
    text = page.carry_label.text()
    assert "不一致" in text
    assert f"本年新增汇总的单位：{COUNTY}、{TOWN}" in text  # TOWN was left out last year
    assert "丙镇人民政府" in text  # summed last year, gone
    assert BUREAU in text  # its own carried-in (7) is not its last carried-out (10)


def test_a_typed_name_makes_another_aggregate(page: AggregatePage, qtbot) -> None:  # type: ignore[no-untyped-def]
    create(page, qtbot)
    assert not page.create_button.isEnabled()  # it exists now
    page.name_box.setEditText("某某县政务公开办公室")
    assert page.create_button.isEnabled()
    assert "还没有这个名称的汇总" in page.banner.text()
    assert shown(page, "requests.new.natural") == "1234"
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    names = {a.name for a in register.list_aggregates(page.context.db, YEAR)}
    assert names == {COUNTY, "某某县政务公开办公室"}
    assert page.record is not None and page.record.name == "某某县政务公开办公室"
    assert page.banner.isHidden()


def test_another_year_sums_that_years_reports(page: AggregatePage, qtbot) -> None:  # type: ignore[no-untyped-def]
    create(page, qtbot)
    page.context.set_year(YEAR - 1)
    qtbot.waitUntil(lambda: shown(page, "requests.new.natural") == "55")  # 50 + 5
    assert page.record is None and page.create_button.isEnabled()
    assert page.name_box.currentText() == COUNTY
