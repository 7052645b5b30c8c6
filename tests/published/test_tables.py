"""The grid path: official tables read cell by cell from expanded table grids.

The main fixture is a 2021 report laid out like the real 平潭 page (07) studied in
../shared/research/IMPORTER.md §6 (part 二 14×4 with caption rows, part 三 28×10 with three
label columns of merged cells, part 四 4×15 printed as one row of values), with its figures
(217 + 1 new requests, 218 handled; 复议 2,1,3,1,7; 复议后起诉 13,2,4,0,19).  Grids are written
by hand; "~" marks a place covered by a merged cell.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from published.document import Origin, SourceCell, SourceTable
from published.result import ReadCell, TableRead
from published.tables import read_tables

SAMPLES = Path(__file__).parent.parent / "data" / "published" / "samples"


def grid(rows: list[list[str]], name: str = "表格") -> SourceTable:
    width = max(len(r) for r in rows)
    cells = tuple(
        tuple(
            SourceCell("", Origin(f"{name}第{r + 1}行第{c + 1}列"), covered=True)
            if text == "~"
            else SourceCell(text, Origin(f"{name}第{r + 1}行第{c + 1}列", text))
            for c, text in enumerate(row + [""] * (width - len(row)))
        )
        for r, row in enumerate(rows)
    )
    return SourceTable(cells, Origin(name))


def by_key(reads: list[TableRead]) -> dict[str, TableRead]:
    return {r.table_key: r for r in reads}


def cells(reads: list[TableRead]) -> dict[str, ReadCell]:
    return {c.key: c for r in reads for c in r.cells}


PART2_2021 = [
    ["第二十条第（一）项", "~", "~", "~"],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "0", "0", "0"],
    ["规范性文件", "3", "1", "25"],
    ["第二十条第（五）项", "~", "~", "~"],
    ["信息内容", "本年处理决定数量", "~", "~"],
    ["行政许可", "1200", "~", "~"],
    ["第二十条第（六）项", "~", "~", "~"],
    ["信息内容", "本年处理决定数量", "~", "~"],
    ["行政处罚", "31", "~", "~"],
    ["行政强制", "0", "~", "~"],
    ["第二十条第（八）项", "~", "~", "~"],
    ["信息内容", "本年收费金额（单位：万元）", "~", "~"],
    ["行政事业性收费", "24252.311082", "~", "~"],
]

_HEAD3 = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "~", "~"]
    + ["申请人情况"]
    + ["~"] * 6,
    ["~", "~", "~", "自然人", "法人或其他组织", "~", "~", "~", "~", "总计"],
    ["~", "~", "~", "~", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "~"],
]


def _r(*values: int | str) -> list[str]:
    return [str(v) for v in values]


PART3_2021 = [
    *_HEAD3,
    ["一、本年新收政府信息公开申请数量", "~", "~", *_r(217, 1, 0, 0, 0, 0, 218)],
    ["二、上年结转政府信息公开申请数量", "~", "~", *_r(0, 0, 0, 0, 0, 0, 0)],
    ["三、本年度办理结果", "（一）予以公开", "~", *_r(70, 1, 0, 0, 0, 0, 71)],
    [
        "~",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "~",
        *_r(29, 0, 0, 0, 0, 0, 29),
    ],
    ["~", "（三）不予公开", "1.属于国家秘密", *_r(0, 0, 0, 0, 0, 0, 0)],
    ["~", "~", "2.其他法律行政法规禁止公开", *_r(0, 0, 0, 0, 0, 0, 0)],
    ["~", "~", "3.危及“三安全一稳定”", *_r(0, 0, 0, 0, 0, 0, 0)],
    ["~", "~", "4.保护第三方合法权益", *_r(4, 0, 0, 0, 0, 0, 4)],
    ["~", "~", "5.属于三类内部事务信息", *_r(0, 0, 0, 0, 0, 0, 0)],
    ["~", "~", "6.属于四类过程性信息", *_r(3, 0, 0, 0, 0, 0, 3)],
    ["~", "~", "7.属于行政执法案卷", *_r(0, 0, 0, 0, 0, 0, 0)],
    ["~", "~", "8.属于行政查询事项", *_r(0, 0, 0, 0, 0, 0, 0)],
    ["~", "（四）无法提供", "1.本机关不掌握相关政府信息", *_r(32, 0, 0, 0, 0, 0, 32)],
    ["~", "~", "2.没有现成信息需要另行制作", *_r(75, 0, 0, 0, 0, 0, 75)],
    ["~", "~", "3.补正后申请内容仍不明确", *_r(0, 0, 0, 0, 0, 0, 0)],
    ["~", "（五）不予处理", "1.信访举报投诉类申请", *_r(1, 0, 0, 0, 0, 0, 1)],
    ["~", "~", "2.重复申请", *_r(2, 0, 0, 0, 0, 0, 2)],
    ["~", "~", "3.要求提供公开出版物", *_r(0, 0, 0, 0, 0, 0, 0)],
    ["~", "~", "4.无正当理由大量反复申请", *_r(0, 0, 0, 0, 0, 0, 0)],
    ["~", "~", "5.要求行政机关确认或重新出具已获取信息", *_r(0, 0, 0, 0, 0, 0, 0)],
    [
        "~",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        *_r(0, 0, 0, 0, 0, 0, 0),
    ],
    [
        "~",
        "~",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        *_r(0, 0, 0, 0, 0, 0, 0),
    ],
    ["~", "~", "3.其他", *_r(1, 0, 0, 0, 0, 0, 1)],
    ["~", "（七）总计", "~", *_r(217, 1, 0, 0, 0, 0, 218)],
    ["四、结转下年度继续办理", "~", "~", "0", "/", "—", "－", "无", "", "0"],
]

_HEAD4 = [
    ["行政复议", "~", "~", "~", "~", "行政诉讼"] + ["~"] * 9,
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉"]
    + ["~"] * 4
    + ["复议后起诉"]
    + ["~"] * 4,
    ["~"] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
]
PART4 = [*_HEAD4, _r(2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19)]


def test_the_pingtan_page_is_read_cell_by_cell() -> None:
    reads = read_tables([grid(PART2_2021, "表1"), grid(PART3_2021, "表2"), grid(PART4, "表3")])
    tables = by_key(reads)
    assert set(tables) == {"art20_1", "art20_5", "art20_6", "art20_8", "requests", "appeals"}
    assert all(
        r.format_id == "2021" and r.fits == {"2021"}
        for k, r in tables.items()
        if k.startswith("art")
    )
    got = cells(reads)
    values = {k: c.value for k, c in got.items()}
    assert values["art20_1.normative.issued"] == 3
    assert values["art20_1.normative.in_force"] == 25
    assert values["art20_5.licensing.decisions"] == 1200
    assert values["art20_6.penalty.decisions"] == 31
    fees = got["art20_8.fees.amount"]
    assert fees.value == Decimal("24252.311082") and fees.unit == "万元"
    assert values["requests.new.natural"] == 217
    assert values["requests.new.business"] == 1
    assert values["requests.new.total"] == 218  # a derived cell, read as printed
    assert values["requests.granted.total"] == 71
    assert values["requests.unable_to_create.natural"] == 75
    assert values["requests.other_misc.total"] == 1
    assert values["requests.handled.total"] == 218
    assert [
        values[f"appeals.review.{c}"] for c in ("upheld", "corrected", "other", "pending", "total")
    ] == [2, 1, 3, 1, 7]
    assert values["appeals.suit_direct.total"] == 0
    assert [
        values[f"appeals.suit_after_review.{c}"]
        for c in ("upheld", "corrected", "other", "pending", "total")
    ] == [13, 2, 4, 0, 19]
    assert not any(r.unread for r in reads)
    # every cell of the three tables, and where it came from
    assert len(got) == 6 + 1 + 2 + 1 + 25 * 7 + 15
    assert got["requests.deny_third_party.natural"].origin.where == "表2第11行第4列"


def test_blank_cells_stay_blank() -> None:
    got = cells(read_tables([grid(PART3_2021)]))
    row = [
        got[f"requests.carried_out.{c}"]
        for c in ("natural", "business", "research", "nonprofit", "legal", "other_org", "total")
    ]
    assert [c.value for c in row] == [0, None, None, None, None, None, 0]
    assert [c.printed for c in row[1:5]] == ["/", "—", "－", "无"]


def test_a_row_with_fewer_values_is_left_for_the_clerk_never_shifted() -> None:
    rows = [list(r) for r in PART3_2021]
    rows[-1] = ["四、结转下年度继续办理", "~", "~", "~", "0", "0", "0", "0", "0", "0"]  # 6 values
    [read] = read_tables([grid(rows)])
    assert not any(c.key.startswith("requests.carried_out.") for c in read.cells)
    [unread] = read.unread
    assert unread.keys == tuple(
        f"requests.carried_out.{c}"
        for c in ("natural", "business", "research", "nonprofit", "legal", "other_org")
    )
    assert "6个" in unread.reason and "7个" in unread.reason
    assert len(read.cells) == 24 * 7


def test_a_cell_that_is_no_value_is_left_for_the_clerk() -> None:
    rows = [list(r) for r in PART2_2021]
    rows[3] = ["规范性文件", "3", "1", "二十五"]
    read = by_key(read_tables([grid(rows)]))["art20_1"]
    assert "art20_1.normative.in_force" not in {c.key for c in read.cells}
    [unread] = read.unread
    assert unread.keys == ("art20_1.normative.in_force",) and "二十五" in unread.reason


def test_values_are_mapped_by_order_not_by_header_column() -> None:
    # 2019 第二十条第（五）项 whose data row merges differently from its header (another 平潭
    # report (01): header 149 | colspan2 101 | 89, data colspan2 150 | 101 | 89)
    rows = [
        ["第二十条第（五）项", "~", "~", "~", "~"],
        ["信息内容", "上一年项目数量", "本年增/减", "~", "处理决定数量"],
        ["行政许可", "150", "~", "101", "89"],
        ["其他对外管理服务事项", "3", "-1", "~", "0"],
        ["第二十条第（九）项", "~", "~", "~", "~"],
        ["信息内容", "采购项目数量", "采购总金额（元）", "~", "~"],
        ["政府集中采购", "13", "3394432.52", "~", "~"],
    ]
    reads = by_key(read_tables([grid(rows)]))
    assert reads["art20_5"].format_id == "2019" and reads["art20_5"].fits == {"2019"}
    got = cells(list(reads.values()))
    assert [got[f"art20_5.licensing.{c}"].value for c in ("prev_items", "change", "decisions")] == [
        150,
        101,
        89,
    ]
    assert got["art20_5.other_services.change"].value == -1
    amount = got["art20_9.procurement.amount"]
    assert amount.value == Decimal("3394432.52") and amount.unit == "元"


def test_columns_are_read_in_the_order_the_header_prints_them() -> None:
    rows = [
        ["第二十条第（一）项", "~", "~", "~"],
        ["信息内容", "现行有效件数", "本年制发件数", "本年废止件数"],
        ["规章", "9", "1", "0"],
    ]
    [read] = read_tables([grid(rows)])
    got = {c.key: c.value for c in read.cells}
    assert [got[f"art20_1.rules.{c}"] for c in ("issued", "repealed", "in_force")] == [1, 0, 9]
    assert any("列顺序" in n for n in read.notes)


def test_part_four_in_three_rows_and_transposed() -> None:
    three_rows = [
        ["", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
        ["行政复议", *_r(2, 1, 3, 1, 7)],
        ["行政诉讼", "未经复议直接起诉", *_r(0, 0, 0, 0, 0)][1:],
        ["复议后起诉", *_r(13, 2, 4, 0, 19)],
    ]
    got = cells(read_tables([grid(three_rows)]))
    assert got["appeals.review.total"].value == 7
    assert got["appeals.suit_after_review.upheld"].value == 13
    assert got["appeals.suit_direct.pending"].value == 0
    transposed = [
        ["", "行政复议", "未经复议直接起诉", "复议后起诉"],
        ["结果维持", "2", "0", "13"],
        ["结果纠正", "1", "0", "2"],
        ["其他结果", "3", "0", "4"],
        ["尚未审结", "1", "0", "0"],
        ["总计", "7", "0", "19"],
    ]
    got = cells(read_tables([grid(transposed)]))
    assert [
        got[f"appeals.suit_after_review.{c}"].value
        for c in ("upheld", "corrected", "other", "pending", "total")
    ] == [13, 2, 4, 0, 19]
    assert got["appeals.review.other"].value == 3


def test_part_four_header_with_empty_cells_is_no_row() -> None:
    head = list(_HEAD4)
    head[0] = ["行政复议", "~", "~", "~", "~", "行政诉讼", *["~"] * 7, "", ""]
    [read] = read_tables([grid([*head, PART4[-1]])])
    assert not read.unread
    assert {c.key: c.value for c in read.cells}["appeals.review.total"] == 7


def test_part_four_with_fourteen_values_is_left_for_the_clerk() -> None:
    [read] = read_tables([grid([*_HEAD4, [*_r(2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0), "~"]])])
    assert not read.cells
    [unread] = read.unread
    assert "14个" in unread.reason and "15个" in unread.reason
    assert len(unread.keys) == 12  # the input cells; the totals are computed


def test_a_table_split_over_pages_loses_its_header() -> None:
    # a PDF page break: the rest of part 三 on the next page, without its header rows; and
    # 第二十条第（六）项 whose caption and header stayed on the page before (洪泽 2023)
    first = grid(PART2_2021[:9], "第1页表格")
    second = grid(
        [["行政处罚", "31", "~", "~"], ["行政强制", "0", "~", "~"], *PART2_2021[11:]], "第2页表格"
    )
    part3a = grid(PART3_2021[:15], "第2页表格2")
    part3b = grid(PART3_2021[15:], "第3页表格")
    reads = by_key(read_tables([first, second, part3a, part3b]))
    assert reads["art20_6"].format_id == "2021"
    got = cells(list(reads.values()))
    assert got["art20_6.penalty.decisions"].value == 31
    assert got["requests.reject_repeat.natural"].value == 2
    assert got["requests.reject_repeat.natural"].origin.where.startswith("第3页表格")
    assert len([k for k in got if k.startswith("requests.")]) == 25 * 7


def test_a_table_that_is_not_the_reports_is_ignored_and_named() -> None:
    fees_table = grid(
        [
            ["五、信息处理费收取情况", "~", "~"],
            ["通知收取件数", "通知收取金额（元）", "实际收取金额（元）"],
            ["0", "0", "0"],
        ]
    )
    # also printed without a heading row, right after part 四 in its three-row layout
    bare_fees = grid([["信息处理费", "0", "0", "0"]])
    three_rows = grid(
        [
            ["", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
            ["行政复议", *_r(2, 1, 3, 1, 7)],
            ["未经复议直接起诉", *_r(0, 0, 0, 0, 0)],
            ["复议后起诉", *_r(13, 2, 4, 0, 19)],
        ]
    )
    reads = read_tables([grid(PART2_2021), grid(PART3_2021), three_rows, bare_fees])
    assert not any(r.unread for r in reads)
    reads = read_tables([grid(PART2_2021), grid(PART3_2021), grid(PART4), fees_table])
    assert {r.table_key for r in reads} == {
        "art20_1",
        "art20_5",
        "art20_6",
        "art20_8",
        "requests",
        "appeals",
    }
    notes = [n for r in reads for n in r.notes]
    assert any("忽略" in n and "信息处理费" in n for n in notes)
    assert cells(reads)["appeals.review.total"].value == 7  # part 四 is not disturbed


def test_a_hybrid_part_three_is_read_in_its_own_format() -> None:
    # a 2021 part 二 above a part 三 with the single 2019 （六）其他处理 row (洪泽 2023/2024),
    # printed with a blank label cell beside it
    rows = [
        *PART3_2021[:23],
        ["~", "（六）其他处理", "", *_r(1, 0, 0, 0, 0, 0, 1)],
        PART3_2021[-2],
        PART3_2021[-1],
    ]
    reads = by_key(read_tables([grid(PART2_2021), grid(rows)]))
    assert reads["requests"].fits == {"2019"} and reads["requests"].format_id == "2019"
    assert reads["art20_1"].fits == {"2021"}
    got = cells(list(reads.values()))
    assert [got[f"requests.other.{c}"].value for c in ("natural", "total")] == [1, 1]
    assert not reads["requests"].unread


# ---------------------------------------------------------------------------- real PDFs


def _pdf_reads(folder: str) -> dict[str, ReadCell]:
    pdf = pytest.importorskip("published.readers.pdf")
    [path] = (SAMPLES / folder).glob("*.pdf")
    doc = pdf.read_pdf(path.read_bytes(), path.name)
    return cells(read_tables(doc.tables()))


def test_hongze_2023_pdf() -> None:
    # checked against `pdftotext -layout hzq2023_working.pdf`
    got = _pdf_reads("01-hongze-district-2023-pdf")
    assert got["appeals.review.upheld"].value == 10
    assert got["appeals.review.corrected"].value == 1
    assert got["appeals.review.total"].value == 0  # printed 0: a publication error, kept
    assert got["appeals.suit_after_review.upheld"].value == 5
    assert got["art20_1.normative.repealed"].value == 5
    assert got["art20_5.licensing.decisions"].value == 550
    assert got["art20_6.penalty.decisions"].value == 4119  # its header lost at a page break
    assert got["art20_8.fees.amount"].value == Decimal("7730.28")
    assert got["requests.new.total"].value == 21
    assert got["requests.unable_not_held.natural"].value == 10
    assert got["requests.other.natural"].value == 0  # the single 2019 row
    assert got["requests.handled.total"].value == 21


def test_hongze_2024_pdf() -> None:
    got = _pdf_reads("02-hongze-district-2024-pdf")
    assert [
        got[f"appeals.suit_after_review.{c}"].value
        for c in ("upheld", "corrected", "other", "pending", "total")
    ] == [2, 0, 1, 0, 3]
    assert got["art20_1.normative.in_force"].value == 8
    assert got["art20_5.licensing.decisions"].value == 9487
    assert got["art20_6.coercion.decisions"].value == 84
    assert got["requests.new.natural"].value == 95


# ---------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("fmt_id", ["2019", "2021"])
@pytest.mark.parametrize("ext", ["docx", "html", "pdf"])
def test_the_programs_own_exports_read_back(tmp_path: Path, fmt_id: str, ext: str) -> None:
    import importlib
    import random

    from model.formats import CellKind, get_format
    from model.report import Report
    from published.detect import choose_format
    from published.readers import read_path

    fmt = get_format(fmt_id)
    rng = random.Random(fmt_id)
    values: dict[str, int | Decimal] = {}
    for key in fmt.input_keys:
        kind = fmt.cells[key].kind
        if kind is CellKind.MONEY:
            values[key] = Decimal("1234.056")
        elif kind is CellKind.SIGNED_COUNT:
            values[key] = rng.randint(-5, 5)
        else:
            values[key] = rng.randint(0, 40)
    year = fmt.first_year + 1
    report = Report(format_id=fmt_id, agency="某某县人民政府", year=year, cells=values)
    renderer = importlib.import_module(f"export.{ext}")
    path = tmp_path / f"report.{ext}"
    path.write_bytes(renderer.render(report).data)
    reads = read_tables(read_path(path).tables())
    got = {c.key: c.value for r in reads for c in r.cells}
    assert {k: got.get(k) for k in fmt.input_keys} == values
    assert not any(r.unread for r in reads)
    assert choose_format(reads, year) == (fmt, ())
