"""The window when things go wrong: a refusing disk, a locked or damaged file, a second copy,
an unexpected exception.  Running as root, chmod does not stop writes, so refusals are made
real where they can be (another program's lock) and monkeypatched where they cannot."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui import crash, recovery
from gui.app import open_database, shut_down
from gui.main_window import MainWindow
from gui.settings import Settings
from gui.single_instance import InstanceGuard, lock_path
from model import backups, ops
from model import db as db_module
from model.datafile import read_datafile
from model.db import Database, DatabaseError
from model.db import open_database as open_db

from .conftest import EXAMPLE, requests_model
from .test_open_file import answer, knock

pytestmark = pytest.mark.gui
KEY = "requests.new.natural"


def _stored(reader: Database, key: str) -> object:
    return ops.load_report(reader, 1).cells.get(key)


# ---------------------------------------------------------------------------- a refusing disk


def test_an_edit_the_disk_refuses_is_kept_shown_and_saved_when_it_can(
    qtbot, filled: MainWindow, reader: Database, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    session, model = filled.session, requests_model(filled)
    assert session is not None
    real = ops.set_cells

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise DatabaseError("磁盘空间不足，无法写入数据库“gui.sqlite3”。请清理磁盘后重试。")

    monkeypatch.setattr(ops, "set_cells", full_disk)
    index = model.index_of(KEY)
    assert model.setData(index, "4321")
    assert session.pending_cells == {KEY: 4321}
    assert model.data(index) == "4321"  # still shown as typed
    assert model.data(index, Qt.ItemDataRole.BackgroundRole).color().name() == "#ffb74d"
    assert "尚未保存" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "磁盘空间不足" in filled.message.text() and "自动重试" in filled.message.text()
    assert _stored(reader, KEY) != 4321
    assert model.setData(model.index_of("requests.new.legal"), "7")  # queued behind it
    monkeypatch.setattr(ops, "set_cells", real)
    session.retry_timer.setInterval(20)
    with qtbot.waitSignal(session.recovered, timeout=3000) as told:
        pass
    assert "2处修改现已全部保存" in told.args[0]
    assert session.pending_cells == {}
    assert _stored(reader, KEY) == 4321 and _stored(reader, "requests.new.legal") == 7
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is None or (
        model.data(index, Qt.ItemDataRole.BackgroundRole).color().name() != "#ffb74d"
    )
    session.undo_stack.undo()  # the recovered edits are one undo step
    assert _stored(reader, KEY) != 4321


def test_a_file_locked_by_another_program_keeps_the_edit_until_it_is_free(
    qtbot, filled: MainWindow, db_path: Path, reader: Database, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    session, model = filled.session, requests_model(filled)
    assert session is not None
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 50)
    session.db.engine.dispose()  # new connections wait 50 ms, not 5 s
    with closing(sqlite3.connect(db_path, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        assert model.setData(model.index_of(KEY), "55")
        assert session.pending_cells == {KEY: 55}
        assert "占用" in filled.message.text()
        assert not session.retry_pending()
        other.execute("ROLLBACK")
    assert session.retry_pending()
    assert _stored(reader, KEY) == 55


def test_closing_with_unsaved_edits_asks_first(qtbot, filled: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    session = filled.session
    assert session is not None

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise DatabaseError("磁盘空间不足")

    monkeypatch.setattr(ops, "set_cells", full_disk)
    monkeypatch.setattr(ops, "set_text", full_disk)
    assert session.set_text("overview", "新写的总体情况")
    assert session.pending_texts == {"overview": "新写的总体情况"}
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.text()) or 0)
    filled.close()  # clickedButton() is None: cancelled
    assert filled.isVisible() and "1处修改" in asked[0]


# ---------------------------------------------------------------------------- exports


def test_an_export_that_cannot_replace_the_old_file_offers_another_name(
    filled: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out" / "报告.nianbao.json"
    out.parent.mkdir()
    out.write_text('{"an earlier export": "open in another program"}', encoding="utf-8")
    real_replace = os.replace

    def locked(source, target):  # type: ignore[no-untyped-def]
        if Path(target) == out:
            raise PermissionError(13, "Permission denied")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", locked)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes,
    )
    filled.export_file()
    assert "报告 (2).nianbao.json" in asked[0]
    assert out.read_text(encoding="utf-8") == '{"an earlier export": "open in another program"}'
    other = out.with_name("报告 (2).nianbao.json")
    assert read_datafile(other.read_bytes()).agency == "古城回族乡人民政府"
    assert sorted(p.name for p in out.parent.iterdir()) == [other.name, out.name]  # no temp


def test_an_export_into_a_folder_that_refuses_says_so(
    filled: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    def read_only(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "x.json"), "")
    )
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    filled.export_file()
    assert "无法在" in warned[0] and not (tmp_path / "x.json").exists()


def test_the_suggested_export_name_never_carries_a_path(filled: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert filled.session is not None
    filled.session.rename("../../上级/机关")
    offered: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: offered.append(a[2]) or ("", "")
    )
    filled.export_file()
    assert "/" not in offered[0] and "\\" not in offered[0] and not offered[0].startswith(".")


# ---------------------------------------------------------------------------- damaged files


def _damaged_with_backup(db_path: Path) -> bytes:
    with open_db(db_path) as db:
        ops.save_report(db, read_datafile(EXAMPLE.read_bytes()), replace=False)
    backups.make_backup(db_path)
    db_path.write_bytes(db_path.read_bytes()[:3000])
    for companion in ("-wal", "-shm"):
        db_path.with_name(db_path.name + companion).unlink(missing_ok=True)
    return db_path.read_bytes()


def _fresh_window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.mark.parametrize("choice", list(recovery.Choice))
def test_a_damaged_database_offers_a_backup_a_new_file_or_quitting(
    qtbot, tmp_path: Path, monkeypatch, choice: recovery.Choice
) -> None:  # type: ignore[no-untyped-def]
    db_path = tmp_path / "damaged.sqlite3"
    damaged = _damaged_with_backup(db_path)
    shown: list[str] = []
    monkeypatch.setattr(
        recovery, "choose", lambda parent, path, error, newest: shown.append(error) or choice
    )
    win = _fresh_window(qtbot, tmp_path)
    opened = open_database(win, db_path)
    assert "已损坏" in shown[0]
    aside = [p for p in tmp_path.iterdir() if ".damaged-" in p.name and p.suffix != ".sqlite3-wal"]
    aside = [p for p in aside if not p.name.endswith(("-wal", "-shm"))]
    if choice is recovery.Choice.QUIT:
        assert not opened and not aside and db_path.read_bytes() == damaged
        return
    assert opened and win.session is not None
    assert [p.read_bytes() for p in aside] == [damaged]  # untouched, renamed aside
    assert "改名保存" in win.message.text()
    agencies = [s.agency for s in win.session.reports()]
    assert agencies == (["古城回族乡人民政府"] if choice is recovery.Choice.RESTORE else [])
    win.session.close()


# ---------------------------------------------------------------------------- backups


def test_backups_at_start_and_at_exit_and_restoring_one(
    qtbot, filled: MainWindow, db_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    session = filled.session
    assert session is not None
    [at_start] = backups.list_backups(db_path)  # the new file, before the import
    assert at_start.reports == ()
    model = requests_model(filled)
    model.setData(model.index_of(KEY), "11")
    shut_down(filled)  # at exit
    first, _ = backups.list_backups(db_path)
    session.replace_database(open_db(db_path))
    filled.open_initial_report()
    model.setData(model.index_of(KEY), "99")
    dialog = recovery.RestoreDialog(db_path, filled)
    assert dialog.list.topLevelItemCount() == 2
    assert "古城回族乡人民政府 2019年" in dialog.list.topLevelItem(0).text(2)
    assert dialog.chosen() == first
    assert recovery.restore_into(filled, first)
    assert session.input_value(KEY) == 11
    assert "恢复前的数据已另存为" in filled.statusBar().currentMessage()
    kinds = sorted(b.kind for b in backups.list_backups(db_path))
    assert kinds == ["auto", "auto", "before-restore"]


# ---------------------------------------------------------------------------- a second copy


def test_a_second_copy_is_refused_and_wakes_the_first(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db_path = tmp_path / "one.sqlite3"
    first, second = InstanceGuard(db_path), InstanceGuard(db_path)
    assert first.acquire()
    first.listen()  # as the window does once it has painted
    assert lock_path(db_path).exists()
    assert not second.acquire()
    with qtbot.waitSignal(first.activated, timeout=10000):
        child = knock(db_path)
    qtbot.waitUntil(lambda: child.poll() is not None, timeout=10000)
    assert answer(child) == "True"
    first.release()
    assert second.acquire()
    second.release()


def test_a_second_copy_started_while_the_first_starts_is_answered(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The clerk double-clicks the shortcut twice: the second copy knocks before the first
    listens (it does once its database is open for writing) and keeps knocking until it does."""
    db_path = tmp_path / "starting.sqlite3"
    first = InstanceGuard(db_path)
    assert first.acquire()
    child = knock(db_path)
    qtbot.wait(700)  # the first copy still opening its database
    assert child.poll() is None  # still knocking, not refused
    with qtbot.waitSignal(first.activated, timeout=10000):
        first.listen()
    qtbot.waitUntil(lambda: child.poll() is not None, timeout=10000)
    assert answer(child) == "True"
    first.release()


