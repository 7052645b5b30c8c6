"""The agency, year, title and 落款 of a published report.

The title comes from the container (a page's ``<title>``, a crawl header's 标题) or from the top
of the text; the agency and the year from the title (“平潭综合实验区苏平片区管理局关于报送2020年度
政府信息公开工作年度报告的函”); the year else from the statistics period, else from the 落款's
date; the 落款 from the end of the text (:attr:`Sections.closing`).  Nothing is invented: what is
not found stays None and a note says so; disagreements are noted, never settled silently.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from published.document import Origin, SourceDocument
from published.sections import DATE, Sections


@dataclass(frozen=True)
class Meta:
    """What the report says about itself; ``origins`` tells where each was read (keys
    ``agency``, ``year``, ``title``, ``signature``)."""

    agency: str | None
    year: int | None
    title: str | None
    signature_agency: str | None
    signature_date: dt.date | None
    origins: dict[str, Origin] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


_CN = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_YEAR = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
#: “…2020年度政府信息公开工作年度报告(的函)” at the end of a title.
_TITLE_TAIL = re.compile(
    rf"^(?P<pre>.*?)(?P<year>{_YEAR})年度?(?P<post>.*?)"
    r"(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|年报)(?:的函)?$"
)
#: A site's name after the title: “…年度报告_平潭综合实验区”, “… - 中国平潭”.
_SITE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s).*$")
_PERIOD = re.compile(
    r"统计(?:期限|周期|时限|时间|区间|期间|范围)\D{0,8}?(?P<y1>\d{4})\s*年[^。；]{0,30}?"
    r"至\s*(?:(?P<y2>\d{4})\s*年)?"
)
_PERIOD_ALT = re.compile(r"(?:涵盖|覆盖|内容涵盖|期限自)\s*(?P<y1>\d{4})\s*年\s*\d{1,2}\s*月")


def chinese_number(text: str) -> int:
    """“二〇二〇” → 2020, “十六” → 16, “二十六” → 26, “12” → 12."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _CN[ch]
        return value
    tens, _, ones = text.partition("十")
    return (_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0)


def parse_date(text: str) -> dt.date | None:
    """A printed date (2020年1月16日, 二〇二〇年一月十六日); None when it is no date."""
    match = re.fullmatch(r"\s*(\S+?)\s*年\s*(\S+?)\s*月\s*(\S+?)\s*日\s*", text.replace("\n", " "))
    if match is None:
        return None
    try:
        year, month, day = (chinese_number(g) for g in match.groups())
        return dt.date(year, month, day)
    except (KeyError, ValueError):
        return None


def read_meta(doc: SourceDocument, sections: Sections) -> Meta:
    """The agency, year, title and 落款 of the report in ``doc``."""
    flat = sections.flat
    notes: list[str] = []
    origins: dict[str, Origin] = {}

    # Title: the container's (without the site's name) or the one printed at the top,
    # whichever names more (a PDF's document title may be just “政府信息公开工作年度报告”).
    candidates: list[tuple[str, Origin]] = []
    if doc.title and ("报告" in doc.title or "年报" in doc.title):
        stated = " ".join(_SITE_SUFFIX.sub("", doc.title.strip()).split())
        if stated:
            candidates.append((stated, Origin("文档标题", stated)))
    if sections.title is not None:
        printed = "".join(flat.text[sections.title[0] : sections.title[1]].split())
        if printed:
            candidates.append((printed, flat.origin(*sections.title)))
    title: str | None = None
    if candidates:
        title, origins["title"] = max(
            candidates, key=lambda c: sum(x is not None for x in _from_title(c[0]))
        )

    agency, year = _from_title(title)
    if agency:
        origins["agency"] = origins["title"]
    if year:  # where a year belongs: no note (the others say where theirs came from)
        origins["year"] = origins["title"]

    # 落款.
    signature_agency: str | None = None
    signature_date: dt.date | None = None
    if sections.closing is not None:
        start, end = sections.closing
        closing = flat.text[start:end]
        match = re.search(DATE + r"\s*$", closing)
        if match is not None:
            signature_date = parse_date(match.group())
            if signature_date is None:
                notes.append(f"落款日期“{match.group().strip()}”不是存在的日期，未读取")
            name = "".join(closing[: match.start()].split())
            signature_agency = name or None
        origins["signature"] = flat.origin(start, end)
    if signature_agency and agency and signature_agency != agency:
        if signature_agency.endswith(agency):
            signature_agency = agency
        elif not agency.endswith(signature_agency) and signature_agency not in agency:
            notes.append(f"标题与落款的单位不同：标题为“{agency}”，落款为“{signature_agency}”")
    if not agency and signature_agency:
        agency = signature_agency
        origins["agency"] = origins["signature"]
        notes.append("发布单位取自落款")

    # Year: title, else the statistics period, else the 落款's year − 1.
    period = _period_year(flat.text, sections)
    if year is None and period is not None:
        year, origin = period
        origins["year"] = origin
        notes.append("年度取自统计期限")
    elif year is not None and period is not None and period[0] != year:
        notes.append(f"标题的年度{year}与统计期限的年度{period[0]}不同")
    if year is None and signature_date is not None:
        year = signature_date.year - 1
        origins["year"] = origins["signature"]
        notes.append(f"年度按落款日期推断为{year}年，请核对")
    if year is not None and signature_date is not None and signature_date <= dt.date(year, 12, 31):
        notes.append(
            f"落款日期{signature_date.year}年{signature_date.month}月{signature_date.day}日"
            "早于报告年度结束"
        )
    if title is None:
        notes.append("没有找到报告的标题")
    if sections.closing is None:
        notes.append("没有找到落款（单位和日期）")
    return Meta(
        agency=agency,
        year=year,
        title=title,
        signature_agency=signature_agency,
        signature_date=signature_date,
        origins=origins,
        notes=tuple(dict.fromkeys(notes)),
    )


def _from_title(title: str | None) -> tuple[str | None, int | None]:
    """The agency and the year a title names (None where it names none)."""
    if not title:
        return None, None
    compact = "".join(title.split())
    match = _TITLE_TAIL.match(compact)
    if match is None:
        return None, None
    year = chinese_number(match.group("year"))
    if not 1990 <= year <= 2100:
        return None, None
    pre, post = match.group("pre"), match.group("post")
    if "关于" in pre:  # “某局关于报送(某局)2020年度…的函”, “关于某局2020年度…”
        head, _, tail = pre.partition("关于")
        pre = head or re.sub(r"^(?:报送|印发|公布|发布|公开)", "", tail)
    agency = pre or re.sub(r"^(?:度)?", "", post)
    agency = agency.strip("　 ，,、：:")
    half = len(agency) // 2
    if agency and len(agency) % 2 == 0 and agency[:half] == agency[half:]:
        agency = agency[:half]  # the unit printed twice
    if len(agency) < 2 or re.search(r"\d|报告|年度", agency):
        return None, year
    return agency, year


def _period_year(text: str, sections: Sections) -> tuple[int, Origin] | None:
    """The year of the statistics period the preamble states (“统计期限为2025年1月1日至…”)."""
    start, end = sections.preamble or (0, len(text))
    for pattern in (_PERIOD, _PERIOD_ALT):
        match = pattern.search(text, start, end)
        if match is None and sections.preamble is not None:
            match = pattern.search(text)
        if match is not None:
            years = {int(y) for y in match.groupdict().values() if y}
            if len(years) != 1:
                return None  # a period across years names no single report year
            return years.pop(), sections.flat.origin(match.start(), match.end())
    return None
