"""The grid path: the official tables in a document's table grids, cell by cell.

A grid may hold one official table, several (part 二 prints its items 第二十条第（一）（五）
（六）（八）（九）项 on one grid, each under a caption row), or part of one (a PDF splits a table
at a page break and may lose its header there).  Each grid row is split into its *label* (the
text cells, joined: 三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密) and its *values* (the
cells after the last text cell, blanks included, in order).  A row is the row of a table whose
label names it (:func:`published.labels.match_row`); a header or caption row names the table that
follows.  Values are mapped to columns by their order within the row, never by the header's
column index (a row's merged cells may differ from its header's): a row with fewer or more
values than the table has columns is left for the clerk, never shifted.

Grids that hold none of the report's tables (五、信息处理费收取情况 of some 2025 reports) are
skipped and named in the notes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from model.formats import FORMATS, Column, ReportFormat, Row, Table
from published.detect import candidates, table_fits
from published.document import Origin, SourceCell, SourceTable
from published.labels import group_variants, match_column, match_row, normalise
from published.numbers import BLANKS, normalise_digits, parse_printed
from published.result import ReadCell, TableRead, Unread

#: A cell that holds one printed value: a number with an optional unit and bracketed note.
_VALUE = re.compile(
    r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?(?:万元|元|万|件|个|起|次|项|条|份|人|宗|家)?(?:\(.*\))?\Z"
)
_SPACE = re.compile(r"\s+")
#: A money unit stated in a column header: 采购总金额（元）, 本年收费金额（单位：万元）.
_HEADER_UNIT = re.compile(r"\((?:单位:)?(万元|元)\)")


def _kind_of(text: str) -> str:
    """ "blank", "value" or "label" for a cell's text."""
    cleaned = _SPACE.sub("", normalise_digits(text))
    if cleaned in BLANKS:
        return "blank"
    return "value" if _VALUE.match(cleaned) else "label"


@dataclass
class _Line:
    """One grid row: its label cells (joined) and the value cells after them."""

    label: str
    labels: list[tuple[int, str]]  # (grid column, text) of the text cells
    values: list[SourceCell]
    origin: Origin
    #: The grid column of each value cell.
    columns: list[int] = field(default_factory=list)


@dataclass
class _Found:
    """The rows and header cells of one official table, gathered over grids."""

    key: str
    origin: Origin
    headers: list[tuple[int, str]] = field(default_factory=list)
    lines: list[_Line] = field(default_factory=list)


def _split(row: Sequence[SourceCell], table: SourceTable) -> _Line:
    kinds = [("covered" if c.covered else _kind_of(c.text)) for c in row]
    # the label ends at the last text cell before the first value: a text cell after it is a
    # value that cannot be read (“二十五”), not more label
    first_value = next((i for i, k in enumerate(kinds) if k == "value"), len(kinds))
    last = max((i for i, k in enumerate(kinds[:first_value]) if k == "label"), default=-1)
    labels = [(i, row[i].text.strip()) for i in range(last + 1) if kinds[i] == "label"]
    at = [i for i in range(last + 1, len(row)) if kinds[i] != "covered"]
    values = [row[i] for i in at]  # text among them: parse_printed says what is wrong
    shown = " | ".join(c.text.strip() for c in row if not c.covered and c.text.strip())
    first = next((c for c in row if not c.covered), None)
    where = first.origin.where if first is not None else table.origin.where
    origin = Origin(where, shown[:120])
    return _Line("".join(t for _, t in labels), labels, values, origin, at)


def _tables() -> list[tuple[ReportFormat, Table]]:
    return [(f, t) for f in FORMATS.values() for t in f.tables]


def _row_key_anywhere(label: str, context: str | None) -> str | None:
    """The table a data row's label belongs to: the current one if it has the row, else the
    one table (in any format) that has it; None when none or several do."""
    if context is not None and any(match_row(label, f, context) for f in candidates(context)):
        return context
    keys = {t.key for f, t in _tables() if match_row(label, f, t.key)}
    return keys.pop() if len(keys) == 1 else None


