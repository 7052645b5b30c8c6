"""The report as a web page, for the government website (issue 17).

Laid out from :func:`export.document.build_document`, the document the PDF and the Word file
print, so the page says exactly what they say.  What a website's rich-text editor and a screen
reader need (docs/research: FIELD-NEEDS §4, WCAG H43/H63):

* headings as headings (h1 the title, h2 the six parts, h3 a lead that stands alone) and one
  ``<p>`` per paragraph;
* real data tables: one ``<table>`` per official table with its ``<caption>``, ``<th>`` for
  every label, header and group cell, and on every value ``<td>`` a ``headers`` attribute naming
  the ids of ALL its row and column headers (part 三 has three levels of each);
* the official spans, 0 printed as 0, no pixel widths, no ``nowrap``, sizes in em/%;
* every table in its own box that scrolls sideways on a narrow screen;
* styles inline and few (CMS editors drop ``<style>`` blocks), no scripts, no classes.

:func:`render` is the standalone page, :func:`render_fragment` the same body for the clipboard
(复制网页版), :func:`render_text` its plain-text alternative (tables as tab-separated rows).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from itertools import pairwise

from export.document import (
    APPENDIX_LABEL,
    Appendix,
    Document,
    Paragraph,
    Section,
    Table,
    TableCell,
    build_document,
)
from export.renderers import Rendered
from model.formats.layout import Role
from model.report import Report

GENERATOR = "政务公开年报"

#: Inline styles: few, relative, and harmless when an editor drops them.
_BODY = "max-width:48em;margin:0 auto;padding:0 0.5em;line-height:1.8;font-size:100%"
_H1 = "text-align:center;font-size:150%;line-height:1.5"
_H2 = "font-size:120%"
_H3 = "font-size:105%"
_P = "text-indent:2em;margin:0.5em 0"
_RIGHT = "text-align:right;margin:0.5em 0"
_APPENDIX = "margin:3em 0 0.5em;font-weight:bold"
_APPENDIX_TITLE = "text-align:center;font-size:120%"
_SCROLL = "overflow-x:auto;max-width:100%;margin:0.5em 0 1em"
_TABLE = "border-collapse:collapse;font-size:90%;line-height:1.5;margin:0 auto"
_CAPTION = "font-weight:bold;padding:0.3em"
_CELL = "border:1px solid #000;padding:0.25em 0.4em"
_TH = _CELL + ";font-weight:normal;text-align:center"
# Labels keep a readable width on a phone: the table scrolls in its box instead of squeezing them.
_TH_STRONG = _CELL + ";font-weight:bold;text-align:center;min-width:3em"
_TH_ROW = _CELL + ";font-weight:normal;text-align:left;min-width:7em"
_TD = _CELL + ";text-align:center"

#: The cells of a table that head others.
_HEADING = (Role.CORNER, Role.HEADER, Role.GROUP, Role.LABEL)


def render(report: Report, appendix: Appendix | None = None) -> Rendered:
    """The standalone page (UTF-8), with the report's version code in a meta element;
    ``appendix`` follows the 落款 as 附件."""
    document = build_document(report, appendix)
    head = (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_text(document.title)}</title>\n"
        f'<meta name="author" content="{_text(document.author)}">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        f'<meta name="nianbao-version" content="{_text(document.version)}">\n'
        "</head>\n<body>\n<main>\n"
    )
    page = head + fragment(document) + "</main>\n</body>\n</html>\n"
    return Rendered(page.encode("utf-8"), None)


def render_fragment(report: Report, appendix: Appendix | None = None) -> str:
    """The page's body without ``<html>``/``<head>``: what 复制网页版 puts on the clipboard."""
    return fragment(build_document(report, appendix))


def render_text(report: Report, appendix: Appendix | None = None) -> str:
    """The plain-text alternative of the fragment: paragraphs as lines, tables as
    tab-separated rows (a spanned cell's text in its first column)."""
    return text(build_document(report, appendix))


# ---------------------------------------------------------------------- HTML


def fragment(document: Document) -> str:
    out = [f'<div style="{_BODY}">\n', f'<h1 style="{_H1}">{_text(document.title)}</h1>\n']
    out += [_paragraph(p, in_section=False) for p in document.preamble]
    for section in document.sections:
        out.append(_section(section))
    appendix = document.appendix
    if appendix is not None:  # 附件说明 above the 落款
        out.append(f'<p style="{_P}">{_text(appendix.note)}</p>\n')
    if document.signature:
        out.append(f'<p style="{_RIGHT}">{_text(document.signature)}</p>\n')
    if document.date:
        out.append(f'<p style="{_RIGHT}">{_text(document.date)}</p>\n')
    if appendix is not None:
        out.append(f'<p style="{_APPENDIX}">{_text(APPENDIX_LABEL)}</p>\n')
        out.append(f'<h2 style="{_APPENDIX_TITLE}">{_text(appendix.heading)}</h2>\n')
        out += [_paragraph(p, in_section=True) for p in appendix.paragraphs]
    out.append("</div>\n")
    return "".join(out)


def _section(section: Section) -> str:
    out = [f'<h2 style="{_H2}">{_text(section.heading)}</h2>\n']
    for block in section.blocks:
        if isinstance(block, Paragraph):
            out.append(_paragraph(block, in_section=True))
        else:
            for number, piece in enumerate(split_tables(block, _caption(section.heading))):
                out.append(_table(piece, f"t-{section.key}-{number}"))
    return "".join(out)


