"""The county's 汇总: its tables as the exact sums of its units' reports (no database).

What adds up is the format's word: every input cell is summed (a signed 本年增/减 too), the
derived cells are recomputed from the sums, money is converted to one unit exactly, and
reports in two formats are never mixed (../shared/research/FIELD-NEEDS.md §2.1).  Each
aggregate figure keeps the units' own figures (:class:`Contribution`), so a window can show
who made it up and the aggregate's own findings can name the units that break them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from model.calc import all_values, derived_values
from model.checks import Finding, check
from model.drafts import plain_label
from model.errors import UserError
from model.formats import CellKind, Column, ReportFormat, Table, format_for_year, get_format
from model.formats.rules import BalanceRule, CarryOverRule
from model.names import lookup
from model.report import Report
from model.restated import ONE, UNIT_SIZES
from model.values import CellValue

#: Joins unit names in messages and the appendix.
_LIST = "、"


@dataclass(frozen=True)
class Contribution:
    """One unit's own figure of an aggregate cell, as its report printed it (0 for a blank;
    ``unit`` is the money unit it printed, None for counts).  ``filled`` tells a 0 the unit
    wrote from a cell it left blank (a total: any of its terms filled in), which the county
    asks about differently."""

    agency: str
    value: CellValue
    unit: str | None
    filled: bool = True


class MixedFormatsError(UserError):
    """Reports of one year in different formats: nothing is summed.  ``format_id`` is the
    year's format, ``others`` every other format with the agencies reporting in it."""

    def __init__(self, format_id: str, others: Mapping[str, tuple[str, ...]]) -> None:
        self.format_id = format_id
        self.others = dict(others)
        super().__init__(
            "；".join(
                f"以下单位使用{other}年版格式，不能与{format_id}年版格式的报告汇总："
                + _LIST.join(agencies)
                for other, agencies in self.others.items()
            )
        )


@dataclass(frozen=True)
class Sums:
    """The summed tables of ``agencies``' reports of ``year`` in format ``format_id``."""

    format_id: str
    year: int
    agencies: tuple[str, ...]
    #: Input cells: exact sums; a key blank in every report stays blank (absent).
    cells: dict[str, CellValue]
    #: The unit of a money cell the report chooses the unit of: the units' common unit, or
    #: the smallest (元) when they differ.
    units: dict[str, str]
    #: Every input and derived key → one entry per agency, in the order of ``agencies``.
    contributions: Mapping[str, tuple[Contribution, ...]] = field(repr=False)

    @property
    def format(self) -> ReportFormat:
        return get_format(self.format_id)

    def values(self) -> dict[str, CellValue]:
        """Every cell as the aggregate prints it (inputs and derived, blanks as 0)."""
        return all_values(self.format, self.cells)

    def report(
        self,
        name: str,
        *,
        title: str | None = None,
        texts: Mapping[str, str] | None = None,
        signature_agency: str | None = None,
        signature_date: dt.date | None = None,
    ) -> Report:
        """The aggregate as a report of ``name`` (the county or region), with its own texts."""
        return Report(
            format_id=self.format_id,
            agency=name,
            year=self.year,
            title=title,
            cells=dict(self.cells),
            units=dict(self.units),
            texts={key: text for key, text in (texts or {}).items() if text},
            signature_agency=signature_agency,
            signature_date=signature_date,
        )


