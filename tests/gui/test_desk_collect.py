"""收集报告 in the county desk: a folder of data files → the plan → collected in one undoable
step, checked in the database."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gui.desk.collect_dialog import FILE, REGISTER, CollectDialog
from gui.desk.window import DeskWindow
from gui.main_window import MainWindow
from model import ops, register
from model.datafile import read_datafile, write_datafile
from model.register import Decision, UnitKind

from .conftest import SAMPLE
from .test_desk import YEAR, filled_desk, undo

NEW_UNIT = "某某县交通运输局"  # not in the register


@pytest.fixture
def desk(window: MainWindow, qtbot) -> DeskWindow:  # type: ignore[no-untyped-def]
    return filled_desk(window, qtbot)


def folder_of_files(tmp_path: Path) -> Path:
    """What arrives on a USB stick: three units' data files and a broken one."""
    folder = tmp_path / "收到的年报"
    folder.mkdir()
    sample = read_datafile(SAMPLE.read_bytes())
    for agency, name in (
        ("某某县人民政府", "县政府.nianbao.json"),
        ("某某县自然资源局", "自然资源局.nianbao.json"),  # replaces the stored one
        (NEW_UNIT, "交通局.nianbao.json"),
    ):
        report = copy.deepcopy(sample)
        report.agency = agency
        if agency == "某某县自然资源局":
            report.cells["requests.new.natural"] = 40  # 38 stored
            report.cells["requests.granted.natural"] = 20
        (folder / name).write_text(write_datafile(report), encoding="utf-8")
    (folder / "损坏.nianbao.json").write_text('{"format": ', encoding="utf-8")
    return folder


