"""The county desk's register (model/register.py) and the bulk load of a year (model/reads.py)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest

from model import ops, register
from model.changes import StaleWriteError
from model.checks import Finding, finding_dict
from model.db import Database
from model.errors import OperationError
from model.formats import Severity
from model.register import (
    AggregateCreated,
    AggregateDeleted,
    Decision,
    RegisterChange,
    Unit,
    UnitKind,
    UnitYear,
    apply_register_inverse,
)

# ---------------------------------------------------------------------------- helpers


def _state(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the register's tables (and the reports'), as the file holds them;
    ``modified_at`` of a 汇总 report left out (an undo is a change too)."""
    queries = {
        "unit": "SELECT * FROM unit ORDER BY id",
        "unit_year": "SELECT * FROM unit_year ORDER BY unit_id, year",
        "aggregate": "SELECT id, name, year, title, signature_agency, signature_date"
        " FROM aggregate ORDER BY id",
        "aggregate_text": "SELECT * FROM aggregate_text ORDER BY aggregate_id, key",
        "aggregate_excluded": "SELECT * FROM aggregate_excluded ORDER BY aggregate_id, agency",
        "report": "SELECT id, agency, year FROM report ORDER BY id",
    }
    with closing(sqlite3.connect(db_path)) as connection:
        return {name: connection.execute(sql).fetchall() for name, sql in queries.items()}


def _round_trip(db: Database, db_path: Path, do: Callable[[], RegisterChange]) -> RegisterChange:
    """Do, undo, redo: the undo restores the state before exactly, the redo the state after."""
    before = _state(db_path)
    change = do()
    after = _state(db_path)
    assert after != before, "the operation wrote nothing"
    undone = apply_register_inverse(db, change)
    assert _state(db_path) == before
    apply_register_inverse(db, undone)
    assert _state(db_path) == after
    return change


def _refused(message: str, call: Callable[[], object], db_path: Path) -> None:
    """Refused with a Chinese message naming the problem, and nothing written."""
    before = _state(db_path)
    with pytest.raises(OperationError) as refused:
        call()
    assert message in str(refused.value)
    assert _state(db_path) == before


# ---------------------------------------------------------------------------- units


def test_guess_kind_from_the_name() -> None:
    assert register.guess_kind("古城回族乡人民政府") is UnitKind.TOWNSHIP
    assert register.guess_kind("城关镇") is UnitKind.TOWNSHIP
    assert register.guess_kind("东城街道办事处") is UnitKind.TOWNSHIP
    # a note in brackets at the end does not hide the kind
    assert register.guess_kind("某某镇人民政府（本级）") is UnitKind.TOWNSHIP
    assert register.guess_kind("某某县人民政府办公室（县政务公开办）") is UnitKind.OWN
    assert register.guess_kind("某某县人民政府") is UnitKind.OWN
    assert register.guess_kind("某某区人民政府办公室") is UnitKind.OWN
    assert register.guess_kind("某某县教育局") is UnitKind.DEPARTMENT
    assert register.guess_kind("某某县人民政府办公室 ") is UnitKind.OWN


def test_add_unit_writes_the_row_and_cleans_the_name(db_path: Path, db: Database) -> None:
    added = register.add_unit(db, "  某某县教育局 ", UnitKind.DEPARTMENT, note="分管：张")
    assert added.unit == Unit(added.unit.id, "某某县教育局", UnitKind.DEPARTMENT, True, "分管：张")
    assert _state(db_path)["unit"] == [
        (added.unit.id, "某某县教育局", "部门", 1, "分管：张", None, None)
    ]
    assert register.find_unit(db, "某某县教育局 ") == added.unit
    assert register.find_unit(db, "某某县财政局") is None


def test_add_units_is_one_transaction(db_path: Path, db: Database) -> None:
    register.add_unit(db, "乙局", UnitKind.DEPARTMENT)
    _refused(
        "单位“乙局”已在名单中",
        lambda: register.add_units(db, [("甲镇", UnitKind.TOWNSHIP), ("乙局", UnitKind.OTHER)]),
        db_path,
    )
    added = register.add_units(db, [("甲镇", UnitKind.TOWNSHIP), ("某某县人民政府", "本级")])  # type: ignore[list-item]
    assert [a.unit.name for a in added] == ["甲镇", "某某县人民政府"]
    assert [u.name for u in register.list_units(db)] == ["某某县人民政府", "乙局", "甲镇"]


