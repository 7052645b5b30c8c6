"""The findings of a report: pure functions of the report (and last year's, when known).

Every rule of the format (``model.formats``) is checked by the function registered for its
type.  A finding names the cells and texts it concerns, so the window can jump there, and
reads as a sentence a clerk understands.  Recomputing everything is cheap enough to run on
every keystroke (see benchmarks/).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Callable, Iterator, Sequence
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
    OtherNoticeRule,
    RepeatedTextRule,
    RequiredTextRule,
    Rule,
    RunningCountRule,
    SignatureAgencyRule,
    SignatureDateRule,
    SimilarTextRule,
    TextClaimRule,
    TextFigureRule,
    TextLengthRule,
    TextMentionRule,
    TextTopicsRule,
    TextYearRule,
    TitleRule,
    TownshipRule,
)
from model.report import Report
from model.restated import ONE, UNIT_SIZES, Figure, find_all, find_figures, find_phrases
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


def finding_dict(f: Finding) -> dict[str, Any]:
    """A finding as scripts read it (``nianbao check --json``, the county desk's review file);
    the keys are docs/FORMATS.md's."""
    return {
        "rule": f.rule,
        "severity": "error" if f.severity is Severity.ERROR else "warning",
        "part": f.part,
        "message": f.message,
        "cells": list(f.cells),
        "texts": list(f.texts),
    }


@dataclass(frozen=True)
class _Context:
    report: Report
    fmt: ReportFormat
    derived: dict[str, CellValue]
    previous: Report | None
    others: tuple[Report, ...] = ()  # other units' reports (of the same year)

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


def check(
    report: Report, previous: Report | None = None, others: Sequence[Report] = ()
) -> list[Finding]:
    """All findings of ``report``, errors first, in the order of the report.

    ``previous`` is the same unit's report for the year before; ``others`` are other units'
    reports (those of another year or of the same unit are ignored), compared for copies.
    """
    fmt = report.format
    derived = derived_values(fmt, report.cells)
    context = _Context(report, fmt, derived, previous, tuple(others))
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
    if not find_all(ctx.report.agency.strip(), rule.agency_pattern):
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
    table_unit = UNIT_SIZES.get(unit or "", ONE)
    for text_key in rule.texts:
        figures = find_figures(ctx.report.text(text_key), rule.pattern, rule.context, rule.unless)
        for figure in figures:
            if not _of_the_year(rule, figure, ctx.report.year):
                continue
            scale = table_unit / figure.unit_size
            if any(_agrees(figure.value, Decimal(value) * scale) for value in accepted):
                continue
            yield _restated(rule, ctx, text_key, figure.quote, _with_unit(accepted[0], unit))


@_checks(TextClaimRule)
def _text_claim(rule: TextClaimRule, ctx: _Context) -> Iterator[Finding]:
    count = ctx.total(rule.cells)
    if not count:
        return
    for text_key in rule.texts:
        for quote in find_phrases(
            ctx.report.text(text_key), rule.pattern, rule.context, rule.unless
        ):
            yield _restated(rule, ctx, text_key, quote, count)


def _restated(
    rule: TextFigureRule | TextClaimRule, ctx: _Context, text_key: str, quote: str, value: object
) -> Finding:
    """A text that says otherwise than its tables: it names the sentence and the cells."""
    return _finding(
        rule,
        _text_part(ctx, text_key),
        rule.cells,
        (text_key,),
        part=_text_name(ctx, text_key),
        quote=quote,
        value=value,
    )


def _of_the_year(rule: TextFigureRule, figure: Figure, year: int) -> bool:
    """Whether ``figure`` may be about the report's year (see ``TextFigureRule.years``)."""
    if rule.years == "any":
        return True
    if rule.years == "next":
        return _years_in(figure.words) <= {year + 1}
    return _years_in(figure.clause) <= {year}


def _years_in(text: str) -> set[int]:
    if "年" not in text:
        return set()
    return {int(y) for y in _YEAR.findall(_plain_years(text))}


def _agrees(stated: Decimal, value: Decimal) -> bool:
    """A text may round what the table holds: 67.7万元 or 68万元 agree with 67.74 万元."""
    if stated == value:
        return True
    places = max(0, -int(stated.as_tuple().exponent))
    return stated == value.quantize(ONE.scaleb(-places))


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


# ---------------------------------------------------------------------------- review items


@_checks(TitleRule)
def _title(rule: TitleRule, ctx: _Context) -> Iterator[Finding]:
    title = ctx.report.display_title
    plain = "".join(_plain_years(title).split())
    missing = []
    if str(ctx.report.year) not in plain:
        missing.append(f"年度“{ctx.report.year}年”")
    if rule.words not in plain:
        missing.append(f"“{rule.words}”")
    if missing:
        shown = " ".join(title.split())
        yield _finding(rule, _first_part(ctx), title=shown, missing="和".join(missing))


@_checks(RequiredTextRule)
def _required(rule: RequiredTextRule, ctx: _Context) -> Iterator[Finding]:
    if not ctx.report.text(rule.text).strip():
        yield _finding(rule, _text_part(ctx, rule.text), texts=(rule.text,))


@_checks(TextTopicsRule)
def _topics(rule: TextTopicsRule, ctx: _Context) -> Iterator[Finding]:
    text = ctx.report.text(rule.text)
    if text.strip() and not any(word in text for word in rule.keywords):
        yield _finding(rule, _text_part(ctx, rule.text), texts=(rule.text,))


@_checks(TextYearRule)
def _text_year(rule: TextYearRule, ctx: _Context) -> Iterator[Finding]:
    for text_key in (t.key for t in ctx.fmt.texts):
        for words in find_all(ctx.report.text(text_key), rule.pattern):
            years = {int(y) for y in _YEAR.findall(_plain_years(words))}
            if years - {ctx.report.year}:
                yield _finding(
                    rule,
                    _text_part(ctx, text_key),
                    texts=(text_key,),
                    part=_text_name(ctx, text_key),
                    quote=words.strip(),
                    year=ctx.report.year,
                )


#: A year as a text writes it, after :func:`_plain_years`: four digits and 年.
_YEAR = re.compile(r"(?<![0-9])([12][0-9]{3})\s*年")
_YEAR_DIGITS = str.maketrans(
    "０１２３４５６７８９〇○零一二三四五六七八九", "0123456789000123456789"
)


def _plain_years(text: str) -> str:
    """``text`` with years in full-width or Chinese digits (二〇二一年) written in ASCII."""
    return re.sub(
        r"[0-9０-９〇○零一二三四五六七八九]{4}(?=\s*年)",
        lambda m: m.group(0).translate(_YEAR_DIGITS),
        text,
    )


@_checks(OtherNoticeRule)
def _other_notice(rule: OtherNoticeRule, ctx: _Context) -> Iterator[Finding]:
    from model.formats import FORMATS  # the package imports this module's rules' formats

    for other in (f for f in FORMATS.values() if f.document != ctx.fmt.document):
        cited = _document_pattern(other.document)
        for text_key in (t.key for t in ctx.fmt.texts):
            if find_all(ctx.report.text(text_key), cited):
                years = (
                    f"{other.first_year}年度起"
                    if other.last_year is None
                    else f"{other.first_year}至{other.last_year}年度"
                )
                yield _finding(
                    rule,
                    _text_part(ctx, text_key),
                    texts=(text_key,),
                    part=_text_name(ctx, text_key),
                    cited=other.document,
                    cited_years=years,
                    own=ctx.fmt.document,
                )


def _document_pattern(document: str) -> str:
    """A document number as texts write it: any of the brackets 〔〕[]【】()（）, spaces between."""
    pieces = re.split(r"[〔〕]", document)
    opening, closing = r"\s*[〔［\[【(（]\s*", r"\s*[〕］\]】)）]\s*"
    if len(pieces) != 3:
        return re.escape(document)
    head, year, number = (re.escape(p) for p in pieces)
    return head + opening + year + closing + number


@_checks(SimilarTextRule)
def _similar(rule: SimilarTextRule, ctx: _Context) -> Iterator[Finding]:
    own = _comparable(ctx.report.text(rule.text), ctx.report)
    if len(own) < rule.min_length:
        return
    alike: list[tuple[float, str]] = []
    for other in ctx.others:
        if other.agency == ctx.report.agency or other.year != ctx.report.year:
            continue
        theirs = _comparable(other.text(rule.text), other)
        if len(theirs) < rule.min_length:
            continue
        ratio = _similarity(own, theirs)
        if ratio >= rule.ratio:
            alike.append((ratio, other.agency))
    if alike:  # one finding, naming the closest unit (boilerplate may match dozens)
        ratio, closest = max(alike, key=lambda pair: (pair[0], pair[1]))
        who = closest if len(alike) == 1 else f"{closest}等{len(alike)}个单位"
        yield _finding(
            rule,
            _text_part(ctx, rule.text),
            texts=(rule.text,),
            other=who,
            year=ctx.report.year,
            percent=int(ratio * 100),
        )


def _comparable(text: str, report: Report) -> str:
    """``text`` without white space and without its own unit's names (我局 and the agency)."""
    plain = "".join(text.split())
    for name in (report.agency, report.signature_agency or ""):
        name = "".join(name.split())
        if name:
            plain = plain.replace(name, "")
    return plain


@functools.lru_cache(maxsize=4096)
def _similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
        return 0.0
    return matcher.ratio()


@_checks(SignatureDateRule)
def _signature_date(rule: SignatureDateRule, ctx: _Context) -> Iterator[Finding]:
    year = ctx.report.year
    agency = "".join(ctx.report.agency.split())
    government = bool(rule.government) and bool(find_all(agency, rule.government))
    month, day = rule.government_deadline if government else rule.deadline
    basis = rule.government_basis if government else rule.basis
    deadline = dt.date(year + 1, month, day)
    deadline_text = f"{deadline.year}年{deadline.month}月{deadline.day}日"
    date = ctx.report.signature_date
    if date is None:
        message = rule.missing.format(year=year, deadline=deadline_text)
    elif date > deadline:
        message = rule.message.format(date=_date_text(date), deadline=deadline_text, basis=basis)
    elif date.year <= year:
        message = rule.early.format(date=_date_text(date), year=year)
    else:
        return
    yield Finding(rule.id, rule.severity, message, _first_part(ctx))


def _date_text(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


@_checks(SignatureAgencyRule)
def _signature_agency(rule: SignatureAgencyRule, ctx: _Context) -> Iterator[Finding]:
    signature = " ".join((ctx.report.signature_agency or "").split())
    agency = " ".join(ctx.report.agency.split())
    if not signature or _same_unit(signature, agency, rule):
        return
    yield _finding(rule, _first_part(ctx), signature=signature, agency=agency)


def _same_unit(signature: str, agency: str, rule: SignatureAgencyRule) -> bool:
    """Whether the 落款 ``signature`` names the unit ``agency`` (see ``SignatureAgencyRule``)."""
    signed, unit = _short_name(signature, rule), _short_name(agency, rule)
    if signed == unit or _unit_name(signed, rule.suffixes) == _unit_name(unit, rule.suffixes):
        return True
    if any(signed == unit + office for office in rule.offices):
        return True
    # the unit's name without the place it lies in (淮安市洪泽区人民政府 → 洪泽区人民政府)
    stripped = (_unit_name(signed, rule.suffixes), _unit_name(unit, rule.suffixes))
    for own, name in ((signed, unit), stripped):
        place = name[: len(name) - len(own)]
        shortened = len(own) >= rule.min_length and name.endswith(own)
        if shortened and place and place[-1] in rule.places:
            return True
    return False


def _short_name(name: str, rule: SignatureAgencyRule) -> str:
    """``name`` without spaces, its long forms written short (人民政府 → 政府)."""
    plain = "".join(name.split())
    for long, short in rule.short:
        plain = plain.replace(long, short)
    return plain


def _unit_name(name: str, suffixes: tuple[str, ...]) -> str:
    """``name`` without spaces and without one of ``suffixes`` at its end (…乡人民政府 = …乡)."""
    plain = "".join(name.split())
    for suffix in sorted(suffixes, key=len, reverse=True):
        if plain.endswith(suffix) and len(plain) > len(suffix):
            return plain[: -len(suffix)]
    return plain
