"""The 汇总's tables, drawn read-only with the report window's own grid, and the list of each
unit's figure behind one cell.

The official grids come from :mod:`gui.grid_model` unchanged: :class:`ShownReport` gives the
grid model what it reads of a session (a report, its totals and findings) for a report that
is never edited here, and :class:`SumsGridModel` refuses every edit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QWidget

from gui.grid_model import GridModel
from gui.grid_view import GridView
from model.calc import derived_values
from model.values import CellValue, to_text

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from gui.session import ReportSession
    from model.aggregate import Contribution
    from model.checks import Finding
    from model.formats import CellDef, ReportFormat
    from model.report import Report

_Index = QModelIndex | QPersistentModelIndex
#: The value a column sorts by (a number; None sorts last).
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class ShownReport(QObject):
    """A report to look at: what :class:`GridModel` reads of a session, nothing it writes."""

    reportOpened = Signal()
    cellsChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.report: Report | None = None
        self.findings: list[Finding] = []
        self.values: dict[str, CellValue] = {}
        self.pending_cells: dict[str, CellValue | None] = {}

    def show(self, report: Report | None, findings: Sequence[Finding] = ()) -> None:
        self.report = report
        self.findings = list(findings)
        self.values = derived_values(report.format, report.cells) if report else {}
        self.reportOpened.emit()

    @property
    def format(self) -> ReportFormat | None:
        return self.report.format if self.report else None

    def cell(self, key: str) -> CellDef:
        assert self.report is not None
        return self.report.format.cells[key]

    def shown_value(self, key: str) -> CellValue | None:
        if self.report is None:
            return None
        if self.cell(key).derived:
            return self.values.get(key, 0)
        return self.report.cells.get(key)

    def findings_for(self, key: str) -> list[Finding]:
        return [f for f in self.findings if key in f.cells]

    def set_cell(self, key: str, value: CellValue | None) -> bool:
        return False

    def set_cells(self, values: Mapping[str, CellValue | None], description: str) -> bool:
        return False


class SumsGridModel(GridModel):
    """One part's grid of a shown report; nothing can be typed into it."""

    def __init__(self, shown: ShownReport, part_key: str) -> None:
        super().__init__(cast("ReportSession", shown), part_key)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return super().flags(index) & ~Qt.ItemFlag.ItemIsEditable

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        return False


def sums_view(model: SumsGridModel, parent: QWidget | None = None) -> GridView:
    view = GridView(model, parent)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    return view


class ContributionsModel(QAbstractTableModel):
    """单位 | 数字: each unit's own figure in one cell of the 汇总, as it printed it."""

    HEADERS = ("单位", "数字")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Contribution] = []

    def set_rows(self, rows: Sequence[Contribution]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if index.column() == 0:
            if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
                return row.agency
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            # a blank is not a 0 the unit wrote: the county asks about the two differently
            return to_text(row.value) + (row.unit or "") if row.filled else "（空白）"
        if role == SORT_ROLE:
            return float(_in_yuan(row.value, row.unit)) if row.filled else None
        if role == Qt.ItemDataRole.ToolTipRole and not row.filled:
            return "该单位的报告中这一格空白（未填写，按0计）"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None


def _in_yuan(value: CellValue, unit: str | None) -> Decimal:
    """Figures in 万元 and 元 compared in one unit."""
    return Decimal(value) * (10000 if unit == "万元" else 1)


class LastProxy(QSortFilterProxyModel):
    """Sorts by :data:`SORT_ROLE`: numbers numerically, either way, with blanks (None) and,
    when ``zeros_last``, zeros always at the bottom; text as text."""

    def __init__(self, parent: QObject | None = None, *, zeros_last: bool = False) -> None:
        super().__init__(parent)
        self.zeros_last = zeros_last
        self.setSortRole(SORT_ROLE)

    def _last(self, value: object) -> bool:
        return value is None or (self.zeros_last and value == 0)

    def lessThan(self, left: _Index, right: _Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if isinstance(a, str) and isinstance(b, str):
            return a < b
        if self._last(a) != self._last(b):  # Qt flips the answer going down: flip it back
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            return self._last(b) if ascending else self._last(a)
        if self._last(a):
            return False
        return bool(a < b)
