"""The errors and warnings of the open report, always in view; a click jumps to the place."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.session import ReportSession
from model.checks import Finding
from model.formats.common import DECLARED_TOTAL

#: "√" (GB 2312 A1CC): every Chinese Windows font (宋体, 微软雅黑, 黑体) and every font we ship has
#: it.  "✔" is in none of the Chinese faces and shows as a box where no symbol font is found.
NO_FINDINGS_MARK = "√"
_ERROR, _WARNING = QColor("#b00020"), QColor("#7a5200")


class FindingsPanel(QWidget):
    activated = Signal(object)  # the Finding to show

    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(self._activate)
        self.list.itemClicked.connect(self._activate)
        self.accept_button = QPushButton("改用按各项相加的合计")
        self.accept_button.setToolTip(
            "导入的报告自己填写的合计与按各项相加的结果不一致时：核实后，改用按各项相加的结果（可撤销）"
        )
        self.accept_button.setVisible(False)
        self.accept_button.clicked.connect(self._accept_computed)
        self.list.currentRowChanged.connect(self._update_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.accept_button)
        session.cellsChanged.connect(self.refresh)
        session.reportOpened.connect(self.refresh)
        self._shown: list[Finding] = []
        self.refresh()

    def refresh(self) -> None:
        findings = self.session.findings
        errors = sum(f.is_error for f in findings)
        if self.session.report is None:
            self.summary.setText("没有打开的报告")
        elif not self.session.checked:  # the report just shown at start-up: a moment later
            self.summary.setText("正在检查…")
        elif not findings:
            self.summary.setText(f"{NO_FINDINGS_MARK} 没有发现问题")
        else:
            self.summary.setText(f"{errors}个错误，{len(findings) - errors}个提示（点击可定位）")
        if findings == self._shown:
            return
        shown, self._shown = self._shown, list(findings)
        self._show(shown, findings)
        self._update_button()

    def _show(self, shown: list[Finding], findings: list[Finding]) -> None:
        """Bring the list from ``shown`` to ``findings``, item by item: an edit usually changes
        one message (a number in it), and a rebuilt list is laid out and painted again whole."""
        current = self.list.currentRow()
        if 0 <= current < len(shown) and findings[current : current + 1] != [shown[current]]:
            self.list.setCurrentRow(-1)  # the chosen finding is gone or has changed
        while self.list.count() > len(findings):
            self.list.takeItem(self.list.count() - 1)
        for row, finding in enumerate(findings):
            item = self.list.item(row)
            if item is None:
                item = QListWidgetItem()
                self.list.addItem(item)
                self._fill(item, finding)
            elif row >= len(shown) or shown[row] != finding:
                self._change(item, finding)

    def _change(self, item: QListWidgetItem, finding: Finding) -> None:
        """A changed message in place.  QListView lays out and repaints the whole list on any
        change of an item (most of an edit's painting); so the item is changed with the list's
        model quiet and only its own row repainted, unless the new text takes more or fewer
        lines, which moves the rows below."""
        index = self.list.indexFromItem(item)
        before = self.list.sizeHintForIndex(index)
        model = self.list.model()
        model.blockSignals(True)
        try:
            self._fill(item, finding)
        finally:
            model.blockSignals(False)
        if self.list.sizeHintForIndex(index) == before:
            self.list.viewport().update(self.list.visualItemRect(item))
        else:
            self.list.scheduleDelayedItemsLayout()
            self.list.viewport().update()

    @staticmethod
    def _fill(item: QListWidgetItem, finding: Finding) -> None:
        item.setText(f"【{finding.severity.label}】{finding.message}")
        item.setForeground(_ERROR if finding.is_error else _WARNING)
        item.setToolTip(finding.message)

    def _current(self) -> Finding | None:
        row = self.list.currentRow()
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def _update_button(self) -> None:
        finding = self._current()
        self.accept_button.setVisible(finding is not None and finding.rule == DECLARED_TOTAL.id)

    def _accept_computed(self) -> None:
        finding = self._current()
        if finding is not None and finding.rule == DECLARED_TOTAL.id:
            self.session.accept_computed(finding.cells[0])

    def _activate(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        if 0 <= row < len(self._shown):
            self.activated.emit(self._shown[row])
