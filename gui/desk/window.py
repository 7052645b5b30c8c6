"""县级汇总台: the county's desk, a window beside the report window on the same database.

It only composes: a year chooser, the pages (单位名册, 审核, 汇总, 指标) and the actions
收集报告…, 撤销, 重做, 关闭.  What the pages share is :class:`gui.desk.context.DeskContext`.
The pages are imported when the window is built, not when the program starts.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSpinBox,
    QTabWidget,
    QToolBar,
    QWidget,
)

from gui.desk.context import DeskContext
from model.formats import FIRST_YEAR, LAST_YEAR

if TYPE_CHECKING:
    from gui.main_window import MainWindow
    from gui.session import ReportSession

log = logging.getLogger(__name__)

TITLE = "县级汇总台"


#: The pages built by another module: (module, class, tab title).
class DeskWindow(QMainWindow):
    def __init__(
        self, session: ReportSession, year: int, main_window: QWidget | None = None
    ) -> None:
        from gui.desk.aggregate_page import AggregatePage
        from gui.desk.register_page import RegisterPage
        from gui.desk.review_page import ReviewPage
        from gui.desk.supervisor_page import SupervisorPage

        super().__init__()
        self.setWindowTitle(TITLE)
        self.context = DeskContext(session, year, self, main_window)
        self.year_box = QSpinBox()
        self.year_box.setRange(FIRST_YEAR, LAST_YEAR)
        self.year_box.setValue(year)
        self.year_box.setSuffix("年")
        self.year_box.setAccessibleName("年度")
        self.year_box.setKeyboardTracking(False)  # typing 2022 is not 2, 20, 202 first
        self.year_box.valueChanged.connect(self._year_chosen)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.register_page = RegisterPage(self.context)
        self.review_page = ReviewPage(self.context)
        self.tabs.addTab(self.register_page, "单位名册")
        self.tabs.addTab(self.review_page, "审核")
        self.aggregate_page = AggregatePage(self.context)
        self.supervisor_page = SupervisorPage(self.context)
        self.tabs.addTab(self.aggregate_page, "汇总")
        self.tabs.addTab(self.supervisor_page, "指标")
        self.setCentralWidget(self.tabs)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.statusBar().addWidget(self.message, 1)
        self.counts = QLabel()
        self.statusBar().addPermanentWidget(self.counts)
        self._build_actions()
        self.context.refused.connect(self.show_refusal)
        self.context.refreshed.connect(self._show_counts)
        self.context.undo_stack.indexChanged.connect(lambda _: self.message.clear())
        self._show_counts()
        self.resize(1200, 720)
        if main_window is not None:  # closes with it (it is not its owner: see eventFilter)
            main_window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The main window closed: so does the desk (it works on that window's database).
        Not a child of it, so that a report it opens comes in front of the desk."""
        if (
            event.type() == QEvent.Type.Hide
            and not event.spontaneous()
            and watched is self.context.main_window
        ):
            self.close()
        return False

    def _build_actions(self) -> None:
        stack = self.context.undo_stack
        self.undo_action = stack.createUndoAction(self, "撤销")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = stack.createRedoAction(self, "重做")
        self.redo_action.setShortcuts(
            [QKeySequence("Ctrl+Y"), QKeySequence(QKeySequence.StandardKey.Redo)]
        )
        self.collect_action = QAction("收集报告(&O)…", self)
        self.collect_action.setShortcut("Ctrl+O")
        self.collect_action.triggered.connect(lambda: self.collect())
        self.close_action = QAction("关闭(&W)", self)
        self.close_action.setShortcut(QKeySequence.StandardKey.Close)
        self.close_action.triggered.connect(self.close)
        desk_menu = self.menuBar().addMenu("汇总台(&D)")
        desk_menu.addAction(self.collect_action)
        desk_menu.addSeparator()
        desk_menu.addAction(self.close_action)
        edit_menu = self.menuBar().addMenu("编辑(&E)")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        bar = QToolBar("汇总台")
        bar.setObjectName("desk")
        bar.setMovable(False)
        label = QLabel(" 年度：")
        label.setBuddy(self.year_box)
        bar.addWidget(label)
        bar.addWidget(self.year_box)
        bar.addSeparator()
        bar.addAction(self.collect_action)
        bar.addAction(self.undo_action)
        bar.addAction(self.redo_action)
        self.addToolBar(bar)

    def _year_chosen(self, *_: object) -> None:
        year = self.year_box.value()
        if year != self.context.year:
            self.context.set_year(year)

    def collect(self) -> None:
        """收集报告…: choose files or a folder, review what each becomes, collect in one step."""
        from gui.desk.collect_dialog import CollectDialog

        dialog = CollectDialog(self.context, self)
        dialog.exec()

    def show_refusal(self, message: str) -> None:
        self.message.setText(message)
        self.message.setToolTip(message)

    def _show_counts(self, *_: object) -> None:
        rows = [r for r in self.context.desk.rows() if r.expected]
        reported = sum(r.report_id is not None for r in rows)
        self.counts.setText(
            f"{self.context.year}年：{len(rows)}个单位，已收到{reported}份报告"
            f"（刷新用时{self.context.last_refresh * 1000:.0f}毫秒）"
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.context.flush()
        super().closeEvent(event)


def open_desk(main_window: MainWindow) -> DeskWindow:
    """The desk of ``main_window``'s database, made once and shown in front (汇总 → 县级汇总台…)."""
    from gui.dialogs import default_year

    assert main_window.session is not None
    desk = getattr(main_window, "desk_window", None)
    if not isinstance(desk, DeskWindow):
        session = main_window.session
        report = session.report
        year = report.year if report is not None else default_year()
        desk = DeskWindow(session, year, main_window)
        main_window.desk_window = desk  # type: ignore[attr-defined]
    desk.show()
    desk.raise_()
    desk.activateWindow()
    return desk
