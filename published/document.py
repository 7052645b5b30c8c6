"""A published report as its reader found it: paragraphs and tables in reading order.

Every reader (:mod:`published.readers`: a web page, a Word file, a PDF, text copied from a
browser) turns its input into one :class:`SourceDocument`, so that everything after it (the
part headings, the tables, the cells) is written once.  Each block and cell carries where it
came from (:class:`Origin`), which the review view shows beside the value read from it.

Tables are *expanded grids*: a merged cell appears once, in its top-left place, and the places it
covers hold :attr:`SourceCell.covered` cells with no text, so a row of a grid is always as long as
the table is wide.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Origin:
    """Where in the input something was read: shown to the clerk beside what was read.

    ``where`` is in words (“第2个表格第5行第3列”, “第3页”, “第1204–1231字”); ``snippet`` is the
    source text around it as printed (at most a line or so)."""

    where: str
    snippet: str = ""


@dataclass(frozen=True)
class SourceCell:
    """One place of a table grid.  ``covered`` marks a place covered by a merged cell that starts
    above or to the left of it (its text is ``""``)."""

    text: str
    origin: Origin
    covered: bool = False


@dataclass(frozen=True)
class SourceTable:
    """A table as an expanded grid of rows of equal length."""

    rows: tuple[tuple[SourceCell, ...], ...]
    origin: Origin

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0


@dataclass(frozen=True)
class SourceParagraph:
    """A run of text outside tables: a paragraph of a page or a document, a line of a PDF or of
    pasted text.  Copied page text may hold a whole report in one paragraph, tables flattened
    into it (cells run together): later stages find the headings and rows inside it."""

    text: str
    origin: Origin


SourceBlock = SourceParagraph | SourceTable


@dataclass(frozen=True)
class SourceDocument:
    """What a reader made of one input.

    ``kind`` names the input for the clerk (“网页”, “Word文档”, “PDF”, “文本”); ``name`` is the
    file name (or “粘贴的内容”); ``title`` is a title the container states apart from the text
    (a web page's ``<title>``, a crawl header's 标题, a PDF's or Word file's document title), if
    any; ``notes`` are things the reader skipped or could not read that the clerk should know
    (“第3页没有文字层，可能是扫描件”)."""

    kind: str
    name: str
    blocks: tuple[SourceBlock, ...]
    title: str | None = None
    notes: tuple[str, ...] = field(default=())

    def paragraphs(self) -> tuple[SourceParagraph, ...]:
        return tuple(b for b in self.blocks if isinstance(b, SourceParagraph))

    def tables(self) -> tuple[SourceTable, ...]:
        return tuple(b for b in self.blocks if isinstance(b, SourceTable))