def _in_flattened(label: str, context: str | None) -> str | None:
    """``context`` when it is printed transposed (part 四 with a row per column: 结果维持 | 2 |
    0 | 13) and ``label`` names one of its columns."""
    if context is None or not _flattened(context):
        return None
    fitting = (match_column(label, f, context, loose=False) for f in candidates(context))
    return context if any(fitting) else None


def _header_key(texts: Sequence[str], context: str | None) -> str | None:
    """The table a header or caption row announces, if it says (else None)."""
    votes: dict[str, int] = {}
    for text in texts:
        norm = normalise(text)
        if not norm:
            continue
        for _fmt, table in _tables():
            caption = normalise(table.caption)
            if table.stacked and caption in norm:
                return table.key
        hits = set()
        for fmt, table in _tables():
            if (
                match_column(text, fmt, table.key, loose=False)
                or norm in group_variants(table)
                or (table.corner and normalise(table.corner) == norm)
                or match_row(text, fmt, table.key) is not None
                or (not table.stacked and normalise(table.caption) in norm)
            ):
                hits.add(table.key)
        for key in hits:
            votes[key] = votes.get(key, 0) + 1
    if not votes:
        return None
    top = max(votes.values())
    best = [k for k, n in votes.items() if n == top]
    if context in best:
        return context
    return best[0] if len(best) == 1 else None


def _flattened(key: str) -> bool:
    return any(t.flatten_rows for f, t in _tables() if t.key == key)


def read_tables(tables: Sequence[SourceTable]) -> list[TableRead]:
    """The official tables in ``tables`` (grids in reading order), one :class:`TableRead` per
    table found (a part 二 item is a table)."""
    found: dict[str, _Found] = {}
    ignored: list[str] = []
    context: str | None = None
    for grid in tables:
        if grid.width < 2:
            continue  # a PDF's page frame taken for a table
        recognised = False
        has_values = False
        for index, row in enumerate(grid.rows):
            line = _split(row, grid)
            if not line.labels and not line.values:
                continue
            has_values = has_values or any(_kind_of(c.text) == "value" for c in line.values)
            key = None
            if line.values and line.label:
                key = _in_flattened(line.label, context) or _row_key_anywhere(line.label, context)
            if (
                key is None
                and context is not None
                and _flattened(context)
                and line.values
                and (index > 0 or not line.label)  # a new grid with a label of its own
            ):
                key = context  # part 四 printed as one row of values
            if key is not None:
                context = key
                found.setdefault(key, _Found(key, grid.origin)).lines.append(line)
                recognised = True
                continue
            announced = _header_key([t for _, t in line.labels], context)
            if announced is None and index == 0:
                context = None  # a new grid that does not continue the last table
            elif announced is not None:
                context = announced
            if context is not None and announced is not None:
                found.setdefault(context, _Found(context, grid.origin)).headers.extend(line.labels)
                recognised = True
        if not recognised and has_values:
            ignored.append(_describe(grid))
    reads = [_read(f) for f in found.values()]
    if ignored and reads:
        notes = tuple(f"忽略了一个不属于年报格式的表格：{what}" for what in ignored)
        first = reads[0]
        reads[0] = TableRead(
            first.table_key,
            first.format_id,
            first.fits,
            first.cells,
            first.unread,
            first.origin,
            (*first.notes, *notes),
        )
    return reads


def _describe(grid: SourceTable) -> str:
    texts = [c.text.strip() for r in grid.rows for c in r if not c.covered and c.text.strip()]
    return " ".join(texts)[:40] or grid.origin.where


# ---------------------------------------------------------------------------- one table


def _trimmed(line: _Line, expected: int, start: int | None) -> list[SourceCell]:
    """The values of ``line`` where it prints more than ``expected``: without blank cells left
    of the table's first value column ``start`` (a blank label cell: “（六）其他处理 | 空 | 0 …”)
    and blank cells after the last value (a grid wider than the table)."""
    pairs = list(zip(line.columns, line.values, strict=True))
    while (
        len(pairs) > expected and start is not None and pairs[0][0] < start and _blank(pairs[0][1])
    ):
        pairs.pop(0)
    if len(pairs) > expected and start is None and _blank(pairs[0][1]):
        # Blank at both ends and no row to tell where the values start: a blank label cell
        # and a blank 总计, or a grid wider than the table?  Either reading shifts a column.
        return [c for _, c in pairs]
    while len(pairs) > expected and _blank(pairs[-1][1]):
        pairs.pop()
    return [c for _, c in pairs]


