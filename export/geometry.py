"""The page and table geometry of the printed report (GB/T 9704, see PRINT.md), in points.

Shared by the renderers so that the PDF and the Word file set the same type area, sizes and
table column widths; nothing here imports a rendering library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # export.document reads the title width from here
    from export.document import Table

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM  # A4
LEFT, TOP = 28 * MM, 37 * MM
TYPE_WIDTH, TYPE_HEIGHT = 156 * MM, 225 * MM
BOTTOM = PAGE_HEIGHT - TOP - TYPE_HEIGHT

BODY_SIZE = 16.0  # 3号
#: GB/T 9704 §5.2.3: 28 characters a line filling the type area, so a character stands on a
#: pitch of 15.79 pt; the 16 pt characters are set 0.21 pt tighter (Word: the 文档网格).
CHARS_PER_LINE = 28
PITCH = TYPE_WIDTH / CHARS_PER_LINE
TRACKING = PITCH - BODY_SIZE
LINE = TYPE_HEIGHT / 22  # 22 lines a page
TITLE_SIZE = 22.0  # 2号
TITLE_CHARS = int(TYPE_WIDTH / TITLE_SIZE)  # 20 characters a title line
PAGE_NUMBER_SIZE = 14.0  # 4号
PAGE_NUMBER_GAP = 7 * MM  # from the type area down to the dashes

TABLE_SIZE = 10.5  # 五号
TABLE_LEADING = 12.5
PAD = 3.0
VERTICAL_COLUMN = 1.4 * TABLE_SIZE + 2 * PAD
LABEL_SHARE = 0.28  # of the table's width, for part 二's label column
#: Part 三's value columns: two characters of header a line, four digits at full size; the
#: item labels get the rest, so that the whole table stands on one page in both formats.
NARROW_VALUE = 2 * TABLE_SIZE + 2 * PAD + 4
#: A number too wide for its cell prints smaller, down to this (9 digits: 5 pt in part 三).
SMALLEST_NUMBER = 3.0


def column_widths(table: Table, total: float, narrow: float = NARROW_VALUE) -> list[float]:
    """Vertical group columns one character wide; part 三's value columns narrow and its item
    column the rest; part 二's label column a share of the width; otherwise all equal."""
    vertical = {c.col for c in table.cells if c.vertical}
    values = table.columns - table.label_columns
    labels = table.label_columns - len(vertical)
    if table.label_columns > 1:
        value = narrow
        label = (total - VERTICAL_COLUMN * len(vertical) - value * values) / labels
    elif labels:
        label = total * LABEL_SHARE / labels
        value = (total - total * LABEL_SHARE) / values
    else:
        label, value = 0.0, total / values
    return [
        VERTICAL_COLUMN if col in vertical else label if col < table.label_columns else value
        for col in range(table.columns)
    ]
