"""Collecting the units' reports in one step (county/collect.py): what the clerk sees in the list
before collecting, what ends up in the database, and that one undo takes it all back."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from county import collect as coll
from county.collect import Action, Difference, Incoming
from model import ops, register
from model.changes import StaleWriteError
from model.checks import check
from model.datafile import write_datafile
from model.db import Database, open_database
from model.register import Decision, UnitKind
from model.report import Report

DATA = Path(__file__).parent.parent / "data" / "county"
YEAR = 2023
TOWN = "某某县甲镇人民政府"
BUREAU = "某某县财政局"
STREET = "某某县城关街道办事处"
JINJING = "平潭综合实验区金井片区管理局"  # the agency of the published pages in DATA


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    with open_database(tmp_path / "desk.sqlite3") as database:
        yield database


def make_report(agency: str, year: int = YEAR, requests: int = 3, **fields: object) -> Report:
    report = Report(
        format_id="2021",
        agency=agency,
        year=year,
        cells={"requests.new.natural": requests, "requests.granted.natural": requests},
        texts={"overview": f"{agency}认真贯彻落实《政府信息公开条例》。"},
    )
    for name, value in fields.items():
        setattr(report, name, value)
    return report


def write(path: Path, report: Report, modified: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(write_datafile(report), encoding="utf-8")
    if modified is not None:
        os.utime(path, (modified, modified))
    return path


def by_name(items: list[Incoming]) -> dict[str, Incoming]:
    return {item.path.name: item for item in items}


def snapshot(db: Database) -> object:
    """Everything collecting may touch: the year's reports with their list lines (id, modified
    time), every report's list line, the register and its entries of the year."""
    return (
        ops.load_year(db, YEAR),
        ops.list_reports(db),
        register.list_units(db),
        register.unit_years(db, YEAR),
    )


# ---------------------------------------------------------------------------- gather


def test_gather_walks_folders_for_report_files_and_takes_named_files(tmp_path: Path) -> None:
    folder = tmp_path / "收到的材料"
    (folder / "乙镇").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    for name in ("a.nianbao.json", "乙镇/b.pdf", "乙镇/c.docx", "d.html", "e.mhtml", "f.txt"):
        (folder / name).write_text("x", encoding="utf-8")
    for name in ("~$c.docx", ".DS_Store.json", "notes.xlsx", ".hidden/g.json", "h.doc"):
        (folder / name).write_text("x", encoding="utf-8")
    named = tmp_path / "报告.wps"
    named.write_text("x", encoding="utf-8")

    found = coll.gather([folder, named, folder / "d.html"])

    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "收到的材料/a.nianbao.json",
        "收到的材料/d.html",
        "收到的材料/e.mhtml",
        "收到的材料/f.txt",
        "收到的材料/乙镇/b.pdf",
        "收到的材料/乙镇/c.docx",
        "报告.wps",  # named directly: taken whatever its ending (plan says what it is)
    ]


# ---------------------------------------------------------------------------- plan


def test_data_files_of_three_units_are_new_reports(db: Database, tmp_path: Path) -> None:
    register.add_unit(db, BUREAU, UnitKind.DEPARTMENT)
    for agency in (TOWN, BUREAU, STREET):
        write(tmp_path / "in" / f"{agency}.nianbao.json", make_report(agency))

    items = by_name(coll.plan(db, [tmp_path / "in"]))

    assert {n: (i.action, i.kind, i.year) for n, i in items.items()} == {
        f"{a}.nianbao.json": (Action.NEW, "数据文件", YEAR) for a in (TOWN, BUREAU, STREET)
    }
    bureau = items[f"{BUREAU}.nianbao.json"]
    assert bureau.unit is not None and bureau.unit.name == BUREAU
    assert bureau.suggested_kind is None
    town, street = items[f"{TOWN}.nianbao.json"], items[f"{STREET}.nianbao.json"]
    assert town.unit is None and town.suggested_kind is UnitKind.TOWNSHIP
    assert street.unit is None and street.suggested_kind is UnitKind.TOWNSHIP
    assert all(i.existing is None and not i.differences and not i.problem for i in items.values())
    assert ops.list_reports(db) == []  # planning writes nothing


