"""The report as a Word file (.docx), for offices that edit it further in Word or WPS.

    render_docx(report) -> bytes

It lays out the same :class:`~export.document.Document` as the PDF, in the same order and
geometry (:mod:`export.geometry`): A4 portrait, top margin 37 mm, left 28 mm, type area 156 ×
225 mm, 22 lines of 16 pt a page; the official tables with their merged cells (``gridSpan`` and
``vMerge``), part 三's group labels written vertically (``tbRl``: CJK upright, one character a
line), header rows repeated on a new page; page numbers “— N —” as a PAGE field, on odd pages
right and on even pages left, one character in (even and odd footers).

Everything is set through named styles — 标题, 一级标题, 二级标题, 正文, 表格, and the character
styles of the headings that open a paragraph — so an office can restyle the whole document at
once.  The fonts carry the names Chinese offices know (仿宋_GB2312, 黑体, 楷体_GB2312,
方正小标宋简体, 宋体), set as East Asian fonts too; the font table tells Word what to substitute
where a face is missing (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 方正小标宋简体 → 宋体).

The body is written as WordprocessingML directly (python-docx has no API for merged-cell grids
built in one go, vertical text or fields, and its per-cell calls are slow); python-docx provides
the package, the parts and the core properties.  The same report gives the same bytes: the file's
dates come from the report and every zip entry carries one fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

import docx
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu

from export.document import (
    APPENDIX_LABEL,
    Appendix,
    Document,
    Paragraph,
    Table,
    TableCell,
    build_document,
)
from export.geometry import (
    BODY_SIZE,
    BOTTOM,
    LEFT,
    LINE,
    MM,
    PAD,
    PAGE_HEIGHT,
    PAGE_NUMBER_GAP,
    PAGE_NUMBER_SIZE,
    PAGE_WIDTH,
    SMALLEST_NUMBER,
    TABLE_LEADING,
    TABLE_SIZE,
    TITLE_CHARS,
    TITLE_SIZE,
    TOP,
    TYPE_WIDTH,
    column_widths,
)
from export.linebreak import CLOSING, OPENING, UNITS
from export.renderers import Rendered
from export.titles import name_lines, title_lines
from model.formats.layout import Role
from model.report import Report

W = nsdecls("w")


def twips(points: float) -> int:
    return round(points * 20)


@dataclass(frozen=True)
class FontName:
    """A face by the name Chinese offices use, and what Word substitutes when it is missing."""

    name: str
    substitute: str
    family: str  # the font table's generic family, for Word's own substitution


FANGSONG = FontName("仿宋_GB2312", "仿宋", "modern")
HEITI = FontName("黑体", "SimHei", "modern")
KAITI = FontName("楷体_GB2312", "楷体", "modern")
XIAOBIAOSONG = FontName("方正小标宋简体", "宋体", "script")
SONGTI = FontName("宋体", "SimSun", "auto")
FONTS = (FANGSONG, HEITI, KAITI, XIAOBIAOSONG, SONGTI)


@dataclass(frozen=True)
class Style:
    style_id: str
    name: str


TITLE = Style("NianbaoTitle", "标题")
HEADING_1 = Style("NianbaoHeading1", "一级标题")
HEADING_2 = Style("NianbaoHeading2", "二级标题")
BODY = Style("NianbaoBody", "正文")
TABLE = Style("NianbaoTable", "表格")
LEAD_1 = Style("NianbaoLead1", "一级标题 字符")
LEAD_2 = Style("NianbaoLead2", "二级标题 字符")
PARAGRAPH_STYLES = (TITLE, HEADING_1, HEADING_2, BODY, TABLE)
#: A paragraph that is only a heading takes the paragraph style of its level; a heading that
#: opens a paragraph takes the linked character style.
HEADING_STYLES = {1: (HEADING_1, LEAD_1), 2: (HEADING_2, LEAD_2)}

EXACT_LINE = 579  # twips: 28.95 pt, so that 22 lines fill the 225 mm type area
LINE_CHARS = 28  # GB/T 9704 §5.2.3: 28 characters a line, filling the type area
#: The document grid of Chinese Word templates (文档网格, 指定行和字符网格): 22 lines of
#: EXACT_LINE and 28 characters a line.  Word and WPS add ``charSpace`` (1/4096 pt) to every
#: character of the body size, so that 28 of them fill the 156 mm line exactly.
GRID_CHAR_SPACE = round((TYPE_WIDTH / LINE_CHARS - BODY_SIZE) * 4096)
#: The report's own paragraphs stand off that grid and reach the same 28 characters by a
#: character spacing of their own (TRACKING): LibreOffice gives every character two cells of
#: a grid narrower than the font (any negative charSpace), and a 10.5 pt table character or the
#: 22 pt title should keep its natural width anyway.  What an editor adds in Word's Normal
#: style snaps to the grid, as in the offices' templates.
_OFF_GRID = '<w:snapToGrid w:val="0"/>'
#: Character spacing of the body and headings (twips, condensed): 16 pt less 0.4 pt, so that
#: 28 characters (436.8 pt) fit the 442.2 pt line with room for a layout's rounding
#: (LibreOffice keeps to 27 at less 0.25 pt) and 29 never do; justification spreads the rest.
TRACKING = -8
#: U+200D, which Word inserts as its “no-width non break”: between a number and its unit and
#: inside a unit (67.74万元, 9件), which Word would otherwise break apart at a line end.
#: (LibreOffice honours neither it nor U+2060 WORD JOINER in Chinese text; :data:`SECOND_UNITS`
#: covers 万/元 there.)  Never inside a date: see :data:`_NUMBER_UNIT`.
JOINER = "\u200d"
DIGIT_WIDTH = 0.62  # of the font size: a Song face's digits and a margin for substitutes
#: Neither XML nor Word can hold these; a report should not contain them, but a pasted text may.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render(report: Report, appendix: Appendix | None = None) -> Rendered:
    """``report`` as a Word file (:mod:`export.renderers`); Word lays out its pages.
    ``appendix`` follows the 落款 on a new page, as 附件."""
    return Rendered(render_docx(report, appendix), None)


def render_docx(report: Report, appendix: Appendix | None = None) -> bytes:
    """``report`` as a .docx file."""
    return render_document(build_document(report, appendix), file_time(report))


def file_time(report: Report) -> dt.datetime:
    """The file's creation and modification time: the report's date, or for a report without
    one the first of January after its year (never the clock, so the bytes repeat)."""
    day = report.signature_date or dt.date(report.year + 1, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def render_document(document: Document, when: dt.datetime) -> bytes:
    word = docx.Document()
    _set_styles(word)
    _set_fonts(word)
    _set_page(word)
    _set_properties(word, document, when)
    body = word.element.body
    section = body[-1]
    for element in parse_xml(f"<w:body {W}>{''.join(_body(document))}</w:body>"):
        section.addprevious(element)
    out = io.BytesIO()
    word.save(out)
    return _fixed_zip(out.getvalue())


# ---------------------------------------------------------------------------- styles


def _fonts(font: FontName) -> str:
    n = font.name
    return f'<w:rFonts w:ascii="{n}" w:hAnsi="{n}" w:eastAsia="{n}" w:cs="{n}"/>'


def _run_props(font: FontName, size: float, tracking: int = 0) -> str:
    half = round(size * 2)
    spacing = f'<w:spacing w:val="{tracking}"/>' if tracking else ""
    return f'{_fonts(font)}{spacing}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


def _spacing(line: int, after: int = 0, before: int = 0) -> str:
    return f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="exact"/>'


_INDENT_2 = f'<w:ind w:firstLineChars="200" w:firstLine="{twips(2 * BODY_SIZE)}"/>'
_NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'


def _paragraph_style(style: Style, ppr: str, rpr: str, extra: str = "") -> str:
    return (
        f'<w:style {W} w:type="paragraph" w:customStyle="1" w:styleId="{style.style_id}">'
        f'<w:name w:val="{style.name}"/><w:basedOn w:val="Normal"/>'
        f'<w:next w:val="{BODY.style_id}"/>{extra}<w:qFormat/>'
        f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


def _character_style(style: Style, linked: Style, rpr: str) -> str:
    return (
        f'<w:style {W} w:type="character" w:customStyle="1" w:styleId="{style.style_id}">'
        f'<w:name w:val="{style.name}"/><w:basedOn w:val="DefaultParagraphFont"/>'
        f'<w:link w:val="{linked.style_id}"/><w:rPr>{rpr}</w:rPr></w:style>'
    )


def _style_xml() -> list[str]:
    body = _OFF_GRID + _spacing(EXACT_LINE) + _INDENT_2 + '<w:jc w:val="both"/>'
    heading = "<w:keepNext/>" + body
    title_after = twips(LINE)  # one blank 3号 line under the title (GB/T 9704 §7.3.2), as the PDF
    return [
        _paragraph_style(
            TITLE,
            "<w:keepNext/>"
            + _OFF_GRID
            + _spacing(twips(TITLE_SIZE * 1.5), title_after)
            + _NO_INDENT
            + '<w:jc w:val="center"/>',
            _run_props(XIAOBIAOSONG, TITLE_SIZE),
        ),
        _paragraph_style(
            HEADING_1,
            heading + '<w:outlineLvl w:val="0"/>',
            _run_props(HEITI, BODY_SIZE, TRACKING),
            f'<w:link w:val="{LEAD_1.style_id}"/>',
        ),
        _paragraph_style(
            HEADING_2,
            heading + '<w:outlineLvl w:val="1"/>',
            _run_props(KAITI, BODY_SIZE, TRACKING),
            f'<w:link w:val="{LEAD_2.style_id}"/>',
        ),
        _paragraph_style(BODY, body, _run_props(FANGSONG, BODY_SIZE, TRACKING)),
        _paragraph_style(
            TABLE,
            _OFF_GRID + _spacing(twips(TABLE_LEADING)) + _NO_INDENT + '<w:jc w:val="center"/>',
            _run_props(SONGTI, TABLE_SIZE),
        ),
        _character_style(LEAD_1, HEADING_1, _fonts(HEITI)),
        _character_style(LEAD_2, HEADING_2, _fonts(KAITI)),
    ]


#: Every paragraph: no extra space between Han characters and digits or Latin letters (the
#: PDF sets none, and it would put “2019 年” off the 28-character grid); widow and orphan
#: control, as the PDF never leaves the first line of a paragraph alone at the foot of a page;
#: and no punctuation hanging past the type area (Word's and LibreOffice's default for
#: Chinese, 允许标点溢出边界): a line holds 28 characters, and a mark that may not start a
#: line takes the character before it to the next, as in the PDF, so that both break their
#: lines, and so their pages, alike.
_PARAGRAPH_DEFAULTS = (
    '<w:widowControl/><w:overflowPunct w:val="0"/>'
    '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
)


def _set_styles(word: WordDocument) -> None:
    """The document defaults become the body's face and size (so that anything unstyled still
    looks like the report), the template's own Title goes (its Chinese name is 标题 too), and
    the report's styles are added."""
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    assert defaults is not None
    defaults.getparent().replace(
        defaults,
        parse_xml(
            f"<w:docDefaults {W}><w:rPrDefault><w:rPr>{_run_props(FANGSONG, BODY_SIZE)}"
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            f"<w:pPrDefault><w:pPr>{_PARAGRAPH_DEFAULTS}"
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
    )
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) in ("Title", "TitleChar"):
            styles.remove(style)
        elif style.get(qn("w:styleId")) == "Normal":
            # The grid's character pitch is the Normal size plus charSpace (LibreOffice reads
            # the size from this style only, not from the defaults).
            style.append(parse_xml(f"<w:rPr {W}>{_run_props(FANGSONG, BODY_SIZE)}</w:rPr>"))
    for xml in _style_xml():
        styles.append(parse_xml(xml))


