"""The tables of a copied web page, read from its flattened text (published/flat.py).

The samples are real published pages (tests/data/published/samples/NN-*/page.txt, copied from
the 平潭 government site; their notes are in inventory.json).  Every expected value below was
read by eye from the page text quoted in the test.
"""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from model.formats import FORMATS
from published.document import Origin
from published.flat import read_flat
from published.result import How, ReadCell, TableRead, Unread

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "published" / "samples"

ZERO7 = (0, 0, 0, 0, 0, 0, 0)


def page(number: str) -> str:
    [folder] = SAMPLES.glob(f"{number}-*")
    return (folder / "page.txt").read_text(encoding="utf-8")


def read(text: str) -> dict[str, TableRead]:
    def origin(start: int, end: int) -> Origin:
        return Origin(f"第{start + 1}–{end}字", text[start:end])

    reads = read_flat(text, origin)
    keys = [r.table_key for r in reads]
    assert len(keys) == len(set(keys)), "one reading a table"
    return {r.table_key: r for r in reads}


def cells(reads: dict[str, TableRead]) -> dict[str, ReadCell]:
    return {c.key: c for r in reads.values() for c in r.cells}


def row(reads: dict[str, TableRead], table: str, key: str) -> tuple[object, ...]:
    """The values read for a row, in the order of the format's columns."""
    read_ = reads[table]
    fmt = FORMATS[read_.format_id]
    found = cells(reads)
    return tuple(
        found[f"{table}.{key}.{c.key}"].value if f"{table}.{key}.{c.key}" in found else "?"
        for c in fmt.table(table).columns
    )


def unread(reads: dict[str, TableRead]) -> dict[str, Unread]:
    """Unread items by the row of their first cell ("requests.carried_out")."""
    return {u.keys[0].rsplit(".", 1)[0]: u for r in reads.values() for u in r.unread}


# ---------------------------------------------------------------------------- whole samples


def test_07_a_2021_page_with_spaced_zeros_reads_completely() -> None:
    # “规章000规范性文件106…一、本年新收政府信息公开申请数量 0 0 00 0 0 0…”
    reads = read(page("07"))
    assert set(reads) == {"art20_1", "art20_5", "art20_6", "art20_8", "requests", "appeals"}
    for key in ("art20_1", "art20_5", "art20_6", "art20_8", "requests"):
        assert reads[key].fits == {"2021"}, key
        assert reads[key].format_id == "2021"
    assert reads["appeals"].fits == {"2019", "2021"}  # part 四 is the same in both
    assert not unread(reads)
    assert row(reads, "art20_1", "rules") == (0, 0, 0)
    assert row(reads, "art20_1", "normative") == (1, 0, 6)
    assert row(reads, "art20_5", "licensing") == (0,)
    assert row(reads, "art20_8", "fees") == (Decimal(0),)
    fmt = FORMATS["2021"]
    for r in fmt.table("requests").rows:
        assert row(reads, "requests", r.key) == ZERO7, r.key
    for r in fmt.table("appeals").rows:
        assert row(reads, "appeals", r.key) == (0, 0, 0, 0, 0)
    # every cell of the format's tables is there, each with its source
    assert {k for k in fmt.input_keys + fmt.derived_keys} == set(cells(reads))
    new = cells(reads)["requests.new.natural"]
    assert new.how is How.SPLIT  # “ 0 0 00 0 0 0”: six tokens for seven cells
    assert "本年新收" in new.origin.snippet and "0 0 00" in new.origin.snippet


def test_13_totals_printed_as_0_are_read_as_printed() -> None:
    # “一、本年新收政府信息公开申请数量2000000” (总计 0 in every row: a published error)
    reads = read(page("13"))
    assert not unread(reads)
    assert row(reads, "requests", "new") == (2, 0, 0, 0, 0, 0, 0)
    assert row(reads, "requests", "partial") == (1, 0, 0, 0, 0, 0, 0)
    assert row(reads, "requests", "unable_not_held") == (1, 0, 0, 0, 0, 0, 0)
    assert row(reads, "requests", "handled") == (2, 0, 0, 0, 0, 0, 0)
    # no 规章 row printed: its cells are not invented, and the clerk is told
    assert "art20_1.rules.issued" not in cells(reads)
    assert any("规章" in n for n in reads["art20_1"].notes)
    assert row(reads, "art20_1", "normative") == (0, 0, 0)


