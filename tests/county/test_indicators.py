"""The indicators a supervisor ranks units by, on hand-made reports of both formats."""

from __future__ import annotations

from decimal import Decimal

from county.indicators import (
    INDICATORS,
    MIN_SAMPLE,
    Measure,
    chart_series,
    compare_years,
    indicators,
)
from model.report import Report
from model.values import CellValue


def _report(cells: dict[str, CellValue], format_id: str = "2021", year: int = 2023) -> Report:
    return Report(format_id, "甲局", year, cells=dict(cells))


#: 40 requests, 2 carried in; 30 + 5 + 3 dealt with (3 of them 其他处理 in two columns), 4 over.
BUSY = {
    "requests.new.natural": 30,
    "requests.new.business": 10,
    "requests.carried_in.natural": 2,
    "requests.granted.natural": 20,
    "requests.granted.business": 10,
    "requests.unable_not_held.natural": 5,
    "requests.other_misc.natural": 2,
    "requests.other_no_fee.legal": 1,
    "requests.carried_out.natural": 4,
    "appeals.review.upheld": 6,
    "appeals.review.corrected": 3,
    "appeals.review.other": 1,
    "appeals.review.pending": 5,
    "appeals.suit_direct.corrected": 1,
    "appeals.suit_after_review.upheld": 1,
}


def test_shares_of_a_report_with_enough_requests() -> None:
    found = indicators(_report(BUSY))
    assert list(found) == [key for key, _, _ in INDICATORS]
    assert found["other_share"] == Measure(3, 38, Decimal("0.0789"), False, "7.89%（3/38）")
    assert found["carry_over_rate"] == Measure(4, 42, Decimal("0.0952"), False, "9.52%（4/42）")
    assert found["not_held_share"].numerator == 5
    assert found["not_held_share"].value == Decimal("0.1316")
    # reviews: 3 corrected of 10 decided (the 5 pending are not decided)
    assert found["reviews_corrected"] == Measure(
        3, 10, Decimal("0.3000"), False, "纠正3件，30%（3/10）"
    )
    assert found["all_zero"].text == "否"


def test_a_small_sample_says_so_with_its_size() -> None:
    found = indicators(_report(BUSY))
    suits = found["suits_corrected"]  # 1 corrected of 2 decided
    assert (suits.numerator, suits.denominator, suits.small) == (1, 2, True)
    assert suits.value == Decimal("0.5000")
    assert "样本太小（2件）" in suits.text
    few = indicators(_report({"requests.new.natural": 3, "requests.other_misc.natural": 3}))
    assert few["other_share"].small and "样本太小（3件）" in few["other_share"].text
    assert MIN_SAMPLE == 10


def test_nothing_counted_has_no_value() -> None:
    found = indicators(_report({}))
    assert found["other_share"].value is None
    assert found["other_share"].small
    assert found["all_zero"] == Measure(0, found["all_zero"].denominator, Decimal(1), False, "是")


def test_a_report_of_zeros_and_blanks_is_all_zero_but_one_figure_is_not() -> None:
    zeros = {"requests.new.natural": 0, "art20_8.fees.amount": Decimal("0.00")}
    assert indicators(_report(zeros))["all_zero"].text == "是"
    one = {**zeros, "art20_1.normative.issued": 1}
    assert indicators(_report(one))["all_zero"].text == "否"


def test_2019_format_other_handling_is_its_one_row() -> None:
    cells = {"requests.new.natural": 12, "requests.other.natural": 6, "requests.granted.legal": 6}
    found = indicators(_report(cells, "2019", 2020))
    assert (found["other_share"].numerator, found["other_share"].denominator) == (6, 12)
    assert found["other_share"].text == "50%（6/12）"


def test_compare_years_takes_the_cells_both_formats_have_with_their_places() -> None:
    last = _report({"requests.new.natural": 5, "requests.other.natural": 5}, "2019", 2020)
    this = _report(BUSY, "2021", 2021)
    changes = {c.key: c for c in compare_years(this, last)}
    assert "requests.other.natural" not in changes  # 2019 only
    assert "requests.other_misc.natural" not in changes  # 2021 only
    new = changes["requests.new.natural"]
    assert (new.last, new.this, new.changed) == (5, 30, True)
    assert new.place == "“一、本年新收政府信息公开申请数量”行“自然人”列"
    assert new.table == "收到和处理政府信息公开申请情况"
    assert changes["requests.new.total"].this == 40  # derived cells too
    assert not changes["requests.deny_secret.natural"].changed


def test_chart_series_are_the_six_totals() -> None:
    last = _report({"requests.new.natural": 7}, year=2022)
    series = chart_series(_report(BUSY), last)
    assert series == [
        ("本年新收政府信息公开申请数量", 7, 40),
        ("上年结转政府信息公开申请数量", 0, 2),
        ("本年度办理结果总计", 0, 38),
        ("结转下年度继续办理", 0, 4),
        ("被申请行政复议", 0, 15),
        ("被提起行政诉讼", 0, 2),
    ]
    assert [last_year for _, last_year, _ in chart_series(_report(BUSY), None)] == [None] * 6
