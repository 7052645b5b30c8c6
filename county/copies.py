"""Texts copied between units: part 一 (``overview``) and part 五 (``problems``) nearly the same
as another unit's text of the same year, or as the same unit's text of last year.

The comparison is the one of :class:`~model.formats.rules.SimilarTextRule` (rule
``problems.similar``): white space and the units' own names left out, a difflib ratio of at
least 90 %, texts of at least 50 characters.  Comparing every pair with difflib is far too slow
for a county (150 units are 11 175 pairs, about 1 ms each), so each text first gets a
fingerprint: the set of its three-character pieces, hashed into a bit field.  Two texts whose
fingerprints share too few pieces cannot be 90 % alike in any way a clerk copies (whole
sentences kept, a few words changed); only the pairs left are compared with difflib.

:class:`CopyIndex` keeps the fingerprints and the pairs found, so that the desk updates one
unit in a few milliseconds (:meth:`CopyIndex.set`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from model.checks import Finding, _comparable
from model.formats import Severity
from model.formats.common import PROBLEMS_SIMILAR
from model.formats.rules import RepeatedTextRule
from model.report import Report

#: The texts compared.
TEXT_KEYS = ("overview", "problems")
#: The rule id of the findings (:func:`copy_findings`).
RULE = "county.copied"
#: The same thresholds as ``problems.similar`` (one definition: the format's rule).
RATIO = PROBLEMS_SIMILAR.ratio
MIN_LENGTH = PROBLEMS_SIMILAR.min_length
#: Fingerprints sharing fewer three-character pieces than this (as a Dice coefficient) are not
#: compared.  A text 90 % alike by whole sentences shares about 85 % of its pieces; one with a
#: character changed every ten (which nobody copies that way) may be missed.
PREFILTER = 0.8
#: The fingerprint: a quarter of the pieces (those whose hash has two bits clear) in a field of
#: 4096 bits: about 150 of a 600-character text, of which 5 collide by chance with another's.
_BITS = 1 << 12
_MASK = _BITS - 1
_SAMPLE = 3 << 12


@dataclass(frozen=True)
class Copy:
    """``agency``'s text ``text_key`` is ``percent`` % the same as ``other_agency``'s of
    ``other_year``: another unit of the same year (the closest one; ``alike`` names every unit
    of the year found alike, closest first) or the same unit last year (``other_agency`` is
    ``agency``, ``alike`` empty)."""

    agency: str
    text_key: str
    other_agency: str
    other_year: int
    percent: int
    alike: tuple[str, ...] = ()

    @property
    def last_year(self) -> bool:
        return self.other_agency == self.agency


@dataclass(frozen=True)
class _Text:
    plain: str  # as compared (``model.checks._comparable``)
    bits: int  # fingerprint
    count: int  # pieces in the fingerprint


def _prepare(text: str, report: Report) -> _Text | None:
    plain = _comparable(text, report)
    if len(plain) < MIN_LENGTH:
        return None
    codes = memoryview(plain.encode("utf-32-le")).cast("I").tolist()
    field = bytearray(_BITS // 8)
    # the pieces whose hash falls in one part of _SAMPLE (the hash of a tuple of ints is the
    # same in every run, unlike a string's)
    pieces = map(hash, zip(codes, codes[1:], codes[2:], strict=False))
    for h in {h & _MASK for h in pieces if not h & _SAMPLE}:
        field[h >> 3] |= 1 << (h & 7)
    bits = int.from_bytes(field, "little")
    return _Text(plain, bits, bits.bit_count())


def _ratio(a: _Text, b: _Text) -> float:
    """difflib's ratio of the two texts when their fingerprints allow it to reach
    :data:`RATIO`, else 0."""
    longer, shorter = max(len(a.plain), len(b.plain)), min(len(a.plain), len(b.plain))
    if 2 * shorter < RATIO * (longer + shorter):
        return 0.0
    if 2 * (a.bits & b.bits).bit_count() < PREFILTER * (a.count + b.count):
        return 0.0
    if a.plain == b.plain:
        return 1.0
    return difflib.SequenceMatcher(None, a.plain, b.plain, autojunk=False).ratio()


def _repeated(report: Report, previous: Report, key: str) -> bool:
    """Whether the format's own check finds ``key`` word for word last year's."""
    rules = (r for r in report.format.rules if isinstance(r, RepeatedTextRule))
    same = report.text(key).strip() == previous.text(key).strip()
    return same and any(rule.text == key for rule in rules)


def _percent(ratio: float) -> int:
    return int(ratio * 100)  # as problems.similar says it: 99.8 % is “99%”


class CopyIndex:
    """The copies among one year's reports, kept up to date one unit at a time."""

    def __init__(self, year: int) -> None:
        self.year = year
        self._texts: dict[str, dict[str, _Text]] = {key: {} for key in TEXT_KEYS}
        self._last: dict[tuple[str, str], float] = {}  # (agency, key) → ratio with last year
        # key → agency → {other agency: ratio} for the pairs found alike (both directions)
        self._alike: dict[str, dict[str, dict[str, float]]] = {key: {} for key in TEXT_KEYS}

    def set(self, report: Report, previous: Report | None = None) -> None:
        """``report`` (of :attr:`year`) is new or changed; ``previous`` is its unit's last year."""
        if report.year != self.year:
            raise ValueError(f"{report.agency}: {report.year} is not {self.year}")
        agency = report.agency
        self.remove(agency)
        for key in TEXT_KEYS:
            own = _prepare(report.text(key), report)
            if own is None:
                continue
            texts, alike = self._texts[key], self._alike[key]
            bits, least = own.bits, PREFILTER * own.count
            for other, theirs in texts.items():
                # the fingerprint test inline: it runs for every pair
                if 2 * (bits & theirs.bits).bit_count() < least + PREFILTER * theirs.count:
                    continue
                ratio = _ratio(own, theirs)
                if ratio >= RATIO:
                    alike.setdefault(agency, {})[other] = ratio
                    alike.setdefault(other, {})[agency] = ratio
            texts[agency] = own
            if previous is not None and previous.year == self.year - 1:
                if _repeated(report, previous, key):
                    continue  # the report's own check says so (problems.repeated)
                last = _prepare(previous.text(key), previous)
                ratio = 0.0 if last is None else _ratio(own, last)
                if ratio >= RATIO:
                    self._last[agency, key] = ratio

    def remove(self, agency: str) -> None:
        """``agency`` has no report of the year (any more)."""
        for key in TEXT_KEYS:
            self._texts[key].pop(agency, None)
            self._last.pop((agency, key), None)
            alike = self._alike[key]
            for other in alike.pop(agency, {}):
                theirs = alike.get(other)
                if theirs is not None:
                    theirs.pop(agency, None)
                    if not theirs:
                        del alike[other]

    def copies(self, agency: str | None = None) -> list[Copy]:
        """The copies found (of ``agency`` only, when given), by agency and text."""
        found: list[Copy] = []
        agencies = sorted(
            {a for key in TEXT_KEYS for a in self._alike[key]} | {a for a, _ in self._last}
        )
        for name in agencies if agency is None else [agency]:
            for key in TEXT_KEYS:
                others = self._alike[key].get(name)
                if others:
                    ranked = sorted(others.items(), key=lambda pair: (-pair[1], pair[0]))
                    closest, ratio = ranked[0]
                    found.append(
                        Copy(
                            name,
                            key,
                            closest,
                            self.year,
                            _percent(ratio),
                            tuple(other for other, _ in ranked),
                        )
                    )
                last = self._last.get((name, key))
                if last is not None:
                    found.append(Copy(name, key, name, self.year - 1, _percent(last)))
        return found


