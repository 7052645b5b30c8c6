"""The agency, year, title and 落款 of published reports (published.meta).

Inputs: every real report in tests/data/published/samples/ (page.txt with its crawl header's 标题
as the document title; the two 洪泽 PDFs read line by line with pdfplumber; the two 上海 markdown
conversions), and short made-up texts for the cases the samples do not show.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pdfplumber
import pytest

from published.document import Origin, SourceDocument, SourceParagraph
from published.meta import Meta, chinese_number, parse_date, read_meta
from published.sections import find_sections, flatten

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "published" / "samples"
MARKER = "==================== 正文 ===================="


def sample_doc(folder: str) -> SourceDocument:
    """A sample as a reader gives it: paragraphs (lines), and the crawl header's 标题."""
    path = next(p for p in sorted((SAMPLES / folder).iterdir()) if p.name != "SOURCE.txt")
    if path.suffix == ".pdf":
        paragraphs: list[SourceParagraph] = []
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                for line in (page.extract_text() or "").splitlines():
                    if line.strip():
                        paragraphs.append(SourceParagraph(line, Origin(f"第{number}页")))
        return SourceDocument("PDF", path.name, tuple(paragraphs))
    raw = path.read_text(encoding="utf-8")
    title = None
    if MARKER in raw:
        head, raw = raw.split(MARKER, 1)
        title = next(
            line.removeprefix("标题:").strip()
            for line in head.splitlines()
            if line.startswith("标题:")
        )
    lines = [line for line in raw.splitlines() if line.strip()]
    return SourceDocument(
        "文本",
        path.name,
        tuple(SourceParagraph(t, Origin(f"第{i}段")) for i, t in enumerate(lines, 1)),
        title=title,
    )


def meta_of(doc: SourceDocument) -> Meta:
    return read_meta(doc, find_sections(flatten(doc)))


def text_doc(*lines: str, title: str | None = None) -> SourceDocument:
    paragraphs = tuple(SourceParagraph(t, Origin(f"第{i}段")) for i, t in enumerate(lines, 1))
    return SourceDocument("文本", "粘贴的内容", paragraphs, title=title)


PT = "平潭综合实验区"
# folder: (agency, year, title, signature agency, signature date)
EXPECTED: dict[str, tuple[str, int, str, str | None, dt.date | None]] = {
    "01-hongze-district-2023-pdf": (
        "洪泽区人民政府",
        2023,
        "洪泽区人民政府2023年政府信息公开工作年度报告",
        None,
        None,
    ),
    "02-hongze-district-2024-pdf": (
        "淮安市洪泽区人民政府",
        2024,
        "淮安市洪泽区人民政府2024年政府信息公开工作年度报告",
        None,
        None,
    ),
    "03-shanghai-stcsm-2024-derived-md": (
        "上海市科委",
        2024,
        "2024年上海市科委政府信息公开工作年度报告",
        None,
        None,
    ),
    "04-shanghai-office-2025-derived-md": (
        "上海市人民政府办公厅",
        2025,
        "2025年上海市人民政府办公厅政府信息公开工作年度报告",
        None,
        None,
    ),
    "05-jinjing-2019": (
        f"{PT}金井片区管理局",
        2019,
        f"{PT}金井片区管理局2019年政府信息公开工作年度报告",
        f"{PT}金井片区管理局",
        dt.date(2020, 1, 6),
    ),
    "06-jinjing-2020": (
        f"{PT}金井片区管理局",
        2020,
        f"{PT}金井片区管理局2020年政府信息公开工作年度报告",
        f"{PT}金井片区管理局",
        dt.date(2021, 1, 26),
    ),
    "07-jinjing-2021": (
        f"{PT}金井片区管理局",
        2021,
        f"{PT}金井片区管理局2021年政府信息公开工作年度报告",
        f"{PT}金井片区管理局",
        dt.date(2022, 1, 7),
    ),
    "08-jinjing-2022": (
        f"{PT}金井片区管理局",
        2022,
        f"{PT}金井片区管理局2022年政府信息公开工作年度报告",
        f"{PT}金井片区管理局",
        dt.date(2023, 1, 4),
    ),
    "09-jinjing-2023": (
        f"{PT}金井片区管理局",
        2023,
        f"{PT}金井片区管理局2023年政府信息公开工作年度报告",
        f"{PT}金井片区管理局",
        dt.date(2024, 1, 3),
    ),
    "10-jinjing-2024": (
        f"{PT}金井片区管理局",
        2024,
        f"{PT}金井片区管理局2024年政府信息公开工作年度报告",
        f"{PT}金井片区管理局",
        dt.date(2025, 1, 22),
    ),
    "11-jinjing-2025": (
        f"{PT}金井片区管理局",
        2025,
        f"{PT}金井片区管理局2025年政府信息公开工作年度报告",
        f"{PT}金井片区管理局",
        dt.date(2026, 1, 20),
    ),
    "12-pingtan-zone-2025": (PT, 2025, f"{PT}2025年度政府信息公开工作年度报告", None, None),
    "13-haitan-2025": (
        f"{PT}海坛片区管理局",
        2025,
        f"{PT}海坛片区管理局2025年度政府信息公开工作年度报告",
        f"{PT}海坛片区管理局",
        dt.date(2026, 1, 26),
    ),
    "14-suping-2020": (
        f"{PT}苏平片区管理局",
        2020,
        f"{PT}苏平片区管理局关于报送2020年度政府信息公开工作年度报告的函",
        f"{PT}苏平片区管理局",
        dt.date(2021, 1, 26),
    ),
    "15-suping-2021": (
        f"{PT}苏平片区管理局",
        2021,
        f"{PT}苏平片区管理局2021年政府信息公开年度报告",
        f"{PT}苏平片区管理局",
        dt.date(2022, 1, 6),
    ),
    "16-pingtan-police-2019": (
        f"{PT}公安局",
        2019,
        f"{PT}公安局2019年政府信息公开工作年度报告",
        f"{PT}公安局",
        dt.date(2020, 1, 17),
    ),
    "17-haitan-2019": (
        f"{PT}海坛片区管理局",
        2019,
        f"{PT}海坛片区管理局2019年度政府信息公开工作年度报告",
        f"{PT}海坛片区管理局",
        dt.date(2020, 1, 2),
    ),
    "18-junshan-2023": (
        f"{PT}君山片区管理局",
        2023,
        f"{PT}君山片区管理局2023年政府信息公开工作年度报告",
        f"{PT}君山片区管理局",
        dt.date(2024, 1, 12),
    ),
    "19-pingtan-market-2020": (
        f"{PT}市场监督管理局",
        2020,
        f"{PT}市场监督管理局2020年度政府信息公开工作年度报告",
        f"{PT}市场监督管理局",
        dt.date(2021, 1, 25),
    ),
    "20-haitan-2021": (
        f"{PT}海坛片区管理局",
        2021,
        f"{PT}海坛片区管理局 关于2021年度政府信息公开工作年度报告",
        f"{PT}海坛片区管理局",
        dt.date(2022, 1, 7),
    ),
    "21-pingtan-finance-2024": (
        f"{PT}财政金融局",
        2024,
        f"{PT}财政金融局2024年度政府信息公开工作年度报告",
        f"{PT}财政金融局",
        dt.date(2025, 1, 23),
    ),
    "22-suping-2019": (
        f"{PT}苏平片区管理局",
        2019,
        f"{PT}苏平片区管理局2019年政府信息公开工作年度报告",
        f"{PT}苏平片区管理局",
        dt.date(2019, 1, 3),
    ),
    "23-junshan-2025": (
        f"{PT}君山片区管理局",
        2025,
        f"{PT}君山片区管理局2025年政府信息公开工作年度报告",
        f"{PT}君山片区管理局",
        dt.date(2026, 1, 22),
    ),
}


