"""The desk's 指标 page: what a supervisor looks at.

The indicators counties rank by, one row a unit, sortable by number (a sample too small to
mean anything says so and sorts last); the texts of 一 and 五 copied from another unit or
from last year, both units named; and for one unit this year against last year, cell by cell,
with a chart of the figures a person would rather look at than read.

Every figure comes from :mod:`county.indicators` and :mod:`county.copies` through the desk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from county.indicators import INDICATORS, chart_series, compare_years, indicators
from gui.desk.chart import BarChart
from gui.desk.sums_grid import SORT_ROLE, LastProxy
from model.values import to_text

if TYPE_CHECKING:
    from county.copies import Copy
    from county.indicators import CellChange
    from gui.desk.context import DeskContext
    from model.report import Report

_Index = QModelIndex | QPersistentModelIndex
SMALL = "样本太小"


@dataclass(frozen=True)
class Cell:
    """What a table cell shows, what it sorts by (None sorts last) and its tooltip."""

    text: str
    sort: float | int | str | None = None
    tip: str = ""


class RowsModel(QAbstractTableModel):
    """A read-only table of :class:`Cell` rows under fixed headers."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.header_tips: list[str] = [""] * len(headers)
        self.rows: list[list[Cell]] = []

    def set_rows(self, rows: Sequence[Sequence[Cell]]) -> None:
        self.beginResetModel()
        self.rows = [list(r) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tips[section] or None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cell = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == SORT_ROLE:
            return cell.sort
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.tip or None
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(cell.sort, float):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None


def _table(model: RowsModel, sortable: bool = True) -> tuple[QTableView, LastProxy]:
    proxy = LastProxy(model)
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(sortable)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # the first column's own order
    return view, proxy


class SupervisorPage(QWidget):
    """指标: see the module docstring."""

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.indicators = RowsModel(["单位", *(label for _, label, _ in INDICATORS)], self)
        self.indicators.header_tips = ["", *(help_ for _, _, help_ in INDICATORS)]
        self.indicators_view, self.indicators_proxy = _table(self.indicators)
        self.indicators_view.clicked.connect(self._row_chosen)  # not on focus: the box stays
        self.indicators_view.activated.connect(self._row_chosen)
        self.copies = RowsModel(["单位", "文字", "相同于", "年度", "相同比例"], self)
        self.copies_view, self.copies_proxy = _table(self.copies)
        self.unit_box = QComboBox()
        self.unit_box.setMinimumContentsLength(14)
        self.unit_box.currentTextChanged.connect(self.show_unit)
        self.changes = RowsModel(["位置", "上年", "本年", "变化"], self)
        self.changes_view, self.changes_proxy = _table(self.changes)
        self.changes_view.horizontalHeader().setStretchLastSection(False)
        self.changes_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.chart = BarChart()
        self.compare_note = QLabel()
        self.compare_note.setWordWrap(True)
        self._build()
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.reload)
        self._stale = True  # read when first shown: the desk opens without it
        context.refreshed.connect(self._refreshed)

    def _build(self) -> None:
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(
            QLabel("各单位指标（点列名排序；样本太小的排在最后；指向数字可见分子和分母）：")
        )
        top_layout.addWidget(self.indicators_view, 1)
        copies = QWidget()
        copies_layout = QVBoxLayout(copies)
        copies_layout.setContentsMargins(0, 0, 0, 0)
        copies_layout.addWidget(QLabel("疑似照抄的文字（“一、总体情况”“五、存在的主要问题”）："))
        copies_layout.addWidget(self.copies_view, 1)
        compare = QWidget()
        compare_layout = QVBoxLayout(compare)
        compare_layout.setContentsMargins(0, 0, 0, 0)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel("本年与上年对比："))
        chooser.addWidget(self.unit_box, 1)
        compare_layout.addLayout(chooser)
        compare_layout.addWidget(self.compare_note)
        inner = QSplitter(Qt.Orientation.Horizontal)
        inner.addWidget(self.changes_view)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        inner.addWidget(scroll)
        inner.setSizes([380, 420])
        compare_layout.addWidget(inner, 1)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(copies)
        bottom.addWidget(compare)
        bottom.setSizes([420, 800])
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([320, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # ------------------------------------------------------------------ reading

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.reload()
        super().showEvent(event)

    def _refreshed(self, _agencies: list[str]) -> None:
        if self.isVisible():
            self._timer.start()
        else:
            self._stale = True

    def reload(self) -> None:
        self._timer.stop()
        self._stale = False
        reports = self.context.desk.reports()
        order = [r.agency for r in self.context.desk.rows() if r.agency in reports]
        self.indicators.set_rows(
            [self._indicator_row(n, a, reports[a]) for n, a in enumerate(order)]
        )
        self.copies.set_rows([_copy_row(n, c) for n, c in enumerate(self.context.desk.copies())])
        chosen = self.unit_box.currentText()
        self.unit_box.blockSignals(True)
        self.unit_box.clear()
        self.unit_box.addItems(order)
        self.unit_box.setCurrentText(chosen if chosen in reports else (order[0] if order else ""))
        self.unit_box.blockSignals(False)
        self.show_unit(self.unit_box.currentText())

    def _indicator_row(self, n: int, agency: str, report: Report) -> list[Cell]:
        measures = indicators(report)
        cells = [Cell(agency, n)]  # the desk's order: 本级, 部门, 乡镇街道
        for key, label, _help in INDICATORS:
            measure = measures.get(key)
            if measure is None:
                cells.append(Cell("—", None, f"{label}：本格式没有这一项"))
                continue
            tip = f"{label}：{measure.numerator}／{measure.denominator}"
            if measure.small:
                # the count stays in view: 样本太小（3件） says how small
                shown = f"{SMALL}（{measure.denominator}件）"
                cells.append(Cell(shown, None, f"{tip}（样本太小，不宜比较）"))
            elif measure.value is None:
                cells.append(Cell(measure.text or "—", None, tip))
            else:
                cells.append(Cell(measure.text, float(measure.value), tip))
        return cells

    def show_unit(self, agency: str) -> None:
        """This year against last year for ``agency``: the table and the chart."""
        desk = self.context.desk
        this = desk.report(agency) if agency else None
        last = desk.previous(agency) if agency else None
        if this is None or last is None:
            self.changes.set_rows([])
            self.chart.set_series([])
            self.compare_note.setText(
                f"{agency}没有{desk.year - 1}年的报告，无法对比" if this else ""
            )
            return
        changes = [c for c in compare_years(this, last) if c.last or c.this]
        self.compare_note.setText(
            f"{agency}：{desk.year - 1}年与{desk.year}年（列出两年中至少一年不为0的{len(changes)}格）"
        )
        self.changes.set_rows([_change_row(n, c) for n, c in enumerate(changes)])
        self.chart.set_series(chart_series(this, last), f"{desk.year - 1}年", f"{desk.year}年")

    def _row_chosen(self, current: QModelIndex) -> None:
        if current.isValid():
            agency = self.indicators_proxy.index(current.row(), 0).data()
            if isinstance(agency, str):
                self.unit_box.setCurrentText(agency)

    def indicator_column(self, label: str) -> list[str]:
        """The column as shown (sorted), top to bottom: for tests and the curious."""
        column = self.indicators.headers.index(label)
        proxy = self.indicators_proxy
        return [str(proxy.index(r, column).data()) for r in range(proxy.rowCount())]


def _copy_row(n: int, copy: Copy) -> list[Cell]:
    from model.formats import format_for_year

    year = int(copy.other_year)
    fields = {f.key: f.label for f in format_for_year(year).texts}
    what = fields.get(copy.text_key, copy.text_key)
    percent = float(copy.percent)
    return [
        Cell(copy.agency, n),
        Cell(what, what),
        Cell(copy.other_agency, copy.other_agency),
        Cell(f"{year}年", float(year)),
        Cell(
            f"{percent:.0f}%",
            percent,
            f"{copy.agency}与{copy.other_agency}的{what}相同{percent:.0f}%",
        ),
    ]


def _change_row(n: int, change: CellChange) -> list[Cell]:
    last, this = change.last, change.this
    difference = this - last
    sign = "+" if difference > 0 else ""
    return [
        Cell(change.place, n, change.table),  # sorts back to the format's order
        Cell(to_text(last), float(last)),
        Cell(to_text(this), float(this)),
        Cell(f"{sign}{to_text(difference)}" if difference else "", float(difference)),
    ]
