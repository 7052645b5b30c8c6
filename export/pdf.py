"""The report as a PDF in the official-document look (GB/T 9704, see PRINT.md).

    render_pdf(report) -> Rendered(data, pages, warnings)

A4 portrait, top margin 37 mm, left 28 mm, type area 156 × 225 mm; body 16 pt 仿宋 with 22
lines a page, title 22 pt 小标宋, headings 黑体/楷体, page numbers “— N —” 14 pt 7 mm below
the type area (odd pages right, even pages left, one character in).  Tables print the official
grids with their merged cells at 10.5 pt; their header rows repeat when a table breaks across
pages.  The same input gives the same bytes (``invariant``), so a preview, a print and a file
are the very same pages.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from html import escape  # not xml.sax.saxutils: it loads urllib.request, ssl and email
from typing import Any

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDate,
    PDFDictionary,
    PDFInfo,
    PDFName,
    PDFObject,
    PDFStream,
    PDFString,
    PDFTrueTypeFont,
    PDFZCompress,
)
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Spacer,
)
from reportlab.platypus import Table as RLTable

from export.cjk import CJKParagraph, LineText, line_width
from export.document import (
    APPENDIX_LABEL,
    Appendix,
    Document,
    Paragraph,
    Table,
    TableCell,
    build_document,
)
from export.fonts import Face, FontBook, default_fonts
from export.geometry import (
    LEAST_LABEL_SHARE,
    LEFT,
    NOTICE_BOARD,
    OFFICIAL,
    PAGE_NUMBER_SIZE,
    TITLE_CHARS,
    TYPE_WIDTH,
    PageGeometry,
    column_widths,
)
from export.renderers import Rendered
from export.titles import name_lines, title_lines
from model.formats.layout import Role
from model.report import Report

__all__ = [
    "LEFT",  # the A4 geometry, as callers (tests) read it from here
    "PAGE_NUMBER_SIZE",
    "TYPE_WIDTH",
    "font_warnings",
    "render",
    "render_document",
    "render_notice_board",
    "render_pdf",
    "signature_places",
]

#: Punctuation turned upright in a label printed one character a line.
VERTICAL_FORMS = str.maketrans("（）、。", "\ufe35\ufe36\ufe11\ufe12")


_one_at_a_time = threading.Lock()


def render(report: Report, appendix: Appendix | None = None) -> Rendered:
    """``report`` as PDF pages, in the fonts found on this computer (:mod:`export.renderers`);
    ``appendix`` follows the 落款 on a page of its own, as 附件."""
    return render_pdf(report, appendix=appendix)


def render_pdf(
    report: Report,
    fonts: FontBook | None = None,
    page: PageGeometry = OFFICIAL,
    appendix: Appendix | None = None,
) -> Rendered:
    """``report`` as PDF pages, ready to save, preview or print."""
    return render_document(build_document(report, appendix), fonts, page)


def render_notice_board(report: Report, fonts: FontBook | None = None) -> Rendered:
    """``report`` laid out anew on A3 for the notice board (:data:`NOTICE_BOARD`)."""
    return render_pdf(report, fonts, NOTICE_BOARD)


def render_document(
    document: Document,
    fonts: FontBook | None = None,
    page: PageGeometry = OFFICIAL,
) -> Rendered:
    """``document`` as PDF pages on ``page`` (A4 official, or the A3 notice board).  Safe to
    call from any thread: renders run one at a time (ReportLab keeps per-font state that two
    documents built at once could share)."""
    fonts = fonts or default_fonts()
    out = io.BytesIO()
    with _one_at_a_time:
        template = _Template(out, document, fonts, page, document.version)
        story = _Story(document, fonts, page).flowables()
        _remember_subsets()  # every font the document prints in is registered by now
        template.build(story)
    return Rendered(out.getvalue(), template.page, font_warnings(document, fonts))


#: How many font subsets each font keeps for the next document (a subset holds at most 256
#: glyphs: some 100 KB of a Chinese font).
SUBSETS_KEPT = 8


def _remember_subsets() -> None:
    """Let every TrueType font keep the subsets it made for the last documents.  A subset is
    the glyphs of the characters a document prints, in the order it first prints them; the
    preview renders the same report again at every pause in typing, and made each subset
    anew (a third of an export).  The same characters give the same bytes."""
    for name in pdfmetrics.getRegisteredFontNames():
        font = pdfmetrics.getFont(name)
        face: Any = getattr(font, "face", None)
        if isinstance(font, TTFont) and face is not None and "_kept" not in vars(face):
            face._kept = _Subsets(face.makeSubset)
            face.makeSubset = face._kept
        if isinstance(font, TTFont) and "_flate" not in vars(font):
            ttf: Any = font
            ttf._flate = _KeptFlate(2 * SUBSETS_KEPT)  # a subset's font file and its ToUnicode
            ttf.addObjects = _made_once(ttf.addObjects, ttf._flate, _KeptArrays(SUBSETS_KEPT))


class _Subsets:
    """A font's ``makeSubset``, remembering the last :data:`SUBSETS_KEPT` subsets."""

    def __init__(self, make: Callable[[list[int]], bytes]) -> None:
        self._make = make
        self._kept: OrderedDict[tuple[int, ...], bytes] = OrderedDict()

    def __call__(self, subset: list[int]) -> bytes:
        key = tuple(subset)
        data = self._kept.get(key)
        if data is None:
            data = self._kept[key] = self._make(subset)
            if len(self._kept) > SUBSETS_KEPT:
                self._kept.popitem(last=False)
        else:
            self._kept.move_to_end(key)
        return data


