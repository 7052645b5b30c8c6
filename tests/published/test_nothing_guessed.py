"""The pipeline's own guards against a wrong number: a value in a unit its column does not take,
figures after a placeholder in a table's last row, a row or table not found — each goes to the
clerk, never into the report as a figure or a silent blank.  (Inputs: sample 07, 金井 2021, with
one place changed as other published reports print it.)"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from published.pipeline import read_published_text

PAGE = Path(__file__).resolve().parents[1] / "data" / "published" / "samples" / "07-jinjing-2021"
TEXT = (PAGE / "page.txt").read_text(encoding="utf-8")


def _read(old: str, new: str):  # type: ignore[no-untyped-def]
    assert old in TEXT
    return read_published_text(TEXT.replace(old, new, 1))


def test_a_fee_printed_in_yuan_is_not_stored_as_wan_yuan() -> None:
    imported = _read("行政事业性收费0", "行政事业性收费41662416元")
    key = "art20_8.fees.amount"
    assert key not in imported.report.cells
    (item,) = [u for u in imported.unread if key in u.keys]
    assert item.candidates == ((Decimal("4166.2416"),),)
    assert "元" in item.reason and "万元" in item.reason


def test_figures_after_a_placeholder_in_a_last_row_are_not_blanks() -> None:
    imported = _read("行政强制0", "行政强制/ / 5")
    key = "art20_6.coercion.decisions"
    assert key not in imported.report.cells
    assert imported.cells.get(key) is None
    assert any(key in u.keys for u in imported.unread)


def test_a_row_not_found_is_for_the_clerk_not_a_blank() -> None:
    imported = _read("行政许可0", "")
    key = "art20_5.licensing.decisions"
    assert key not in imported.report.cells
    (item,) = [u for u in imported.unread if key in u.keys]
    assert "没有找到" in item.reason


def test_a_table_not_found_is_for_the_clerk() -> None:
    start = TEXT.index("四、政府信息公开行政复议")
    end = TEXT.index("五、存在的主要问题")
    imported = read_published_text(TEXT[:start] + TEXT[end:])
    keys = {k for u in imported.unread for k in u.keys}
    assert "appeals.review.upheld" in keys
    assert not any(k.startswith("appeals.") for k in imported.report.cells)


VARIANTS = Path(__file__).resolve().parents[1] / "data" / "published" / "variants"


def test_columns_named_otherwise_and_printed_elsewhere_are_not_placed_by_guess() -> None:
    """Part 三 with 科研机构 printed before 商业企业 and called 科研单位 (our own web page of the
    2021 sample, the header changed as a unit might): no value of the table is placed."""
    from published.pipeline import read_published

    imported = read_published(VARIANTS / "F1_colswap_variant_header.html")
    assert not any(k.startswith("requests.") for k in imported.report.cells)
    assert any("列顺序" in u.reason for u in imported.unread)


def test_a_blank_spacer_column_and_blank_totals_do_not_shift_the_values() -> None:
    """An empty cell between the labels and 自然人 in every row, 总计 printed blank: reading it
    either way would shift a column, so part 三 goes to the clerk."""
    from published.pipeline import read_published

    imported = read_published(VARIANTS / "F4_spacer_col_blank_total.html")
    assert not any(k.startswith("requests.") for k in imported.report.cells)
    assert any(k.startswith("requests.") for u in imported.unread for k in u.keys)


def test_another_table_with_the_same_row_names_does_not_replace_the_reports() -> None:
    """A 双公示 table in part 一 with rows 行政许可/行政处罚/行政强制 and other figures than
    第二十条's: which figure is the report's is for the clerk, with both readings named."""
    from published.pipeline import read_published

    imported = read_published(VARIANTS / "F3_shuanggongshi_table.html")
    for key in ("art20_5.licensing.decisions", "art20_6.penalty.decisions"):
        assert key not in imported.report.cells
        (item,) = [u for u in imported.unread if key in u.keys]
        assert "出现了2次" in item.reason
