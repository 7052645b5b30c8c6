"""The vocabulary a report format is written in.

A format is plain, frozen data: parts, tables with their rows and columns, text fields and
rules.  Everything else (the forms, the totals, the checks, the printed tables, the data
file) reads it; no other module spells a label.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from model.formats.rules import Rule


class CellKind(enum.Enum):
    """What a cell holds; decides validation, storage and printing."""

    COUNT = "count"  # non-negative integer
    SIGNED_COUNT = "signed_count"  # integer, may be negative (本年增/减)
    MONEY = "money"  # exact non-negative decimal with a unit

    @property
    def is_integer(self) -> bool:
        return self is not CellKind.MONEY


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "提示"


#: Largest count a cell accepts; anything above is a typing slip, not a statistic.
MAX_COUNT = 10**9
#: Decimal places a money cell keeps (real reports use up to six for 万元).
MONEY_PLACES = 6
#: Largest amount a money cell accepts (in its own unit).
MAX_MONEY_DIGITS = 12


@dataclass(frozen=True)
class Column:
    """A data column of a table.

    ``span`` is the number of grid columns the column occupies where the printed table is
    narrower than its grid (part 二 prints every item on one 4-column grid).
    """

    key: str
    label: str
    kind: CellKind = CellKind.COUNT
    span: int = 1
    #: A derived column adds up these columns of its row.
    sums: tuple[str, ...] = ()
    #: Fixed unit, already part of the label (2021 本年收费金额（单位：万元）).
    unit: str | None = None
    #: Units the report may choose from, first is the default (2019 采购总金额).
    unit_choices: tuple[str, ...] = ()
    help: str = ""

    @property
    def derived(self) -> bool:
        return bool(self.sums)


@dataclass(frozen=True)
class Row:
    """A data row.  ``groups`` are the labels of the row groups it stands in, outermost first
    (part 三: ("三、本年度办理结果", "（三）不予公开"))."""

    key: str
    label: str
    groups: tuple[str, ...] = ()
    #: A derived row adds up these rows of its column.
    sums: tuple[str, ...] = ()
    help: str = ""

    @property
    def derived(self) -> bool:
        return bool(self.sums)


@dataclass(frozen=True)
class Table:
    """One table of the report.

    ``column_groups`` are the header labels above the data columns, outermost first, as
    ``(label, first column key, last column key)``.  ``flatten_rows`` prints the rows side by
    side as column groups (part 四 prints its 3 × 5 grid as one 15-column row).  A ``stacked``
    table is one item of its part (part 二's 第二十条第（…）项): the part prints its items on one
    grid, each under a row holding its caption, and a cell's place in a message starts with it.
    ``tallies`` are what the drafted overview (:mod:`model.drafts`) says of the table: the words
    before a figure, and the rows whose totals add up to it (part 四: 被提起行政诉讼 is the two
    kinds of suit).
    """

    key: str
    part: str
    caption: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    column_groups: tuple[tuple[str, str, str], ...] = ()
    corner: str = ""
    flatten_rows: bool = False
    stacked: bool = False
    tallies: tuple[tuple[str, tuple[str, ...]], ...] = ()
    help: str = ""

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"{self.key}.{key}")

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(f"{self.key}.*.{key}")


@dataclass(frozen=True)
class TextField:
    """A free-text part of the report (or the preamble)."""

    key: str
    label: str
    #: Above this many characters the report gets a warning (2021 总体情况: 1000).
    soft_limit: int | None = None
    #: The template's own hint printed under the heading in the official form.
    hint: str = ""


@dataclass(frozen=True)
class Part:
    """One of the six numbered parts.  A part holds either a text or tables."""

    key: str
    number: str  # 一 … 六
    heading: str  # as printed: 一、总体情况
    short: str  # tab title: 总体情况
    text: str | None = None  # key of its TextField
    tables: tuple[str, ...] = ()

    @property
    def ordinal(self) -> str:
        """第一部分 … 第六部分, the name used in messages."""
        return f"第{self.number}部分"


@dataclass(frozen=True)
class CellDef:
    """Everything known about one cell, resolved from its table, row and column."""

    key: str
    table: Table
    row: Row
    column: Column
    derived: bool
    terms: tuple[str, ...] = ()  # for a derived cell: the input cells it adds up

    @property
    def kind(self) -> CellKind:
        return self.column.kind

    @property
    def place(self) -> str:
        """Where the cell is, in words a clerk understands."""
        where = f"“{self.row.label}”行“{self.column.label}”列"
        if self.table.flatten_rows:
            where = f"“{self.row.label}”的“{self.column.label}”"
        caption = self.table.caption if self.table.stacked else ""
        return caption + where


@dataclass(frozen=True)
class ReportFormat:
    """One national format (2019 or 2021)."""

    id: str
    document: str  # 国办公开办函〔2019〕60号
    name: str  # 《中华人民共和国政府信息公开工作年度报告格式（试行）》
    first_year: int
    last_year: int | None
    parts: tuple[Part, ...]
    tables: tuple[Table, ...]
    texts: tuple[TextField, ...]
    rules: tuple[Rule, ...]
    cells: dict[str, CellDef] = field(default_factory=dict, compare=False, repr=False)
    input_keys: tuple[str, ...] = field(default=(), compare=False, repr=False)
    derived_keys: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def text_keys(self) -> tuple[str, ...]:
        """The keys of the texts, in the order the report prints them."""
        return tuple(text.key for text in self.texts)

    def fits_year(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def part(self, key: str) -> Part:
        for part in self.parts:
            if part.key == key:
                return part
        raise KeyError(key)

    def text(self, key: str) -> TextField:
        for text in self.texts:
            if text.key == key:
                return text
        raise KeyError(key)

    def part_of_table(self, table_key: str) -> Part:
        return self.part(self.table(table_key).part)

    def part_of_text(self, text_key: str) -> Part | None:
        for part in self.parts:
            if part.text == text_key:
                return part
        return None
