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
from collections.abc import Callable
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer
from reportlab.platypus import Table as RLTable

from export.cjk import CJKParagraph
from export.document import Document, Paragraph, Table, TableCell, build_document
from export.fonts import Face, FontBook, default_fonts
from export.geometry import (
    BODY_SIZE,
    BOTTOM,
    LEFT,
    LINE,
    NARROW_VALUE,
    PAD,
    PAGE_NUMBER_GAP,
    PAGE_NUMBER_SIZE,
    PAGE_WIDTH,
    SMALLEST_NUMBER,
    TABLE_LEADING,
    TABLE_SIZE,
    TITLE_SIZE,
    TOP,
    TYPE_HEIGHT,
    TYPE_WIDTH,
    column_widths,
)
from export.renderers import Rendered
from model.formats.layout import Role
from model.report import Report

#: Punctuation turned upright in a label printed one character a line.
VERTICAL_FORMS = str.maketrans("（）、。", "\ufe35\ufe36\ufe11\ufe12")


_one_at_a_time = threading.Lock()


def render(report: Report) -> Rendered:
    """``report`` as PDF pages, in the fonts found on this computer (:mod:`export.renderers`)."""
    return render_pdf(report)


def render_pdf(report: Report, fonts: FontBook | None = None) -> Rendered:
    """``report`` as PDF pages, ready to save, preview or print."""
    return render_document(build_document(report), fonts)


def render_document(document: Document, fonts: FontBook | None = None) -> Rendered:
    """``document`` as PDF pages.  Safe to call from any thread: renders run one at a time
    (ReportLab keeps per-font state that two documents built at once could share)."""
    fonts = fonts or default_fonts()
    out = io.BytesIO()
    with _one_at_a_time:
        template = _Template(out, document, fonts)
        template.build(_Story(document, fonts).flowables())
    missing = fonts.missing("".join(document.texts()))
    warnings: tuple[str, ...] = ()
    if missing:
        listed = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in missing)
        warnings = (f"没有字体能显示这些字符，打印时会缺失：{listed}。请安装含有这些字符的字体。",)
    return Rendered(out.getvalue(), template.page, warnings)


class _Template(BaseDocTemplate):
    def __init__(self, out: io.BytesIO, document: Document, fonts: FontBook) -> None:
        super().__init__(
            out,
            pagesize=A4,
            leftMargin=LEFT,
            rightMargin=PAGE_WIDTH - LEFT - TYPE_WIDTH,
            topMargin=TOP,
            bottomMargin=BOTTOM,
            title=document.title,
            author=document.author,
            subject="政府信息公开工作年度报告",
            creator="政务公开年报",
            invariant=1,
            # ReportLab's canvas otherwise starts in Helvetica, a font the PDF would name but
            # not embed.
            initialFontName=fonts.font_name(Face.SONG),
            initialFontSize=BODY_SIZE,
            initialLeading=LINE,
        )
        frame = Frame(LEFT, BOTTOM, TYPE_WIDTH, TYPE_HEIGHT, 0, 0, 0, 0, id="body")
        self.addPageTemplates([PageTemplate("portrait", [frame], onPage=_page_number(fonts))])


def _page_number(fonts: FontBook) -> Callable[[Canvas, Any], None]:
    """Draws “— N —”: odd pages right-aligned, even pages left-aligned, one character in."""

    def draw(canvas: Canvas, doc: Any) -> None:
        number = canvas.getPageNumber()
        text = f"— {number} —"
        font = fonts.font_name(Face.SONG)
        baseline = BOTTOM - PAGE_NUMBER_GAP - 0.3 * PAGE_NUMBER_SIZE
        canvas.saveState()
        canvas.setFont(font, PAGE_NUMBER_SIZE)
        if number % 2:
            canvas.drawRightString(LEFT + TYPE_WIDTH - PAGE_NUMBER_SIZE, baseline, text)
        else:
            canvas.drawString(LEFT + PAGE_NUMBER_SIZE, baseline, text)
        canvas.restoreState()

    return draw