def test_every_sample_is_listed() -> None:
    folders = {p.name for p in SAMPLES.iterdir() if p.is_dir()}
    assert folders == set(EXPECTED)


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_sample_metadata(folder: str) -> None:
    agency, year, title, signature_agency, signature_date = EXPECTED[folder]
    meta = meta_of(sample_doc(folder))
    assert (meta.agency, meta.year, meta.title) == (agency, year, title)
    assert (meta.signature_agency, meta.signature_date) == (signature_agency, signature_date)
    assert meta.origins["title"].snippet
    assert "agency" in meta.origins and "year" in meta.origins
    if signature_date is None:
        assert "没有找到落款（单位和日期）" in meta.notes
    else:
        assert meta.origins["signature"].snippet.endswith(
            f"{signature_date.year}年{signature_date.month}月{signature_date.day}日"
        )


def test_signature_dated_before_the_year_ended_is_noted() -> None:
    # 22: a 2019 report signed “2019年1月3日” (published 2020-01-16).
    meta = meta_of(sample_doc("22-suping-2019"))
    assert "落款日期2019年1月3日早于报告年度结束" in meta.notes
    assert not any("早于" in n for n in meta_of(sample_doc("05-jinjing-2019")).notes)


def test_pdf_title_is_read_from_the_top_of_the_text() -> None:
    meta = meta_of(sample_doc("01-hongze-district-2023-pdf"))
    assert meta.origins["title"].where == "第1页"


def test_site_suffix_is_stripped_and_a_unit_printed_twice_once() -> None:
    doc = text_doc(
        "一、总体情况",
        "本年度公开信息。",
        "某县某局",
        "2025年1月20日",
        title="某县某局某县某局2024年度政府信息公开工作年度报告_某县人民政府网",
    )
    meta = meta_of(doc)
    assert meta.title == "某县某局某县某局2024年度政府信息公开工作年度报告"
    assert meta.agency == "某县某局"
    assert meta.year == 2024
    assert meta.signature_agency == "某县某局"
    assert meta.signature_date == dt.date(2025, 1, 20)
    assert not any("不同" in n for n in meta.notes)


