"""Numbers as reports write them in running text: 12, １２, 1,234, 十二, 一百零五, 两千, 一万二千."""

from __future__ import annotations

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def parse_number(text: str) -> int | None:
    """The integer ``text`` writes, or ``None`` when it is not a number we can read."""
    plain = text.translate(_FULL_WIDTH).replace(",", "")
    if plain.isascii():
        return int(plain) if plain.isdigit() else None
    return _chinese(plain)


def _chinese(text: str) -> int | None:
    if not text:
        return None
    if "万" in text:
        high, _, low = text.partition("万")
        upper = _chinese(high) if high else 1
        lower = _chinese(low) if low else 0
        if upper is None or lower is None or lower >= 10000:
            return None
        return upper * 10000 + lower
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            if digit is not None and digit != 0:
                return None  # "一二" is not a number
            digit = _DIGITS[char]
        elif char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            return None
    return total + (digit or 0)