def sum_reports(reports: Sequence[Report], year: int) -> Sums:
    """The exact sums of ``reports`` (all of ``year``, one per agency, in one format).

    The format is the reports' common format, or the year's when there are none; reports in
    more than one format raise :class:`MixedFormatsError` naming those not in the year's.
    A report of another year or a second report of an agency is a caller's mistake
    (``ValueError``): the desk only ever sums one report per unit and year.
    """
    seen: set[str] = set()
    for report in reports:
        if report.year != year:
            raise ValueError(f"{report.agency}的报告是{report.year}年度的，不能汇入{year}年度")
        if lookup(report.agency) in seen:
            raise ValueError(f"{report.agency}有两份{year}年度的报告")
        seen.add(lookup(report.agency))
    fmt = common_format(reports, year)
    units: dict[str, str] = {}
    for key in _unit_choice_keys(fmt):
        unit = _common_unit(fmt, key, reports)
        if unit is not None:
            units[key] = unit
    cells: dict[str, CellValue] = {}
    for key in fmt.input_keys:
        filled = [r for r in reports if r.cells.get(key) is not None]
        if not filled:
            continue
        if fmt.cells[key].kind is CellKind.MONEY:
            target = units.get(key) or _fixed_unit(fmt, key)
            cells[key] = sum(
                (_convert(Decimal(r.cells[key]), r.unit(key), target) for r in filled),
                Decimal(0),
            )
        else:
            cells[key] = sum(int(r.cells[key]) for r in filled)
    return Sums(
        format_id=fmt.id,
        year=year,
        agencies=tuple(r.agency for r in reports),
        cells=cells,
        units=units,
        contributions=_Contributions(fmt, reports),
    )


def common_format(reports: Sequence[Report], year: int) -> ReportFormat:
    """The one format of ``reports`` (the year's when there are none); reports in more than
    one raise :class:`MixedFormatsError`, naming those not in the year's format."""
    by_format: dict[str, list[str]] = {}
    for report in reports:
        by_format.setdefault(report.format_id, []).append(report.agency)
    if not by_format:
        return format_for_year(year)
    if len(by_format) == 1:
        return get_format(next(iter(by_format)))
    own = format_for_year(year).id
    raise MixedFormatsError(
        own, {fid: tuple(agencies) for fid, agencies in by_format.items() if fid != own}
    )


def _unit_choice_keys(fmt: ReportFormat) -> tuple[str, ...]:
    return tuple(k for k in fmt.input_keys if fmt.cells[k].column.unit_choices)


def _fixed_unit(fmt: ReportFormat, key: str) -> str | None:
    return fmt.cells[key].column.unit


def _common_unit(fmt: ReportFormat, key: str, reports: Sequence[Report]) -> str | None:
    """The unit the reports filling ``key`` share, else the smallest of theirs (元)."""
    used = {r.unit(key) for r in reports if r.cells.get(key) is not None}
    used.discard(None)
    if not used:
        return None
    if len(used) == 1:
        return used.pop()
    choices = fmt.cells[key].column.unit_choices
    return min(
        (u for u in used if u is not None),
        key=lambda u: (_size(u), choices.index(u) if u in choices else len(choices)),
    )


def _size(unit: str | None) -> Decimal:
    return UNIT_SIZES.get(unit, ONE) if unit else ONE


def _convert(value: Decimal, unit: str | None, target: str | None) -> Decimal:
    """``value`` in ``unit`` as an amount in ``target``, exactly (万元 → 元 × 10000)."""
    if unit == target:
        return value
    converted = value * _size(unit) / _size(target)
    return _plain(converted)


def _plain(value: Decimal) -> Decimal:
    """Without the trailing zeros a conversion leaves (1904573.790000 → 1904573.79), never
    in exponent form (1.2E+5 → 120000)."""
    tidy = value.normalize()
    exponent = tidy.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        tidy = tidy.quantize(ONE)
    return tidy


class _Contributions(Mapping[str, tuple[Contribution, ...]]):
    """Each unit's figure of every cell, worked out for a cell when it is first asked for.

    A window asks for the few cells the clerk selects; building all of them (every cell of
    every report, and every report's totals) took most of a re-sum of 150 units."""

    def __init__(self, fmt: ReportFormat, reports: Sequence[Report]) -> None:
        self._fmt = fmt
        self._reports = tuple(reports)
        self._derived: list[dict[str, CellValue]] | None = None
        self._found: dict[str, tuple[Contribution, ...]] = {}

    def __getitem__(self, key: str) -> tuple[Contribution, ...]:
        found = self._found.get(key)
        if found is None:
            cell = self._fmt.cells[key]  # KeyError for a key the format does not have
            if cell.derived:
                if self._derived is None:
                    self._derived = [derived_values(self._fmt, r.cells) for r in self._reports]
                values = [own[key] for own in self._derived]
                filled = [any(t in r.cells for t in cell.terms) for r in self._reports]
            else:
                values = [r.cells.get(key, 0) for r in self._reports]
                filled = [key in r.cells for r in self._reports]
            money = cell.kind is CellKind.MONEY
            found = self._found[key] = tuple(
                Contribution(r.agency, value, r.unit(key) if money else None, was_filled)
                for r, value, was_filled in zip(self._reports, values, filled, strict=True)
            )
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._fmt.cells)

    def __len__(self) -> int:
        return len(self._fmt.cells)