#: The names ReportLab files a font subset's streams under in a document (ttfonts.py).
FONT_STREAMS = ("fontFile:", "toUnicodeCMap:")


def _made_once(
    add_objects: Callable[[Any], None], flate: _KeptFlate, arrays: _KeptArrays
) -> Callable[[Any], None]:
    """A font's ``addObjects``, whose subsets' streams are compressed by ``flate`` and whose
    glyph widths are written by ``arrays``: a subset used again is not compressed nor written
    out again (zlib on the font files was a sixth of an export, the widths a twentieth)."""

    def add(doc: Any) -> None:
        add_objects(doc)
        for name, made in doc.idToObject.items():
            if isinstance(made, PDFTrueTypeFont):
                font: Any = made  # ReportLab sets the PDF's keys as attributes
                if type(font.Widths) is PDFArray:
                    font.Widths = _WrittenArray(font.Widths.sequence, arrays)
            elif (
                isinstance(made, PDFStream)
                and made.filters == [PDFZCompress]
                and name.startswith(FONT_STREAMS)
            ):
                made.filters = [flate]

    return add


class _KeptArrays:
    """The last ``kept`` arrays of numbers written out, by their numbers."""

    def __init__(self, kept: int) -> None:
        self._size = kept
        self._kept: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()

    def written(self, numbers: list[Any], document: Any) -> bytes:
        key = (rl_config.pdfMultiLine, *numbers)  # the one setting PDFArray writes by
        data = _keep(self._kept, key, self._size)
        if data is None:
            data = self._kept[key] = PDFArray(numbers).format(document)
        return data


def _keep(kept: OrderedDict[Any, bytes], key: Any, size: int) -> bytes | None:
    """``key``'s entry, moved to the end of ``kept`` (the last used), or None with room
    made for it.  Other PDFs (the review sheet) may be made in another thread at once:
    every step stands alone."""
    data = kept.pop(key, None)
    if data is not None:
        kept[key] = data
    while len(kept) >= size + (data is not None):
        try:
            kept.popitem(last=False)
        except KeyError:
            break
    return data


class _WrittenArray(PDFObject):
    """A PDF array of numbers (a font subset's glyph widths), written as
    :class:`~reportlab.pdfbase.pdfdoc.PDFArray` writes it, once for the same numbers."""

    def __init__(self, numbers: list[Any], arrays: _KeptArrays) -> None:
        self.numbers, self.arrays = numbers, arrays

    def format(self, document: Any) -> bytes:
        return self.arrays.written(self.numbers, document)


