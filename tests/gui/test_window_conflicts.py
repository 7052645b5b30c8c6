"""Saved data the window must not lose (issue 12): writes over newer data, refused title and
signature edits, a newer or deleted database, names shown as rich text, the lock on a file's
real identity, and a frozen first window."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import QApplication, QMessageBox

from gui import recovery
from gui.app import open_database, shut_down
from gui.main_window import MainWindow
from gui.settings import Settings
from gui.single_instance import InstanceGuard, lock_path, refusal_message
from model import backups, ops
from model.datafile import read_datafile
from model.db import Database, DatabaseError
from model.db import open_database as open_db
from model.dblock import DatabaseLock

from .conftest import EXAMPLE, requests_model

pytestmark = pytest.mark.gui
KEY = "requests.new.natural"
AMOUNT = "art20_9.procurement.amount"
ORANGE = "#ffb74d"


def _stored(reader: Database) -> object:
    return ops.load_report(reader, 1)


# ---------------------------------------------------------------------------- D1: stale writes


def test_a_keystroke_never_writes_the_window_s_old_text_over_newer_text(
    qtbot, filled: MainWindow, reader: Database
) -> None:  # type: ignore[no-untyped-def]
    """Another program (an import --replace, another window) changed 前言; one key typed in
    the window's stale copy must not write that copy back."""
    editor = filled.pages["basic"].preamble  # type: ignore[attr-defined]
    filled.tabs.setCurrentWidget(filled.pages["basic"])
    editor.setFocus()
    ops.set_text(reader, 1, "preamble", "县里下发的新前言")
    ops.set_cell(reader, 1, "art20_9.procurement.projects", 42)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insertPlainText("x")
    stored = _stored(reader)
    assert stored.texts["preamble"] == "县里下发的新前言"  # type: ignore[attr-defined]
    assert editor.toPlainText() == "县里下发的新前言"  # the window shows what is stored now
    assert "已被其他窗口或程序修改" in filled.message.text()
    assert "重新读取" in filled.message.text()
    # The focus stays where the clerk types (not moved to 单位名称, which would take the
    # next keystrokes).
    assert QApplication.focusWidget() is editor
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insertPlainText("，补充")  # from the fresh copy, typing saves again
    assert _stored(reader).texts["preamble"].endswith("，补充")  # type: ignore[attr-defined]
    assert filled.session is not None
    assert filled.session.input_value("art20_9.procurement.projects") == 42


def test_a_cell_and_its_undo_never_replace_a_value_written_elsewhere(
    qtbot, filled: MainWindow, reader: Database
) -> None:  # type: ignore[no-untyped-def]
    session, model = filled.session, requests_model(filled)
    assert session is not None
    assert model.setData(model.index_of(KEY), "5")
    session.undo_stack.undo()  # undo and redo work as before
    session.undo_stack.redo()
    assert _stored(reader).cells[KEY] == 5  # type: ignore[attr-defined]
    ops.set_cell(reader, 1, KEY, 77)  # another program
    session.undo_stack.undo()
    assert _stored(reader).cells[KEY] == 77  # type: ignore[attr-defined]
    assert model.data(model.index_of(KEY)) == "77"
    assert "已被其他窗口或程序修改" in filled.message.text()
    ops.set_cell(reader, 1, KEY, 88)
    assert not model.setData(model.index_of(KEY), "6")
    assert _stored(reader).cells[KEY] == 88  # type: ignore[attr-defined]
    assert model.data(model.index_of(KEY)) == "88"
    assert model.setData(model.index_of(KEY), "6")  # now it has seen 88
    assert _stored(reader).cells[KEY] == 6  # type: ignore[attr-defined]


def test_a_title_changed_elsewhere_is_reloaded_not_overwritten(
    qtbot, filled: MainWindow, reader: Database
) -> None:  # type: ignore[no-untyped-def]
    basic = filled.pages["basic"]
    ops.set_title(reader, 1, "别处改的标题")
    basic.title.setText("窗口里的标题")  # type: ignore[attr-defined]
    basic.title.editingFinished.emit()  # type: ignore[attr-defined]
    assert _stored(reader).title == "别处改的标题"  # type: ignore[attr-defined]
    assert basic.title.text() == "别处改的标题"  # type: ignore[attr-defined]
    assert "标题已被其他窗口或程序修改" in filled.message.text()


