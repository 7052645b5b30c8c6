"""The part headings and narrative texts of published reports (published.sections).

Inputs are the real published reports in tests/data/published/samples/ (page.txt: a crawl
header, then the page's text — a whole report in one line, tables flattened between 二 and 五;
two third-party markdown conversions of 上海 PDFs), and short made-up variants of their text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from published.document import Origin, SourceDocument, SourceParagraph
from published.sections import FlatText, Sections, find_sections, flatten, read_texts

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "published" / "samples"
ONE_LINE = sorted(p.parent.name for p in SAMPLES.glob("*/page.txt"))


def page_doc(folder: str) -> SourceDocument:
    """A sample's page.txt as a reader gives it: the crawl header's 标题 as the title, one
    paragraph per non-empty line of the text."""
    path = next(
        (SAMPLES / folder).glob("*.txt" if (SAMPLES / folder / "page.txt").exists() else "*.md")
    )
    raw = path.read_text(encoding="utf-8")
    title = None
    marker = "==================== 正文 ===================="
    if marker in raw:
        head, raw = raw.split(marker, 1)
        for line in head.splitlines():
            if line.startswith("标题:"):
                title = line.removeprefix("标题:").strip()
    lines = [line for line in raw.splitlines() if line.strip()]
    paragraphs = tuple(SourceParagraph(line, Origin(f"第{i}段")) for i, line in enumerate(lines, 1))
    return SourceDocument("文本", path.name, paragraphs, title=title)


def text_doc(*lines: str) -> SourceDocument:
    return SourceDocument(
        "文本",
        "粘贴的内容",
        tuple(SourceParagraph(t, Origin(f"第{i}段")) for i, t in enumerate(lines, 1)),
    )


def sections_of(folder: str) -> Sections:
    return find_sections(flatten(page_doc(folder)))


def part(sections: Sections, key: str) -> str:
    start, end = sections.parts[key]
    return sections.flat.text[start:end]


# ---------------------------------------------------------------------------- flat text


def test_flatten_joins_paragraphs_and_tells_where_a_span_is() -> None:
    flat = flatten(
        text_doc("一、总体情况", "本年度我局主动公开信息12条。", "二、主动公开政府信息情况")
    )
    assert flat.text == "一、总体情况\n本年度我局主动公开信息12条。\n二、主动公开政府信息情况"
    start = flat.text.index("主动公开信息")
    origin = flat.origin(start, start + 6)
    assert origin.where == "第2段"
    assert origin.snippet == "主动公开信息"
    assert flat.origin(0, 2).where == "第1段"
    assert isinstance(flat, FlatText)


def test_origin_inside_a_one_line_report_names_the_characters_and_trims() -> None:
    sections = sections_of("16-pingtan-police-2019")
    start, end = sections.parts["overview"]
    origin = sections.flat.origin(start, end)
    assert origin.where.startswith("第1段第")
    assert origin.where.endswith("字")
    assert len(origin.snippet) <= 60
    assert origin.snippet.startswith("2019年，我局政府信息公开工作")


# ---------------------------------------------------------------------------- one-line reports


@pytest.mark.parametrize("folder", ONE_LINE)
def test_one_line_reports_have_their_parts_in_order(folder: str) -> None:
    sections = sections_of(folder)
    keys = list(sections.parts)
    expected = ["overview", "active", "requests", "appeals", "problems", "other_matters"]
    if folder.startswith("11-"):  # 2025: 五、信息处理费收取情况 / 六、存在的主要问题; no 其他事项
        expected.remove("other_matters")
    assert keys == expected
    spans = [sections.parts[k] for k in keys]
    assert all(a <= b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
    requests = part(sections, "requests")
    assert "本年新收" in requests
    assert "本年新收政府信息公开申请数量" not in part(sections, "overview")
    assert "第二十条" in part(sections, "active")
    assert "行政复议" in part(sections, "appeals") or "复议" in part(sections, "appeals")
    assert "第二十条" not in part(sections, "requests")
    assert "本年新收" not in part(sections, "appeals")
    # The preamble lists the part names: that list is not where a part begins.
    assert sections.preamble is not None
    preamble = sections.flat.text[slice(*sections.preamble)]
    assert "总体情况" not in part(sections, "overview")[:10]
    assert len(preamble) > 50


def test_preamble_that_lists_the_parts_is_not_the_heading() -> None:
    # 13: “报告全文包括总体情况、主动公开政府信息情况…6个部分” — the heading is “一、总体情况” later.
    sections = sections_of("13-haitan-2025")
    overview = part(sections, "overview")
    assert overview.startswith("2025年，海坛片区管理局坚持")
    texts = read_texts(sections)
    assert texts["preamble"][0].startswith("根据《中华人民共和国政府信息公开条例》有关要求")
    assert "报告全文包括总体情况" in texts["preamble"][0]
    assert "一、总体情况" not in texts["preamble"][0]


def test_a_list_of_numbered_part_names_is_not_a_heading() -> None:
    doc = text_doc(
        "本报告包括：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；"
        "四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。",
        "一、总体情况",
        "今年我局主动公开信息30条。",
        "五、存在的主要问题及改进情况",
        "队伍力量不足。",
        "六、其他需要报告的事项",
        "无。",
    )
    sections = find_sections(flatten(doc))
    texts = read_texts(sections)
    assert texts["overview"][0] == "今年我局主动公开信息30条。"
    assert texts["problems"][0] == "队伍力量不足。"
    assert texts["other_matters"][0] == "无。"
    assert texts["preamble"][0].startswith("本报告包括：一、总体情况；")


def test_heading_variants_map_by_meaning() -> None:
    doc = text_doc(
        "一．总体情况",
        "概述。",
        "二. 主动公开政府信息情况（有关情况附表）",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政法复议与行政诉讼情况",
        "五、存在的主要问题及改进措施",
        "问题。",
        "六、其他需报告的事项",
        "无",
    )
    sections = find_sections(flatten(doc))
    assert list(sections.parts) == [
        "overview",
        "active",
        "requests",
        "appeals",
        "problems",
        "other_matters",
    ]
    assert part(sections, "active").strip() == ""  # the hint “（有关情况附表）” is not text
    texts = read_texts(sections)
    assert texts["overview"][0] == "概述。"
    assert texts["other_matters"][0] == "无"
    assert sections.notes == ()


def test_heading_without_its_comma_after_a_sentence() -> None:
    # 06 prints “…传真：23156377）。一总体情况2020年，我局…”.
    sections = sections_of("06-jinjing-2020")
    assert part(sections, "overview").startswith("2020年，我局政府信息公开工作坚持")


def test_seven_part_narrative_maps_by_meaning() -> None:
    sections = sections_of("23-junshan-2025")
    assert part(sections, "overview").startswith("（一）主动公开多点发力")
    texts = read_texts(sections)
    problems = texts["problems"][0].split("\n")
    assert problems[0].startswith("过去一年中")
    assert problems[1] == "下一步改进举措"
    assert problems[2].startswith("针对上述问题")
    assert texts["other_matters"][0].startswith("2025年度，我局严格按照")
    assert "平潭综合实验区君山片区管理局" not in texts["other_matters"][0]
    notes = "\n".join(sections.notes)
    assert "年度工作核心成效" in notes
    assert "报告分为七个部分" in notes
    assert "当前存在的突出问题" in notes and "下一步改进举措" in notes


def test_extra_2025_part_ends_the_part_before_it() -> None:
    sections = sections_of("11-jinjing-2025")
    assert "信息处理费收取情况" not in part(sections, "appeals")
    assert "通知收取件数" not in part(sections, "appeals")
    assert part(sections, "problems").startswith("2025年，我局政府信息公开工作取得阶段性成效")
    notes = "\n".join(sections.notes)
    assert "第五部分“信息处理费收取情况”不属于年报格式" in notes
    assert "没有找到“六、其他需要报告的事项”的标题" in notes


def test_shanghai_outline_with_tables_appended_and_renumbered() -> None:
    sections = sections_of("03-shanghai-stcsm-2024-derived-md")
    assert list(sections.parts) == ["overview", "active", "requests", "appeals", "other_matters"]
    overview = part(sections, "overview")
    # The narrative's own 二…六 (工作机制保障 … 平台建设) belong to 总体情况.
    assert "二、工作机制保障" in overview and "六、政府信息公开平台建设" in overview
    assert "规范性文件" in part(sections, "active")
    assert "（七）总计" in part(sections, "requests")
    notes = "\n".join(sections.notes)
    assert "“一、主动公开政府信息情况”按“二、主动公开政府信息情况”读取" in notes
    assert "没有找到“五、存在的主要问题及改进情况”的标题" in notes
    texts = read_texts(sections)
    assert texts["other_matters"][0].endswith("2024 年，市科委未发生政府信息公开收费事项。")
    assert sections.title is not None


def test_shanghai_2025_page_footer_is_not_text() -> None:
    texts = read_texts(sections_of("04-shanghai-office-2025-derived-md"))
    assert texts["other_matters"][0] == "2025 年度本机关未收取信息公开处理费。"


# ---------------------------------------------------------------------------- 函 wrappers, noise


def test_function_wrapper_2020() -> None:
    sections = sections_of("14-suping-2020")
    texts = read_texts(sections)
    preamble = texts["preamble"][0]
    assert preamble.startswith("根据《中华人民共和国政府信息公开条例》要求，现公布")
    assert "的函" not in preamble and "区办公室：" not in preamble
    # “六、其他需要报告的事项暂无平潭…管理局 2021年1月26日”: the 落款 is not text.
    assert texts["other_matters"][0] == "暂无"
    assert sections.closing is not None
    assert (
        sections.flat.text[slice(*sections.closing)] == "平潭综合实验区苏平片区管理局 2021年1月26日"
    )


def test_function_wrapper_2021_with_cc_line() -> None:
    sections = sections_of("20-haitan-2021")
    texts = read_texts(sections)
    assert texts["preamble"][0].startswith(
        "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）"
    )
    other = texts["other_matters"][0]
    assert other.endswith("本年度没有产生信息公开处理费。")
    assert "此函" not in other and "党政办公室" not in other and "2022年1月7日" not in other
    assert sections.closing is not None
    assert (
        sections.flat.text[slice(*sections.closing)] == "平潭综合实验区海坛片区管理局 2022年1月7日"
    )


def test_breadcrumbs_and_share_buttons_are_not_text() -> None:
    sections = sections_of("19-pingtan-market-2020")
    texts = read_texts(sections)
    preamble = texts["preamble"][0]
    assert preamble.startswith("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）")
    for noise in ("当前位置", "微信", "微博", "文件下载", "-->"):
        assert noise not in preamble
    assert texts["other_matters"][0] == "无其他需要报告事项。"  # “附件下载” after the 落款 dropped


def test_made_up_page_noise_and_public_marker() -> None:
    doc = text_doc(
        "当前位置：首页>政务公开>年报",
        "【大 中 小】 打印 关闭",
        "某县某局2024年政府信息公开工作年度报告",
        "根据《条例》，现公布本报告。",
        "一、总体情况",
        "（一）主动公开。本年公开12条。（二）依申请公开。本年收到申请2件。",
        "六、其他需要报告的事项",
        "无。",
        "某县某局",
        "二〇二五年一月十六日",
        "（此件主动公开）",
        "分享到：",
    )
    sections = find_sections(flatten(doc))
    texts = read_texts(sections)
    assert texts["preamble"][0] == "根据《条例》，现公布本报告。"
    assert texts["other_matters"][0] == "无。"
    assert sections.closing is not None
    assert sections.flat.text[slice(*sections.closing)] == "某县某局\n二〇二五年一月十六日"
    assert sections.title is not None
    assert sections.flat.text[slice(*sections.title)] == "某县某局2024年政府信息公开工作年度报告"


def test_one_line_text_splits_before_counted_sub_headings_only() -> None:
    body = (
        "（一）主动公开情况。本年度依据《条例》第二十条第（一）项公开规章0件，"
        "并按照要求公开（含转载）政策文件，全年共计发布信息十余条，做到应公开尽公开。"
        "（二）依申请公开情况。本年收到申请2件，均按期答复，未发生复议。"
        "（三）政府信息管理。严格审核。"
    )
    doc = text_doc("一、总体情况" + body + "六、其他需要报告的事项无。")
    texts = read_texts(find_sections(flatten(doc)))
    lines = texts["overview"][0].split("\n")
    assert len(lines) == 3
    assert lines[0].startswith("（一）主动公开情况") and "第二十条第（一）项" in lines[0]
    assert lines[1].startswith("（二）依申请公开情况")
    assert lines[2] == "（三）政府信息管理。严格审核。"


def test_text_without_headings_says_so() -> None:
    sections = find_sections(flatten(text_doc("这是一份会议通知。", "请各单位准时参加。")))
    assert sections.parts == {}
    assert any("没有找到年报各部分的标题" in n for n in sections.notes)
    assert "overview" not in read_texts(sections)


def pdf_doc(folder: str) -> SourceDocument:
    """A sample PDF line by line (pdfplumber), as a PDF reader gives its text."""
    import pdfplumber

    path = next((SAMPLES / folder).glob("*.pdf"))
    paragraphs: list[SourceParagraph] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for line in (page.extract_text() or "").splitlines():
                if line.strip():
                    paragraphs.append(SourceParagraph(line, Origin(f"第{number}页")))
    return SourceDocument("PDF", path.name, tuple(paragraphs))


def test_pdf_lines_wrapped_inside_a_paragraph_are_one_paragraph() -> None:
    sections = find_sections(flatten(pdf_doc("01-hongze-district-2023-pdf")))
    assert list(sections.parts) == [
        "overview",
        "active",
        "requests",
        "appeals",
        "problems",
        "other_matters",
    ]
    texts = read_texts(sections)
    overview = texts["overview"][0].split("\n")
    assert overview[1] == (
        "（一）主动公开情况。主要通过政府门户网站主动公开政府文件、项目审批、通知公告等各类政府信息。"
        "2023 年，我区在政府网站平台主动公开政府信息 1136 条。"
    )
    assert "（三）政府信息管理情况。" in overview  # a short line of its own stays one
    assert not any(line.startswith("-") for line in overview)  # page footers “-1-”
    assert texts["overview"][1].where == "第1页"
    assert texts["other_matters"][0] == (
        "2023 年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费 0 元。"
    )
    # The table labels “二、上年结转…”, “四、结转下年度继续办理” are not part headings.
    assert "上年结转政府信息公开申请数量" in part(sections, "requests")
    assert "结转下年度继续办理" in part(sections, "requests")


def test_renamed_first_part_and_a_word_comma_in_the_preamble() -> None:
    doc = text_doc(
        "某县某局关于报送2024年度政府信息公开工作年度报告的函",
        "县政府办公室：",
        "现将我局年报报送如下，全文统一、规范发布。",
        "一、工作概述",
        "本年度我局主动公开信息30条。",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
        "五、政府信息公开工作存在的主要问题及改进情况",
        "人手不足。",
        "六、其他需要报告的事项",
        "无。",
        "此函",
        "某县某局",
        "2025年1月10日",
        "抄送：县档案馆",
    )
    sections = find_sections(flatten(doc))
    assert list(sections.parts) == [
        "overview",
        "active",
        "requests",
        "appeals",
        "problems",
        "other_matters",
    ]
    texts = read_texts(sections)
    assert texts["preamble"][0] == "现将我局年报报送如下，全文统一、规范发布。"
    assert texts["overview"][0] == "本年度我局主动公开信息30条。"
    assert texts["problems"][0] == "人手不足。"
    assert texts["other_matters"][0] == "无。"
    assert any("工作概述" in note for note in sections.notes)
    assert sections.closing is not None
    assert sections.flat.text[slice(*sections.closing)] == "某县某局\n2025年1月10日"


def test_empty_document_reads_as_nothing() -> None:
    sections = find_sections(flatten(SourceDocument("文本", "粘贴的内容", ())))
    assert sections.parts == {}
    assert sections.preamble is None and sections.closing is None and sections.title is None
    assert read_texts(sections) == {}


def test_web_page_header_and_footer_lines_are_not_text() -> None:
    doc = text_doc(
        "首页 > 政务公开 > 政府信息公开年报",
        "某县某局2024年政府信息公开工作年度报告",
        "发布时间：2025-01-15 09:30 来源：某县某局 浏览次数：123",
        "【字体：大 中 小】【打印】【关闭】",
        "根据《条例》规定，现公布本报告。",
        "一、总体情况",
        "本年公开信息12条。",
        "六、其他需要报告的事项",
        "无。",
        "某县某局",
        "2025年1月15日",
        "【打印本页】【关闭窗口】",
        "上一篇：某县某局2023年政府信息公开工作年度报告",
    )
    sections = find_sections(flatten(doc))
    texts = read_texts(sections)
    assert texts["overview"][0] == "本年公开信息12条。"
    assert texts["other_matters"][0] == "无。"
    assert sections.closing is not None
    assert sections.flat.text[slice(*sections.closing)] == "某县某局\n2025年1月15日"
    preamble = texts["preamble"][0]
    assert preamble.endswith("根据《条例》规定，现公布本报告。")
    for noise in ("发布时间", "浏览次数", "字体", "打印", "关闭"):
        assert noise not in preamble


def test_word_css_at_the_top_is_not_text() -> None:
    # The kind of Word style sheet a 平潭 page carries as text (IMPORTER.md §7.4).
    css = (
        "Normal 0 7.8 磅 0 2 false false false EN-US ZH-CN X-NONE /* Style Definitions */ "
        "table.MsoNormalTable {mso-style-name:普通表格; mso-padding-alt:0cm 5.4pt 0cm 5.4pt;} "
    )
    doc = text_doc(
        css
        + "某县某局2024年政府信息公开工作年度报告 根据《条例》，现公布本报告。一、总体情况本年公开信息12条。"
    )
    texts = read_texts(find_sections(flatten(doc)))
    assert texts["preamble"][0] == "根据《条例》，现公布本报告。"
    assert texts["overview"][0] == "本年公开信息12条。"