# ---------------------------------------------------------------------------- who breaks it


def breakers(
    finding: Finding,
    reports: Sequence[Report],
    findings: Mapping[str, Sequence[Finding]] | None = None,
) -> tuple[str, ...]:
    """The agencies whose own report has a finding of ``finding``'s rule on one of its cells.

    Only a finding about the tables can be broken by a unit: one about the aggregate's texts,
    title or signature (the county's own) names nobody.  ``findings`` (by agency) are the
    units' findings when the caller has them already (the desk does): checking 150 reports
    again for every finding of the aggregate would take seconds.
    """
    if not finding.cells or finding.texts:
        return ()
    wanted = set(finding.cells)

    def own(report: Report) -> Sequence[Finding]:
        if findings is not None and report.agency in findings:
            return findings[report.agency]
        return check(report)

    return tuple(
        report.agency
        for report in reports
        if any(f.rule == finding.rule and wanted.intersection(f.cells) for f in own(report))
    )


# ---------------------------------------------------------------------------- carry-over


@dataclass(frozen=True)
class CarryOver:
    """This year's aggregate 上年结转 against last year's aggregate 结转下年度继续办理."""

    #: (column key, this year's carried-in, last year's carried-out) per column, total last.
    columns: tuple[tuple[str, CellValue, CellValue], ...]
    agrees: bool
    added: tuple[str, ...]  # summed this year, not last
    gone: tuple[str, ...]  # summed last year, not this
    mismatched: tuple[str, ...]  # in both; their own carried-in != their last carried-out
    format_id: str = ""
    year: int = 0
    #: What last year's figures are: its stored 汇总 (the default) or, without one, every
    #: report of last year added up — the message must not name a 汇总 nobody made.
    last_is_stored: bool = True

    @property
    def gone_label(self) -> str:
        """How the units in last year's figures and not this year's are introduced."""
        last = "上年汇总" if self.last_is_stored else "上年有报告"
        return f"{last}、本年未汇总的单位"

    def message(self) -> str:
        """What disagrees and which units explain it, in Chinese.

        "" when the totals agree and no unit is to be named; totals that agree while units
        were added or gone, or while units' own figures disagree (offsetting each other),
        still name them: the agreement may be a coincidence.
        """
        if self.agrees and not (self.added or self.gone or self.mismatched):
            return ""
        fmt = get_format(self.format_id)
        rule = _carry_rule(fmt)
        table = fmt.table(rule.table)
        carried_in = plain_label(table.row(rule.row).label)
        carried_out = plain_label(table.row(rule.prev_row).label)
        last = f"{self.year - 1}年汇总" if self.last_is_stored else f"{self.year - 1}年全部报告合计"
        compared = f"汇总的“{carried_in}”与{last}的“{carried_out}”"
        if self.agrees:
            parts = [f"{compared}一致，但汇总的单位或其数字有变化。"]
        else:
            differing = "；".join(
                f"“{table.column(key).label}”列本年为{this}、上年为{last}"
                for key, this, last in self.columns
                if this != last
            )
            parts = [f"{compared}不一致：{differing}。"]
        if self.added:
            parts.append(f"本年新增汇总的单位：{_LIST.join(self.added)}。")
        if self.gone:
            parts.append(f"{self.gone_label}：{_LIST.join(self.gone)}。")
        if self.mismatched:
            parts.append(
                f"本年“{carried_in}”与本单位{self.year - 1}年报告的“{carried_out}”不一致的单位："
                + _LIST.join(self.mismatched)
                + "。"
            )
        return "".join(parts)


