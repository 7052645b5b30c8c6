"""The window on odd databases (issue 12, D8-D10) and the text limit in the window.

A pipe, a device or a folder given as ``--db`` is refused at once in Chinese; a ``--db`` whose
folder cannot be made gives a message, not the crash dialog; a database on read-only media
opens read-only: the report is shown, the window says why it cannot be changed, and edits are
refused with that reason (never kept and retried for ever).  A text over the limit is refused
by name and length, and the editor shows what is stored."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from gui.app import create_application, open_database, shut_down
from gui.main_window import MainWindow
from gui.settings import Settings
from gui.single_instance import InstanceGuard
from model import ops, reads
from model.datafile import read_datafile
from model.db import Database
from model.db import open_database as open_db
from model.dbfile import FileReader
from model.schema import MAX_TEXT

from .conftest import EXAMPLE

pytestmark = pytest.mark.gui
AGENCY = "古城回族乡人民政府"
KEY = "requests.new.natural"


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the critical dialogs said (they never block here)."""
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a, **k: said.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    return said


@pytest.fixture
def new_window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    create_application([])
    window = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


# ---------------------------------------------------------------------------- not a file


@pytest.mark.timeout(30)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_given_as_the_database_is_refused_at_once(
    new_window: MainWindow, told: list[str], tmp_path: Path
) -> None:
    pipe = tmp_path / "pipe.sqlite3"
    os.mkfifo(pipe)
    start = time.perf_counter()
    assert not open_database(new_window, pipe)
    assert time.perf_counter() - start < 5
    assert len(told) == 1 and "是一个设备或管道，不是数据库文件" in told[0]
    assert "设备或管道" in new_window.placeholder.text()
    assert new_window.session is None


@pytest.mark.timeout(30)
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_given_as_the_database_is_refused_at_once(
    new_window: MainWindow, told: list[str]
) -> None:
    assert not open_database(new_window, Path("/dev/zero"))
    assert len(told) == 1 and "设备或管道" in told[0]


def test_a_folder_given_as_the_database_is_refused(
    new_window: MainWindow, told: list[str], tmp_path: Path
) -> None:
    assert not open_database(new_window, tmp_path)
    assert len(told) == 1
    assert f"“{tmp_path}”是一个文件夹，不是数据库文件。请给出数据库文件的路径。" in told[0]


def test_a_database_whose_folder_cannot_be_made_gives_a_message(
    new_window: MainWindow, told: list[str], tmp_path: Path
) -> None:
    """The parent "folder" is a file: the lock and the window both say so, nothing crashes."""
    blocker = tmp_path / "base.db"
    blocker.write_bytes(b"not a folder")
    path = blocker / "sub" / "db.sqlite3"
    guard = InstanceGuard(path)
    try:
        assert guard.acquire()  # the database will say what is wrong, in words
    finally:
        guard.release()
    assert not open_database(new_window, path)
    assert len(told) == 1
    assert f"路径中的“{blocker}”是一个文件，不是文件夹" in told[0]
    assert blocker.read_bytes() == b"not a folder"


# ---------------------------------------------------------------------------- read-only media


def _read_only_folder(source: Path, tmp_path: Path) -> Iterator[Path]:
    """``source`` seen through a read-only mount (root on Linux), or made read-only by its
    permissions (anyone else: only root may write in a folder without write permission)."""
    if sys.platform == "win32":
        pytest.skip("folder permissions do not make a folder read-only on Windows")
    if os.geteuid() != 0:
        source.chmod(0o555)
        try:
            yield source
        finally:
            source.chmod(0o755)
        return
    mounted = tmp_path / "ro"
    mounted.mkdir()
    if subprocess.run(["mount", "--bind", str(source), str(mounted)], check=False).returncode:
        pytest.skip("cannot bind-mount here")
    try:
        remount = ["mount", "-o", "remount,ro,bind", str(mounted)]
        if subprocess.run(remount, check=False).returncode:
            pytest.skip("cannot remount read-only here")
        yield mounted
    finally:
        subprocess.run(["umount", str(mounted)], check=False)


@pytest.fixture
def read_only_db(tmp_path: Path) -> Iterator[Path]:
    """A database holding the example report, on read-only media."""
    source = tmp_path / "stick"
    source.mkdir()
    with open_db(source / "db.sqlite3") as db:
        ops.save_report(db, read_datafile(EXAMPLE.read_bytes()), replace=False)
    assert sorted(p.name for p in source.iterdir()) == ["db.sqlite3"]  # no -wal left
    for folder in _read_only_folder(source, tmp_path):
        yield folder / "db.sqlite3"


def _stored(path: Path) -> object:
    with FileReader(path) as reader, reader.read() as connection:
        return reads.load_report(connection, 1)