def _caption(heading: str) -> str:
    """A part's table caption: its heading without the numeral (三、 → 收到和处理…)."""
    return heading.split("、", 1)[1] if "、" in heading[:4] else heading


def _paragraph(paragraph: Paragraph, *, in_section: bool) -> str:
    if paragraph.lead and not paragraph.text:
        if in_section:  # a heading of its own, under the part's h2
            return f'<h3 style="{_H3}">{_text(paragraph.lead)}</h3>\n'
        return f'<p style="{_P}"><strong>{_text(paragraph.lead)}</strong></p>\n'
    lead = f"<strong>{_text(paragraph.lead)}</strong>" if paragraph.lead else ""
    return f'<p style="{_P}">{lead}{_text(paragraph.text)}</p>\n'


@dataclass(frozen=True)
class TablePiece:
    """One official table: its caption and its cells, rows counted from its first."""

    caption: str
    rows: int
    cells: tuple[TableCell, ...]


def split_tables(table: Table, caption: str) -> list[TablePiece]:
    """``table`` as the official tables it stacks: part 二's grid holds one per 第二十条 item,
    each under a caption row; parts 三 and 四 are one table under ``caption``."""
    captions = sorted(c.row for c in table.cells if c.role is Role.CAPTION)
    if not captions:
        return [TablePiece(caption, table.rows, table.cells)]
    pieces = []
    bounds = [*captions, table.rows]
    for top, end in pairwise(bounds):
        title = next(c.text for c in table.cells if c.role is Role.CAPTION and c.row == top)
        cells = tuple(
            TableCell(
                c.row - top - 1, c.col, c.role, c.text, c.rowspan, c.colspan, c.vertical, c.key
            )
            for c in table.cells
            if top < c.row < end
        )
        pieces.append(TablePiece(title, end - top - 1, cells))
    return pieces


def headers_of(piece: TablePiece, cell: TableCell) -> list[TableCell]:
    """Every heading cell of ``cell``: the column headers above it that span its columns,
    and the row labels and groups left of it that span its row (WCAG H43)."""
    found = []
    for other in piece.cells:
        if other.role not in _HEADING or not other.text or other is cell:
            continue
        columns = other.col < cell.col + cell.colspan and cell.col < other.col + other.colspan
        rows = other.row < cell.row + cell.rowspan and cell.row < other.row + other.rowspan
        above = other.row + other.rowspan <= cell.row
        left = other.col + other.colspan <= cell.col
        if (columns and above and other.role is Role.HEADER) or (rows and left):
            found.append(other)
    return sorted(found, key=lambda c: (c.col, c.row) if c.role is not Role.HEADER else (-1, c.row))


def _table(piece: TablePiece, prefix: str) -> str:
    ids = {(c.row, c.col): f"{prefix}-r{c.row}c{c.col}" for c in piece.cells}
    out = [
        f'<div style="{_SCROLL}">\n<table style="{_TABLE}">\n',
        f'<caption style="{_CAPTION}">{_text(piece.caption)}</caption>\n',
    ]
    for row in range(piece.rows):
        out.append("<tr>")
        for cell in sorted((c for c in piece.cells if c.row == row), key=lambda c: c.col):
            spans = ""
            if cell.rowspan > 1:
                spans += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                spans += f' colspan="{cell.colspan}"'
            content = _text(cell.text)
            if cell.role is Role.VALUE:
                heads = " ".join(ids[(h.row, h.col)] for h in headers_of(piece, cell))
                out.append(f'<td headers="{heads}"{spans} style="{_TD}">{content}</td>')
            elif not cell.text:  # an empty corner heads nothing
                out.append(f'<td{spans} style="{_CELL}"></td>')
            else:
                style = {Role.HEADER: _TH, Role.CORNER: _TH}.get(cell.role, _TH_ROW)
                if cell.role is Role.GROUP:
                    style = _TH_STRONG
                ident = ids[(cell.row, cell.col)]
                out.append(f'<th id="{ident}"{spans} style="{style}">{content}</th>')
        out.append("</tr>\n")
    out.append("</table>\n</div>\n")
    return "".join(out)


def _text(value: str) -> str:
    return escape(value, quote=True)


# ---------------------------------------------------------------------- plain text


def text(document: Document) -> str:
    lines = [document.title, ""]
    lines += [p.full_text for p in document.preamble]
    for section in document.sections:
        lines += ["", section.heading]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                lines.append(block.full_text)
            else:
                for piece in split_tables(block, _caption(section.heading)):
                    lines += ["", piece.caption, *_rows(piece), ""]
    appendix = document.appendix
    if appendix is not None:
        lines += ["", appendix.note]
    lines += ["", document.signature, document.date]
    if appendix is not None:
        lines += ["", APPENDIX_LABEL, appendix.heading]
        lines += [p.full_text for p in appendix.paragraphs]
    return "\n".join(lines).rstrip("\n") + "\n"


def _rows(piece: TablePiece) -> Iterator[str]:
    width = max((c.col + c.colspan for c in piece.cells), default=0)
    for row in range(piece.rows):
        fields = [""] * width
        for cell in piece.cells:
            if cell.row == row:
                fields[cell.col] = " ".join(cell.text.split())
        yield "\t".join(fields).rstrip("\t")