def test_unit_refusals_are_in_chinese(db_path: Path, db: Database) -> None:
    unit = register.add_unit(db, "乙局", UnitKind.DEPARTMENT).unit
    register.add_unit(db, "丙局", UnitKind.DEPARTMENT)
    _refused("单位名称不能为空", lambda: register.add_unit(db, "  ", UnitKind.OTHER), db_path)
    _refused("已在名单中", lambda: register.add_unit(db, "乙局", UnitKind.OTHER), db_path)
    _refused("重复", lambda: register.add_units(db, [("丁", "其他"), ("丁", "其他")]), db_path)  # type: ignore[list-item]
    _refused(
        "单位类别“科室”不存在，可选：本级、部门、乡镇街道、其他",
        lambda: register.add_unit(db, "戊", "科室"),  # type: ignore[arg-type]
        db_path,
    )
    _refused("已在名单中", lambda: register.update_unit(db, unit.id, name="丙局"), db_path)
    _refused("单位名称不能为空", lambda: register.update_unit(db, unit.id, name=""), db_path)
    _refused("换行符", lambda: register.add_unit(db, "甲\n局", UnitKind.OTHER), db_path)
    _refused("找不到编号为999的单位", lambda: register.remove_unit(db, 999), db_path)


def test_update_unit_round_trips(db_path: Path, db: Database) -> None:
    unit = register.add_unit(db, "乙局", UnitKind.DEPARTMENT).unit
    change = _round_trip(
        db,
        db_path,
        lambda: register.update_unit(
            db, unit.id, name="丙局", kind=UnitKind.OTHER, must_report=False, note="已撤并"
        ),
    )
    assert change == register.UnitUpdated(
        unit, Unit(unit.id, "丙局", UnitKind.OTHER, False, "已撤并")
    )
    # a rename renames nothing else: the report of the old name stays where it is
    assert register.find_unit(db, "乙局") is None


def test_a_units_years_round_trip_and_say_when_it_reports(db_path: Path, db: Database) -> None:
    unit = register.add_unit(db, "乙局", UnitKind.DEPARTMENT).unit
    assert unit.active(2000) and unit.active(2100) and unit.years_text == ""
    change = _round_trip(
        db, db_path, lambda: register.update_unit(db, unit.id, from_year=2021, to_year=2023)
    )
    assert isinstance(change, register.UnitUpdated)
    new = change.new
    assert (new.from_year, new.to_year, new.years_text) == (2021, 2023, "2021–2023年")
    assert [y for y in range(2019, 2026) if new.active(y)] == [2021, 2022, 2023]
    # None is “no limit”; a field not given is kept
    register.update_unit(db, unit.id, to_year=None)
    found = register.find_unit(db, "乙局")
    assert found is not None and (found.from_year, found.to_year) == (2021, None)
    assert found.years_text == "2021年起"
    for fields, words in (
        ({"to_year": 2020}, "起始年度（2021年）不能晚于终止年度（2020年）"),
        ({"from_year": 1999}, "起始年度应在2000年到2100年之间"),
    ):
        with pytest.raises(OperationError, match=words):
            register.update_unit(db, unit.id, **fields)  # type: ignore[arg-type]


def test_remove_unit_keeps_its_reports_and_undo_restores_its_years(
    db_path: Path, db: Database
) -> None:
    unit = register.add_unit(db, "乙局", UnitKind.DEPARTMENT).unit
    report_id = ops.create_report(db, "乙局", 2021).report_id
    register.set_unit_year(db, unit.id, 2021, decision=Decision.PASSED, note="按时报送")
    register.set_unit_year(db, unit.id, 2020, decision=None, url="https://example.gov.cn/a")
    removed = _round_trip(db, db_path, lambda: register.remove_unit(db, unit.id))
    assert isinstance(removed, register.UnitRemoved)
    assert [y.year for y in removed.years] == [2020, 2021]
    assert ops.load_report(db, report_id).agency == "乙局"
    assert register.list_units(db) == [] and register.unit_years(db, 2021) == {}


def test_add_unit_round_trips(db_path: Path, db: Database) -> None:
    _round_trip(db, db_path, lambda: register.add_unit(db, "乙局", UnitKind.DEPARTMENT))


# ---------------------------------------------------------------------------- a unit's year