def test_collect_a_folder_then_undo(
    desk: DeskWindow, window: MainWindow, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db = desk.context.db
    bureau = register.find_unit(db, "某某县自然资源局")
    assert bureau is not None
    register.set_unit_year(db, bureau.id, YEAR, decision=Decision.PASSED)
    desk.context.reload()
    stored_before = ops.load_report(db, ops.find_report(db, "某某县自然资源局", YEAR) or 0)
    dialog = CollectDialog(desk.context, desk)
    qtbot.addWidget(dialog)
    dialog.plan_paths([folder_of_files(tmp_path)])
    actions = {item.path.name: str(item.action) for item in dialog.items}
    assert actions == {
        "县政府.nianbao.json": "新报告",
        "自然资源局.nianbao.json": "替换",
        "交通局.nianbao.json": "新报告",
        "损坏.nianbao.json": "无法读取",
    }
    rows = {item.path.name: row for item, row in zip(dialog.items, dialog.rows, strict=True)}
    # A replace is unticked until the clerk looks: its differences are listed under it.
    replace = rows["自然资源局.nianbao.json"]
    assert replace.checkState(FILE) == Qt.CheckState.Unchecked and replace.isExpanded()
    places = [replace.child(i).text(FILE) for i in range(replace.childCount())]
    assert replace.childCount() >= 2 and any("自然人：18 → 20" in p for p in places)
    assert rows["县政府.nianbao.json"].checkState(FILE) == Qt.CheckState.Checked
    assert not rows["损坏.nianbao.json"].flags() & Qt.ItemFlag.ItemIsUserCheckable
    # The unit not in the register: ticked to add, its kind guessed and changeable.
    new_row = rows["交通局.nianbao.json"]
    assert new_row.checkState(REGISTER) == Qt.CheckState.Checked
    at = dialog.rows.index(new_row)
    assert dialog.kind_boxes[at].currentText() == "部门"
    dialog.kind_boxes[at].setCurrentText("其他")
    assert "将收取2份报告" in dialog.summary.text()
    replace.setCheckState(FILE, Qt.CheckState.Checked)
    assert "将收取3份报告" in dialog.summary.text()
    dialog.resize(1200, 560)
    shots = Path(os.environ.get("DESK_SHOTS", tmp_path))  # to look at it: DESK_SHOTS=/tmp
    assert dialog.grab().save(str(shots / "desk-collect.png"))
    qtbot.mouseClick(dialog.collect_button, Qt.MouseButton.LeftButton)

    # The database holds the reports, the new unit, and the replaced one is to be reviewed again.
    for agency in ("某某县人民政府", "某某县自然资源局", NEW_UNIT):
        assert ops.find_report(db, agency, YEAR) is not None
    replaced = ops.load_report(db, ops.find_report(db, "某某县自然资源局", YEAR) or 0)
    assert replaced.cells["requests.new.natural"] == 40
    added = register.find_unit(db, NEW_UNIT)
    assert added is not None and added.kind is UnitKind.OTHER
    entry = register.unit_years(db, YEAR).get(bureau.id)
    assert entry is None or entry.decision is None
    statuses = {r.agency: str(r.status) for r in desk.review_page.model.rows}
    assert statuses["某某县人民政府"] == "已报"  # was 未报
    assert statuses["某某县自然资源局"] == "已报"  # was 已通过
    assert statuses[NEW_UNIT] == "已报"
    assert desk.context.undo_stack.count() == 1
    assert window.switcher.count() == 5  # the main window's report list: 3 + 2 new

    # One Ctrl+Z takes it all back.
    undo(qtbot, desk)
    assert ops.find_report(db, "某某县人民政府", YEAR) is None
    assert ops.find_report(db, NEW_UNIT, YEAR) is None
    assert register.find_unit(db, NEW_UNIT) is None
    restored = ops.load_report(db, ops.find_report(db, "某某县自然资源局", YEAR) or 0)
    assert restored == stored_before
    assert register.unit_years(db, YEAR)[bureau.id].decision is Decision.PASSED
    statuses = {r.agency: str(r.status) for r in desk.review_page.model.rows}
    assert statuses["某某县人民政府"] == "未报" and statuses["某某县自然资源局"] == "已通过"
    assert window.switcher.count() == 3
    # And redo collects again.
    desk.redo_action.trigger()
    assert ops.find_report(db, NEW_UNIT, YEAR) is not None


def test_nothing_to_collect_leaves_the_button_off(desk: DeskWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "空"
    folder.mkdir()
    (folder / "说明.txt").write_text("这不是年报。", encoding="utf-8")
    dialog = CollectDialog(desk.context, desk)
    qtbot.addWidget(dialog)
    dialog.plan_paths([folder])
    assert [str(i.action) for i in dialog.items] in (["不是年报"], ["无法读取"])
    assert not dialog.collect_button.isEnabled()
    assert dialog.rows[0].text(4)  # the reason is shown


def test_collect_from_the_desk_menu(
    desk: DeskWindow, window: MainWindow, qtbot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+O → choose the folder → 收集: the dialog as the clerk drives it."""
    from PySide6.QtWidgets import QFileDialog

    folder = folder_of_files(tmp_path)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    seen: list[CollectDialog] = []

    def drive(dialog: CollectDialog) -> int:
        seen.append(dialog)
        qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.collect_button, Qt.MouseButton.LeftButton)
        return int(dialog.result())

    monkeypatch.setattr(CollectDialog, "exec", drive)
    desk.activateWindow()
    qtbot.keyClick(desk.tabs.currentWidget(), Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert seen, "Ctrl+O opened the collect dialog"
    assert ops.find_report(desk.context.db, NEW_UNIT, YEAR) is not None
    assert ops.find_report(desk.context.db, "某某县人民政府", YEAR) is not None
    # The replace was not ticked: the stored report is untouched.
    kept = ops.load_report(
        desk.context.db, ops.find_report(desk.context.db, "某某县自然资源局", YEAR) or 0
    )
    assert kept.cells["requests.new.natural"] == 38


#: A published page with 7 cells the reader could not be sure of (see tests/data/county/SOURCE.txt).
UNREAD = Path(__file__).resolve().parents[1] / "data" / "county" / "jinjing-2022-unread.txt"
JINJING = "平潭综合实验区金井片区管理局"


def test_a_page_to_confirm_goes_through_the_import_review(
    desk: DeskWindow, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from gui.import_dialog import ImportDialog

    dialog = CollectDialog(desk.context, desk)
    qtbot.addWidget(dialog)
    dialog.plan_paths([UNREAD])
    [item], [row] = dialog.items, dialog.rows
    assert str(item.action) == "需确认" and "逐格确认" in row.text(4)
    assert not row.flags() & Qt.ItemFlag.ItemIsUserCheckable  # never collected unconfirmed
    assert not dialog.collect_button.isEnabled()
    reviewed: list[ImportDialog] = []

    def review(import_dialog: ImportDialog) -> int:  # the clerk presses 确认导入 at once
        reviewed.append(import_dialog)
        import_dialog.confirm()
        return int(import_dialog.result())

    monkeypatch.setattr(ImportDialog, "exec", review)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert reviewed
    [item], [row] = dialog.items, dialog.rows
    assert str(item.action) == "新报告"
    assert row.checkState(FILE) == Qt.CheckState.Checked
    assert row.checkState(REGISTER) == Qt.CheckState.Checked  # not in the register: offered
    qtbot.mouseClick(dialog.collect_button, Qt.MouseButton.LeftButton)
    db = desk.context.db
    assert ops.find_report(db, JINJING, 2022) is not None
    assert register.find_unit(db, JINJING) is not None


def test_a_confirmed_page_of_a_unit_another_file_gives_is_a_duplicate(
    desk: DeskWindow, qtbot, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The clerk confirms a page naming the unit and year of a data file also listed: one
    report per unit and year, the data file's; nothing refused at 收集."""
    from gui.import_dialog import ImportDialog
    from model.datafile import write_datafile
    from published import pipeline

    report = pipeline.read_published(UNREAD).report
    data = tmp_path / "金井.nianbao.json"
    data.write_text(write_datafile(report), encoding="utf-8")
    dialog = CollectDialog(desk.context, desk)
    qtbot.addWidget(dialog)
    dialog.plan_paths([UNREAD, data])

    def review(import_dialog: ImportDialog) -> int:
        import_dialog.confirm()
        return int(import_dialog.result())

    monkeypatch.setattr(ImportDialog, "exec", review)
    page = next(i for i, item in enumerate(dialog.items) if item.path == UNREAD)
    dialog.confirm_row(page)
    item, row = dialog.items[page], dialog.rows[page]
    assert str(item.action) == "重复" and data.name in item.problem
    assert not row.flags() & Qt.ItemFlag.ItemIsUserCheckable
    qtbot.mouseClick(dialog.collect_button, Qt.MouseButton.LeftButton)
    assert ops.find_report(desk.context.db, JINJING, 2022) is not None
