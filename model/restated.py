"""Figures a report restates in its running text: the sentence finder and the number reader.

A rule of the format (``TextFigureRule``) gives a regular expression for one phrasing of one
figure (a named group ``n`` for the number, optionally ``unit``), a ``context`` the sentence
must mention and an ``unless`` that, found in the same clause, makes the figure ambiguous (it
is then not compared).  This module finds those figures; ``model.checks`` compares them.

Numbers are read as reports write them: 12, １２, 1,234, 67.74, 十二, 一百零五, 两千.
Results are cached per text, so re-checking after an edit to the tables costs nothing here.

Patterns are matched in a stand-in alphabet (see ``_STAND_INS``) so that their character
classes compile fast; quotes and numbers are cut from the original text.
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


#: The non-ASCII characters the formats' patterns put in character classes (全角 digits in
#: order: ``０-９`` is a range).  ``re`` compiles a class holding such characters into a
#: 64K-entry bitmap (0.2–0.3 ms each, ~22 ms for the first check); a class of characters below
#: 256 costs next to nothing.  So every pattern and every text is translated with
#: ``_STAND_IN`` before matching: each of these characters swaps places with a stand-in below
#: 256.  The swap is a permutation applied to pattern and text alike, so what matches and at
#: which index is unchanged (even for a text holding a stand-in), provided the patterns use no
#: ``\w``/``\d``/``\b`` and no range but ``0-9``/``０-９`` (tests/model/test_restated_speed.py
#: checks the formats' patterns).  A character missing here is only slower, never wrong.
_CLASS_CHARS = (
    "０１２３４５６７８９"
    "。；！？，、（．"
    "〇零一二两三四五六七八九十百千万"
    "每逐任单件项个宗事及和与或等申止由从自乡镇"
    "不为共兹到入至起未正没特现错"
    "〔［【）〕］】"  # document numbers as texts write them (model.checks)
    # the first characters of alternatives: ``re`` gathers them into a class too
    "分非信来投举提建留咨热业审许行诉同环比较增减下去结主发清备予全公转顺延受立街"
)
#: Stand-ins: C0/C1 controls and Latin-1 letters (no whitespace: ``\s`` must not change).
_STAND_INS = "".join(
    chr(c)
    for c in (
        *range(0x0E, 0x1C),  # first: the 全角 digits take ten in a row (a range stays a range)
        *range(0x01, 0x09),
        *range(0x7F, 0x85),
        *range(0x86, 0xA0),
        *range(0xA1, 0x100),
    )
)
_STAND_IN = str.maketrans(
    {
        **dict(zip(_CLASS_CHARS, _STAND_INS, strict=False)),
        **dict(zip(_STAND_INS, _CLASS_CHARS, strict=False)),
    }
)


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
    for words, groups, clause in _matches(text, pattern, context, unless):
        value = read_number(_number_of(groups))
        if value is None:
            continue
        unit = groups.get("unit") or ""
        found.append(Figure(shorten(words), value, UNIT_SIZES.get(unit, ONE), words, clause))
    return tuple(found)


def _number_of(groups: dict[str, str | None]) -> str:
    """A pattern with alternative phrasings names its numbers ``n``, ``n1``, ``n2``…"""
    return next((v for k, v in groups.items() if v and re.fullmatch(r"n[0-9]*", k)), "")


@functools.lru_cache(maxsize=4096)
def find_phrases(text: str, pattern: str, context: str = "", unless: str = "") -> tuple[str, ...]:
    """Every phrase ``pattern`` finds, as ``find_figures`` does, for claims without a number
    (“均获维持”)."""
    return tuple(shorten(words) for words, _, _ in _matches(text, pattern, context, unless))


@functools.lru_cache(maxsize=1024)
def find_all(text: str, pattern: str) -> tuple[str, ...]:
    """The words of every match of ``pattern`` in ``text`` (``re.finditer``, whole text)."""
    coded = text.translate(_STAND_IN)
    return tuple(text[m.start() : m.end()] for m in _compiled(pattern).finditer(coded))


_Match = tuple[str, dict[str, str | None], str]


def _matches(text: str, pattern: str, context: str, unless: str) -> list[_Match]:
    """The matches of ``pattern`` kept (see ``find_figures``): the words, the named groups
    and the clause, all cut from ``text``."""
    if not text:
        return []
    about = _compiled(context) if context else None
    found: list[_Match] = []
    for sentence, coded in _coded_sentences(text):
        # the context first: a cheap test that leaves few sentences to the pattern (which is
        # compiled only then: most rules find no sentence about them in a given report)
        if about is not None and about.search(coded) is None:
            continue
        regex = _compiled(pattern)
        for match in regex.finditer(coded):
            clause = clause_around(sentence, match.start(), match.end())
            if unless and _compiled(unless).search(clause.translate(_STAND_IN)):
                continue
            groups = {
                name: None
                if match.start(name) < 0
                else sentence[match.start(name) : match.end(name)]
                for name in regex.groupindex
            }
            found.append((sentence[match.start() : match.end()], groups, clause))
    return found


@functools.lru_cache(maxsize=256)
def _coded_sentences(text: str) -> tuple[tuple[str, str], ...]:
    """The sentences of ``text``, each with its stand-in translation."""
    return tuple((s, s.translate(_STAND_IN)) for s in sentences(text))


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled to match texts translated with ``_STAND_IN``."""
    return re.compile(pattern.translate(_STAND_IN))
