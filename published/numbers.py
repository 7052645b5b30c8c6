"""A value as a published report prints it in a cell of its own: “22”, “3,147,230元”,
“152.2万元”, “22（其中修订 16 件）”, “—”.

Pure functions, no format knowledge beyond the :class:`CellKind` passed in.  Anything that is
not clearly one value raises a plain :class:`ValueError` whose message says in Chinese why; the
caller then leaves the cell unread (a wrong number is worse than a blank one).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from model.formats.types import MAX_COUNT, MAX_MONEY_DIGITS, MONEY_PLACES, CellKind

__all__ = ["BLANKS", "Printed", "normalise_digits", "parse_printed"]

#: What a report prints for an empty cell (after NFKC and whitespace removal).
BLANKS = frozenset({"", "/", "\\", "-", "--", "—", "——", "–", "―", "─", "无"})

#: Money units a cell may carry, as printed → as stored.
_MONEY_UNITS = {"元": "元", "万元": "万元", "万": "万元"}
#: Count units a count cell may carry; read and dropped (“3件” is 3).
_COUNT_UNITS = ("件", "个", "起", "次", "项", "条", "份", "人", "宗", "家")

# NFKC leaves these alone; all are minus signs or dashes in practice.
_MINUS = str.maketrans({"\u2212": "-", "\u2010": "-", "\u2011": "-", "\ufe63": "-"})
_SPACE = re.compile(r"\s+")
# A value followed by one bracketed note: 22(其中修订16件).
_NOTE = re.compile(r"(?P<value>[^()]*)\((?P<note>[^()]*)\)\Z")
_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?\Z")
_NUMBER = re.compile(r"(?P<sign>[+-]?)(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]+))?\Z")


@dataclass(frozen=True)
class Printed:
    """One cell's printed value.

    ``value`` None: the cell is printed blank (“”, “/”, “—”, “无” …), which stays blank and is
    never read as 0.  ``unit`` is “元” / “万元” when the cell prints one with the amount
    (“3147230元”, “67.74 万”), else None.  ``note`` is a remark printed in brackets after the
    value (“其中修订16件” from “22（其中修订 16 件）”), spaces removed."""

    value: int | Decimal | None
    unit: str | None = None
    note: str = ""


def normalise_digits(text: str) -> str:
    """NFKC (full-width digits, signs and brackets to ASCII) and every minus-like dash to “-”."""
    return unicodedata.normalize("NFKC", text).translate(_MINUS)


def parse_printed(text: str, kind: CellKind) -> Printed:
    """The value printed in one cell of ``kind``.

    Raises :class:`ValueError` (Chinese message) for text that is not one value of ``kind``:
    words, several numbers, a count with decimals (“3.0”), a negative count, a leading zero
    (“007”), ill-placed thousands commas, or a value beyond the model's limits."""
    shown = text.strip()
    cleaned = _SPACE.sub("", normalise_digits(text))
    note = ""
    match = _NOTE.match(cleaned)
    if match is not None:
        cleaned, note = match.group("value"), match.group("note")
        if cleaned in BLANKS:
            raise ValueError(f"“{shown}”只有说明没有数值")
    if cleaned in BLANKS:
        return Printed(None)
    unit: str | None = None
    if kind is CellKind.MONEY:
        for printed_unit in sorted(_MONEY_UNITS, key=len, reverse=True):
            if cleaned.endswith(printed_unit) and len(cleaned) > len(printed_unit):
                cleaned, unit = cleaned[: -len(printed_unit)], _MONEY_UNITS[printed_unit]
                break
    else:
        for count_unit in _COUNT_UNITS:
            if cleaned.endswith(count_unit) and len(cleaned) > len(count_unit):
                cleaned = cleaned[: -len(count_unit)]
                break
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(",", "")
    number = _NUMBER.match(cleaned)
    if number is None:
        raise ValueError(f"“{shown}”不是一个数值")
    sign, integer, fraction = number.group("sign"), number.group("int"), number.group("frac")
    if len(integer) > 1 and integer.startswith("0"):
        raise ValueError(f"“{shown}”以0开头，无法确定是否为一个数值")
    if kind is CellKind.MONEY:
        return Printed(_money(shown, sign, integer, fraction), unit, note)
    if fraction is not None:
        raise ValueError(f"“{shown}”带小数，而此处应为整数（件数）")
    value = int(sign + integer)
    if value < 0 and kind is CellKind.COUNT:
        raise ValueError(f"“{shown}”是负数，而此处应为不小于0的整数")
    if sign and kind is CellKind.COUNT:
        raise ValueError(f"“{shown}”带正负号，而此处应为不小于0的整数")
    if abs(value) > MAX_COUNT:
        raise ValueError(f"“{shown}”超过{MAX_COUNT:,}，不像是件数")
    return Printed(value, None, note)


def _money(shown: str, sign: str, integer: str, fraction: str | None) -> Decimal:
    if sign:
        raise ValueError(f"“{shown}”带正负号，而金额应为不小于0的数")
    if len(integer) > MAX_MONEY_DIGITS:
        raise ValueError(f"“{shown}”整数部分超过{MAX_MONEY_DIGITS}位，不像是金额")
    if fraction is not None and len(fraction) > MONEY_PLACES:
        raise ValueError(f"“{shown}”小数超过{MONEY_PLACES}位")
    return Decimal(integer if fraction is None else f"{integer}.{fraction}")
