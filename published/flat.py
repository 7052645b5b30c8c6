"""The tables a copied web page ran into its text: rows found by their labels, values split.

A page's text copied from a browser (or a saved page whose tables were not kept as tables)
prints each table as one run of text: the caption, the header words, then each row's label
followed by its values, often glued together (“一、本年新收政府信息公开申请数量640020470”)
and sometimes spaced irregularly (“0 0 00 0 0 0”).  Here:

1. the row labels of every table of every format (:mod:`published.labels`) are looked for in
   order, in a compact copy of the text (no spaces, NFKC) that maps back to the original;
   a label's numbering belongs to it (“…信息3100000312.没有现成…”: the trailing “2” is the
   “2.” of the next label);
2. the text between a label and the next one is the row's values; header words and group
   labels (“（三）不予公开”) are not values;
3. the values are split into the row's cells by :func:`published.solver.split_rows` with the
   format's own equations (a row's 总计, （七）总计, 一+二=三+四); a row with one reading is read,
   any other is left for the clerk with its candidates (:class:`~published.result.Unread`).

Nothing here spells a row label: they all come from :mod:`model.formats`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from model.formats import (
    FORMATS,
    MAX_COUNT,
    MAX_MONEY_DIGITS,
    MONEY_PLACES,
    CellKind,
    ReportFormat,
    Table,
)
from model.formats.rules import BalanceRule
from model.values import CellValue
from published.document import Origin
from published.labels import normalise, row_variants, strip_numbering
from published.numbers import normalise_digits
from published.result import How, ReadCell, TableRead, Unread
from published.solver import MAX_CANDIDATES, Equation, GluedRow, RowSplits, split_rows

__all__ = ["read_flat"]

OriginOf = Callable[[int, int], Origin]

_DROP = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff“”\"'‘’「」『』]")
_QUOTES = "“”\"'‘’「」『』"
_CN_NUMERALS = "零〇一二两三四五六七八九十"
#: What may stand between a row's label and the next: digits, signs, spaces, money units.
_VALUE_RUN = re.compile(r"[0-9０-９.．\-－−﹣‐‑+＋\s\u3000\xa0元万,，|｜]*")
#: A label's numbering glued to the end of the values before it (“…0002.” before a lost label).
_TRAILING_NUMBERING = re.compile(r"\s*[0-9０-９]{1,2}[.．、]\s*\Z")
_MONEY_UNIT = re.compile(r"(万元|万|元)\s*\Z")
_DIGIT = re.compile(r"[0-9]")
#: A markdown table's ruler between its rows (“| --- | :---: |”).
_RULER = re.compile(r"(?<![0-9]):?-{3,}:?(?![0-9])")
#: A bracketed remark without digits right after a label.
_REMARK = re.compile(r"\s*[（(][^0-9０-９（）()]{1,40}[）)]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: Variants shorter than this are looked for only when they are the whole label (规章).
_MIN_VARIANT = 4


@dataclass(frozen=True)
class _Compact:
    """The text without spaces and quotes, NFKC, label marks unified; ``pos[i]`` is the index in
    the original text of compact character ``i``."""

    text: str
    pos: tuple[int, ...]
    length: int  # of the original text

    def start(self, i: int) -> int:
        return self.pos[i] if i < len(self.pos) else self.length

    def end(self, j: int) -> int:
        """The original index just after compact character ``j - 1``."""
        return self.pos[j - 1] + 1 if j > 0 else 0


def _compact(text: str) -> _Compact:
    chars: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch):
            if _DROP.match(c):
                continue
            if c in "〔【":
                c = "("
            elif c in "〕】":
                c = ")"
            elif c in "、。" and chars and (chars[-1].isdigit() or chars[-1] in _CN_NUMERALS):
                c = "."
            elif c == "钩" and text[i + 1 : i + 2] == "稽":
                c = "勾"
            chars.append(c)
            pos.append(i)
    return _Compact("".join(chars), tuple(pos), len(text))


@dataclass
class _Row:
    """A row label found in the compact text: ``start`` (its numbering included) to ``end``."""

    key: str
    start: int
    end: int


@dataclass
class _Found:
    """One table of one format located in the text."""

    fmt: ReportFormat
    table: Table
    rows: list[_Row]
    header: str  # compact text between the caption (or the table's start) and the first row
    end: int  # compact index where the table's text ends


_VARIANTS: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}


def _search_variants(fmt: ReportFormat, table: Table) -> dict[str, tuple[str, ...]]:
    """Row key → the forms worth looking for in running text (longest first)."""
    cached = _VARIANTS.get((fmt.id, table.key))
    if cached is not None:
        return cached
    out: dict[str, tuple[str, ...]] = {}
    for key, forms in row_variants(fmt, table.key).items():
        full = normalise(table.row(key).label)
        kept = [f for f in forms if len(f) >= _MIN_VARIANT or f == full]
        out[key] = tuple(sorted(set(kept), key=len, reverse=True))
    _VARIANTS[(fmt.id, table.key)] = out
    return out


def _find_label(text: str, forms: Sequence[str], start: int, end: int) -> tuple[int, int] | None:
    """The earliest (then longest) of ``forms`` in ``text[start:end]``."""
    best: tuple[int, int] | None = None
    for form in forms:
        i = text.find(form, start, end)
        if i < 0:
            continue
        if best is None or i < best[0] or (i == best[0] and i + len(form) > best[1]):
            best = (i, i + len(form))
    return best


def _claim_numbering(compact: str, label: str, start: int, floor: int) -> int:
    """Where a row label found without its numbering really starts: “2.” just before it is its
    own (never the previous row's last value)."""
    full = normalise(label)
    numbering = full[: len(full) - len(strip_numbering(full))]
    if numbering and numbering.endswith(".") and compact.startswith(numbering, start):
        return start
    before = start - len(numbering)
    if numbering and before >= floor and compact[before:start] == numbering:
        return before
    return start


def _locate_rows(c: _Compact, fmt: ReportFormat, table: Table, start: int, end: int) -> list[_Row]:
    """The table's row labels in printed order within ``c.text[start:end]`` (rows not printed
    are skipped)."""
    variants = _search_variants(fmt, table)
    rows: list[_Row] = []
    cursor = start
    keys = [r.key for r in table.rows]
    for index, key in enumerate(keys):
        hit = _find_row(c.text, table.row(key).label, variants[key], cursor, end)
        if hit is None:
            continue
        # A later row found before this one means this one is not printed here.
        if any(
            _find_label(c.text, variants[k], cursor, hit[0]) is not None
            for k in keys[index + 1 : index + 3]
        ):
            continue
        begin = _claim_numbering(c.text, table.row(key).label, hit[0], cursor)
        rows.append(_Row(key, begin, hit[1]))
        cursor = hit[1]
    return rows


def _find_row(
    text: str, label: str, forms: Sequence[str], start: int, end: int
) -> tuple[int, int] | None:
    """Where a row's label stands: the earliest of its forms, except that a form without the
    label's numbering (“本年新收…”) not followed by a value yields to a numbered one
    (“一、本年新收…”) further on: the first is a sentence, the second the table."""
    hit = _find_label(text, forms, start, end)
    full = normalise(label)
    if hit is None or strip_numbering(full) == full:
        return hit
    if text.startswith(full[: len(full) - len(strip_numbering(full))], hit[0]):
        return hit
    numbered = _find_label(text, [f for f in forms if f != strip_numbering(f)], hit[1], end)
    if numbered is not None and not _DIGIT.match(normalise_digits(text[hit[1] : hit[1] + 1])):
        return numbered
    return hit


# --- the tables in the text -------------------------------------------------------------------


def _captions(c: _Compact, fmt: ReportFormat) -> dict[str, int]:
    """Part 二 item → where its caption (第二十条第（一）项) starts."""
    found: dict[str, int] = {}
    for table in fmt.tables:
        if table.stacked:
            i = c.text.find(normalise(table.caption))
            if i >= 0:
                found[table.key] = i
    return found


def _header_columns(header: str, fmt: ReportFormat, table: Table) -> bool:
    """Whether every column header of ``table`` stands in ``header`` (compact)."""
    from published.labels import column_variants

    variants = column_variants(fmt, table.key)
    return all(any(v in header for v in forms if len(v) >= 2) for forms in variants.values())


def _locate(c: _Compact, fmt: ReportFormat) -> list[_Found]:
    """Every table of ``fmt`` whose rows stand in the text."""
    found: list[_Found] = []
    captions = _captions(c, fmt)
    ordered = sorted(captions.items(), key=lambda kv: kv[1])
    stacked_end = len(c.text)
    requests = next((t for t in fmt.tables if not t.stacked and not t.flatten_rows), None)
    req_rows: list[_Row] = []
    req_end = len(c.text)
    req_floor = max(captions.values()) if captions else 0
    flattened = next((t for t in fmt.tables if t.flatten_rows), None)
    if requests is not None:
        if flattened is not None:
            # part 三 ends where part 四's header starts (its last row label, 复议后起诉)
            first = _locate_rows(c, fmt, requests, req_floor, len(c.text))[:1]
            if first:
                stop = c.text.find(normalise(flattened.rows[-1].label), first[0].end)
                req_end = stop if stop >= 0 else req_end
        req_rows = _locate_rows(c, fmt, requests, req_floor, req_end)
        if req_rows:
            stacked_end = req_rows[0].start
    for n, (key, begin) in enumerate(ordered):
        table = fmt.table(key)
        stop = ordered[n + 1][1] if n + 1 < len(ordered) else stacked_end
        head_end = begin + len(normalise(table.caption))
        rows = _locate_rows(c, fmt, table, head_end, stop)
        if rows:
            found.append(_Found(fmt, table, rows, c.text[head_end : rows[0].start], stop))
    appeals_floor = req_rows[-1].end if req_rows else req_floor
    if requests is not None and req_rows:
        # its header: from its caption (三、收到和处理…情况), where printed, to its first row
        caption = normalise(requests.caption)
        at = c.text.rfind(caption, req_floor, req_rows[0].start)
        header = c.text[at + len(caption) : req_rows[0].start] if at >= 0 else ""
        found.append(_Found(fmt, requests, req_rows, header, req_end))
    for table in fmt.tables:
        if table.flatten_rows:
            located = _locate_flattened(c, fmt, table, appeals_floor)
            if located is not None:
                found.append(located)
    return found


def _locate_flattened(c: _Compact, fmt: ReportFormat, table: Table, floor: int) -> _Found | None:
    """Part 四: its header words, then one run of values for all its rows."""
    words = {normalise(col.label) for col in table.columns}
    words |= {normalise(row.label) for row in table.rows}
    words |= {normalise(g) for row in table.rows for g in row.groups}
    ordered = sorted(words, key=len, reverse=True)
    # The header ends with the last row's label and the columns under it.
    last = normalise(table.rows[-1].label)
    i = c.text.find(last, floor)
    if i < 0:
        return None
    header_start = c.text.rfind(normalise(table.rows[0].label), floor, i)
    j = i
    moved = True
    while moved:
        moved = False
        for word in ordered:
            if c.text.startswith(word, j):
                j += len(word)
                moved = True
                break
    if j - i == len(last):
        return None  # no column headers under 复议后起诉: not the table's header
    run = _VALUE_RUN.match(c.text, j)
    if run is None or not _DIGIT.search(normalise_digits(run.group())):
        return None
    start = max(header_start, floor) if header_start >= 0 else i
    return _Found(fmt, table, [_Row(table.rows[0].key, j, j)], c.text[start:j], len(c.text))


# --- values -------------------------------------------------------------------------------------


#: What follows a table's last row up to the next words (a heading, a label).
_BEFORE_WORDS = re.compile(r"[^\u3400-\u9fff]*")


@dataclass(frozen=True)
class _Values:
    text: str  # the values as printed (original text)
    span: tuple[int, int]  # in the original text
    stray: str  # text after the values before the next row's label (compact), if any


def _values(c: _Compact, original: str, row: _Row, next_start: int | None, end: int) -> _Values:
    """The text after ``row``'s label: the run of values, and what follows up to the next row
    (``stray``; empty for the last row of a table, whose end is not known)."""
    begin = c.end(row.end)
    while begin < len(original) and original[begin] in _QUOTES:
        begin += 1  # a closing quote of the label (危及“三安全一稳定”)
    limit = c.start(next_start) if next_start is not None else c.start(end)
    remark = _REMARK.match(original, begin, limit)
    if remark:  # the rest of a label printed otherwise (“部分公开（区分处理的…）”)
        begin = remark.end()
    run = _VALUE_RUN.match(original, begin, limit)
    text = run.group() if run else ""
    after = begin + len(text)
    if after < limit and _CJK.match(original, after):
        # the numbering of a label that follows (“…0000002.没有现成…” with the label lost)
        m = _TRAILING_NUMBERING.search(text)
        if m:
            text = text[: m.start()]
    stray = original[begin + len(text) : limit]
    if next_start is None:
        # The last row: its table's end is not known, but figures before the next words
        # (“行政强制/ / 5”: the run stopped at “/”) are this row's, not nothing.
        stray = _BEFORE_WORDS.match(stray).group()  # type: ignore[union-attr]
    return _Values(text, (begin, begin + len(text.rstrip())), stray)


def _equations(fmt: ReportFormat, table: Table) -> list[Equation]:
    """The sums the format states between the cells of ``table``: each derived column's and
    derived row's, and the balance rules."""
    eqs: list[Equation] = []
    t = table.key
    for row in table.rows:
        for col in table.columns:
            if col.sums:
                eq = {f"{t}.{row.key}.{col.key}": 1}
                for term in col.sums:
                    eq[f"{t}.{row.key}.{term}"] = -1
                eqs.append(eq)
            if row.sums:
                eq = {f"{t}.{row.key}.{col.key}": 1}
                for term in row.sums:
                    eq[f"{t}.{term}.{col.key}"] = -1
                eqs.append(eq)
    for rule in fmt.rules:
        if isinstance(rule, BalanceRule) and rule.table == t:
            for col in table.columns:
                eq = {}
                for r in rule.lhs:
                    eq[f"{t}.{r}.{col.key}"] = eq.get(f"{t}.{r}.{col.key}", 0) + 1
                for r in rule.rhs:
                    eq[f"{t}.{r}.{col.key}"] = eq.get(f"{t}.{r}.{col.key}", 0) - 1
                eqs.append(eq)
    return eqs


def _row_label(table: Table, key: str) -> str:
    return table.caption if table.flatten_rows else table.row(key).label


def _cells_of(table: Table, row_key: str) -> tuple[str, ...]:
    if table.flatten_rows:
        return tuple(f"{table.key}.{r.key}.{col.key}" for r in table.rows for col in table.columns)
    return tuple(f"{table.key}.{row_key}.{col.key}" for col in table.columns)


def _kinds(fmt: ReportFormat, cells: Sequence[str]) -> list[CellKind]:
    return [fmt.cells[k].kind for k in cells]


def _read(found: _Found, c: _Compact, original: str, origin: OriginOf) -> TableRead:
    fmt, table = found.fmt, found.table
    cells: list[ReadCell] = []
    unread: list[Unread] = []
    notes: list[str] = []
    glued: list[GluedRow] = []
    printed: dict[str, tuple[str, tuple[int, int], str | None, list[str]]] = {}
    header_unit = "元" if re.search(r"\(元\)|\(单位:元\)", found.header) else None
    blank: list[tuple[tuple[str, ...], str, Origin]] = []
    # Digits in an item's header or after a row's values: the values are not where the labels
    # are (a PDF's text puts them before their label, or in columns), so no row is blank for sure.
    header_digits = _DIGIT.search(normalise_digits(found.header))
    misplaced = header_digits is not None
    for n, row in enumerate(found.rows):
        nxt = found.rows[n + 1].start if n + 1 < len(found.rows) else None
        vals = _values(c, original, row, nxt, found.end)
        keys = _cells_of(table, row.key)
        label = _row_label(table, row.key)
        where = origin(c.start(row.start), max(vals.span[1], c.end(row.end)))
        stray = normalise_digits(vals.stray)
        if _DIGIT.search(stray):
            misplaced = True
            unread.append(
                Unread(
                    keys,
                    f"“{label}”行的数字后面还有无法识别的内容“{_short(vals.stray)}”，"
                    "无法确定各格的数值",
                    where,
                )
            )
            continue
        # a table pasted as markdown or from a spreadsheet: “|” parts cells as a space does
        text = normalise_digits(vals.text)
        if "|" in text:
            text = _RULER.sub(" ", text.replace("|", " "))
        tokens = text.split()
        unit = None
        m = _MONEY_UNIT.search(text)
        kinds = _kinds(fmt, keys)
        if m and CellKind.MONEY in kinds:
            unit = "万元" if m.group(1).startswith("万") else "元"
            text = text[: m.start()]
        elif any(k is CellKind.MONEY for k in kinds):
            unit = header_unit
        text = text.replace(",", "").replace("，", "")
        if not _DIGIT.search(text):
            if text.strip():
                unread.append(
                    Unread(
                        keys,
                        f"“{label}”行的内容“{_short(vals.text)}”不是数值，请按原报告填写",
                        where,
                    )
                )
                continue
            # a row printed with its label only: its cells are blank, not 0 (decided below)
            blank.append((keys, label, where))
            continue
        if re.search(r"[^0-9.\-\s]", text):
            unread.append(
                Unread(keys, f"“{label}”行的内容“{_short(vals.text)}”无法读成数值", where)
            )
            continue
        if len(re.sub(r"\s", "", text)) > sum(_widest(kind) for kind in kinds):
            misplaced = True
            unread.append(
                Unread(keys, f"“{label}”行的数字“{_short(vals.text)}”太长，不是这一行的数值", where)
            )
            continue
        signed = frozenset(
            k for k, kind in zip(keys, kinds, strict=True) if kind is CellKind.SIGNED_COUNT
        )
        money = frozenset(k for k, kind in zip(keys, kinds, strict=True) if kind is CellKind.MONEY)
        glued.append(GluedRow(f"{table.key}.{row.key}", text, keys, signed, money))
        span = (c.start(row.start), max(vals.span[1], c.end(row.end)))
        printed[f"{table.key}.{row.key}"] = (label, span, unit, tokens)
    splits = split_rows(glued, _equations(fmt, table)) if glued else {}
    for one in glued:
        label, span, unit, tokens = printed[one.key]
        cells_read, missing = _decide(one, splits[one.key], label, origin(*span), unit, tokens, fmt)
        cells += cells_read
        unread += missing
        digits = len(re.sub(r"[^0-9]", "", one.text))
        if not cells_read and (splits[one.key].conflict or digits > len(one.cells) * 3):
            misplaced = True
    if header_digits is not None:
        cells, unread = [], _suspect(cells, unread, found.header)
    for keys, label, where in blank:
        if misplaced:
            reason = (
                f"“{label}”行没有印数字，而本表另有对不上行的数字，"
                "无法确定此行是空白还是数字错位，请按原报告填写"
            )
            unread.append(Unread(keys, reason, where))
        else:
            cells += [ReadCell(k, None, "", where, How.TEXT) for k in keys]
    found_keys = {r.key for r in found.rows}
    if not table.flatten_rows:
        absent = [r.label for r in table.rows if r.key not in found_keys]
        if absent:
            notes.append(
                f"文字中的“{table.caption}”没有找到这些行：" + "、".join(f"“{a}”" for a in absent)
            )
    span_start = c.start(found.rows[0].start)
    span_end = max((p[1][1] for p in printed.values()), default=span_start + 1)
    return TableRead(
        table_key=table.key,
        format_id=fmt.id,
        fits=frozenset({fmt.id}),
        cells=tuple(cells),
        unread=tuple(unread),
        origin=origin(span_start, max(span_end, span_start + 1)),
        notes=tuple(notes),
    )


def _suspect(cells: Sequence[ReadCell], unread: Sequence[Unread], header: str) -> list[Unread]:
    """Rows read from a table whose header holds digits: the values may belong to other rows
    (a PDF's text layer puts some before their label), so each reading is only a candidate."""
    first = _DIGIT.search(normalise_digits(header))
    at = first.start() if first else 0
    shown = _short(header[max(0, at - 10) : at + 10], 20)
    reason = f"本表的表头中夹有数字（“{shown}”），各行的数字可能与行名错位，请按原报告核对"
    rows: dict[str, list[ReadCell]] = {}
    for cell in cells:
        rows.setdefault(cell.key.rsplit(".", 1)[0], []).append(cell)
    out = list(unread)
    for group in rows.values():
        if all(c.value is not None for c in group):
            reading: tuple[CellValue, ...] = tuple(c.value for c in group if c.value is not None)
            out.append(Unread(tuple(c.key for c in group), reason, group[0].origin, (reading,)))
        else:
            out.append(Unread(tuple(c.key for c in group), reason, group[0].origin))
    return out


def _widest(kind: CellKind) -> int:
    """The most characters one value of ``kind`` prints (sign and decimals included)."""
    if kind is CellKind.MONEY:
        return MAX_MONEY_DIGITS + 1 + MONEY_PLACES
    return len(str(MAX_COUNT)) + (kind is CellKind.SIGNED_COUNT)


def _short(text: str, most: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[:most] + "…"


def _decide(
    row: GluedRow,
    result: RowSplits,
    label: str,
    where: Origin,
    unit: str | None,
    tokens: Sequence[str],
    fmt: ReportFormat,
) -> tuple[list[ReadCell], list[Unread]]:
    """One row's cells when its reading is unique, else what the clerk must decide."""
    keys = row.cells
    shown = _short(row.text, 40)
    if len(result.candidates) == 1 and not result.conflict:
        reading = result.candidates[0]
        apart = len(tokens) == len(keys) == len(row.text.split())
        how = How.TEXT if apart else How.SPLIT
        out = []
        for i, (key, value) in enumerate(zip(keys, reading, strict=True)):
            kind = fmt.cells[key].kind
            as_printed = tokens[i] if apart else str(value)
            cell_unit = unit if kind is CellKind.MONEY else None
            out.append(ReadCell(key, _value(value, kind), as_printed, where, how, unit=cell_unit))
        return out, []
    candidates = tuple(
        tuple(_value(v, fmt.cells[k].kind) for k, v in zip(keys, cand, strict=True))
        for cand in result.candidates
    )
    digits = len(re.sub(r"[^0-9]", "", shown))
    if result.unconstrained == 0 and digits < len(keys):
        reason = (
            f"“{label}”行只印有{digits}个数字“{shown}”，应有{len(keys)}格，"
            "无法确定哪一格空白，请按原报告填写"
        )
    elif result.unconstrained == -1:
        reason = f"“{label}”行的数字“{shown}”太长，无法拆分，请按原报告填写"
    elif result.conflict:
        reason = (
            f"“{label}”行的数字“{shown}”无论怎样拆分都与合计不符"
            + (f"（可能的拆分有{result.unconstrained}种）" if result.unconstrained > 1 else "")
            + "，请按原报告核对"
        )
    elif not result.candidates:
        reason = f"“{label}”行的数字“{shown}”无法拆分成{len(keys)}格，请按原报告填写"
    else:
        reason = (
            f"“{label}”行的数字“{shown}”有{len(result.candidates)}种拆分方式"
            + ("（或更多）" if len(result.candidates) >= MAX_CANDIDATES else "")
            + "，请按原报告选择"
        )
    return [], [Unread(keys, reason, where, candidates)]


def _value(value: int | Decimal, kind: CellKind) -> CellValue:
    if kind is CellKind.MONEY:
        return Decimal(value)
    return int(value)


# --- formats ------------------------------------------------------------------------------------


def read_flat(text: str, origin: OriginOf) -> list[TableRead]:
    """The format tables whose rows stand in ``text`` (a page's text with its tables
    flattened), one :class:`TableRead` a table; ``origin(start, end)`` names a span of ``text``.

    Each table is read in the format its labels fit (part 二's column headers, part 三's one or
    three （六） rows); where nothing tells the formats apart, ``fits`` names both."""
    c = _compact(text)
    located: dict[str, dict[str, _Found]] = {}
    for fmt in FORMATS.values():
        for found in _locate(c, fmt):
            located.setdefault(found.table.key, {})[fmt.id] = found
    reads: list[TableRead] = []
    for by_format in located.values():
        scores = {fid: _score(f, by_format) for fid, f in by_format.items()}
        top = max(scores.values())
        fits = [fid for fid, s in scores.items() if s == top]
        # Where the labels do not tell, the reading with fewer rows left open (then the newest
        # format): a 2019 item row of three values does not fit 2021's one cell.
        layouts = {tuple(col.key for col in by_format[fid].table.columns) for fid in fits}
        if len(layouts) == 1:  # the same columns (part 三, part 四): one reading does
            fits_read = [max(fits, key=lambda fid: FORMATS[fid].first_year)]
        else:
            fits_read = fits
        tried = [_read(by_format[fid], c, text, origin) for fid in fits_read]
        read = min(tried, key=lambda r: (len(r.unread), -FORMATS[r.format_id].first_year))
        reads.append(
            TableRead(
                read.table_key,
                read.format_id,
                frozenset(fits),
                read.cells,
                read.unread,
                read.origin,
                read.notes,
            )
        )
    order = [t.key for fmt in FORMATS.values() for t in fmt.tables]
    reads.sort(key=lambda r: order.index(r.table_key))
    return reads


def _score(found: _Found, others: dict[str, _Found]) -> tuple[int, int, int]:
    """How well a format's reading of a table fits: its column headers all printed; rows only
    it has found; rows found."""
    keys = {r.key for r in found.rows}
    exclusive = 0
    for other in others.values():
        if other.fmt.id == found.fmt.id:
            continue
        theirs = {r.key for r in other.table.rows}
        exclusive += len(keys - theirs)
    header = int(_header_columns(found.header, found.fmt, found.table))
    return (header, exclusive, len(keys))
