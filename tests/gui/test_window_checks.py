"""The window's findings compare the open report with the other units of its year (五 copied
from another unit), and a click on a finding about the title, 落款 or 成文日期 goes to that
field on 基本信息."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QListWidget

from gui.main_window import MainWindow
from model import reads
from model.db import Database
from model.report import Report

# A 五 as county units write it (the same boilerplate handed round, names left out).
PROBLEMS = (
    "一是政府信息公开工作人员业务能力有待提高，对《条例》的理解不够深入；二是主动公开的及时性"
    "和全面性还需加强，部分栏目更新不够及时；三是政策解读形式较为单一。下一步，我们将加强"
    "业务培训，完善工作机制，丰富解读形式，切实提升政府信息公开工作质量。"
)
OWN_PROBLEMS = (
    "本年度依申请公开答复中有两件未在法定期限内答复，原因是承办科室交接不及时。"
    "明年将建立申请登记台账，由办公室每周督办，确保按期答复；同时对乡村两级网站栏目进行清理。"
)
YEAR = 2023


def _report(agency: str, problems: str, year: int = YEAR) -> Report:
    return Report(
        format_id="2021",
        agency=agency,
        year=year,
        texts={"overview": "本年度认真落实政府信息公开工作。", "problems": problems},
        signature_agency=agency,
        signature_date=dt.date(year + 1, 1, 20),
    )


def _import(window: MainWindow, report: Report) -> int:
    assert window.session is not None
    report_id = window.session.import_report(report, replace=False)
    assert report_id is not None
    return report_id


def _listed(window: MainWindow) -> list[str]:
    """The lines of the findings panel, as the clerk reads them."""
    panel: QListWidget = window.findings.list
    return [panel.item(row).text() for row in range(panel.count())]


def _similar(window: MainWindow) -> list[str]:
    return [line for line in _listed(window) if "几乎相同" in line]


def _switch_to(window: MainWindow, report_id: int) -> None:
    """Choose the report in the toolbar's report list, as the clerk does."""
    index = window.switcher.findData(report_id)
    assert index >= 0
    window.switcher.setCurrentIndex(index)
    window.switcher.activated.emit(index)
    assert window.session is not None and window.session.report_id == report_id


def _type_over(window: MainWindow, key: str, text: str) -> None:
    """Select all of a text part and type ``text`` in its place."""
    page = window.pages[key]
    window.tabs.setCurrentWidget(page)
    editor = page.editor  # type: ignore[attr-defined]
    editor.setFocus()
    editor.selectAll()
    editor.insertPlainText(text)


def test_a_copied_problems_part_is_found_until_it_is_rewritten(
    window: MainWindow, reader: Database
) -> None:
    town = _import(window, _report("城关镇人民政府", PROBLEMS))
    _import(window, _report("古城回族乡人民政府", PROBLEMS, YEAR - 1))  # another year: not compared
    bureau = _import(window, _report("县教育局", PROBLEMS))  # now open
    similar = _similar(window)
    assert len(similar) == 1, _listed(window)
    assert "城关镇人民政府2023年报告的第五部分几乎相同" in similar[0]
    assert "古城回族乡" not in " ".join(_listed(window))

    # The town rewrites its own 五 (typed in the window, saved to the database) ...
    _switch_to(window, town)
    assert len(_similar(window)) == 1  # the town's report sees the bureau's copy too
    _type_over(window, "problems", OWN_PROBLEMS)
    with reader.read() as connection:
        assert reads.load_report(connection, town).text("problems") == OWN_PROBLEMS
    assert _similar(window) == []
    # ... and the bureau's report, opened again, no longer resembles it.
    _switch_to(window, bureau)
    assert _similar(window) == []
    assert "个提示" in window.findings.summary.text()  # what is left is about other things


