"""The printed shape of the tables: grids of cells with their spans, as the official form
prints them.  The window, the PDF and the Word file all draw these grids.

Part 三 has three label columns (the vertical group “三、本年度办理结果”, the vertical
sub-groups （三）…（六）, the items) under a corner cell, and a three-row header
(申请人情况 › 法人或其他组织 › …).  Part 四 prints its three rows side by side as column
groups (行政复议 | 行政诉讼 › 未经复议直接起诉, 复议后起诉).  Part 二 stacks its items on one
4-column grid, each with a caption row and a header row.
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass

from model.formats.types import ReportFormat, Row, Table


class Role(enum.Enum):
    CAPTION = "caption"  # 第二十条第（一）项, across the whole grid
    CORNER = "corner"  # top left: 信息内容, or part 三's note on the arithmetic
    HEADER = "header"  # a column label or a column group label
    GROUP = "group"  # a row group label, printed vertically
    LABEL = "label"  # a row label
    VALUE = "value"  # a number: input or derived, see ``key``


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    role: Role
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    key: str | None = None  # the cell key of a VALUE
    vertical: bool = False
    help: str = ""


@dataclass(frozen=True)
class Grid:
    rows: int
    columns: int
    header_rows: int  # rows to repeat when the table breaks across pages
    label_columns: int
    cells: tuple[GridCell, ...]

    def shifted(self, rows: int) -> tuple[GridCell, ...]:
        return tuple(
            GridCell(
                c.row + rows, c.col, c.role, c.text, c.rowspan, c.colspan, c.key, c.vertical, c.help
            )
            for c in self.cells
        )

    def value_cells(self) -> tuple[GridCell, ...]:
        return tuple(c for c in self.cells if c.role is Role.VALUE)


def table_grid(table: Table) -> Grid:
    """The printed grid of one table."""
    return _flat_grid(table) if table.flatten_rows else _matrix_grid(table)


def part_grid(fmt: ReportFormat, part_key: str) -> Grid:
    """The printed grid of a part's tables: ``stacked`` tables (part 二's items) and several
    tables are printed one under another on one grid, each under its caption."""
    tables = [fmt.table(key) for key in fmt.part(part_key).tables]
    if len(tables) == 1 and not tables[0].stacked:
        return table_grid(tables[0])
    cells: list[GridCell] = []
    width = 1 + max(sum(c.span for c in t.columns) for t in tables)
    for table in tables:
        cells.append(GridCell(len_rows(cells), 0, Role.CAPTION, table.caption, colspan=width))
        cells.extend(table_grid(table).shifted(len_rows(cells)))
    return Grid(len_rows(cells), width, 0, 1, tuple(cells))


def len_rows(cells: list[GridCell]) -> int:
    return max((c.row + c.rowspan for c in cells), default=0)


def _matrix_grid(table: Table) -> Grid:
    label_columns = 1 + max(len(r.groups) for r in table.rows)
    depth = {c.key: sum(1 for g in _covering_groups(table, c.key)) for c in table.columns}
    header_rows = 1 + max(depth.values())
    cells = [GridCell(0, 0, Role.CORNER, table.corner, header_rows, label_columns)]
    starts = _column_starts(table, label_columns)
    for level, (label, first, last) in enumerate(table.column_groups):
        top = sum(1 for g in table.column_groups[:level] if _contains(table, g, first))
        span = starts[last] + table.column(last).span - starts[first]
        cells.append(GridCell(top, starts[first], Role.HEADER, label, colspan=span))
    for column in table.columns:
        cells.append(
            GridCell(
                depth[column.key],
                starts[column.key],
                Role.HEADER,
                column.label,
                header_rows - depth[column.key],
                column.span,
                help=column.help,
            )
        )
    cells.extend(_row_labels(table.rows, header_rows, label_columns))
    for i, row in enumerate(table.rows):
        for column in table.columns:
            cells.append(
                GridCell(
                    header_rows + i,
                    starts[column.key],
                    Role.VALUE,
                    colspan=column.span,
                    key=f"{table.key}.{row.key}.{column.key}",
                    help=row.help or column.help,
                )
            )
    width = label_columns + sum(c.span for c in table.columns)
    return Grid(header_rows + len(table.rows), width, header_rows, label_columns, tuple(cells))


def _flat_grid(table: Table) -> Grid:
    """Rows side by side: each row becomes a column group (part 四)."""
    header_rows = 2 + max(len(r.groups) for r in table.rows)
    width = len(table.columns)
    cells: list[GridCell] = []
    for level in range(header_rows - 1):
        for start, run in _runs(table.rows, level):
            if level <= len(run[0].groups):
                label = (*run[0].groups, run[0].label)[level]
                cells.append(
                    GridCell(level, start * width, Role.HEADER, label, colspan=len(run) * width)
                )
    for i, row in enumerate(table.rows):
        top = len(row.groups) + 1
        for j, column in enumerate(table.columns):
            col = i * width + j
            cells.append(
                GridCell(top, col, Role.HEADER, column.label, header_rows - top, help=table.help)
            )
            cells.append(
                GridCell(
                    header_rows,
                    col,
                    Role.VALUE,
                    key=f"{table.key}.{row.key}.{column.key}",
                    help=table.help,
                )
            )
    return Grid(header_rows + 1, width * len(table.rows), header_rows, 0, tuple(cells))


def _runs(rows: tuple[Row, ...], level: int) -> list[tuple[int, list[Row]]]:
    """Consecutive rows sharing their path down to ``level``, with the first row's index."""

    def path(row: Row) -> tuple[str, ...]:
        return (*row.groups, row.label)[: level + 1]

    runs, index = [], 0
    for _, group in itertools.groupby(rows, key=path):
        members = list(group)
        runs.append((index, members))
        index += len(members)
    return runs


def _row_labels(rows: tuple[Row, ...], top: int, label_columns: int) -> list[GridCell]:
    cells = []
    for level in range(label_columns):
        for start, run in _runs(rows, level):
            first = run[0]
            if level < len(first.groups):
                cells.append(
                    GridCell(
                        top + start,
                        level,
                        Role.GROUP,
                        first.groups[level],
                        rowspan=len(run),
                        vertical=True,
                    )
                )
            elif level == len(first.groups):
                cells.append(
                    GridCell(
                        top + start,
                        level,
                        Role.LABEL,
                        first.label,
                        colspan=label_columns - level,
                        help=first.help,
                    )
                )
    return cells


def _column_starts(table: Table, label_columns: int) -> dict[str, int]:
    starts, col = {}, label_columns
    for column in table.columns:
        starts[column.key] = col
        col += column.span
    return starts


def _covering_groups(table: Table, column_key: str) -> list[tuple[str, str, str]]:
    return [g for g in table.column_groups if _contains(table, g, column_key)]


def _contains(table: Table, group: tuple[str, str, str], column_key: str) -> bool:
    keys = [c.key for c in table.columns]
    return keys.index(group[1]) <= keys.index(column_key) <= keys.index(group[2])
