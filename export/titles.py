"""Where the title of the report breaks into lines (GB/T 9704 §7.3.1, see PRINT.md).

    title_lines(title, chars_per_line) -> list[str]

GB/T 9704 asks a title that runs over one line to break 词意完整、排列对称、长短适宜, its
lines standing as a trapezoid (梯形: the upper lines shorter) or a diamond (菱形: the middle
line longest).  A greedy break by width, as for the body, splits 年度 or 政府/信息 and leaves
20 characters over 4.  Here the break is chosen among the places where the title's phrases
meet, the lines balanced:

- a line break the clerk typed in the title is kept as typed (blank lines and spaces at
  either end of a line dropped); only a typed line too long for the width is broken further;
- a title that fits on one line stays on one line;
- never inside the year (2024年, 2021年度), inside 年度, inside 政府信息公开 (政府/信息,
  信息/公开) or inside 工作年度报告, nor where the 禁则 of :mod:`export.linebreak` forbid;
- best before the year (淮安市人民政府 / 2024年政府信息公开工作年度报告) or before
  政府信息公开…报告 (…2024年 / 政府信息公开工作年度报告);
- next best at a word boundary of a name too long for one line: after 省, 市, 县, 区,
  人民政府, 办公厅, 局 … or at a bracket (…办公室 / （…）); then between 政府信息公开 and
  工作年度报告; anywhere else only when nothing better fits; a break
  inside brackets only when the name in them is too long for a line;
- two lines rather than three, three rather than four, each at most ``chars_per_line`` wide
  (a Han character counts 1, a digit or Latin letter 0.6, a little more than the title faces
  set them), the lines as even as the breaks allow, a shorter line above a longer one rather
  than below it.

The result never loses or adds a character other than the spaces and line breaks dropped.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import combinations, pairwise

from export.linebreak import break_opportunities

#: The fixed tail of a report's title, and its words (a break inside a word is never made).
_TAIL = re.compile(r"政府信息公开(?:工作)?(?:年度)?报告")
_YEAR = re.compile(r"[0-9０-９]{4}年度?")
_WORDS = re.compile(r"政府信息公开|政务公开|工作年度报告|年度报告|年度|工作")
#: The words a name of an agency or a place ends in: a break may follow them.
_NAME_ENDS = re.compile(
    r"人民政府|人民代表大会|办公厅|办公室|委员会|管委会|管理委员会|管理局|服务中心|中心|"
    r"实验区|开发区|示范区|新区|片区|园区|街道办事处|街道|自治州|自治县|自治区|"
    # a single character ends a name only where it is not inside a word: not the 市 of
    # 城市/市场, the 区 of 社区/城区 or the 乡 of 城乡/乡村
    r"(?<!城)市(?!场)|(?<![社城])区|(?<!城)乡(?!村)|[省县州盟旗镇村局厅委办部署院所站]"
)

#: Penalties of the kinds of break (lower is better), and of unevenness per character.
_BEST, _NAME, _TAIL_SPLIT, _ANY = 0.0, 4.0, 6.0, 30.0
_IN_BRACKETS = 6.0  # a break inside （…）
_EXTRA_LINE = 5.0  # each line more than two
_UNEVEN = 1.0
_UPSIDE_DOWN = 1.5  # a longer line above a shorter one (an inverted trapezoid), per character
_MAX_LINES = 4


def char_width(char: str) -> float:
    """A character's width in the title, in characters: Han and full-width 1, a digit or
    Latin letter 0.6 (the shipped title face sets digits 0.56 wide, Windows faces 0.5)."""
    return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.6


def text_width(text: str) -> float:
    return sum(map(char_width, text))


def title_lines(title: str, chars_per_line: int) -> list[str]:
    """The lines of ``title`` for a title line holding ``chars_per_line`` Han characters
    (see the module's docstring for the rules)."""
    typed = [line.strip(" \t\u3000") for line in title.splitlines()]
    lines = [line for line in typed if line]
    out: list[str] = []
    for line in lines:
        out += _break(line, chars_per_line)
    return out


def name_lines(name: str, chars_per_line: int) -> list[str]:
    """A name too long for one line (a long 落款) in lines that break only where a title
    may: at a name's boundary (…办公室 / （…）), never inside a word."""
    return _break(name.strip(" \t\u3000"), chars_per_line) if name.strip() else []


def _break(text: str, width: int) -> list[str]:
    if text_width(text) <= width:
        return [text]
    if text_width(text) > _MAX_LINES * width:
        return _greedy(text, width)
    kinds = _break_kinds(text)
    places = [i for i, kind in enumerate(kinds) if kind is not None]
    best: tuple[float, list[str]] | None = None
    for count in range(2, _MAX_LINES + 1):
        for cuts in combinations(places, count - 1):
            lines = [text[a:b] for a, b in zip((0, *cuts), (*cuts, len(text)), strict=True)]
            widths = [text_width(line) for line in lines]
            if max(widths) > width:
                continue
            score = sum(kinds[c] or 0.0 for c in cuts) + _shape(widths)
            score += _EXTRA_LINE * (count - 2)
            if best is None or score < best[0]:
                best = (score, lines)
    return best[1] if best is not None else _greedy(text, width)


def _break_kinds(text: str) -> list[float | None]:
    """``kinds[i]``: the penalty of a break before ``text[i]``, None where forbidden."""
    allowed = break_opportunities(text)
    kinds: list[float | None] = [_ANY if ok else None for ok in allowed]
    if kinds:
        kinds[0] = None
    for pattern in (_YEAR, _WORDS):
        for match in pattern.finditer(text):
            for i in range(match.start() + 1, match.end()):
                kinds[i] = None
    tails = list(_TAIL.finditer(text))
    for match in _NAME_ENDS.finditer(text):
        end = match.end()
        inside_tail = any(t.start() < end < t.end() for t in tails)
        if end < len(text) and kinds[end] is not None and not inside_tail:
            kinds[end] = _NAME
    for i, char in enumerate(text):
        if char in "（(" and kinds[i] is not None:
            kinds[i] = _NAME
        if char in "）)" and i + 1 < len(text) and kinds[i + 1] is not None:
            kinds[i + 1] = _NAME
    depth = 0
    for i, char in enumerate(text):  # a name inside brackets breaks only when it must
        kind = kinds[i]
        if depth > 0 and kind is not None and char not in "）)":
            kinds[i] = kind + _IN_BRACKETS
        depth += (char in "（(") - (char in "）)")
    for tail in tails:
        split = tail.start() + len("政府信息公开")
        if split < tail.end() and allowed[split]:
            kinds[split] = _TAIL_SPLIT
    for match in _YEAR.finditer(text):
        if match.start() > 0 and kinds[match.start()] is not None:
            kinds[match.start()] = _BEST
    for tail in tails:
        if tail.start() > 0 and allowed[tail.start()]:
            kinds[tail.start()] = _BEST
    return kinds


def _shape(widths: list[float]) -> float:
    """The penalty of lines of these widths: uneven, or longer above shorter (for three
    lines a diamond, the middle one longest, is as good as a trapezoid)."""
    score = _UNEVEN * (max(widths) - min(widths))
    if len(widths) == 3 and widths[1] >= widths[0] and widths[1] >= widths[2]:
        return score
    for upper, lower in pairwise(widths):
        score += _UPSIDE_DOWN * max(0.0, upper - lower)
    return score


def _greedy(text: str, width: int) -> list[str]:
    """As many characters a line as fit (only for a title no phrase break can hold)."""
    allowed = break_opportunities(text)
    lines, start, used = [], 0, 0.0
    for i, char in enumerate(text):
        if used + char_width(char) > width and i > start:
            cut = next((b for b in range(i, start, -1) if allowed[b]), i)
            lines.append(text[start:cut])
            start, used = cut, text_width(text[cut:i])
        used += char_width(char)
    lines.append(text[start:])
    return lines
