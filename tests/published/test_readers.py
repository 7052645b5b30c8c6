"""The readers of published reports: every kind of input → paragraphs and tables, as printed.

Fixtures: tests/data/published/readers/ (small pages made for these tests: a GBK page with the
noise of real sites, a saved .mhtml); Word and PDF files are built here with python-docx and
ReportLab; the two real PDFs are tests/data/published/samples/01-*, 02-* (洪泽区 2023, 2024).
"""

from __future__ import annotations

import io
import time
import zipfile
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from published.document import SourceDocument, SourceTable
from published.readers import read_bytes, read_clipboard, read_html, read_path, read_text
from published.result import NotAReport

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "published"
READERS = DATA / "readers"
SAMPLES = DATA / "samples"
FONT = ROOT / "resources" / "fonts" / "NotoSerifSC-Regular.ttf"
CONVERT = "请在WPS或Word中另存为.docx或PDF后再导入"
SCANNED = "这是扫描件（没有文字层），无法读取；请使用可复制文字的PDF、Word或网页"


def texts(doc: SourceDocument) -> list[str]:
    return [p.text for p in doc.paragraphs()]


def grid(table: SourceTable) -> list[list[str]]:
    """The table as the clerk would read it; a covered place is shown as “~”."""
    return [["~" if cell.covered else cell.text for cell in row] for row in table.rows]


def all_text(doc: SourceDocument) -> str:
    parts = texts(doc)
    for table in doc.tables():
        parts.extend(cell.text for row in table.rows for cell in row)
    return "\n".join(parts)


# ------------------------------------------------------------------ web pages


def test_gbk_page_with_the_noise_of_a_real_site() -> None:
    doc = read_path(READERS / "gbk-page.html")
    assert doc.kind == "网页"
    assert doc.title == "某某镇2023年政府信息公开工作年度报告_某某县人民政府"
    everything = all_text(doc)
    # Breadcrumbs, share bar, side menu, footer, script and Word's CSS are not report text.
    for noise in (
        "当前位置",
        "分享到",
        "法定主动公开内容",
        "主办单位",
        "不是正文",
        "Normal 0",
        "MsoNormalTable",
        "mso-",
    ):
        assert noise not in everything, noise
    assert texts(doc) == [
        "本报告根据《中华人民共和国政府信息公开条例》编制。",
        "一、总体情况",
        "2023年，本镇主动公开政府信息120条。",
        "第二行在换行之后。",
        "（一）主动公开情况。全年公开文件5件。",
        "三、收到和处理政府信息公开申请情况",
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ]
    # Reading order: paragraphs and tables interleaved as on the page.
    kinds = ["T" if isinstance(b, SourceTable) else "P" for b in doc.blocks]
    assert kinds == ["P"] * 6 + ["T"] + ["P"] * 2 + ["T"] + ["P"] * 2


def test_merged_cells_are_expanded_into_a_grid() -> None:
    table = read_path(READERS / "gbk-page.html").tables()[0]
    assert grid(table) == [
        # colspan="0" and colspan="2px" count as 1
        [
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            "~",
            "~",
            "申请人情况",
            "x",
        ],
        ["~", "~", "~", "自然人", "法人或其他组织"],
        ["~", "~", "~", "~", "商业企业"],
        ["一、本年新收政府信息公开申请数量", "~", "~", "3", ""],  # a blank stays blank
        # a label split over two <p> joins again
        ["三、本年度办理结果", "（一）予以公开", "~", "1", "0"],
        # rowspan="5" on the last row is clipped: no rows are invented
        ["~", "（三）不予公开", "1.属于国家秘密", "0", "0"],
    ]
    assert table.rows[4][3].origin.where == "第1个表格第5行第4列"
    assert table.rows[4][3].origin.snippet == "1"


def test_a_layout_table_gives_the_data_table_inside_it() -> None:
    doc = read_path(READERS / "gbk-page.html")
    inner = doc.tables()[1]
    assert grid(inner) == [
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
    ]
    assert "第二十条第（一）项" in texts(doc)


