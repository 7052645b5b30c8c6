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
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
)
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
    PITCH,
    SMALLEST_NUMBER,
    TABLE_LEADING,
    TABLE_SIZE,
    TITLE_SIZE,
    TOP,
    TRACKING,
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
    return Rendered(out.getvalue(), template.page, font_warnings(document, fonts))


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
            firstLineIndent=2 * PITCH,
            alignment=TA_JUSTIFY,
            wordWrap="CJK",
            tracking=TRACKING,  # 28 characters a line (export.cjk)
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
            fontSize=TITLE_SIZE,
            leading=TITLE_SIZE * 1.5,
            firstLineIndent=0,
            alignment=TA_CENTER,
            tracking=0,
            # one blank 3号 line under the title (GB/T 9704 §7.3.2)
            spaceAfter=TITLE_SPACE_AFTER,
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
            "signature", parent=body, firstLineIndent=0, alignment=TA_LEFT
        )

    def text(self, text: str, style: ParagraphStyle, face: Face) -> CJKParagraph:
        return CJKParagraph(self.fonts.markup(text, face), style)

    def flowables(self) -> list[Flowable]:
        doc = self.document
        title = "<br/>".join(self.fonts.markup(line, Face.TITLE) for line in doc.title_lines)
        story: list[Flowable] = [CJKParagraph(title, self.title)]
        story += [self.paragraph(p) for p in doc.preamble]
        for section in doc.sections:
            blocks = list(section.blocks)
            if blocks and isinstance(first := blocks[0], Table):
                heading = self.text(section.heading, self.table_heading, Face.HEI)
                story += [_Headed(heading, self.table(first)), Spacer(0, LINE / 2)]
                blocks.pop(0)
            else:
                story.append(self.text(section.heading, self.heading, Face.HEI))
            for block in blocks:
                if isinstance(block, Paragraph):
                    story.append(self.paragraph(block))
                else:
                    story += [self.table(block), Spacer(0, LINE / 2)]
        closing = [Spacer(0, LINE), *self.signature_lines()]
        text: list[CJKParagraph] = []
        while len(text) < _Closing.KEEP and isinstance(last := story[-1], CJKParagraph):
            text.insert(0, last)
            story.pop()
        story.append(_Closing(text, closing) if text else KeepTogether(closing))
        return story

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
        doc = self.document
        at = signature_places(doc.signature, doc.date, self.width)
        out: list[Flowable] = []
        for text, left in zip((doc.signature, doc.date), at, strict=True):
            if text:
                style = ParagraphStyle(
                    "signature_line", parent=self.signature, leftIndent=left, rightIndent=SLACK
                )
                out.append(self.text(text, style, Face.FANG))
        return out

    def width(self, text: str) -> float:
        """The width of body text on one line (the 28-a-line pitch)."""
        return float(stringWidth(text, self.body.fontName, BODY_SIZE)) + len(text) * TRACKING

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
        number at 五号 (within reason), then the narrow default."""
        if table.label_columns <= 1:
            return [NARROW_VALUE]
        longest = max(
            (stringWidth(c.text, self.cell.fontName, TABLE_SIZE) for c in table.cells if c.numeric),
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
        size = self.number_size(table, widths)
        for cell in table.cells:
            grid[cell.row][cell.col] = self.table_cell(cell, table, size)
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

    def table_cell(self, cell: TableCell, table: Table, number_size: float) -> CJKParagraph:
        if cell.role is Role.VALUE:
            return self.number(cell.text, number_size)
        if cell.vertical:  # one character a line, as the official form stands them
            upright = cell.text.translate(VERTICAL_FORMS)
            chars = "<br/>".join(self.fonts.markup(c, Face.SONG) for c in upright)
            return CJKParagraph(chars, self.vertical)
        if cell.role is Role.CAPTION:
            return self.text(cell.text, self.caption, Face.HEI)
        left = cell.role is Role.LABEL and table.label_columns > 1
        return self.text(cell.text, self.label if left else self.cell, Face.SONG)

    def number_size(self, table: Table, widths: list[float]) -> float:
        """The one size of every number of a table: 五号, or smaller for all of them when the
        widest number does not fit its cell at 五号."""
        size = TABLE_SIZE
        for cell in table.cells:
            if cell.numeric:
                room = sum(widths[cell.col : cell.col + cell.colspan]) - 2 * PAD
                natural = stringWidth(cell.text, self.cell.fontName, TABLE_SIZE)
                if natural > room:
                    size = min(size, int(TABLE_SIZE * room / natural * 8) / 8)
        return max(SMALLEST_NUMBER, size)

    def number(self, text: str, size: float) -> CJKParagraph:
        """A value on one line, centred, at the table's number size."""
        style = self.cell
        if size != TABLE_SIZE:
            style = ParagraphStyle("number", parent=self.cell, fontSize=size, leading=size * 1.25)
        return self.text(text, style, Face.SONG)


#: Room to spare at the right of a 落款 line, so that rounding never wraps it.
SLACK = 2 * PITCH - 0.5
#: Under the title: its own leading's descent and one blank 3号 line (GB/T 9704 §7.3.2).
TITLE_SPACE_AFTER = LINE


def signature_places(agency: str, date: str, width: Callable[[str], float]) -> tuple[float, float]:
    """Where the agency line and the date line start, from the left of the type area."""
    right = TYPE_WIDTH - 2 * PITCH  # 右空二字
    agency_at = max(0.0, right - width(agency))
    date_at = agency_at + 2 * PITCH  # 首字右移二字
    if date and date_at + width(date) > right + 0.01:
        date_at = max(0.0, right - width(date))
        agency_at = max(0.0, min(agency_at, date_at - 2 * PITCH))
    return agency_at, date_at


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
