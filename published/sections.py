"""The six part headings of a published report, and its narrative texts.

A document's paragraphs are joined into one :class:`FlatText` (tables excluded): copied page
text often holds a whole report in one line, headings inline and the tables flattened between
二 and 五, so the headings are found *in running text*, by meaning (the part names of
:func:`model.formats.common.parts` and the variants real reports print), never by line.

A heading is taken only where it is a heading: a numeral (一、 一. 一．, 第一部分), a name that
means one of the six parts, then text — not a list of the part names in the preamble (“本报告由
总体情况、主动公开政府信息情况…六个部分组成”).  Of all such places the one sequence in part
order that holds the most headings is kept; renumbered outlines (上海: the tables appended as
一/二/三; a 7-part narrative) map by meaning, and :attr:`Sections.notes` says so.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass

from model.formats.common import parts as _format_parts
from published.document import Origin, SourceDocument

#: Snippets shown to the clerk are trimmed to this many characters.
SNIPPET = 60

#: The part keys in order, and their headings (the one definition in model.formats).
_PARTS = _format_parts(())
PART_KEYS: tuple[str, ...] = tuple(p.key for p in _PARTS)
_HEADINGS: dict[str, str] = {p.key: p.heading for p in _PARTS}
_NUMERALS = "一二三四五六七八九十"


# ---------------------------------------------------------------------------- flat text


@dataclass(frozen=True)
class FlatText:
    """Every paragraph of a document joined by "\\n" (tables excluded), with where each starts."""

    text: str
    starts: tuple[tuple[int, Origin], ...]

    def origin(self, start: int, end: int) -> Origin:
        """Where ``text[start:end]`` was read: its paragraph's origin (with the character range
        inside a long paragraph) and the text itself, trimmed."""
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        snippet = _trim(self.text[start:end])
        if not self.starts:
            return Origin(f"第{start + 1}–{end}字", snippet)
        offsets = [s for s, _ in self.starts]
        index = max(0, bisect.bisect_right(offsets, start) - 1)
        para_start, para_origin = self.starts[index]
        para_end = offsets[index + 1] - 1 if index + 1 < len(offsets) else len(self.text)
        where = para_origin.where
        if para_end - para_start > 200:
            where = f"{where}第{start - para_start + 1}–{max(end - para_start, start - para_start + 1)}字"
        return Origin(where, snippet)


def _trim(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def flatten(doc: SourceDocument) -> FlatText:
    """The paragraphs of ``doc`` as one text, one paragraph a line."""
    pieces: list[str] = []
    starts: list[tuple[int, Origin]] = []
    offset = 0
    for paragraph in doc.paragraphs():
        text = paragraph.text.replace("\r\n", "\n").replace("\r", "\n")
        starts.append((offset, paragraph.origin))
        pieces.append(text)
        offset += len(text) + 1
    return FlatText("\n".join(pieces), tuple(starts))


# ---------------------------------------------------------------------------- normalised view


@dataclass(frozen=True)
class _Norm:
    """``text`` NFKC-normalised with spaces removed (newlines kept); ``index[i]`` is where
    character ``i`` of it is in the flat text."""

    text: str
    index: tuple[int, ...]

    def raw(self, i: int, total: int) -> int:
        return self.index[i] if i < len(self.index) else total


def _normalise(text: str) -> _Norm:
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch != "\n" and ch.isspace():
            continue
        folded = unicodedata.normalize("NFKC", ch)
        if len(folded) != 1 or (folded.isspace() and folded != "\n"):
            folded = ch
        chars.append(folded)
        index.append(i)
    return _Norm("".join(chars), tuple(index))


# ---------------------------------------------------------------------------- headings

# What each part's heading may say after its numeral (normalised text: no spaces, NFKC).
# A pattern must end exactly where the heading ends: copied text runs the body on.
_GAP = r"[^。;,、\n:]"
_NAMES: dict[str, str] = {
    "overview": r"(?:政府信息公开(?:工作)?|年度)?总体(?:情况|概况)",
    "active": (
        r"(?:主动公开政府信息(?:的)?情况|政府信息(?:的)?主动公开(?:的)?情况"
        r"|主动公开(?:政府信息)?(?:工作)?(?:情况)?(?=\(有关情况附表\)|第二十条))"
    ),
    "requests": (
        r"(?:收到和?处理政府信息公开申请(?:的)?情况|收到(?:和|及|与)?办理政府信息公开申请(?:的)?情况"
        r"|政府信息公开申请(?:的)?(?:收到和)?(?:处理|办理)(?:的)?情况"
        r"|依申请公开(?:政府信息)?(?:工作)?(?:的)?情况)"
    ),
    "appeals": (
        rf"(?:{_GAP}{{0,16}}?行政法?复议(?:{_GAP}|、){{0,8}}?(?:行政)?诉讼(?:的)?(?:情况)?)"
    ),
    "problems": (
        rf"(?:{_GAP}{{0,12}}?(?:存在的?|突出|主要)(?:主要|突出)?(?:问题|不足)"
        rf"(?:[和及与]{_GAP}{{0,4}}?(?:改进|整改){_GAP}{{0,3}}?(?:情况|措施|举措|计划|方向|打算|工作))?"
        r"|下一步(?:工作)?(?:改进|整改)?(?:举措|措施|计划|打算|思路|工作计划))"
    ),
    "other_matters": (
        r"(?:其他需?要?(?:报告|说明)的?(?:事项|情况)|需要?(?:报告|说明)的其他事项|其他事项)"
    ),
}
_HINT = r"(?:\((?:有关情况)?附表\d*\)|\(详见附表\))?"
_NUMBER = (
    rf"(?:(?P<num>[{_NUMERALS}]{{1,2}})(?P<sep>[、.])?|第(?P<num2>[{_NUMERALS}]{{1,2}})部分[:、]?)"
)
_HEADING = re.compile(
    rf"{_NUMBER}(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _NAMES.items()) + rf"){_HINT}"
)
# Any top-level numbered heading (an unknown part: “五、信息处理费收取情况”).
_ANY_NUMBER = re.compile(_NUMBER)


@dataclass(frozen=True)
class _Heading:
    key: str | None  # part key, or None for a heading of no known part
    number: int  # its numeral (0 when unknown)
    start: int  # in the normalised text: the numeral
    end: int  # in the normalised text: after the heading (hint included)


def _number(text: str | None) -> int:
    if not text:
        return 0
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _NUMERALS.index(text[1]) + 1
    if len(text) == 2 and text[1] == "十":
        return (_NUMERALS.index(text[0]) + 1) * 10
    return _NUMERALS.index(text[0]) + 1


def _is_list_item(norm: str, start: int, end: int) -> bool:
    """A part name in a list (the preamble's “一、总体情况；二、主动公开…”), not a heading."""
    after = norm[end : end + 4]
    if after[:1] in ("、", ";", ",", "等", "和", "及", "与"):
        return True
    listed = _ANY_NUMBER.match(after)
    return listed is not None and bool(listed.group("sep") or listed.group("num2"))


def _candidates(norm: str) -> list[_Heading]:
    found: list[_Heading] = []
    for match in _HEADING.finditer(norm):
        start, end = match.span()
        before = norm[start - 1 : start]
        if before and (before in _NUMERALS or before in "第其之(（"):
            continue
        if _is_list_item(norm, start, end):
            continue
        if match.group("num") and not match.group("sep") and before not in ("", "\n", "。"):
            continue  # “一总体情况” only where a sentence ended
        key = next(k for k in _NAMES if match.group(k))
        found.append(_Heading(key, _number(match.group("num") or match.group("num2")), start, end))
    return found


def _best_chain(cands: list[_Heading]) -> list[_Heading]:
    """The longest sequence of headings in part order (ties: more headings numbered as the
    format numbers them, then the earliest); consecutive problem headings may repeat (a
    narrative that splits 问题 and 改进 in two parts)."""
    order = {k: i for i, k in enumerate(PART_KEYS)}
    best: list[tuple[int, int, int, int]] = []  # (length, standard-numbered, -first start, prev)
    for i, cand in enumerate(cands):
        std = int(cand.number == order[cand.key or ""] + 1)
        score = (1, std, -cand.start, -1)
        for j in range(i):
            prev = cands[j]
            a, b = order[prev.key or ""], order[cand.key or ""]
            if not (a < b or (a == b and cand.key == "problems")):
                continue
            if prev.end > cand.start:
                continue
            length, s, first, _ = best[j]
            option = (length + 1, s + std, first, j)
            if option[:3] > score[:3]:
                score = option
        best.append(score)
    if not best:
        return []
    i = max(range(len(best)), key=lambda k: best[k][:3])
    chain: list[_Heading] = []
    while i >= 0:
        chain.append(cands[i])
        i = best[i][3]
    return chain[::-1]


# ---------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class Sections:
    """The parts of a report in its flat text.

    ``parts`` maps a part key (``overview`` … ``other_matters``) to the span of its body in
    ``flat.text``, heading excluded; ``preamble`` is the text before 一、总体情况 after the title
    and any 函 wrapper; ``closing`` the 落款 (agency and date) at the end; ``title`` where the
    title was printed at the top, if it was; ``notes`` tell the clerk what was unusual."""

    flat: FlatText
    parts: dict[str, tuple[int, int]]
    preamble: tuple[int, int] | None
    closing: tuple[int, int] | None
    notes: tuple[str, ...]
    title: tuple[int, int] | None = None
    #: The part headings' spans (numeral to end of name) in ``flat.text``, by part key.
    headings: dict[str, tuple[int, int]] | None = None


def find_sections(flat: FlatText) -> Sections:
    """Find the six parts, the preamble, the title and the 落款 in ``flat``."""
    text = flat.text
    total = len(text)
    norm = _normalise(text)
    chain = _best_chain(_candidates(norm.text))
    notes: list[str] = []

    # A narrative whose first part has a name of its own (“一、年度工作核心成效”).
    first_key = chain[0].key if chain else None
    if chain and first_key != "overview":
        first = chain[0]
        ones = [
            match
            for match in _ANY_NUMBER.finditer(norm.text, 0, first.start)
            if _is_unknown_heading(norm.text, match)
            and _number(match.group("num") or match.group("num2")) == 1
        ]
        if ones:
            match = ones[-1]
            end = _unknown_end(norm.text, match.end())
            chain.insert(0, _Heading("overview", 1, match.start(), end))
            name = _trim(text[norm.raw(match.end(), total) : norm.raw(end, total)]) or "（无）"
            notes.append(f"第一部分的标题为“{name}”，按“一、总体情况”读取")

    raw = [(h, norm.raw(h.start, total), norm.raw(h.end, total)) for h in chain]
    headings: dict[str, tuple[int, int]] = {}
    parts: dict[str, tuple[int, int]] = {}
    closing = _find_closing(text, raw[-1][2] if raw else 0)
    limit = closing[0] if closing else total
    for i, (heading, start, end) in enumerate(raw):
        stop = raw[i + 1][1] if i + 1 < len(raw) else limit
        key = heading.key or ""
        if key in parts:  # a second problems heading: one part with the first
            parts[key] = (parts[key][0], stop)
            continue
        headings[key] = (start, end)
        parts[key] = (end, stop)

    # An extra part of no known kind between two known ones (“五、信息处理费收取情况”).
    numbered = [h for h in chain if h.number]
    for prev, nxt in itertools.pairwise(numbered):
        if nxt.number - prev.number < 2 or nxt.key == prev.key:
            continue
        for match in _ANY_NUMBER.finditer(norm.text, prev.end, nxt.start):
            if not _is_unknown_heading(norm.text, match):
                continue
            number = _number(match.group("num") or match.group("num2"))
            if prev.number < number < nxt.number:
                cut = norm.raw(match.start(), total)
                key = prev.key or ""
                if parts[key][1] > cut > parts[key][0]:
                    parts[key] = (parts[key][0], cut)
                name = norm.text[match.end() : match.end() + 16]
                name = name[: name.index("情况") + 2] if "情况" in name else name + "…"
                notes.append(f"第{_cn(number)}部分“{name}”不属于年报格式，未读取其中的文字")
                break

    for heading in chain:
        key = heading.key or ""
        standard = PART_KEYS.index(key) + 1
        renumbered = heading.number and heading.number != standard and key in headings
        if renumbered and headings[key][0] == norm.raw(heading.start, total):
            start, end = headings[key]
            notes.append(
                f"“{_trim(text[start:end])}”按“{_HEADINGS[key]}”读取（编号与年报格式不同）"
            )
    if chain and max(h.number for h in chain) > 6:
        notes.append(f"报告分为{_cn(max(h.number for h in chain))}个部分")
    problems = [h for h in chain if h.key == "problems"]
    if len(problems) > 1:
        names = "；".join(
            _trim(text[norm.raw(h.start, total) : norm.raw(h.end, total)]) for h in problems
        )
        notes.append(f"以下各部分合为“{_HEADINGS['problems']}”：{names}")
    for key in ("overview", "problems", "other_matters"):
        if chain and key not in parts:
            notes.append(f"没有找到“{_HEADINGS[key]}”的标题，这部分文字未读取")
    if not chain:
        notes.append("没有找到年报各部分的标题（一、总体情况……六、其他需要报告的事项）")

    first_start = raw[0][1] if raw else limit
    title = _find_title(text, 0, first_start)
    pre_start = _skip_top(text, title[1] if title else 0, first_start, title is not None)
    preamble = (pre_start, first_start) if text[pre_start:first_start].strip() else None
    return Sections(
        flat=flat,
        parts=parts,
        preamble=preamble,
        closing=closing,
        notes=tuple(dict.fromkeys(notes)),
        title=title,
        headings=headings,
    )


def _cn(number: int) -> str:
    if number <= 10:
        return _NUMERALS[number - 1]
    return "十" + (_NUMERALS[number - 11] if number > 10 else "")


def _unknown_end(norm: str, start: int) -> int:
    """The end of a heading of no known name: before its first sub-heading or line end, if
    near; else no title is cut off (its text stays in the body)."""
    window = norm[start : start + 24]
    for stop in ("(一)", "\n", "1."):
        at = window.find(stop)
        if 0 < at <= 20:
            return start + at
    return start


def _is_unknown_heading(norm: str, match: re.Match[str]) -> bool:
    """Whether a numeral starts a heading of no known part (“五、信息处理费收取情况”): after a
    sentence, a line or a table's last value, and not a row label of part 三 (“一、本年新收…”)."""
    if not (match.group("sep") or match.group("num2")):
        return False
    name = norm[match.end() : match.end() + 12]
    if re.match(r"(?:本年新收|上年结转|本年度|结转下年|[^\u4e00-\u9fff])", name):
        return False
    before = norm[match.start() - 1 : match.start()]
    return before in ("", "\n", "。") or before.isdigit()


# ---------------------------------------------------------------------------- title, top noise

_TITLE = re.compile(
    r"[^。;；\n]{0,60}?(?:\n[^。;；\n]{0,30}?)?"
    r"(?:政府信息公开|政务公开)[^。;；\n]{0,12}?(?:\n[^。;；\n]{0,12}?)?(?:年度报告|年报|报告)(?:的函)?"
)
_TOP_NOISE = re.compile(
    r"\s*(?:"
    r"(?:当前位置|您(?:现在)?的?位置|所在位置)[:：]\s*\S*(?:\s*[>›»/]\s*[^\s>›»/]+)*"
    r"|首页(?:\s*[>›»/]\s*[^\s>›»/]+)+"
    r"|Normal\s+0\s+[\d.]+\s*磅(?:[^{}]*\{[^{}]*\})*[^{}\u4e00-\u9fff]*"
    r"|来源[:：]\s*\S*?\s*时间[:：]\s*\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:-->)?"
    r"|(?:发布|生成|成文|更新)(?:时间|日期)[:：]\s*\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}日?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|(?:信息)?来源[:：]\s*(?=\S*(?:发布|生成|浏览|阅读|点击|作者|字号|字体|【))\S*?(?=发布|生成|浏览|阅读|点击|作者|字号|字体|【)"
    r"|(?:来源|信息来源|作者|发布机构|索引号|文号|浏览次数|阅读次数|点击数|访问量)[:：]\s*\S*"
    r"|(?:微信|微博|QQ空间|全真版|文字版|文件下载|分享到[:：]?|打印本页|打印|关闭窗口|关闭|收藏"
    r"|相关链接[:：]?|字号[:：]?|字体[:：]?|【[^】\n]{0,12}】|\[\s*大\s*中\s*小\s*\]|[大中小](?=\s*[大中小])|正文|-->)"
    r")"
)
_ADDRESSEE = re.compile(
    r"\s*[^\s。，,；;：:]{0,12}(?:办公室|办|政府|管委会|委员会|局|委|厅|部|处|科|室)[:：]"
)


def _find_title(text: str, start: int, stop: int) -> tuple[int, int] | None:
    """The title at the top of the text, after page noise."""
    pos = start
    while True:
        match = _TOP_NOISE.match(text, pos, stop)
        if match is None or match.end() == pos:
            break
        pos = match.end()
    while pos < stop and text[pos].isspace():
        pos += 1
    match = _TITLE.match(text, pos, stop)
    if match is None:
        return None
    found = match.group()
    if "《" in found or "根据" in found or "本报告" in found or not re.search(r"\d|年|度", found):
        return None
    return (match.start(), match.end())


def _skip_top(text: str, pos: int, stop: int, after_title: bool) -> int:
    """Past the page noise and the 函 wrapper's addressee (“区办公室：”) before the preamble."""
    while pos < stop:
        match = _TOP_NOISE.match(text, pos, stop)
        if match is not None and match.end() > pos:
            pos = match.end()
            continue
        match = _ADDRESSEE.match(text, pos, stop) if after_title else None
        if match is not None and not re.search(r"根据|为|按照", match.group()):
            pos = match.end()
            continue
        break
    while pos < stop and text[pos].isspace():
        pos += 1
    return pos


# ---------------------------------------------------------------------------- closing (落款)

_CN_DIGITS = "〇一二三四五六七八九"
DATE = (
    r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
#: Lines after the 落款 that are not the report: (at the end of the text).
_TAIL_NOISE = re.compile(
    r"(?:\s*(?:[（(]此件(?:主动|依申请)?公开[）)]|附件下载|附件[:：]?|打印本页|关闭窗口|打印|关闭|"
    r"[-—–－]\s*\d+\s*[-—–－]|【[^】\n]{0,12}】|收藏|上一篇[:：][^\n]*|下一篇[:：][^\n]*"
    r"|抄送[:：][^\n]*|[^\s。；;]{2,30}\s*" + DATE + r"\s*印发|分享到[:：]?|微信|微博|QQ空间))+\s*$"
)
_AGENCY_END = r"(?:局|委|委员会|办|办公室|院|府|会|厅|中心|所|处|站|队|部|镇|乡|街道|办事处|公司|区|政府|管委会|署|馆|社|行|集团)"
_CLOSING = re.compile(
    rf"(?P<agency>[^\s。；;！!？?：:，,）)”]{{2,40}}?{_AGENCY_END})?[\s\n]*(?P<date>{DATE})\s*$"
)


def _find_closing(text: str, after: int) -> tuple[int, int] | None:
    """The 落款 at the end of the text: the agency's name and the date (either may be alone)."""
    end = len(text)
    match = _TAIL_NOISE.search(text, after)
    if match is not None:
        end = match.start()
    while end > after and text[end - 1].isspace():
        end -= 1
    tail_start = max(after, end - 90)
    match = _CLOSING.search(text, tail_start, end)
    if match is None:
        return None
    if match.group("agency"):
        start = _agency_start(text, match.start("agency"), match.end("agency"), after)
    else:
        start = match.start("date")
        before = text[start - 1 : start]
        if before and not before.isspace() and before not in "。.":
            return None  # a date ending a sentence (“已于2025年1月10日”), not a 落款
    return (start, end)


def _agency_start(text: str, start: int, end: int, after: int) -> int:
    """Where the agency's name of the 落款 begins: the longest tail of the words before the date
    that the report prints elsewhere too (“暂无平潭综合实验区苏平片区管理局” → the agency), else
    the whole run."""
    name = text[start:end]
    for i in range(len(name) - 3):
        tail = name[i:]
        if text.find(tail, 0, start) >= 0 and re.search(_AGENCY_END + "$", tail):
            return start + i
    return start


# ---------------------------------------------------------------------------- texts

_FUNCTION_WRAPPER_END = re.compile(r"\s*此函\s*$")
_LINE_NOISE = re.compile(
    r"^\s*(?:抄送[:：].*|[（(]此件(?:主动|依申请)?公开[）)]|此函|附件下载|[-—–－]\s*\d+\s*[-—–－]"
    r"|(?:微信|微博|QQ空间|全真版|文字版|文件下载|分享到[:：]?|打印本页|打印|关闭窗口|关闭|收藏"
    r"|【[^】\n]{0,12}】|\s)+"
    r"|[^\s。；;]{2,30}\s*" + DATE + r"\s*印发)\s*$"
)
_HINT_LINE = re.compile(r"^\s*[（(](?:有关情况)?附表\d*[）)]\s*")


def read_texts(sections: Sections) -> dict[str, tuple[str, Origin]]:
    """The narrative texts (前言, 总体情况, 存在的主要问题及改进情况, 其他需要报告的事项) as the
    clerk will see them: page noise removed, one paragraph a line; each with its source."""
    flat = sections.flat
    spans: dict[str, tuple[int, int] | None] = {"preamble": sections.preamble}
    for key in ("overview", "problems", "other_matters"):
        spans[key] = sections.parts.get(key)
    result: dict[str, tuple[str, Origin]] = {}
    full = _full_width(flat.text.split("\n"))
    for key, span in spans.items():
        if span is None:
            continue
        start, end = span
        body = flat.text[start:end]
        if key == "problems" and sections.headings is not None:
            body = _keep_inner_headings(sections, start, end)
        cleaned = clean_text(body, full)
        if cleaned:
            result[key] = (cleaned, flat.origin(start, end))
    return result


def _keep_inner_headings(sections: Sections, start: int, end: int) -> str:
    """A problems part merged from two headings keeps the second heading's name as a line."""
    text = sections.flat.text[start:end]
    norm = _normalise(text)
    chain = [h for h in _candidates(norm.text) if h.key == "problems"]
    pieces: list[str] = []
    pos = 0
    for heading in chain:
        a, b = norm.raw(heading.start, len(text)), norm.raw(heading.end, len(text))
        number = _ANY_NUMBER.match(text[a:b].replace(" ", ""))
        name_start = a + (len(number.group()) if number else 0)
        pieces += [text[pos:a], "\n", text[name_start:b].strip(), "\n"]
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


def clean_text(body: str, full: int | None = None) -> str:
    """``body`` without page noise, one paragraph a line; a one-line text is split before its
    （一）（二）… sub-headings (only when they count up from （一）)."""
    body = _FUNCTION_WRAPPER_END.sub("", body)
    lines: list[str] = []
    for line in body.split("\n"):
        line = _HINT_LINE.sub("", line)
        if not line.strip() or _LINE_NOISE.match(line):
            continue
        lines.append(line.strip())
    out: list[str] = []
    for line in _join_wrapped(lines, _full_width(lines) if full is None else full):
        out += _split_sub_headings(line)
    return "\n".join(out).strip()


def _width(line: str) -> int:
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in line)


_ENDS_PARAGRAPH = ("。", "！", "!", "？", "?", "；", ";", "：", ":")
_STARTS_PARAGRAPH = re.compile(rf"[（(][{_NUMERALS}\d]+[）)]|\d+[.．、]\D|[{_NUMERALS}]+[、.．]")


def _full_width(lines: list[str]) -> int:
    """The width of a full line where the text is laid out in lines of one width (a PDF, text
    copied from one); 0 where lines are of free length (a web page, a Word file)."""
    widths = sorted(_width(line) for line in lines if line.strip())
    if len(widths) < 4:
        return 0
    full = widths[int(0.9 * (len(widths) - 1))]
    return full if 30 <= full <= 90 else 0


def _join_wrapped(lines: list[str], full: int) -> list[str]:
    """Lines of a page layout wrapped inside a paragraph are one paragraph: a line as wide as
    the text's lines (``full``), not ending a sentence, runs on into the next unless that starts
    a numbered item.  Text with lines of free length (``full`` 0) is left alone."""
    if not full:
        return lines
    out: list[str] = []
    join = False
    for line in lines:
        if join and not _STARTS_PARAGRAPH.match(line):
            out[-1] += line
        else:
            out.append(line)
        join = _width(line) >= full - 8 and not line.endswith(_ENDS_PARAGRAPH)
    return out


def _split_sub_headings(line: str) -> list[str]:
    if len(line) < 120:
        return [line]
    cuts: list[int] = []
    expected = 0
    for match in re.finditer(rf"[（(]([{_NUMERALS}])[）)]", line):
        number = _NUMERALS.index(match.group(1))
        at = match.start()
        before = line[:at].rstrip()
        boundary = at == 0 or before.endswith(("。", ";", "；", "！", "!", "？", "?", "：", ":"))
        if not boundary:
            continue
        if number == expected or (number == 0 and expected > 0):
            if at > 0:
                cuts.append(at)
            expected = number + 1
    if not cuts:
        return [line]
    pieces = [line[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]
    return [p for p in pieces if p]


# Re-exported for published.meta.
__all__ = [
    "DATE",
    "PART_KEYS",
    "FlatText",
    "Sections",
    "clean_text",
    "find_sections",
    "flatten",
    "read_texts",
]