def test_encoding_without_a_declaration_is_found() -> None:
    raw = (READERS / "gbk-page.html").read_bytes().replace(b"charset=gbk", b"")
    assert "二、主动公开政府信息情况" in texts(read_bytes(raw, "page.htm"))
    # A page declaring UTF-8 but saved in GBK is read too.
    wrong = (READERS / "gbk-page.html").read_bytes().replace(b"charset=gbk", b"charset=utf-8")
    assert "二、主动公开政府信息情况" in texts(read_bytes(wrong, "page.htm"))


def test_page_without_a_content_container_drops_navigation() -> None:
    html = """<html><head><title>年报</title></head><body>
    <nav><a>首页</a><a>机构概况</a></nav>
    <div class="position">您现在的位置：首页 &gt; 信息公开</div>
    <h1>某局2022年政府信息公开工作年度报告</h1>
    <p>一、总体情况\xa0\xa0全年\u3000公开信息10条。</p>
    <div class="bdshare">微信 微博 QQ空间</div>
    </body></html>"""
    doc = read_html(html)
    assert texts(doc) == ["某局2022年政府信息公开工作年度报告", "一、总体情况  全年 公开信息10条。"]
    assert doc.paragraphs()[1].origin.where == "第2段"


def test_content_container_must_hold_the_report() -> None:
    # An ASP.NET page wraps everything in a <form>; a side box is called “content” but the
    # report (its table) is elsewhere, so the whole body is read; hidden text is not read.
    html = (
        """<html><body><form id="form1">
    <div class="content"><p>热点新闻一二三四五六七八九十</p><p>"""
        + "新闻标题" * 40
        + """</p></div>
    <div class="main"><p>三、收到和处理政府信息公开申请情况</p>
    <table><caption>第二十条第（八）项</caption><tr><td>行政事业性收费</td><td>7.5</td></tr></table></div>
    <div style="display: none">隐藏的统计代码</div>
    </form></body></html>"""
    )
    doc = read_html(html)
    assert "三、收到和处理政府信息公开申请情况" in texts(doc)
    assert "第二十条第（八）项" in texts(doc)  # a <caption> is text before its table
    assert grid(doc.tables()[0]) == [["行政事业性收费", "7.5"]]
    assert "隐藏的统计代码" not in all_text(doc)


def test_word_html_inline_marks() -> None:
    html = (
        "<div class=WordSection1><p class=MsoNormal><span lang=EN-US>2023</span><span>年，全年<o:p></o:p>"
        "</span>公开信息<span>12</span>条。<o:p>&nbsp;</o:p></p>"
        "<table class=MsoNormalTable><tr><td><p class=MsoNormal><span>行政<o:p></o:p></span>许可</p></td>"
        "<td><p class=MsoNormal><span lang=EN-US>1</span><span lang=EN-US>2<o:p></o:p></span></p></td></tr></table></div>"
    )
    doc = read_html(html)
    assert texts(doc) == ["2023年，全年公开信息12条。"]
    assert grid(doc.tables()[0]) == [["行政许可", "12"]]


def test_title_falls_back_to_the_first_heading() -> None:
    doc = read_html(
        "<html><body><h1>某县2021年政府信息公开工作年度报告</h1><p>正文</p></body></html>"
    )
    assert doc.title == "某县2021年政府信息公开工作年度报告"


def test_js_escaped_html_is_unescaped() -> None:
    html = '<div><table class=\\"t\\" border=\\"1\\"><tr><td colspan=\\"2\\">行政许可</td><td>5</td></tr></table></div>'
    (table,) = read_html(html).tables()
    assert grid(table) == [["行政许可", "~", "5"]]