def _set_fonts(word: WordDocument) -> None:
    """Font table entries: Chinese charset, and the face Word should use when one is missing."""
    part = word.part.part_related_by(RT.FONT_TABLE)
    table = parse_xml(part.blob)
    for font in FONTS:
        table.append(
            parse_xml(
                f'<w:font {W} w:name="{font.name}"><w:altName w:val="{font.substitute}"/>'
                f'<w:charset w:val="86"/><w:family w:val="{font.family}"/>'
                '<w:pitch w:val="variable"/></w:font>'
            )
        )
    part._blob = serialize_part_xml(table)
    settings = word.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    _set_kinsoku(settings)


#: Word's own Simplified Chinese 禁则 lists, which a custom list replaces.
_WORD_NOT_FIRST = (
    "!%),.:;?]}¢°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｝～￠"
)
_WORD_NOT_LAST = "$(£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥"
#: A unit that follows another (万元, 亿元): the joiner does not hold two Han characters
#: together in LibreOffice, so these may not start a line at all.
SECOND_UNITS = "元"


def _set_kinsoku(settings: object) -> None:
    """The 禁则 of :mod:`export.linebreak` as Word's custom lists (zh-CN): Word's own marks and
    the program's, and :data:`SECOND_UNITS` never first on a line."""
    not_first = "".join(sorted(set(_WORD_NOT_FIRST) | CLOSING | set(SECOND_UNITS)))
    not_last = "".join(sorted(set(_WORD_NOT_LAST) | OPENING))
    anchor = settings.find(qn("w:characterSpacingControl"))  # type: ignore[attr-defined]
    assert anchor is not None
    for tag, chars in (("noLineBreaksBefore", not_first), ("noLineBreaksAfter", not_last)):
        element = parse_xml(
            f'<w:{tag} {W} w:lang="zh-CN" w:val="{escape(chars, {chr(34): "&quot;"})}"/>'
        )
        anchor.addnext(element)
        anchor = element


