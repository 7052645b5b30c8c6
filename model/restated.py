"""Figures a report restates in its running text: the sentence finder and the number reader.

A rule of the format (``TextFigureRule``) gives a regular expression for one phrasing of one
figure (a named group ``n`` for the number, optionally ``unit``), a ``context`` the sentence
must mention and an ``unless`` that, found in the same clause, makes the figure ambiguous (it
is then not compared).  This module finds those figures; ``model.checks`` compares them.

Numbers are read as reports write them: 12, １２, 1,234, 67.74, 十二, 一百零五, 两千.
Results are cached per text, so re-checking after an edit to the tables costs nothing here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from model.numerals import parse_number

#: What ends a sentence, and (with the commas) a clause.
SENTENCE_ENDS = "。；;！!？?\n"
CLAUSE_ENDS = SENTENCE_ENDS + "，,"
_SENTENCE = re.compile(f"[^{SENTENCE_ENDS}]+")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_QUOTE_LIMIT = 30

#: The size of a unit of money in 元.
UNIT_SIZES = {"亿元": Decimal(100_000_000), "万元": Decimal(10_000), "万": Decimal(10_000)}
ONE = Decimal(1)


@dataclass(frozen=True)
class Figure:
    """A figure stated in a text: the words quoted, the number and its unit's size in 元;
    ``words`` and ``clause`` are the words matched and their clause, unshortened (a check
    reads the years written there)."""

    quote: str
    value: Decimal
    unit_size: Decimal = ONE
    words: str = ""
    clause: str = ""


def read_number(raw: str) -> Decimal | None:
    """The number ``raw`` writes (全角, 千分位, decimals or Chinese numerals), else ``None``."""
    plain = raw.strip().translate(_FULL_WIDTH).replace(",", "")
    if _DECIMAL.fullmatch(plain):
        try:
            return Decimal(plain)
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            return None
    number = parse_number(plain)
    return None if number is None else Decimal(number)


@functools.lru_cache(maxsize=256)
def sentences(text: str) -> tuple[str, ...]:
    """The sentences of ``text`` (split at 。；！？ and line ends)."""
    return tuple(s for s in _SENTENCE.findall(text) if s.strip())


def clause_around(sentence: str, start: int, end: int) -> str:
    """The clause of ``sentence`` holding ``sentence[start:end]`` (split at commas too)."""
    left = max(sentence.rfind(c, 0, start) for c in CLAUSE_ENDS)
    rights = [i for i in (sentence.find(c, end) for c in CLAUSE_ENDS) if i >= 0]
    return sentence[left + 1 : min(rights, default=len(sentence))]


def shorten(text: str, limit: int = _QUOTE_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@functools.lru_cache(maxsize=4096)
def find_figures(
    text: str, pattern: str, context: str = "", unless: str = ""
) -> tuple[Figure, ...]:
    """Every figure ``pattern`` finds in ``text``, in sentences that mention ``context``,
    leaving out those whose clause mentions ``unless``."""
    found = []
    for match, clause in _matches(text, pattern, context, unless):
        value = read_number(_number_of(match))
        if value is None:
            continue
        unit = match.groupdict().get("unit") or ""
        words = match.group(0)
        found.append(Figure(shorten(words), value, UNIT_SIZES.get(unit, ONE), words, clause))
    return tuple(found)


def _number_of(match: re.Match[str]) -> str:
    """A pattern with alternative phrasings names its numbers ``n``, ``n1``, ``n2``…"""
    groups = match.groupdict()
    return next((v for k, v in groups.items() if v and re.fullmatch(r"n[0-9]*", k)), "")


@functools.lru_cache(maxsize=4096)
def find_phrases(text: str, pattern: str, context: str = "", unless: str = "") -> tuple[str, ...]:
    """Every phrase ``pattern`` finds, as ``find_figures`` does, for claims without a number
    (“均获维持”)."""
    return tuple(shorten(m.group(0)) for m, _ in _matches(text, pattern, context, unless))


def _matches(text: str, pattern: str, context: str, unless: str) -> list[tuple[re.Match[str], str]]:
    """The matches of ``pattern`` kept (see ``find_figures``), each with its clause."""
    if not text:
        return []
    regex = _compiled(pattern)
    about = _compiled(context) if context else None
    found = []
    for sentence in sentences(text):
        # the context first: a cheap test that leaves few sentences to the pattern
        if about is not None and about.search(sentence) is None:
            continue
        for match in regex.finditer(sentence):
            clause = clause_around(sentence, match.start(), match.end())
            if unless and _compiled(unless).search(clause):
                continue
            found.append((match, clause))
    return found


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
