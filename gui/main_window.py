"""The main window: it only composes the report bar, the tabs, the findings panel and the
status bar, and wires the menu actions.  Each tab lives in its own module.

Nothing here lists what the format or the exports declare: the tabs between 基本信息 and 预览
are the parts of the open report's format (:attr:`ReportFormat.parts`), and the export actions
and buttons are :data:`export.renderers.RENDERERS`.  Every action runs through
:func:`gui.dialogs.succeeded`, the window's one catch of the clerk's errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QGridLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QWidget,
)

from gui.settings import Settings

if TYPE_CHECKING:
    import datetime as dt

    from export.renderers import Renderer
    from gui.session import ReportSession
    from gui.start_page import StartPage
    from gui.tabs.page import Page
    from model.checks import Finding
    from model.files import FileKind
    from model.formats import Part, ReportFormat
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
        #: The tabs by part key, with "basic" first and "preview" last.
        self.pages: dict[str, Page] = {}
        #: One export action per renderer, by its name (``"pdf"``, ``"docx"``).
        self.export_actions: dict[str, QAction] = {}

    # ------------------------------------------------------------------ building

    def attach(self, session: ReportSession) -> None:
        from PySide6.QtCore import Qt  # not before the first paint: see _centred

        from gui.findings_panel import FindingsPanel
        from gui.tabs.basic_tab import BasicTab
        from gui.tabs.preview_tab import PreviewTab
        from model.formats import FORMATS

        self.session = session
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # With no report, the start page (the ways to begin) instead of a grey form: built
        # when first shown (``start_page``), as a report is usually open at start.
        self._start_page: StartPage | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)
        self.basic = BasicTab(session)
        self.preview = PreviewTab(session)
        # With no report open, the parts of the first format, as their titles always were.
        self._show_parts(session.format or next(iter(FORMATS.values())))
        for renderer in self._renderers():
            button = self.preview.export_buttons[renderer.name]
            button.clicked.connect(self._guarded(renderer.label, self._exporter(renderer)))
        self.preview.print_button.clicked.connect(self._guarded("打印", self.print_report))
        self.preview.copy_html_button.clicked.connect(
            self._guarded("复制网页版", self.copy_web_page)
        )
        self.findings = FindingsPanel(session)
        self.findings.activated.connect(self.show_finding)
        self.findings_dock = dock = QDockWidget("检查结果", self)
        dock.setObjectName("findings")
        dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        dock.setWidget(self.findings)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self._fit_findings()
        self._build_actions()
        session.saved.connect(self._show_saved)
        session.refused.connect(self.show_refusal)
        session.reportsChanged.connect(self._fill_switcher)
        session.reportsChanged.connect(self._offer_starts)
        session.reportOpened.connect(self._report_opened)
        session.cellsChanged.connect(self._update_counts)
        session.storeReady.connect(self._show_read_only)
        self._fill_switcher()
        self._show_read_only()

    @property
    def start_page(self) -> StartPage:
        """The page shown instead of the tabs while there is no report, built when first
        wanted."""
        if self._start_page is None:
            from gui.start_page import StartPage

            page = self._start_page = StartPage()
            page.newRequested.connect(self._guarded("新建报告", self.new_report))
            page.carryOverRequested.connect(
                lambda report_id: self._guarded("新建报告", lambda: self.start_from(report_id))()
            )
            page.importRequested.connect(self._guarded("导入数据文件", self.import_files))
            page.publishedRequested.connect(
                self._guarded("导入已发布的年报", lambda: self.import_published(last_year=True))
            )
            self.stack.insertWidget(0, page)
        return self._start_page

    def _show_parts(self, fmt: ReportFormat) -> None:
        """One tab per part of ``fmt`` between 基本信息 and 预览.  A page that shows the same
        part is kept (it reads the new format itself, as when a 2019 report follows a 2021 one);
        the others are replaced, so nothing flickers and the focus stays when the parts match."""
        old = self.pages
        parts = {part.key: self._page_for(part, old.get(part.key)) for part in fmt.parts}
        titles = {
            "basic": "基本信息",
            **{p.key: _tab_title(p) for p in fmt.parts},
            "preview": "预览",
        }
        self.pages = {"basic": self.basic, **parts, "preview": self.preview}
        for key, page in old.items():
            if self.pages.get(key) is not page:
                self.tabs.removeTab(self.tabs.indexOf(page))
                page.deleteLater()
        for index, (key, page) in enumerate(self.pages.items()):
            title = titles[key]
            at = self.tabs.indexOf(page)
            if at < 0:
                self.tabs.insertTab(index, page, title)
            elif at != index:
                self.tabs.tabBar().moveTab(at, index)
            self.tabs.setTabText(index, title)

    def _page_for(self, part: Part, page: Page | None) -> Page:
        """``page`` if it shows ``part``, else a new page for it."""
        from gui.tabs.table_tab import TableTab
        from gui.tabs.text_tab import TextTab

        assert self.session is not None
        if page is not None and page.shows(part):
            return page
        if part.text is not None:
            page = TextTab(self.session, part.text)
        else:
            page = TableTab(self.session, part.key)
        page.refused.connect(self.show_refusal)
        return page

    def _fit_findings(self) -> None:
        """A quarter of a small window at most (1366×768 at 150%), so the tabs keep their room."""
        from PySide6.QtCore import Qt

        dock = self.findings_dock
        width = min(dock.sizeHint().width(), max(200, self.width() // 4))
        self.resizeDocks([dock], [width], Qt.Orientation.Horizontal)

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
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence(QKeySequence.StandardKey.Redo)])
        file_menu = self.menuBar().addMenu("文件(&F)")
        self.new_action = self._action(file_menu, "新建报告(&N)…", self.new_report, "Ctrl+N")
        self._action(file_menu, "导入数据文件(&I)…", self.import_files, "Ctrl+O")
        self._action(file_menu, "导入已发布的年报(&U)…", self.import_published)
        self.data_file_action = self._action(file_menu, "导出数据文件(&E)…", self.export_file)
        self.print_action = self._action(
            file_menu, "打印(&P)…", self.print_report, QKeySequence.StandardKey.Print
        )
        self.review_action = self._action(
            file_menu, "发布前检查(&R)…", self.review, before=self.print_action
        )
        self.package_action = self._action(
            file_menu, "生成报送材料(&K)…", self.export_package, before=self.print_action
        )
        self.recent_menu = file_menu.addMenu("最近打开的报告")
        self._action(file_menu, "从备份恢复(&B)…", self.restore_backup)
        file_menu.addSeparator()
        self.delete_action = self._action(file_menu, "删除当前报告…", self.delete_report)
        file_menu.addSeparator()
        self._action(file_menu, "保存(&S)", self.confirm_saved, QKeySequence.StandardKey.Save)
        self._action(file_menu, "退出(&X)", self.close, QKeySequence.StandardKey.Quit)
        self._add_export_actions(file_menu, before=self.print_action)
        self.copy_html_action = self._action(
            file_menu, "复制网页版(&C)", self.copy_web_page, before=self.print_action
        )
        edit_menu = self.menuBar().addMenu("编辑(&E)")
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        desk_menu = self.menuBar().addMenu("汇总(&C)")

        def open_desk() -> None:  # the county desk: imported when first opened
            from gui.desk.window import open_desk

            open_desk(self)

        self._action(desk_menu, "县级汇总台(&D)…", open_desk)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        self._action(help_menu, "关于", self.about)
        bar = QToolBar("报告")
        bar.setObjectName("reports")
        bar.setMovable(False)
        bar.addWidget(QLabel(" 报告："))
        self.switcher = QComboBox()
        # As wide as its longest line: “2021格式” is never cut to “2021格”.
        self.switcher.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
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

    def _add_export_actions(self, menu: QMenu, before: QAction) -> None:
        """导出PDF(&D)…, 导出Word(&W)…: one action per renderer, each with a free access key."""
        for renderer in self._renderers():
            key = _free_access_key(renderer.label, _access_keys(menu))
            text = f"导出{renderer.label}(&{key})…" if key else f"导出{renderer.label}…"
            action = self._action(menu, text, self._exporter(renderer), before=before)
            self.export_actions[renderer.name] = action

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
        before: QAction | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(self._guarded(_ACCESS_KEY.sub("", text).rstrip("…"), slot))
        if before is None:
            menu.addAction(action)
        else:
            menu.insertAction(before, action)
        return action

    def _guarded(self, title: str, slot: Callable[[], object]) -> Callable[[], None]:
        """``slot`` as the clerk runs it: a :class:`~model.errors.UserError` it raises is shown
        in a box titled ``title``; any other exception goes on to the crash report."""

        def run(*_: object) -> None:  # a menu action's "checked" is of no interest
            from gui.dialogs import succeeded  # when first run: not before the report shows

            succeeded(self, title, slot)

        return run

    @staticmethod
    def _renderers() -> tuple[Renderer, ...]:
        from export.renderers import RENDERERS

        return RENDERERS

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
        if report is not None:
            self._show_parts(report.format)
        actions = (
            self.data_file_action,
            self.delete_action,
            self.print_action,
            self.review_action,
            self.package_action,
        )
        for action in (*actions, *self.export_actions.values()):
            action.setEnabled(report is not None)
        self.tabs.setEnabled(report is not None)
        self.stack.setCurrentWidget(self.tabs if report is not None else self.start_page)
        shown = self.findings_dock.isHidden() and report is not None
        self.findings_dock.setVisible(report is not None)
        if shown:  # once laid out: a dock shown in the same turn as the window takes the rest
            QTimer.singleShot(0, self._fit_findings)
        self._offer_starts()
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
        self._current_page().focus_first()
        from gui.prewarm import schedule  # ReportLab and the fonts before the first export

        schedule(lambda: self.session.report if self.session is not None else None)

    def _offer_starts(self) -> None:
        """The start page's choices for the reports there are now (shown only without one)."""
        assert self.session is not None
        if self.session.report is None:
            from gui.dialogs import default_year
            from model.formats import format_for_year

            year = default_year()
            self.start_page.show_choices(year, format_for_year(year).id, self.session.reports())

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
        if self.session is None or self.session.report is None or not self.session.checked:
            self.counts.setText("")  # no report, or its first check still to come
            return
        findings = self.session.findings
        errors = sum(f.is_error for f in findings)
        self.counts.setText(f"　{errors}个错误　{len(findings) - errors}个提示　")
        style = "color: #b00020;" if errors else ""
        if self.counts.styleSheet() != style:  # Qt restyles on every call: ~2 ms an edit
            self.counts.setStyleSheet(style)

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

    def start_from(self, report_id: int) -> None:
        """从上一年度报告开始: next year's report of that unit, carried over from this one."""
        assert self.session is not None
        self.session.create_next_year(report_id)

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

    def import_published(self, last_year: bool = False) -> None:
        """导入已发布的年报: read and review it (:mod:`gui.import_dialog`), then save it in one
        undoable step; with ``last_year``, then start the next year's report from it."""
        from gui.import_dialog import TITLE, ImportDialog

        assert self.session is not None
        session = self.session
        title = "从已发布的去年报告开始" if last_year else TITLE
        dialog = ImportDialog(lambda r: session.existing_id(r) is not None, self, title)
        if dialog.exec() != ImportDialog.DialogCode.Accepted:
            return
        report_id = session.import_undoably(dialog.result_report(), dialog.replace)
        if last_year and report_id is not None:
            session.create_next_year(report_id)

    def export_file(self) -> None:
        """导出数据文件: the open report as a data file, named after its default title."""
        from model.files import DATA_FILE, safe_file_name
        from model.report import default_title

        session = self.session
        report = session.report if session is not None else None
        if session is None or report is None:
            return
        name = f"{safe_file_name(default_title(report.agency, report.year))}.nianbao.json"
        self._save_as(
            "导出数据文件", name, DATA_FILTER, DATA_FILE, lambda: (session.export_data(), "")
        )

    def export_document(self, renderer: Renderer) -> None:
        """导出PDF, 导出Word, …: the open report rendered by ``renderer``."""
        from model.files import safe_file_name

        report = self.session.report if self.session is not None else None
        if report is None:
            return
        name = f"{safe_file_name(report.display_title)}{renderer.suffix}"
        title = f"导出{renderer.label}"
        self._save_as(
            title,
            name,
            renderer.file_filter,
            renderer.file_kind,
            lambda: _rendered(renderer, report),
        )

    def copy_web_page(self) -> None:
        """复制网页版: the report as HTML on the clipboard (tables intact when pasted into a
        website's editor), with a plain-text alternative (tables as tab-separated rows)."""
        from PySide6.QtCore import QMimeData
        from PySide6.QtGui import QGuiApplication

        from export.html import render_fragment, render_text

        report = self.session.report if self.session is not None else None
        if report is None:
            return
        data = QMimeData()
        data.setHtml(render_fragment(report))
        data.setText(render_text(report))
        QGuiApplication.clipboard().setMimeData(data)
        self.statusBar().showMessage("已复制网页版，可粘贴到网站的编辑器中（含表格）", 10000)

    def _exporter(self, renderer: Renderer) -> Callable[[], None]:
        return lambda: self.export_document(renderer)

    def _save_as(
        self,
        title: str,
        name: str,
        file_filter: str,
        kind: FileKind,
        produce: Callable[[], tuple[bytes, str]],
    ) -> None:
        """Ask where, make the file's bytes, write them whole (or not at all), and say so."""
        from gui.saving import write_file

        path, _ = QFileDialog.getSaveFileName(self, title, name, file_filter)
        if not path:
            return
        data, what = produce()
        written = write_file(self, Path(path), data, kind)
        if written is not None:
            self.statusBar().showMessage(f"已导出{what}：{written}", 10000)

    def export_package(self) -> None:
        """生成报送材料: every document, the data file and the review sheet (with the findings
        the review shows) in a new folder under the one the clerk picks."""
        from export.package import render_package, write_contents

        session = self.session
        report = session.report if session is not None else None
        if session is None or report is None:
            return
        parent = QFileDialog.getExistingDirectory(self, "生成报送材料：选择存放报送材料的文件夹")
        if not parent:
            return
        contents = render_package(report, session.findings, session.previous is not None)
        folder = write_contents(contents, Path(parent))
        notes = f"（注意：{'；'.join(contents.warnings)}）" if contents.warnings else ""
        files = len(contents.files)
        self.statusBar().showMessage(f"已生成报送材料（{files}个文件）：{folder}{notes}", 15000)

    def print_report(self) -> None:
        from gui.printing import preview_and_print

        if self.session is None or self.session.report is None:
            return
        self.preview.refresh()
        document = self.preview.document
        if document is not None and preview_and_print(document, self):
            self.statusBar().showMessage("已发送到打印机", 5000)

    # ------------------------------------------------------------------ feedback

    def show_finding(self, finding: Finding) -> None:
        field = self.basic.field_for(finding)  # the title, 落款, 成文日期: on 基本信息
        if field is not None:
            self.tabs.setCurrentWidget(self.basic)
            field.setFocus()
            return
        page = self.pages.get(finding.part)
        if page is None:
            return
        self.tabs.setCurrentWidget(page)
        page.select_keys(finding.cells)

    def show_refusal(self, message: str) -> None:
        self.message.setText(message)
        self.message.setToolTip(message)  # the whole of it, when the bar is too narrow

    def _current_page(self) -> Page:
        current = self.tabs.currentWidget()
        return next((p for p in self.pages.values() if p is current), self.basic)

    def show_recovered(self, message: str) -> None:
        self.message.clear()
        self.message.setToolTip("")
        self.statusBar().showMessage(message, 15000)

    def review(self) -> None:
        """发布前检查: the review items, the version code and the review sheet (not modal)."""
        from gui.review_dialog import ReviewDialog

        if self.session is None or self.session.report is None:
            return
        if getattr(self, "review_dialog", None) is None:
            self.review_dialog = ReviewDialog(self.session, self, self.show_finding)
        self.review_dialog.refresh()
        self.review_dialog.show()
        self.review_dialog.raise_()
        self.review_dialog.activateWindow()

    def restore_backup(self) -> None:
        from gui.recovery import restore_from_backup

        restore_from_backup(self)

    def _show_saved(self, when: dt.datetime) -> None:
        # only what shows something: clearing an empty label still lays the status bar out
        if self.message.text():
            self.message.clear()
        if self.message.toolTip():
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


def _tab_title(part: Part) -> str:
    """A part's tab: its number and short name, as the format declares them (一、总体情况)."""
    return f"{part.number}、{part.short}"


#: An access key in a menu text: 打印(&P)….
_ACCESS_KEY = re.compile(r"\(&(\w)\)")


def _access_keys(menu: QMenu) -> str:
    return "".join(m[1].upper() for a in menu.actions() for m in _ACCESS_KEY.finditer(a.text()))


def _free_access_key(label: str, taken: str) -> str:
    """The first letter of ``label`` no other item uses: PDF → D (P is 打印), Word → W."""
    return next((c for c in label.upper() if "A" <= c <= "Z" and c not in taken), "")


def _rendered(renderer: Renderer, report: Report) -> tuple[bytes, str]:
    """The document's bytes, and what it is for the status line: “PDF（3页）”, with what
    the clerk should know before printing."""
    from export.worker import render_with  # a PDF in the render process

    rendered = render_with(renderer, report)
    notes = f"（注意：{'；'.join(rendered.warnings)}）" if rendered.warnings else ""
    return rendered.data, renderer.describe(rendered) + notes


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
