"""The main window: it only composes the report bar, the tabs, the findings panel and the
status bar, and wires the menu actions.  Each tab lives in its own module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QGridLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QToolTip,
    QWidget,
)

from gui.settings import Settings

if TYPE_CHECKING:
    from gui.session import ReportSession
    from model.checks import Finding
    from model.report import Report

APP_TITLE = "政务公开年报"
DATA_FILTER = "年报数据文件 (*.nianbao.json *.json)"


class MainWindow(QMainWindow):
    """Shown before the database is opened, so that it paints at once; ``attach`` then adds
    everything that needs the database."""

    reportReady = Signal()

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.session: ReportSession | None = None
        self.setWindowTitle(APP_TITLE)
        self.placeholder = QLabel("正在打开数据库……")
        self.setCentralWidget(_centred(self.placeholder))
        # Refusals stay in view until the next successful edit (a temporary status message
        # would be wiped by the first status tip of whatever the mouse passes over).
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.statusBar().addWidget(self.message, 1)
        self.saved_label = QLabel()
        self.statusBar().addPermanentWidget(self.saved_label)
        # Said for as long as the window is open when the database can only be read.
        self.read_only_label = QLabel()
        self.read_only_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.read_only_label.hide()
        self.statusBar().addPermanentWidget(self.read_only_label)
        self.tabs = QTabWidget()
        self.pages: dict[str, QWidget] = {}

    # ------------------------------------------------------------------ building

    def attach(self, session: ReportSession) -> None:
        from PySide6.QtCore import Qt  # not before the first paint: see _centred

        from gui.findings_panel import FindingsPanel
        from gui.tabs.basic_tab import BasicTab
        from gui.tabs.preview_tab import PreviewTab
        from gui.tabs.table_tab import TableTab
        from gui.tabs.text_tab import TextTab

        self.session = session
        self.pages = {
            "basic": BasicTab(session),
            "overview": TextTab(session, "overview", draft=True),
            "active": TableTab(session, "active"),
            "requests": TableTab(session, "requests"),
            "appeals": TableTab(session, "appeals"),
            "problems": TextTab(session, "problems"),
            "other_matters": TextTab(session, "other_matters"),
            "preview": PreviewTab(session),
        }
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for key, page in self.pages.items():
            self.tabs.addTab(page, _tab_title(key))
        self.setCentralWidget(self.tabs)
        preview = self.pages["preview"]
        preview.export_button.clicked.connect(self.export_pdf)  # type: ignore[attr-defined]
        preview.docx_button.clicked.connect(self.export_docx)  # type: ignore[attr-defined]
        preview.print_button.clicked.connect(self.print_report)  # type: ignore[attr-defined]
        self.findings = FindingsPanel(session)
        self.findings.activated.connect(self.show_finding)
        dock = QDockWidget("检查结果", self)
        dock.setObjectName("findings")
        dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        dock.setWidget(self.findings)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self._build_actions()
        session.saved.connect(self._show_saved)
        session.refused.connect(self.show_refusal)
        session.reportsChanged.connect(self._fill_switcher)
        session.reportOpened.connect(self._report_opened)
        session.cellsChanged.connect(self._update_counts)
        session.storeReady.connect(self._show_read_only)
        for page in self.pages.values():
            model = getattr(page, "model", None)
            if model is not None:
                model.refused.connect(self._refused_at)
        self._fill_switcher()
        self._show_read_only()

    def _show_read_only(self) -> None:
        """A database that can only be read (read-only media) says so, and why, in the title
        and the status bar; its edits are refused with the same reason."""
        assert self.session is not None
        reason = self.session.read_only
        self._update_title()
        if reason is None:
            self.read_only_label.hide()
            return
        self.read_only_label.setText("只读：不能保存修改")
        self.read_only_label.setToolTip(reason)
        self.read_only_label.show()
        self.show_refusal(reason)

    def _update_title(self) -> None:
        """The report and, for a read-only database, "（只读）", as Word marks a read-only file."""
        report = self.session.report if self.session is not None else None
        read_only = "（只读）" if self.session and self.session.read_only is not None else ""
        if report is None:
            self.setWindowTitle(f"{APP_TITLE}{read_only}")
        else:
            self.setWindowTitle(f"{report.agency} {report.year}年{read_only} — {APP_TITLE}")

    def _build_actions(self) -> None:
        assert self.session is not None
        stack = self.session.undo_stack
        undo = stack.createUndoAction(self, "撤销")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = stack.createRedoAction(self, "重做")
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence.StandardKey.Redo])
        file_menu = self.menuBar().addMenu("文件(&F)")
        self.new_action = self._action(file_menu, "新建报告(&N)…", self.new_report, "Ctrl+N")
        self._action(file_menu, "导入数据文件(&I)…", self.import_files, "Ctrl+O")
        self.export_action = self._action(file_menu, "导出数据文件(&E)…", self.export_file)
        self.pdf_action = self._action(file_menu, "导出PDF(&D)…", self.export_pdf)
        self.docx_action = self._action(file_menu, "导出Word(&W)…", self.export_docx)
        self.print_action = self._action(
            file_menu, "打印(&P)…", self.print_report, QKeySequence.StandardKey.Print
        )
        self.recent_menu = file_menu.addMenu("最近打开的报告")
        self._action(file_menu, "从备份恢复(&B)…", self.restore_backup)
        file_menu.addSeparator()
        self.delete_action = self._action(file_menu, "删除当前报告…", self.delete_report)
        file_menu.addSeparator()
        self._action(file_menu, "保存(&S)", self.confirm_saved, QKeySequence.StandardKey.Save)
        self._action(file_menu, "退出(&X)", self.close, QKeySequence.StandardKey.Quit)
        edit_menu = self.menuBar().addMenu("编辑(&E)")
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        self._action(help_menu, "关于", self.about)
        bar = QToolBar("报告")
        bar.setObjectName("reports")
        bar.setMovable(False)
        bar.addWidget(QLabel(" 报告："))
        self.switcher = QComboBox()
        self.switcher.setMinimumContentsLength(28)
        self.switcher.activated.connect(self._switch)
        bar.addWidget(self.switcher)
        self.counts = QLabel()
        bar.addWidget(self.counts)
        bar.addSeparator()
        bar.addAction(self.new_action)
        bar.addAction(self.print_action)
        bar.addAction(undo)
        bar.addAction(redo)
        self.addToolBar(bar)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # ------------------------------------------------------------------ reports

    def open_report(self, report_id: int | None) -> None:
        assert self.session is not None
        self.session.open(report_id)

    def open_initial_report(self) -> None:
        assert self.session is not None
        last = self.settings.last_report
        if last is None or last not in self.session.summaries([last]):
            last = self.session.latest_report()  # None when there is no report
        self.open_report(last)
        self.reportReady.emit()

    def _report_opened(self) -> None:
        assert self.session is not None
        report = self.session.report
        self.settings.last_report = self.session.report_id
        for action in (self.export_action, self.delete_action, self.pdf_action, self.print_action):
            action.setEnabled(report is not None)
        self.docx_action.setEnabled(report is not None)
        self.tabs.setEnabled(report is not None)
        self._update_title()
        self._select_in_switcher()
        self._fill_recent()
        self._update_counts()
        no_report = "还没有报告：请用“文件 → 新建报告”或“导入数据文件”开始。"
        if report is None:
            self.message.setText(no_report)
            return
        if self.message.text() == no_report:  # a report is open now (e.g. after --open FILE)
            self.message.clear()
        page = self.tabs.currentWidget()
        if hasattr(page, "focus_first"):
            page.focus_first()

    def _fill_switcher(self) -> None:
        assert self.session is not None
        self.switcher.blockSignals(True)
        self.switcher.clear()
        for summary in self.session.reports():
            text = f"{summary.agency}　{summary.year}年　{summary.format_id}格式"
            self.switcher.addItem(text, summary.id)
        self.switcher.blockSignals(False)
        self._select_in_switcher()

    def _select_in_switcher(self) -> None:
        assert self.session is not None
        index = self.switcher.findData(self.session.report_id)
        self.switcher.setCurrentIndex(index)

    def _fill_recent(self) -> None:
        assert self.session is not None
        self.recent_menu.clear()
        recent = self.settings.recent
        names = self.session.summaries(recent)  # not every report: this runs on each switch
        for report_id in recent:
            if report_id in names:
                s = names[report_id]
                action = self.recent_menu.addAction(f"{s.agency} {s.year}年")
                action.triggered.connect(lambda _=False, r=report_id: self.open_report(r))

    def _switch(self, index: int) -> None:
        report_id = self.switcher.itemData(index)
        if report_id is not None and self.session and report_id != self.session.report_id:
            self.open_report(report_id)

    def _update_counts(self) -> None:
        if self.session is None or self.session.report is None:
            self.counts.setText("")
            return
        findings = self.session.findings
        errors = sum(f.is_error for f in findings)
        self.counts.setText(f"　{errors}个错误　{len(findings) - errors}个提示　")
        self.counts.setStyleSheet("color: #b00020;" if errors else "")

    def new_report(self) -> None:
        from gui.dialogs import NewReportDialog

        assert self.session is not None
        session = self.session
        agency = session.report.agency if session.report else ""
        summaries = session.reports()

        def has_report(name: str, year: int) -> int | None:
            return next((s.id for s in summaries if (s.agency, s.year) == (name, year)), None)

        dialog = NewReportDialog(agency, has_report, self)
        if dialog.exec() != NewReportDialog.DialogCode.Accepted:
            return
        wanted = dialog.result_value()
        last = has_report(wanted.agency, wanted.year - 1)
        if wanted.from_last_year and last is not None and wanted.format_id is None:
            session.create_next_year(last)
        else:
            session.create_report(wanted.agency, wanted.year, wanted.format_id)

    def delete_report(self) -> None:
        assert self.session is not None
        report = self.session.report
        if report is None:
            return
        from gui.dialogs import ask  # the name as written, never as HTML

        sure = ask(
            self,
            "删除报告",
            f"确定要删除“{report.agency}”{report.year}年的报告吗？\n删除后不能恢复。",
        )
        if sure and self.session.report_id is not None:
            self.session.delete_report(self.session.report_id)
            self.open_initial_report()

    def import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "导入数据文件", "", DATA_FILTER)
        for path in paths:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        assert self.session is not None
        report = self.session.read_file(path)
        if report is None:
            return
        replace = False
        if self.session.existing_id(report) is not None:
            from gui.dialogs import ask  # the name as written, never as HTML

            if not ask(
                self,
                "导入数据文件",
                f"已有“{report.agency}”{report.year}年的报告。\n要用文件中的内容替换它吗？",
            ):
                return
            replace = True
        self.session.import_report(report, replace)

    def export_file(self) -> None:
        assert self.session is not None
        report = self.session.report
        if report is None:
            return
        from gui.saving import write_file
        from model.files import safe_file_name

        name = safe_file_name(f"{report.agency}{report.year}年政府信息公开工作年度报告")
        path, _ = QFileDialog.getSaveFileName(
            self, "导出数据文件", f"{name}.nianbao.json", DATA_FILTER
        )
        if path and (written := write_file(self, Path(path), self.session.export_data())):
            self.statusBar().showMessage(f"已导出：{written}", 8000)

    # ------------------------------------------------------------------ paper

    def export_pdf(self) -> None:
        from export.pdf import render_pdf

        def pdf(report: Report) -> tuple[bytes, str]:
            rendered = render_pdf(report)
            notes = f"（注意：{'；'.join(rendered.warnings)}）" if rendered.warnings else ""
            return rendered.data, f"PDF（{rendered.pages}页）{notes}"

        self._export("导出PDF", ".pdf", "PDF 文件 (*.pdf)", pdf)

    def export_docx(self) -> None:
        from export.docx import render_docx

        self._export(
            "导出Word", ".docx", "Word 文档 (*.docx)", lambda r: (render_docx(r), "Word文档")
        )

    def _export(
        self, title: str, suffix: str, kind: str, render: Callable[[Report], tuple[bytes, str]]
    ) -> None:
        """Ask where, render the open report, write it whole (or not at all), and say so."""
        from gui.saving import write_file
        from model.files import safe_file_name

        assert self.session is not None
        report = self.session.report
        if report is None:
            return
        name = f"{safe_file_name(report.display_title)}{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, title, name, kind)
        if not path:
            return
        data, what = render(report)
        written = write_file(self, Path(path), data)
        if written is not None:
            self.statusBar().showMessage(f"已导出{what}：{written}", 10000)

    def print_report(self) -> None:
        from gui.printing import preview_and_print

        preview = self.pages["preview"]
        if self.session is None or self.session.report is None:
            return
        preview.refresh()  # type: ignore[attr-defined]
        document = preview.document  # type: ignore[attr-defined]
        if document is not None and preview_and_print(document, self):
            self.statusBar().showMessage("已发送到打印机", 5000)

    # ------------------------------------------------------------------ feedback

    def show_finding(self, finding: Finding) -> None:
        page = self.pages.get(finding.part)
        if page is None:
            return
        self.tabs.setCurrentWidget(page)
        page.select_keys(finding.cells)  # type: ignore[attr-defined]

    def show_refusal(self, message: str) -> None:
        self.message.setText(message)
        self.message.setToolTip(message)  # the whole of it, when the bar is too narrow

    def _refused_at(self, message: str, index: QModelIndex) -> None:
        self.show_refusal(message)
        view = getattr(self.tabs.currentWidget(), "view", None)
        if view is not None and index.isValid():
            rect = view.visualRect(index)
            QToolTip.showText(view.viewport().mapToGlobal(rect.bottomLeft()), message, view)

    def show_recovered(self, message: str) -> None:
        self.message.clear()
        self.message.setToolTip("")
        self.statusBar().showMessage(message, 15000)

    def restore_backup(self) -> None:
        from gui.recovery import restore_from_backup

        restore_from_backup(self)

    def _show_saved(self, when: dt.datetime) -> None:
        self.message.clear()
        self.message.setToolTip("")
        self.saved_label.setText(f"已保存 {when:%H:%M:%S}")

    def confirm_saved(self) -> None:
        """Every edit is already in the database; Ctrl+S only says so."""
        assert self.session is not None
        when = self.session.last_saved
        stamp = f"（最后一次修改 {when:%H:%M:%S}）" if when else ""
        self.statusBar().showMessage(f"所有修改都已自动保存{stamp}", 5000)

    def about(self) -> None:
        import model

        QMessageBox.about(
            self,
            "关于",
            f"{APP_TITLE} {model.__version__}\n填写、检查、打印和报送政府信息公开工作年度报告。\n"
            "每一处修改都会立即保存。",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        from gui.saving import may_close

        if self.session is not None and not may_close(self, self.session):
            event.ignore()
            return
        self.settings.geometry = self.saveGeometry()
        self.settings.sync()
        super().closeEvent(event)


def _tab_title(key: str) -> str:
    """Tab titles: the part numbers and short names of the format definition."""
    if key == "basic":
        return "基本信息"
    if key == "preview":
        return "预览"
    from model.formats import FORMATS

    part = next(iter(FORMATS.values())).part(key)
    return f"{part.number}、{part.short}"


def _centred(label: QLabel) -> QWidget:
    """``label`` in the middle of a page, placed by stretches rather than by
    ``Qt.AlignmentFlag``: the window paints before anything touches the ``Qt`` namespace,
    whose first use costs PySide6 about 12 ms (a tenth of the bare window's start)."""
    page = QWidget()
    grid = QGridLayout(page)
    grid.addWidget(label, 1, 1)
    for edge in (0, 2):
        grid.setRowStretch(edge, 1)
        grid.setColumnStretch(edge, 1)
    return page