class _KeptFlate:
    """ReportLab's FlateDecode filter, remembering the last ``kept`` streams it compressed:
    the same content gives the very same bytes, as zlib does."""

    pdfname = PDFZCompress.pdfname

    def __init__(self, kept: int) -> None:
        self._size = kept
        self._kept: OrderedDict[str | bytes, bytes] = OrderedDict()

    def encode(self, content: str | bytes) -> bytes:
        data = _keep(self._kept, content, self._size)
        if data is None:
            data = self._kept[content] = PDFZCompress.encode(content)
        return data

    def decode(self, encoded: bytes) -> bytes:
        return bytes(PDFZCompress.decode(encoded))


def font_warnings(document: Document, fonts: FontBook) -> tuple[str, ...]:
    """What the clerk should know about the fonts before the report goes out: a body not in
    仿宋 (no 仿宋 font on this computer), and characters no font has."""
    warnings: list[str] = []
    if not fonts.has_own(Face.FANG):
        warnings.append(
            "本机没有安装仿宋字体（simfang.ttf），正文将改用宋体类字体排印，不是公文要求的仿宋。"
            "请在装有仿宋的电脑（中文版Windows自带）上导出，或安装仿宋字体后再导出。"
        )
    if missing := fonts.missing("".join(document.texts())):
        listed = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in missing)
        warnings.append(
            f"没有字体能显示这些字符，打印时会缺失：{listed}。请安装含有这些字符的字体。"
        )
    return tuple(warnings)


#: The PDF document property that holds the report's version code (model.version); the
#: Keywords say it too, for readers that show only the standard properties.
VERSION_KEY = "NianbaoVersion"


def version_keywords(version: str) -> list[str]:
    """The Keywords property of a report with version code ``version``."""
    return [f"版本码 {version}"] if version else []


class _VersionedInfo(PDFInfo):
    """The document properties ReportLab writes, with the version code under its own key."""

    def __init__(self, info: PDFInfo, version: str) -> None:
        super().__init__()
        self.__dict__.update(info.__dict__)
        self.version = version

    def format(self, document: Any) -> bytes:
        info: dict[str, Any] = {
            "Title": PDFString(self.title),
            "Author": PDFString(self.author),
            "CreationDate": PDFDate(
                ts=document._timeStamp, dateFormatter=getattr(self, "_dateFormatter", None)
            ),
            "Producer": PDFString(self.producer),
            "Creator": PDFString(self.creator),
            "Subject": PDFString(self.subject),
            "Keywords": PDFString(self.keywords),
            "Trapped": PDFName(self.trapped),
            VERSION_KEY: PDFString(self.version),
        }
        info["ModDate"] = info["CreationDate"]
        return PDFDictionary(info).format(document)


class _Template(BaseDocTemplate):
    def __init__(
        self,
        out: io.BytesIO,
        document: Document,
        fonts: FontBook,
        page: PageGeometry,
        version: str = "",
    ) -> None:
        self.version = version
        g = page
        super().__init__(
            out,
            pagesize=A4 if g is OFFICIAL else (g.page_width, g.page_height),
            leftMargin=g.left,
            rightMargin=g.page_width - g.left - g.type_width,
            topMargin=g.top,
            bottomMargin=g.bottom,
            title=document.title,
            author=document.author,
            subject="政府信息公开工作年度报告",
            keywords=version_keywords(version),
            creator="政务公开年报",
            invariant=1,
            # ReportLab's canvas otherwise starts in Helvetica, a font the PDF would name but
            # not embed.
            initialFontName=fonts.font_name(Face.SONG),
            initialFontSize=g.body_size,
            initialLeading=g.line,
        )
        frame = Frame(g.left, g.bottom, g.type_width, g.type_height, 0, 0, 0, 0, id="body")
        self.addPageTemplates([PageTemplate("portrait", [frame], onPage=_page_number(fonts, g))])

    def beforeDocument(self) -> None:
        if self.version:
            canvas: Any = self.canv  # ReportLab has no call to add a property
            pdf = canvas._doc
            pdf.info = _VersionedInfo(pdf.info, self.version)


