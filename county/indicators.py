"""What a supervisor ranks units by, per report: the share of 其他处理 among the requests dealt
with, the carry-over rate, the share of “本机关不掌握”, reviews and suits whose result was
corrected, and reports with nothing filled in; this year against last year cell by cell; and
the six totals the desk's bar chart shows.

Every row and column is found through the format (its balance rule, its tables' tallies, the
row groups), so the 2019 and 2021 formats are read alike and no label is written twice.  A
share of fewer than :data:`MIN_SAMPLE` requests (or decided cases) is computed but marked
small: its text says “样本太小（N件）”, for a ranking must not put 1 of 2 above 40 of 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from model.calc import all_values
from model.drafts import plain_label
from model.formats import ReportFormat, Table
from model.formats.rules import BalanceRule
from model.report import Report
from model.values import CellValue

#: Below this many requests (or decided cases) a share means nothing.
MIN_SAMPLE = 10


@dataclass(frozen=True)
class Measure:
    """One indicator of one report: ``numerator`` of ``denominator`` (``value`` their ratio,
    None when nothing was counted), ``small`` when ``denominator`` < :data:`MIN_SAMPLE`, and the
    clerk's reading of it (``text``)."""

    numerator: int
    denominator: int
    value: Decimal | None
    small: bool
    text: str


#: (key, label, help) of every indicator, in the order of the table.
INDICATORS: tuple[tuple[str, str, str], ...] = (
    (
        "other_share",
        "其他处理占比",
        "第三部分“其他处理”占“总计”（本年度办理结果）的比例。2019年格式发布通知要求对"
        "“其他处理”数量偏高的行政机关了解情况。",
    ),
    (
        "carry_over_rate",
        "结转率",
        "第三部分“结转下年度继续办理”占“本年新收”与“上年结转”之和的比例。",
    ),
    (
        "not_held_share",
        "“本机关不掌握”占比",
        "第三部分“本机关不掌握相关政府信息”占“总计”（本年度办理结果）的比例。",
    ),
    (
        "reviews_corrected",
        "行政复议纠正",
        "第四部分行政复议“结果纠正”的件数，及其占已审结（维持、纠正、其他结果）件数的比例。",
    ),
    (
        "suits_corrected",
        "行政诉讼纠正",
        "第四部分行政诉讼（未经复议直接起诉和复议后起诉）“结果纠正”的件数，及其占已审结件数的比例。",
    ),
    (
        "all_zero",
        "全零报告",
        "表格中所有填写项都为空或0的报告。",
    ),
)

_PLACES = Decimal("0.0001")


def indicators(report: Report) -> dict[str, Measure]:
    """Every indicator of :data:`INDICATORS` for ``report``, by key."""
    fmt = report.format
    values = all_values(fmt, report.cells)
    lines = _Lines(fmt, values)
    new, carried_in, handled, carried_out = lines.balance
    dealt = lines.total(handled)
    reviews, suits = lines.appeals
    return {
        "other_share": _share(lines.total(*lines.outcome("其他处理")), dealt),
        "carry_over_rate": _share(
            lines.total(carried_out), lines.total(new) + lines.total(carried_in)
        ),
        "not_held_share": _share(lines.total("unable_not_held"), dealt),
        "reviews_corrected": _corrected(lines, reviews),
        "suits_corrected": _corrected(lines, suits),
        "all_zero": _all_zero(report),
    }


class _Lines:
    """The rows of the requests and appeals tables of a format, and their totals."""

    def __init__(self, fmt: ReportFormat, values: dict[str, CellValue]) -> None:
        self.fmt, self.values = fmt, values
        rule = next(r for r in fmt.rules if isinstance(r, BalanceRule))
        self.requests = fmt.table(rule.table)
        (new, carried_in), (handled, carried_out) = rule.lhs, rule.rhs
        self.balance = (new, carried_in, handled, carried_out)
        self.appeals_table = next(t for t in fmt.tables if t.tallies)
        reviews, suits = (rows for _, rows in self.appeals_table.tallies)
        self.appeals = (reviews, suits)

    def total(self, *rows: str, table: Table | None = None) -> int:
        table = table or self.requests
        column = _total_column(table)
        return sum(int(self.values.get(f"{table.key}.{row}.{column}", 0)) for row in rows)

    def outcome(self, name: str) -> tuple[str, ...]:
        """The input rows of the outcome ``name`` (“其他处理” is one row in 2019, three in 2021)."""
        return tuple(
            row.key
            for row in self.requests.rows
            if row.groups
            and not row.derived
            and plain_label(row.groups[1] if len(row.groups) > 1 else row.label) == name
        )

    def cell(self, row: str, column: str) -> int:
        return int(self.values.get(f"{self.appeals_table.key}.{row}.{column}", 0))


