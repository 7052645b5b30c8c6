"""A PDF with a text layer → paragraphs and tables, page by page (pdfplumber).

Ruled tables are found by their lines.  Page borders make pdfplumber see a whole page of text as
one “table” whose rows span its width: such rows are text, not table rows, and only the runs of
real rows are kept as tables.  Text outside the tables is read as lines and joined into
paragraphs only where a line runs to the right margin and the next is not indented.  Page
numbers and footers (“— 4 —”, “-3-”, “第 3 页 共 9 页”) are dropped.  A table going on over a
page break (same columns, nothing but a footer in between) is joined into one."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSException

from published.document import (
    Origin,
    SourceBlock,
    SourceCell,
    SourceDocument,
    SourceParagraph,
    SourceTable,
)
from published.readers._common import SCANNED, not_a_report, snippet, spaces
from published.result import NotAReport

# pdfminer logs every oddity of a damaged file as a warning; what matters reaches the clerk as
# a NotAReport or a note.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

_DAMAGED = "这个PDF文件已损坏或不完整，无法读取；请重新下载或另存一份PDF后再导入。"
_ENCRYPTED = "这个PDF文件有密码保护（已加密），无法读取；请使用未加密的PDF、Word或网页。"

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－―~·•\s]*\d{1,4}[-—–－―~·•\s]*"
    r"|第\s*\d+\s*页\s*(?:[，,/]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*第\s*\d+\s*页"
    r"|\d+\s*/\s*\d+"
    r"|[-—–－―]\s*[ivxlcIVXLC]+\s*[-—–－―])\s*$"
)
_DASHED = re.compile(r"[-—–－―]")
_END = ("。", "：", "；", ":", ";", "！", "？")


def _is_footer(text: str, at_edge: bool) -> bool:
    """A page number or page footer; a bare number only at the top or bottom of a page."""
    if not _PAGE_NUMBER.match(text):
        return False
    return at_edge or bool(_DASHED.search(text)) or "页" in text


def _cell(text: str | None) -> str:
    return spaces((text or "").replace("\n", "").replace("\r", "")).strip()


@dataclass
class _PageTable:
    rows: list[list[str | None]]
    top: float
    bottom: float
    page: int
    row_pages: list[int] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)


@dataclass
class _Line:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float


def _segments(
    table: Any, page_no: int
) -> tuple[list[_PageTable], list[tuple[float, float, float, float]]]:
    """Split one pdfplumber table into runs of real rows; rows that are one cell spanning the
    whole width are text (a page border around paragraphs).  Returns the runs and their bboxes."""
    texts: list[list[str | None]] = table.extract()
    rows = table.rows
    runs: list[_PageTable] = []
    boxes: list[tuple[float, float, float, float]] = []
    current: list[int] = []

    def close() -> None:
        if not current:
            return
        grid = [texts[i] for i in current]
        keep = [c for c in range(len(grid[0])) if any(row[c] is not None for row in grid)]
        if len(keep) >= 2:
            top = min(rows[i].bbox[1] for i in current)
            bottom = max(rows[i].bbox[3] for i in current)
            x0 = min(rows[i].bbox[0] for i in current)
            x1 = max(rows[i].bbox[2] for i in current)
            runs.append(
                _PageTable(
                    [[row[c] for c in keep] for row in grid],
                    top,
                    bottom,
                    page_no,
                    [page_no] * len(current),
                    [i + 1 for i in current],
                )
            )
            boxes.append((x0, top, x1, bottom))
        current.clear()

    for i, row in enumerate(texts):
        if not row:
            continue
        full_width = row[0] is not None and all(cell is None for cell in row[1:])
        if full_width:
            close()
        else:
            current.append(i)
    close()
    return runs, boxes


def _inside(line: _Line, boxes: list[tuple[float, float, float, float]]) -> bool:
    mid_y = (line.top + line.bottom) / 2
    mid_x = (line.x0 + line.x1) / 2
    return any(
        x0 - 1 <= mid_x <= x1 + 1 and top - 1 <= mid_y <= bottom + 1
        for x0, top, x1, bottom in boxes
    )


def _paragraphs(lines: list[_Line], page_no: int) -> list[tuple[float, SourceParagraph]]:
    """Lines → paragraphs: a line is joined to the next only when it runs to the right margin,
    does not end a sentence, and the next line is not indented."""
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    out: list[tuple[float, SourceParagraph]] = []
    buffer: list[_Line] = []

    def flush() -> None:
        if buffer:
            text = "".join(line.text for line in buffer).strip()
            if text:
                out.append(
                    (buffer[0].top, SourceParagraph(text, Origin(f"第{page_no}页", snippet(text))))
                )
            buffer.clear()

    for i, line in enumerate(lines):
        buffer.append(line)
        following = lines[i + 1] if i + 1 < len(lines) else None
        size = max(line.size, 4.0)
        joins = (
            following is not None
            and line.x1 >= right - 1.5 * size
            and not line.text.rstrip().endswith(_END)
            and following.x0 <= left + 0.6 * size
            and following.top - line.bottom < 1.5 * size
        )
        if not joins:
            flush()
    flush()
    return out


def _title(pdf: Any) -> str | None:
    try:
        for info in pdf.doc.info:
            raw = resolve1(info.get("Title"))
            if isinstance(raw, bytes):
                if raw.startswith(b"\xff\xfe"):
                    text = raw[2:].decode("utf-16-le", "replace")
                elif raw.startswith(b"\xfe\xff"):
                    text = raw[2:].decode("utf-16-be", "replace")
                else:
                    try:
                        text = raw.decode("utf-8")
                    except UnicodeDecodeError:
                        text = raw.decode("latin-1")
                        if any(0x80 <= ord(ch) <= 0xFF for ch in text):
                            continue  # PDFDocEncoding bytes of unknown meaning: no title
                text = text.replace("\x00", "").strip()
                if text:
                    return text
            elif isinstance(raw, str) and raw.strip():
                return raw.strip()
    except Exception:
        return None
    return None


def read_pdf(data: bytes, name: str) -> SourceDocument:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise not_a_report(_ENCRYPTED) from exc
    except Exception as exc:  # pdfminer raises many kinds on a damaged file; pdfplumber wraps them
        causes = [exc, *exc.args, exc.__cause__, exc.__context__]
        if any(isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) for c in causes):
            raise not_a_report(_ENCRYPTED) from exc
        raise not_a_report(_DAMAGED) from exc
    try:
        return _read(pdf, data, name)
    except NotAReport:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise not_a_report(_ENCRYPTED) from exc
    except (
        PSException,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        AssertionError,
        OSError,
        RecursionError,
    ) as exc:
        raise not_a_report(_DAMAGED) from exc
    finally:
        pdf.close()


def _read(pdf: Any, data: bytes, name: str) -> SourceDocument:
    notes: list[str] = []
    pages: list[list[tuple[float, SourceBlock | _PageTable]]] = []
    empty_pages = 0
    images = False
    n_pages = len(pdf.pages)
    if n_pages == 0:
        raise not_a_report(_DAMAGED)
    for page_no, page in enumerate(pdf.pages, start=1):
        if not page.chars:
            empty_pages += 1
            images = images or bool(page.images)
            notes.append(f"第{page_no}页没有文字层，可能是扫描件，没有读取。")
            pages.append([])
            continue
        runs: list[_PageTable] = []
        boxes: list[tuple[float, float, float, float]] = []
        for table in page.find_tables(
            {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
        ):
            found, found_boxes = _segments(table, page_no)
            runs.extend(found)
            boxes.extend(found_boxes)
        lines: list[_Line] = []
        for raw in page.extract_text_lines(return_chars=True):
            text = spaces(raw["text"])
            if not text.strip():
                continue
            chars = raw.get("chars") or []
            size = max((float(ch.get("size", 0)) for ch in chars), default=10.0)
            line = _Line(
                text,
                float(raw["top"]),
                float(raw["bottom"]),
                float(raw["x0"]),
                float(raw["x1"]),
                size,
            )
            if not _inside(line, boxes):
                lines.append(line)
        # Footers and page numbers: drop them before the lines are joined.
        kept = []
        for i, line in enumerate(lines):
            at_edge = i == 0 or i == len(lines) - 1
            if _is_footer(line.text, at_edge):
                continue
            kept.append(line)
        blocks: list[tuple[float, SourceBlock | _PageTable]] = []
        # Paragraphs between tables are joined only within the stretch between two tables.
        cuts = sorted(run.top for run in runs)
        stretch: list[_Line] = []
        stretches: list[list[_Line]] = []
        for line in kept:
            if stretch and any(stretch[-1].bottom <= cut <= line.top for cut in cuts):
                stretches.append(stretch)
                stretch = []
            stretch.append(line)
        if stretch:
            stretches.append(stretch)
        for part in stretches:
            blocks.extend(_paragraphs(part, page_no))
        blocks.extend((run.top, run) for run in runs)
        blocks.sort(key=lambda item: item[0])
        pages.append(blocks)
    if b"%%EOF" not in data[-2048:]:
        notes.append("PDF文件可能不完整（缺少文件结尾），读到的内容可能不全，请核对。")
    if empty_pages == n_pages:
        if images or b"%%EOF" in data[-2048:]:
            raise not_a_report(SCANNED)
        raise not_a_report(_DAMAGED)
    # Join tables that go on over a page break.
    flat: list[SourceBlock | _PageTable] = []
    for blocks in pages:
        for index, (_, block) in enumerate(blocks):
            previous = flat[-1] if flat else None
            if (
                index == 0
                and isinstance(block, _PageTable)
                and isinstance(previous, _PageTable)
                and previous.page == block.page - 1 - _gap(pages, previous.page, block.page)
                and len(previous.rows[0]) == len(block.rows[0])
            ):
                rows = block.rows
                row_pages, row_numbers = block.row_pages, block.row_numbers
                if rows and previous.rows and _same(rows[0], previous.rows[0]):
                    rows, row_pages, row_numbers = rows[1:], row_pages[1:], row_numbers[1:]
                previous.rows.extend(rows)
                previous.row_pages.extend(row_pages)
                previous.row_numbers.extend(row_numbers)
                continue
            flat.append(block)
    out: list[SourceBlock] = []
    n_tables = 0
    for block in flat:
        if isinstance(block, _PageTable):
            n_tables += 1
            out.append(_source_table(block, n_tables))
        else:
            out.append(block)
    if not out:
        raise not_a_report(SCANNED)
    return SourceDocument(
        kind="PDF", name=name, blocks=tuple(out), title=_title(pdf), notes=tuple(notes)
    )


def _gap(pages: list[list[tuple[float, SourceBlock | _PageTable]]], first: int, last: int) -> int:
    """Pages between two pages that hold nothing (a blank page does not end a table)."""
    return sum(1 for p in range(first + 1, last) if not pages[p - 1])


def _same(a: list[str | None], b: list[str | None]) -> bool:
    return [_cell(x) for x in a] == [_cell(x) for x in b] and any(_cell(x) for x in a)


def _source_table(table: _PageTable, number: int) -> SourceTable:
    rows: list[tuple[SourceCell, ...]] = []
    for r, (row, page, row_no) in enumerate(
        zip(table.rows, table.row_pages, table.row_numbers, strict=True)
    ):
        cells: list[SourceCell] = []
        for c, raw in enumerate(row):
            where = f"第{page}页，第{number}个表格第{r + 1}行第{c + 1}列"
            if raw is None:
                cells.append(SourceCell("", Origin(where + "（合并单元格）"), True))
            else:
                text = _cell(raw)
                cells.append(SourceCell(text, Origin(where, snippet(text))))
        del row_no
        rows.append(tuple(cells))
    first = next((cell.text for row in rows for cell in row if cell.text), "")
    return SourceTable(tuple(rows), Origin(f"第{table.page}页，第{number}个表格", snippet(first)))