def test_lines_in_a_cell_join_but_numbers_never_run_together() -> None:
    html = """<table><tr>
    <td>（二）部分公开（区分处理的，只计这一情
        形，不计其他情形）</td>
    <td><p>12</p><p>3</p></td><td>4<br>5</td><td><span>6</span><span>7</span></td>
    <td>22<p>（其中修订16件）</p></td></tr></table>"""
    (table,) = read_html(html).tables()
    assert grid(table) == [
        [
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "12 3",
            "4 5",
            "67",
            "22（其中修订16件）",
        ]
    ]


def test_saved_mhtml_quoted_printable() -> None:
    doc = read_path(READERS / "saved-page.mhtml")
    assert doc.title == "某区2024年政府信息公开工作年度报告"
    assert texts(doc) == ["一、总体情况", "本区2024年主动公开信息300条。"]
    assert grid(doc.tables()[0]) == [
        ["信息内容", "本年处理决定数量", "~"],
        ["~", "上半年", "下半年"],
        ["行政许可", "12", "0"],
    ]


def test_mhtml_base64_with_its_charset() -> None:
    message = MIMEMultipart("related")
    page = "<html><body><p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>"
    message.attach(MIMEText(page, "html", "gb18030"))  # base64 in GB18030
    data = message.as_bytes()
    assert b"base64" in data
    assert texts(read_bytes(data, "报告.mht")) == ["四、政府信息公开行政复议、行政诉讼情况"]


def test_clipboard_html_fragment_preferred_over_text() -> None:
    html = (
        "Version:0.9\r\nStartHTML:0000000105\r\nEndHTML:0000000300\r\n"
        "<html><body><!--StartFragment--><p>当前</p><table><tr><td>规章</td><td>0</td></tr></table>"
        "<!--EndFragment--></body></html>"
    )
    doc = read_clipboard(html, "规章 0")
    assert grid(doc.tables()[0]) == [["规章", "0"]]
    assert doc.name == "粘贴的内容"
    doc = read_clipboard(None, "一、总体情况\n规章00")
    assert texts(doc) == ["一、总体情况", "规章00"]
    with pytest.raises(NotAReport, match="剪贴板中没有内容"):
        read_clipboard("", "  ")


# ------------------------------------------------------------------ text


def test_crawl_file_header_gives_the_title() -> None:
    # samples/12-pingtan-zone-2025/page.txt: 标题 … ==== 正文 ==== then the page text.
    doc = read_path(SAMPLES / "12-pingtan-zone-2025" / "page.txt")
    assert doc.kind == "文本"
    assert doc.title == "平潭综合实验区2025年度政府信息公开工作年度报告"
    first = doc.paragraphs()[0]
    assert first.text.startswith("本报告根据《中华人民共和国政府信息公开条例》")
    assert "发布时间" not in all_text(doc)
    assert first.origin.where == "第10行"


def test_pasted_text_one_paragraph_a_line_kept_as_is() -> None:
    doc = read_text("一、总体情况\n\n  （一）主动公开 \n规章000\t行政规范性文件5845546")
    assert texts(doc) == ["一、总体情况", "  （一）主动公开", "规章000 行政规范性文件5845546"]
    assert [p.origin.where for p in doc.paragraphs()] == ["第1行", "第3行", "第4行"]


def test_markdown_pipe_table() -> None:
    md = "二、主动公开政府信息情况\n| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | 0 |\n后文"
    doc = read_bytes(md.encode(), "report.md")
    assert texts(doc) == ["二、主动公开政府信息情况", "后文"]
    assert grid(doc.tables()[0]) == [["信息内容", "本年制发件数"], ["规章", "0"]]


def test_markdown_sample_reads() -> None:
    doc = read_path(SAMPLES / "03-shanghai-stcsm-2024-derived-md" / "kewei-2024-source.md")
    assert "一、总体情况" in texts(doc)


