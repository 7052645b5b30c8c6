"""A fresh database and a main window on it, for each GUI test; dialogs never block."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from gui.app import create_application, open_database
from gui.grid_model import GridModel
from gui.main_window import MainWindow
from gui.settings import Settings
from model import ops
from model.datafile import read_datafile
from model.db import Database
from model.db import open_database as open_db

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "resources" / "examples"
EXAMPLE = DATA / "example-2019-township.nianbao.json"
SAMPLE = DATA / "sample-2021-county-bureau.nianbao.json"


@pytest.fixture
def existing(tmp_path: Path) -> Path:
    """A database file a clerk filled in yesterday (the example report)."""
    path = tmp_path / "existing.sqlite3"
    with open_db(path) as db:
        ops.save_report(db, read_datafile(EXAMPLE.read_bytes()), replace=False)
    return path


def run_python(code: str, *args: str, config: Path) -> str:
    """``code`` run by a new Python in the project's folder, offscreen, with its settings under
    ``config``; what it printed (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(config)},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "gui.sqlite3"


@pytest.fixture
def window(qtbot, db_path: Path, tmp_path: Path, monkeypatch) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: None)
    create_application([])
    win = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    assert open_database(win, db_path)
    yield win
    assert win.session is not None
    win.session.close()


@pytest.fixture
def reader(db_path: Path) -> Iterator[Database]:
    """A second connection, as another program would see the file."""
    db = open_db(db_path)
    yield db
    db.close()


@pytest.fixture
def filled(window: MainWindow) -> MainWindow:
    """The window with the example report imported."""
    assert window.session is not None
    window.session.import_report(read_datafile(EXAMPLE.read_bytes()), replace=False)
    return window


def requests_model(window: MainWindow) -> GridModel:
    """The item model of part 三 (applications) of the open report."""
    model = window.pages["requests"].model  # type: ignore[attr-defined]
    assert isinstance(model, GridModel)
    return model