# ---------------------------------------------------------------------------- page


def _set_page(word: WordDocument) -> None:
    """A4 portrait, the type area of GB/T 9704, “— N —” 7 mm below it (odd right, even left)."""
    section = word.sections[0]
    section.page_width = _emu(PAGE_WIDTH)
    section.page_height = _emu(PAGE_HEIGHT)
    section.top_margin = _emu(TOP)
    section.left_margin = _emu(LEFT)
    section.right_margin = _emu(PAGE_WIDTH - LEFT - TYPE_WIDTH)
    section.bottom_margin = _emu(BOTTOM)
    section.header_distance = _emu(15 * MM)
    # The footer's one line is FOOTER_LINE high, its top FOOTER_TOP under the type area, so
    # that the dashes of “— N —” stand PAGE_NUMBER_GAP below it, as in the PDF.
    section.footer_distance = _emu(BOTTOM - FOOTER_TOP - FOOTER_LINE)
    word.settings.odd_and_even_pages_header_footer = True
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid is not None
    grid.attrib.clear()
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(EXACT_LINE))
    grid.set(qn("w:charSpace"), str(GRID_CHAR_SPACE))
    _page_number(section.footer._element, "right")
    _page_number(section.even_page_footer._element, "left")


#: The page number's line: exactly the size of its face, so that the dash's place does not
#: depend on the font's own line spacing.  The dash stands about 0.3 em above the baseline and
#: the baseline about 0.85 em under the top of the line (宋体's ascent).
FOOTER_LINE = PAGE_NUMBER_SIZE
FOOTER_TOP = PAGE_NUMBER_GAP - (0.85 - 0.3) * PAGE_NUMBER_SIZE