def carry_over(
    this: Sums,
    last: Sums | None,
    this_reports: Sequence[Report],
    last_reports: Sequence[Report],
    last_is_stored: bool = True,
) -> CarryOver:
    """Compare the carry-over of two years' aggregates, naming the units that explain a gap.

    Without last year's aggregate there is nothing to compare (it agrees).  Reports not in
    the respective sums are ignored; units are matched by name.
    """
    if last is None:
        return CarryOver((), True, (), (), (), this.format_id, this.year)
    fmt = this.format
    rule = _carry_rule(fmt)
    table = fmt.table(rule.table)
    this_values, last_values = this.values(), last.values()
    columns = tuple(
        (
            column.key,
            this_values[f"{table.key}.{rule.row}.{column.key}"],
            last_values.get(f"{table.key}.{rule.prev_row}.{column.key}", 0),
        )
        for column in _total_last(table)
    )
    this_names = {lookup(a): a for a in this.agencies}
    last_names = {lookup(a): a for a in last.agencies}
    added = tuple(a for k, a in this_names.items() if k not in last_names)
    gone = tuple(a for k, a in last_names.items() if k not in this_names)
    last_by_name = {lookup(r.agency): r for r in last_reports if lookup(r.agency) in last_names}
    mismatched = tuple(
        report.agency
        for report in this_reports
        if lookup(report.agency) in this_names
        and lookup(report.agency) in last_by_name
        and _own_gap(fmt, rule, report, last_by_name[lookup(report.agency)])
    )
    return CarryOver(
        columns=columns,
        agrees=all(this_value == last_value for _, this_value, last_value in columns),
        added=added,
        gone=gone,
        mismatched=mismatched,
        format_id=this.format_id,
        year=this.year,
        last_is_stored=last_is_stored,
    )


def _carry_rule(fmt: ReportFormat) -> CarryOverRule:
    return next(rule for rule in fmt.rules if isinstance(rule, CarryOverRule))


def _total_last(table: Table) -> list[Column]:
    return sorted(table.columns, key=lambda c: c.derived)


def _own_gap(fmt: ReportFormat, rule: CarryOverRule, this: Report, last: Report) -> bool:
    table = fmt.table(rule.table)
    return any(
        this.cells.get(f"{table.key}.{rule.row}.{c.key}", 0)
        != last.cells.get(f"{table.key}.{rule.prev_row}.{c.key}", 0)
        for c in table.columns
        if not c.derived
    )


# ---------------------------------------------------------------------------- coverage


@dataclass(frozen=True)
class Coverage:
    """Which units the aggregate covers, and which it does not and why."""

    covered: tuple[str, ...]
    missing: tuple[str, ...]  # must report, no report of the year
    other_format: tuple[str, ...]  # reported in a format other than the aggregate's
    left_out: tuple[str, ...]  # left out of the aggregate on purpose

    def lines(self) -> tuple[tuple[str, str], ...]:
        """(heading, names) for the appendix; the covered units always, the others when any."""
        groups = (
            ("汇总的单位", self.covered, True),
            ("未报送报告的单位", self.missing, False),
            ("使用其他格式、未汇总的单位", self.other_format, False),
            ("未纳入汇总的单位", self.left_out, False),
        )
        return tuple(
            (f"{heading}（{len(names)}个）", _LIST.join(names) or "无")
            for heading, names, always in groups
            if names or always
        )


# ---------------------------------------------------------------------------- the paragraph

_NOUN_END = re.compile(r"(?:数量|件数)$")
_UNIT_NOTE = re.compile(r"（[^）]*）$")


#: The level of a government by the last place word of its name: 某某县人民政府 → 全县.
_LEVELS = ("县", "区", "市", "旗", "州", "盟", "省", "乡", "镇")


def region_of(name: str) -> str:
    """How the county's own text names the whole area a 汇总 covers: “全县” for
    某某县人民政府, “全区” for 某某区人民政府办公室; the name itself when no level is found."""
    core = re.sub(r"(人民政府|政府|管理委员会|管委会)?(办公室|办公厅)?$", "", "".join(name.split()))
    for level in _LEVELS:
        if core.endswith(level):
            return "全" + level
    return core or name


