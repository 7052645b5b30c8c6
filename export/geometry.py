"""The page and table geometry of the printed report (GB/T 9704, see PRINT.md), in points.

Shared by the renderers so that the PDF and the Word file set the same type area, sizes and
table column widths; nothing here imports a rendering library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
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
#: Part 三's item labels keep at least this share of the width when its value columns widen so
#: that no number prints smaller than the page allows (the notice board's 小四).
LEAST_LABEL_SHARE = 0.2
#: Part 三's value columns: two characters of header a line, four digits at full size; the
#: item labels get the rest, so that the whole table stands on one page in both formats.
NARROW_VALUE = 2 * TABLE_SIZE + 2 * PAD + 4
#: A number too wide for its cell prints smaller, down to this (9 digits: 5 pt in part 三).
SMALLEST_NUMBER = 3.0


def column_widths(
    table: Table,
    total: float,
    narrow: float = NARROW_VALUE,
    vertical_width: float = VERTICAL_COLUMN,
) -> list[float]:
    """Vertical group columns one character wide; part 三's value columns narrow and its item
    column the rest; part 二's label column a share of the width; otherwise all equal."""
    vertical = {c.col for c in table.cells if c.vertical}
    values = table.columns - table.label_columns
    labels = table.label_columns - len(vertical)
    if table.label_columns > 1:
        value = narrow
        label = (total - vertical_width * len(vertical) - value * values) / labels
    elif labels:
        label = total * LABEL_SHARE / labels
        value = (total - total * LABEL_SHARE) / values
    else:
        label, value = 0.0, total / values
    return [
        vertical_width if col in vertical else label if col < table.label_columns else value
        for col in range(table.columns)
    ]


@dataclass(frozen=True)
class PageGeometry:
    """One page layout of the PDF: the paper, the type area and the sizes set on it.  The PDF
    renderer takes one of these; :data:`OFFICIAL` is the A4 of the constants above."""

    name: str
    page_width: float
    page_height: float
    left: float
    top: float
    type_width: float
    type_height: float
    body_size: float
    title_size: float
    page_number_size: float
    page_number_gap: float
    table_size: float
    table_leading: float
    pad: float
    #: No number of a table prints smaller than this.
    smallest_number: float

    @property
    def bottom(self) -> float:
        return self.page_height - self.top - self.type_height

    @property
    def pitch(self) -> float:
        return self.type_width / CHARS_PER_LINE

    @property
    def tracking(self) -> float:
        return self.pitch - self.body_size

    @property
    def line(self) -> float:
        return self.type_height / 22

    @property
    def vertical_column(self) -> float:
        return 1.4 * self.table_size + 2 * self.pad

    @property
    def narrow_value(self) -> float:
        return 2 * self.table_size + 2 * self.pad + 4


#: The official report: A4, GB/T 9704.
OFFICIAL = PageGeometry(
    "A4",
    PAGE_WIDTH,
    PAGE_HEIGHT,
    LEFT,
    TOP,
    TYPE_WIDTH,
    TYPE_HEIGHT,
    BODY_SIZE,
    TITLE_SIZE,
    PAGE_NUMBER_SIZE,
    PAGE_NUMBER_GAP,
    TABLE_SIZE,
    TABLE_LEADING,
    PAD,
    SMALLEST_NUMBER,
)

#: A3 is A4 scaled by √2.
A3_SCALE = math.sqrt(2)
#: 小四: the smallest size read comfortably on a notice board from arm's length.
NOTICE_SMALLEST = 12.0

#: The notice-board copy: A3 portrait (297 × 420 mm), the A4 grid scaled by √2 — margins, type
#: area, 22 lines of 28 characters, every size (body 22.6 pt, tables 14.8 pt) — laid out anew on
#: the bigger page, and no table number set smaller than 小四.
NOTICE_BOARD = PageGeometry(
    "A3",
    297 * MM,
    420 * MM,
    LEFT * A3_SCALE,
    TOP * A3_SCALE,
    TYPE_WIDTH * A3_SCALE,
    TYPE_HEIGHT * A3_SCALE,
    BODY_SIZE * A3_SCALE,
    TITLE_SIZE * A3_SCALE,
    PAGE_NUMBER_SIZE * A3_SCALE,
    PAGE_NUMBER_GAP * A3_SCALE,
    TABLE_SIZE * A3_SCALE,
    TABLE_LEADING * A3_SCALE,
    PAD * A3_SCALE,
    NOTICE_SMALLEST,
)
