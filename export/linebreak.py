"""Where a line of Chinese text may break (禁则, PRINT.md).

Chinese breaks between any two characters, except that no line may start with closing
punctuation or a pause mark, no line may end with opening punctuation, a number stays with
its unit (67.74万元, 2019年), a run of Latin letters and digits stays whole, and a doubled
dash or ellipsis (—— ……) is never split.  ReportLab's own CJK wrap knows only part of this
(it lets “，” start a line), so the PDF renderer asks :func:`break_opportunities` instead.
"""

from __future__ import annotations

#: May not start a line.
CLOSING = frozenset("，。、；：？！）」』”’》〉】〕］｝〗〙〞…‥·・％‰℃,.;:?!)]}%")
#: May not end a line.
OPENING = frozenset("（「『“‘《〈【〔［｛〖〘〝([{￥$")
#: Stay with the number before them: 2019年, 67.74万元, 12件.
UNITS = frozenset("年月日时分秒号万亿千百元角件项个条次人名户家篇期批所座处余多")
#: Never split when doubled.
PAIRED = frozenset("—…")


def in_word(char: str) -> bool:
    """Part of a Latin word or a number (full-width digits too)."""
    return (char < "\u2e80" and not char.isspace() and char not in PAIRED) or "０" <= char <= "９"


def break_opportunities(text: str) -> list[bool]:
    """``result[i]`` says whether a line may break before ``text[i]`` (``result[0]`` is
    False: a line cannot be empty)."""
    allowed = [False] * len(text)
    for i in range(1, len(text)):
        before, char = text[i - 1], text[i]
        after_number = before.isdigit() or (before in UNITS and i > 1 and text[i - 2].isdigit())
        allowed[i] = not (
            char in CLOSING
            or before in OPENING
            or (in_word(before) and in_word(char))
            or (before == char and char in PAIRED)
            or (char in UNITS and after_number)
        )
    return allowed


def find_break(text: str, allowed: list[bool], start: int, overflow: int) -> int:
    """Where to end the line that starts at ``start`` when ``text[overflow]`` no longer fits:
    at the last allowed break; failing that after the closing punctuation that follows (it
    hangs into the margin rather than starting the next line); failing that, at ``overflow``."""
    for b in range(overflow, start, -1):
        if allowed[b]:
            return b
    end = overflow
    while end < len(text) and end - overflow < 2 and text[end] in CLOSING:
        end += 1
    return end if end > overflow and (end == len(text) or allowed[end]) else overflow


def skip_spaces(text: str, start: int) -> int:
    """A line does not start with a space."""
    while start < len(text) and text[start] == " ":
        start += 1
    return start


def break_lines(text: str, widths: list[float], max_width: float) -> list[str]:
    """``text`` greedily broken into lines no wider than ``max_width`` where the rules allow.
    ``widths`` are the characters' widths.  The PDF renderer applies the same steps to
    ReportLab's fragments; this plain version documents and tests them."""
    allowed = break_opportunities(text)
    lines, start, used = [], 0, 0.0
    i = 0
    while i < len(text):
        if used + widths[i] > max_width and i > start:
            cut = find_break(text, allowed, start, i)
            lines.append(text[start:cut].rstrip(" "))
            start = skip_spaces(text, cut)
            i = max(i, start)
            used = sum(widths[start:i])
            continue
        used += widths[i]
        i += 1
    if start < len(text):
        lines.append(text[start:])
    return lines
