"""What an agency name, a title and a signing agency may hold — decided once, here.

These names are shown in lists, printed at the head of the report, written into Word's
document properties and compared to find a report.  So they must look like what they are:

* NFC-normalised, so that 乡 typed on one computer and 乡 pasted from another are one name;
* no control characters (C0, C1, DEL): they print as nothing, or as terminal escape codes;
* no invisible or format characters (zero-width space and joiner, the byte-order mark, soft
  hyphen, bidi overrides and isolates…): they make look-alike duplicate reports;
* no line break, except in a title, where a typed break is meaningful (it breaks the printed
  title); a title's breaks are normalised to ``\\n`` and it does not start or end with one.

Private-use characters stay allowed: old systems encode rare characters of place names there.
Every entry point (the data file reader, :mod:`model.ops`) applies :func:`clean_name`, and every
exporter accepts all that it admits.
"""

from __future__ import annotations

import functools
import unicodedata

from model.errors import UserError

AGENCY = "机关名称"
TITLE = "标题"
SIGNATURE = "落款单位"

#: Characters with names a clerk can recognise in a message.
_KNOWN = {
    "\t": "制表符",
    "\u00ad": "软连字符",
    "\u034f": "组合字形连接符",
    "\u061c": "阿拉伯文字方向标记",
    "\u180e": "蒙古文元音分隔符",
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连接符",
    "\u200e": "从左到右标记",
    "\u200f": "从右到左标记",
    "\u2028": "行分隔符",
    "\u2029": "段分隔符",
    "\u2060": "零宽不折行空格",
    "\ufeff": "字节顺序标记",
}
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BREAKS = ("\r\n", "\r", "\u2028", "\u2029", "\x85")
#: The general categories refused whatever the character (see :func:`_problem`).
_REFUSED_CATEGORIES = ("Cc", "Cf", "Zl", "Zp", "Cs")
#: The planes holding characters of those categories; the others are unassigned or private
#: use (tests/model/test_names.py checks this against every code point).
_PLANES_WITH_REFUSED = (0, 1, 2, 3, 14)


class InvalidName(UserError, ValueError):
    """A name that may not be stored; ``str()`` is the message for the clerk."""


def clean_name(text: str, what: str = AGENCY, *, line_breaks: bool = False) -> str:
    """``text`` normalised (NFC, trimmed, line breaks as ``\\n`` where allowed); refused with a
    :class:`InvalidName` naming the character if it holds one it may not.  An empty result is
    returned as ``""`` (the caller decides whether blank is allowed)."""
    if line_breaks:
        for mark in _BREAKS:
            text = text.replace(mark, "\n")
    text = unicodedata.normalize("NFC", text)
    for char in text:
        problem = _problem(char, line_breaks)
        if problem is not None:
            raise InvalidName(f"{what}含有{problem}，请删除后再试。")
    if line_breaks:
        text = "\n".join(line.strip() for line in text.split("\n"))
        while "\n\n" in text:
            text = text.replace("\n\n", "\n")
    return text.strip()


def _problem(char: str, line_breaks: bool) -> str | None:
    """What is wrong with ``char`` in a name, or None if it may stand there."""
    if char == "\n":
        return None if line_breaks else "换行符（名称不能分行）"
    code = f"U+{ord(char):04X}"
    if char in _BIDI:
        return f"不可见的文字方向控制符 {code}"
    category = unicodedata.category(char)
    if char in _KNOWN and category != "Cc":
        return f"不可见字符 {code}（{_KNOWN[char]}）"
    if category == "Cc":
        name = _KNOWN.get(char, "控制字符")
        return f"{name} {code}" if name != "控制字符" else f"控制字符 {code}"
    if category in ("Cf", "Zl", "Zp"):
        return f"不可见字符 {code}"
    if category == "Cs":
        return f"无效字符 {code}"
    if _noncharacter(ord(char)):
        return f"无效字符 {code}"
    return None


def _noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def visible(text: str) -> str:
    """``text`` for one line of terminal output: anything a name may not hold (read from an
    older database, say) shown as ``<U+XXXX>``, never sent to the terminal as it is."""
    return "".join(
        f"<U+{ord(c):04X}>" if c == "\n" or _problem(c, False) is not None else c for c in text
    )


def lookup(text: str) -> str:
    """A name typed to find a report (``--agency``), in the form names are stored in."""
    return unicodedata.normalize("NFC", text).strip()


def match_key(text: str) -> str:
    """What two spellings of one unit's name share: the county's register and a unit's own
    report write 某某县卫生健康局（县中医药局） and 某某县 卫生健康局(县中医药局) alike.  Full-width
    and half-width forms fold together (NFKC) and white space of any width is left out.  For
    matching only: a name is stored and printed as it was written."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def schema_pattern(line_breaks: bool = False, required: bool = False) -> str:
    """A JSON Schema ``pattern`` that a string matches exactly when :func:`clean_name`
    accepts it (``required``: and it is not blank), so that the published schema says what
    the reader does.  The class spells characters of the BMP as ``\\uXXXX`` and those beyond
    it as themselves, which Python's ``re`` and ECMA-262 (with the ``u`` flag) both read."""
    not_blank = r"(?=[\s\S]*\S)" if required else ""
    return rf"^{not_blank}[^{_refused_class(line_breaks)}]*(?!\n)$"


@functools.cache
def _refused_class(line_breaks: bool) -> str:
    codes = {
        code
        for plane in _PLANES_WITH_REFUSED
        for code in range(plane << 16, (plane + 1) << 16)
        if unicodedata.category(chr(code)) in _REFUSED_CATEGORIES
    }
    codes |= {ord(char) for char in _KNOWN} | {ord(char) for char in _BIDI}
    codes |= set(range(0xFDD0, 0xFDF0))
    codes |= {plane << 16 | low for plane in range(17) for low in (0xFFFE, 0xFFFF)}
    if line_breaks:
        codes -= {ord(mark[-1]) for mark in _BREAKS} | {ord("\n")}
    else:
        codes.add(ord("\n"))
    return "".join(_class_range(low, high) for low, high in _runs(sorted(codes)))


def _runs(codes: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for code in codes:
        if runs and runs[-1][1] == code - 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    return runs


def _class_range(low: int, high: int) -> str:
    def spelled(code: int) -> str:
        return f"\\u{code:04X}" if code <= 0xFFFF else chr(code)

    return spelled(low) if low == high else f"{spelled(low)}-{spelled(high)}"