# ---------------------------------------------------------------------------- D2: full disk


def test_title_signature_and_unit_refused_by_a_full_disk_are_kept_shown_and_saved(
    qtbot, filled: MainWindow, reader: Database, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    session = filled.session
    assert session is not None
    basic, active = filled.pages["basic"], filled.pages["active"]
    real = {name: getattr(ops, name) for name in ("set_title", "set_signature", "set_unit")}

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise DatabaseError("磁盘空间不足，无法写入数据库“gui.sqlite3”。请清理磁盘后重试。")

    for name in real:
        monkeypatch.setattr(ops, name, full_disk)
    before = _stored(reader)
    basic.title.setText("古城回族乡2019年政府信息公开工作年度报告（修订稿）")  # type: ignore[attr-defined]
    basic.title.editingFinished.emit()  # type: ignore[attr-defined]
    basic.signature.setText("古城回族乡人民政府办公室")  # type: ignore[attr-defined]
    basic.signature.editingFinished.emit()  # type: ignore[attr-defined]
    assert session.set_unit(AMOUNT, "元")
    assert session.pending_count == 3
    assert "磁盘空间不足" in filled.message.text() and "3处修改尚未保存" in filled.message.text()
    assert ORANGE in basic.title.styleSheet() and ORANGE in basic.signature.styleSheet()  # type: ignore[attr-defined]
    assert "尚未保存" in basic.title.toolTip()  # type: ignore[attr-defined]
    box = active._unit_boxes[AMOUNT]  # type: ignore[attr-defined]
    assert box.currentText() == "元" and ORANGE in box.styleSheet()
    after = _stored(reader)
    assert (after.title, after.signature_agency, after.units) == (  # type: ignore[attr-defined]
        before.title,  # type: ignore[attr-defined]
        before.signature_agency,  # type: ignore[attr-defined]
        before.units,  # type: ignore[attr-defined]
    )
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.text()) or 0)
    filled.close()  # closing warns while any is pending
    assert filled.isVisible() and "3处修改" in asked[0]
    assert not session.open(None) and session.report is not None  # nor switching away
    for name, function in real.items():
        monkeypatch.setattr(ops, name, function)
    session.retry_timer.setInterval(20)
    with qtbot.waitSignal(session.recovered, timeout=3000) as told:
        pass
    assert "3处修改现已全部保存" in told.args[0]
    stored = _stored(reader)
    assert stored.title == "古城回族乡2019年政府信息公开工作年度报告（修订稿）"  # type: ignore[attr-defined]
    assert stored.signature_agency == "古城回族乡人民政府办公室"  # type: ignore[attr-defined]
    assert stored.units[AMOUNT] == "元"  # type: ignore[attr-defined]
    assert ORANGE not in basic.title.styleSheet() and ORANGE not in box.styleSheet()  # type: ignore[attr-defined]
    session.undo_stack.undo()  # one undo step, as for cells
    assert _stored(reader).title == before.title  # type: ignore[attr-defined]