def _page_number(fonts: FontBook, g: PageGeometry) -> Callable[[Canvas, Any], None]:
    """Draws “— N —”: odd pages right-aligned, even pages left-aligned, one character in."""

    def draw(canvas: Canvas, doc: Any) -> None:
        number = canvas.getPageNumber()
        text = f"— {number} —"
        font = fonts.font_name(Face.SONG)
        baseline = g.bottom - g.page_number_gap - 0.3 * g.page_number_size
        canvas.saveState()
        canvas.setFont(font, g.page_number_size)
        if number % 2:
            canvas.drawRightString(g.left + g.type_width - g.page_number_size, baseline, text)
        else:
            canvas.drawString(g.left + g.page_number_size, baseline, text)
        canvas.restoreState()

    return draw


class _Story:
    """The flowables of a document, in the faces and sizes of PRINT.md."""

    def __init__(self, document: Document, fonts: FontBook, page: PageGeometry = OFFICIAL) -> None:
        self.document = document
        self.fonts = fonts
        self.g = g = page
        #: The table cells' texts, one flowable for each text in a style: ReportLab lays out
        #: a cell just before drawing it, so cells alike can share one.
        self._short: dict[tuple[str, Face, int], LineText] = {}
        self._number_styles: dict[float, ParagraphStyle] = {}
        name = fonts.font_name
        body = ParagraphStyle(
            "body",
            fontName=name(Face.FANG),
            fontSize=g.body_size,
            leading=g.line,
            firstLineIndent=2 * g.pitch,
            alignment=TA_JUSTIFY,
            wordWrap="CJK",
            tracking=g.tracking,  # 28 characters a line (export.cjk)
            # A paragraph's last line never stands alone at the top of a page (Word's widow
            # control does the same, so the two break their pages alike).
            allowWidows=0,
        )
        self.body = body
        self.heading = ParagraphStyle(
            "heading", parent=body, fontName=name(Face.HEI), keepWithNext=1
        )
        # kept with its table by _Headed, which lets the table break after it
        self.table_heading = ParagraphStyle(
            "table_heading", parent=self.heading, spaceAfter=4, keepWithNext=0
        )
        self.title = ParagraphStyle(
            "title",
            parent=body,
            fontName=name(Face.TITLE),
            fontSize=g.title_size,
            leading=g.title_size * 1.5,
            firstLineIndent=0,
            alignment=TA_CENTER,
            tracking=0,
            # one blank 3号 line under the title (GB/T 9704 §7.3.2)
            spaceAfter=g.line,  # TITLE_SPACE_AFTER on A4
        )
        cell = ParagraphStyle(
            "cell",
            fontName=name(Face.SONG),
            fontSize=g.table_size,
            leading=g.table_leading,
            alignment=TA_CENTER,
            wordWrap="CJK",
        )
        self.cell = cell
        self.label = ParagraphStyle("label", parent=cell, alignment=TA_LEFT)
        self.vertical = ParagraphStyle("vertical", parent=cell, leading=g.table_size * 1.1)
        self.caption = ParagraphStyle("caption", parent=cell, fontName=name(Face.HEI))
        #: The styles a table's cells print in (their fonts are a part of a kept table)
        self._cell_styles = (cell, self.caption)
        self.signature = ParagraphStyle(
            "signature", parent=body, firstLineIndent=0, alignment=TA_LEFT
        )
        # “附件” flush left on the appendix page's first line, its title on the third
        # (GB/T 9704 §7.5)
        self.appendix_label = ParagraphStyle(
            "appendix_label", parent=self.heading, firstLineIndent=0, spaceAfter=g.line
        )

    def text(self, text: str, style: ParagraphStyle, face: Face) -> CJKParagraph:
        return CJKParagraph(self.fonts.markup(text, face), style)

    def short_text(self, text: str, style: ParagraphStyle, face: Face) -> Flowable:
        """A table cell's text: a :class:`LineText` where it may be one (it prints the same
        as the paragraph, at a fraction of the cost), else the paragraph."""
        shared = (text, face, id(style))  # a table repeats its labels and numbers
        if (known := self._short.get(shared)) is not None:
            return known
        markup = self.fonts.markup(text, face)
        if markup != escape(text, quote=False) or not LineText.suits(text, style):
            return CJKParagraph(markup, style)
        width = line_width(text, style.fontName, style.fontSize)
        self._short[shared] = made = LineText(text, markup, style, width)
        return made

    def flowables(self) -> list[Flowable]:
        doc = self.document
        title = "<br/>".join(self.fonts.markup(line, Face.TITLE) for line in doc.title_lines)
        story: list[Flowable] = [CJKParagraph(title, self.title)]
        story += [self.paragraph(p) for p in doc.preamble]
        for section in doc.sections:
            blocks = list(section.blocks)
            if blocks and isinstance(first := blocks[0], Table):
                heading = self.text(section.heading, self.table_heading, Face.HEI)
                story += [_Headed(heading, self.table(first)), Spacer(0, self.g.line / 2)]
                blocks.pop(0)
            else:
                story.append(self.text(section.heading, self.heading, Face.HEI))
            for block in blocks:
                if isinstance(block, Paragraph):
                    story.append(self.paragraph(block))
                else:
                    story += [self.table(block), Spacer(0, self.g.line / 2)]
        closing: list[Flowable] = [Spacer(0, self.g.line)]
        if doc.appendix is not None:  # 附件说明: under the text, 左空二字, a line above the 落款
            closing += [self.text(doc.appendix.note, self.body, Face.FANG), Spacer(0, self.g.line)]
        closing += self.signature_lines()
        text: list[CJKParagraph] = []
        while len(text) < _Closing.KEEP and isinstance(last := story[-1], CJKParagraph):
            text.insert(0, last)
            story.pop()
        story.append(_Closing(text, closing) if text else KeepTogether(closing))
        if doc.appendix is not None:
            story += self.appendix(doc.appendix)
        return story

    def appendix(self, appendix: Appendix) -> list[Flowable]:
        """The 附件 on a page of its own (GB/T 9704 §7.5): “附件” in 黑体 flush left, the
        title centred as the report's, then its paragraphs as body text."""
        lines = title_lines(appendix.heading, TITLE_CHARS)
        title = "<br/>".join(self.fonts.markup(line, Face.TITLE) for line in lines)
        return [
            PageBreak(),
            self.text(APPENDIX_LABEL, self.appendix_label, Face.HEI),
            CJKParagraph(title, self.title),
            *(self.paragraph(p) for p in appendix.paragraphs),
        ]

    def paragraph(self, paragraph: Paragraph) -> CJKParagraph:
        markup = self.fonts.markup(paragraph.text, Face.FANG)
        if paragraph.lead:
            face = Face.HEI if paragraph.lead_level == 1 else Face.KAI
            lead = self.fonts.markup(paragraph.lead, face)
            markup = f'<font name="{self.fonts.font_name(face)}">{lead}</font>{markup}'
        return CJKParagraph(markup, self.body)

    def signature_lines(self) -> list[Flowable]:
        """The 落款 without a seal (GB/T 9704 §7.3.5.2): the agency 右空二字, the date on the
        next line with its first character two characters right of the agency's; a date
        longer than that stands 右空二字 and the agency moves left with it.  An agency longer
        than the line wraps inside the type area, 右空二字."""
        doc, g = self.document, self.g
        right = g.type_width - 2 * g.pitch
        # A name longer than the line breaks at a name's boundary, each line 右空二字; the
        # date goes by the first character of the name, as for a name on one line.
        agency = name_lines(doc.signature, int(right / g.pitch + 1e-6))
        first = agency[0] if agency else ""
        first_at, date_at = signature_places(first, doc.date, self.width, g)
        lefts = [max(0.0, right - self.width(line)) for line in agency[1:]]
        placed = [*zip(agency, [first_at, *lefts], strict=True), (doc.date, date_at)]
        out: list[Flowable] = []
        for text, left in placed:
            if text:
                style = ParagraphStyle(
                    "signature_line",
                    parent=self.signature,
                    leftIndent=left,
                    rightIndent=2 * g.pitch - 0.5,  # SLACK on A4
                )
                out.append(self.text(text, style, Face.FANG))
        return out

    def width(self, text: str) -> float:
        """The width of body text on one line (the 28-a-line pitch)."""
        g = self.g
        return float(stringWidth(text, self.body.fontName, g.body_size)) + len(text) * g.tracking

    # ------------------------------------------------------------------------ tables

    def table(self, table: Table) -> RLTable:
        """The official grid (:meth:`grid`), the same flowable as for the last documents
        that printed the same table on the same page in the same fonts."""
        key = (table, self.g, self.fonts, *(getFont(s.fontName) for s in self._cell_styles))
        kept = _kept_tables.pop(key, None)
        if kept is None or kept._split:
            kept = self.grid(table)
        else:
            # the one mark ReportLab leaves on a flowable it built: moved to the next page
            vars(kept).pop("_postponed", None)
        _kept_tables[key] = kept
        while len(_kept_tables) > TABLES_KEPT:
            _kept_tables.popitem(last=False)
        return kept

    def grid(self, table: Table) -> _Grid:
        """The official grid.  Part 三 widens its value columns for large numbers as long as
        the table still stands on one page; a table that cannot be kept together breaks where
        it must, its header repeated."""
        g = self.g
        fits = g.type_height - g.line
        widths: list[float] = []
        made: dict[tuple[int, float], Flowable] = {}  # the cells, by cell and number size
        for value in self.value_widths(table):
            widths = column_widths(table, g.type_width, value, g.vertical_column)
            # kept together or not, a table is as tall: the first that fits is the one
            flowable = self.grid_table(table, widths, keep=True, made=made)
            if flowable.wrap(g.type_width, g.type_height)[1] <= fits:
                return flowable
        return self.grid_table(table, widths, keep=False, made=made)

    def value_widths(self, table: Table) -> list[float]:
        """Part 三's value column widths to try, widest first: wide enough for the longest
        number at 五号 (within reason), then the narrow default."""
        g = self.g
        narrow = g.narrow_value
        if table.label_columns <= 1:
            return [narrow]
        longest = max(
            (
                stringWidth(c.text, self.cell.fontName, g.table_size)
                for c in table.cells
                if c.numeric
            ),
            default=0.0,
        )
        wide = min(longest + 2 * g.pad, 1.5 * narrow)
        widths = [wide, narrow] if wide > narrow else [narrow]
        # Wide enough for the longest number at the smallest size allowed (小四 on the notice
        # board; on A4 the narrow default always is): only such widths are tried, as far as
        # the item labels can give room.  A number wider still wraps in its cell.
        need = longest * g.smallest_number / g.table_size + 2 * g.pad + 1  # 1: rounding
        if need > narrow:
            vertical = len({c.col for c in table.cells if c.vertical})
            labels = g.type_width * LEAST_LABEL_SHARE + g.vertical_column * vertical
            need = min(need, (g.type_width - labels) / (table.columns - table.label_columns))
            widths = [w for w in widths if w >= need] or [need]
        return widths

    def grid_table(
        self,
        table: Table,
        widths: list[float],
        keep: bool,
        made: dict[tuple[int, float], Flowable] | None = None,
    ) -> _Grid:
        """The table on ``widths``; ``made`` keeps its cells' flowables for the next try
        (a flowable is laid out anew by each table it stands in)."""
        made = {} if made is None else made
        grid: list[list[Any]] = [[""] * table.columns for _ in range(table.rows)]
        style: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, "black"),
            ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),  # else Helvetica, unembedded
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), self.g.pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), self.g.pad),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        size = self.number_size(table, widths)
        for index, cell in enumerate(table.cells):
            key = (index, size)
            if key not in made:
                made[key] = self.table_cell(cell, table, size)
            grid[cell.row][cell.col] = made[key]
            if cell.rowspan > 1 or cell.colspan > 1:
                end = (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1)
                style.append(("SPAN", (cell.col, cell.row), end))
        if keep:
            style += [("NOSPLIT", (0, first), (-1, last)) for first, last in _unbroken(table)]
        return _Grid(
            grid,
            colWidths=widths,
            style=style,
            repeatRows=table.header_rows,
            splitInRow=0 if keep else 1,
        )

    def table_cell(self, cell: TableCell, table: Table, number_size: float) -> Flowable:
        if cell.role is Role.VALUE:
            return self.number(cell.text, number_size)
        if cell.vertical:  # one character a line, as the official form stands them
            upright = cell.text.translate(VERTICAL_FORMS)
            chars = "<br/>".join(self.fonts.markup(c, Face.SONG) for c in upright)
            return CJKParagraph(chars, self.vertical)
        if cell.role is Role.CAPTION:
            return self.short_text(cell.text, self.caption, Face.HEI)
        left = cell.role is Role.LABEL and table.label_columns > 1
        return self.short_text(cell.text, self.label if left else self.cell, Face.SONG)

    def number_size(self, table: Table, widths: list[float]) -> float:
        """The one size of every number of a table: 五号, or smaller for all of them when the
        widest number does not fit its cell at 五号."""
        g = self.g
        size = g.table_size
        for cell in table.cells:
            if cell.numeric:
                room = sum(widths[cell.col : cell.col + cell.colspan]) - 2 * g.pad
                natural = stringWidth(cell.text, self.cell.fontName, g.table_size)
                if natural > room:
                    size = min(size, int(g.table_size * room / natural * 8) / 8)
        return max(g.smallest_number, size)

    def number(self, text: str, size: float) -> Flowable:
        """A value on one line, centred, at the table's number size."""
        style = self.cell
        if size != self.g.table_size:
            if size not in self._number_styles:
                self._number_styles[size] = ParagraphStyle(
                    "number", parent=self.cell, fontSize=size, leading=size * 1.25
                )
            style = self._number_styles[size]
        return self.short_text(text, style, Face.SONG)


