"""What reading a published report gives: the report as it will be saved, each value with its
source, and what could not be read without the clerk.

Nothing here is guessed: a cell is in :attr:`Imported.report` only when exactly one reading of
the source fits it; every other cell of a recognised row is in :attr:`Imported.unread` with the
readings that fit (possibly none) and the source it came from, and stays blank until the clerk
decides.  Derived cells (totals) are never input: the totals a report printed go to
``report.declared`` so that the checks compare them with the computed ones, as on import of a
data file.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from model.errors import UserError
from model.report import Report
from model.values import CellValue
from published.document import Origin


class NotAReport(UserError, ValueError):
    """The input is not a readable report (random bytes, a page with no report on it, a scanned
    PDF, an old .doc); ``str()`` says so in Chinese and, where it helps, how to convert it."""


class How(enum.Enum):
    """How a value was read, strongest first."""

    TABLE = "table"  # from a table cell of its own (a web page, Word or PDF table)
    TEXT = "text"  # from text with the values apart (spaces between them)
    SPLIT = "split"  # from digits run together, split in the one way the totals allow

    @property
    def label(self) -> str:
        return {"table": "表格单元格", "text": "文本", "split": "连写数字（按合计拆分）"}[
            self.value
        ]


@dataclass(frozen=True)
class ReadCell:
    """One value read from the source.  ``value`` None is a cell printed blank (kept blank, never
    turned into 0); ``printed`` is the text as printed (“22（其中修订16件）”, “3147230元”)."""

    key: str
    value: CellValue | None
    printed: str
    origin: Origin
    how: How = How.TABLE
    #: A remark printed with the value (“其中修订16件”), kept for the review view.
    note: str = ""
    #: The unit of a money value where the report states one (“元” in the cell or in its
    #: column header: 采购总金额（元）); None where the format's default applies.
    unit: str | None = None


@dataclass(frozen=True)
class Unread:
    """Cells the clerk must decide: a row whose digits split in several ways (or none), a row
    with fewer values than cells, a one-row （六）其他处理 in a 2021 table …

    ``keys`` are the cells concerned, in order; each of ``candidates`` gives a value to every one
    of them (empty when no reading fits); ``reason`` says in Chinese what is wrong."""

    keys: tuple[str, ...]
    reason: str
    origin: Origin
    candidates: tuple[tuple[CellValue, ...], ...] = ()


@dataclass(frozen=True)
class TableRead:
    """One table of the format found in the source (an official table, or its rows in copied
    text), with its cells in the keys of format ``format_id``.

    ``fits`` are the ids of the formats whose labels the table has (both, when nothing in it tells
    2019 from 2021; just "2019" for part 三 with a single （六）其他处理 row); a part 二 item
    (``art20_1`` …) is one table.  ``cells`` hold input and derived cells alike, as printed: the
    pipeline puts derived ones in ``report.declared``."""

    table_key: str
    format_id: str
    fits: frozenset[str]
    cells: tuple[ReadCell, ...]
    unread: tuple[Unread, ...]
    origin: Origin
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Imported:
    """A published report read back.

    ``report`` is what will be saved (format, agency, year, title, texts, signature, the cells
    read and the totals as printed in ``declared``); ``cells`` tells where each value of
    ``report.cells`` and ``report.declared`` came from; ``unread`` lists what the clerk must
    decide; ``notes`` are the other things to know, in Chinese (“第二部分为2021年格式、第三部分为
    2019年格式（混合）”, “忽略了一个不属于年报格式的表格：五、信息处理费收取情况”, “年度取自统计期限”).
    ``source_kind``/``source_name`` name the input (“网页”, “某某.html”)."""

    report: Report
    cells: dict[str, ReadCell]
    unread: tuple[Unread, ...]
    notes: tuple[str, ...]
    source_kind: str
    source_name: str
    #: Where each text of ``report.texts`` came from.
    texts: dict[str, Origin] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Every cell of every recognised row was read."""
        return not self.unread

    @property
    def needing_review(self) -> int:
        """How many cells wait for the clerk."""
        return len({key for item in self.unread for key in item.keys})
