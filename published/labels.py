"""Printed labels → the keys of a format: rows, columns and part headings.

Every label here comes from the format definition (:mod:`model.formats`); this module only
knows how published reports deviate from it: spacing, numbering styles, full-width forms, and
the aliases and typos seen in real reports (:data:`ALIASES`, the one table of them;
../shared/research/IMPORTER.md §7.4).  Matching is done on :func:`normalise`\\ d text.

>>> normalise("1．本机关 不掌握\\u3000相关政府信息")
'1.本机关不掌握相关政府信息'
>>> normalise("（二）部分公开")
'(二)部分公开'
"""

from __future__ import annotations

import functools
import re
import unicodedata

from model.formats import FORMATS, ReportFormat, Table

#: Pairs (as the format says, as reports print it): each is tried both ways, as a substring of a
#: label.  Written normalised (ASCII brackets, no spaces).
ALIASES: tuple[tuple[str, str], ...] = (
    # 2019 calls them 规范性文件, 2021 行政规范性文件; 2021 reports often keep the old word
    ("行政规范性文件", "规范性文件"),
    ("其他法律行政法规禁止公开", "其他法律行政止公开"),
    ("其他法律行政法规禁止公开", "其他法律和行政法规禁止公开"),
    ("其他法律行政法规禁止公开", "其他法律、行政法规禁止公开"),
    ("行政机关不再处理其政府信息公开申请", "行政机关不再受理其政府信息公开申请"),
    ("不再处理其", "不再受理其"),
    ("本年废止件数", "本年废纸件数"),
    ("现行有效件数", "先行有效件数"),
    ("三安全一稳定", "三安全-稳定"),
    ("没有现成信息需要另行制作", "没有现成信息,需要另行制作"),
    ("行政复议、行政诉讼", "行政复议与行政诉讼"),
    ("行政复议、行政诉讼", "行政复议和行政诉讼"),
    ("行政复议、行政诉讼", "行政法复议、行政诉讼"),
    ("其他需要报告的事项", "其他需报告的事项"),
    ("其他需要报告的事项", "其他需说明事项"),
    ("其他需要报告的事项", "其他需要说明的事项"),
    ("本年收费金额(单位:万元)", "本年收费金额(万元)"),
)

_SPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_QUOTES = re.compile("[“”\"'‘’「」『』]")
_CN_DIGITS = "零〇一二两三四五六七八九十"
#: 、 。 ． after a number (Arabic, or a Chinese numeral opening the label) → "."
_NUMBER_MARK = re.compile(rf"(?<=[0-9])[、。]|^([{_CN_DIGITS}]+)[、.。]")
#: The numbering a label opens with: "1." "(一)" "一." (after normalise).
_NUMBERING = re.compile(
    rf"^(?:\(?[0-9]{{1,2}}\)?\.?(?![0-9])|\([{_CN_DIGITS}]+\)|[{_CN_DIGITS}]+\.)"
)
#: A bracketed remark (“（区分处理的，只计这一情形，不计其他情形）”, “（单位：万元）”).
_REMARK = re.compile(r"\([^()]*\)")


def normalise(text: str) -> str:
    """A label as compared: NFKC (full-width → ASCII, （）→ ()), no whitespace of any kind,
    "1、" "1．" "1。" and "一、" → "1." "一.", 钩稽 → 勾稽, quotation marks dropped."""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE.sub("", text)
    text = _QUOTES.sub("", text)
    text = text.replace("钩稽", "勾稽").replace("〔", "(").replace("〕", ")")
    text = text.replace("【", "(").replace("】", ")")
    return _NUMBER_MARK.sub(lambda m: f"{m.group(1)}." if m.group(1) else ".", text)


def strip_numbering(label: str) -> str:
    """A normalised label without the numbering it opens with ("1." "(一)" "三.")."""
    return _NUMBERING.sub("", label, count=1)


def _forms(label: str) -> list[str]:
    """A label as the format prints it, and the ways a report may print it."""
    base = normalise(label)
    found = [base]
    for canonical, seen in ALIASES:
        for form in list(found):
            if canonical in form:
                found.append(form.replace(canonical, seen))
            elif seen in form:
                found.append(form.replace(seen, canonical))
    for form in list(found):
        bare = strip_numbering(form)
        without_remark = _REMARK.sub("", bare)
        for variant in (bare, _REMARK.sub("", form), without_remark):
            if variant and variant not in found:
                found.append(variant)
    return found


