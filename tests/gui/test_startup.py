"""Start-up on an existing database: the report is read with plain sqlite3 and shown while
SQLAlchemy loads in a background thread; an edit made before that is done waits for it and is
saved, after the start-up backup."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest

from gui.app import create_application, open_database, shut_down
from gui.main_window import MainWindow
from gui.session import ReportSession
from gui.settings import Settings
from model import backups, ops, reads
from model.calc import all_values
from model.checks import check
from model.datafile import read_datafile
from model.db import open_database as open_db
from model.dbfile import FileReader

from .conftest import EXAMPLE, SAMPLE, requests_model
from .test_entry import _table, _type_cell

pytestmark = pytest.mark.gui
KEY = "requests.new.natural"
ROOT = Path(__file__).resolve().parents[2]


def _start(qtbot, path: Path, tmp_path: Path) -> tuple[MainWindow, ReportSession]:  # type: ignore[no-untyped-def]
    """The window opened on ``path`` as the program opens it, and its session."""
    create_application([])
    window = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # the keyboard focus, as on a desktop
    assert open_database(window, path)
    assert window.session is not None
    return window, window.session


def _stored(path: Path) -> object:
    """The figure in the cell as another program would read it from the file now."""
    with open_db(path) as other:
        return ops.load_report(other, 1).cells.get(KEY)


def _loaders() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "store-import"]


def test_an_edit_before_the_store_has_loaded_waits_for_it_and_is_saved(
    qtbot, existing: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window, session = _start(qtbot, existing, tmp_path)
    assert session.report is not None
    assert not session.has_store  # shown from the plain sqlite3 read
    assert session.report.agency == "古城回族乡人民政府"
    before = session.report.cells[KEY]
    model = requests_model(window)
    assert model.setData(model.index_of(KEY), str(before + 5))
    assert session.has_store
    assert _stored(existing) == before + 5
    # The start-up backup was made first: it holds the figure as it was.
    [backup] = backups.list_backups(existing)
    with FileReader(backup.path) as reader, reader.read() as connection:
        assert reads.load_report(connection, 1).cells[KEY] == before
    assert "未保存" not in window.message.text()
    shut_down(window)


def test_typing_as_soon_as_the_report_shows_is_saved(qtbot, existing: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, session = _start(qtbot, existing, tmp_path)
    assert not session.has_store
    _type_cell(qtbot, _table(window, "requests"), KEY, "42")  # while SQLAlchemy loads
    assert session.input_value(KEY) == 42 and session.has_store
    assert _stored(existing) == 42
    assert "未保存" not in window.message.text()
    shut_down(window)


def test_the_store_loads_in_the_background_and_edits_are_saved_as_usual(
    qtbot, existing: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window, session = _start(qtbot, existing, tmp_path)
    with qtbot.waitSignal(session.storeReady, timeout=20_000):
        pass  # the loader starts once the report has painted
    assert session.has_store and not _loaders()
    model = requests_model(window)
    assert model.setData(model.index_of(KEY), "77")
    session.undo_stack.undo()
    session.undo_stack.redo()
    assert _stored(existing) == 77
    shut_down(window)


def test_a_start_up_backup_that_fails_is_said_and_does_not_stop_writing(
    qtbot, existing: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with open_db(existing) as db:  # another report, changed since the last backup
        other = ops.save_report(db, read_datafile(SAMPLE.read_bytes()), replace=False)
    backups.make_backup(existing)
    with closing(sqlite3.connect(existing)) as raw, raw:  # ... and damaged since (bad UTF-8)
        raw.execute(
            "UPDATE report_text SET text = CAST(x'fffe41' AS TEXT) WHERE report_id = ?", (other,)
        )
    Settings(tmp_path / "settings.ini").last_report = 1  # the clerk was on the good one
    window, session = _start(qtbot, existing, tmp_path)
    assert session.report is not None
    assert session.report.agency == "古城回族乡人民政府"
    model = requests_model(window)
    assert model.setData(model.index_of(KEY), "42")
    assert session.has_store and not session.has_pending
    qtbot.waitUntil(lambda: "自动备份失败" in window.message.text())
    assert _stored(existing) == 42
    shut_down(window)


def test_closing_at_once_waits_for_the_loader_and_changes_nothing(
    qtbot, existing: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window, _ = _start(qtbot, existing, tmp_path)
    qtbot.wait(1)  # the loader may or may not have started: either way closing is safe
    window.close()
    shut_down(window)
    assert not _loaders()
    example = read_datafile(EXAMPLE.read_bytes())
    with open_db(existing) as other:
        stored = ops.load_report(other, 1)
    assert (stored.cells, stored.declared, stored.units) == (
        example.cells,
        example.declared,
        example.units,
    )


def test_the_report_is_on_screen_before_sqlalchemy_is_imported(
    existing: Path, tmp_path: Path
) -> None:
    """In a new process, as the clerk starts it: the window, then the report, then SQLAlchemy."""
    script = """
import sys
import threading
from pathlib import Path
from gui.app import create_application, open_database
from gui.main_window import MainWindow
from gui.session import ReportSession
from gui.settings import Settings

app = create_application([])
window = MainWindow(Settings(Path(sys.argv[2])))
window.show()
assert open_database(window, Path(sys.argv[1]))
session = window.session
print(session.report.agency, session.has_store, "sqlalchemy" in sys.modules, flush=True)
while not any(t.name == "store-import" for t in threading.enumerate()):
    app.processEvents()  # until the report has painted and the import has begun
assert not session.has_store
session.set_cell("requests.new.natural", 4242)  # an edit while SQLAlchemy is still loading
print(session.has_store, "sqlalchemy" in sys.modules, flush=True)
session.close()
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(existing), str(tmp_path / "settings.ini")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    shown, loaded = done.stdout.splitlines()
    assert shown.split() == ["古城回族乡人民政府", "False", "False"]
    assert loaded.split() == ["True", "True"]
    assert _stored(existing) == 4242


def _derived_key(session: ReportSession) -> str:
    assert session.report is not None
    return next(k for k, c in session.report.format.cells.items() if c.derived)


def test_the_report_shows_its_totals_at_once_and_its_findings_a_moment_later(
    qtbot, existing: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """At start-up the report is ready for typing before it is checked: the totals are right
    when it shows, the findings panel says it is checking, then lists what the check finds."""
    window, session = _start(qtbot, existing, tmp_path)
    assert session.report is not None and not session.checked
    total = _derived_key(session)
    assert (
        session.shown_value(total) == all_values(session.report.format, session.report.cells)[total]
    )
    assert window.findings.summary.text() == "正在检查…"
    qtbot.waitUntil(lambda: session.checked)
    expected = check(session.report, session.previous, session.others)
    assert expected  # the example has two notes
    assert session.findings == expected
    assert window.findings.list.count() == len(expected)
    errors = sum(f.is_error for f in expected)
    assert window.findings.summary.text().startswith(
        f"{errors}个错误，{len(expected) - errors}个提示"
    )
    shut_down(window)


def test_an_edit_before_the_first_check_is_checked_at_once(
    qtbot, existing: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window, session = _start(qtbot, existing, tmp_path)
    assert not session.checked
    model = requests_model(window)
    assert model.setData(model.index_of(KEY), "999999")
    assert session.report is not None and session.checked
    after_edit = check(session.report, session.previous, session.others)
    assert session.findings == after_edit
    assert window.findings.summary.text() != "正在检查…"
    qtbot.wait(50)  # the check that was waiting finds nothing left to do
    assert session.findings == after_edit and window.findings.list.count() == len(after_edit)
    shut_down(window)