def _total_column(table: Table) -> str:
    return next(column.key for column in table.columns if column.derived)


def _share(numerator: int, denominator: int) -> Measure:
    if denominator <= 0:
        return Measure(numerator, denominator, None, True, "样本太小（0件）")
    value = (Decimal(numerator) / Decimal(denominator)).quantize(_PLACES)
    percent = f"{(value * 100).normalize():f}%"
    if denominator < MIN_SAMPLE:
        return Measure(
            numerator,
            denominator,
            value,
            True,
            f"{numerator}/{denominator}，样本太小（{denominator}件）",
        )
    return Measure(numerator, denominator, value, False, f"{percent}（{numerator}/{denominator}）")


def _corrected(lines: _Lines, rows: tuple[str, ...]) -> Measure:
    """Corrected results among the decided cases (维持、纠正、其他结果: all but 尚未审结)."""
    corrected = sum(lines.cell(row, "corrected") for row in rows)
    decided = sum(
        lines.cell(row, column.key)
        for row in rows
        for column in lines.appeals_table.columns
        if not column.derived and column.key != "pending"
    )
    measure = _share(corrected, decided)
    if measure.small or decided == 0:
        return measure
    return Measure(corrected, decided, measure.value, False, f"纠正{corrected}件，{measure.text}")


def _all_zero(report: Report) -> Measure:
    keys = report.format.input_keys
    filled = sum(1 for key in keys if report.cells.get(key))
    empty = filled == 0
    return Measure(
        filled, len(keys), Decimal(1) if empty else Decimal(0), False, "是" if empty else "否"
    )


# ---------------------------------------------------------------------------- year on year


@dataclass(frozen=True)
class CellChange:
    """One cell this year against last year: ``table`` its table's caption, ``place`` the
    cell's place in words (the format's own)."""

    key: str
    table: str
    place: str
    last: CellValue
    this: CellValue

    @property
    def changed(self) -> bool:
        return self.last != self.this


def compare_years(this: Report, last: Report) -> list[CellChange]:
    """Every cell of ``this`` report's format that ``last``'s format has too (a 2019-format
    report against a 2021 one: the common cells only), blanks as 0, in ``this`` format's order."""
    this_values = all_values(this.format, this.cells)
    last_values = all_values(last.format, last.cells)
    cells = this.format.cells
    return [
        CellChange(key, cells[key].table.caption, cells[key].place, last_values[key], value)
        for key, value in this_values.items()
        if key in last_values
    ]


def chart_series(this: Report, last: Report | None) -> list[tuple[str, int | None, int]]:
    """The six totals of the bar chart as (label, last year's, this year's): requests new,
    carried in, dealt with and carried over, reviews and suits.  Last year's is None without
    a report."""
    series = _totals(this)
    before = dict(_totals(last)) if last is not None else {}
    return [(label, before.get(label), value) for label, value in series]


def _totals(report: Report) -> list[tuple[str, int]]:
    fmt = report.format
    lines = _Lines(fmt, all_values(fmt, report.cells))
    requests = lines.requests
    totals = []
    for row_key in lines.balance:
        row = requests.row(row_key)
        label = plain_label(row.label)
        if row.groups:  # （七）总计 → 本年度办理结果总计
            label = plain_label(row.groups[0]) + label
        totals.append((label, lines.total(row_key)))
    table = lines.appeals_table
    for words, rows in table.tallies:
        totals.append((words, lines.total(*rows, table=table)))
    return totals