# ------------------------------------------------------------------ Word


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.core_properties.title = "某街道2023年政府信息公开工作年度报告"
    document.add_paragraph("一、总体情况")
    document.add_paragraph("全年公开信息\u300050条。")
    table = document.add_table(rows=4, cols=4)
    table.cell(0, 0).merge(table.cell(0, 1))  # gridSpan
    table.cell(0, 0).text = "信息内容"
    table.cell(0, 2).text = "本年制发件数"
    table.cell(0, 3).text = "现行有效件数"
    label = table.cell(1, 0).merge(table.cell(3, 0))  # vMerge restart + continue
    label.text = ""
    label.paragraphs[0].add_run("三、本年度办")
    label.add_paragraph("理结果")
    for r, (name, a, b) in enumerate(
        [("规章", "0", "1"), ("行政规范性文件", "2", ""), ("合计", "2", "1")], start=1
    ):
        table.cell(r, 1).text = name
        table.cell(r, 2).text = a
        table.cell(r, 3).text = b
    document.add_paragraph("二、主动公开政府信息情况")
    # A frame table holding a data table (nested).
    frame = document.add_table(rows=1, cols=1)
    frame.cell(0, 0).paragraphs[0].add_run("第二十条第（五）项")
    inner = frame.cell(0, 0).add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "信息内容", "本年处理决定数量"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "行政许可", "17"
    # A paragraph inside a content control.
    sdt = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>六、其他需要报告的事项</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )
    document.element.body.insert(len(document.element.body) - 1, sdt)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_in_body_order_with_merged_cells() -> None:
    doc = read_bytes(_docx_bytes(), "年报.docx")
    assert doc.kind == "Word文档"
    assert doc.title == "某街道2023年政府信息公开工作年度报告"
    kinds = ["T" if isinstance(b, SourceTable) else "P" for b in doc.blocks]
    assert kinds == ["P", "P", "T", "P", "P", "T", "P"]
    assert texts(doc) == [
        "一、总体情况",
        "全年公开信息 50条。",
        "二、主动公开政府信息情况",
        "第二十条第（五）项",
        "六、其他需要报告的事项",
    ]
    first, nested = doc.tables()
    assert grid(first) == [
        ["信息内容", "~", "本年制发件数", "现行有效件数"],
        ["三、本年度办理结果", "规章", "0", "1"],
        ["~", "行政规范性文件", "2", ""],
        ["~", "合计", "2", "1"],
    ]
    assert first.rows[1][2].origin.where == "第1个表格第2行第3列"
    assert grid(nested) == [["信息内容", "本年处理决定数量"], ["行政许可", "17"]]


def test_docx_holding_a_web_page() -> None:
    # Converters from web pages put the page whole into the .docx (w:altChunk).
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    document = docx.Document()
    document.add_paragraph("某单位2024年政府信息公开工作年度报告")
    page = "<html><body><p>一、总体情况</p><table><tr><td>规章</td><td>3</td></tr></table></body></html>"
    part = Part(
        PackURI("/word/afchunk.htm"), "text/html", page.encode("utf-8"), document.part.package
    )
    rid = document.part.relate_to(
        part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"
    )
    chunk = parse_xml(f'<w:altChunk {nsdecls("w", "r")} r:id="{rid}"/>')
    document.element.body.insert(len(document.element.body) - 1, chunk)
    out = io.BytesIO()
    document.save(out)
    doc = read_bytes(out.getvalue(), "网页转换.docx")
    assert texts(doc) == ["某单位2024年政府信息公开工作年度报告", "一、总体情况"]
    assert grid(doc.tables()[0]) == [["规章", "3"]]


