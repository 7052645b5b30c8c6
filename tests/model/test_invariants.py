"""Property tests: for any valid report the totals add up and the balance rule fires exactly
when a column does not balance."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from model.calc import all_values, derived_values
from model.checks import check
from model.formats import FORMATS, CellKind, get_format
from model.report import Report
from model.values import CellValue

APPLICANTS = ("natural", "business", "research", "nonprofit", "legal", "other_org")


def _value(kind: CellKind) -> st.SearchStrategy[CellValue]:
    if kind is CellKind.MONEY:
        return st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False)
    if kind is CellKind.SIGNED_COUNT:
        return st.integers(-500, 500)
    return st.integers(0, 500)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    fmt = get_format(draw(st.sampled_from(sorted(FORMATS))))
    keys = draw(st.lists(st.sampled_from(fmt.input_keys), unique=True, max_size=60))
    cells = {key: draw(_value(fmt.cells[key].kind)) for key in keys}
    year = draw(st.integers(fmt.first_year, fmt.first_year + 1))
    return Report(fmt.id, "某某县人民政府办公室", year, cells=cells)


@settings(max_examples=200, deadline=None)
@given(reports())
def test_totals_add_up(report: Report) -> None:
    fmt = report.format
    values = all_values(fmt, report.cells)
    for row in fmt.table("requests").rows:
        row_total = sum(values[f"requests.{row.key}.{c}"] for c in APPLICANTS)
        assert values[f"requests.{row.key}.total"] == row_total
    result_rows = fmt.table("requests").row("handled").sums
    for column in (*APPLICANTS, "total"):
        handled = sum(values[f"requests.{r}.{column}"] for r in result_rows)
        assert values[f"requests.handled.{column}"] == handled
    for row in ("review", "suit_direct", "suit_after_review"):
        parts = sum(
            values[f"appeals.{row}.{c}"] for c in ("upheld", "corrected", "other", "pending")
        )
        assert values[f"appeals.{row}.total"] == parts
    assert all(isinstance(v, int) for k, v in derived_values(fmt, report.cells).items())
    assert all(
        isinstance(values[k], Decimal) or report.cells.get(k) is None
        for k in fmt.input_keys
        if fmt.cells[k].kind is CellKind.MONEY
    )


@settings(max_examples=200, deadline=None)
@given(reports())
def test_balance_error_exactly_for_unbalanced_columns(report: Report) -> None:
    values = all_values(report.format, report.cells)
    unbalanced = {
        c
        for c in APPLICANTS
        if values[f"requests.new.{c}"] + values[f"requests.carried_in.{c}"]
        != values[f"requests.handled.{c}"] + values[f"requests.carried_out.{c}"]
    }
    errors = [f for f in check(report) if f.rule == "requests.balance"]
    assert {f.cells[0].split(".")[2] for f in errors} == unbalanced
    assert all(f.is_error for f in errors)