@pytest.mark.parametrize(("number", "printed"), [("08", "0 00000"), ("09", "000000")])
def test_08_09_a_carried_out_row_of_six_values_is_left_for_the_clerk(
    number: str, printed: str
) -> None:
    # “四、结转下年度继续办理 0 00000” / “四、结转下年度继续办理000000”: a blank cell somewhere
    reads = read(page(number))
    missing = unread(reads)
    assert set(missing) == {"requests.carried_out"}
    item = missing["requests.carried_out"]
    columns = [c.key for c in FORMATS["2021"].table("requests").columns]
    assert item.keys == tuple(f"requests.carried_out.{c}" for c in columns)
    assert item.candidates == ()
    assert "6个数字" in item.reason and printed in item.reason and "7格" in item.reason
    assert not any(k.startswith("requests.carried_out.") for k in cells(reads))
    # the other rows are read
    assert row(reads, "requests", "handled") == ((1, 0, 0, 0, 0, 0, 1) if number == "09" else ZERO7)


def test_09_the_next_labels_numbering_is_not_a_value() -> None:
    # “1.本机关不掌握相关政府信息10000012.没有现成信息需要另行制作0000000”
    reads = read(page("09"))
    assert row(reads, "requests", "new") == (1, 0, 0, 0, 0, 0, 1)
    assert row(reads, "requests", "unable_not_held") == (1, 0, 0, 0, 0, 0, 1)
    assert row(reads, "requests", "unable_to_create") == ZERO7


def test_16_glued_2019_item_rows_are_left_with_their_candidates() -> None:
    # “行政许可4500…行政处罚63600行政强制4300…行政事业性收费124…本年新收…0 00000”
    reads = read(page("16"))
    for key in ("art20_1", "art20_5", "art20_6", "art20_8", "art20_9", "requests"):
        assert reads[key].fits == {"2019"}, key
    missing = unread(reads)
    assert set(missing) == {
        "art20_5.licensing",
        "art20_6.penalty",
        "art20_6.coercion",
        "art20_8.fees",
        "requests.new",
    }
    licensing = missing["art20_5.licensing"]
    assert licensing.keys == (
        "art20_5.licensing.prev_items",
        "art20_5.licensing.change",
        "art20_5.licensing.decisions",
    )
    assert set(licensing.candidates) == {(4, 50, 0), (45, 0, 0)}
    assert "“4500”有2种拆分方式" in licensing.reason
    assert set(missing["art20_8.fees"].candidates) == {(1, 24), (12, 4)}
    assert len(missing["art20_6.penalty"].candidates) == 4
    assert not any(k.startswith(("art20_5.licensing.", "art20_8.fees.")) for k in cells(reads))
    assert row(reads, "art20_5", "other_services") == (0, 0, 0)
    assert row(reads, "art20_9", "procurement") == (0, Decimal(0))  # “政府集中采购00”
    assert "6个数字" in missing["requests.new"].reason


def test_18_leading_zeros_settle_a_glued_item_row() -> None:
    # “行政规范性文件0011”: 0 / 0 / 11 (a number does not start with 0)
    reads = read(page("18"))
    assert row(reads, "art20_1", "normative") == (0, 0, 11)
    assert cells(reads)["art20_1.normative.in_force"].how is How.SPLIT
    assert row(reads, "requests", "new") == (2, 0, 0, 0, 0, 0, 2)
    assert row(reads, "requests", "granted") == (2, 0, 0, 0, 0, 0, 2)
    assert not unread(reads)


def test_19_a_2019_page_with_its_single_other_handling_row() -> None:
    # “规范性文件668…行政许可3705其他对外管理服务事项109024…（六）其他处理3000003（七）总计5000005”
    reads = read(page("19"))
    assert reads["requests"].fits == {"2019"}
    assert reads["art20_1"].fits == {"2019"}
    assert row(reads, "art20_1", "normative") == (6, 6, 8)
    assert row(reads, "requests", "new") == (5, 0, 0, 0, 0, 0, 5)
    assert row(reads, "requests", "partial") == (2, 0, 0, 0, 0, 0, 2)
    assert row(reads, "requests", "other") == (3, 0, 0, 0, 0, 0, 3)
    assert row(reads, "requests", "handled") == (5, 0, 0, 0, 0, 0, 5)
    missing = unread(reads)
    assert set(missing) == {
        "art20_5.licensing",
        "art20_5.other_services",
        "art20_6.penalty",
        "art20_9.procurement",
    }
    assert (37, 0, 5) in missing["art20_5.licensing"].candidates
    # “政府集中采购176586650.10元”: projects and amount glued, never guessed
    procurement = missing["art20_9.procurement"]
    assert (176, Decimal("586650.10")) in procurement.candidates
    assert "art20_9.procurement.amount" not in cells(reads)


