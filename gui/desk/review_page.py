"""审核: every unit of the year with its report's status, errors, warnings, last change and
version code — sortable, filterable by name and status; the findings of the unit selected;
a double click (or Enter) opens its report in the main window; 设为退回 / 设为通过 decide, and
the 退回意见 goes out as a one-page PDF (:func:`export.return_sheet.render_return_sheet`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from county.desk import UnitRow
    from gui.desk.context import DeskContext

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("单位", "类别", "状态", "错误", "提示", "最后修改", "版本码")
AGENCY, KIND, STATUS, ERRORS, WARNINGS, MODIFIED, VERSION = range(len(COLUMNS))
ALL_STATUSES = "全部状态"
#: The order a status sorts in: what needs the county's attention first.
STATUS_ORDER = ("有错误", "未报", "已报", "退回", "已通过", "已发布")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_RED, _GREY = QColor("#b00020"), QColor("#777777")


class ReviewModel(QAbstractTableModel):
    """The desk's rows for the year, read-only."""

    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.rows: list[UnitRow] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = [r for r in self.context.desk.rows() if r.expected]
        self.endResetModel()

    def refresh(self, agencies: list[str]) -> None:
        fresh = [r for r in self.context.desk.rows() if r.expected]
        if not agencies or [r.agency for r in fresh] != [r.agency for r in self.rows]:
            self.beginResetModel()
            self.rows = fresh
            self.endResetModel()
            return
        self.rows = fresh
        for at, row in enumerate(fresh):
            if row.agency in agencies:
                self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(row, column)
        if role == SORT_ROLE:
            return _sort_key(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (STATUS, ERRORS) and row.errors:
                return _RED
            if row.unit is None or row.report_id is None:
                return _GREY
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (ERRORS, WARNINGS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == AGENCY and row.unit is None:
            return "有这个单位的报告，但它不在单位名册中。"
        return None


def _text(row: UnitRow, column: int) -> str:
    if column == AGENCY:
        return row.agency
    if column == KIND:
        return str(row.kind) if row.kind is not None else "（未登记）"
    if column == STATUS:
        return str(row.status)
    if column in (ERRORS, WARNINGS):
        if row.report_id is None:
            return ""
        return str(row.errors if column == ERRORS else row.warnings)
    if column == MODIFIED:
        return _when(row.modified_at)
    return row.version


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()  # the clerk's clock
    return f"{moment:%Y-%m-%d %H:%M}"


def _sort_key(row: UnitRow, column: int) -> Any:
    if column == STATUS:
        status = str(row.status)
        return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)
    if column in (ERRORS, WARNINGS):
        if row.report_id is None:
            return -1
        return row.errors if column == ERRORS else row.warnings
    if column == MODIFIED:
        return row.modified_at.timestamp() if row.modified_at else 0.0
    return _text(row, column)


class ReviewFilter(QSortFilterProxyModel):
    """Rows whose unit's name contains the typed text and whose status is the one chosen."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self.text = ""
        self.status = ALL_STATUSES

    def set_filter(self, text: str, status: str) -> None:
        self.beginFilterChange()  # Qt 6.10's way: invalidateFilter() no longer refilters here
        self.text, self.status = text.strip(), status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ReviewModel)
        row = model.rows[source_row]
        if self.text and self.text not in row.agency:
            return False
        return self.status == ALL_STATUSES or str(row.status) == self.status


class ReviewPage(QWidget):
    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.model = ReviewModel(context)
        self.proxy = ReviewFilter()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("审核表")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # register order first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((240, 80, 70, 50, 50, 130)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _: self.open_selected())
        QShortcut(
            QKeySequence(Qt.Key.Key_Return),
            self.table,
            self.open_selected,
            Qt.ShortcutContext.WidgetShortcut,
        )
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_findings())
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("按单位名称筛选")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("筛选单位")
        self.status_box = QComboBox()
        self.status_box.addItems([ALL_STATUSES, *STATUS_ORDER])
        self.status_box.setAccessibleName("筛选状态")
        self.filter_edit.textChanged.connect(self._filter)
        self.status_box.currentTextChanged.connect(self._filter)
        self.summary = QLabel()
        self.findings = QListWidget()
        self.findings.setAccessibleName("检查结果")
        self.findings.setWordWrap(True)
        self.unit_label = QLabel()
        self.unit_label.setWordWrap(True)
        self.return_button = QPushButton("设为退回(&T)")
        self.return_button.clicked.connect(lambda: self.decide("退回"))
        self.pass_button = QPushButton("设为通过(&P)")
        self.pass_button.clicked.connect(lambda: self.decide("已通过"))
        self.sheet_button = QPushButton("打印/导出退回意见(&E)…")
        self.sheet_button.clicked.connect(self.export_return_sheet)
        self.open_button = QPushButton("打开报告(&G)")
        self.open_button.clicked.connect(self.open_selected)
        self._layout()
        context.refreshed.connect(self._refreshed)
        self._show_summary()
        self.show_findings()

    def _layout(self) -> None:
        bar = QHBoxLayout()
        label = QLabel("筛选(&F)：")
        label.setBuddy(self.filter_edit)
        bar.addWidget(label)
        bar.addWidget(self.filter_edit, 2)
        bar.addWidget(self.status_box)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.unit_label)
        side_layout.addWidget(self.findings, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.pass_button)
        side_layout.addLayout(buttons)
        side_layout.addWidget(self.sheet_button)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

    # ------------------------------------------------------------------ showing

    def _filter(self, *_: object) -> None:
        self.proxy.set_filter(self.filter_edit.text(), self.status_box.currentText())
        self._show_summary()

    def _refreshed(self, agencies: list[str]) -> None:
        current = self.current_row()
        self.model.refresh(agencies)
        if current is not None:
            self.select(current.agency)
        self._show_summary()
        self.show_findings()

    def _show_summary(self) -> None:
        rows = self.model.rows
        counts = {s: sum(str(r.status) == s for r in rows) for s in STATUS_ORDER}
        text = "　".join(f"{s}{n}" for s, n in counts.items() if n)
        shown = self.proxy.rowCount()
        self.summary.setText(f"显示{shown}/{len(rows)}个单位　{text}")

    def current_row(self) -> UnitRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.rows[self.proxy.mapToSource(index).row()]

    def select(self, agency: str) -> None:
        at = next((i for i, r in enumerate(self.model.rows) if r.agency == agency), -1)
        if at < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(at, 0))
        if index.isValid():
            self.table.setCurrentIndex(index)

    def show_findings(self) -> None:
        row = self.current_row()
        self.findings.clear()
        has_report = row is not None and row.report_id is not None
        for button in (self.open_button, self.sheet_button):
            button.setEnabled(has_report)
        for button in (self.return_button, self.pass_button):
            button.setEnabled(row is not None and row.unit is not None)
        if row is None:
            self.unit_label.setText("选择一个单位，查看它的检查结果。")
            return
        where = "" if row.unit is not None else "（不在单位名册中）"
        if not has_report:
            self.unit_label.setText(f"{row.agency}{where}：{self.context.year}年尚未报送。")
            return
        self.unit_label.setText(
            f"{row.agency}{where}：{row.status}，{row.errors}个错误，{row.warnings}个提示。"
        )
        for finding in sorted(row.findings, key=lambda f: not f.is_error):
            item = QListWidgetItem(f"{'错误' if finding.is_error else '提示'}：{finding.message}")
            if finding.is_error:
                item.setForeground(_RED)
            self.findings.addItem(item)
        if not row.findings:
            self.findings.addItem("没有发现问题。")

    # ------------------------------------------------------------------ acting

    def open_selected(self) -> None:
        row = self.current_row()
        if row is not None and row.report_id is not None:
            self.context.open_report(row.report_id)

    def decide(self, decision: str) -> None:
        """设为退回 / 设为通过: this year's decision on the unit selected (its address, date and
        note kept); one undo step."""
        from model.register import Decision, set_unit_year

        row = self.current_row()
        if row is None:
            return
        unit, entry = row.unit, row.entry
        if unit is None:
            self.context.refused.emit(f"“{row.agency}”不在单位名册中，请先在“单位名册”中添加。")
            return
        db, year = self.context.db, self.context.year
        self.context.write(
            f"“{unit.name}”设为{decision}",
            lambda: set_unit_year(
                db,
                unit.id,
                year,
                decision=Decision(decision),
                url=entry.url if entry else "",
                published_on=entry.published_on if entry else None,
                note=entry.note if entry else "",
                decided_now=True,  # a report changed since it was passed is passed again
            ),
        )

    def export_return_sheet(self) -> None:
        """打印/导出退回意见…: the remarks, then the one-page sheet printed (through the print
        preview, as the report is) or saved as a PDF where the clerk says."""
        row = self.current_row()
        report = self.context.desk.report(row.agency) if row is not None else None
        if row is None or report is None:
            return
        dialog = ReturnSheetDialog(row.agency, self._county_office(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if dialog.print_requested:
            self.print_return_sheet(row, dialog.county(), dialog.remarks())
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            "导出退回意见",
            f"{row.agency}{self.context.year}年报告退回意见.pdf",
            "PDF文件 (*.pdf)",
        )
        if path:
            self.write_return_sheet(row, Path(path), dialog.county(), dialog.remarks())

    def return_sheet(self, row: UnitRow, county: str, remarks: str) -> bytes | None:
        """The 退回意见 of ``row`` as a one-page PDF (None: the unit has no report)."""
        from export.return_sheet import render_return_sheet

        report = self.context.desk.report(row.agency)
        if report is None:
            return None
        return render_return_sheet(
            report,
            row.findings,
            county=county,
            remarks=remarks,
            date=dt.date.today(),
            agency=row.agency,
            year=self.context.year,
        )

    def print_return_sheet(self, row: UnitRow, county: str, remarks: str) -> None:
        from gui.printing import load_pdf, preview_and_print

        data = self.return_sheet(row, county, remarks)
        if data is not None and preview_and_print(load_pdf(data, self), self):
            self.unit_label.setText("退回意见已发送到打印机")

    def write_return_sheet(
        self, row: UnitRow, path: Path, county: str, remarks: str
    ) -> Path | None:
        """The 退回意见 of ``row`` written to ``path`` (or the name the clerk accepted)."""
        from gui.saving import write_file
        from model.files import FileKind

        data = self.return_sheet(row, county, remarks)
        if data is None:
            return None
        written = write_file(self, path, data, FileKind(b"%PDF", (".pdf",), "PDF文件"))
        if written is not None:
            self.unit_label.setText(f"已导出退回意见：{written}")
        return written

    def _county_office(self) -> str:
        """The register's 本级 unit (the county's own government), for the sheet's sender."""
        own = next((r.agency for r in self.model.rows if str(r.kind) == "本级"), "")
        return own


class ReturnSheetDialog(QDialog):
    """The county's remarks and name for a 退回意见."""

    def __init__(self, agency: str, county: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"退回意见：{agency}")
        self.county_edit = QLineEdit(county)
        self.county_edit.setPlaceholderText("例如：某某县人民政府办公室")
        self.remarks_edit = QPlainTextEdit()
        self.remarks_edit.setPlaceholderText("审核意见（可不填，打印后手写）")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存为PDF…")
        print_button = buttons.addButton("打印…", QDialogButtonBox.ButtonRole.ActionRole)
        #: 打印… was chosen rather than 保存为PDF….
        self.print_requested = False
        print_button.clicked.connect(self._print)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("审核意见(&R)：", self.remarks_edit)
        form.addRow("审核机关(&C)：", self.county_edit)
        form.addRow(buttons)
        self.remarks_edit.setFocus()

    def county(self) -> str:
        return self.county_edit.text().strip()

    def remarks(self) -> str:
        return self.remarks_edit.toPlainText().strip()

    def _print(self) -> None:
        self.print_requested = True
        self.accept()