def test_set_unit_year_writes_and_round_trips(db_path: Path, db: Database) -> None:
    unit = register.add_unit(db, "乙局", UnitKind.DEPARTMENT).unit
    start = dt.datetime.now(dt.UTC)
    change = _round_trip(
        db,
        db_path,
        lambda: register.set_unit_year(
            db,
            unit.id,
            2021,
            decision=Decision.PUBLISHED,
            url=" https://www.example.gov.cn/xxgk/2022/1.html ",
            published_on=dt.date(2022, 1, 20),
            note="已挂网",
        ),
    )
    assert isinstance(change, register.UnitYearSet) and change.old is None
    entry = register.unit_years(db, 2021)[unit.id]
    assert change.new == entry
    assert entry.decision is Decision.PUBLISHED
    assert entry.url == "https://www.example.gov.cn/xxgk/2022/1.html"
    assert entry.published_on == dt.date(2022, 1, 20) and entry.note == "已挂网"
    assert entry.decided_at is not None and entry.decided_at >= start
    assert register.unit_years(db, 2020) == {}


def test_decided_at_changes_only_with_the_decision(db: Database) -> None:
    unit = register.add_unit(db, "乙局", UnitKind.DEPARTMENT).unit
    first = register.set_unit_year(db, unit.id, 2021, decision=Decision.RETURNED).new
    assert first is not None and first.decided_at is not None
    noted = register.set_unit_year(db, unit.id, 2021, decision=Decision.RETURNED, note="缺第五部分")
    assert noted.new is not None and noted.new.decided_at == first.decided_at
    passed = register.set_unit_year(db, unit.id, 2021, decision=Decision.PASSED).new
    assert passed is not None and passed.decided_at is not None
    assert passed.decided_at > first.decided_at
    cleared = register.set_unit_year(db, unit.id, 2021, decision=None)
    assert cleared.new is None and register.unit_years(db, 2021) == {}


def test_unit_year_refusals(db_path: Path, db: Database) -> None:
    unit = register.add_unit(db, "乙局", UnitKind.DEPARTMENT).unit
    for url in ("www.example.gov.cn", "ftp://example.gov.cn/a", "https://", "https://a b"):
        _refused(
            "应以 http:// 或 https:// 开头",
            lambda url=url: register.set_unit_year(db, unit.id, 2021, decision=None, url=url),  # type: ignore[misc]
            db_path,
        )
    _refused(
        "年度1999不在2000—2100之间",
        lambda: register.set_unit_year(db, unit.id, 1999, decision=Decision.PASSED),
        db_path,
    )
    _refused(
        "审核结果“待定”不存在",
        lambda: register.set_unit_year(db, unit.id, 2021, decision="待定"),  # type: ignore[arg-type]
        db_path,
    )
    _refused(
        "找不到编号为999的单位",
        lambda: register.set_unit_year(db, 999, 2021, decision=Decision.PASSED),
        db_path,
    )
    assert register.set_unit_year(db, unit.id, 2021, decision=None, url="HTTP://A.CN").new


def test_clear_decisions_keeps_url_and_note(db: Database) -> None:
    a = register.add_unit(db, "甲局", UnitKind.DEPARTMENT).unit
    b = register.add_unit(db, "乙局", UnitKind.DEPARTMENT).unit
    register.set_unit_year(
        db, a.id, 2021, decision=Decision.PUBLISHED, url="http://a.cn/1", note="n"
    )
    register.set_unit_year(db, b.id, 2021, decision=Decision.RETURNED)
    changes = register.clear_decisions(db, ["甲局 ", "乙局", "不在名单的局"], 2021)
    assert sorted(c.unit_id for c in changes) == [a.id, b.id]
    entries = register.unit_years(db, 2021)
    assert entries == {a.id: UnitYear(a.id, 2021, None, "http://a.cn/1", None, "n", None)}
    assert register.clear_decisions(db, ["甲局"], 2021) == []


# ---------------------------------------------------------------------------- 汇总 reports