def _printed(line: _Line) -> str:
    """A grid row's values as printed, for telling two printings of a row apart."""
    return " ".join(cell.text.strip() for cell in line.values)


def _blank(cell: SourceCell) -> bool:
    return _kind_of(cell.text) == "blank"


def _read(found: _Found) -> TableRead:
    labels = [line.label for line in found.lines if line.label]
    widths = [len(line.values) for line in found.lines if line.label]
    fits, best = table_fits(found.key, [t for _, t in found.headers], labels, widths)
    assert best is not None  # found only for keys some format has
    fmt = FORMATS[best]
    table = fmt.table(found.key)
    out = _Out(fmt, table, found)
    if table.flatten_rows:
        out.flattened()
    else:
        out.by_rows()
    return TableRead(
        found.key,
        fmt.id,
        fits,
        tuple(out.cells),
        tuple(out.unread),
        found.origin,
        tuple(dict.fromkeys(out.notes)),
    )


class _Out:
    """The cells of one table as they are read."""

    def __init__(self, fmt: ReportFormat, table: Table, found: _Found) -> None:
        self.fmt = fmt
        self.table = table
        self.found = found
        self.cells: list[ReadCell] = []
        self.unread: list[Unread] = []
        self.notes: list[str] = []
        self.units = self._header_units()
        self.order_unknown = False  # set by _printed_columns
        self.columns = self._printed_columns()
        # the grid column where a full row's values start (rows with a blank label cell are
        # trimmed to it)
        starts = [
            line.columns[0]
            for line in found.lines
            if line.columns and len(line.values) == len(table.columns)
        ]
        self.start = max(set(starts), key=starts.count) if starts else None

    def _header_units(self) -> dict[str, str]:
        """Money units the header states per column (采购总金额（元）)."""
        units: dict[str, str] = {}
        for _, text in self.found.headers:
            unit = _HEADER_UNIT.search(normalise(text))
            if unit is None:
                continue
            column = match_column(text, self.fmt, self.table.key)
            if column is not None:
                units[column] = unit.group(1)
        return units

    def _where(self) -> str:
        return f"{self.fmt.part_of_table(self.table.key).ordinal}{self.table.caption}"

    # -- part 二 and 三: one grid row per row of the format

    def by_rows(self) -> None:
        seen: dict[str, _Line] = {}
        disputed: dict[str, list[_Line]] = {}
        for line in self.found.lines:
            key = match_row(line.label, self.fmt, self.table.key)
            if key is None:
                self.notes.append(
                    f"{self._where()}中“{line.label}”一行不属于{self.fmt.id}年格式，未读取"
                )
                continue
            if key in seen:
                if _printed(line) != _printed(seen[key]):
                    disputed.setdefault(key, [seen[key]]).append(line)
                continue
            seen[key] = line
            self._row(self.table.row(key), line)
        for key, lines in disputed.items():
            self._disputed(self.table.row(key), lines)

    def _disputed(self, row: Row, lines: list[_Line]) -> None:
        """A row printed twice with other figures (another table with the same row names, an
        attachment repeated): which one is the report's is for the clerk."""
        prefix = f"{self.table.key}.{row.key}."
        self.cells = [c for c in self.cells if not c.key.startswith(prefix)]
        self.unread = [u for u in self.unread if not all(k.startswith(prefix) for k in u.keys)]
        keys = tuple(
            f"{prefix}{c.key}"
            for c in self.columns
            if not self.fmt.cells[f"{prefix}{c.key}"].derived
        )
        readings = "；".join(f"“{_printed(line)}”（{line.origin.where}）" for line in lines)
        reason = f"{self._where()}“{row.label}”一行在原文中出现了{len(lines)}次，数值不同：{readings}，请确认哪一个是本报告的"
        if keys:
            self.unread.append(Unread(keys, reason, lines[0].origin))

    def _printed_columns(self) -> tuple[Column, ...]:
        """The columns in the order the header prints them, where it names each exactly once
        (else the format's order)."""
        order: list[str] = []
        places: dict[str, int] = {}
        for place, text in sorted(self.found.headers, key=lambda h: h[0]):
            key = match_column(text, self.fmt, self.table.key, loose=False)
            if key is not None and key not in order:
                order.append(key)
                places[key] = place
        if sorted(order) != sorted(c.key for c in self.table.columns):
            known = [c.key for c in self.table.columns if c.key in order]
            if order != known or not self._in_their_places(places):
                # Some columns named in another order, others not recognised: where the
                # unnamed ones stand is unknown, so no value can be placed for sure.
                self.order_unknown = True
            return self.table.columns
        if order != [c.key for c in self.table.columns]:
            self.notes.append(f"{self._where()}的列顺序与格式不同，已按表头顺序读取")
        return tuple(self.table.column(key) for key in order)

    def _row(self, row: Row, line: _Line) -> None:
        columns = self.columns
        values = _trimmed(line, len(columns), self.start)
        origin = line.origin
        if self.order_unknown:
            self._order_unknown(row, columns, origin)
            return
        if len(values) != len(columns):
            self._miscount(row, columns, len(values), origin)
            return
        for column, cell in zip(columns, values, strict=True):
            self._cell(row, column, cell)

    def _in_their_places(self, places: dict[str, int]) -> bool:
        """Whether the columns the header names stand where the format's order puts them
        (counted from the first one named): a column named otherwise (科研单位) and printed
        elsewhere would shift its neighbours."""
        offsets: dict[str, int] = {}
        at = 0
        for column in self.table.columns:
            offsets[column.key] = at
            at += column.span
        bases = {places[key] - offsets[key] for key in places}
        return len(bases) <= 1

    def _order_unknown(self, row: Row, columns: Sequence[Column], origin: Origin) -> None:
        keys = tuple(
            f"{self.table.key}.{row.key}.{c.key}"
            for c in columns
            if not self.fmt.cells[f"{self.table.key}.{row.key}.{c.key}"].derived
        )
        reason = (
            f"{self._where()}的表头列顺序与格式不同，且有列名无法识别，"
            f"无法确定“{row.label}”一行各数值属于哪一列，请对照原文填写"
        )
        if keys:
            self.unread.append(Unread(keys, reason, origin))

    def _miscount(self, row: Row, columns: Sequence[Column], printed: int, origin: Origin) -> None:
        keys = tuple(
            f"{self.table.key}.{row.key}.{c.key}"
            for c in columns
            if not self.fmt.cells[f"{self.table.key}.{row.key}.{c.key}"].derived
        )
        more = "多于" if printed > len(columns) else "少于"
        reason = (
            f"{self._where()}“{row.label}”一行印有{printed}个数值，{more}应有的{len(columns)}个，"
            "无法确定每个数值属于哪一列，请对照原文填写"
        )
        if keys:
            self.unread.append(Unread(keys, reason, origin))
        else:
            self.notes.append(reason.replace("请对照原文填写", "合计由各项计算"))

    def _cell(self, row: Row, column: Column, cell: SourceCell) -> None:
        key = f"{self.table.key}.{row.key}.{column.key}"
        try:
            printed = parse_printed(cell.text, column.kind)
        except ValueError as error:
            reason = f"{self._where()}“{row.label}”行“{column.label}”列：{error}"
            if self.fmt.cells[key].derived:
                self.notes.append(reason + "（合计由各项计算）")
            else:
                self.unread.append(Unread((key,), reason, cell.origin))
            return
        unit = printed.unit
        if unit is None and printed.value is not None:
            unit = self.units.get(column.key)
        self.cells.append(
            ReadCell(
                key,
                printed.value,
                cell.text.strip(),
                cell.origin,
                note=printed.note,
                unit=unit,
            )
        )

    # -- part 四: 3 groups × 5 values on one row, or one row per group, or transposed

    def flattened(self) -> None:
        rows = self._header_order([r.key for r in self.table.rows])
        columns = self._column_order()
        done: set[str] = set()
        flat_used = False
        for line in self.found.lines:
            if all(_blank(c) for c in line.values):
                continue  # a header row with empty cells, or nothing printed: nothing to read
            row_key = match_row(line.label, self.fmt, self.table.key) if line.label else None
            column_key = (
                match_column(line.label, self.fmt, self.table.key, loose=False)
                if line.label and row_key is None
                else None
            )
            if row_key is not None and row_key not in done:
                done.add(row_key)
                row = self.table.row(row_key)
                order = columns[rows.index(row_key)]
                self._row_ordered(row, order, line)
            elif column_key is not None and column_key not in done:
                done.add(column_key)
                self._column_line(column_key, rows, line)
            elif row_key is None and column_key is None and not flat_used:
                flat_used = True
                self._flat_line(rows, columns, line)

    def _header_order(self, default: list[str]) -> list[str]:
        """The rows in the order the header prints their groups (行政复议 | 未经复议… | 复议后…)."""
        first: dict[str, int] = {}
        for col, text in self.found.headers:
            key = match_row(text, self.fmt, self.table.key)
            if key is not None and key in default:
                first.setdefault(key, col)
        if set(first) == set(default) and len(set(first.values())) == len(first):
            return sorted(default, key=lambda k: first[k])
        return default

    def _column_order(self) -> list[list[str]]:
        """Per row group, the columns in printed order (the format's order unless the header
        prints a full, different one)."""
        keys = [c.key for c in self.table.columns]
        n = len(self.table.rows)
        printed = [
            key
            for _, text in sorted(self.found.headers, key=lambda h: h[0])
            if (key := match_column(text, self.fmt, self.table.key, loose=False)) is not None
        ]
        if len(printed) == n * len(keys) and all(
            sorted(printed[i * len(keys) : (i + 1) * len(keys)]) == sorted(keys) for i in range(n)
        ):
            return [printed[i * len(keys) : (i + 1) * len(keys)] for i in range(n)]
        return [keys] * n

    def _row_ordered(self, row: Row, order: list[str], line: _Line) -> None:
        values = _trimmed(line, len(order), None)
        if len(values) != len(order):
            self._miscount(row, self.table.columns, len(values), line.origin)
            return
        for column_key, cell in zip(order, values, strict=True):
            self._cell(row, self.table.column(column_key), cell)

    def _column_line(self, column_key: str, rows: list[str], line: _Line) -> None:
        column = self.table.column(column_key)
        if len(line.values) != len(rows):
            keys = tuple(
                f"{self.table.key}.{r}.{column_key}"
                for r in rows
                if not self.fmt.cells[f"{self.table.key}.{r}.{column_key}"].derived
            )
            reason = (
                f"{self._where()}“{column.label}”印有{len(line.values)}个数值，应有{len(rows)}个，"
                "无法确定每个数值属于哪一项，请对照原文填写"
            )
            if keys:
                self.unread.append(Unread(keys, reason, line.origin))
            return
        for row_key, cell in zip(rows, line.values, strict=True):
            self._cell(self.table.row(row_key), column, cell)

    def _flat_line(self, rows: list[str], columns: list[list[str]], line: _Line) -> None:
        expected = sum(len(c) for c in columns)
        values = _trimmed(line, expected, None)
        if len(values) != expected:
            keys = tuple(k for k in self.fmt.input_keys if k.startswith(f"{self.table.key}."))
            more = "多于" if len(values) > expected else "少于"
            reason = (
                f"{self._where()}印有{len(values)}个数值，{more}应有的{expected}个，"
                "无法确定每个数值属于哪一项，请对照原文填写"
            )
            self.unread.append(Unread(keys, reason, line.origin))
            return
        cells = iter(values)
        for row_key, order in zip(rows, columns, strict=True):
            row = self.table.row(row_key)
            for column_key in order:
                self._cell(row, self.table.column(column_key), next(cells))
