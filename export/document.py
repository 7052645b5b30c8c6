"""The report as a neutral document: what every renderer (PDF, Word, the preview) lays out.

Everything the reader sees is decided here, once: the headings of the format, the paragraphs
of the texts, the tables with the official structure and spans (from
:func:`model.formats.layout.part_grid`) filled with every value as printed (blanks as 0,
derived totals computed, money with its unit), the signature and the date.  Renderers only
choose faces, sizes and positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from export.geometry import TITLE_CHARS
from export.titles import title_lines
from model.calc import all_values
from model.formats import CellKind
from model.formats.layout import Grid, GridCell, Role, part_grid
from model.report import Report
from model.values import CellValue, date_text
from model.version import version_code

#: A paragraph that starts like this opens with a heading of that level (docs/PRINT.md): the lead
#: up to the first full stop is set in the level's face, the rest in the body face.
_LEAD_LEVELS = (
    (1, re.compile(r"[一二三四五六七八九十]+、")),
    (2, re.compile(r"（[一二三四五六七八九十]+）")),
)
_LEAD_END = "。：:"
_LEAD_MAX = 40  # a longer “lead” is a sentence of the body, not a heading


@dataclass(frozen=True)
class Paragraph:
    """Body text.  ``lead`` is an opening heading (“（一）加强组织领导，明确任务分工。”) printed
    in the face of ``lead_level`` (1: 黑体, 2: 楷体); ``text`` is the rest."""

    text: str
    lead: str = ""
    lead_level: int = 0

    @property
    def full_text(self) -> str:
        return self.lead + self.text


@dataclass(frozen=True)
class TableCell:
    """One printed cell with its place and spans in the table's grid."""

    row: int
    col: int
    role: Role
    text: str
    rowspan: int = 1
    colspan: int = 1
    vertical: bool = False
    key: str | None = None  # the report cell a VALUE shows

    @property
    def numeric(self) -> bool:
        return self.role is Role.VALUE


@dataclass(frozen=True)
class Table:
    """A table as the official form prints it.  ``header_rows`` repeat on each page it spans."""

    rows: int
    columns: int
    header_rows: int
    label_columns: int
    cells: tuple[TableCell, ...]

    def cell(self, key: str) -> TableCell:
        return next(c for c in self.cells if c.key == key)


Block = Paragraph | Table


#: How an appendix is announced under the text (GB/T 9704 §7.3.4 附件说明) and headed on its
#: own page (§7.5: “附件” flush left on the first line, its title centred on the third).
APPENDIX_LABEL = "附件"


@dataclass(frozen=True)
class Appendix:
    """What a report carries after its 落款 as an attachment (附件): a 汇总's list of the units it
    sums, say.  ``heading`` is its title (汇总范围说明); ``paragraphs`` its text, each one a
    paragraph of the body, a ``lead`` set in the face of its level."""

    heading: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def note(self) -> str:
        """The 附件说明 under the text: “附件：汇总范围说明”."""
        return f"{APPENDIX_LABEL}：{self.heading}"


@dataclass(frozen=True)
class Section:
    """One of the six parts: its heading (二、主动公开政府信息情况) and what stands under it."""

    key: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    title: str  # as one line, for the file's metadata
    #: The title as printed, broken by meaning (:func:`export.titles.title_lines`); the PDF and
    #: the Word file set these lines, centred, one paragraph line each.
    title_lines: tuple[str, ...]
    author: str  # the agency, for the file's metadata
    preamble: tuple[Paragraph, ...]
    sections: tuple[Section, ...]
    signature: str
    date: str  # 2020年1月20日, or "" when the report has no date yet
    #: The report's version code (:mod:`model.version`), for the files' metadata only: the
    #: printed pages never show it (the review sheet does).
    version: str = ""
    #: Printed after the 落款 as 附件 (a 汇总's coverage); None for an ordinary report.
    appendix: Appendix | None = None

    def texts(self) -> list[str]:
        """Every string the document prints, for font coverage checks."""
        out = [self.title, *self.title_lines, self.signature, self.date]
        out += [p.full_text for p in self.preamble]
        for section in self.sections:
            out.append(section.heading)
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    out.append(block.full_text)
                else:
                    out += [c.text for c in block.cells]
        if self.appendix is not None:
            out += [APPENDIX_LABEL, self.appendix.note, self.appendix.heading]
            out += [p.full_text for p in self.appendix.paragraphs]
        return out