def find_copies(reports: Sequence[Report], previous: Mapping[str, Report]) -> list[Copy]:
    """The copies among ``reports`` (one year's; the year is the first report's, reports of
    other years are ignored) and against ``previous`` (last year's reports by agency)."""
    if not reports:
        return []
    index = CopyIndex(reports[0].year)
    for report in reports:
        if report.year == index.year:
            index.set(report, previous.get(report.agency))
    return index.copies()


def copy_finding(copy: Copy, report: Report) -> Finding:
    """``copy`` as a warning on ``report`` (``copy.agency``'s), naming both units and the year."""
    part = report.format.part_of_text(copy.text_key)
    where, shown = (part.ordinal, part.key) if part else ("文字部分", report.format.parts[0].key)
    if copy.last_year:
        message = (
            f"{where}与本单位{copy.other_year}年报告的{where}几乎相同（{copy.percent}%相同），"
            "应写本年度的情况"
        )
    else:
        who = copy.other_agency
        if len(copy.alike) > 1:
            who = f"{who}等{len(copy.alike)}个单位"
        message = (
            f"{where}与{who}{copy.other_year}年报告的{where}几乎相同（{copy.percent}%相同），"
            "应写本单位本年度的情况"
        )
    return Finding(RULE, Severity.WARNING, message, shown, texts=(copy.text_key,))


def copy_findings(
    copies: Iterable[Copy], reports: Mapping[str, Report]
) -> dict[str, list[Finding]]:
    """The copies as findings, by agency (``reports``: this year's, by agency)."""
    findings: dict[str, list[Finding]] = {}
    for copy in copies:
        report = reports.get(copy.agency)
        if report is not None:
            findings.setdefault(copy.agency, []).append(copy_finding(copy, report))
    return findings
