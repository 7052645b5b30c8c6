"""Printed labels → the format's keys: the label variants and typos of real published reports
(../shared/research/IMPORTER.md §7.4) map to the right row, and an unclear label to none."""

from __future__ import annotations

import pytest

from model.formats import get_format
from published.labels import (
    ALIASES,
    match_column,
    match_part,
    match_row,
    normalise,
    row_variants,
    strip_numbering,
)
from tests.third_format import NEW_ROW_LABEL, THIRD_FORMAT

F2019 = get_format("2019")
F2021 = get_format("2021")


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("1．本机关 不掌握\u3000相关政府信息", "1.本机关不掌握相关政府信息"),
        ("1、属于国家秘密", "1.属于国家秘密"),
        ("1。属于国家秘密", "1.属于国家秘密"),
        ("三、本年度办理结果", "三.本年度办理结果"),
        ("（二）部分公开\xa0", "(二)部分公开"),
        ("（本列数据的钩稽关系为：）", "(本列数据的勾稽关系为:)"),
        ("3.危及“三安全一稳定”", "3.危及三安全一稳定"),
        ("本年\n废止件数", "本年废止件数"),
        ("１２．５", "12.5"),  # a decimal point stays a point
    ],
)
def test_normalise(printed: str, expected: str) -> None:
    assert normalise(printed) == expected


def test_numbering_is_stripped_in_every_style() -> None:
    for printed in ("1.重复申请", "（二）重复申请", "二、重复申请", "2、重复申请", "(2)重复申请"):
        assert strip_numbering(normalise(printed)) == "重复申请", printed


def test_variants_come_from_the_format_definition() -> None:
    for fmt in (F2019, F2021):
        for table in fmt.tables:
            variants = row_variants(fmt, table.key)
            assert list(variants) == [row.key for row in table.rows]
            for row in table.rows:
                assert variants[row.key][0] == normalise(row.label)
    assert "规范性文件" in row_variants(F2021, "art20_1")["normative"]
    assert "行政规范性文件" in row_variants(F2019, "art20_1")["normative"]


def test_aliases_are_written_normalised() -> None:
    for canonical, seen in ALIASES:
        assert normalise(canonical) == canonical
        assert normalise(seen) == seen


@pytest.mark.parametrize(
    ("printed", "fmt_id", "table", "expected"),
    [
        # IMPORTER §7.4, as printed in the samples
        ("规范性文件", "2021", "art20_1", "normative"),
        ("行政规范性文件", "2019", "art20_1", "normative"),
        ("2.其他法律行政止公开", "2021", "requests", "deny_law"),  # 洪泽 PDFs
        ("2.其他法律和行政法规禁止公开", "2021", "requests", "deny_law"),  # 23
        (
            "1.申请人无正当理由逾期不补正、行政机关不再受理其政府信息公开申请",
            "2021",
            "requests",
            "other_no_correction",
        ),
        ("1、本机关不掌握相关政府信息", "2021", "requests", "unable_not_held"),
        ("三、本年度办 理结果（一）予以公开", "2021", "requests", "granted"),
        ("（二）部分公开（区分处理的，只计这一情 形，不", "2021", "requests", "partial"),
        ("三、本年度办理结果（三）不予公开1.属于国家秘密", "2019", "requests", "deny_secret"),
        ("三\n、\n本\n年\n度\n办\n理\n结\n果（七）总计", "2021", "requests", "handled"),
        ("四、结转下年度继续办理", "2021", "requests", "carried_out"),
        ("4.无正当理由大量反复 申请", "2021", "requests", "reject_excessive"),
        ("本机关不掌握相关正府信息", "2021", "requests", "unable_not_held"),  # a typo
        ("（六）其他处理", "2019", "requests", "other"),
        ("3.其他", "2021", "requests", "other_misc"),
        ("行政诉讼未经复议直接起诉", "2021", "appeals", "suit_direct"),
        ("复议后起诉", "2019", "appeals", "suit_after_review"),
    ],
)
def test_printed_labels_find_their_row(
    printed: str, fmt_id: str, table: str, expected: str
) -> None:
    assert match_row(printed, get_format(fmt_id), table) == expected


@pytest.mark.parametrize(
    ("printed", "fmt_id", "table"),
    [
        ("（六）其他处理", "2021", "requests"),  # in 2021 a group of three rows, no row
        ("三、本年度办理结果（六）其他处理", "2021", "requests"),
        ("其他", "2019", "requests"),  # a column header, and in several row labels
        ("三、本年度办理结果", "2021", "requests"),
        ("法人或其他组织", "2021", "requests"),
        ("信息内容", "2021", "art20_1"),
        ("行政许可", "2021", "art20_1"),
        ("", "2021", "requests"),
    ],
)
def test_unclear_labels_find_no_row(printed: str, fmt_id: str, table: str) -> None:
    assert match_row(printed, get_format(fmt_id), table) is None


def test_column_typos_and_units() -> None:
    assert match_column("本年废纸件数", F2021, "art20_1") == "repealed"  # sample 12
    assert match_column("先行有效件数", F2021, "art20_1") == "in_force"  # sample 09
    assert match_column("本年 废止件数", F2021, "art20_1") == "repealed"  # sample 07
    assert match_column("本年收费金额（单位：万元）", F2021, "art20_8") == "amount"
    assert match_column("采购总金额（元）", F2019, "art20_9") == "amount"
    assert match_column("总 计", F2021, "appeals") == "total"
    # strict: 2019's header is not 2021's, though one contains the other
    assert match_column("处理决定数量", F2021, "art20_5", loose=False) is None
    assert match_column("本年处理决定数量", F2019, "art20_5", loose=False) is None
    assert match_column("本年新制作数量", F2021, "art20_1", loose=False) is None


@pytest.mark.parametrize(
    ("heading", "part"),
    [
        ("四、政府信息公开行政法复议、行政诉讼情况", "appeals"),  # sample 05
        ("四、政府信息公开行政复议和行政诉讼情况", "appeals"),
        ("六、其他需报告的事项", "other_matters"),  # sample 13
        ("三、收到和处理政府信息公开申请情况", "requests"),
    ],
)
def test_part_headings(heading: str, part: str) -> None:
    assert match_part(heading, F2021) == part


def test_a_third_format_row_is_matched_from_its_definition() -> None:
    assert match_row(NEW_ROW_LABEL, THIRD_FORMAT, "art20_6") == "inspection"
    assert match_row(NEW_ROW_LABEL, F2021, "art20_6") is None
    assert match_row("行政处罚", THIRD_FORMAT, "art20_6") == "penalty"