def test_the_other_units_are_read_on_opening_not_on_every_edit(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(window, _report("城关镇人民政府", PROBLEMS))
    _import(window, _report("县教育局", PROBLEMS))  # now open
    assert len(_similar(window)) == 1
    calls: list[str] = []
    real = reads.other_units
    monkeypatch.setattr(reads, "other_units", lambda c, r: calls.append(r.agency) or real(c, r))
    # Typing in the open report's 五 checks it against the units already read.
    _type_over(window, "problems", OWN_PROBLEMS)
    assert _similar(window) == []
    _type_over(window, "problems", PROBLEMS)
    assert len(_similar(window)) == 1
    assert calls == []
    # A unit imported is compared with (its report opens, and names both copies) ...
    assert window.session is not None
    bureau = window.session.report_id
    assert bureau is not None
    _import(window, _report("县财政局", PROBLEMS))
    [both] = _similar(window)
    assert "等2个单位" in both
    _switch_to(window, bureau)
    [both] = _similar(window)
    assert "等2个单位" in both
    # ... and one deleted is no longer, at once, with the report still open.
    calls.clear()
    finance = window.session.existing_id(_report("县财政局", ""))
    assert finance is not None
    assert window.session.delete_report(finance)
    assert window.session.report_id == bureau
    similar = _similar(window)
    assert len(similar) == 1 and "城关镇人民政府2023年" in similar[0]
    assert calls == ["县教育局"]  # read once for the change


def _click_finding(qtbot, window: MainWindow, words: str) -> None:  # type: ignore[no-untyped-def]
    panel: QListWidget = window.findings.list
    rows = [row for row in range(panel.count()) if words in panel.item(row).text()]
    assert rows, _listed(window)
    item = panel.item(rows[0])
    panel.scrollToItem(item)
    rect = panel.visualItemRect(item)
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@pytest.mark.parametrize(
    ("change", "words", "field"),
    [
        (lambda r: setattr(r, "title", "城关镇工作报告"), "标题", "title"),
        (lambda r: setattr(r, "signature_agency", "县教育局"), "落款", "signature"),
        (lambda r: setattr(r, "signature_date", None), "成文日期", "date"),
        (lambda r: setattr(r, "format_id", "2019"), "应使用2021格式", "format"),
    ],
    ids=["title", "signature", "date", "format"],
)
def test_a_finding_about_the_report_s_details_goes_to_its_field(
    qtbot, window: MainWindow, change, words: str, field: str
) -> None:  # type: ignore[no-untyped-def]
    report = _report("城关镇人民政府", OWN_PROBLEMS)
    change(report)
    _import(window, report)
    window.tabs.setCurrentWidget(window.pages["requests"])  # somewhere else
    _click_finding(qtbot, window, words)
    assert window.tabs.currentWidget() is window.basic
    assert QApplication.focusWidget() is getattr(window.basic, field)


def test_a_finding_about_a_text_still_goes_to_its_tab(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _import(window, _report("城关镇人民政府", PROBLEMS))
    _import(window, _report("县教育局", PROBLEMS))
    window.tabs.setCurrentWidget(window.basic)
    _click_finding(qtbot, window, "几乎相同")
    page = window.pages["problems"]
    assert window.tabs.currentWidget() is page
    assert QApplication.focusWidget() is page.editor  # type: ignore[attr-defined]


def test_another_unit_s_damaged_report_does_not_keep_this_one_from_opening(
    window: MainWindow, db_path
) -> None:  # type: ignore[no-untyped-def]
    town = _import(window, _report("城关镇人民政府", PROBLEMS))
    bureau = _import(window, _report("县教育局", PROBLEMS))
    assert window.session is not None
    with sqlite3.connect(db_path) as connection:  # another program wrote bytes into it
        connection.execute(
            "UPDATE report_text SET text = ? WHERE report_id = ? AND key = 'problems'",
            (b"\x00\x01", town),
        )
    window.session.open(None)
    _switch_to(window, bureau)
    assert window.session.report is not None
    assert window.session.report.text("problems") == PROBLEMS
    assert "数据库已损坏" in window.message.text() and "城关镇人民政府" in window.message.text()
    assert _similar(window) == []
    assert window.tabs.isEnabled()