#: How many tables' flowables are kept for the next documents.  The preview renders the same
#: report again at every pause in typing, and a table's six hundred cells made, measured and
#: laid out anew were a third of an export; a table laid out keeps its layout for a width
#: (:class:`_Grid`), and its cells print alike in any document (:class:`LineText`).  A table
#: that was split across pages is made anew: splitting leaves marks on its cells.
TABLES_KEPT = 8
_kept_tables: OrderedDict[tuple[Any, ...], _Grid] = OrderedDict()


#: Room to spare at the right of a 落款 line, so that rounding never wraps it.
SLACK = 2 * OFFICIAL.pitch - 0.5
#: Under the title: its own leading's descent and one blank 3号 line (GB/T 9704 §7.3.2).
TITLE_SPACE_AFTER = OFFICIAL.line


def signature_places(
    agency: str, date: str, width: Callable[[str], float], page: PageGeometry = OFFICIAL
) -> tuple[float, float]:
    """Where the agency line and the date line start, from the left of the type area."""
    pitch = page.pitch
    right = page.type_width - 2 * pitch  # 右空二字
    agency_at = max(0.0, right - width(agency))
    date_at = agency_at + 2 * pitch  # 首字右移二字
    if date and date_at + width(date) > right + 0.01:
        date_at = max(0.0, right - width(date))
        agency_at = max(0.0, min(agency_at, date_at - 2 * pitch))
    return agency_at, date_at