def draft_paragraph(sums: Sums, region: str) -> str:
    """The summed figures of parts 二–四 as sentences for part 一, in the format's words.

    Part 二 states every row with a figure other than 0; part 三 the requests received, their
    results and those carried over (the rows of the format's balance rule); part 四 the
    tallies the table declares, each with its outcomes.
    """
    fmt = sums.format
    values = sums.values()
    sentences = [
        s
        for s in (
            _active_sentence(fmt, sums, values, region),
            _requests_sentence(fmt, values, region),
            _appeals_sentence(fmt, values, region),
        )
        if s
    ]
    return "".join(sentences)


def _number(value: CellValue) -> str:
    return str(value)


def _active_sentence(
    fmt: ReportFormat, sums: Sums, values: Mapping[str, CellValue], region: str
) -> str:
    part = next(p for p in fmt.parts if p.key == "active")
    clauses = []
    for table in (fmt.table(key) for key in part.tables):
        for row in table.rows:
            keys = [(c, f"{table.key}.{row.key}.{c.key}") for c in table.columns if not c.derived]
            if not any(values[key] for _, key in keys):
                continue
            figures = _LIST.join(
                f"{_UNIT_NOTE.sub('', c.label)}为{_number(values[key])}{_money_unit(sums, key)}"
                for c, key in keys
            )
            clauses.append(_joined(row.label, figures))
    if not clauses:
        return ""
    return f"{region}{plain_label(part.heading)}：{'；'.join(clauses)}。"


def _joined(label: str, rest: str) -> str:
    """``label`` followed by ``rest`` without saying twice the words where they meet:
    政府集中采购 + 采购项目数量为18 → 政府集中采购项目数量为18."""
    for size in range(min(len(label), len(rest)) - 1, 1, -1):
        if label.endswith(rest[:size]):
            return label[:-size] + rest
    return label + rest


def _money_unit(sums: Sums, key: str) -> str:
    cell = sums.format.cells[key]
    if cell.kind is not CellKind.MONEY:
        return ""
    return sums.units.get(key) or cell.column.unit or (cell.column.unit_choices or ("",))[0]


def _requests_sentence(fmt: ReportFormat, values: Mapping[str, CellValue], region: str) -> str:
    rule = next(r for r in fmt.rules if isinstance(r, BalanceRule))
    table = fmt.table(rule.table)
    total = next(c.key for c in table.columns if c.derived)

    def figure(row: str) -> str:
        label = _NOUN_END.sub("", plain_label(table.row(row).label))
        return f"{label}{values[f'{table.key}.{row}.{total}']}件"

    outcomes: dict[str, CellValue] = {}
    for row in table.rows:
        if row.groups and not row.derived:
            outcome = plain_label(row.groups[1] if len(row.groups) > 1 else row.label)
            outcomes[outcome] = outcomes.get(outcome, 0) + values[f"{table.key}.{row.key}.{total}"]
    new, carried_in = rule.lhs
    handled, carried_out = rule.rhs
    handled_row = table.row(handled)
    results = plain_label(handled_row.groups[0]) if handled_row.groups else ""
    listed = "，".join(f"{label}{count}件" for label, count in outcomes.items())
    return (
        f"{region}{figure(new)}，{figure(carried_in)}；"
        f"{results}{figure(handled)}，其中{listed}；{figure(carried_out)}。"
    )


def _appeals_sentence(fmt: ReportFormat, values: Mapping[str, CellValue], region: str) -> str:
    stated = []
    for table in fmt.tables:
        total = next((c.key for c in table.columns if c.derived), None)
        if total is None:
            continue
        for words, rows in table.tallies:
            count = sum(values[f"{table.key}.{row}.{total}"] for row in rows)
            outcomes = "，".join(
                f"{c.label}{sum(values[f'{table.key}.{row}.{c.key}'] for row in rows)}件"
                for c in table.columns
                if not c.derived
            )
            stated.append(f"{words}{count}件（{outcomes}）")
    if not stated:
        return ""
    return f"{region}{'，'.join(stated)}。"
