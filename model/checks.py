"""The findings of a report: pure functions of the report (and last year's, when known).

Every rule of the format (``model.formats``) is checked by the function registered for its
type.  A finding names the cells and texts it concerns, so the window can jump there, and
reads as a sentence a clerk understands.  Recomputing everything is cheap enough to run on
every keystroke (see benchmarks/).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from model.calc import derived_values
from model.formats import ReportFormat, Severity, format_for_year
from model.formats.rules import (
    BalanceRule,
    CarryOverRule,
    DeclaredTotalRule,
    FormatYearRule,
    RepeatedTextRule,
    Rule,
    RunningCountRule,
    TextFigureRule,
    TextLengthRule,
    TextMentionRule,
    TownshipRule,
)
from model.numerals import parse_number
from model.report import Report
from model.values import CellValue


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    part: str  # the key of the part to show
    cells: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


@dataclass(frozen=True)
class _Context:
    report: Report
    fmt: ReportFormat
    derived: dict[str, CellValue]
    previous: Report | None

    def value(self, key: str) -> CellValue:
        if key in self.derived:
            return self.derived[key]
        return self.report.cells.get(key, 0)

    def total(self, keys: tuple[str, ...]) -> CellValue:
        return sum((self.value(k) for k in keys), 0)

    def part_name(self, table: str) -> str:
        return self.fmt.part_of_table(table).ordinal


_Check = Callable[[Any, _Context], Iterator[Finding]]
_CHECKS: dict[type[Rule], _Check] = {}


def _checks(rule_type: type[Rule]) -> Callable[[_Check], _Check]:
    def register(function: _Check) -> _Check:
        _CHECKS[rule_type] = function
        return function

    return register


def check(report: Report, previous: Report | None = None) -> list[Finding]:
    """All findings of ``report``, errors first, in the order of the report."""
    fmt = report.format
    context = _Context(report, fmt, derived_values(fmt, report.cells), previous)
    findings = [f for rule in fmt.rules for f in _CHECKS[type(rule)](rule, context)]
    findings.sort(key=lambda f: f.severity is not Severity.ERROR)
    return findings


def _finding(
    rule: Rule, at: str, cells: tuple[str, ...] = (), texts: tuple[str, ...] = (), **values: object
) -> Finding:
    """A finding of ``rule`` shown in part ``at``; ``values`` fill the rule's message."""
    return Finding(rule.id, rule.severity, rule.message.format(**values), at, cells, texts)


# ---------------------------------------------------------------------------- tables


@_checks(BalanceRule)
def _balance(rule: BalanceRule, ctx: _Context) -> Iterator[Finding]:
    table = ctx.fmt.table(rule.table)
    for column in table.columns:
        if column.derived:
            continue  # its balance follows from the other columns'
        keys = [f"{table.key}.{{}}.{column.key}".format(r) for r in rule.lhs + rule.rhs]
        lhs = ctx.total(tuple(keys[: len(rule.lhs)]))
        rhs = ctx.total(tuple(keys[len(rule.lhs) :]))
        if lhs != rhs:
            yield _finding(
                rule,
                table.part,
                tuple(keys),
                column=column.label,
                lhs=lhs,
                rhs=rhs,
                diff=abs(lhs - rhs),
            )


@_checks(DeclaredTotalRule)
def _declared(rule: DeclaredTotalRule, ctx: _Context) -> Iterator[Finding]:
    for key, declared in ctx.report.declared.items():
        cell = ctx.fmt.cells.get(key)
        if cell is None or not cell.derived:
            continue
        computed = ctx.derived[key]
        if declared != computed:
            yield _finding(
                rule,
                cell.table.part,
                (key,),
                part=ctx.part_name(cell.table.key),
                place=cell.place,
                declared=declared,
                computed=computed,
            )


@_checks(CarryOverRule)
def _carry_over(rule: CarryOverRule, ctx: _Context) -> Iterator[Finding]:
    previous = ctx.previous
    if previous is None:
        return
    table = ctx.fmt.table(rule.table)
    for column in table.columns:
        if column.derived:
            continue
        key = f"{table.key}.{rule.row}.{column.key}"
        prev = previous.cells.get(f"{table.key}.{rule.prev_row}.{column.key}", 0)
        if ctx.value(key) != prev:
            yield _finding(
                rule,
                table.part,
                (key,),
                column=column.label,
                value=ctx.value(key),
                prev=prev,
                prev_year=previous.year,
            )


@_checks(RunningCountRule)
def _running(rule: RunningCountRule, ctx: _Context) -> Iterator[Finding]:
    previous = ctx.previous
    if previous is None or previous.format_id != ctx.fmt.id:
        return
    source = previous.cells if rule.plus_from_prev else ctx.report.cells
    for row_key in rule.rows:
        key = f"{row_key}.{rule.column}"
        base = previous.cells.get(f"{row_key}.{rule.base}", 0)
        plus = source.get(f"{row_key}.{rule.plus}", 0) if rule.plus else 0
        minus = source.get(f"{row_key}.{rule.minus}", 0) if rule.minus else 0
        expected = base + plus - minus
        if ctx.value(key) != expected:
            cell = ctx.fmt.cells[key]
            yield _finding(
                rule,
                cell.table.part,
                (key,),
                caption=cell.table.caption,
                row=cell.row.label,
                value=ctx.value(key),
                prev_year=previous.year,
                base=base,
                plus=plus,
                minus=minus,
                expected=expected,
            )