def build_document(report: Report, appendix: Appendix | None = None) -> Document:
    """The printed content of ``report``, with ``appendix`` after its 落款 when given."""
    fmt = report.format
    values = all_values(fmt, report.cells)
    sections = []
    for part in fmt.parts:
        if part.text is not None:
            blocks: tuple[Block, ...] = paragraphs(report.text(part.text))
        else:
            blocks = (table(part_grid(fmt, part.key), report, values),)
        sections.append(Section(part.key, part.heading, blocks))
    title = report.display_title
    return Document(
        title="".join(line.strip(" \t\u3000") for line in title.splitlines()),
        title_lines=tuple(title_lines(title, TITLE_CHARS)),
        author=report.agency,
        preamble=paragraphs(report.text("preamble")),
        sections=tuple(sections),
        signature=report.signature_agency or report.agency,
        date=date_text(report.signature_date),
        version=version_code(report),
        appendix=appendix,
    )


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """A text field as paragraphs: one per non-blank line, spaces at either end dropped
    (clerks indent with spaces; the renderer indents every paragraph itself).

    The items of a list look alike: where some （一）（二）… open with a heading and another
    opens with a long sentence (no heading to set apart), that one's numeral alone is its lead,
    so every numeral of the list is in the same face."""
    lines = [line.strip(" \t\u3000") for line in text.splitlines() if line.strip()]
    parsed = [_paragraph(line) for line in lines]
    for level, pattern in _LEAD_LEVELS:
        if not any(p.lead_level == level for p in parsed):
            continue
        for i, line in enumerate(lines):
            if not parsed[i].lead and (match := pattern.match(line)):
                parsed[i] = Paragraph(line[match.end() :], lead=match.group(), lead_level=level)
    return tuple(parsed)


def _paragraph(line: str) -> Paragraph:
    for level, pattern in _LEAD_LEVELS:
        if match := pattern.match(line):
            rest = line[match.end() :]
            stop = min((i for i in (rest.find(c) for c in _LEAD_END) if i >= 0), default=-1)
            if 0 <= stop < _LEAD_MAX:
                cut = match.end() + stop + 1
                return Paragraph(line[cut:], lead=line[:cut], lead_level=level)
            if len(rest) < _LEAD_MAX:
                return Paragraph("", lead=line, lead_level=level)
            return Paragraph(line)
    return Paragraph(line)


def table(grid: Grid, report: Report, values: dict[str, CellValue]) -> Table:
    """The printed table of ``grid``, each value cell filled in."""
    cells = tuple(_cell(c, report, values) for c in grid.cells)
    return Table(grid.rows, grid.columns, grid.header_rows, grid.label_columns, cells)


def _cell(cell: GridCell, report: Report, values: dict[str, CellValue]) -> TableCell:
    text = cell.text
    if cell.role is Role.VALUE and cell.key is not None:
        text = format_value(report, cell.key, values.get(cell.key, 0))
    return TableCell(
        cell.row, cell.col, cell.role, text, cell.rowspan, cell.colspan, cell.vertical, cell.key
    )


def format_value(report: Report, key: str, value: CellValue) -> str:
    """A value as printed: 0 for a blank, the digits as entered, and money with its unit
    unless the column's label already states it (2021: 本年收费金额（单位：万元）)."""
    text = str(value)
    column = report.format.cells[key].column
    if column.kind is CellKind.MONEY and column.unit is None and (unit := report.unit(key)):
        text += unit
    return text
