"""The real main window on a database, as gui/app.py opens it, for in-process benchmarks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.app import create_application, open_database
from gui.main_window import MainWindow
from gui.settings import Settings


def open_window(db: Path, settings: Path) -> tuple[QApplication, MainWindow]:
    """A shown window with the database open and the initial report ready; dialogs never block."""
    QMessageBox.critical = lambda *a, **k: None  # type: ignore[method-assign,assignment]
    app = create_application([])
    window = MainWindow(Settings(settings))
    window.resize(1280, 720)
    window.show()
    settle()
    if not open_database(window, db):
        raise SystemExit(f"cannot open {db}")
    settle()
    return app, window


def settle() -> None:
    """Deliver every pending event (repaints included), as the event loop would."""
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()