def test_a_lock_left_by_a_killed_program_does_not_block(tmp_path: Path) -> None:
    db_path = tmp_path / "crashed.sqlite3"
    holder = (
        "import sys, time\n"
        "from PySide6.QtCore import QLockFile\n"
        "lock = QLockFile(sys.argv[1]); lock.setStaleLockTime(0)\n"
        "print(lock.tryLock(0), flush=True); time.sleep(60)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", holder, str(lock_path(db_path))], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "True"
    assert not InstanceGuard(db_path).acquire()
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    guard = InstanceGuard(db_path)
    assert guard.acquire()
    guard.release()


# ---------------------------------------------------------------------------- crashes


@pytest.mark.qt_no_exception_capture
def test_an_unexpected_exception_is_logged_shown_and_the_program_goes_on(
    qtbot, filled: MainWindow, reader: Database, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.delenv(crash.NO_DIALOG_ENV, raising=False)
    shown: list[str] = []
    monkeypatch.setattr(crash, "show_dialog", lambda text: shown.append(text))
    log_file = crash.install(tmp_path, dialogs=True)

    def broken_slot() -> None:
        raise ZeroDivisionError("意外")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    assert "ZeroDivisionError: 意外" in shown[0] and "程序错误报告" in shown[0]
    worker = threading.Thread(target=broken_slot, name="导出线程")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=3000)
    assert "导出线程" in shown[1]
    model = requests_model(filled)  # the window goes on, and edits are saved
    assert model.setData(model.index_of(KEY), "8")
    assert _stored(reader, KEY) == 8
    text = log_file.read_text(encoding="utf-8")
    assert text.count("ZeroDivisionError: 意外") == 2
    import logging

    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "baseFilename", None) == str(log_file):
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_the_crash_dialog_offers_the_report_to_copy(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QPushButton

    dialog = crash.CrashDialog("报告内容")
    qtbot.addWidget(dialog)
    assert dialog.report.toPlainText() == "报告内容"
    [copy] = [b for b in dialog.findChildren(QPushButton) if b.text() == "复制报告"]
    copy.click()
    assert QGuiApplication.clipboard().text() == "报告内容"
    assert not QModelIndex().isValid()