def test_damaged_docx() -> None:
    data = _docx_bytes()
    with pytest.raises(NotAReport, match="Word文件"):
        read_bytes(data[: len(data) // 2], "年报.docx")


# ------------------------------------------------------------------ PDF


def _font() -> str:
    if "NotoSerifSC" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NotoSerifSC", str(FONT)))
    return "NotoSerifSC"


def _split_table_pdf() -> bytes:
    """A ruled table too long for one page, with a page footer “— N —” on each page."""
    font = _font()
    out = io.BytesIO()

    def footer(c: canvas.Canvas, d: SimpleDocTemplate) -> None:
        c.setFont(font, 10)
        number = c.getPageNumber()
        c.drawCentredString(
            A4[0] / 2, 30, f"— {number} —" if number == 1 else f"第 {number} 页 共 2 页"
        )

    style = ParagraphStyle("body", fontName=font, fontSize=11, leading=16)
    doc = SimpleDocTemplate(out, pagesize=A4, title="某镇2024年政府信息公开工作年度报告")
    rows = [["信息内容", "本年制发件数", "本年废止件数"]] + [
        [f"第{i}项", str(i), str(2 * i)] for i in range(1, 61)
    ]
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [("FONT", (0, 0), (-1, -1), font, 10), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
        )
    )
    story = [
        Paragraph("三、收到和处理政府信息公开申请情况", style),
        table,
        Paragraph("四、结尾段落。", style),
    ]
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def test_pdf_table_split_over_two_pages_is_joined() -> None:
    doc = read_bytes(_split_table_pdf(), "年报.pdf")
    assert doc.kind == "PDF"
    assert doc.title == "某镇2024年政府信息公开工作年度报告"
    (table,) = doc.tables()
    rows = grid(table)
    assert rows[0] == ["信息内容", "本年制发件数", "本年废止件数"]
    # The header repeated on page 2 is dropped; every data row is there once, in order.
    assert rows[1:] == [[f"第{i}项", str(i), str(2 * i)] for i in range(1, 61)]
    # No footer: “— 1 —”, “第 2 页 共 2 页”.
    assert texts(doc) == ["三、收到和处理政府信息公开申请情况", "四、结尾段落。"]
    assert table.rows[-1][0].origin.where.startswith("第2页")


def _real(n: str) -> Path:
    return next((SAMPLES).glob(f"{n}-*/*.pdf"))


@pytest.mark.parametrize("sample", ["01", "02"])
def test_real_pdf_tables(sample: str) -> None:
    doc = read_path(_real(sample))
    tables = doc.tables()
    # 第二十条 (一)(五)(六)(八), part 三 (joined over the page break), part 四
    assert [t.width for t in tables] == [4, 2, 2, 2, 10, 15]
    part3 = tables[4]
    assert (
        len(part3.rows) == 26
    )  # 3 header rows, 23 rows of the 2019 layout, none lost at the break
    labels = ["".join(c.text for c in row[:3]) for row in part3.rows]
    assert "（三）不予公开1.属于国家秘密" in labels
    assert [c.text for c in part3.rows[8][:3]] == ["", "", "2.其他法律行政止公开"]  # as printed
    assert "三、本年度办理结果（一）予以公开" in labels
    assert "3.补正后申请内容仍不明确" in labels  # the first row on the next page
    assert "（七）总计" in labels
    for row in part3.rows[3:]:
        values = [c.text for c in row[3:]]
        assert len(values) == 7 and all(v.isdigit() for v in values), values
    # 三、本年度办理结果 printed vertically (one character a line) reads as one label
    assert part3.rows[5][0].text == "三、本年度办理结果"
    everything = all_text(doc)
    assert "— 2 —" not in everything and "- 2 -" not in everything
    assert "二、主动公开政府信息情况" in texts(doc)


def test_real_pdf_values() -> None:
    part4 = read_path(_real("01")).tables()[5]
    assert [c.text for c in part4.rows[-1]] == ["10", "1", "0", "0", "0"] + ["0"] * 5 + [
        "5",
        "0",
        "0",
        "0",
        "0",
    ]


@pytest.mark.parametrize("sample", ["01", "02"])
def test_real_pdf_speed(sample: str) -> None:
    """A 5-page report well under a second.  CPU time of this process, so that other work on
    the machine (8 test runs on 2 cores) does not make the figure lie; it is about 0.35 s here."""
    data = _real(sample).read_bytes()
    read_bytes(data, "warm.pdf")
    start = time.process_time()
    read_bytes(data, "x.pdf")
    elapsed = time.process_time() - start
    assert elapsed < 1.0, f"{elapsed:.2f} s"


def _image_only_pdf() -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.drawImage(
        str(ROOT / "tests" / "data" / "published" / "readers" / "scan.png"), 50, 400, 400, 300
    )
    c.rect(40, 40, 500, 700)
    c.showPage()
    c.save()
    return out.getvalue()


def test_scanned_pdf() -> None:
    with pytest.raises(NotAReport) as caught:
        read_bytes(_image_only_pdf(), "扫描件.pdf")
    assert str(caught.value) == SCANNED


def test_a_page_without_text_is_noted() -> None:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont(_font(), 12)
    c.drawString(72, 760, "一、总体情况")
    c.showPage()
    c.drawImage(str(READERS / "scan.png"), 50, 400, 400, 300)
    c.showPage()
    c.save()
    doc = read_bytes(out.getvalue(), "年报.pdf")
    assert texts(doc) == ["一、总体情况"]
    assert doc.notes == ("第2页没有文字层，可能是扫描件，没有读取。",)


def test_encrypted_pdf() -> None:
    out = io.BytesIO()
    c = canvas.Canvas(out, encrypt="secret")
    c.setFont(_font(), 12)
    c.drawString(100, 700, "一、总体情况")
    c.save()
    with pytest.raises(NotAReport, match="加密"):
        read_bytes(out.getvalue(), "加密.pdf")


def test_truncated_pdf() -> None:
    data = _real("01").read_bytes()
    for cut in (200, len(data) // 3, len(data) // 2):
        with pytest.raises(NotAReport, match="PDF") as caught:
            read_bytes(data[:cut], "年报.pdf")
        assert "扫描件" not in str(caught.value)


# ------------------------------------------------------------------ what cannot be read


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "空.txt", "是空的"),
        (b"  \r\n ", "空.html", "是空的"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "年报.doc", CONVERT),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "年报.wps", CONVERT),
        (bytes(range(256)) * 40, "random.bin", "可以导入的文件"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "图片.png", "可以导入的文件"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 4, "坏.pdf", "PDF"),
        (b"PK\x03\x04garbage", "坏.docx", "Word文件"),
    ],
)
def test_unreadable_inputs(data: bytes, name: str, message: str) -> None:
    with pytest.raises(NotAReport, match=message):
        read_bytes(data, name)