def test_21_money_with_six_decimals_and_irregular_spaces() -> None:
    # “行政事业性收费18651.064104 (二)主动公开…一、本年新收政府信息公开申请数量20 0 0 0 02”
    reads = read(page("21"))
    fee = cells(reads)["art20_8.fees.amount"]
    assert fee.value == Decimal("18651.064104")
    assert fee.how is How.TEXT
    assert row(reads, "art20_1", "normative") == (0, 2, 1)
    assert row(reads, "art20_6", "penalty") == (1,)
    assert row(reads, "requests", "new") == (2, 0, 0, 0, 0, 0, 2)
    assert row(reads, "requests", "granted") == (1, 0, 0, 0, 0, 0, 1)
    # “1.本机关不掌握相关政府信息10 0 0 0 012.没有现成…”
    assert row(reads, "requests", "unable_not_held") == (1, 0, 0, 0, 0, 0, 1)
    assert row(reads, "requests", "handled") == (2, 0, 0, 0, 0, 0, 2)
    assert row(reads, "appeals", "review") == (0, 0, 0, 0, 0)
    assert not unread(reads)


def test_22_procurement_printed_apart_with_its_unit() -> None:
    # “政府集中采购 9 152.2万元”
    reads = read(page("22"))
    found = cells(reads)
    projects, amount = found["art20_9.procurement.projects"], found["art20_9.procurement.amount"]
    assert (projects.value, amount.value) == (9, Decimal("152.2"))
    assert amount.unit == "万元" and amount.printed == "152.2万元"
    assert projects.how is How.TEXT and amount.how is How.TEXT
    assert row(reads, "art20_5", "other_services") == (0, 1, 0)
    assert not unread(reads)


def test_05_procurement_glued_to_its_amount_is_ambiguous() -> None:
    # “政府集中采购3147230元”: 3 项 / 147230元? or 31 / 47230 …
    reads = read(page("05"))
    item = unread(reads)["art20_9.procurement"]
    assert (3, Decimal(147230)) in item.candidates and (31, Decimal(47230)) in item.candidates
    assert "3147230" in item.reason


def test_12_part_four_and_glued_part_three_split_by_the_totals() -> None:
    # “一、本年新收政府信息公开申请数量15130000154…1.本机关不掌握相关政府信息4910000502.没有现成…
    #  （七）总计14710000148四、结转下年度继续办理4200006…总计25380363300630003”
    reads = read(page("12"))
    assert row(reads, "requests", "new") == (151, 3, 0, 0, 0, 0, 154)
    assert row(reads, "requests", "unable_not_held") == (49, 1, 0, 0, 0, 0, 50)
    assert row(reads, "requests", "handled") == (147, 1, 0, 0, 0, 0, 148)
    assert row(reads, "requests", "carried_out") == (4, 2, 0, 0, 0, 0, 6)
    assert row(reads, "requests", "other_no_correction") == (8, 0, 0, 0, 0, 0, 8)
    assert row(reads, "appeals", "review") == (25, 3, 8, 0, 36)
    assert row(reads, "appeals", "suit_direct") == (3, 3, 0, 0, 6)
    assert row(reads, "appeals", "suit_after_review") == (3, 0, 0, 0, 3)
    assert row(reads, "art20_5", "licensing") == (2418,)
    assert row(reads, "art20_8", "fees") == (Decimal("4166.241619"),)
    # “行政规范性文件5845546”: part 二 has no sums, so three cells stay open
    assert set(unread(reads)) == {"art20_1.normative"}
    assert len(unread(reads)["art20_1.normative"].candidates) > 1


@pytest.mark.parametrize("number", [f"{n:02d}" for n in range(5, 24)])
def test_every_flattened_sample_reads_quickly_and_consistently(number: str) -> None:
    text = page(number)
    read(text)  # warm up
    start = time.perf_counter()
    reads = read(text)
    assert time.perf_counter() - start < 0.3
    assert "requests" in reads and "appeals" in reads
    for r in reads.values():
        fmt = FORMATS[r.format_id]
        for c in r.cells:
            assert c.key in fmt.cells
            assert c.origin.snippet
        for u in r.unread:
            assert u.reason and all(k in fmt.cells for k in u.keys)
            assert all(len(cand) == len(u.keys) for cand in u.candidates)