def test_chinese_numeral_date_and_public_marker() -> None:
    doc = text_doc(
        "某县某局2019年政府信息公开工作年度报告",
        "一、总体情况",
        "本年度公开信息。",
        "六、其他需要报告的事项",
        "无。",
        "某县某局",
        "二〇二〇年一月十六日",
        "（此件主动公开）",
    )
    meta = meta_of(doc)
    assert meta.signature_date == dt.date(2020, 1, 16)
    assert meta.signature_agency == "某县某局"
    assert meta.title == "某县某局2019年政府信息公开工作年度报告"


def test_year_from_the_statistics_period_when_the_title_has_none() -> None:
    doc = text_doc(
        "本报告所列数据统计期限为2025年1月1日至2025年12月31日。",
        "一、总体情况",
        "本年度公开信息。",
        "某县某局 2026年1月8日",
    )
    meta = meta_of(doc)
    assert meta.year == 2025
    assert "年度取自统计期限" in meta.notes
    assert meta.title is None and "没有找到报告的标题" in meta.notes
    assert meta.agency == "某县某局" and "发布单位取自落款" in meta.notes
    assert "统计期限" in meta.origins["year"].snippet


def test_year_from_the_signature_is_a_guess_and_said_so() -> None:
    doc = text_doc("一、总体情况", "本年度公开信息。", "某县某局 2026年1月8日")
    meta = meta_of(doc)
    assert meta.year == 2025
    assert "年度按落款日期推断为2025年，请核对" in meta.notes


def test_nothing_found_stays_none() -> None:
    meta = meta_of(text_doc("这是一份会议通知。", "请各单位准时参加。"))
    assert (meta.agency, meta.year, meta.title) == (None, None, None)
    assert (meta.signature_agency, meta.signature_date) == (None, None)
    assert "没有找到报告的标题" in meta.notes
    assert "没有找到落款（单位和日期）" in meta.notes


def test_title_and_signature_disagree() -> None:
    doc = text_doc(
        "一、总体情况",
        "本年度公开信息。",
        "某县另一局",
        "2025年1月20日",
        title="某县某局2024年政府信息公开工作年度报告",
    )
    meta = meta_of(doc)
    assert meta.agency == "某县某局"
    assert meta.signature_agency == "某县另一局"
    assert "标题与落款的单位不同：标题为“某县某局”，落款为“某县另一局”" in meta.notes


def test_impossible_signature_date_is_not_read() -> None:
    doc = text_doc(
        "一、总体情况",
        "本年度公开信息。",
        "某县某局",
        "2025年2月30日",
        title="某县某局2024年政府信息公开工作年度报告",
    )
    meta = meta_of(doc)
    assert meta.signature_date is None
    assert any("2025年2月30日" in n and "不是存在的日期" in n for n in meta.notes)


def test_numbers_and_dates() -> None:
    assert chinese_number("二〇二〇") == 2020
    assert chinese_number("十六") == 16
    assert chinese_number("二十六") == 26
    assert chinese_number("三十") == 30
    assert parse_date("2020年1月16日") == dt.date(2020, 1, 16)
    assert parse_date("二〇二〇年一月十六日") == dt.date(2020, 1, 16)
    assert parse_date("二〇二〇年十二月三十一日") == dt.date(2020, 12, 31)
    assert parse_date("2020年13月1日") is None
    assert parse_date("某年某月") is None


def test_printed_title_wins_over_a_document_title_that_names_nothing() -> None:
    doc = text_doc(
        "某县某局",
        "2024 年政府信息公开工作年度报告",
        "本报告由某县某局编制。",
        "一、总体情况",
        "本年度公开信息。",
        title="政府信息公开工作年度报告",
    )
    meta = meta_of(doc)
    assert (meta.agency, meta.year) == ("某县某局", 2024)
    assert meta.title == "某县某局2024年政府信息公开工作年度报告"
    assert meta.origins["title"].where == "第1段"


def test_real_pdf_reader_with_a_bare_document_title() -> None:
    # 02's PDF metadata title is “政府信息公开工作年度报告”: the printed title names the unit.
    from published.readers import read_path

    doc = read_path(next((SAMPLES / "02-hongze-district-2024-pdf").glob("*.pdf")))
    meta = meta_of(doc)
    assert (meta.agency, meta.year) == ("淮安市洪泽区人民政府", 2024)
    assert meta.title == "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("某县某局关于报送某县某局2024年度政府信息公开工作年度报告的函", "某县某局"),
        ("关于某县某局2024年度政府信息公开工作年度报告", "某县某局"),
        ("2024年度政府信息公开工作年度报告", None),
    ],
)
def test_agency_from_title_forms(title: str, agency: str | None) -> None:
    meta = meta_of(text_doc("一、总体情况", "本年度公开信息。", title=title))
    assert (meta.agency, meta.year) == (agency, 2024)


def test_a_date_ending_the_text_is_not_a_signature() -> None:
    doc = text_doc(
        "一、总体情况",
        "本年度公开信息。",
        "六、其他需要报告的事项",
        "收费办法已于2025年1月10日",
        title="某县某局2024年政府信息公开工作年度报告",
    )
    sections = find_sections(flatten(doc))
    assert sections.closing is None
    assert read_meta(doc, sections).signature_date is None
