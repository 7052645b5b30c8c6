"""Blocks pasted onto the printed grids: all or nothing, every value checked."""

from __future__ import annotations

import pytest

from model.formats.layout import part_grid
from model.paste import PasteError, plan_paste, split_block
from model.report import Report


def _report() -> Report:
    return Report("2019", "某某镇人民政府", 2019)


def _at(report: Report, part: str, key: str) -> tuple[int, int]:
    grid = part_grid(report.format, part)
    cell = next(c for c in grid.cells if c.key == key)
    return cell.row, cell.col


def test_split_block_as_excel_puts_it_on_the_clipboard() -> None:
    assert split_block("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]
    assert split_block("7") == [["7"]]
    assert split_block("1\t\t3\n") == [["1", "", "3"]]


def test_a_block_fills_rightwards_and_down() -> None:
    report = _report()
    grid = part_grid(report.format, "requests")
    row, col = _at(report, "requests", "requests.new.research")
    values = plan_paste(report, grid, row, col, split_block("1\t2\n3\t"))
    assert values == {
        "requests.new.research": 1,
        "requests.new.nonprofit": 2,
        "requests.carried_in.research": 3,
        "requests.carried_in.nonprofit": None,  # an empty cell in the block clears
    }


def test_spanned_cells_take_one_value() -> None:
    report = _report()
    grid = part_grid(report.format, "active")
    row, col = _at(report, "active", "art20_9.procurement.projects")
    values = plan_paste(report, grid, row, col, [["9", "67.74"]])
    assert str(values["art20_9.procurement.amount"]) == "67.74"


def test_a_pasted_total_must_add_up() -> None:
    report = _report()
    grid = part_grid(report.format, "appeals")
    row, col = _at(report, "appeals", "appeals.review.upheld")
    ok = plan_paste(report, grid, row, col, [["1", "2", "0", "0", "3"]])
    assert "appeals.review.total" not in ok and ok["appeals.review.corrected"] == 2
    with pytest.raises(PasteError, match="粘贴的合计为4，但按各项相加应为3"):
        plan_paste(report, grid, row, col, [["1", "2", "0", "0", "4"]])


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ([["1", "x"]], "“x”不是整数"),
        ([["1"] * 9], "超出了表格范围"),
        ([["1"], ["1"], ["1"]], "超出了表格范围"),
    ],
)
def test_bad_blocks_are_refused_with_a_reason(block: list[list[str]], message: str) -> None:
    report = _report()
    grid = part_grid(report.format, "appeals")
    row, col = _at(report, "appeals", "appeals.suit_after_review.other")
    with pytest.raises(PasteError, match=message):
        plan_paste(report, grid, row, col, block)


def test_a_block_landing_on_labels_is_refused() -> None:
    report = _report()
    grid = part_grid(report.format, "requests")
    row, _col = _at(report, "requests", "requests.handled.natural")
    with pytest.raises(PasteError, match="落在“四、结转下年度继续办理”上，那里不能填写"):
        plan_paste(report, grid, row + 1, 0, [["1"]])
