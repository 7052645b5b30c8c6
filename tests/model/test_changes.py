"""What a change record means, without a window or a database: applying one to a report,
inverting it, and whether it wrote anything (1.5 and 1.50 yuan are different entries)."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import ops, reads
from model.changes import (
    CellChanged,
    Change,
    DeclaredChanged,
    ReportCreated,
    ReportDeleted,
    ReportRenamed,
    SignatureChanged,
    TextChanged,
    TitleChanged,
    UnitChanged,
    apply_change,
    inverted,
    is_edit,
    same_value,
)
from model.db import Database
from model.report import Report

COUNT, MONEY = "requests.new.natural", "art20_9.procurement.amount"

values = st.none() | st.integers(0, 10**6) | st.decimals(0, 10**6, places=2).map(Decimal)
texts = st.text(max_size=5)
names = st.none() | texts
dates = st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31))
changes: st.SearchStrategy[Change] = st.one_of(
    st.builds(CellChanged, st.just(1), st.sampled_from([COUNT, MONEY]), values, values),
    st.builds(DeclaredChanged, st.just(1), st.just("requests.new.total"), values, values),
    st.builds(TextChanged, st.just(1), st.sampled_from(["overview", "problems"]), texts, texts),
    st.builds(UnitChanged, st.just(1), st.just(MONEY), st.none() | st.just("元"), names),
    st.builds(TitleChanged, st.just(1), names, names),
    st.builds(SignatureChanged, st.just(1), names, dates, names, dates),
    st.builds(ReportRenamed, st.just(1), texts, texts),
)


def _report() -> Report:
    return Report(format_id="2019", agency="某某镇人民政府", year=2019)


def test_money_written_differently_is_a_different_value() -> None:
    assert same_value(Decimal("1.5"), Decimal("1.5"))
    assert not same_value(Decimal("1.5"), Decimal("1.50"))
    assert not same_value(1, Decimal("1"))
    assert not same_value(None, 0) and not same_value(None, "")


def test_an_edit_is_a_change_that_wrote_another_value() -> None:
    assert not is_edit(CellChanged(1, COUNT, 3, 3))
    assert is_edit(CellChanged(1, MONEY, Decimal("1.5"), Decimal("1.50")))
    assert is_edit(CellChanged(1, COUNT, None, 0))
    assert not is_edit(TextChanged(1, "overview", "甲", "甲"))
    assert not is_edit(SignatureChanged(1, "甲", dt.date(2020, 1, 1), "甲", dt.date(2020, 1, 1)))
    assert is_edit(SignatureChanged(1, "甲", dt.date(2020, 1, 1), "甲", dt.date(2020, 1, 2)))
    assert is_edit(ReportCreated(1, "甲", 2020, "2019"))


@given(changes)
def test_inverting_twice_gives_the_change_back(change: Change) -> None:
    back = inverted(change)
    assert inverted(back) == change
    assert is_edit(back) == is_edit(change)


def test_creating_and_deleting_have_no_inverse() -> None:
    with pytest.raises(TypeError):
        inverted(ReportCreated(1, "甲", 2020, "2019"))
    with pytest.raises(TypeError):
        inverted(ReportDeleted(1, "甲", 2020))


@given(changes)
def test_applying_a_change_and_its_inverse_leaves_the_report_as_it_was(change: Change) -> None:
    before = _report()
    apply_change(before, inverted(change))  # the report as the change found it
    report = copy.deepcopy(before)
    apply_change(report, change)
    apply_change(report, inverted(change))
    assert report == before


def test_applying_puts_each_kind_of_value_in_its_place() -> None:
    report = _report()
    date = dt.date(2020, 3, 1)
    for change in [
        CellChanged(1, COUNT, None, 5),
        CellChanged(1, MONEY, None, Decimal("1.50")),
        DeclaredChanged(1, "requests.new.total", None, 7),
        TextChanged(1, "overview", "", "总体"),
        UnitChanged(1, MONEY, None, "元"),
        TitleChanged(1, None, "标题"),
        SignatureChanged(1, None, None, "落款", date),
        ReportRenamed(1, "某某镇人民政府", "某某乡人民政府"),
        ReportCreated(2, "别的", 2020, "2019"),  # no report's contents: ignored
    ]:
        apply_change(report, change)
    assert report.cells == {COUNT: 5, MONEY: Decimal("1.50")}
    assert str(report.cells[MONEY]) == "1.50"
    assert report.declared == {"requests.new.total": 7}
    assert report.texts == {"overview": "总体"} and report.units == {MONEY: "元"}
    assert (report.title, report.signature_agency, report.signature_date) == ("标题", "落款", date)
    assert report.agency == "某某乡人民政府"
    apply_change(report, CellChanged(1, COUNT, 5, None))  # a blank is no entry
    apply_change(report, UnitChanged(1, MONEY, "元", None))
    assert COUNT not in report.cells and report.units == {}


def test_the_records_of_writes_bring_a_copy_in_line_with_the_database(db: Database) -> None:
    report_id = ops.create_report(db, "某某镇人民政府", 2019).report_id
    copy_ = ops.load_report(db, report_id)
    written = [
        *ops.set_cells(db, report_id, {COUNT: 4, MONEY: Decimal("2.50")}),
        ops.set_text(db, report_id, "overview", "总体情况"),
        ops.set_unit(db, report_id, MONEY, "元"),
        ops.set_title(db, report_id, "标题"),
        ops.set_signature(db, report_id, "落款", dt.date(2020, 1, 5)),
        ops.set_declared(db, report_id, "requests.new.total", 9),
        ops.rename_report(db, report_id, "某某乡人民政府"),
        *ops.set_cells(db, report_id, {COUNT: None, MONEY: Decimal("2.5")}),
    ]
    for change in written:
        apply_change(copy_, change)
    with db.read() as connection:
        stored = reads.load_report(connection, report_id)
    assert copy_ == stored
    assert repr(copy_.cells[MONEY]) == repr(stored.cells[MONEY]) == "Decimal('2.5')"
