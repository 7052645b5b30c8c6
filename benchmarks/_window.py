"""The real main window on a database, as gui/app.py opens it, for in-process benchmarks."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.app import create_application, open_database
from gui.main_window import MainWindow
from gui.settings import Settings


def open_window(db: Path, settings: Path) -> tuple[QApplication, MainWindow]:
    """A shown window with the database open for writing (the background import of SQLAlchemy
    done) and the initial report ready; dialogs never block."""
    QMessageBox.critical = lambda *a, **k: None  # type: ignore[method-assign,assignment]
    app = create_application([])
    window = MainWindow(Settings(settings))
    window.resize(1280, 720)
    window.show()
    settle()
    if not open_database(window, db):
        raise SystemExit(f"cannot open {db}")
    settle()
    assert window.session is not None
    deadline = time.perf_counter() + 30
    while not window.session.has_store and time.perf_counter() < deadline:
        idle(50)
    if not window.session.has_store:
        raise SystemExit(f"the database {db} was not opened for writing within 30 s")
    settle()
    return app, window


def idle(ms: int) -> None:
    """Let the window's event loop run for ``ms`` milliseconds, sleeping when it has nothing
    to do, as a window waiting for the clerk does.  (``processEvents`` with a time limit never
    sleeps: it turns the loop as fast as it can and takes the processor from the program's
    background work and its render process.)"""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def settle() -> None:
    """Deliver every pending event (repaints included), as the event loop would."""
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()