# ---------------------------------------------------------------------------- made-up variants


def test_a_2021_part_two_above_a_2019_part_three_is_told_per_table() -> None:
    # 07's text with its three （六） rows printed as the 2019 single row (洪泽 2023's hybrid)
    text = page("07")
    start = text.index("（六）其他处理1.")
    end = text.index("（七）总计")
    hybrid = text[:start] + "（六）其他处理 0 0 00 0 0 0" + text[end:]
    reads = read(hybrid)
    assert reads["art20_1"].fits == {"2021"}
    assert reads["requests"].fits == {"2019"} and reads["requests"].format_id == "2019"
    assert row(reads, "requests", "other") == ZERO7
    assert not unread(reads)


def test_rows_printed_without_values_are_blank_not_zero() -> None:
    # as 14 prints （六）2 and （六）3: the labels only
    text = page("07")
    start = text.index("2.申请人逾期未按收费")
    end = text.index("（七）总计")
    blank = (
        text[:start]
        + "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请3.其他"
        + text[end:]
    )
    reads = read(blank)
    found = cells(reads)
    for key in ("requests.other_no_fee.natural", "requests.other_misc.total"):
        assert found[key].value is None and found[key].printed == ""
    assert found["requests.other_no_correction.natural"].value == 0
    assert not unread(reads)


def test_the_2021_other_rows_are_not_read_as_the_2019_single_row() -> None:
    # 07's text: （六）其他处理 is followed by three numbered rows, not by values
    reads = read(page("07"))
    assert "requests.other.natural" not in cells(reads)
    assert reads["requests"].format_id == "2021"


def test_a_glued_row_number_and_a_signed_change() -> None:
    # IMPORTER §7.1: “2648-18538” (2648 / −185 / 38 by the text, but part 二 has no sums: the
    # sign only fixes the first cell) and the “2.” of the next label
    text = (
        "第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量"
        "行政许可2648-18538其他对外管理服务事项000"
        "三、收到和处理政府信息公开申请情况"
        "一、本年新收政府信息公开申请数量640020470"
        "二、上年结转政府信息公开申请数量0000000"
        "（四）无法提供1.本机关不掌握相关政府信息3100000312.没有现成信息需要另行制作0000000"
    )
    reads = read(text)
    assert reads["art20_5"].fits == {"2019"}
    licensing = unread(reads)["art20_5.licensing"]
    assert (2648, -185, 38) in licensing.candidates
    assert {c[0] for c in licensing.candidates} == {2648}
    assert all(c[1] < 0 for c in licensing.candidates)
    assert row(reads, "art20_5", "other_services") == (0, 0, 0)
    assert row(reads, "requests", "new") == (64, 0, 0, 2, 0, 4, 70)
    assert row(reads, "requests", "unable_not_held") == (31, 0, 0, 0, 0, 0, 31)


def test_a_sentence_naming_a_row_before_the_table_is_not_the_row() -> None:
    text = (
        "一、总体情况本年新收政府信息公开申请数量为5件，较上年有所增加。"
        "三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计"
        "一、本年新收政府信息公开申请数量5000005二、上年结转政府信息公开申请数量0000000"
    )
    reads = read(text)
    assert row(reads, "requests", "new") == (5, 0, 0, 0, 0, 0, 5)
    assert row(reads, "requests", "carried_in") == ZERO7
    assert not unread(reads)


def test_unreadable_text_after_a_rows_values_leaves_the_row_unread() -> None:
    text = (
        "一、本年新收政府信息公开申请数量2000002（注：含2件转办）"
        "二、上年结转政府信息公开申请数量0000000"
    )
    reads = read(text)
    item = unread(reads)["requests.new"]
    assert "无法识别" in item.reason
    assert "requests.new.natural" not in cells(reads)
    assert row(reads, "requests", "carried_in") == ZERO7


def test_text_without_tables_gives_nothing() -> None:
    assert read_flat("一、总体情况本年度我局认真贯彻落实条例。", lambda a, b: Origin("")) == []
    assert read_flat("", lambda a, b: Origin("")) == []