def test_a_kept_edit_is_not_written_over_a_value_changed_meanwhile(
    qtbot, filled: MainWindow, reader: Database, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    session = filled.session
    assert session is not None
    real = ops.set_signature

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise DatabaseError("磁盘空间不足")

    monkeypatch.setattr(ops, "set_signature", full_disk)
    assert session.set_signature("窗口的落款", dt.date(2020, 1, 20))
    monkeypatch.setattr(ops, "set_signature", real)
    ops.set_signature(reader, 1, "别处的落款", None)
    assert session.retry_pending()
    assert _stored(reader).signature_agency == "别处的落款"  # type: ignore[attr-defined]
    assert session.report is not None and session.report.signature_agency == "别处的落款"
    assert "落款已被其他窗口或程序修改" in filled.message.text()
    assert not session.has_pending


def test_kept_typing_that_a_newer_text_keeps_out_is_put_on_the_clipboard(
    qtbot, filled: MainWindow, reader: Database, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The clerk's text, waiting for the disk, meets a newer one: the newer stays stored and
    the clerk's words are not lost — they are on the clipboard, and the message says so."""
    session = filled.session
    assert session is not None
    real = ops.set_text

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise DatabaseError("磁盘空间不足")

    monkeypatch.setattr(ops, "set_text", full_disk)
    assert session.set_text("preamble", "窗口里写了很久的前言")
    monkeypatch.setattr(ops, "set_text", real)
    ops.set_text(reader, 1, "preamble", "县里下发的新前言")
    assert session.retry_pending()
    assert _stored(reader).texts["preamble"] == "县里下发的新前言"  # type: ignore[attr-defined]
    assert QGuiApplication.clipboard().text() == "窗口里写了很久的前言"
    assert "已复制到剪贴板" in filled.message.text()
    assert filled.message.toolTip() == filled.message.text()  # all of it, if the bar is narrow
    assert not session.has_pending


# ---------------------------------------------------------------------------- D5: newer file


def _with_backup(db_path: Path) -> None:
    with open_db(db_path) as db:
        ops.save_report(db, read_datafile(EXAMPLE.read_bytes()), replace=False)
    backups.make_backup(db_path)


def _fresh_window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    win.show()
    return win


def test_a_database_from_a_newer_program_is_not_called_damaged_nor_replaced(
    qtbot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    db_path = tmp_path / "newer.sqlite3"
    _with_backup(db_path)
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()
    before = _files(tmp_path)
    said: list[str] = []
    monkeypatch.setattr(recovery, "refuse_newer", lambda parent, error: said.append(error))
    monkeypatch.setattr(recovery, "choose", lambda *a: pytest.fail("offered to replace it"))
    win = _fresh_window(qtbot, tmp_path)
    assert not open_database(win, db_path)
    assert "更新版本" in said[0] and "已损坏" not in said[0]
    assert _files(tmp_path) == before  # not set aside, no backup restored over it
    assert len(backups.list_backups(db_path)) == 1


def _files(folder: Path) -> dict[str, bytes]:
    """The files of a folder (SQLite's empty -wal and -shm of a reader aside)."""
    return {
        p.name: p.read_bytes()
        for p in folder.iterdir()
        if p.is_file() and not p.name.endswith(("-wal", "-shm", ".ini"))
    }


def test_the_newer_file_dialog_offers_only_to_quit(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    recovery.refuse_newer(None, "数据库文件由更新版本的政务公开年报写入")
    [box] = shown
    assert [b.text() for b in box.buttons()] == ["退出"]
    assert "损坏" not in box.windowTitle() and box.textFormat() == Qt.TextFormat.PlainText


# ---------------------------------------------------------------------------- D16: file deleted


def test_a_database_deleted_under_the_window_is_noticed_and_not_recreated(
    qtbot, filled: MainWindow, db_path: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    session, model = filled.session, requests_model(filled)
    assert session is not None
    offered: list[str] = []
    monkeypatch.setattr(recovery, "database_gone", lambda window, message: offered.append(message))
    backups.make_backup(db_path)  # as the last exit did
    shut_down_backups = len(backups.list_backups(db_path))
    for suffix in ("", "-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    assert model.setData(model.index_of(KEY), "31")  # kept, not written anywhere
    assert session.pending_cells == {KEY: 31} and session.database_gone
    assert model.data(model.index_of(KEY)) == "31"
    assert "已被删除" in filled.message.text()
    qtbot.waitUntil(lambda: bool(offered), timeout=3000)  # the window offers the way out
    assert "从备份恢复" in offered[0] and "导出数据文件" in offered[0]
    assert not session.retry_pending()
    assert session.reports() == [] and session.latest_report() is None  # reads refused too
    assert not db_path.exists()  # no empty database made in its place
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.text()) or 0)
    filled.close()
    assert "1处修改" in asked[0]
    shut_down(filled)  # the exit backup is not of an empty file
    assert not db_path.exists()
    assert len(backups.list_backups(db_path)) == shut_down_backups
    # The next start offers the backups instead of an empty program.
    monkeypatch.setattr(
        recovery, "choose_missing", lambda parent, path, newest: recovery.Choice.RESTORE
    )
    again = _fresh_window(qtbot, tmp_path)
    assert open_database(again, db_path)
    assert again.session is not None
    assert [s.agency for s in again.session.reports()] == ["古城回族乡人民政府"]
    again.session.close()


def test_restoring_a_backup_after_the_file_was_deleted(
    qtbot, filled: MainWindow, db_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    session, model = filled.session, requests_model(filled)
    assert session is not None
    monkeypatch.setattr(recovery, "database_gone", lambda window, message: None)
    backups.make_backup(db_path)
    [backup] = [b for b in backups.list_backups(db_path) if b.reports]
    for suffix in ("", "-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    assert model.setData(model.index_of(KEY), "31")
    assert recovery.restore_into(filled, backup)  # the window's conftest answers 是
    assert not session.database_gone and not session.has_pending
    assert model.setData(model.index_of(KEY), "32")
    with open_db(db_path) as db:
        assert ops.load_report(db, 1).cells[KEY] == 32


# ---------------------------------------------------------------------------- D13: plain text


def test_a_name_from_a_data_file_is_shown_as_written_in_the_question(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    agency = "注入测试乡<script>alert(1)</script><b>另一个乡</b>"
    source = EXAMPLE.read_text(encoding="utf-8").replace("古城回族乡人民政府", agency)
    data_file = tmp_path / "i.nianbao.json"
    data_file.write_text(source, encoding="utf-8")
    assert window.session is not None
    window.import_file(data_file)
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No
    )
    window.import_file(data_file)
    shown = QTextDocument()
    shown.setHtml(asked[0])  # as the message box renders it
    assert f"已有“{agency}”2019年的报告" in shown.toPlainText()
    window.delete_action.trigger()
    shown.setHtml(asked[1])
    assert f"确定要删除“{agency}”2019年的报告吗" in shown.toPlainText()


# ---------------------------------------------------------------------------- the lock


def test_a_link_to_the_same_file_is_the_same_database(tmp_path: Path) -> None:
    db_path = tmp_path / "g.sqlite3"
    with open_db(db_path):
        pass
    alias = tmp_path / "alias.sqlite3"
    alias.symlink_to(db_path)
    other = tmp_path / "elsewhere"
    other.mkdir()
    hard = other / "hard.sqlite3"
    os.link(db_path, hard)
    first = InstanceGuard(db_path)
    assert first.acquire()
    for spelling in (alias, hard, tmp_path / "elsewhere" / ".." / "g.sqlite3"):
        assert not InstanceGuard(spelling).acquire(), spelling
    first.release()
    second = InstanceGuard(hard)
    assert second.acquire()
    assert not InstanceGuard(db_path).acquire()
    second.release()


def test_a_lock_file_naming_a_live_process_does_not_block(tmp_path: Path) -> None:
    """D15: a lock file left by a crash whose process id now belongs to another program."""
    db_path = tmp_path / "db.sqlite3"
    lock_path(db_path).write_text(f"{os.getpid()}\npython3.11\nhost\n", encoding="utf-8")
    guard = InstanceGuard(db_path)
    assert guard.acquire()
    guard.release()


def test_a_lock_held_by_a_killed_program_does_not_block(tmp_path: Path) -> None:
    db_path = tmp_path / "crashed.sqlite3"
    holder = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from model.dblock import DatabaseLock\n"
        "lock = DatabaseLock(Path(sys.argv[1]))\n"
        "print(lock.acquire(), flush=True); time.sleep(60)\n"
    )
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c", holder, str(db_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "True"
    assert not DatabaseLock(db_path).acquire()
    child.kill()
    child.wait()
    child.stdout.close()
    lock = DatabaseLock(db_path)
    assert lock.acquire()
    lock.release()


# ---------------------------------------------------------------------------- D20: frozen window


def test_a_first_window_that_does_not_answer_is_not_said_to_have_switched(
    qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db_path = tmp_path / "frozen.sqlite3"
    first, second = InstanceGuard(db_path), InstanceGuard(db_path)
    assert first.acquire()
    first.listen()
    # This thread does not turn the first window's event loop while it waits: frozen.
    assert not second.wake_first(reply_ms=300)
    message = refusal_message(db_path, woke=False)
    assert "已切换" not in message and "没有应答" in message
    assert "已切换到那个窗口" in refusal_message(db_path, woke=True)
    first.release()