def _emu(points: float) -> Emu:
    return Emu(round(points * 12700))


def _page_number(footer: object, side: str) -> None:
    rpr = f"<w:rPr>{_run_props(SONGTI, PAGE_NUMBER_SIZE)}</w:rPr>"
    inset = twips(PAGE_NUMBER_SIZE)

    def run(inner: str) -> str:
        return f"<w:r>{rpr}{inner}</w:r>"

    paragraph = parse_xml(
        f"<w:p {W}><w:pPr>{_OFF_GRID}{_spacing(twips(FOOTER_LINE))}"
        f'<w:ind w:{side}="{inset}"/><w:jc w:val="{side}"/></w:pPr>'
        + run('<w:t xml:space="preserve">— </w:t>')
        + run('<w:fldChar w:fldCharType="begin"/>')
        + run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
        + run('<w:fldChar w:fldCharType="separate"/>')
        + run("<w:t>1</w:t>")
        + run('<w:fldChar w:fldCharType="end"/>')
        + run('<w:t xml:space="preserve"> —</w:t>')
        + "</w:p>"
    )
    for old in list(footer):  # type: ignore[call-overload]
        footer.remove(old)  # type: ignore[attr-defined]
    footer.append(paragraph)  # type: ignore[attr-defined]


#: Word's limit for a document property (python-docx refuses longer ones).
PROPERTY_LIMIT = 255