class _Story:
    """The flowables of a document, in the faces and sizes of PRINT.md."""

    def __init__(self, document: Document, fonts: FontBook) -> None:
        self.document = document
        self.fonts = fonts
        name = fonts.font_name
        body = ParagraphStyle(
            "body",
            fontName=name(Face.FANG),
            fontSize=BODY_SIZE,
            leading=LINE,
            firstLineIndent=2 * BODY_SIZE,
            alignment=TA_JUSTIFY,
            wordWrap="CJK",
        )
        self.body = body
        self.heading = ParagraphStyle(
            "heading", parent=body, fontName=name(Face.HEI), keepWithNext=1
        )
        self.table_heading = ParagraphStyle("table_heading", parent=self.heading, spaceAfter=4)
        self.title = ParagraphStyle(
            "title",
            parent=body,
            fontName=name(Face.TITLE),
            fontSize=TITLE_SIZE,
            leading=TITLE_SIZE * 1.5,
            firstLineIndent=0,
            alignment=TA_CENTER,
            spaceAfter=LINE - BODY_SIZE,
        )
        cell = ParagraphStyle(
            "cell",
            fontName=name(Face.SONG),
            fontSize=TABLE_SIZE,
            leading=TABLE_LEADING,
            alignment=TA_CENTER,
            wordWrap="CJK",
        )
        self.cell = cell
        self.label = ParagraphStyle("label", parent=cell, alignment=TA_LEFT)
        self.vertical = ParagraphStyle("vertical", parent=cell, leading=TABLE_SIZE * 1.1)
        self.caption = ParagraphStyle("caption", parent=cell, fontName=name(Face.HEI))
        self.signature = ParagraphStyle(
            "signature", parent=body, firstLineIndent=0, alignment=TA_CENTER
        )

    def text(self, text: str, style: ParagraphStyle, face: Face) -> CJKParagraph:
        return CJKParagraph(self.fonts.markup(text, face), style)

    def flowables(self) -> list[Flowable]:
        doc = self.document
        story: list[Flowable] = [self.text(doc.title, self.title, Face.TITLE)]
        story += [self.paragraph(p) for p in doc.preamble]
        for section in doc.sections:
            has_table = any(isinstance(b, Table) for b in section.blocks)
            style = self.table_heading if has_table else self.heading
            story.append(self.text(section.heading, style, Face.HEI))
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    story.append(self.paragraph(block))
                else:
                    story += [self.table(block), Spacer(0, LINE / 2)]
        story += [Spacer(0, LINE), self.signature_block()]
        return story

    def paragraph(self, paragraph: Paragraph) -> CJKParagraph:
        markup = self.fonts.markup(paragraph.text, Face.FANG)
        if paragraph.lead:
            face = Face.HEI if paragraph.lead_level == 1 else Face.KAI
            lead = self.fonts.markup(paragraph.lead, face)
            markup = f'<font name="{self.fonts.font_name(face)}">{lead}</font>{markup}'
        return CJKParagraph(markup, self.body)

    def signature_block(self) -> Flowable:
        """The agency centred over the date; the date four characters in from the right (two
        when the agency is the longer line, which then moves left with it)."""
        doc = self.document
        lines = [line for line in (doc.signature, doc.date) if line]
        widths = [stringWidth(line, self.body.fontName, BODY_SIZE) for line in lines]
        date_longer = bool(doc.date) and widths[-1] >= max(widths)
        inset = (4 if date_longer else 2) * BODY_SIZE
        width = max(widths) + BODY_SIZE
        rows = [[self.text(line, self.signature, Face.FANG), ""] for line in lines]
        table = RLTable(rows, colWidths=[width, inset], hAlign="RIGHT")
        table.setStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.body.fontName),  # else Helvetica, unembedded
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
        return table

    # ------------------------------------------------------------------------ tables

    def table(self, table: Table) -> RLTable:
        """The official grid.  Part 三 widens its value columns for large numbers as long as
        the table still stands on one page; a table that cannot be kept together breaks where
        it must, its header repeated."""
        fits = TYPE_HEIGHT - LINE
        flowable = None
        for value in self.value_widths(table):
            widths = column_widths(table, TYPE_WIDTH, value)
            flowable = self.grid_table(table, widths, keep=False)
            if flowable.wrap(TYPE_WIDTH, TYPE_HEIGHT)[1] <= fits:
                return self.grid_table(table, widths, keep=True)
        assert flowable is not None
        return flowable

    def value_widths(self, table: Table) -> list[float]:
        """Part 三's value column widths to try, widest first: wide enough for the longest
        number at 8 pt (within reason), then the narrow default."""
        if table.label_columns <= 1:
            return [NARROW_VALUE]
        longest = max(
            (stringWidth(c.text, self.cell.fontName, 8) for c in table.cells if c.numeric),
            default=0.0,
        )
        wide = min(longest + 2 * PAD, 1.5 * NARROW_VALUE)
        return [wide, NARROW_VALUE] if wide > NARROW_VALUE else [NARROW_VALUE]

    def grid_table(self, table: Table, widths: list[float], keep: bool) -> RLTable:
        grid: list[list[Any]] = [[""] * table.columns for _ in range(table.rows)]
        style: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, "black"),
            ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),  # else Helvetica, unembedded
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        for cell in table.cells:
            width = sum(widths[cell.col : cell.col + cell.colspan]) - 2 * PAD
            grid[cell.row][cell.col] = self.table_cell(cell, table, width)
            if cell.rowspan > 1 or cell.colspan > 1:
                end = (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1)
                style.append(("SPAN", (cell.col, cell.row), end))
        if keep:
            style += [("NOSPLIT", (0, first), (-1, last)) for first, last in _unbroken(table)]
        return RLTable(
            grid,
            colWidths=widths,
            style=style,
            repeatRows=table.header_rows,
            splitInRow=0 if keep else 1,
        )

    def table_cell(self, cell: TableCell, table: Table, width: float) -> CJKParagraph:
        if cell.role is Role.VALUE:
            return self.number(cell.text, width)
        if cell.vertical:  # one character a line, as the official form stands them
            upright = cell.text.translate(VERTICAL_FORMS)
            chars = "<br/>".join(self.fonts.markup(c, Face.SONG) for c in upright)
            return CJKParagraph(chars, self.vertical)
        if cell.role is Role.CAPTION:
            return self.text(cell.text, self.caption, Face.HEI)
        left = cell.role is Role.LABEL and table.label_columns > 1
        return self.text(cell.text, self.label if left else self.cell, Face.SONG)

    def number(self, text: str, width: float) -> CJKParagraph:
        """A value on one line, centred; a number too wide for its cell prints smaller."""
        natural = stringWidth(text, self.cell.fontName, TABLE_SIZE)
        size = TABLE_SIZE
        if natural > width:
            size = max(SMALLEST_NUMBER, int(TABLE_SIZE * width / natural * 8) / 8)
        style = self.cell
        if size != TABLE_SIZE:
            style = ParagraphStyle("number", parent=self.cell, fontSize=size, leading=size * 1.25)
        return self.text(text, style, Face.SONG)


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
