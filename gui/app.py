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
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.fonts import ensure_chinese_font
from gui.main_window import MainWindow
from model.paths import resources_dir

#: Set to 1 to print start-up milestones ("painted", "ready") and quit when ready: the
#: start-up benchmark times them from outside the process.
PROBE = "NIANBAO_STARTUP_PROBE"


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("政务公开年报")
    app.setOrganizationName("nianbao")
    icon = resources_dir() / "icons" / "nianbao.ico"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
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
    """Open the database into the window; a damaged file leads to the recovery choice."""
    from gui.recovery import back_up_quietly, recover
    from gui.session import ReportSession
    from model.db import BrokenDatabaseError, StoreError, open_database
    from model.paths import default_db_path

    path = db_path or default_db_path()
    done = ""
    try:
        db = open_database(path)
    except BrokenDatabaseError as error:
        recovered, done = recover(window, path, str(error))
        if recovered is None:
            window.placeholder.setText(f"无法打开数据库。\n{error}")
            window.close()
            return False
        db = recovered
    except StoreError as error:
        window.placeholder.setText(f"无法打开数据库。\n{error}")
        QMessageBox.critical(window, "无法打开数据库", str(error))
        return False
    failed_backup = back_up_quietly(path)  # the file as it was at start, before any edit
    session = ReportSession(db, window)
    session.unsaved.connect(window.show_refusal)
    session.recovered.connect(window.show_recovered)
    window.attach(session)
    window.open_initial_report()
    if done or failed_backup:
        window.show_refusal("\n".join(m for m in (done, failed_backup) if m))
    return True


def shut_down(window: MainWindow) -> None:
    """At exit: close the database, then back it up if it changed."""
    from gui.recovery import back_up_quietly

    if window.session is None:
        return
    window.session.retry_timer.stop()
    window.session.db.close()
    back_up_quietly(window.session.db.path)


def run(db_path: Path | None = None, open_file: Path | None = None) -> int:
    """The window on ``db_path``; ``open_file`` (a double-clicked data file) is imported into
    it, or handed to the window already open on that database."""
    from gui.single_instance import InstanceGuard, bring_forward, refusal_message
    from model.paths import default_db_path

    app = create_application()
    db_path = db_path or default_db_path()
    guard = InstanceGuard(db_path, app)
    if not guard.acquire():
        woke = guard.wake_first(open_file)
        QMessageBox.information(None, "政务公开年报", refusal_message(db_path, woke, open_file))
        return 1
    window = MainWindow()
    guard.activated.connect(lambda: bring_forward(window))
    guard.openRequested.connect(lambda path: _import_when_open(window, Path(path)))
    geometry = window.settings.geometry
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(1280, 720)
    if os.environ.get(PROBE) == "1":
        window.reportReady.connect(lambda: _milestone("ready", quit_after=True))

    # The database is opened once the window has painted, so the clerk sees it at once.
    def after_paint() -> None:
        guard.listen()
        if open_database(window, db_path) and open_file is not None:
            window.import_file(open_file)

    window.installEventFilter(_FirstPaint(window, after_paint))
    window.show()
    code = app.exec()
    shut_down(window)
    guard.release()
    return code


def _import_when_open(window: MainWindow, path: Path) -> None:
    if window.session is not None:
        window.import_file(path)


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
