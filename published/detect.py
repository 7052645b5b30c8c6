"""Which format a published report is in, from its tables' labels (the year only as a tie-break).

A table *fits* a format when the labels it prints (row labels and column headers) are that
format's: 2019's part 二 prints 本年新制作数量 and 上一年项目数量, 2021's 本年制发件数 and
本年处理决定数量; 2019's part 三 has one （六）其他处理 row, 2021's three.  Nothing here names a
label: the labels come from :data:`model.formats.FORMATS`, so a third format is detected as soon
as it is registered.  Real reports mix formats (a 2021 part 二 above a 2019 part 三) and use a
format that does not fit their year; both are said in the notes, in Chinese, for the clerk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from model.formats import FORMATS, ReportFormat, format_for_year
from published.labels import match_column, match_row, normalise, row_variants
from published.result import TableRead


def candidates(table_key: str) -> list[ReportFormat]:
    """The registered formats that have a table ``table_key``."""
    return [f for f in FORMATS.values() if any(t.key == table_key for t in f.tables)]


def table_fits(
    table_key: str, headers: Iterable[str], labels: Iterable[str], widths: Iterable[int] = ()
) -> tuple[frozenset[str], str | None]:
    """The formats whose labels a table prints, and the one it fits best.

    ``headers`` are the texts of its header cells, ``labels`` its data rows' labels, ``widths``
    how many values its data rows print (a 2021 part 二 row prints one value where 2019's
    prints three: evidence where a page break lost the header).  A label
    that one format has and another lacks counts against the other; labels no format has (a
    note, a stray footer) count for none.  The formats with the fewest contradictions fit; of
    them the one with the most labels of its own is the best (None when no format has the
    table)."""
    formats = candidates(table_key)
    labels = list(labels)
    if not formats:
        return frozenset(), None
    against = {f.id: 0 for f in formats}
    support = {f.id: 0 for f in formats}

    def weigh(fitting: set[str]) -> None:
        if not fitting:
            return
        for f in formats:
            if f.id in fitting:
                support[f.id] += 1
            else:
                against[f.id] += 1

    for label in labels:
        weigh({f.id for f in formats if match_row(label, f, table_key) is not None})
    for header in headers:
        weigh({f.id for f in formats if match_column(header, f, table_key, loose=False)})
    for width in widths:
        weigh(
            {
                f.id
                for f in formats
                if not f.table(table_key).flatten_rows and len(f.table(table_key).columns) == width
            }
        )
    fewest = min(against.values())
    fits = [f for f in formats if against[f.id] == fewest]
    best = max(fits, key=lambda f: (support[f.id], -_missing_rows(f, table_key, labels)))
    return frozenset(f.id for f in fits), best.id


def _missing_rows(fmt: ReportFormat, table_key: str, labels: Iterable[str]) -> int:
    found = {match_row(label, fmt, table_key) for label in labels}
    return len(set(row_variants(fmt, table_key)) - found)


# ---------------------------------------------------------------------------- the report


def choose_format(
    reads: Sequence[TableRead], year: int | None
) -> tuple[ReportFormat, tuple[str, ...]]:
    """The report's format from its tables, and notes when its tables disagree with each
    other (a hybrid) or with the year.

    Part 二 weighs most (its headers differ between formats in every item), then part 三, then
    part 四; the year decides only between formats the tables fit equally."""
    by_part: dict[str, list[TableRead]] = {}
    for read in reads:
        part = _part_of(read.table_key)
        if part is not None and (read.cells or read.unread) and read.fits:
            by_part.setdefault(part, []).append(read)
    order = sorted(by_part, key=_part_rank)
    remaining = list(FORMATS.values())
    decided_by: dict[str, frozenset[str]] = {}
    for part in order:
        fits = _common_fits(by_part[part])
        narrowed = [f for f in remaining if f.id in fits]
        if narrowed:
            remaining = narrowed
        decided_by[part] = fits
    chosen = _tie_break(remaining, reads, year)
    notes: list[str] = []
    # the parts that do not fit the chosen format (a hybrid)
    own = _part_label(order[0], chosen) if order else ""
    for part in order:
        fits = decided_by[part]
        if chosen.id in fits:
            continue
        notes.append(
            f"{own}为{chosen.id}年格式，{_part_label(part, chosen)}{_why(by_part[part], chosen)}"
        )
    if year is not None and not chosen.fits_year(year):
        notes.append(f"{year}年度的报告使用了{chosen.id}年格式")
    if not by_part:
        origin = f"按{year}年度" if year is not None else "按当前年度"
        notes.append(f"表格中没有区分格式的内容，{origin}采用{chosen.id}年格式")
    return chosen, tuple(notes)


def _common_fits(reads: Sequence[TableRead]) -> frozenset[str]:
    """The formats every table of a part fits; if none, those most of them fit."""
    common = frozenset.intersection(*(r.fits for r in reads))
    if common:
        return common
    counts: dict[str, int] = {}
    for read in reads:
        for fid in read.fits:
            counts[fid] = counts.get(fid, 0) + 1
    top = max(counts.values())
    return frozenset(fid for fid, n in counts.items() if n == top)


def _tie_break(
    formats: Sequence[ReportFormat], reads: Sequence[TableRead], year: int | None
) -> ReportFormat:
    """Of formats the tables fit alike: the year's, then the one lacking fewest printed rows."""
    if len(formats) == 1:
        return formats[0]
    when = year if year is not None else dt.date.today().year - 1
    formats = [f for f in formats if f.fits_year(when)] or list(formats)
    printed = {(r.table_key, cell.key.split(".")[1]) for r in reads for cell in r.cells} | {
        (r.table_key, key.split(".")[1]) for r in reads for u in r.unread for key in u.keys
    }

    def missing(fmt: ReportFormat) -> int:
        keys = {r.table_key for r in reads if any(t.key == r.table_key for t in fmt.tables)}
        return sum(
            1
            for key in keys
            for row in fmt.table(key).rows
            if not row.derived and (key, row.key) not in printed
        )

    least = min(missing(f) for f in formats)
    formats = [f for f in formats if missing(f) == least]
    if len(formats) == 1:
        return formats[0]
    preferred = format_for_year(when)
    if preferred in formats:
        return preferred
    return min(formats, key=lambda f: abs(f.first_year - when))


