"""A block of cells pasted from Excel or WPS (tab-separated rows) laid onto a printed grid.

Everything is checked before anything is written: every value must fit its cell, the block must
land on cells that can be filled, and a pasted total must agree with the figures it adds up.
Either the whole block goes in or nothing does.
"""

from __future__ import annotations

from model.calc import derived_values
from model.errors import UserError
from model.formats.layout import Grid, GridCell, Role
from model.report import Report
from model.values import CellValue, InvalidValue, parse


class PasteError(UserError, ValueError):
    """Why a block cannot be pasted; ``str()`` is the message for the clerk."""


def split_block(text: str) -> list[list[str]]:
    """Rows of cells as a spreadsheet puts them on the clipboard."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return [line.split("\t") for line in lines]


def plan_paste(
    report: Report, grid: Grid, row: int, col: int, block: list[list[str]]
) -> dict[str, CellValue | None]:
    """The input cells the block fills, from the grid square (row, col) rightwards and down."""
    cover = _cover(grid)
    values: dict[str, CellValue | None] = {}
    totals: dict[str, CellValue] = {}
    for i, line in enumerate(block):
        position = col
        for j, text in enumerate(line):
            cell = cover.get((row + i, position))
            key = _fillable(cell, i, j)
            definition = report.format.cells[key]
            try:
                value = parse(definition.kind, text)
            except InvalidValue as error:
                raise PasteError(f"{_place(report, key)}：{error}") from None
            if definition.derived:
                if value is not None:
                    totals[key] = value
            else:
                values[key] = value
            assert cell is not None
            position = cell.col + cell.colspan
    _check_totals(report, values, totals)
    return values


def _fillable(cell: GridCell | None, i: int, j: int) -> str:
    if cell is None:
        raise PasteError(f"粘贴的内容超出了表格范围（第{i + 1}行第{j + 1}个数）")
    if cell.role is not Role.VALUE or cell.key is None:
        raise PasteError(f"粘贴的第{i + 1}行第{j + 1}个数落在“{cell.text}”上，那里不能填写")
    return cell.key


def _check_totals(
    report: Report, values: dict[str, CellValue | None], totals: dict[str, CellValue]
) -> None:
    """A pasted total (copied along with its row) must be what the pasted figures add up to."""
    if not totals:
        return
    cells = {**report.cells, **values}
    computed = derived_values(report.format, {k: v for k, v in cells.items() if v is not None})
    for key, pasted in totals.items():
        if computed[key] != pasted:
            raise PasteError(
                f"{_place(report, key)}：粘贴的合计为{pasted}，但按各项相加应为{computed[key]}，"
                "请核对后再粘贴"
            )


def _cover(grid: Grid) -> dict[tuple[int, int], GridCell]:
    return {
        (r, c): cell
        for cell in grid.cells
        for r in range(cell.row, cell.row + cell.rowspan)
        for c in range(cell.col, cell.col + cell.colspan)
    }


def _place(report: Report, key: str) -> str:
    cell = report.format.cells[key]
    return report.format.part_of_table(cell.table.key).ordinal + cell.place
