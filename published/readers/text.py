"""Text copied from a browser page (.txt, a paste) and markdown conversions: one paragraph a line.

The tables of copied text are flattened into the lines (cells run together); later stages find
them.  A crawl header (标题: … 发布时间: … ==== 正文 ====) gives the title and is dropped.  A
markdown pipe table (``| a | b |``) becomes a table."""

from __future__ import annotations

import re

from published.document import Origin, SourceBlock, SourceDocument, SourceParagraph
from published.readers._common import RawCell, expand_grid, not_a_report, snippet, spaces

_HEADER_END = re.compile(r"^=+\s*正文\s*=+$")
_TITLE = re.compile(r"^标题\s*[:：]\s*(.*)$")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _crawl_header(lines: list[str]) -> tuple[str | None, int]:
    """(title, index of the first line of the text) for a crawl file, else (None, 0)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not _TITLE.match(lines[first].strip()):
        return None, 0
    for i in range(first, min(len(lines), first + 40)):
        if _HEADER_END.match(lines[i].strip()):
            match = _TITLE.match(lines[first].strip())
            title = match.group(1).strip() if match else ""
            return (title or None), i + 1
    return None, 0


def _pipe_cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") else body
    return [cell.strip() for cell in body.split("|")]


def read_text(text: str, name: str = "粘贴的内容", kind: str = "文本") -> SourceDocument:
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title, start = _crawl_header(lines)
    blocks: list[SourceBlock] = []
    n_tables = 0
    i = start
    while i < len(lines):
        line = spaces(lines[i])
        # A markdown pipe table: at least two rows of |…|, cut at the first other line.
        if _PIPE_ROW.match(line):
            j = i
            rows: list[list[RawCell]] = []
            while j < len(lines) and _PIPE_ROW.match(spaces(lines[j])):
                if not _PIPE_RULE.match(lines[j]):
                    rows.append([RawCell(cell) for cell in _pipe_cells(spaces(lines[j]))])
                j += 1
            if len(rows) >= 2 and max(len(row) for row in rows) >= 2:
                n_tables += 1
                table = expand_grid(rows, f"第{i + 1}行起的第{n_tables}个表格")
                if table is not None:
                    blocks.append(table)
                    i = j
                    continue
        if line.strip():
            blocks.append(SourceParagraph(line.rstrip(), Origin(f"第{i + 1}行", snippet(line))))
        i += 1
    if not blocks:
        raise not_a_report("内容是空的：没有可以读取的文字。")
    return SourceDocument(kind=kind, name=name, blocks=tuple(blocks), title=title)
