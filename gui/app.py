"""Starting the window: paint first, open the database right after.

Importing SQLAlchemy and opening the database cost more than showing a window, so the window is
shown empty and the database is opened by the event loop's first turn.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.fonts import ensure_chinese_font
from gui.main_window import MainWindow

#: Set to 1 to print start-up milestones ("painted", "ready") and quit when ready: the
#: start-up benchmark times them from outside the process.
PROBE = "NIANBAO_STARTUP_PROBE"


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("政务公开年报")
    app.setOrganizationName("nianbao")
    install_chinese(app)
    ensure_chinese_font(app)
    return app


def install_chinese(app: QApplication) -> None:
    """Qt's own dialogs and buttons (确定, 取消, 是, 否) in Simplified Chinese."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)


def open_database(window: MainWindow, db_path: Path | None) -> bool:
    from gui.session import ReportSession
    from model.db import StoreError, open_database
    from model.paths import default_db_path

    try:
        db = open_database(db_path or default_db_path())
    except StoreError as error:
        window.placeholder.setText(f"无法打开数据库。\n{error}")
        QMessageBox.critical(window, "无法打开数据库", str(error))
        return False
    window.attach(ReportSession(db, window))
    window.open_initial_report()
    return True


def run(db_path: Path | None = None) -> int:
    app = create_application()
    window = MainWindow()
    geometry = window.settings.geometry
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(1280, 720)
    if os.environ.get(PROBE) == "1":
        window.reportReady.connect(lambda: _milestone("ready", quit_after=True))
    # The database is opened once the window has painted, so the clerk sees it at once.
    window.installEventFilter(_FirstPaint(window, lambda: open_database(window, db_path)))
    window.show()
    return app.exec()


def _milestone(name: str, quit_after: bool = False) -> None:
    print(name, flush=True)
    if quit_after:
        QTimer.singleShot(0, QApplication.quit)


class _FirstPaint(QObject):
    """Runs ``then`` on the event loop's next turn after the window first paints."""

    def __init__(self, parent: QObject, then: Callable[[], object]) -> None:
        super().__init__(parent)
        self._then = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            if os.environ.get(PROBE) == "1":
                _milestone("painted")
            QTimer.singleShot(0, self._then)
        return False
