"""Starting the window: paint first, open the database right after.

Importing SQLAlchemy and opening the database cost more than showing a window, so the window is
shown empty and the database is opened by the event loop's first turn.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.fonts import ensure_chinese_font
from gui.main_window import MainWindow
from model.paths import resources_dir

if TYPE_CHECKING:
    from model.db import Database

log = logging.getLogger(__name__)

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
    """Open the database into the window; a damaged file leads to the recovery choice.

    A current database (the usual case) is read with plain ``sqlite3`` first, so the report is
    on screen before SQLAlchemy is imported; the session opens it for writing once that import,
    started in the background here, is done.  A new or older file is opened at once, as the
    schema has to be made or migrated first."""
    from gui.session import ReportSession
    from model.dbfile import FileReader, Found, NewerDatabaseError, inspect_file
    from model.errors import BrokenDatabaseError, StoreError
    from model.files import check_database_path
    from model.paths import default_db_path

    path = db_path or default_db_path()
    notes: list[str] = []  # what the clerk should know: a recovery, a failed backup
    found: Found | None = None  # what start-up learnt of the file, used by the first open

    def open_for_writing() -> Database:
        """Open for writing; a second try (after a refusal) looks at the file afresh."""
        from model.db import open_database

        nonlocal found
        known, found = found, None
        db = open_database(path, known)
        if db.read_only is not None:  # nothing will change, and no backup can be written
            return db
        from gui.recovery import back_up_quietly

        if failed := back_up_quietly(path):  # the file as it was at start, before any edit
            # After the edit that may have asked for the database (its "saved" clears it).
            QTimer.singleShot(0, lambda: window.show_refusal(failed))
        return db

    try:
        # A folder, a device or a pipe at once: reading a pipe would wait for ever.
        check_database_path(path)
        # Deleted since the last run: ask first.  (gui.recovery, its dialogs and the backups
        # load only when they are wanted: the report is ready for typing sooner.)
        if not path.exists() and not _recovery().missing_with_backups(window, path):
            window.placeholder.setText("没有打开数据库。")
            window.close()
            return False
        found = inspect_file(path)
        if found.current:
            reader = FileReader(path)
            session = ReportSession(None, window, reader=reader, opener=open_for_writing)
        else:  # a new file to create, or an older one to migrate: at once
            session = ReportSession(open_for_writing(), window)
    except NewerDatabaseError as error:  # not damaged: left exactly as it is
        _recovery().refuse_newer(window, str(error))
        window.placeholder.setText(f"无法打开数据库。\n{error}")
        window.close()
        return False
    except BrokenDatabaseError as error:
        recovery = _recovery()
        recovered, done = recovery.recover(window, path, str(error))
        if recovered is None:
            window.placeholder.setText(f"无法打开数据库。\n{error}")
            window.close()
            return False
        notes += [done, recovery.back_up_quietly(path)]
        session = ReportSession(recovered, window)
    except StoreError as error:
        from gui.dialogs import literal

        window.placeholder.setText(f"无法打开数据库。\n{error}")
        QMessageBox.critical(window, "无法打开数据库", literal(str(error)))
        return False
    session.unsaved.connect(window.show_refusal)
    session.recovered.connect(window.show_recovered)
    session.databaseGone.connect(lambda message: _recovery().database_gone(window, message))
    window.attach(session)
    window.open_initial_report()
    # The import starts once the report has painted (posted events, such as the paint, come
    # before timers), so the two do not compete for the interpreter.
    QTimer.singleShot(0, session.load_store)
    if any(notes):
        window.show_refusal("\n".join(note for note in notes if note))
    return True


def _recovery() -> ModuleType:
    """:mod:`gui.recovery`, imported when first wanted."""
    from gui import recovery

    return recovery


def shut_down(window: MainWindow) -> None:
    """At exit: close the database, then back it up if it changed."""
    from gui.recovery import back_up_quietly

    if window.session is None:
        return
    gone = window.session.database_gone  # not a backup of whatever took its place
    read_only = window.session.read_only is not None  # unchanged, and nowhere to write one
    window.session.close()
    if not gone and not read_only:
        back_up_quietly(window.session.path)


def run(db_path: Path | None = None, open_file: Path | None = None) -> int:
    """The window on ``db_path``; ``open_file`` (a double-clicked data file) is imported into
    it, or handed to the window already open on that database."""
    from gui.single_instance import InstanceGuard, bring_forward, refusal_message
    from model.paths import default_db_path

    app = create_application()
    db_path = db_path or default_db_path()
    guard = InstanceGuard(db_path, app)
    if not guard.acquire():
        gc.enable()  # off since launch (main.py)
        from gui.dialogs import literal  # not before the first paint: it loads the formats

        woke = guard.wake_first(open_file)
        refusal = literal(refusal_message(db_path, woke, open_file))
        QMessageBox.information(None, "政务公开年报", refusal)
        return 1
    window = MainWindow()
    guard.activated.connect(lambda: bring_forward(window))
    guard.openRequested.connect(lambda path: _import_when_open(window, Path(path)))
    geometry = window.settings.geometry
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(1280, 720)
    if os.environ.get(PROBE) == "1":
        probe = _Probe(window)
        window.reportReady.connect(probe.ready)

    settled = False

    def settle() -> None:
        """Once the database is open for writing: what start-up built (SQLAlchemy included)
        lives as long as the program, so it is kept out of the garbage collector's full
        passes, which would stop the window for 20-40 ms; the collector, off since launch
        (main.py: its passes over everything being built cost ~10 ms before the report and
        ~20 ms while SQLAlchemy loads, on one core), is on from here; and a second copy is
        answered from here (Qt Network and a local socket: ~7 ms, neither delaying the report
        nor adding to the window's pauses while SQLAlchemy loads behind it; a copy started
        before then is refused as usual, only without bringing this window forward)."""
        nonlocal settled
        if not settled:
            settled = True
            gc.freeze()
            gc.enable()
            guard.listen()

    # The database is opened once the window has painted, so the clerk sees it at once.
    def after_paint() -> None:
        opened = open_database(window, db_path)
        if opened and not guard.lock_identity():  # a new file: its hard links from now on
            log.warning("database %s is open under another name too", db_path)
        session = window.session
        if session is not None and not session.has_store:  # SQLAlchemy loads behind it
            session.storeReady.connect(lambda: QTimer.singleShot(0, settle))
            QTimer.singleShot(10_000, settle)  # at the latest: it may never open for writing
        else:
            QTimer.singleShot(0, settle)
        if opened and open_file is not None:
            window.import_file(open_file)

    window.installEventFilter(_FirstPaint(window, after_paint))
    window.show()
    code = app.exec()
    gc.enable()  # had the window never settled
    shut_down(window)
    from export.worker import WORKER  # quitting never waits for a render

    WORKER.close()
    guard.release()
    return code


def _import_when_open(window: MainWindow, path: Path) -> None:
    if window.session is not None:
        window.import_file(path)


def _milestone(name: str, quit_after: bool = False) -> None:
    print(name, flush=True)
    if quit_after:
        QTimer.singleShot(0, QApplication.quit)


class _Probe(QObject):
    """Start-up milestones for the benchmark: "ready" (the report has painted and takes
    typing), then "loaded" (the database is open for writing) with the longest pause of the
    event loop in between, measured by a 1 ms timer; then it quits."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._timer = QTimer(self)
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)
        self._last = self._longest = 0.0

    def ready(self) -> None:
        """The report is open: its paint is a posted event, so it comes before this timer."""
        QTimer.singleShot(0, self._painted)

    def _painted(self) -> None:
        _milestone("ready")
        session = self._window.session
        if session is None or session.has_store:
            self._loaded()
            return
        from PySide6.QtCore import Qt  # not before the first paint: it would slow it

        session.storeReady.connect(self._loaded)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._last = time.perf_counter()
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self._longest = max(self._longest, now - self._last)
        self._last = now

    def _loaded(self) -> None:
        self._timer.stop()
        _milestone("loaded")
        _milestone(f"longest-pause {self._longest * 1000:.1f}", quit_after=True)


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
