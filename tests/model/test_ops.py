"""The store's operations, checked the way a clerk would: close, reopen, look again."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import ops
from model.db import Database, open_database
from model.formats import MAX_COUNT, CellKind, get_format
from model.ops import OperationError
from model.report import Report
from model.values import CellValue, from_json

DATA = Path(__file__).resolve().parents[2] / "resources" / "examples"
AGENCY = "古城回族乡人民政府"
AMOUNT_2019 = "art20_9.procurement.amount"
FEES_2021 = "art20_8.fees.amount"


def reread(path: Path, report_id: int) -> Report:
    """The report as a fresh connection sees it, i.e. what was really committed."""
    with open_database(path) as database:
        return ops.load_report(database, report_id)


def raw(path: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql, params).fetchall()


def new_report(db: Database, year: int = 2019, agency: str = AGENCY) -> int:
    return ops.create_report(db, agency, year).report_id


def read_data_file(name: str) -> Report:
    """A sample data file as a Report (parsed here; the data-file module has its own tests)."""
    data = json.loads((DATA / name).read_text(encoding="utf-8"))
    fmt = get_format(data["format"])
    signature = data.get("signature", {})
    return Report(
        format_id=fmt.id,
        agency=data["agency"],
        year=data["year"],
        title=data.get("title"),
        cells={k: from_json(fmt.cells[k].kind, v) for k, v in data["cells"].items()},
        units=data.get("units", {}),
        texts={k: v for k, v in data.get("texts", {}).items() if v},
        signature_agency=signature.get("agency"),
        signature_date=dt.date.fromisoformat(signature["date"]) if "date" in signature else None,
    )


# ---------------------------------------------------------------------------- creating


def test_create_report_picks_the_format_by_year_and_strips_the_name(
    db_path: Path, db: Database
) -> None:
    created = ops.create_report(db, f"  {AGENCY}\u3000", 2020)
    later = ops.create_report(db, AGENCY, 2021)
    assert (created.agency, created.format_id, later.format_id) == (AGENCY, "2019", "2021")
    report = reread(db_path, created.report_id)
    assert (report.agency, report.year, report.format_id) == (AGENCY, 2020, "2019")
    assert report.cells == {} and report.texts == {} and report.title is None


def test_create_report_with_a_chosen_format(db_path: Path, db: Database) -> None:
    created = ops.create_report(db, AGENCY, 2022, format_id="2019")
    assert reread(db_path, created.report_id).format_id == "2019"
    with pytest.raises(OperationError, match="未知的报告格式"):
        ops.create_report(db, AGENCY, 2023, format_id="2030")


@pytest.mark.parametrize(
    ("agency", "year", "message"),
    [
        ("", 2019, "机关名称不能为空"),
        ("  \u3000", 2019, "机关名称不能为空"),
        (AGENCY, 1999, "不在2000—2100之间"),
        (AGENCY, 2101, "不在2000—2100之间"),
        (AGENCY, True, "年度应为整数"),
    ],
)
def test_create_report_refuses_bad_names_and_years(
    db_path: Path, db: Database, agency: str, year: int, message: str
) -> None:
    with pytest.raises(OperationError, match=message):
        ops.create_report(db, agency, year)
    assert raw(db_path, "SELECT COUNT(*) FROM report") == [(0,)]


def test_a_duplicate_agency_and_year_is_refused(db_path: Path, db: Database) -> None:
    first = ops.create_report(db, AGENCY, 2019)
    with pytest.raises(OperationError, match=f"“{AGENCY}”的2019年度报告已经存在"):
        ops.create_report(db, f" {AGENCY} ", 2019)
    assert raw(db_path, "SELECT id FROM report") == [(first.report_id,)]
    ops.create_report(db, AGENCY, 2020)  # another year is fine
    ops.create_report(db, "某某县自然资源局", 2019)  # and another agency


def test_rename_moves_the_report_and_refuses_a_clash(db_path: Path, db: Database) -> None:
    first, second = new_report(db), new_report(db, agency="古城乡")
    assert ops.rename_report(db, second, " 古城镇 ") == ops.ReportRenamed(
        second, "古城乡", "古城镇"
    )
    assert reread(db_path, second).agency == "古城镇"
    with pytest.raises(OperationError, match="已经存在"):
        ops.rename_report(db, second, AGENCY)
    assert reread(db_path, first).agency == AGENCY
    assert reread(db_path, second).agency == "古城镇"


def test_delete_removes_the_report_and_everything_in_it(db_path: Path, db: Database) -> None:
    keep, gone = new_report(db, 2019), new_report(db, 2020)
    for report_id in (keep, gone):
        ops.set_cell(db, report_id, "requests.new.natural", 3)
        ops.set_text(db, report_id, "overview", "文字")
        ops.set_unit(db, report_id, AMOUNT_2019, "元")
    assert ops.delete_report(db, gone) == ops.ReportDeleted(gone, AGENCY, 2020)
    for table in ("cell", "report_text", "report_unit"):
        rows = raw(db_path, f"SELECT report_id FROM {table}")
        assert rows == [(keep,)]
    assert [s.id for s in ops.list_reports(db)] == [keep]
    with pytest.raises(OperationError, match="找不到编号"):
        ops.load_report(db, gone)


# ---------------------------------------------------------------------------- cells


@pytest.mark.parametrize(
    "amount", ["0.000001", "126.4370", "999999999999.999999", "67.74", "0", "100.000000"]
)
def test_money_round_trips_exactly_and_is_stored_as_text(
    db_path: Path, db: Database, amount: str
) -> None:
    report_id = new_report(db)
    ops.set_cell(db, report_id, AMOUNT_2019, Decimal(amount))
    value = reread(db_path, report_id).cells[AMOUNT_2019]
    assert isinstance(value, Decimal) and str(value) == amount
    assert raw(db_path, "SELECT typeof(money), money FROM cell") == [("text", amount)]


def test_money_in_exponent_notation_is_stored_fixed(db_path: Path, db: Database) -> None:
    report_id = new_report(db)
    ops.set_cell(db, report_id, AMOUNT_2019, Decimal("1E+2"))
    assert raw(db_path, "SELECT money FROM cell") == [("100",)]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("requests.new.natural", MAX_COUNT + 1, "过大"),
        ("requests.new.natural", -1, "不能为负数"),
        ("art20_5.licensing.prev_items", -1, "不能为负数"),
        ("art20_5.licensing.change", -(MAX_COUNT + 1), "过大"),
        ("requests.new.natural", True, "真假值"),
        ("requests.new.natural", Decimal(3), "应为整数"),
        ("requests.new.natural", 2.0, "应为整数"),
        (AMOUNT_2019, 5, "金额应为精确小数"),
        (AMOUNT_2019, 1.5, "金额应为精确小数"),
        (AMOUNT_2019, Decimal(-1), "不是有效的金额"),
        (AMOUNT_2019, Decimal("0.0000001"), "不是有效的金额"),
        (AMOUNT_2019, Decimal(10**12), "不是有效的金额"),
        (AMOUNT_2019, Decimal("NaN"), "不是有效的金额"),
        ("requests.new.total", 1, "合计"),
        ("requests.handled.natural", 1, "合计"),
        ("requests.other_misc.natural", 1, "没有单元格"),  # a 2021 row in a 2019 report
        ("nonsense", 1, "没有单元格"),
    ],
)
def test_a_refused_value_writes_nothing(
    db_path: Path, db: Database, key: str, value: Any, message: str
) -> None:
    report_id = new_report(db)
    modified = ops.list_reports(db)[0].modified_at
    with pytest.raises(OperationError, match=message):
        ops.set_cell(db, report_id, key, value)
    assert raw(db_path, "SELECT COUNT(*) FROM cell") == [(0,)]
    assert ops.list_reports(db)[0].modified_at == modified


def test_the_refusal_names_the_cell(db: Database) -> None:
    report_id = new_report(db)
    with pytest.raises(OperationError) as raised:
        ops.set_cell(db, report_id, "requests.new.natural", -1)
    assert str(raised.value).startswith("“一、本年新收政府信息公开申请数量”行“自然人”列：")


def test_change_may_be_negative_and_the_largest_count_is_accepted(
    db_path: Path, db: Database
) -> None:
    report_id = new_report(db)
    ops.set_cell(db, report_id, "art20_5.licensing.change", -5)
    ops.set_cell(db, report_id, "requests.new.natural", MAX_COUNT)
    cells = reread(db_path, report_id).cells
    assert cells == {"art20_5.licensing.change": -5, "requests.new.natural": MAX_COUNT}


def test_set_cell_reports_old_and_new_and_none_clears(db_path: Path, db: Database) -> None:
    report_id = new_report(db)
    key = "requests.new.natural"
    assert ops.set_cell(db, report_id, key, 3) == ops.CellChanged(report_id, key, None, 3)
    assert ops.set_cell(db, report_id, key, 4) == ops.CellChanged(report_id, key, 3, 4)
    assert reread(db_path, report_id).cells == {key: 4}
    assert ops.set_cell(db, report_id, key, None) == ops.CellChanged(report_id, key, 4, None)
    assert reread(db_path, report_id).cells == {}
    assert raw(db_path, "SELECT COUNT(*) FROM cell") == [(0,)]  # blank is no row


def test_zero_is_not_blank(db_path: Path, db: Database) -> None:
    report_id = new_report(db)
    ops.set_cell(db, report_id, "requests.new.natural", 0)
    assert reread(db_path, report_id).cells == {"requests.new.natural": 0}


def test_a_change_bumps_modified_at_and_a_no_op_does_not(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A clock that ticks a minute per write, so the test does not depend on its resolution.
    start = dt.datetime(2025, 1, 20, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    ticks = (start + dt.timedelta(minutes=n) for n in itertools.count())
    monkeypatch.setattr(ops, "_now", lambda: next(ticks))
    report_id = new_report(db)
    created = ops.list_reports(db)[0].modified_at
    assert created == start and created.tzinfo is dt.UTC  # stored as UTC, read back aware
    ops.set_cell(db, report_id, "requests.new.natural", 3)
    changed = ops.list_reports(db)[0].modified_at
    assert changed == start + dt.timedelta(minutes=1)
    ops.set_cell(db, report_id, "requests.new.natural", 3)
    ops.set_text(db, report_id, "overview", "")
    assert ops.list_reports(db)[0].modified_at == changed


def test_set_cells_is_all_or_nothing(db_path: Path, db: Database) -> None:
    report_id = new_report(db)
    ops.set_cell(db, report_id, "requests.new.natural", 1)
    paste: dict[str, CellValue | None] = {
        "requests.new.natural": 2,
        "requests.new.business": 3,
        "requests.new.research": -1,
    }
    with pytest.raises(OperationError, match="不能为负数"):
        ops.set_cells(db, report_id, paste)
    assert reread(db_path, report_id).cells == {"requests.new.natural": 1}
    paste["requests.new.research"] = None
    changes = ops.set_cells(db, report_id, paste)
    assert [(c.key, c.old, c.new) for c in changes] == [
        ("requests.new.natural", 1, 2),
        ("requests.new.business", None, 3),
        ("requests.new.research", None, None),
    ]
    assert reread(db_path, report_id).cells == {
        "requests.new.natural": 2,
        "requests.new.business": 3,
    }


def test_a_paste_adds_changes_and_clears_cells_including_zeros(db_path: Path, db: Database) -> None:
    report_id = new_report(db)
    first: dict[str, CellValue | None] = {
        "requests.new.natural": 0,
        "requests.new.business": 5,
        AMOUNT_2019: Decimal("1.5"),
    }
    ops.set_cells(db, report_id, first)
    second: dict[str, CellValue | None] = {
        "requests.new.natural": 7,  # from 0: a change, not a new cell
        "requests.new.business": None,
        AMOUNT_2019: Decimal("1.50"),  # written as typed
        "requests.new.research": 0,
    }
    changes = ops.set_cells(db, report_id, second)
    assert [(c.old, c.new) for c in changes] == [
        (0, 7),
        (5, None),
        (Decimal("1.5"), Decimal("1.50")),
        (None, 0),
    ]
    cells = reread(db_path, report_id).cells
    assert cells == {
        "requests.new.natural": 7,
        AMOUNT_2019: Decimal("1.50"),
        "requests.new.research": 0,
    }
    assert str(cells[AMOUNT_2019]) == "1.50"
    assert raw(db_path, "SELECT COUNT(*) FROM cell") == [(3,)]


def test_writing_to_a_missing_report_is_refused(db: Database) -> None:
    with pytest.raises(OperationError, match="找不到编号为42的报告"):
        ops.set_cell(db, 42, "requests.new.natural", 1)


# ---------------------------------------------------------------------------- texts, units, …


def test_texts_round_trip_and_empty_is_blank(db_path: Path, db: Database) -> None:
    report_id = new_report(db)
    overview = "  2019年，我乡高度重视……\n\n第二段。  "
    assert ops.set_text(db, report_id, "overview", overview) == ops.TextChanged(
        report_id, "overview", "", overview
    )
    ops.set_text(db, report_id, "problems", "问题")
    assert reread(db_path, report_id).texts == {"overview": overview, "problems": "问题"}
    ops.set_text(db, report_id, "problems", "")
    assert reread(db_path, report_id).texts == {"overview": overview}
    with pytest.raises(OperationError, match="没有名为“summary”的文字部分"):
        ops.set_text(db, report_id, "summary", "x")


def test_units_only_where_the_format_offers_a_choice(db_path: Path, db: Database) -> None:
    old, new = new_report(db, 2019), new_report(db, 2021)
    assert ops.set_unit(db, old, AMOUNT_2019, "元") == ops.UnitChanged(old, AMOUNT_2019, None, "元")
    assert reread(db_path, old).units == {AMOUNT_2019: "元"}
    with pytest.raises(OperationError, match="单位“美元”不可用，可选：万元、元"):
        ops.set_unit(db, old, AMOUNT_2019, "美元")
    with pytest.raises(OperationError, match="固定"):
        ops.set_unit(db, new, FEES_2021, "元")
    ops.set_unit(db, old, AMOUNT_2019, None)
    assert reread(db_path, old).units == {}


def test_title_and_signature(db_path: Path, db: Database) -> None:
    report_id = new_report(db)
    assert ops.set_title(db, report_id, " 古城回族乡政府信息公开年度报告 ").new == (
        "古城回族乡政府信息公开年度报告"
    )
    date = dt.date(2020, 1, 20)
    change = ops.set_signature(db, report_id, f" {AGENCY} ", date)
    assert change == ops.SignatureChanged(report_id, None, None, AGENCY, date)
    report = reread(db_path, report_id)
    assert report.title == "古城回族乡政府信息公开年度报告"
    assert (report.signature_agency, report.signature_date) == (AGENCY, date)
    ops.set_title(db, report_id, "  ")
    assert reread(db_path, report_id).display_title == f"{AGENCY}2019年政府信息公开工作年度报告"


# ---------------------------------------------------------------------------- undo


def test_every_undoable_change_is_undone_and_redone(db_path: Path, db: Database) -> None:
    report_id = new_report(db)
    before = reread(db_path, report_id)
    changes: list[ops.Change] = [
        ops.set_cell(db, report_id, AMOUNT_2019, Decimal("67.740")),
        ops.set_text(db, report_id, "overview", "总体情况"),
        ops.set_unit(db, report_id, AMOUNT_2019, "元"),
        ops.set_title(db, report_id, "标题"),
        ops.set_signature(db, report_id, AGENCY, dt.date(2020, 1, 20)),
        ops.rename_report(db, report_id, "古城乡"),
    ]
    after = reread(db_path, report_id)
    redo = [ops.apply_inverse(db, change) for change in reversed(changes)]
    assert reread(db_path, report_id) == before
    for change in reversed(redo):
        ops.apply_inverse(db, change)
    assert reread(db_path, report_id) == after
    assert str(after.cells[AMOUNT_2019]) == "67.740"


def test_creating_and_deleting_cannot_be_undone(db: Database) -> None:
    created = ops.create_report(db, AGENCY, 2019)
    with pytest.raises(OperationError, match="不能撤销"):
        ops.apply_inverse(db, created)
    with pytest.raises(OperationError, match="不能撤销"):
        ops.apply_inverse(db, ops.delete_report(db, created.report_id))


# ---------------------------------------------------------------------------- next year


def fill(db: Database, report_id: int, cells: dict[str, CellValue]) -> None:
    ops.set_cells(db, report_id, dict(cells))
    for key in ops.load_report(db, report_id).format.text_keys:
        ops.set_text(db, report_id, key, f"{key}的文字")
    ops.set_signature(db, report_id, AGENCY, dt.date(2020, 1, 20))


REQUEST_COLUMNS = ("natural", "business", "research", "nonprofit", "legal", "other_org")
CARRIED_OUT = {f"requests.carried_out.{c}": i + 1 for i, c in enumerate(REQUEST_COLUMNS)}
CARRIED_IN = {f"requests.carried_in.{c}": i + 1 for i, c in enumerate(REQUEST_COLUMNS)}


def test_next_year_in_the_2019_format(db_path: Path, db: Database) -> None:
    last = new_report(db, 2019)
    fill(
        db,
        last,
        {
            **CARRIED_OUT,
            "requests.carried_in.natural": 9,  # this year's carry-in is not carried
            "art20_5.licensing.prev_items": 10,
            "art20_5.licensing.change": -3,  # 10 − 3
            "art20_5.other_services.change": 4,  # blank + 4
            "art20_6.penalty.prev_items": 6,  # 6 + blank
            "art20_6.coercion.prev_items": 1,
            "art20_6.coercion.change": -3,  # would be −2: left blank for the checks
            "art20_8.fees.prev_items": 2,
            "art20_8.fees.change": 0,
            "art20_5.licensing.decisions": 40,
            "art20_1.rules.made": 1,
            "appeals.review.upheld": 1,
            AMOUNT_2019: Decimal("67.74"),
        },
    )
    ops.set_unit(db, last, AMOUNT_2019, "元")
    created = ops.create_next_year(db, last)
    assert (created.agency, created.year, created.format_id) == (AGENCY, 2020, "2019")
    draft = reread(db_path, created.report_id)
    assert draft.cells == {
        "art20_5.licensing.prev_items": 7,
        "art20_5.other_services.prev_items": 4,
        "art20_6.penalty.prev_items": 6,
        "art20_8.fees.prev_items": 2,
        **CARRIED_IN,
    }
    assert draft.texts == {key: f"{key}的文字" for key in get_format("2019").text_keys}
    assert (draft.signature_agency, draft.signature_date, draft.title) == (AGENCY, None, None)
    assert draft.units == {}


def test_next_year_from_2019_into_the_2021_format(db_path: Path, db: Database) -> None:
    last = new_report(db, 2020)
    fill(db, last, {**CARRIED_OUT, "art20_5.licensing.prev_items": 10})
    created = ops.create_next_year(db, last)
    assert (created.year, created.format_id) == (2021, "2021")
    draft = reread(db_path, created.report_id)
    assert draft.cells == CARRIED_IN
    assert draft.texts == {key: f"{key}的文字" for key in get_format("2019").text_keys}


def test_next_year_in_the_2021_format_does_not_carry_in_force(db_path: Path, db: Database) -> None:
    last = new_report(db, 2022)
    fill(
        db,
        last,
        {
            **CARRIED_OUT,
            "art20_1.rules.in_force": 5,
            "art20_1.normative.in_force": 12,
            FEES_2021: Decimal("1.5"),
        },
    )
    created = ops.create_next_year(db, last)
    assert (created.year, created.format_id) == (2023, "2021")
    assert reread(db_path, created.report_id).cells == CARRIED_IN


def test_next_year_is_refused_when_it_exists_or_is_out_of_range(
    db_path: Path, db: Database
) -> None:
    last = new_report(db, 2019)
    ops.create_report(db, AGENCY, 2020)
    with pytest.raises(OperationError, match="2020年度报告已经存在"):
        ops.create_next_year(db, last)
    final = new_report(db, 2100)
    with pytest.raises(OperationError, match="2101"):
        ops.create_next_year(db, final)
    assert raw(db_path, "SELECT year FROM report ORDER BY year") == [(2019,), (2020,), (2100,)]


# ---------------------------------------------------------------------------- reads


def test_list_find_and_previous(db: Database) -> None:
    b2020 = new_report(db, 2020, "乙镇人民政府")
    a2019 = new_report(db, 2019, "甲乡人民政府")
    b2019 = new_report(db, 2019, "乙镇人民政府")
    summaries = ops.list_reports(db)
    assert [(s.agency, s.year) for s in summaries] == sorted(
        [("乙镇人民政府", 2020), ("甲乡人民政府", 2019), ("乙镇人民政府", 2019)]
    )
    assert summaries[0].display_title.endswith("年政府信息公开工作年度报告")
    assert ops.find_report(db, " 乙镇人民政府 ", 2020) == b2020
    assert ops.find_report(db, "乙镇人民政府", 2021) is None
    ops.set_cell(db, b2019, "requests.carried_out.natural", 2)
    previous = ops.previous_report(db, ops.load_report(db, b2020))
    assert previous is not None and previous.cells == {"requests.carried_out.natural": 2}
    assert ops.previous_report(db, ops.load_report(db, a2019)) is None


# ---------------------------------------------------------------------------- whole reports


@pytest.mark.parametrize(
    "name", ["example-2019-township.nianbao.json", "sample-2021-county-bureau.nianbao.json"]
)
def test_a_whole_report_round_trips(db_path: Path, db: Database, name: str) -> None:
    report = read_data_file(name)
    report_id = ops.save_report(db, report, replace=False)
    assert reread(db_path, report_id) == report


def test_declared_totals_are_kept_apart_from_inputs(db_path: Path, db: Database) -> None:
    report = Report("2019", AGENCY, 2019, cells={"requests.new.natural": 1})
    report.declared = {"requests.new.total": 2, "requests.handled.natural": 0}
    report_id = ops.save_report(db, report, replace=False)
    loaded = reread(db_path, report_id)
    assert loaded.cells == {"requests.new.natural": 1}
    assert loaded.declared == {"requests.new.total": 2, "requests.handled.natural": 0}
    bad = Report("2019", "乙镇", 2019, declared={"requests.new.natural": 1})
    with pytest.raises(OperationError, match="不是合计"):
        ops.save_report(db, bad, replace=False)


def test_saving_over_an_existing_report_needs_replace(db_path: Path, db: Database) -> None:
    old_id = new_report(db)
    ops.set_cell(db, old_id, "requests.new.natural", 5)
    ops.set_text(db, old_id, "problems", "旧的问题")
    ops.set_unit(db, old_id, AMOUNT_2019, "元")
    incoming = Report("2019", AGENCY, 2019, cells={"requests.new.business": 7}, title="新标题")
    with pytest.raises(OperationError, match=f"“{AGENCY}”的2019年度报告已经存在"):
        ops.save_report(db, incoming, replace=False)
    assert reread(db_path, old_id).cells == {"requests.new.natural": 5}
    assert ops.save_report(db, incoming, replace=True) == old_id
    assert reread(db_path, old_id) == incoming


@pytest.mark.parametrize(
    "broken",
    [
        Report("2019", AGENCY, 2019, cells={"requests.new.natural": -1}),
        Report("2019", AGENCY, 2019, cells={"requests.new.total": 1}),
        Report("2019", AGENCY, 2019, cells={FEES_2021: Decimal(1)}),
        Report("2019", AGENCY, 2019, units={AMOUNT_2019: "美元"}),
        Report("2019", AGENCY, 2019, texts={"summary": "x"}),
        Report("2030", AGENCY, 2019),
        Report("2019", " ", 2019),
        Report("2019", AGENCY, 1900),
    ],
)
def test_a_broken_report_is_not_saved_at_all(db_path: Path, db: Database, broken: Report) -> None:
    old_id = new_report(db)
    ops.set_cell(db, old_id, "requests.new.natural", 5)
    with pytest.raises(OperationError):
        ops.save_report(db, broken, replace=True)
    assert reread(db_path, old_id).cells == {"requests.new.natural": 5}
    assert raw(db_path, "SELECT COUNT(*) FROM report") == [(1,)]


# ---------------------------------------------------------------------------- a random walk

FORMAT_2019 = get_format("2019")
RANDOM_KEYS = (
    "requests.new.natural",
    "requests.carried_out.legal",
    "art20_5.licensing.change",
    "art20_8.fees.prev_items",
    AMOUNT_2019,
)


def values_for(key: str) -> st.SearchStrategy[CellValue | None]:
    kind = FORMAT_2019.cells[key].kind
    if kind is CellKind.MONEY:
        # Written as a clerk types it, trailing zeros included (126.4370).
        whole = st.integers(0, 10**12 - 1)
        fraction = st.text("0123456789", max_size=6)
        money = st.builds(lambda w, f: Decimal(f"{w}.{f}" if f else str(w)), whole, fraction)
        return st.none() | money
    low = -MAX_COUNT if kind is CellKind.SIGNED_COUNT else -5  # some refused negatives
    return st.none() | st.integers(low, MAX_COUNT + 5)


cell_ops = st.sampled_from(RANDOM_KEYS).flatmap(
    lambda key: st.tuples(st.just("cell"), st.just(key), values_for(key))
)
text_ops = st.tuples(st.just("text"), st.sampled_from(FORMAT_2019.text_keys), st.text(max_size=30))
agencies = itertools.count()


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Database]]:
    path = tmp_path_factory.mktemp("walk") / "nianbao.sqlite3"
    with open_database(path) as database:
        yield path, database


def as_written(value: CellValue) -> tuple[str, str]:
    return type(value).__name__, str(value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(cell_ops | text_ops, max_size=25))
def test_random_edits_match_a_plain_model(
    shared_db: tuple[Path, Database], steps: list[tuple[str, str, Any]]
) -> None:
    path, db = shared_db
    report_id = new_report(db, agency=f"测试机关{next(agencies)}")
    cells: dict[str, CellValue] = {}
    texts: dict[str, str] = {}
    for kind, key, value in steps:
        if kind == "text":
            ops.set_text(db, report_id, key, value)
            texts.pop(key, None)
            texts.update({key: value} if value else {})
            continue
        try:
            ops.set_cell(db, report_id, key, value)
        except OperationError:
            assert value is not None and (value < 0 or value > MAX_COUNT)
            continue
        cells.pop(key, None)
        cells.update({} if value is None else {key: value})
    report = reread(path, report_id)
    assert {k: as_written(v) for k, v in report.cells.items()} == {
        k: as_written(v) for k, v in cells.items()
    }
    assert report.texts == texts


def test_set_declared_keeps_or_drops_an_imported_total_and_undoes(tmp_path: Path) -> None:
    from model.db import open_database as open_db

    with open_db(tmp_path / "declared.sqlite3") as db:
        created = ops.create_report(db, "某某镇人民政府", 2022)
        rid = created.report_id
        kept = ops.set_declared(db, rid, "requests.handled.natural", 7)
        assert (kept.old, kept.new) == (None, 7)
        assert ops.load_report(db, rid).declared == {"requests.handled.natural": 7}
        dropped = ops.set_declared(db, rid, "requests.handled.natural", None)
        assert ops.load_report(db, rid).declared == {}
        ops.apply_inverse(db, dropped)
        assert ops.load_report(db, rid).declared == {"requests.handled.natural": 7}
        with pytest.raises(ops.OperationError, match="不是合计"):
            ops.set_declared(db, rid, "requests.new.natural", 1)


# ---------------------------------------------------------------------------- stale writes
# A writer states what it believes is stored; a value another program wrote since is never
# replaced by a write (or an undo) that did not see it (issue 12, D1).

STALE_CELL = "requests.new.natural"


def test_a_write_that_did_not_see_the_stored_value_is_refused(db: Database) -> None:
    rid = ops.create_report(db, "古城回族乡人民政府", 2019).report_id
    ops.set_text(db, rid, "preamble", "窗口读到的前言")
    ops.set_cell(db, rid, STALE_CELL, 3)
    ops.set_text(db, rid, "preamble", "县里下发的新前言")  # another program, meanwhile
    ops.set_cell(db, rid, STALE_CELL, 42)
    with pytest.raises(ops.StaleWriteError, match=r"前言.*已被其他窗口或程序修改"):
        ops.set_text(db, rid, "preamble", "窗口读到的前言x", expected="窗口读到的前言")
    with pytest.raises(ops.StaleWriteError, match="没有保存"):
        ops.set_cells(db, rid, {STALE_CELL: 4, "requests.new.legal": 1}, {STALE_CELL: 3})
    report = ops.load_report(db, rid)
    assert report.texts["preamble"] == "县里下发的新前言"
    assert report.cells[STALE_CELL] == 42 and "requests.new.legal" not in report.cells
    # What is stored, stated as such, is replaced; so is a value already equal to the new one.
    assert (
        ops.set_text(db, rid, "preamble", "新", expected="县里下发的新前言").old
        == "县里下发的新前言"
    )
    assert ops.set_cell(db, rid, STALE_CELL, 42, expected=7).new == 42
    assert ops.set_cell(db, rid, STALE_CELL, None, expected=42).old == 42
    assert ops.set_cell(db, rid, STALE_CELL, 5, expected=None).new == 5  # blank, as believed
    assert isinstance(ops.StaleWriteError("x"), ops.OperationError)


_FIELDS = {
    "title": (
        lambda r: r.title,
        lambda db, rid, e: ops.set_title(db, rid, "窗口的标题", expected=e),
        lambda db, rid: ops.set_title(db, rid, "别处的标题"),
    ),
    "signature": (
        lambda r: (r.signature_agency, r.signature_date),
        lambda db, rid, e: ops.set_signature(db, rid, "窗口", dt.date(2020, 1, 2), expected=e),
        lambda db, rid: ops.set_signature(db, rid, "别处", None),
    ),
    "unit": (
        lambda r: r.units.get(AMOUNT_2019),
        lambda db, rid, e: ops.set_unit(db, rid, AMOUNT_2019, "元", expected=e),
        lambda db, rid: ops.set_unit(db, rid, AMOUNT_2019, "万元"),
    ),
    "rename": (
        lambda r: r.agency,
        lambda db, rid, e: ops.rename_report(db, rid, "窗口改的名", expected=e),
        lambda db, rid: ops.rename_report(db, rid, "别处改的名"),
    ),
}


@pytest.mark.parametrize("field", list(_FIELDS))
def test_the_report_fields_refuse_a_stale_write(db: Database, field: str) -> None:
    believed_of, write, other = _FIELDS[field]
    rid = ops.create_report(db, "古城回族乡人民政府", 2019).report_id
    believed = believed_of(ops.load_report(db, rid))  # what a window shows
    other(db, rid)
    changed = ops.load_report(db, rid)
    with pytest.raises(ops.StaleWriteError, match="没有保存"):
        write(db, rid, believed)
    assert ops.load_report(db, rid) == changed
    write(db, rid, believed_of(changed))  # having seen it, the write goes through
    assert believed_of(ops.load_report(db, rid)) != believed_of(changed)


def test_undo_does_not_overwrite_what_another_program_wrote_since(db: Database) -> None:
    rid = ops.create_report(db, "古城回族乡人民政府", 2019).report_id
    mine = ops.set_cell(db, rid, STALE_CELL, 5)
    text = ops.set_text(db, rid, "overview", "窗口写的")
    assert ops.apply_inverse(db, ops.apply_inverse(db, mine)).new == 5  # undo, redo: as usual
    ops.set_cell(db, rid, STALE_CELL, 7)  # another program
    ops.set_text(db, rid, "overview", "别处写的")
    with pytest.raises(ops.StaleWriteError):
        ops.apply_inverse(db, mine)
    with pytest.raises(ops.StaleWriteError):
        ops.apply_inverse(db, text)
    report = ops.load_report(db, rid)
    assert report.cells[STALE_CELL] == 7 and report.texts["overview"] == "别处写的"