@pytest.fixture
def read_only_window(
    qtbot, new_window: MainWindow, told: list[str], read_only_db: Path
) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    assert open_database(new_window, read_only_db)
    yield new_window
    if new_window.session is not None:
        new_window.session.close()


def test_a_database_on_read_only_media_is_shown_and_says_why_it_cannot_change(
    qtbot, read_only_window: MainWindow, read_only_db: Path, told: list[str]
) -> None:  # type: ignore[no-untyped-def]
    window = read_only_window
    session = window.session
    assert session is not None and session.report is not None
    assert session.report.agency == AGENCY  # the report is on screen at once
    qtbot.waitUntil(lambda: session.has_store, timeout=10_000)
    assert told == []
    assert window.windowTitle() == f"{AGENCY} 2019年（只读） — 政务公开年报"
    assert window.read_only_label.isVisible()
    assert window.read_only_label.text() == "只读：不能保存修改"
    message = window.message.text()
    assert "只读" in message and "只能查看和导出，不能保存修改" in message
    assert "自动备份失败" not in message  # no backup is tried beside a read-only file


def test_edits_on_read_only_media_are_refused_with_the_reason_not_retried(
    qtbot, read_only_window: MainWindow, read_only_db: Path
) -> None:  # type: ignore[no-untyped-def]
    """The first edit comes before the database is open for writing: it waits for it, and is
    refused like every later one."""
    window = read_only_window
    session = window.session
    assert session is not None
    before = _stored(read_only_db)
    overview = window.pages["overview"].editor  # type: ignore[attr-defined]
    stored_text = overview.toPlainText()
    overview.setPlainText("这段文字不能保存")
    assert overview.toPlainText() == stored_text  # the editor shows what is stored
    assert "这次修改没有保存" in window.message.text() and "只读" in window.message.text()
    assert "（只读）" in window.windowTitle()
    model = window.pages["requests"].model  # type: ignore[attr-defined]
    old = model.data(model.index_of(KEY))
    assert not model.setData(model.index_of(KEY), "99")
    assert model.data(model.index_of(KEY)) == old
    basic = window.pages["basic"]
    title = basic.title.text()  # type: ignore[attr-defined]
    basic.title.setText("不能保存的标题")  # type: ignore[attr-defined]
    basic.title.editingFinished.emit()  # type: ignore[attr-defined]
    assert basic.title.text() == title == before.title  # type: ignore[attr-defined]
    assert session.pending_count == 0 and not session.retry_timer.isActive()
    assert "这次修改没有保存" in window.message.text()
    assert _stored(read_only_db) == before
    shut_down(window)  # nothing written at exit either
    assert _stored(read_only_db) == before
    assert not (read_only_db.parent / "backups").exists()


# ---------------------------------------------------------------------------- text limit


@pytest.mark.parametrize(("tab", "key", "label"), [("overview", "overview", "总体情况")])
def test_a_text_over_the_limit_is_refused_and_the_stored_text_shown(
    qtbot, filled: MainWindow, reader: Database, tab: str, key: str, label: str
) -> None:  # type: ignore[no-untyped-def]
    editor = filled.pages[tab].editor  # type: ignore[attr-defined]
    before = ops.load_report(reader, 1).text(key)
    assert editor.toPlainText() == before
    editor.setPlainText("字" * (MAX_TEXT + 1))
    assert ops.load_report(reader, 1).text(key) == before
    assert editor.toPlainText() == before
    assert filled.message.text() == f"“{label}”过长（20,001字），最多20,000字，未保存。"
    editor.setPlainText("字" * MAX_TEXT)  # the limit itself is taken
    assert ops.load_report(reader, 1).text(key) == "字" * MAX_TEXT
    assert filled.message.text() == ""


def test_a_text_over_the_limit_is_not_kept_behind_a_full_disk(
    qtbot, filled: MainWindow, reader: Database, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """While edits wait for the disk, a text over the limit is refused, not kept: kept, it
    would be refused at the retry, and the other waiting edits with it."""
    from model.errors import DatabaseError

    session = filled.session
    assert session is not None
    real = ops.set_cells

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise DatabaseError("磁盘空间不足，无法写入数据库“gui.sqlite3”。请清理磁盘后重试。")

    monkeypatch.setattr(ops, "set_cells", full_disk)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: 0)  # a failure must not hang the close
    assert session.set_cell(KEY, 5) and session.pending_count == 1
    editor = filled.pages["problems"].editor  # type: ignore[attr-defined]
    before = editor.toPlainText()
    editor.setPlainText("字" * (MAX_TEXT + 1))
    assert session.pending_count == 1 and editor.toPlainText() == before
    assert "过长" in filled.message.text()
    monkeypatch.setattr(ops, "set_cells", real)
    assert session.retry_pending()
    assert ops.load_report(reader, 1).cells[KEY] == 5