class _Grid(RLTable):
    """ReportLab's table, laying out its rows once for a width.  ReportLab measures every
    row again at each wrap and split (to see whether the table fits, to keep a heading with
    it, on the next page), and stops at the rows that fill the height it is given; rows
    measured to the end for a width stand for any height (as with ``longTableOptimize`` off,
    which breaks a table at the same rows)."""

    _measured: float | None = None  # the width all rows were last measured for
    _split = False  # whether it was split, or may have split a cell (see _kept_tables)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # ReportLab's
        parts = list(super().split(availWidth, availHeight))
        table: Any = self
        self._split |= len(parts) > 1 or bool(table.splitInRow)
        return parts

    def _calc(self, availWidth: float, availHeight: float) -> None:  # ReportLab's names
        if availWidth == self._measured:
            return
        super()._calc(availWidth, availHeight)  # type: ignore[misc]  # ReportLab's internals
        table: Any = self
        rows = len(table._rowHeights)
        self._measured = availWidth if table._hmax == rows else None


class _Headed(Flowable):
    """A part's heading and its table: kept together, except that the table may break
    where it allows (part 二 between its 第二十条 items), the heading standing over the
    first piece rather than moving the whole table to the next page."""

    def __init__(self, heading: CJKParagraph, table: RLTable) -> None:
        super().__init__()
        self.heading, self.table = heading, table
        self._gap = float(heading.getSpaceAfter())

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # ReportLab's names
        self._heading_height = self.heading.wrap(aW, aH)[1]
        self._table_height = self.table.wrap(aW, aH)[1]
        self.width = aW
        self.height = self._heading_height + self._gap + self._table_height
        return aW, self.height

    def draw(self) -> None:
        self.heading.drawOn(self.canv, 0, self.height - self._heading_height)
        self.table.drawOn(self.canv, 0, 0)

    def split(self, aW: float, aH: float) -> list[Flowable]:
        head = self.heading.wrap(aW, aH)[1] + self._gap
        parts = self.table.split(aW, aH - head) if aH > head else []
        return [self.heading, *parts] if parts else []