def _part_of(table_key: str) -> str | None:
    for fmt in FORMATS.values():
        for table in fmt.tables:
            if table.key == table_key:
                return table.part
    return None


def _part_rank(part: str) -> int:
    """Part 二 first (it weighs most), then the others in the report's order."""
    for fmt in FORMATS.values():
        keys = [p.key for p in fmt.parts]
        if part in keys:
            return keys.index(part)
    return 99


def _part_label(part: str, fmt: ReportFormat) -> str:
    try:
        return fmt.part(part).ordinal
    except KeyError:
        return part


def _why(reads: Sequence[TableRead], chosen: ReportFormat) -> str:
    """Why a part's tables are in another format: a row that is a group of several rows in the
    chosen format (“（六）其他处理”只有一行), or simply which format they are in."""
    for read in reads:
        other_id = min(read.fits)
        other = FORMATS.get(other_id)
        if other is None or not any(t.key == read.table_key for t in chosen.tables):
            continue
        groups = {normalise(g) for row in chosen.table(read.table_key).rows for g in row.groups}
        printed = {c.key.split(".")[1] for c in read.cells} | {
            k.split(".")[1] for u in read.unread for k in u.keys
        }
        for row in other.table(read.table_key).rows:
            if normalise(row.label) in groups and row.key in printed:
                return f"“{row.label}”只有一行（{other_id}年格式）"
    ids = "、".join(sorted({fid for r in reads for fid in r.fits}))
    return f"为{ids}年格式"