def property_text(text: str) -> str:
    """``text`` as a document property can hold it: XML-safe, on one line, at most
    :data:`PROPERTY_LIMIT` characters (a long title is cut with an ellipsis; the document
    itself keeps it whole)."""
    cleaned = " ".join(_NOT_XML.sub("", text).split())
    if len(cleaned) > PROPERTY_LIMIT:
        cleaned = cleaned[: PROPERTY_LIMIT - 1] + "…"
    return cleaned


def _set_properties(word: WordDocument, document: Document, when: dt.datetime) -> None:
    props = word.core_properties
    props.title = property_text(document.title)
    props.author = property_text(document.author)
    props.last_modified_by = property_text(document.author)
    props.subject = "政府信息公开工作年度报告"
    props.comments = ""
    # The report's version code (model.version): its own properties, and the keywords that
    # Word and WPS show.
    props.keywords = f"版本码 {document.version}" if document.version else ""
    props.identifier = document.version
    props.version = document.version
    props.category = ""
    props.revision = 1
    props.created = props.modified = when.replace(tzinfo=None)
    _drop_thumbnail(word)


def _drop_thumbnail(word: WordDocument) -> None:
    """python-docx's template carries a picture of an empty page as the file's preview."""
    package = word.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)


def _fixed_zip(data: bytes) -> bytes:
    """The same package with one fixed timestamp on every entry (zip stores the clock)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item))
    return out.getvalue()


# ---------------------------------------------------------------------------- body


def _text(text: str) -> str:
    return escape(joined(_NOT_XML.sub("", text)))


def _number_unit(units: Iterable[str]) -> re.Pattern[str]:
    unit = f"[{''.join(sorted(units))}]"
    return re.compile(rf"(?<=[0-9０-９])(?={unit})|(?<=[0-9０-９]{unit})(?={unit})")


#: In running text, not dates: a year or a date (2019年, 1月20日) is what readers search a
#: published page for, and clerks paste the Word file into their website's editor, so no
#: invisible character may sit inside one.  The 落款's date is joined whole (:func:`_signature`):
#: a line that must not break, and which LibreOffice would otherwise space out.
_NUMBER_UNIT = _number_unit(UNITS - set("年月日时分秒号"))
_DATE_UNIT = _number_unit(UNITS)


def joined(text: str, where: re.Pattern[str] = _NUMBER_UNIT) -> str:
    """``text`` with :data:`JOINER` wherever :mod:`export.linebreak` keeps a unit with the
    number before it (67.74万元, 9件): Word and LibreOffice would break there."""
    return where.sub(JOINER, text)


def _run(text: str, rpr: str = "") -> str:
    if not text:
        return ""
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>'


def _lines(lines: list[str], rpr: str = "") -> str:
    """Lines of one paragraph, each after the first on a new line (w:br)."""
    return "<w:r><w:br/></w:r>".join(_run(line, rpr) for line in lines)


def _p(style: Style, runs: str, ppr: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style.style_id}"/>{ppr}</w:pPr>{runs}</w:p>'


def _body(document: Document) -> Iterator[str]:
    yield _p(TITLE, _lines(list(document.title_lines)))
    yield from (_paragraph(p) for p in document.preamble)
    signature = list(_signature(document))
    # The 落款 keeps with the last line of text (GB/T 9704 §7.3.5.5): never on a page alone.
    blocks = [b for s in document.sections for b in s.blocks]
    last = blocks[-1] if signature and blocks and isinstance(blocks[-1], Paragraph) else None
    after_table = False
    for section in document.sections:
        has_table = any(isinstance(b, Table) for b in section.blocks)
        yield _p(HEADING_1, _run(section.heading), _gap(after_table, 4 if has_table else 0))
        after_table = False  # the half line under a table is spent on what comes next
        for block in section.blocks:
            if isinstance(block, Paragraph):
                keep = "<w:keepNext/>" if block is last else ""
                yield _paragraph(block, keep + _gap(after_table))
                after_table = False
            else:
                yield _table(block)
                after_table = True
    if document.appendix is not None:  # 附件说明 under the text, a blank line either side
        yield _p(BODY, "", "<w:keepNext/>")
        yield _p(BODY, _run(document.appendix.note), "<w:keepNext/>")
    if signature:
        yield _p(BODY, "", "<w:keepNext/>")  # the blank line above the signature
        yield from signature
    if document.appendix is not None:
        yield from _appendix(document.appendix)


def _appendix(appendix: Appendix) -> Iterator[str]:
    """The 附件 on a new page (GB/T 9704 §7.5): “附件” in 黑体 flush left on the first line,
    the title centred on the third, then the paragraphs as body text."""
    yield _p(
        HEADING_1,
        _run(APPENDIX_LABEL),
        "<w:pageBreakBefore/>" + _spacing(EXACT_LINE, EXACT_LINE) + _NO_INDENT,
    )
    yield _p(TITLE, _lines(title_lines(appendix.heading, TITLE_CHARS)))
    yield from (_paragraph(p) for p in appendix.paragraphs)


def _gap(after_table: bool, after: float = 0) -> str:
    """Spacing for a paragraph under a table (the half line the PDF leaves there) or above
    one (a few points)."""
    if not after_table and not after:
        return ""
    return _spacing(EXACT_LINE, twips(after), twips(LINE / 2) if after_table else 0)


def _paragraph(paragraph: Paragraph, ppr: str = "") -> str:
    if not paragraph.lead:
        return _p(BODY, _run(paragraph.text), ppr)
    heading, lead = HEADING_STYLES[paragraph.lead_level]
    if not paragraph.text:
        return _p(heading, _run(paragraph.lead), ppr)
    runs = _run(paragraph.lead, f'<w:rStyle w:val="{lead.style_id}"/>') + _run(paragraph.text)
    return _p(BODY, runs, ppr)


def _signature(document: Document) -> Iterator[str]:
    """The 落款 without a seal (GB/T 9704 §7.3.5.2): the agency 右空二字, the date under it
    starting two characters right of the agency's first (右移二字); a date that would then
    come closer than two characters to the edge stands 右空二字 and the agency moves left to
    keep the two characters.  An agency longer than the line wraps inside the type area.  The
    two lines keep together."""
    date = document.date
    names = name_lines(document.signature, LINE_CHARS - 2)  # a long one at a name's boundary
    first = names[0] if names else ""
    a, d = min(_ems(first), LINE_CHARS - 2.0), _ems(date)
    agency_right = max(2.0, d + 4 - a) if date and first else 2.0
    date_right = agency_right + a - 2 - d if first else 2.0
    dated = joined(date, _DATE_UNIT)
    placed = [(first, agency_right), *((name, 2.0) for name in names[1:]), (dated, date_right)]
    lines = [(line, right) for line, right in placed if line]
    for i, (line, right) in enumerate(lines):
        keep = "<w:keepNext/><w:keepLines/>" if i < len(lines) - 1 else "<w:keepLines/>"
        ppr = (
            f'{keep}<w:ind w:right="{twips(right * BODY_SIZE)}" w:firstLineChars="0"'
            ' w:firstLine="0"/><w:jc w:val="right"/>'
        )
        yield _p(BODY, _run(line), ppr)


def _ems(text: str) -> float:
    """A line's width in characters of the body size: ASCII half, the rest full."""
    return sum(0.5 if ord(c) < 0x2000 else 1.0 for c in text)