def test_create_aggregate_and_its_refusals(db_path: Path, db: Database) -> None:
    created = _round_trip(
        db, db_path, lambda: register.create_aggregate(db, " 某某县人民政府", 2021)
    )
    assert isinstance(created, AggregateCreated)
    record = created.record
    assert (record.name, record.year, record.texts, record.excluded) == (
        "某某县人民政府",
        2021,
        {},
        frozenset(),
    )
    assert register.find_aggregate(db, "某某县人民政府", 2021) == record.id
    assert register.load_aggregate(db, record.id).same_contents(record)
    _refused("已经存在", lambda: register.create_aggregate(db, "某某县人民政府", 2021), db_path)
    _refused("不能为空", lambda: register.create_aggregate(db, "", 2021), db_path)
    _refused("年度2101不在", lambda: register.create_aggregate(db, "某某县人民政府", 2101), db_path)
    register.create_aggregate(db, "某某县人民政府", 2020)
    assert [(r.year, r.name) for r in register.list_aggregates(db)] == [
        (2020, "某某县人民政府"),
        (2021, "某某县人民政府"),
    ]
    assert [r.year for r in register.list_aggregates(db, 2021)] == [2021]


def test_aggregate_texts_round_trip_and_refusals(db_path: Path, db: Database) -> None:
    aggregate_id = register.create_aggregate(db, "某某县人民政府", 2021).record.id
    change = _round_trip(
        db, db_path, lambda: register.set_aggregate_text(db, aggregate_id, "overview", "全县…")
    )
    assert change == register.AggregateTextSet(aggregate_id, "overview", "", "全县…")
    assert register.load_aggregate(db, aggregate_id).texts == {"overview": "全县…"}
    _round_trip(db, db_path, lambda: register.set_aggregate_text(db, aggregate_id, "overview", ""))
    _refused(
        "2021年度的报告格式中没有名为“appendix”的文字部分",
        lambda: register.set_aggregate_text(db, aggregate_id, "appendix", "x"),
        db_path,
    )
    _refused(
        "过长",
        lambda: register.set_aggregate_text(db, aggregate_id, "problems", "字" * 20_001),
        db_path,
    )


def test_aggregate_fields_round_trip(db_path: Path, db: Database) -> None:
    aggregate_id = register.create_aggregate(db, "某某县人民政府", 2021).record.id
    register.create_aggregate(db, "另一县人民政府", 2021)
    change = _round_trip(
        db,
        db_path,
        lambda: register.set_aggregate_fields(
            db,
            aggregate_id,
            title="某某县2021年政府信息公开工作年度报告",
            signature_agency="某某县人民政府办公室",
            signature_date=dt.date(2022, 1, 25),
        ),
    )
    assert isinstance(change, register.AggregateFieldsSet)
    record = register.load_aggregate(db, aggregate_id)
    assert record.name == "某某县人民政府"  # unchanged: not passed
    assert record.signature_date == dt.date(2022, 1, 25)
    assert change.new.same_contents(record)
    register.set_aggregate_fields(db, aggregate_id, title=None)
    assert register.load_aggregate(db, aggregate_id).title is None
    _refused(
        "已经存在",
        lambda: register.set_aggregate_fields(db, aggregate_id, name="另一县人民政府"),
        db_path,
    )


def test_aggregate_members_round_trip(db_path: Path, db: Database) -> None:
    aggregate_id = register.create_aggregate(db, "某某县人民政府", 2021).record.id
    change = _round_trip(
        db, db_path, lambda: register.set_aggregate_member(db, aggregate_id, "乙局 ", False)
    )
    assert change == register.AggregateMemberSet(aggregate_id, "乙局", True, False)
    assert register.load_aggregate(db, aggregate_id).excluded == frozenset({"乙局"})
    _round_trip(db, db_path, lambda: register.set_aggregate_member(db, aggregate_id, "乙局", True))
    assert register.load_aggregate(db, aggregate_id).excluded == frozenset()


def test_deleting_an_aggregate_round_trips_with_its_texts(db_path: Path, db: Database) -> None:
    aggregate_id = register.create_aggregate(db, "某某县人民政府", 2021).record.id
    register.set_aggregate_text(db, aggregate_id, "problems", "问题")
    register.set_aggregate_member(db, aggregate_id, "乙局", False)
    deleted = _round_trip(db, db_path, lambda: register.delete_aggregate(db, aggregate_id))
    assert isinstance(deleted, AggregateDeleted)
    assert deleted.record.texts == {"problems": "问题"}


# ---------------------------------------------------------------------------- stale undo