def test_a_package_folder_gives_one_report(db: Database, tmp_path: Path) -> None:
    from export.package import write_package

    report = make_report(TOWN)
    folder = write_package(report, tmp_path, check(report))
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) >= 5  # PDF, Word, web page, data file, 自查表

    items = by_name(coll.plan(db, [folder]))

    base = f"{TOWN}_{YEAR}年政府信息公开工作年度报告"
    data = items[f"{base}.nianbao.json"]
    assert data.action is Action.NEW and data.kind == "数据文件"
    sheet = items[f"{base}_自查表.pdf"]
    assert sheet.action is Action.NOT_REPORT and sheet.report is None
    assert "是发布前检查的《自查表》，不是年度报告" in sheet.problem
    others = [i for n, i in items.items() if n not in (data.path.name, sheet.path.name)]
    assert {i.kind for i in others} >= {"PDF文件", "Word文件", "网页"}
    for item in others:
        assert item.action is Action.DUPLICATE, (item.path.name, item.problem)
        assert f"已有数据文件“{data.path.name}”" in item.problem

    done = coll.collect(db, list(items.values()), {TOWN: UnitKind.TOWNSHIP})

    assert [s.agency for s in ops.list_reports(db)] == [TOWN]
    assert len(done.reports) == 1
    stored = ops.load_report(db, ops.find_report(db, TOWN, YEAR) or 0)
    assert stored.cells == report.cells and stored.texts == report.texts
    assert [u.name for u in register.list_units(db)] == [TOWN]


def test_broken_files_and_a_non_report_are_named_with_the_reason(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "坏.nianbao.json").write_text('{"format": "2021", "agency": ', encoding="utf-8")
    (folder / "坏.pdf").write_bytes(b"%PDF-1.7\nnot really a pdf")
    (folder / "旧.docx").write_bytes(b"this is no zip")
    (folder / "通知.html").write_text(
        "<html><body><h1>关于开展政务公开培训的通知</h1><p>各单位：定于下周举办培训。</p></body></html>",
        encoding="utf-8",
    )

    items = by_name(coll.plan(db, [folder]))

    json = items["坏.nianbao.json"]
    assert json.action is Action.UNREADABLE and json.report is None
    assert "不是有效的年报数据文件" in json.problem
    pdf = items["坏.pdf"]
    assert (pdf.action, pdf.kind) == (Action.UNREADABLE, "PDF文件")
    assert "已损坏" in pdf.problem
    assert items["旧.docx"].action is Action.UNREADABLE
    assert "Word" in items["旧.docx"].problem
    notice = items["通知.html"]
    assert (notice.action, notice.kind) == (Action.NOT_REPORT, "网页")
    assert "没有找到政府信息公开工作年度报告的表格" in notice.problem

    assert coll.collect(db, list(items.values()), {}).reports == ()
    assert ops.list_reports(db) == []


def test_of_two_data_files_of_one_unit_the_newer_wins(db: Database, tmp_path: Path) -> None:
    older = write(tmp_path / "in" / "旧.nianbao.json", make_report(TOWN, requests=1), 1_700_000_000)
    newer = write(tmp_path / "in" / "新.nianbao.json", make_report(TOWN, requests=5), 1_700_086_400)

    items = by_name(coll.plan(db, [older, newer]))

    assert items["新.nianbao.json"].action is Action.NEW
    old = items["旧.nianbao.json"]
    assert old.action is Action.DUPLICATE
    assert "更新的数据文件“新.nianbao.json”" in old.problem and "较旧" in old.problem

    coll.collect(db, list(items.values()), {})
    stored = ops.load_report(db, ops.find_report(db, TOWN, YEAR) or 0)
    assert stored.cells["requests.new.natural"] == 5