@_checks(TownshipRule)
def _township(rule: TownshipRule, ctx: _Context) -> Iterator[Finding]:
    if not _compiled(rule.agency_pattern).search(ctx.report.agency.strip()):
        return
    table = ctx.fmt.table(rule.table)
    for column in table.columns:
        key = f"{table.key}.{rule.row}.{column.key}"
        if ctx.value(key):
            yield _finding(rule, table.part, (key,), column=column.label, value=ctx.value(key))


# ---------------------------------------------------------------------------- texts


@_checks(TextLengthRule)
def _length(rule: TextLengthRule, ctx: _Context) -> Iterator[Finding]:
    count = count_characters(ctx.report.text(rule.text))
    if count > rule.limit:
        yield _finding(
            rule, _text_part(ctx, rule.text), texts=(rule.text,), count=count, limit=rule.limit
        )


@_checks(RepeatedTextRule)
def _repeated(rule: RepeatedTextRule, ctx: _Context) -> Iterator[Finding]:
    previous = ctx.previous
    text = ctx.report.text(rule.text).strip()
    if previous is not None and text and text == previous.text(rule.text).strip():
        yield _finding(
            rule, _text_part(ctx, rule.text), texts=(rule.text,), prev_year=previous.year
        )


@_checks(TextMentionRule)
def _mention(rule: TextMentionRule, ctx: _Context) -> Iterator[Finding]:
    table = ctx.fmt.table(rule.table)
    keys = tuple(f"{table.key}.{rule.row}.{c.key}" for c in table.columns if not c.derived)
    count = ctx.total(keys)
    if count and rule.keyword not in ctx.report.text(rule.text):
        yield _finding(rule, table.part, keys, (rule.text,), count=count)


@_checks(FormatYearRule)
def _format_year(rule: FormatYearRule, ctx: _Context) -> Iterator[Finding]:
    if not ctx.fmt.fits_year(ctx.report.year):
        expected = format_for_year(ctx.report.year)
        yield _finding(
            rule, _first_part(ctx), year=ctx.report.year, expected=expected.id, actual=ctx.fmt.id
        )


@_checks(TextFigureRule)
def _text_figure(rule: TextFigureRule, ctx: _Context) -> Iterator[Finding]:
    if any(key not in ctx.fmt.cells for key in rule.cells):
        return
    accepted = [ctx.total(rule.cells), *(ctx.total(alt) for alt in rule.alternatives)]
    unit = ctx.report.unit(rule.cells[0])
    for text_key in rule.texts:
        for match in _compiled(rule.pattern).finditer(ctx.report.text(text_key)):
            stated = _stated(match)
            if stated is None:
                continue
            scale = _UNIT_FACTORS.get(unit or "", _ONE) / stated[1]
            if any(_agrees(stated[0], Decimal(value) * scale) for value in accepted):
                continue
            yield _finding(
                rule,
                _text_part(ctx, text_key),
                rule.cells,
                (text_key,),
                part=_text_name(ctx, text_key),
                quote=match.group(0),
                value=_with_unit(accepted[0], unit),
            )


def _stated(match: re.Match[str]) -> tuple[Decimal, Decimal] | None:
    """The figure a text states and the size of its unit in 元 (1 where it has none)."""
    raw = match.group("n")
    if "." in raw:
        number: Decimal | int | None = Decimal(raw.replace(",", ""))
    else:
        number = parse_number(raw)
    if number is None:
        return None
    return Decimal(number), _UNIT_FACTORS.get(match.groupdict().get("unit") or "", _ONE)


_ONE = Decimal(1)
_UNIT_FACTORS = {"万元": Decimal(10000), "万": Decimal(10000), "元": _ONE}


def _agrees(stated: Decimal, value: Decimal) -> bool:
    """A text may round what the table holds: 67.7万元 or 68万元 agree with 67.74 万元."""
    if stated == value:
        return True
    places = max(0, -int(stated.as_tuple().exponent))
    return stated == value.quantize(_ONE.scaleb(-places))


def _with_unit(value: CellValue, unit: str | None) -> str:
    return f"{value}{unit}" if isinstance(value, Decimal) and unit else str(value)


def _text_part(ctx: _Context, text_key: str) -> str:
    part = ctx.fmt.part_of_text(text_key)
    return part.key if part else _first_part(ctx)


def _first_part(ctx: _Context) -> str:
    """Where a finding on the report as a whole, or on a text outside the parts (前言), is
    shown: the first part (一、总体情况)."""
    return ctx.fmt.parts[0].key


def _text_name(ctx: _Context, text_key: str) -> str:
    part = ctx.fmt.part_of_text(text_key)
    return part.ordinal if part else ctx.fmt.text(text_key).label


def count_characters(text: str) -> int:
    """Characters as the template counts them: everything but white space."""
    return sum(1 for char in text if not char.isspace())


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
