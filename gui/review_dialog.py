"""发布前检查: the review items of the open report, its version code, and the review sheet
(自查表) to print or save.

Every rule of the report's format is one row with its result (通过 / 需核实 / 错误) and the
findings under it; clicking a finding shows it in the window.  The dialog is not modal, so the
clerk can correct the report with it open; it follows every change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from export.review_sheet import ERROR, PASSED, ReviewItem, review_items, tally
from gui.session import ReportSession
from model.checks import Finding
from model.version import version_code

PDF_FILTER = "PDF 文件 (*.pdf)"
_COLOURS = {ERROR: "#b00020", PASSED: "#1b5e20"}
_WARNING_COLOUR = "#7a5200"
_FINDING = Qt.ItemDataRole.UserRole  # a row's finding, as its index in ``_findings``


class ReviewDialog(QDialog):
    def __init__(
        self,
        session: ReportSession,
        parent: QWidget | None = None,
        show_finding: Callable[[Finding], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._show_finding = show_finding
        self.setWindowTitle("发布前检查")
        self.facts = QLabel()
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code = QLabel()
        code_font = QFont(self.code.font())
        code_font.setPointSizeF(code_font.pointSizeF() * 1.6)
        code_font.setBold(True)
        self.code.setFont(code_font)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setToolTip("由报告的全部内容计算得出；内容有任何改动，版本码随之改变")
        self.summary = QLabel()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["序号", "检查项", "结果", "说明"])
        self.tree.setWordWrap(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.tree.itemClicked.connect(self._activate)
        self.tree.itemActivated.connect(self._activate)
        hint = QLabel("点击“需核实”或“错误”下的说明，可定位到报告中的相应位置。")
        hint.setWordWrap(True)
        self.print_button = QPushButton("打印自查表…")
        self.save_button = QPushButton("保存为PDF…")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_sheet)
        self.save_button.clicked.connect(self.save_sheet)
        layout = QVBoxLayout(self)
        layout.addWidget(self.facts)
        layout.addWidget(self.code)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.items: list[ReviewItem] = []
        self._findings: list[Finding] = []
        session.cellsChanged.connect(self.refresh)
        session.reportOpened.connect(self.refresh)
        self.resize(900, 620)
        self.refresh()

    # ------------------------------------------------------------------ contents

    def refresh(self) -> None:
        report = self.session.report
        self.tree.clear()
        self._findings.clear()
        enabled = report is not None
        self.print_button.setEnabled(enabled)
        self.save_button.setEnabled(enabled)
        if report is None:
            self.items = []
            self.facts.setText("没有打开的报告")
            self.code.clear()
            self.summary.clear()
            return
        fmt = report.format
        self.facts.setText(f"{report.agency}　{report.year}年　{fmt.id}年格式（{fmt.document}）")
        self.code.setText(f"版本码：{version_code(report)}")
        self.items = review_items(report, self.session.findings, self.previous_known)
        self.summary.setText(tally(self.items))
        for number, item in enumerate(self.items, 1):
            row = QTreeWidgetItem([str(number), item.rule.summary, item.result, item.explanation])
            colour = QColor(_COLOURS.get(item.result, _WARNING_COLOUR))
            row.setForeground(2, colour)
            row.setToolTip(1, item.rule.summary)
            row.setToolTip(3, item.explanation)
            self.tree.addTopLevelItem(row)
            for finding in item.findings:
                child = QTreeWidgetItem(["", "", finding.severity.label, finding.message])
                child.setForeground(2, colour)
                child.setToolTip(3, finding.message)
                row.addChild(child)
                self._remember(child, finding)
            if len(item.findings) == 1:
                self._remember(row, item.findings[0])
            row.setExpanded(len(item.findings) > 1)
        self.tree.resizeColumnToContents(0)
        self.tree.resizeColumnToContents(2)
        self.tree.setColumnWidth(1, 330)

    @property
    def previous_known(self) -> bool:
        return self.session.previous is not None

    def _remember(self, item: QTreeWidgetItem, finding: Finding) -> None:
        item.setData(0, _FINDING, len(self._findings))
        self._findings.append(finding)

    def finding_of(self, item: QTreeWidgetItem) -> Finding | None:
        index = item.data(0, _FINDING)
        return self._findings[index] if isinstance(index, int) else None

    def _activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        finding = self.finding_of(item)
        if finding is not None and self._show_finding is not None:
            self._show_finding(finding)

    # ------------------------------------------------------------------ the sheet

    def sheet(self) -> bytes:
        from export.review_sheet import render_review_sheet

        report = self.session.report
        assert report is not None
        return render_review_sheet(report, self.session.findings, self.previous_known).data

    def print_sheet(self) -> None:
        from gui.printing import load_pdf, preview_and_print

        if self.session.report is None:
            return
        document = load_pdf(self.sheet(), self)
        preview_and_print(document, self)

    def save_sheet(self) -> Path | None:
        from export.renderers import renderer
        from gui.saving import write_file
        from model.files import safe_file_name

        report = self.session.report
        if report is None:
            return None
        name = f"{safe_file_name(f'{report.agency}{report.year}年自查表')}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "保存自查表", name, PDF_FILTER)
        if not path:
            return None
        return write_file(self, Path(path), self.sheet(), renderer("pdf").file_kind)
