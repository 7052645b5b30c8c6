"""The 汇总's sums: exact, cell by cell, with each unit's share, and the units that break it."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from model.aggregate import (
    CarryOver,
    Coverage,
    MixedFormatsError,
    Sums,
    breakers,
    carry_over,
    draft_paragraph,
    region_of,
    sum_reports,
)
from model.calc import derived_values
from model.checks import check
from model.datafile import read_datafile
from model.drafts import plain_label
from model.errors import UserError
from model.formats import CellKind
from model.report import Report
from model.values import CellValue

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
#: The shipped example: a real township's 2019 report (古城回族乡人民政府), procurement in 万元.
TOWNSHIP_2019 = EXAMPLES / "example-2019-township.nianbao.json"
#: The shipped 2021-format sample of a county bureau (year 2022), with 收费 in 万元.
BUREAU_2022 = EXAMPLES / "sample-2021-county-bureau.nianbao.json"

AMOUNT_2019 = "art20_9.procurement.amount"
FEES_2021 = "art20_8.fees.amount"


def _report(
    agency: str,
    year: int,
    cells: dict[str, CellValue],
    format_id: str | None = None,
    units: dict[str, str] | None = None,
) -> Report:
    fid = format_id or ("2019" if year <= 2020 else "2021")
    return Report(format_id=fid, agency=agency, year=year, cells=dict(cells), units=units or {})


def _requests(column: str, new: int, carried_in: int, granted: int, carried_out: int) -> dict:
    return {
        f"requests.new.{column}": new,
        f"requests.carried_in.{column}": carried_in,
        f"requests.granted.{column}": granted,
        f"requests.carried_out.{column}": carried_out,
    }


def _in_unit(value: CellValue, unit: str | None, target: str | None) -> Decimal:
    sizes = {"元": Decimal(1), "万元": Decimal(10000)}
    if unit == target:
        return Decimal(value)
    return Decimal(value) * sizes[unit or "元"] / sizes[target or "元"]


# ---------------------------------------------------------------------------- the sums


def _three_2019() -> list[Report]:
    return [
        _report(
            "甲镇人民政府",
            2019,
            {
                "art20_5.licensing.prev_items": 10,
                "art20_5.licensing.change": -2,
                AMOUNT_2019: Decimal("12.5"),
                "art20_9.procurement.projects": 2,
                **_requests("natural", 5, 1, 4, 2),
                "appeals.review.upheld": 1,
            },
            units={AMOUNT_2019: "万元"},
        ),
        _report(
            "乙局",
            2019,
            {
                "art20_5.licensing.prev_items": 4,
                "art20_5.licensing.change": 3,
                "art20_8.fees.change": -1,
                AMOUNT_2019: Decimal("3000.25"),
                **_requests("natural", 2, 0, 2, 0),
                **_requests("business", 1, 0, 0, 1),
            },
            units={AMOUNT_2019: "元"},
        ),
        _report(
            "丙街道办事处",
            2019,
            {"art20_5.licensing.prev_items": 0, **_requests("legal", 3, 0, 3, 0)},
            units={AMOUNT_2019: "元"},  # chosen, but the cell is blank: no say in the unit
        ),
    ]


def test_three_reports_sum_cell_by_cell() -> None:
    sums = sum_reports(_three_2019(), 2019)
    assert sums.format_id == "2019" and sums.year == 2019
    assert sums.agencies == ("甲镇人民政府", "乙局", "丙街道办事处")
    assert sums.cells == {
        "art20_5.licensing.prev_items": 14,
        "art20_5.licensing.change": 1,  # -2 + 3, signed
        "art20_8.fees.change": -1,
        "art20_9.procurement.projects": 2,
        AMOUNT_2019: Decimal("128000.25"),  # 12.5万元 = 125000元, + 3000.25元
        "requests.new.natural": 7,
        "requests.carried_in.natural": 1,
        "requests.granted.natural": 6,
        "requests.carried_out.natural": 2,
        "requests.new.business": 1,
        "requests.carried_in.business": 0,
        "requests.granted.business": 0,
        "requests.carried_out.business": 1,
        "requests.new.legal": 3,
        "requests.carried_in.legal": 0,
        "requests.granted.legal": 3,
        "requests.carried_out.legal": 0,
        "appeals.review.upheld": 1,
    }
    assert sums.units == {AMOUNT_2019: "元"}
    # blank in every report: blank in the aggregate too (printed as 0, not typed as 0)
    assert "art20_1.rules.made" not in sums.cells
    assert isinstance(sums.cells[AMOUNT_2019], Decimal)
    assert str(sums.cells[AMOUNT_2019]) == "128000.25"


def test_money_in_one_unit_keeps_it_exactly() -> None:
    reports = [
        _report("甲", 2019, {AMOUNT_2019: Decimal("12.5")}, units={AMOUNT_2019: "万元"}),
        _report("乙", 2019, {AMOUNT_2019: Decimal("0.457379")}, units={AMOUNT_2019: "万元"}),
    ]
    sums = sum_reports(reports, 2019)
    assert sums.cells[AMOUNT_2019] == Decimal("12.957379")
    assert sums.units == {AMOUNT_2019: "万元"}
    assert sums.report("某某县人民政府").unit(AMOUNT_2019) == "万元"


def test_the_real_township_report_as_one_unit() -> None:
    township = read_datafile(TOWNSHIP_2019.read_bytes())
    assert township.unit(AMOUNT_2019) == "万元"
    own = township.cells[AMOUNT_2019]
    others = [
        _report(
            "乙局",
            2019,
            {AMOUNT_2019: Decimal("100"), "art20_9.procurement.projects": 1},
            units={AMOUNT_2019: "元"},
        ),
        _report("丙镇人民政府", 2019, {"requests.new.natural": 2, "requests.granted.natural": 2}),
    ]
    sums = sum_reports([township, *others], 2019)
    assert sums.units == {AMOUNT_2019: "元"}  # 万元 and 元 differ: 元
    assert sums.cells[AMOUNT_2019] == own * 10000 + 100 == Decimal("677500")
    assert str(sums.cells[AMOUNT_2019]) == "677500"
    assert (
        sums.cells["art20_9.procurement.projects"]
        == township.cells["art20_9.procurement.projects"] + 1
    )
    for key in township.format.input_keys:  # every other cell: the township's plus the others'
        if key == AMOUNT_2019:
            continue
        expected = [r.cells[key] for r in (township, *others) if r.cells.get(key) is not None]
        assert sums.cells.get(key) == (sum(expected) if expected else None), key
    [contribution] = [c for c in sums.contributions[AMOUNT_2019] if c.agency == township.agency]
    assert (contribution.value, contribution.unit) == (own, "万元")


def test_2021_fees_sum_in_wan_yuan() -> None:
    reports = [
        _report("甲", 2021, {FEES_2021: Decimal("190.457379"), "art20_1.normative.issued": 2}),
        _report("乙", 2021, {FEES_2021: Decimal("0.5")}),
        _report("丙", 2021, {"art20_1.normative.issued": 1}),
    ]
    sums = sum_reports(reports, 2021)
    assert sums.format_id == "2021"
    assert sums.cells == {FEES_2021: Decimal("190.957379"), "art20_1.normative.issued": 3}
    assert sums.units == {}  # a fixed unit: nothing to choose
    assert sums.report("某某县人民政府").unit(FEES_2021) == "万元"
    assert [c.unit for c in sums.contributions[FEES_2021]] == ["万元"] * 3
    assert [c.value for c in sums.contributions[FEES_2021]] == [
        Decimal("190.457379"),
        Decimal("0.5"),
        0,
    ]


def test_a_report_without_a_chosen_unit_counts_in_the_default_unit() -> None:
    reports = [
        _report("甲", 2019, {AMOUNT_2019: Decimal("1.5")}),  # no unit chosen: 万元, the default
        _report("乙", 2019, {AMOUNT_2019: Decimal("2")}, units={AMOUNT_2019: "元"}),
    ]
    sums = sum_reports(reports, 2019)
    assert (sums.cells[AMOUNT_2019], sums.units) == (Decimal("15002"), {AMOUNT_2019: "元"})


def test_no_reports_sum_to_a_blank_report_of_the_years_format() -> None:
    sums = sum_reports([], 2023)
    assert (sums.format_id, sums.cells, sums.agencies) == ("2021", {}, ())


def test_a_report_of_another_year_or_twice_the_same_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="2020年度"):
        sum_reports([_report("甲", 2020, {})], 2019)
    with pytest.raises(ValueError, match="两份"):
        sum_reports([_report("甲", 2019, {}), _report("甲", 2019, {})], 2019)


# ---------------------------------------------------------------------------- derived, shares


def test_derived_cells_are_recomputed_from_the_sums() -> None:
    township = read_datafile(TOWNSHIP_2019.read_bytes())
    sums = sum_reports([township, *_three_2019()], 2019)
    fmt = sums.format
    derived = derived_values(fmt, sums.cells)
    values = sums.values()
    # the township's requests are all 0: new 5+2+1+3, granted (all handled) 4+2+0+3
    assert derived["requests.new.total"] == 11
    assert derived["requests.handled.total"] == 9
    for key in fmt.derived_keys:
        assert values[key] == derived[key], key
        assert sum(c.value for c in sums.contributions[key]) == derived[key], key


def test_contributions_of_every_key_add_up_to_the_aggregate() -> None:
    township = read_datafile(TOWNSHIP_2019.read_bytes())
    reports = [township, *_three_2019()]
    sums = sum_reports(reports, 2019)
    values = sums.values()
    agencies = tuple(r.agency for r in reports)
    assert set(sums.contributions) == set(sums.format.cells)
    for key, contributions in sums.contributions.items():
        assert tuple(c.agency for c in contributions) == agencies, key
        cell = sums.format.cells[key]
        if cell.kind is CellKind.MONEY:
            target = sums.report("县").unit(key)
            total: CellValue = sum(
                (_in_unit(c.value, c.unit, target) for c in contributions), Decimal(0)
            )
        else:
            assert all(c.unit is None for c in contributions)
            total = sum(int(c.value) for c in contributions)
        assert total == values[key], key
    # the unit's own figure, blank as 0
    assert [c.value for c in sums.contributions["art20_5.licensing.change"]] == [0, -2, 3, 0]


# ---------------------------------------------------------------------------- checks


def _balancing_2021() -> list[Report]:
    return [
        _report(
            "甲局", 2021, {**_requests("natural", 6, 2, 7, 1), **_requests("business", 1, 0, 1, 0)}
        ),
        _report("乙镇人民政府", 2021, {**_requests("natural", 3, 0, 1, 2)}),
        _report(
            "丙局", 2021, {**_requests("research", 4, 1, 5, 0), "requests.other_misc.natural": 0}
        ),
    ]


def test_units_that_balance_give_an_aggregate_that_balances() -> None:
    reports = _balancing_2021()
    for report in reports:
        assert not [f for f in check(report) if f.rule == "requests.balance"]
    aggregate = sum_reports(reports, 2021).report("某某县人民政府")
    assert not [f for f in check(aggregate) if f.rule == "requests.balance"]
    assert aggregate.agency == "某某县人民政府" and aggregate.year == 2021


def test_an_unbalanced_aggregate_names_the_units_that_break_it() -> None:
    reports = _balancing_2021()
    reports[1].cells["requests.granted.natural"] = 3  # 乙: 3+0 ≠ 3+2 in 自然人
    reports[2].cells["requests.new.research"] = 6  # 丙: 6+1 ≠ 5+0 in 科研机构
    aggregate = sum_reports(reports, 2021).report("某某县人民政府")
    findings = {f.cells[0]: f for f in check(aggregate) if f.rule == "requests.balance"}
    assert set(findings) == {"requests.new.natural", "requests.new.research"}
    assert breakers(findings["requests.new.natural"], reports) == ("乙镇人民政府",)
    assert breakers(findings["requests.new.research"], reports) == ("丙局",)
    # The desk passes the findings it already has: the same units, no report checked again.
    known = {r.agency: check(r) for r in reports}
    assert breakers(findings["requests.new.natural"], reports, known) == ("乙镇人民政府",)
    known["乙镇人民政府"] = []  # what the caller says the unit's findings are is what counts
    assert breakers(findings["requests.new.natural"], reports, known) == ()


def test_a_finding_on_the_countys_own_text_names_no_unit() -> None:
    reports = _balancing_2021()
    aggregate = sum_reports(reports, 2021).report("县", texts={"overview": ""})
    [empty] = [f for f in check(aggregate) if f.rule == "overview.empty"]
    assert breakers(empty, reports) == ()


def test_mixed_formats_name_the_units_in_the_other_format() -> None:
    reports = [
        _report("甲局", 2021, {}, format_id="2019"),
        _report("乙镇人民政府", 2021, {}),
        _report("丙局", 2021, {}, format_id="2019"),
    ]
    with pytest.raises(MixedFormatsError) as raised:
        sum_reports(reports, 2021)
    error = raised.value
    assert isinstance(error, UserError)
    assert error.format_id == "2021"
    assert error.others == {"2019": ("甲局", "丙局")}
    assert str(error) == "以下单位使用2019年版格式，不能与2021年版格式的报告汇总：甲局、丙局"
    # all in the one other format: summed in it (a year's reports written in last year's format)
    assert sum_reports([reports[0], reports[2]], 2021).format_id == "2019"


# ---------------------------------------------------------------------------- carry-over


def test_carry_over_names_the_units_added_gone_and_mismatched() -> None:
    last_reports = [
        _report("甲局", 2020, _requests("natural", 5, 0, 3, 2)),
        _report("乙局", 2020, _requests("natural", 4, 0, 3, 1)),
        _report("丙镇人民政府", 2020, _requests("business", 2, 0, 1, 1)),  # abolished
    ]
    this_reports = [
        _report("甲局", 2021, _requests("natural", 1, 2, 3, 0)),  # agrees with its own
        _report("乙局", 2021, _requests("natural", 0, 3, 3, 0)),  # 3, but carried out 1
        _report("丁街道办事处", 2021, _requests("natural", 1, 0, 1, 0)),  # new this year
    ]
    last = sum_reports(last_reports, 2020)
    this = sum_reports(this_reports, 2021)
    result = carry_over(this, last, this_reports, last_reports)
    assert isinstance(result, CarryOver)
    assert not result.agrees
    assert result.added == ("丁街道办事处",)
    assert result.gone == ("丙镇人民政府",)
    assert result.mismatched == ("乙局",)
    columns = {key: (this_value, last_value) for key, this_value, last_value in result.columns}
    assert columns["natural"] == (5, 3)
    assert columns["business"] == (0, 1)
    assert columns["total"] == (5, 4)
    assert result.columns[-1][0] == "total"
    message = result.message()
    for name in ("丁街道办事处", "丙镇人民政府", "乙局"):
        assert name in message
    assert "甲局" not in message
    assert "“自然人”列本年为5、上年为3" in message


def test_carry_over_that_agrees_says_nothing() -> None:
    last_reports = [_report("甲局", 2020, _requests("natural", 5, 0, 3, 2))]
    this_reports = [_report("甲局", 2021, _requests("natural", 1, 2, 3, 0))]
    result = carry_over(
        sum_reports(this_reports, 2021),
        sum_reports(last_reports, 2020),
        this_reports,
        last_reports,
    )
    assert result.agrees and result.message() == ""
    assert (result.added, result.gone, result.mismatched) == ((), (), ())
    assert carry_over(sum_reports(this_reports, 2021), None, this_reports, []).agrees


def test_carry_over_that_agrees_still_names_a_changed_set_of_units() -> None:
    last_reports = [
        _report("甲局", 2020, _requests("natural", 5, 0, 3, 2)),
        _report("乙局", 2020, _requests("natural", 5, 0, 4, 1)),
    ]
    this_reports = [  # 甲 carries in 1 too few, 乙 1 too many: the totals agree
        _report("甲局", 2021, _requests("natural", 1, 1, 2, 0)),
        _report("乙局", 2021, _requests("natural", 1, 2, 3, 0)),
        _report("丙镇人民政府", 2021, _requests("natural", 1, 0, 1, 0)),
    ]
    result = carry_over(
        sum_reports(this_reports, 2021),
        sum_reports(last_reports, 2020),
        this_reports,
        last_reports,
    )
    assert result.agrees
    assert result.added == ("丙镇人民政府",) and result.mismatched == ("甲局", "乙局")
    message = result.message()
    assert message.startswith("汇总的“上年结转政府信息公开申请数量”与2020年汇总的")
    assert "一致" in message and "不一致：" not in message.split("。")[0]
    for name in ("丙镇人民政府", "甲局", "乙局"):
        assert name in message


# ---------------------------------------------------------------------------- coverage


def test_coverage_lines_for_the_appendix() -> None:
    coverage = Coverage(
        covered=("甲局", "乙局"), missing=("丙镇人民政府",), other_format=(), left_out=("丁",)
    )
    assert coverage.lines() == (
        ("汇总的单位（2个）", "甲局、乙局"),
        ("未报送报告的单位（1个）", "丙镇人民政府"),
        ("未纳入汇总的单位（1个）", "丁"),
    )


# ---------------------------------------------------------------------------- the paragraph


def _parse_paragraph(sums: Sums, text: str) -> dict[str, Decimal]:
    """Read the figures back from the paragraph, by the format's labels (the test's own
    reading, independent of how the paragraph was put together)."""
    fmt = sums.format
    found: dict[str, Decimal] = {}
    number = r"(-?[0-9]+(?:\.[0-9]+)?)"
    for table in fmt.tables:
        if table.part != "active":
            continue
        for row in table.rows:
            clause = re.search(rf"{re.escape(row.label)}([^；。]*)", text)
            if clause is None:
                continue
            whole = clause[0]  # 政府集中采购项目数量为18: the row's and column's 采购 said once
            for column in table.columns:
                label = re.sub(r"（[^）]*）$", "", column.label)
                match = re.search(rf"{re.escape(label)}为{number}(万元|元)?", whole)
                assert match is not None, (row.label, column.label)
                start = match.start()
                assert start <= len(row.label) or whole[start - 1] == "、", whole
                found[f"{table.key}.{row.key}.{column.key}"] = Decimal(match[1])
    requests = fmt.table("requests")
    for row in requests.rows:
        label = re.sub(r"数量$", "", plain_label(row.label))
        match = re.search(rf"{re.escape(label)}{number}件", text)
        if match and not row.groups:
            found[f"requests.{row.key}.total"] = Decimal(match[1])
    handled = re.search(rf"本年度办理结果总计{number}件", text)
    assert handled is not None
    found["requests.handled.total"] = Decimal(handled[1])
    granted = re.search(rf"其中予以公开{number}件", text)
    assert granted is not None
    found["requests.granted.total"] = Decimal(granted[1])
    for words, _rows in fmt.table("appeals").tallies:
        match = re.search(rf"{words}{number}件（([^）]*)）", text)
        assert match is not None, words
        found[f"appeals:{words}"] = Decimal(match[1])
        for column in fmt.table("appeals").columns[:-1]:
            outcome = re.search(rf"{column.label}{number}件", match[2])
            assert outcome is not None
            found[f"appeals:{words}:{column.key}"] = Decimal(outcome[1])
    return found


@pytest.mark.parametrize("year", [2019, 2022])
def test_draft_paragraph_states_the_summed_figures(year: int) -> None:
    if year == 2019:
        reports = [read_datafile(TOWNSHIP_2019.read_bytes()), *_three_2019()]
    else:
        bureau = read_datafile(BUREAU_2022.read_bytes())
        other = _report(
            "某某镇人民政府", 2022, {FEES_2021: Decimal("0.01"), **_requests("natural", 2, 0, 2, 0)}
        )
        reports = [bureau, other]
    sums = sum_reports(reports, year)
    values = sums.values()
    text = draft_paragraph(sums, "全县")
    assert text.startswith("全县")
    for row in ("政府集中采购", "行政许可"):  # no word said twice where row and column meet
        assert f"{row}{row[-2:]}" not in text
    read = _parse_paragraph(sums, text)
    fmt = sums.format
    stated_active = {k for k in read if k.startswith("art20_")}
    for key in (k for k in fmt.input_keys if k.startswith("art20_")):
        if any(values[f"{key.rsplit('.', 1)[0]}.{c.key}"] for c in fmt.cells[key].table.columns):
            assert read[key] == values[key], key
            stated_active.discard(key)
    assert not stated_active  # rows all 0 are left out, nothing else
    for row in ("new", "carried_in", "handled", "carried_out", "granted"):
        assert read[f"requests.{row}.total"] == values[f"requests.{row}.total"], row
    for words, rows in fmt.table("appeals").tallies:
        assert read[f"appeals:{words}"] == sum(values[f"appeals.{r}.total"] for r in rows)
        assert read[f"appeals:{words}:upheld"] == sum(values[f"appeals.{r}.upheld"] for r in rows)
    # money is stated in the aggregate's unit
    money = AMOUNT_2019 if year == 2019 else FEES_2021
    unit = sums.report("全县").unit(money)
    assert f"为{values[money]}{unit}" in text


def test_the_drafted_paragraph_passes_the_aggregates_text_checks() -> None:
    bureau = read_datafile(BUREAU_2022.read_bytes())
    other = _report("某某镇人民政府", 2022, _requests("natural", 2, 1, 2, 1))
    sums = sum_reports([bureau, other], 2022)
    aggregate = sums.report("某某县人民政府", texts={"overview": draft_paragraph(sums, "全县")})
    assert [f.message for f in check(aggregate) if f.rule.startswith("text.")] == []
    assert "本年新收政府信息公开申请55件" in aggregate.texts["overview"]
    # and in the 2019 format, with the procurement amount converted to 元
    sums = sum_reports([read_datafile(TOWNSHIP_2019.read_bytes()), *_three_2019()], 2019)
    aggregate = sums.report("某某县人民政府", texts={"overview": draft_paragraph(sums, "全县")})
    assert [f.message for f in check(aggregate) if f.rule.startswith("text.")] == []
    assert "采购总金额为805400.25元" in aggregate.texts["overview"]  # 677400 + 128000.25


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("某某县人民政府", "全县"),
        ("淮安市洪泽区人民政府办公室", "全区"),
        ("某某自治县人民政府", "全县"),
        ("平潭综合实验区管理委员会", "全区"),
        ("某某镇人民政府", "全镇"),
        ("某某街道办事处", "某某街道办事处"),
    ],
)
def test_the_drafted_paragraph_names_the_whole_area(name: str, region: str) -> None:
    assert region_of(name) == region
