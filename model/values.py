"""Cell values: what a clerk may type, and how a value is checked from a data file.

A count is an ``int``; money is an exact ``Decimal`` (never a float).  Blank is ``None``.
Every refusal is a :class:`InvalidValue` whose message says in Chinese what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from model.errors import UserError
from model.formats.types import MAX_COUNT, MAX_MONEY_DIGITS, MONEY_PLACES, CellKind

CellValue = int | Decimal

_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋−",
    "0123456789.,-+-",
)
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
# ASCII digits only ([0-9], not \d, which takes other scripts' digits) and \Z, not $ (which
# also matches before a final newline).
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?\Z")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_MONEY = re.compile(rf"[0-9]{{1,{MAX_MONEY_DIGITS}}}(\.[0-9]{{1,{MONEY_PLACES}}})?\Z")


class InvalidValue(UserError, ValueError):
    """A value that does not fit its cell; ``str()`` is the message for the clerk."""


def describe(kind: CellKind) -> str:
    """What a cell of ``kind`` accepts, in words."""
    if kind is CellKind.COUNT:
        return f"不小于0的整数（最大{MAX_COUNT:,}）"
    if kind is CellKind.SIGNED_COUNT:
        return "整数（减少时填负数，如 -2）"
    return f"不小于0的金额，最多{MONEY_PLACES}位小数"


def normalise(text: str) -> str:
    """Full-width digits to ASCII, spaces out, thousands separators out."""
    cleaned = _SPACES.sub("", text.translate(_FULL_WIDTH))
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(",", "")
    return cleaned


def parse(kind: CellKind, text: str) -> CellValue | None:
    """The value a clerk typed, or ``None`` for a blank cell."""
    cleaned = normalise(text)
    if not cleaned:
        return None
    if kind is CellKind.MONEY:
        if not _MONEY.match(cleaned):
            raise InvalidValue(f"“{text.strip()}”不是有效的金额：应填{describe(kind)}")
        return Decimal(cleaned)
    if not _INTEGER.match(cleaned):
        raise InvalidValue(f"“{text.strip()}”不是整数：应填{describe(kind)}")
    return check_integer(kind, int(cleaned))


def check_integer(kind: CellKind, value: int) -> int:
    """``value`` if a cell of ``kind`` may hold it."""
    if kind is CellKind.COUNT and value < 0:
        raise InvalidValue(f"不能为负数（{value}）：应填{describe(kind)}")
    if abs(value) > MAX_COUNT:
        raise InvalidValue(f"数值{value}过大，超过{MAX_COUNT:,}，请核实")
    return value


def from_json(kind: CellKind, raw: object) -> CellValue:
    """A value as a data file holds it: counts are JSON integers, money a decimal string."""
    if kind is CellKind.MONEY:
        if not isinstance(raw, str):
            raise InvalidValue(f'金额应写成字符串形式的数字（如 "67.74"），不能是{json_type(raw)}')
        if not _MONEY.match(raw):
            raise InvalidValue(f"“{raw}”不是有效的金额：应为{describe(kind)}")
        return Decimal(raw)
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise InvalidValue(f"应为整数，不能是{json_type(raw)}")
    return check_integer(kind, raw)


def to_json(value: CellValue) -> int | str:
    return str(value) if isinstance(value, Decimal) else value


def to_text(value: CellValue | None) -> str:
    """The value as a clerk reads it (blank stays blank)."""
    if value is None:
        return ""
    return str(value)


def json_type(raw: object) -> str:
    """The JSON type of ``raw`` in Chinese, for messages."""
    if raw is None:
        return "空值（null）"
    if isinstance(raw, bool):
        return "真假值"
    if isinstance(raw, int):
        return "整数"
    if isinstance(raw, float):
        return "小数"
    if isinstance(raw, str):
        return f"文字“{raw[:20]}”"
    if isinstance(raw, list):
        return "列表"
    if isinstance(raw, dict):
        return "对象"
    return type(raw).__name__


_DATE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")


def parse_date(text: str) -> dt.date | None:
    """A date as a clerk types it: 2020年1月20日, 2020-01-20, 2020.1.20; blank is None."""
    cleaned = normalise(text)
    if not cleaned:
        return None
    match = _DATE.fullmatch(cleaned)
    if match is None:
        raise InvalidValue(f"“{text.strip()}”不是日期：请按“2020年1月20日”的样式填写")
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise InvalidValue(f"“{text.strip()}”不是存在的日期") from None


def date_text(date: dt.date | None) -> str:
    """A date as the report prints it: Arabic numerals, no zero padding (2020年1月20日)."""
    return "" if date is None else f"{date.year}年{date.month}月{date.day}日"
