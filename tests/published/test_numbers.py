"""A value printed in a cell of its own, as real published reports print them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from model.formats.types import CellKind
from published.numbers import Printed, parse_printed

COUNT, SIGNED, MONEY = CellKind.COUNT, CellKind.SIGNED_COUNT, CellKind.MONEY


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("22", COUNT, Printed(22)),
        ("0", COUNT, Printed(0)),
        (" 7 ", COUNT, Printed(7)),
        ("１２", COUNT, Printed(12)),  # full-width digits
        ("1,234", COUNT, Printed(1234)),
        ("3件", COUNT, Printed(3)),
        ("-3", SIGNED, Printed(-3)),
        ("－3", SIGNED, Printed(-3)),  # full-width minus
        ("−3", SIGNED, Printed(-3)),  # U+2212
        ("+2", SIGNED, Printed(2)),
        ("5", SIGNED, Printed(5)),
        # samples/21-pingtan-finance-2024: 行政事业性收费 18651.064104 (万元), all decimals kept
        ("18651.064104", MONEY, Printed(Decimal("18651.064104"))),
        # samples/05-jinjing-2019 and 22-suping-2019: units printed with the amount
        ("3147230元", MONEY, Printed(Decimal("3147230"), "元")),
        ("152.2万元", MONEY, Printed(Decimal("152.2"), "万元")),
        ("67.74 万", MONEY, Printed(Decimal("67.74"), "万元")),
        ("3,394,432.52元", MONEY, Printed(Decimal("3394432.52"), "元")),
        ("9 152.2万元", MONEY, Printed(Decimal("9152.2"), "万元")),  # one cell: one amount
        ("0", MONEY, Printed(Decimal("0"))),
        # samples/04-shanghai-office-2025: cells with a note
        ("22（其中修订 16 件）", COUNT, Printed(22, None, "其中修订16件")),
        ("55（含自然失效 29 件）", COUNT, Printed(55, None, "含自然失效29件")),
        ("1\u30002", COUNT, Printed(12)),  # U+3000 inside a digits-only cell
    ],
)
def test_values_as_printed(text: str, kind: CellKind, expected: Printed) -> None:
    parsed = parse_printed(text, kind)
    assert parsed == expected
    assert type(parsed.value) is type(expected.value)


def test_money_keeps_its_printed_decimals() -> None:
    assert str(parse_printed("152.20", MONEY).value) == "152.20"


@pytest.mark.parametrize("text", ["", "  ", "/", "—", "——", "－", "-", "无", "\u3000"])
@pytest.mark.parametrize("kind", [COUNT, SIGNED, MONEY])
def test_blanks_stay_blank_never_zero(text: str, kind: CellKind) -> None:
    assert parse_printed(text, kind) == Printed(None)


@pytest.mark.parametrize(
    ("text", "kind", "reason"),
    [
        ("3.0", COUNT, "整数"),
        ("2.5", SIGNED, "整数"),
        ("-3", COUNT, "负数"),
        ("+3", COUNT, "正负号"),
        ("-3", MONEY, "正负号"),
        ("007", COUNT, "0开头"),
        ("1,23", COUNT, "不是一个数值"),
        ("12,345", MONEY, ""),  # accepted below: grouping is right
        ("1 2 3 and", COUNT, "不是一个数值"),
        ("abc", COUNT, "不是一个数值"),
        ("10%", COUNT, "不是一个数值"),
        ("3元", COUNT, "不是一个数值"),  # a money unit in a count cell
        ("1000000001", COUNT, "超过"),
        ("1234567890123", MONEY, "12位"),
        ("1.1234567", MONEY, "小数超过6位"),
        ("（其中修订16件）", COUNT, "只有说明"),
        ("22（a）（b）", COUNT, "不是一个数值"),
    ],
)
def test_not_a_value_is_refused_in_chinese(text: str, kind: CellKind, reason: str) -> None:
    if not reason:
        assert parse_printed(text, kind).value == Decimal("12345")
        return
    with pytest.raises(ValueError, match=reason) as error:
        parse_printed(text, kind)
    assert text.strip()[:2] in str(error.value)


def test_limits_are_the_models() -> None:
    assert parse_printed("1000000000", COUNT).value == 10**9
    assert parse_printed("-1000000000", SIGNED).value == -(10**9)
    assert parse_printed("123456789012.123456", MONEY).value == Decimal("123456789012.123456")
