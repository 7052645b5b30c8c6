"""A Word file (.docx) → paragraphs and tables in the order of the body.

The body is walked directly (paragraphs and tables interleaved, also inside content controls);
a table's grid comes from ``w:gridSpan`` (columns) and ``w:vMerge`` (a cell continuing the one
above is covered).  A table holding other tables is a frame: its text and inner tables are
given in order."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml.ns import qn
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type information

from published.document import (
    Origin,
    SourceBlock,
    SourceCell,
    SourceDocument,
    SourceParagraph,
    SourceTable,
)
from published.readers._common import (
    join_lines,
    not_a_report,
    snippet,
    spaces,
    span_value,
    table_has_text,
)
from published.result import NotAReport

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_TR, _TC, _CUSTOM = qn("w:tr"), qn("w:tc"), qn("w:customXml")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_VAL = qn("w:val")
_ALT_CHUNK, _R_ID = qn("w:altChunk"), qn("r:id")


def _children(el: etree._Element, *tags: str) -> Iterator[etree._Element]:
    """Children with one of ``tags``, looking through content controls and custom XML."""
    for child in el:
        if child.tag in tags:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, *tags)
        elif child.tag == _CUSTOM:
            yield from _children(child, *tags)


def _paragraph_text(p: etree._Element) -> str:
    parts: list[str] = []
    for el in p.iter(_T, _TAB, _BR, _CR):
        if el.tag == _T:
            parts.append(el.text or "")
        else:
            parts.append(" " if el.tag == _TAB else "\n")
    return spaces("".join(parts))


def _cell_text(tc: etree._Element) -> str:
    """A cell's paragraphs (and line breaks) joined by nothing: split labels join again."""
    return join_lines("\n".join(_paragraph_text(p) for p in _children(tc, _P)).strip())


def _prop(el: etree._Element, *path: str) -> etree._Element | None:
    found: etree._Element | None = el
    for tag in path:
        if found is None:
            return None
        found = found.find(qn(tag))
    return found


_DAMAGED = "这个Word文件已损坏或不完整，无法读取；请在WPS或Word中打开后重新另存为.docx。"


class _Reader:
    def __init__(self, part: Any) -> None:
        self.part = part
        self.blocks: list[SourceBlock] = []
        self.n_tables = 0
        self.n_paragraphs = 0

    def paragraph(self, text: str) -> None:
        text = text.replace("\n", " ").strip()
        if text:
            self.n_paragraphs += 1
            self.blocks.append(
                SourceParagraph(text, Origin(f"第{self.n_paragraphs}段", snippet(text)))
            )

    def body(self, el: etree._Element) -> None:
        for child in _children(el, _P, _TBL, _ALT_CHUNK):
            if child.tag == _P:
                self.paragraph(_paragraph_text(child))
            elif child.tag == _ALT_CHUNK:
                self.alt_chunk(child)
            else:
                self.table(child)

    def alt_chunk(self, el: etree._Element) -> None:
        """A web page embedded whole (w:altChunk, as converters from web pages write): read
        with the web page reader, its blocks in this place."""
        # Imported here: the web page reader is only needed for such files.
        from published.readers.html import decode_html, read_html, read_mhtml

        related = self.part.related_parts.get(el.get(_R_ID))
        if related is None:
            return
        blob: bytes = related.blob
        content_type = str(getattr(related, "content_type", ""))
        try:
            if "rfc822" in content_type or blob[:4096].lower().find(b"multipart/") >= 0:
                page = read_mhtml(blob, "")
            elif "html" in content_type or b"<" in blob[:1024]:
                page = read_html(decode_html(blob), "")
            else:
                return
        except NotAReport:
            return
        for block in page.blocks:
            if isinstance(block, SourceTable):
                self.n_tables += 1
            else:
                self.n_paragraphs += 1
            self.blocks.append(block)

    def table(self, tbl: etree._Element) -> None:
        rows = list(_children(tbl, _TR))
        if any(True for tc in tbl.iter(_TC) for _ in _children(tc, _TBL)):
            for tr in rows:
                for tc in _children(tr, _TC):
                    self.body(tc)
            return
        self.n_tables += 1
        where = f"第{self.n_tables}个表格"
        grid: list[list[SourceCell]] = []
        for r, tr in enumerate(rows):
            row: list[SourceCell] = []
            # Places left empty before the first cell of a row (w:gridBefore).
            before = _prop(tr, "w:trPr", "w:gridBefore")
            skipped = span_value(before.get(_VAL), 200) if before is not None else 0
            for _ in range(skipped):
                row.append(SourceCell("", Origin(f"{where}第{r + 1}行第{len(row) + 1}列")))
            for tc in _children(tr, _TC):
                span_el = _prop(tc, "w:tcPr", "w:gridSpan")
                span = span_value(span_el.get(_VAL) if span_el is not None else None, 200)
                merge = _prop(tc, "w:tcPr", "w:vMerge")
                continues = merge is not None and merge.get(_VAL, "continue") != "restart"
                c = len(row)
                if continues and r > 0:
                    for k in range(span):
                        row.append(
                            SourceCell(
                                "", Origin(f"{where}第{r + 1}行第{c + k + 1}列（合并单元格）"), True
                            )
                        )
                    continue
                text = _cell_text(tc)
                row.append(
                    SourceCell(text, Origin(f"{where}第{r + 1}行第{c + 1}列", snippet(text)))
                )
                for k in range(1, span):
                    row.append(
                        SourceCell(
                            "", Origin(f"{where}第{r + 1}行第{c + k + 1}列（合并单元格）"), True
                        )
                    )
            grid.append(row)
        width = max((len(row) for row in grid), default=0)
        for r, row in enumerate(grid):
            while len(row) < width:
                row.append(SourceCell("", Origin(f"{where}第{r + 1}行第{len(row) + 1}列")))
        first = next((cell.text for row in grid for cell in row if cell.text), "")
        table = SourceTable(tuple(tuple(row) for row in grid), Origin(where, snippet(first)))
        if width == 0 or not table_has_text(table):
            self.n_tables -= 1
            return
        if width == 1:
            self.n_tables -= 1
            for row in grid:
                self.paragraph(row[0].text)
            return
        self.blocks.append(table)


def read_docx(data: bytes, name: str) -> SourceDocument:
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        title = (document.core_properties.title or "").strip() or None
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise not_a_report(_DAMAGED) from exc
    reader = _Reader(document.part)
    try:
        reader.body(body)
    except (KeyError, ValueError, AttributeError) as exc:
        raise not_a_report(_DAMAGED) from exc
    if not reader.blocks:
        raise not_a_report("这个Word文件中没有文字。")
    return SourceDocument(kind="Word文档", name=name, blocks=tuple(reader.blocks), title=title)