def test_each_file_goes_to_the_year_it_gives(db: Database, tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.nianbao.json", make_report(TOWN, year=2022))
    write(tmp_path / "in" / "b.nianbao.json", make_report(TOWN, year=2023))

    items = coll.plan(db, [tmp_path / "in"])
    assert [(i.action, i.year) for i in items] == [(Action.NEW, 2022), (Action.NEW, 2023)]
    coll.collect(db, items, {})
    assert [(s.agency, s.year) for s in ops.list_reports(db)] == [(TOWN, 2022), (TOWN, 2023)]


def test_published_pages_complete_collected_with_unread_cells_confirmed(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DATA / "jinjing-2021.txt", folder)
    shutil.copy(DATA / "jinjing-2022-unread.txt", folder)

    items = by_name(coll.plan(db, [folder]))

    complete = items["jinjing-2021.txt"]
    assert (complete.action, complete.kind, complete.unread) == (Action.NEW, "文本文件", 0)
    assert complete.report is not None and complete.report.agency == JINJING
    assert complete.year == 2021
    unsure = items["jinjing-2022-unread.txt"]
    assert (unsure.action, unsure.year, unsure.unread) == (Action.CONFIRM, 2022, 7)
    assert "7个单元格没有读准" in unsure.problem

    coll.collect(db, list(items.values()), {})  # a CONFIRM item given is still not written
    assert [(s.agency, s.year) for s in ops.list_reports(db)] == [(JINJING, 2021)]
    assert "库中已有" not in unsure.problem

    # once confirmed and collected, planning the folder again says the report is there
    assert unsure.report is not None
    ops.save_report(db, unsure.report, replace=False)
    again = by_name(coll.plan(db, [folder]))["jinjing-2022-unread.txt"]
    assert again.action is Action.CONFIRM
    assert "库中已有该单位2022年的报告，确认后将替换它" in again.problem


def test_a_changed_report_is_replaced_with_every_difference_listed(
    db: Database, tmp_path: Path
) -> None:
    ops.save_report(db, make_report(TOWN), replace=False)
    changed = make_report(TOWN, requests=4, signature_agency=TOWN)
    changed.texts["problems"] = "一是主动公开的及时性有待提高。"
    changed.title = "某某县甲镇2023年政府信息公开年报"
    same = write(tmp_path / "a" / "same.nianbao.json", make_report(TOWN))
    other = write(tmp_path / "b" / "changed.nianbao.json", changed)

    [unchanged] = coll.plan(db, [same])
    [item] = coll.plan(db, [other])

    assert unchanged.action is Action.SAME and unchanged.differences == ()
    assert unchanged.existing is not None
    assert item.action is Action.REPLACE
    assert item.differences == (
        Difference(
            "标题", f"{TOWN}2023年政府信息公开工作年度报告", "某某县甲镇2023年政府信息公开年报"
        ),
        Difference("五、存在的主要问题及改进情况", "（空白）", "一是主动公开的及时性有待提高。"),
        Difference("三、本年新收政府信息公开申请数量·自然人", "3", "4"),
        Difference("三、（一）予以公开·自然人", "3", "4"),
        Difference("落款", "（空白）", TOWN),
    )

    coll.collect(db, [unchanged, item], {})
    stored = ops.load_report(db, ops.find_report(db, TOWN, YEAR) or 0)
    assert stored.cells["requests.new.natural"] == 4
    assert stored.text("problems") == "一是主动公开的及时性有待提高。"


# ---------------------------------------------------------------------------- collect, undo


def test_collect_then_undo_restores_the_database_exactly(db: Database, tmp_path: Path) -> None:
    bureau = register.add_unit(db, BUREAU, UnitKind.DEPARTMENT).unit
    register.set_unit_year(db, bureau.id, YEAR, decision=Decision.PASSED, note="已核")
    ops.save_report(db, make_report(BUREAU), replace=False)
    write(tmp_path / "in" / "bureau.nianbao.json", make_report(BUREAU, requests=9))
    write(tmp_path / "in" / "town.nianbao.json", make_report(TOWN))
    before = snapshot(db)
    items = coll.plan(db, [tmp_path / "in"])
    assert [i.action for i in items] == [Action.REPLACE, Action.NEW]

    done = coll.collect(db, items, {TOWN: UnitKind.TOWNSHIP})

    assert [(b is None, a.agency) for b, a in done.reports] == [(False, BUREAU), (True, TOWN)]
    assert [a.unit.name for a in done.added] == [TOWN]
    entry = register.unit_years(db, YEAR)[bureau.id]
    assert entry.decision is None and entry.note == "已核"  # reviewed again; the note stays
    assert [c.unit_id for c in done.cleared] == [bureau.id]
    assert snapshot(db) != before

    coll.undo_collect(db, done)

    assert snapshot(db) == before


def test_undo_is_refused_when_a_report_changed_since(db: Database, tmp_path: Path) -> None:
    write(tmp_path / "in" / "town.nianbao.json", make_report(TOWN))
    done = coll.collect(db, coll.plan(db, [tmp_path / "in"]), {TOWN: UnitKind.TOWNSHIP})
    report_id = ops.find_report(db, TOWN, YEAR)
    assert report_id is not None
    ops.set_cell(db, report_id, "requests.new.natural", 8)
    after_edit = snapshot(db)

    with pytest.raises(StaleWriteError, match="收取后已被修改"):
        coll.undo_collect(db, done)

    assert snapshot(db) == after_edit


def test_collect_is_refused_when_the_stored_report_changed_after_planning(
    db: Database, tmp_path: Path
) -> None:
    report_id = ops.save_report(db, make_report(TOWN), replace=False)
    write(tmp_path / "in" / "town.nianbao.json", make_report(TOWN, requests=6))
    write(tmp_path / "in" / "bureau.nianbao.json", make_report(BUREAU))
    items = coll.plan(db, [tmp_path / "in"])
    ops.set_cell(db, report_id, "requests.new.natural", 2)
    before = snapshot(db)

    with pytest.raises(StaleWriteError, match="核对后已被修改"):
        coll.collect(db, items, {BUREAU: UnitKind.DEPARTMENT})

    assert snapshot(db) == before


def test_a_failure_midway_leaves_the_database_as_before(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "in" / "a.nianbao.json", make_report(TOWN))
    write(tmp_path / "in" / "b.nianbao.json", make_report(BUREAU))
    items = coll.plan(db, [tmp_path / "in"])
    before = snapshot(db)

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(register, "clear_decisions", fail)
    with pytest.raises(OSError):
        coll.collect(db, items, {TOWN: UnitKind.TOWNSHIP, BUREAU: UnitKind.DEPARTMENT})

    assert snapshot(db) == before


def test_the_countys_own_aggregate_file_is_not_collected_as_a_units_report(
    db: Database, tmp_path: Path
) -> None:
    """A 汇总 kept in the same folder as the units' files would add their figures twice."""
    from model.aggregate import Coverage, sum_reports
    from model.datafile import AggregateMembers

    folder = tmp_path / "in"
    folder.mkdir()
    units = [make_report(TOWN), make_report(BUREAU)]
    for report in units:
        write(folder / f"{report.agency}.nianbao.json", report)
    sums = sum_reports(units, YEAR)
    coverage = Coverage((TOWN, BUREAU), (), (), ())
    aggregate = sums.report("某某县人民政府")
    (folder / "汇总.nianbao.json").write_text(
        write_datafile(aggregate, aggregate=AggregateMembers.of(coverage)), encoding="utf-8"
    )

    items = by_name(coll.plan(db, [folder]))
    county = items["汇总.nianbao.json"]
    assert county.action is Action.NOT_REPORT
    assert "汇总报告（汇总了2个单位）" in county.problem and "不收取" in county.problem
    coll.collect(db, list(items.values()), {})
    assert sorted(s.agency for s in ops.list_reports(db)) == sorted([TOWN, BUREAU])


def test_a_file_spelling_the_units_name_otherwise_is_collected_under_the_registers_name(
    db: Database, tmp_path: Path
) -> None:
    register.add_unit(db, BUREAU, UnitKind.DEPARTMENT)
    spelt = BUREAU.replace("县", "县 ", 1)  # 某某县 财政局
    path = write(tmp_path / "in" / "财政.nianbao.json", make_report(spelt))
    [item] = coll.plan(db, [path])
    assert item.unit is not None and item.unit.name == BUREAU
    assert item.report is not None and item.report.agency == BUREAU
    assert f"单位名称按名册写作“{BUREAU}”（文件中为“{spelt}”）" in item.problem
    coll.collect(db, [item], {})
    assert [s.agency for s in ops.list_reports(db)] == [BUREAU]