# ---------------------------------------------------------------------------- tables

CELL_TOP, CELL_BOTTOM = 30, 40  # twips: the PDF's 1.5 and 2 pt
_BORDER = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
_TABLE_PROPS = (
    "<w:tblPr>"
    f'<w:tblW w:w="{twips(TYPE_WIDTH)}" w:type="dxa"/><w:jc w:val="center"/>'
    "<w:tblBorders>"
    + "".join(_BORDER.format(side) for side in ("top", "left", "bottom", "right"))
    + _BORDER.format("insideH")
    + _BORDER.format("insideV")
    + '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>'
    f'<w:top w:w="{CELL_TOP}" w:type="dxa"/><w:left w:w="{twips(PAD)}" w:type="dxa"/>'
    f'<w:bottom w:w="{CELL_BOTTOM}" w:type="dxa"/><w:right w:w="{twips(PAD)}" w:type="dxa"/>'
    '</w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr>'
)


def _table(table: Table) -> str:
    widths = [twips(w) for w in column_widths(table, TYPE_WIDTH)]
    widths[-1] += twips(TYPE_WIDTH) - sum(widths)  # rounding: the grid fills the type area
    owner: dict[tuple[int, int], TableCell] = {}
    for c in table.cells:
        for row in range(c.row, c.row + c.rowspan):
            for col in range(c.col, c.col + c.colspan):
                owner[row, col] = c
    kept = _kept_rows(table)
    heights = _least_heights(table)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    rows = []
    for row in range(table.rows):
        header = "<w:tblHeader/>" if row < table.header_rows else ""
        if row in heights:
            header += f'<w:trHeight w:val="{heights[row]}" w:hRule="atLeast"/>'
        cells, col = [], 0
        while col < table.columns:
            cell = owner.get((row, col))
            span = cell.col + cell.colspan - col if cell else 1
            width = sum(widths[col : col + span])
            cells.append(_tc(table, cell, row, span, width, row in kept))
            col += span
        rows.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>{''.join(cells)}</w:tr>")
    return f"<w:tbl>{_TABLE_PROPS}<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def _tc(table: Table, cell: TableCell | None, row: int, span: int, width: int, keep: bool) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    keep_next = "<w:keepNext/>" if keep else ""
    if cell is not None and cell.rowspan > 1:
        props += '<w:vMerge w:val="restart"/>' if cell.row == row else "<w:vMerge/>"
    if cell is None or cell.row != row:  # empty, or covered by the cell above
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{_p(TABLE, '', keep_next)}</w:tc>"
    if cell.vertical:
        props += '<w:textDirection w:val="tbRl"/>'
    props += '<w:vAlign w:val="center"/>'
    ppr, rpr = keep_next, ""
    if cell.role is Role.LABEL and table.label_columns > 1:
        ppr += '<w:jc w:val="left"/>'
    elif cell.role is Role.CAPTION:
        rpr = _fonts(HEITI)
    elif cell.role is Role.VALUE:
        rpr = _number_size(cell.text, width)
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{_p(TABLE, _run(cell.text, rpr), ppr)}</w:tc>"