def test_an_undo_of_something_changed_since_is_refused(db_path: Path, db: Database) -> None:
    unit = register.add_unit(db, "乙局", UnitKind.DEPARTMENT).unit
    renamed = register.update_unit(db, unit.id, name="丙局")
    register.update_unit(db, unit.id, note="别人改的")
    year_set = register.set_unit_year(db, unit.id, 2021, decision=Decision.RETURNED)
    register.set_unit_year(db, unit.id, 2021, decision=Decision.PASSED)
    aggregate_id = register.create_aggregate(db, "某某县人民政府", 2021).record.id
    text_set = register.set_aggregate_text(db, aggregate_id, "overview", "我的")
    register.set_aggregate_text(db, aggregate_id, "overview", "别人的")
    fields_set = register.set_aggregate_fields(db, aggregate_id, title="我的标题")
    register.set_aggregate_fields(db, aggregate_id, title="别人的标题")
    member_set = register.set_aggregate_member(db, aggregate_id, "甲", False)
    register.set_aggregate_member(db, aggregate_id, "甲", True)
    created = register.create_aggregate(db, "另一县人民政府", 2021)
    register.set_aggregate_text(db, created.record.id, "overview", "后来写的")
    for change in (renamed, year_set, text_set, fields_set, created):
        before = _state(db_path)
        with pytest.raises(StaleWriteError, match="已被其他窗口或程序修改"):
            apply_register_inverse(db, change)
        assert _state(db_path) == before
    # the member undo finds the agency already included (its old state): nothing to refuse
    assert apply_register_inverse(db, member_set).included is True
    removed = register.remove_unit(db, unit.id)
    register.add_unit(db, "丙局", UnitKind.OTHER)
    _refused("丙局", lambda: apply_register_inverse(db, removed), db_path)


# ---------------------------------------------------------------------------- load_year


def _filled(db: Database, agency: str, year: int, format_id: str, n: int) -> int:
    report_id = ops.create_report(db, agency, year, format_id).report_id
    money = "art20_9.procurement.amount" if format_id == "2019" else "art20_8.fees.amount"
    ops.set_cells(
        db,
        report_id,
        {"requests.new.natural": n, "requests.new.business": n * 2, money: Decimal(f"{n}.50")},
    )
    ops.set_text(db, report_id, "overview", f"{agency}概述")
    ops.set_declared(db, report_id, "requests.new.total", n * 3 + 1)
    if format_id == "2019":
        ops.set_unit(db, report_id, money, "万元")
    ops.set_signature(db, report_id, agency, dt.date(year + 1, 1, 10))
    return report_id


def test_load_year_equals_load_report_in_a_few_queries(db: Database) -> None:
    for n, (agency, format_id) in enumerate(
        [("乙局", "2021"), ("甲镇", "2019"), ("丙局", "2021"), ("丁局", "2021")]
    ):
        _filled(db, agency, 2021, format_id, n + 1)
    ops.create_report(db, "空白局", 2021)
    _filled(db, "乙局", 2020, "2019", 9)  # another year: not loaded

    statements: list[str] = []
    with db.read() as connection:
        connection.set_trace_callback(statements.append)
        try:
            from model import reads

            loaded = reads.load_year(connection, 2021)
        finally:
            connection.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert 1 <= len(selects) <= 5, selects

    assert [s.agency for s, _ in loaded] == ["丁局", "丙局", "乙局", "甲镇", "空白局"]
    for summary, report in loaded:
        assert report == ops.load_report(db, summary.id)
        assert summary == ops.report_summaries(db, [summary.id])[summary.id]
    by_agency = {s.agency: r for s, r in ops.load_year(db, 2021)}
    assert by_agency["甲镇"].units == {"art20_9.procurement.amount": "万元"}
    assert by_agency["甲镇"].format_id == "2019" and by_agency["乙局"].format_id == "2021"
    assert by_agency["乙局"].declared == {"requests.new.total": 4}
    assert ops.load_year(db, 2019) == []


# ---------------------------------------------------------------------------- finding_dict


def test_finding_dict_is_what_scripts_read() -> None:
    finding = Finding("balance", Severity.ERROR, "不平", "requests", ("a", "b"), ("overview",))
    assert finding_dict(finding) == {
        "rule": "balance",
        "severity": "error",
        "part": "requests",
        "message": "不平",
        "cells": ["a", "b"],
        "texts": ["overview"],
    }
    warning = Finding("x", Severity.WARNING, "m", "p")
    assert finding_dict(warning)["severity"] == "warning"