def test_a_web_page_served_as_doc_is_read() -> None:
    page = (READERS / "gbk-page.html").read_bytes()
    assert read_bytes(page, "年报.doc").kind == "网页"
    mht = (READERS / "saved-page.mhtml").read_bytes()
    assert texts(read_bytes(mht, "年报.doc"))[0] == "一、总体情况"
    with pytest.raises(NotAReport, match=CONVERT):
        read_bytes(b"{\\rtf1\\ansi \\f0 report}", "年报.doc")


def test_ofd_zip() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
        archive.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    with pytest.raises(NotAReport, match=CONVERT):
        read_bytes(out.getvalue(), "年报.ofd")
    with pytest.raises(NotAReport, match=CONVERT):
        read_bytes(out.getvalue(), "年报.zip")  # by content, not by name


def test_content_beats_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "年报.txt"
    path.write_bytes(_real("02").read_bytes())
    assert read_path(path).kind == "PDF"
    word = tmp_path / "年报.pdf"
    word.write_bytes(_docx_bytes())
    assert read_path(word).kind == "Word文档"
    with pytest.raises(NotAReport, match="找不到文件"):
        read_path(tmp_path / "没有.pdf")
    with pytest.raises(NotAReport, match="文件夹"):
        read_path(tmp_path)


def test_text_file_mentioning_markup_stays_text() -> None:
    doc = read_bytes("一、总体情况\n网页中的<p>标记不是网页\n".encode("gb18030"), "粘贴.txt")
    assert doc.kind == "文本"
    assert texts(doc) == ["一、总体情况", "网页中的<p>标记不是网页"]


def test_html_that_is_not_text() -> None:
    with pytest.raises(NotAReport):
        read_html(b"<html><body><script>var x=1;</script></body></html>")