def _least_heights(table: Table) -> dict[int, int]:
    """Row heights (twips) under a vertical label tall enough for it: neither Word nor
    LibreOffice grows merged rows for vertical text, they clip it."""
    heights: dict[int, int] = {}
    for cell in table.cells:
        if cell.vertical:
            needed = twips(len(cell.text) * TABLE_SIZE * 1.1) + CELL_TOP + CELL_BOTTOM
            for row in range(cell.row, cell.row + cell.rowspan):
                heights[row] = max(heights.get(row, 0), -(-needed // cell.rowspan))
    return heights


def _number_size(text: str, width: int) -> str:
    """A number on one line: one too wide for its cell at 10.5 pt prints smaller."""
    room = width / 20 - 2 * PAD
    natural = len(text) * DIGIT_WIDTH * TABLE_SIZE
    if natural <= room:
        return ""
    size = max(SMALLEST_NUMBER, int(TABLE_SIZE * room / natural * 2) / 2)
    half = round(size * 2)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


def _kept_rows(table: Table) -> set[int]:
    """Rows whose paragraphs keep with the next row, so that a block stays on one page: part
    二's items (a caption and the rows up to the next one) and, in part 三, the header with
    the rows up to the end of the last vertical group, as the PDF keeps them."""
    captions = sorted(c.row for c in table.cells if c.role is Role.CAPTION)
    ends = [*captions[1:], table.rows]
    kept = {
        row for first, end in zip(captions, ends, strict=False) for row in range(first, end - 1)
    }
    groups = [c.row + c.rowspan - 1 for c in table.cells if c.role is Role.GROUP]
    if groups:
        kept |= set(range(0, max(groups)))
    return kept
