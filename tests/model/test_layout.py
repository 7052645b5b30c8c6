"""The printed grids: every grid square covered exactly once, and the official shapes."""

from __future__ import annotations

import pytest

from model.formats import FORMATS, get_format
from model.formats.layout import Grid, GridCell, Role, part_grid

TABLE_PARTS = ("active", "requests", "appeals")


def _cover(grid: Grid) -> dict[tuple[int, int], GridCell]:
    covered: dict[tuple[int, int], GridCell] = {}
    for cell in grid.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                assert (r, c) not in covered, f"{cell} overlaps {covered[(r, c)]}"
                covered[(r, c)] = cell
    return covered


@pytest.mark.parametrize("format_id", sorted(FORMATS))
@pytest.mark.parametrize("part", TABLE_PARTS)
def test_every_square_is_covered_once(format_id: str, part: str) -> None:
    grid = part_grid(get_format(format_id), part)
    assert len(_cover(grid)) == grid.rows * grid.columns


@pytest.mark.parametrize("format_id", sorted(FORMATS))
def test_every_cell_of_the_format_is_printed_once(format_id: str) -> None:
    fmt = get_format(format_id)
    keys = [c.key for p in TABLE_PARTS for c in part_grid(fmt, p).value_cells()]
    assert sorted(keys) == sorted(fmt.cells)


def _text_at(grid: Grid, row: int, col: int) -> str:
    return _cover(grid)[(row, col)].text


def test_requests_header_as_the_official_table() -> None:
    grid = part_grid(get_format("2021"), "requests")
    assert (grid.columns, grid.header_rows, grid.label_columns) == (10, 3, 3)
    corner = _cover(grid)[(0, 0)]
    assert corner.role is Role.CORNER and (corner.rowspan, corner.colspan) == (3, 3)
    assert "第一项加第二项之和，等于第三项加第四项之和" in corner.text
    assert _text_at(grid, 0, 3) == "申请人情况" and _cover(grid)[(0, 3)].colspan == 7
    natural = _cover(grid)[(1, 3)]
    assert natural.text == "自然人" and natural.rowspan == 2
    assert _text_at(grid, 1, 4) == "法人或其他组织" and _cover(grid)[(1, 4)].colspan == 5
    assert [_text_at(grid, 2, c) for c in range(4, 9)] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    assert _text_at(grid, 1, 9) == "总计" and _cover(grid)[(1, 9)].rowspan == 2


@pytest.mark.parametrize(("format_id", "other_rows"), [("2019", 1), ("2021", 3)])
def test_requests_vertical_groups(format_id: str, other_rows: int) -> None:
    grid = part_grid(get_format(format_id), "requests")
    groups = {c.text: c for c in grid.cells if c.role is Role.GROUP}
    assert all(c.vertical for c in groups.values())
    results = groups["三、本年度办理结果"]
    assert (results.col, results.rowspan) == (0, 2 + 8 + 3 + 5 + other_rows + 1)
    assert groups["（三）不予公开"].rowspan == 8
    assert groups["（四）无法提供"].rowspan == 3
    assert groups["（五）不予处理"].rowspan == 5
    assert ("（六）其他处理" in groups) == (format_id == "2021")
    new = next(c for c in grid.cells if c.text.startswith("一、本年新收"))
    assert new.colspan == 3
    handled = next(c for c in grid.cells if c.text == "（七）总计")
    assert (handled.col, handled.colspan) == (1, 2)


def test_appeals_prints_one_row_under_a_three_level_header() -> None:
    grid = part_grid(get_format("2019"), "appeals")
    assert (grid.rows, grid.columns, grid.header_rows) == (4, 15, 3)
    top = [c for c in grid.cells if c.row == 0]
    assert [(c.text, c.colspan) for c in top] == [("行政复议", 5), ("行政诉讼", 10)]
    assert _text_at(grid, 1, 5) == "未经复议直接起诉" and _text_at(grid, 1, 10) == "复议后起诉"
    assert _cover(grid)[(1, 0)].text == "结果维持" and _cover(grid)[(1, 0)].rowspan == 2
    values = [c.key for c in grid.cells if c.row == 3]
    assert values[0] == "appeals.review.upheld" and values[-1] == "appeals.suit_after_review.total"


def test_active_stacks_items_with_captions() -> None:
    grid = part_grid(get_format("2019"), "active")
    captions = [c.text for c in grid.cells if c.role is Role.CAPTION]
    assert captions == [f"第二十条第（{n}）项" for n in "一五六八九"]
    assert all(c.colspan == 4 for c in grid.cells if c.role is Role.CAPTION)
    amount = next(c for c in grid.cells if c.key == "art20_9.procurement.amount")
    assert amount.colspan == 2
    fee = next(c for c in grid.cells if c.key == "art20_8.fees.change")
    assert fee.colspan == 2
    corners = [c.text for c in grid.cells if c.role is Role.CORNER]
    assert corners == ["信息内容"] * 5
