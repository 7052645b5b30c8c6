"""Format detection from the tables' labels: 2019, 2021, hybrids, a format that does not fit
the year, and a third format that exists only in the tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from model.formats import ReportFormat
from published.detect import choose_format, table_fits
from published.result import TableRead
from published.tables import read_tables
from tests.published.test_tables import PART2_2021, PART3_2021, PART4, _r, grid
from tests.third_format import FORMAT_ID, NEW_ROW_LABEL, registered

PART2_2019 = [
    ["第二十条第（一）项", "~", "~", "~"],
    ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
    ["规章", "0", "0", "0"],
    ["规范性文件", "3", "3", "25"],
    ["第二十条第（五）项", "~", "~", "~"],
    ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
    ["行政许可", "20", "1", "1200"],
    ["其他对外管理服务事项", "0", "0", "0"],
    ["第二十条第（九）项", "~", "~", "~"],
    ["信息内容", "采购项目数量", "采购总金额", "~"],
    ["政府集中采购", "2", "152.2", "~"],
]
#: Part 三 with the single 2019 （六）其他处理 row.
PART3_2019 = [
    *PART3_2021[:23],
    ["~", "（六）其他处理", "~", *_r(1, 0, 0, 0, 0, 0, 1)],
    PART3_2021[-2],
    PART3_2021[-1],
]


def reads_of(*grids: list[list[str]]) -> list[TableRead]:
    return read_tables([grid(g) for g in grids])


def test_table_fits_by_headers_rows_and_widths() -> None:
    assert table_fits("art20_1", ["本年制发件数"], ["规范性文件"]) == (frozenset({"2021"}), "2021")
    assert table_fits("art20_1", ["本年新制作数量"], ["行政规范性文件"])[0] == {"2019"}
    # nothing that tells them apart
    assert table_fits("art20_1", [], ["规章"])[0] == {"2019", "2021"}
    # a row printing one value: 2021's 本年处理决定数量 (its header lost at a page break)
    assert table_fits("art20_6", [], ["行政处罚", "行政强制"], [1, 1])[0] == {"2021"}
    assert table_fits("art20_6", [], ["行政处罚"], [3])[0] == {"2019"}
    assert table_fits("requests", [], ["（六）其他处理"])[0] == {"2019"}
    assert table_fits("requests", [], ["3.其他", "（七）总计"])[0] == {"2021"}
    assert table_fits("no_such_table", [], []) == (frozenset(), None)


def test_a_2021_report() -> None:
    fmt, notes = choose_format(reads_of(PART2_2021, PART3_2021, PART4), 2023)
    assert fmt.id == "2021" and notes == ()


def test_a_2019_report() -> None:
    reads = reads_of(PART2_2019, PART3_2019, PART4)
    assert {r.table_key: r.format_id for r in reads}["art20_9"] == "2019"
    fmt, notes = choose_format(reads, 2020)
    assert fmt.id == "2019" and notes == ()


def test_the_tables_outweigh_the_year() -> None:
    fmt, notes = choose_format(reads_of(PART2_2019, PART3_2019, PART4), 2022)
    assert fmt.id == "2019"
    assert notes == ("2022年度的报告使用了2019年格式",)
    fmt, notes = choose_format(reads_of(PART2_2021, PART3_2021), 2020)
    assert fmt.id == "2021" and notes == ("2020年度的报告使用了2021年格式",)


def test_a_hybrid_is_named() -> None:
    # 洪泽 2023/2024: 2021 part 二, 2019 part 三
    fmt, notes = choose_format(reads_of(PART2_2021, PART3_2019, PART4), 2023)
    assert fmt.id == "2021"
    assert notes == ("第二部分为2021年格式，第三部分“（六）其他处理”只有一行（2019年格式）",)


def test_the_year_decides_when_the_tables_do_not() -> None:
    # part 四 alone is the same in both formats
    reads = reads_of(PART4)
    assert reads[0].fits == {"2019", "2021"}
    assert choose_format(reads, 2020)[0].id == "2019"
    assert choose_format(reads, 2024)[0].id == "2021"


def test_a_part_three_without_other_rows_says_nothing() -> None:
    # no （六） row printed at all: neither format is told, the year decides
    rows = [*PART3_2021[:23], *PART3_2021[26:]]
    assert not any("其他处理" in "".join(r) for r in rows)
    reads = reads_of(rows, PART4)
    assert {r.table_key: r.fits for r in reads}["requests"] == {"2019", "2021"}
    fmt, notes = choose_format(reads, 2023)
    assert fmt.id == "2021" and notes == ()
    assert choose_format(reads, 2019)[0].id == "2019"


def test_part_two_weighs_most() -> None:
    # a 2019 part 二 and a part 三 whose （六） rows say 2021: part 二 wins, the rest is noted
    fmt, notes = choose_format(reads_of(PART2_2019, PART3_2021), 2020)
    assert fmt.id == "2019"
    assert len(notes) == 1 and "第三部分" in notes[0] and "2021" in notes[0]


@pytest.fixture
def third() -> Iterator[ReportFormat]:
    with registered() as fmt:
        yield fmt


def test_a_third_format_is_detected_from_its_labels(third: ReportFormat) -> None:
    with_inspection = [*PART2_2021[:11], [NEW_ROW_LABEL, "5", "~", "~"], *PART2_2021[11:]]
    reads = reads_of(with_inspection, PART3_2021, PART4)
    art20_6 = {r.table_key: r for r in reads}["art20_6"]
    assert art20_6.fits == {FORMAT_ID}
    assert "art20_6.inspection.decisions" in {c.key for c in art20_6.cells}
    fmt, notes = choose_format(reads, 2091)
    assert fmt is third and notes == ()
    # a plain 2021 report still reads as 2021 while the third format is registered
    fmt, notes = choose_format(reads_of(PART2_2021, PART3_2021, PART4), 2023)
    assert fmt.id == "2021" and notes == ()
