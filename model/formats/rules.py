"""The rules a report is checked against, as data.

Each rule names the cells or texts it reads, its severity and the sentence a clerk reads
when it fails (a ``str.format`` template; the placeholders are filled by ``model.checks``).
A format lists the rules that apply to it.

A rule exists once, in its format's definition, and is compared and hashed as itself
(``eq=False``: identity, as ``object`` does): nothing compares two rules field by field, and
leaving out the generated ``__eq__`` and ``__hash__`` makes this module load about a quarter
faster (20 classes, on the way to the first report at start-up).  Frozen as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from model.formats.types import Severity


@dataclass(frozen=True, eq=False)
class Rule:
    id: str
    severity: Severity
    message: str
    summary: str


@dataclass(frozen=True, eq=False)
class BalanceRule(Rule):
    """Per column of ``table``: the sum of ``lhs`` rows equals the sum of ``rhs`` rows."""

    table: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class DeclaredTotalRule(Rule):
    """A derived cell written in an imported report must equal the computed one."""


@dataclass(frozen=True, eq=False)
class CarryOverRule(Rule):
    """Per column: this year's ``row`` equals last year's ``prev_row`` (same table)."""

    table: str
    row: str
    prev_row: str


@dataclass(frozen=True, eq=False)
class RunningCountRule(Rule):
    """Per row: ``column`` equals last year's ``base`` plus this year's ``plus`` minus ``minus``.

    2019: 上一年项目数量 = last year's 上一年项目数量 + 本年增/减 (both from last year's report).
    2021: 现行有效件数 ≈ last year's 现行有效件数 + 本年制发 − 本年废止.
    ``plus_from_prev`` says whether ``plus``/``minus`` are read from last year's report.
    """

    rows: tuple[str, ...]  # "table.row"
    column: str
    base: str
    plus: str | None
    minus: str | None
    plus_from_prev: bool


@dataclass(frozen=True, eq=False)
class TownshipRule(Rule):
    """An agency whose name matches ``agency_pattern`` should leave ``table.row`` at zero."""

    agency_pattern: str
    table: str
    row: str


@dataclass(frozen=True, eq=False)
class TextLengthRule(Rule):
    text: str
    limit: int


@dataclass(frozen=True, eq=False)
class RepeatedTextRule(Rule):
    """``text`` should not be word for word last year's."""

    text: str


@dataclass(frozen=True, eq=False)
class TextMentionRule(Rule):
    """When the cells of ``table.row`` add up to more than zero, ``text`` should mention
    ``keyword`` (2021: requests dropped for unpaid fees → say something of 信息处理费)."""

    table: str
    row: str
    text: str
    keyword: str


@dataclass(frozen=True, eq=False)
class FormatYearRule(Rule):
    """The format should be the one in force for the report's year."""


@dataclass(frozen=True, eq=False)
class TextFigureRule(Rule):
    """A figure restated in the texts must agree with the tables.

    ``pattern`` is a regular expression with a named group ``n`` (the number, Arabic or
    Chinese numerals) and optionally ``unit``; the figure is compared with the sum of
    ``cells``.  Any of ``alternatives`` (other sums of cells) is accepted as well, for
    phrasings that may count differently (收到申请 with or without 上年结转).

    The figure is compared only in a sentence that mentions ``context`` (a regular
    expression; empty: any sentence) and only when its clause does not mention ``unless``
    (what would make it ambiguous or about something else).  See ``model.restated``.

    ``years`` says which years may be written by the figure: ``"report"``, a clause naming
    another year than the report's is about that year (2023年收到申请8件 in a 2024 report)
    and is not compared; ``"next"``, a year written in the matched words must be the year
    after the report's (结转至2025年); ``"any"``, years are not looked at.
    """

    texts: tuple[str, ...]
    pattern: str
    cells: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...] = ()
    context: str = ""
    unless: str = ""
    years: Literal["report", "next", "any"] = "report"


@dataclass(frozen=True, eq=False)
class TextClaimRule(Rule):
    """A claim without a number (“均获维持”) that holds only while ``cells`` add up to zero.

    ``pattern``, ``context`` and ``unless`` as for ``TextFigureRule``.
    """

    texts: tuple[str, ...]
    pattern: str
    cells: tuple[str, ...]
    context: str = ""
    unless: str = ""


# ---------------------------------------------------------------------------- review items
# What the county office checks before a report is published (docs/FORMATS.md, “Checks”).


@dataclass(frozen=True, eq=False)
class TextYearRule(Rule):
    """A statistics period (or the year of the report) named in any text is the report's year.

    ``pattern`` is a regular expression for the phrasing (统计期限自2021年1月1日起至…); every
    year written inside a match (2021年, ２０２１年, 二〇二一年) must be the report's.
    """

    pattern: str


@dataclass(frozen=True, eq=False)
class OtherNoticeRule(Rule):
    """No text cites the notice (``document``) of another format than the report's own."""


@dataclass(frozen=True, eq=False)
class RequiredTextRule(Rule):
    """``text`` is not left empty."""

    text: str


@dataclass(frozen=True, eq=False)
class TextTopicsRule(Rule):
    """A filled-in ``text`` mentions at least one of ``keywords``."""

    text: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class SimilarTextRule(Rule):
    """``text`` is not nearly the same as another unit's of the same year (when the caller
    passes the other units' reports): a similarity ratio of at least ``ratio`` after white
    space and the units' own names are left out, for texts of at least ``min_length``
    characters."""

    text: str
    ratio: float
    min_length: int


@dataclass(frozen=True, eq=False)
class SignatureDateRule(Rule):
    """The 成文日期 is given and falls in the year after the report's, on or before
    ``deadline`` (month, day), or ``government_deadline`` for a unit whose name matches
    ``government`` (a people's government above the township publishes later).
    ``missing`` and ``early`` are the messages for no date and for a date before that year
    (``message`` is the one for a late date); ``basis`` and ``government_basis`` fill its
    ``{basis}``."""

    deadline: tuple[int, int]
    missing: str
    early: str
    basis: str = ""
    government: str = ""
    government_deadline: tuple[int, int] = (3, 31)
    government_basis: str = ""


@dataclass(frozen=True, eq=False)
class SignatureAgencyRule(Rule):
    """The 落款 is the unit's own name (or it with one of ``suffixes``, or the unit's name
    with one of them left out).  Also accepted: the ``short`` forms (人民政府 → 政府) anywhere
    in either name; the end of the unit's name with a place left off (淮安市洪泽区人民政府 →
    洪泽区人民政府: the part left off ends in one of ``places``, at least ``min_length``
    characters stay); the unit's name followed by one of ``offices`` (its 办公室 signs)."""

    suffixes: tuple[str, ...]
    short: tuple[tuple[str, str], ...] = ()
    places: str = ""
    min_length: int = 4
    offices: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class TitleRule(Rule):
    """The title names the report's year and contains ``words``."""

    words: str