class _Closing(Flowable):
    """The last paragraphs of the text, the blank line and the 落款 (GB/T 9704 §7.3.5.5):
    the agency and the date never part, and their page carries at least the last two lines
    of text (of the last two paragraphs, when the last is a single line)."""

    KEEP = 2

    def __init__(self, text: list[CJKParagraph], closing: list[Flowable]) -> None:
        super().__init__()
        self.text, self.closing = text, closing

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # ReportLab's names
        self._heights = [f.wrap(aW, aH)[1] for f in (*self.text, *self.closing)]
        self.width, self.height = aW, sum(self._heights)
        return aW, self.height

    def draw(self) -> None:
        y = self.height
        for flowable, height in zip((*self.text, *self.closing), self._heights, strict=True):
            y -= height
            flowable.drawOn(self.canv, 0, y)

    def split(self, aW: float, aH: float) -> list[Flowable]:
        counts = []
        for paragraph in self.text:
            paragraph.wrap(aW, aH)
            counts.append(len(paragraph.blPara.lines))
        leading = float(self.text[0].style.leading)
        take = min(int(aH / leading), sum(counts) - self.KEEP)  # lines on this page
        here: list[Flowable] = []
        rest = list(self.text)
        while rest and take >= counts[len(here)]:
            take -= counts[len(here)]
            here.append(rest.pop(0))
        if rest and take > 0:
            parts = rest[0].split(aW, take * leading + 0.01)
            if len(parts) == 2:
                here.append(parts[0])
                rest[0] = parts[1]
        if not here:
            return []
        return [*here, _Closing(rest, self.closing)] if rest else [*here, *self.closing]


def _unbroken(table: Table) -> list[tuple[int, int]]:
    """Row ranges kept on one page: part 二's items (a caption row and the rows up to the
    next one); in part 三 the rows above and under the vertical group label (a split there
    would leave two rows alone under the header)."""
    captions = sorted(c.row for c in table.cells if c.role is Role.CAPTION)
    ends = [*captions[1:], table.rows] if captions else []
    blocks = [(first, end - 1) for first, end in zip(captions, ends, strict=True)]
    groups = [c.row + c.rowspan - 1 for c in table.cells if c.role is Role.GROUP]
    if groups:
        blocks.append((table.header_rows, max(groups)))
    return blocks