def test_a_label_remark_printed_otherwise_is_not_a_value() -> None:
    text = (
        "一、本年新收政府信息公开申请数量3000003二、上年结转政府信息公开申请数量0000000"
        "三、本年度办理结果（一）予以公开2000002"
        "（二）部分公开（区分处理的只计这一种情形）1000001"
    )
    reads = read(text)
    assert row(reads, "requests", "partial") == (1, 0, 0, 0, 0, 0, 1)
    assert not unread(reads)


def test_item_rows_without_column_headers_are_read_in_the_format_they_fit() -> None:
    # the header row lost (as at a PDF page break): three values a row only fit 2019
    text = "第二十条第（六）项信息内容行政处罚1 2 3行政强制0 0 0三、收到和处理政府信息公开申请情况"
    reads = read(text)
    assert reads["art20_6"].fits == {"2019", "2021"}
    assert reads["art20_6"].format_id == "2019"
    assert row(reads, "art20_6", "penalty") == (1, 2, 3)
    assert cells(reads)["art20_6.penalty.decisions"].how is How.TEXT


def test_a_sentence_about_suits_is_not_part_four() -> None:
    text = "一、本年新收政府信息公开申请数量0000000四、复议后起诉3件，均维持原行政行为。"
    assert "appeals" not in read(text)


def test_a_table_pasted_as_markdown_reads_its_cells_apart() -> None:
    # rows as a PDF→markdown conversion prints them (03-shanghai-stcsm-2024-derived-md)
    text = (
        "| 一、本年新收政府信息公开申请数量 | 32 | 2 | 0 | 0 | 0 | 0 | 34 |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
        "| 二、上年结转政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
        "| 三、本年度办理结果 | （一）予以公开 | 9 | 0 | 0 | 0 | 0 | 0 | 9 |\n"
        "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
        "| （二）部分公开（区分处理的，只计这一情形，不计其他情形） | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
    )
    reads = read(text)
    assert row(reads, "requests", "new") == (32, 2, 0, 0, 0, 0, 34)
    assert cells(reads)["requests.new.total"].how is How.TEXT
    assert row(reads, "requests", "carried_in") == (2, 0, 0, 0, 0, 0, 2)
    assert row(reads, "requests", "partial") == (1, 0, 0, 0, 0, 0, 1)
    # a row of values without its label moved under 予以公开: that row is not guessed
    assert set(unread(reads)) == {"requests.granted"}


def test_values_printed_before_their_labels_leave_no_row_blank() -> None:
    # the order of a PDF's text layer (01-hongze-district-2023-pdf: “本年处理决定数量⏎550⏎⏎行政许可”)
    text = "第二十条第（五）项\n信息内容\n本年处理决定数量\n550\n\n行政许可\n\n第二十条第（六）项\n"
    reads = read(text)
    assert "art20_5.licensing.decisions" not in cells(reads)
    item = unread(reads)["art20_5.licensing"]
    assert "空白还是数字错位" in item.reason


def test_the_unit_of_a_procurement_amount_may_stand_in_its_header() -> None:
    # 06 prints “采购总金额（元）” in the header; here with the two values apart
    text = (
        "第二十条第（九）项信息内容采购项目数量采购总金额（元）政府集中采购3 147230"
        "三、收到和处理政府信息公开申请情况"
    )
    reads = read(text)
    amount = cells(reads)["art20_9.procurement.amount"]
    assert (amount.value, amount.unit) == (Decimal(147230), "元")
    assert cells(reads)["art20_9.procurement.projects"].value == 3
    # glued, the same row is left open, its source shown with its label
    reads = read(text.replace("3 147230", "3147230"))
    item = unread(reads)["art20_9.procurement"]
    assert "政府集中采购" in item.origin.snippet and "3147230" in item.origin.snippet


def test_digits_in_a_tables_header_make_every_row_a_candidate_only() -> None:
    # 01-hongze-district-2023-pdf's text layer: “…总计⏎21⏎0⏎…⏎21⏎二、上年结转…” (the values of
    # 一、本年新收 stand before its label, which comes later): no row is trusted
    text = (
        "三、收到和处理政府信息公开申请情况申请人情况自然人总计 21 0 0 0 0 0 21 "
        "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0 （一）予以公开 5 0 0 0 0 0 5 "
        "一、本年新收政府信息公开申请数量"
    )
    reads = read(text)
    assert not cells(reads)
    granted = unread(reads)["requests.granted"]
    assert granted.candidates == ((5, 0, 0, 0, 0, 0, 5),)
    assert "表头中夹有数字" in granted.reason and "21" in granted.reason