def _dedup(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@functools.lru_cache(maxsize=256)
def _table_rows(table: Table) -> dict[str, tuple[str, ...]]:
    return {row.key: _dedup(_forms(row.label)) for row in table.rows}


@functools.lru_cache(maxsize=256)
def _table_columns(table: Table) -> dict[str, tuple[str, ...]]:
    return {c.key: _dedup(_forms(c.label)) for c in table.columns}


def row_variants(fmt: ReportFormat, table_key: str) -> dict[str, tuple[str, ...]]:
    """Row key → its normalised label and the variants a report may print (numbered first)."""
    return dict(_table_rows(fmt.table(table_key)))


def column_variants(fmt: ReportFormat, table_key: str) -> dict[str, tuple[str, ...]]:
    """Column key → its normalised header and variants (without the unit remark too)."""
    return dict(_table_columns(fmt.table(table_key)))


@functools.lru_cache(maxsize=256)
def group_variants(table: Table) -> tuple[str, ...]:
    """Every row-group label of ``table`` and its variants (三、本年度办理结果, （三）不予公开 …)."""
    labels = dict.fromkeys(g for row in table.rows for g in row.groups)
    labels.update(dict.fromkeys(g for g, _first, _last in table.column_groups))
    return _dedup([v for label in labels for v in _forms(label)])


def _all_groups(table_key: str) -> tuple[str, ...]:
    """The group labels of ``table_key`` in every registered format."""
    found: list[str] = []
    for fmt in FORMATS.values():
        if any(t.key == table_key for t in fmt.tables):
            found += group_variants(fmt.table(table_key))
    return _dedup(found)


def part_variants(fmt: ReportFormat) -> dict[str, tuple[str, ...]]:
    """Part key → its heading (“一、总体情况”) and variants, e.g. without the numeral."""
    return {p.key: _dedup(_forms(p.heading)) for p in fmt.parts}


def edit_distance(a: str, b: str, most: int | None = None) -> int:
    """Levenshtein distance; stops early (returns more than ``most``) once above ``most``."""
    if len(a) < len(b):
        a, b = b, a
    if most is not None and len(a) - len(b) > most:
        return most + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if most is not None and min(current) > most:
            return most + 1
        previous = current
    return previous[-1]


def _typo_budget(length: int) -> int:
    """Edits a label of ``length`` characters may carry and still be itself (废纸 for 废止)."""
    if length < 4:
        return 0
    if length <= 8:
        return 1
    return 2 if length <= 16 else 3


def _strip_groups(label: str, groups: tuple[str, ...]) -> str:
    """``label`` without the group labels it opens with (a grid row joins its label cells)."""
    ordered = sorted(groups, key=len, reverse=True)
    changed = True
    while changed and label:
        changed = False
        for group in ordered:
            if group and label.startswith(group):
                label = label[len(group) :]
                changed = True
                break
    return label


def best_match(
    label: str, variants: dict[str, tuple[str, ...]], *, loose: bool = True
) -> str | None:
    """The key whose variants ``label`` (normalised) fits best, None when none or several fit.

    Exact (with or without numbering) first; then containment, the fullest cover winning; then
    a small edit distance for typos.  Ties give None: a wrong row is worse than no row.
    ``loose`` False leaves out containment (处理决定数量 is not 本年处理决定数量)."""
    if not label:
        return None
    bare = strip_numbering(label)
    for probe in (label, bare, _REMARK.sub("", bare)):
        exact = {key for key, forms in variants.items() if probe in forms}
        if len(exact) == 1:
            return exact.pop()
        if exact:
            return None
    # containment: a variant inside the label (junk around it), or a cut label inside a variant
    scores: dict[str, float] = {}
    for key, forms in variants.items() if loose else ():
        for form in forms:
            if (len(form) >= 3 and form in bare) or (len(bare) >= 4 and bare in form):
                cover = min(len(form), len(bare)) / max(len(form), len(bare))
                scores[key] = max(scores.get(key, 0.0), cover)
    if scores:
        top = max(scores.values())
        best = [key for key, score in scores.items() if score == top]
        if len(best) > 1:
            return None
        # a short variant in a long label is no evidence (其他 in 其他处理的情况说明)
        if top >= 0.5 or max((len(f) for f in variants[best[0]] if f in bare), default=0) >= 6:
            return best[0]
    budget = _typo_budget(len(bare))
    if not budget:
        return None
    distances: dict[str, int] = {}
    for key, forms in variants.items():
        for form in forms:
            d = edit_distance(bare, form, budget)
            if d <= min(budget, _typo_budget(len(form))):
                distances[key] = min(distances.get(key, d), d)
    if not distances:
        return None
    low = min(distances.values())
    best = [key for key, d in distances.items() if d == low]
    return best[0] if len(best) == 1 else None


def match_row(label: str, fmt: ReportFormat, table_key: str) -> str | None:
    """The row key of ``table_key`` a printed row label means (its label cells joined), or None
    when nothing fits or two rows fit equally.  Group labels the row opens with (三、本年度办理
    结果, （三）不予公开) are skipped; a label that is only a group label is no row (2021's
    “（六）其他处理” heads three rows)."""
    variants = row_variants(fmt, table_key)
    text = normalise(label)
    bare = strip_numbering(text)
    exact = {key for key, forms in variants.items() if text in forms or bare in forms}
    if len(exact) == 1:
        return exact.pop()
    groups = _all_groups(table_key)
    if exact or text in groups or bare in groups:
        return None
    stripped = _strip_groups(text, groups)
    return best_match(stripped or text, variants)


def match_column(
    label: str, fmt: ReportFormat, table_key: str, *, loose: bool = True
) -> str | None:
    """The column key of ``table_key`` a printed header means, or None (``loose`` False: the
    header must be the column's label, give or take a typo)."""
    return best_match(normalise(label), column_variants(fmt, table_key), loose=loose)


def match_part(heading: str, fmt: ReportFormat) -> str | None:
    """The part key a printed heading means (“四、政府信息公开行政法复议…” → "appeals")."""
    return best_match(normalise(heading), part_variants(fmt))
