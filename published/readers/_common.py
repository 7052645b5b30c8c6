"""What the readers share: the messages, whitespace, and expanding merged cells into a grid."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from published.document import Origin, SourceCell, SourceTable
from published.result import NotAReport

CONVERT = "请在WPS或Word中另存为.docx或PDF后再导入"
SCANNED = "这是扫描件（没有文字层），无法读取；请使用可复制文字的PDF、Word或网页"
ACCEPTED = "可以导入的文件：网页（.html、.htm、.mhtml、.mht）、Word文档（.docx）、有文字层的PDF、文本（.txt、.md）"

_SPACES = re.compile(r"[\xa0\u3000\u2002\u2003\u2009\u200a\u202f\u205f\t\r\f\v]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def not_a_report(message: str) -> NotAReport:
    return NotAReport(message)


def spaces(text: str) -> str:
    """No-break, ideographic and other odd spaces → plain spaces (kept: labels may hold them);
    zero-width characters dropped."""
    return _ZERO_WIDTH.sub("", _SPACES.sub(" ", text))


_LINE_BREAK = re.compile(r"[ \t\r]*\n[ \t\r\n]*")


def join_lines(text: str) -> str:
    """Lines of one cell or paragraph joined: by nothing (a label split over two lines, “三、本年度办
    ⏎理结果”, joins again), except between two Latin letters or digits, which keep a space so that
    two numbers on two lines never run together into one."""

    def joint(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() > 0 else ""
        after = text[match.end()] if match.end() < len(text) else ""
        return (
            " "
            if before.isascii() and before.isalnum() and after.isascii() and after.isalnum()
            else ""
        )

    return _LINE_BREAK.sub(joint, text.replace("\r\n", "\n"))


def snippet(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def span_value(raw: str | None, limit: int) -> int:
    """A colspan/rowspan attribute: garbage ("0", "2px", "", "-1") counts as 1; capped."""
    if raw is None:
        return 1
    raw = raw.strip()
    if not raw.isdigit():
        return 1
    value = int(raw)
    return min(max(value, 1), max(limit, 1))


@dataclass
class RawCell:
    """One cell as written in the source, before expanding: its text and spans."""

    text: str
    colspan: int = 1
    rowspan: int = 1


MAX_COLSPAN = 200


def expand_grid(rows: Sequence[Sequence[RawCell]], where: str) -> SourceTable | None:
    """Expand rows of cells with spans into a grid of equal rows (merged cells appear once,
    their other places are ``covered``).  Rowspans running past the last row are clipped; short
    rows are padded with empty cells.  ``where`` is the table's name (“第2个表格”)."""
    n_rows = len(rows)
    if n_rows == 0:
        return None
    grid: list[dict[int, SourceCell]] = [{} for _ in range(n_rows)]
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while c in grid[r]:
                c += 1
            colspan = min(cell.colspan, MAX_COLSPAN)
            rowspan = min(cell.rowspan, n_rows - r)
            text = cell.text
            grid[r][c] = SourceCell(text, Origin(f"{where}第{r + 1}行第{c + 1}列", snippet(text)))
            for dr in range(rowspan):
                for dc in range(colspan):
                    if dr == 0 and dc == 0:
                        continue
                    place = grid[r + dr]
                    if c + dc not in place:
                        place[c + dc] = SourceCell(
                            "",
                            Origin(f"{where}第{r + dr + 1}行第{c + dc + 1}列（合并单元格）"),
                            True,
                        )
            c += colspan
    width = max((max(place) + 1 for place in grid if place), default=0)
    if width == 0:
        return None
    out: list[tuple[SourceCell, ...]] = []
    for r, place in enumerate(grid):
        out.append(
            tuple(
                place.get(c) or SourceCell("", Origin(f"{where}第{r + 1}行第{c + 1}列"))
                for c in range(width)
            )
        )
    first = next((cell.text for row in out for cell in row if cell.text.strip()), "")
    return SourceTable(tuple(out), Origin(where, snippet(first)))


def table_has_text(table: SourceTable) -> bool:
    return any(cell.text.strip() for row in table.rows for cell in row)
