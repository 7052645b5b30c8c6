"""Getting a clerk back to work when the database file is damaged, missing or newer, and
文件 → 从备份恢复.

A damaged file (truncated, overwritten, not a database) is never repaired, overwritten or
deleted: it is renamed aside, and the clerk chooses between the newest good backup and a new,
empty file.  A file written by a newer version of the program is not damaged: it is left exactly
as it is and the only offer is to quit.  A database deleted since the last run (its backups are
still there) is not silently replaced by an empty one, and one deleted or replaced while the
window runs is noticed before the next write (:class:`gui.session.ReportSession`).  The backup
logic itself is Qt-free (:mod:`model.backups`).  Every text that may hold a name or a path is
shown as plain text.
"""

from __future__ import annotations

import logging
import sqlite3
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.dialogs import attempt, succeeded
from model import backups
from model.backups import Backup, BackupError
from model.errors import os_reason, sqlite_reason
from model.paths import BACKUP_DIR_NAME

if TYPE_CHECKING:
    from gui.main_window import MainWindow
    from model.db import Database

log = logging.getLogger(__name__)

KINDS = {"auto": "自动备份", "before-restore": "恢复前的数据"}


class Choice(Enum):
    RESTORE = "restore"
    NEW_FILE = "new"
    QUIT = "quit"


# ---------------------------------------------------------------------------- a broken file


def choose(parent: QWidget | None, path: Path, error: str, newest: Backup | None) -> Choice:
    """Ask what to do with a damaged database (tests replace this function)."""
    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("数据库文件已损坏")
    box.setText(f"{error}\n\n损坏的文件不会被修改或删除，它会被改名保存在原来的文件夹中。")
    buttons: dict[QAbstractButton, Choice] = {}
    if newest is not None:
        box.setInformativeText(
            f"最近的完好备份：{newest.made_at:%Y-%m-%d %H:%M}，{newest.description}"
        )
        buttons[box.addButton("恢复最近的备份", QMessageBox.ButtonRole.AcceptRole)] = Choice.RESTORE
    else:
        box.setInformativeText("没有找到可用的备份。")
    buttons[box.addButton("新建空白数据库", QMessageBox.ButtonRole.ActionRole)] = Choice.NEW_FILE
    buttons[box.addButton("退出", QMessageBox.ButtonRole.RejectRole)] = Choice.QUIT
    box.exec()
    return buttons.get(box.clickedButton(), Choice.QUIT)


def recover(parent: QWidget | None, path: Path, error: str) -> tuple[Database | None, str]:
    """The database after the clerk's choice (None: quit), and what was done, in words."""
    from model.db import open_database

    newest = backups.newest_good_backup(path)
    choice = choose(parent, path, error, newest)
    if choice is Choice.QUIT:
        return None, ""

    def set_aside_and_open() -> tuple[Database, str]:
        aside = backups.set_aside(path)
        if choice is Choice.RESTORE and newest is not None:
            backups.restore(newest.path, path)
            done = f"已从{newest.made_at:%Y-%m-%d %H:%M}的备份恢复"
        else:
            done = "已新建空白数据库"
        return open_database(path), f"{done}；损坏的文件已改名保存为“{aside.name}”。"

    return attempt(parent, "无法恢复", set_aside_and_open) or (None, "")


# ---------------------------------------------------------------------------- a newer file


def refuse_newer(parent: QWidget | None, error: str) -> None:
    """A database from a newer version of the program: say so; the only button quits (the
    file is never set aside nor replaced by a backup, which would lose everything since)."""
    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("需要更新版本的程序")
    box.setText(error)
    box.setInformativeText("程序将退出。数据库文件保持原样，用新版本的程序可以照常打开。")
    box.addButton("退出", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


# ---------------------------------------------------------------------------- a missing file


def choose_missing(parent: QWidget | None, path: Path, newest: Backup) -> Choice:
    """Ask what to do when the database is gone but backups of it are there (tests replace
    this function)."""
    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("找不到数据库文件")
    box.setText(
        f"找不到数据库文件“{path}”（可能已被删除或移走），但它的文件夹中有备份。\n"
        f"最近的完好备份：{newest.made_at:%Y-%m-%d %H:%M}，{newest.description}"
    )
    buttons: dict[QAbstractButton, Choice] = {
        box.addButton("恢复最近的备份", QMessageBox.ButtonRole.AcceptRole): Choice.RESTORE,
        box.addButton("新建空白数据库", QMessageBox.ButtonRole.ActionRole): Choice.NEW_FILE,
        box.addButton("退出", QMessageBox.ButtonRole.RejectRole): Choice.QUIT,
    }
    box.exec()
    return buttons.get(box.clickedButton(), Choice.QUIT)


def missing_with_backups(parent: QWidget | None, path: Path) -> bool:
    """Before opening: a database that is gone while its backups are not is not replaced by
    an empty one without asking.  False: the clerk chose to quit."""
    if path.exists() or not (path.parent / BACKUP_DIR_NAME).is_dir():
        return True
    newest = backups.newest_good_backup(path)
    if newest is None:
        return True
    choice = choose_missing(parent, path, newest)
    if choice is Choice.QUIT:
        return False
    if choice is Choice.RESTORE:
        return succeeded(parent, "无法恢复", lambda: backups.restore(newest.path, path))
    return True


def database_gone(window: MainWindow, message: str) -> None:
    """The file was deleted or replaced under the open window: the window's copy is kept
    (the edits wait, in orange); offer to save it elsewhere or to restore a backup."""
    box = QMessageBox(window)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("数据库文件不见了")
    box.setText(message)
    export = box.addButton("导出数据文件…", QMessageBox.ButtonRole.AcceptRole)
    restore = box.addButton("从备份恢复…", QMessageBox.ButtonRole.ActionRole)
    box.addButton("稍后处理", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is export:
        succeeded(window, "导出数据文件", window.export_file)
    elif box.clickedButton() is restore:
        restore_from_backup(window)


# ---------------------------------------------------------------------------- automatic backups


def back_up_quietly(path: Path) -> str:
    """A backup if the data changed since the last one; a message only if it failed."""
    try:
        backups.backup_if_changed(path)
    except BackupError as error:  # its message is the clerk's already
        log.warning("automatic backup failed: %s", error)
        return f"自动备份失败：{error}"
    except OSError as error:
        log.warning("automatic backup failed: %s", error)
        return f"自动备份失败：{os_reason(error)}"
    except sqlite3.Error as error:  # e.g. a damaged row, a lock
        log.warning("automatic backup failed: %s", error)
        return f"自动备份失败：{sqlite_reason(error)}"
    return ""


# ---------------------------------------------------------------------------- 从备份恢复


class RestoreDialog(QDialog):
    """The backups of a database with their reports and times; the chosen one is restored."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("从备份恢复")
        self.resize(760, 420)
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["备份时间", "类型", "其中的报告"])
        self.list.setRootIsDecorated(False)
        self.backups = backups.list_backups(db_path)
        items = [_item(backup) for backup in self.backups]
        self.list.addTopLevelItems(items)
        self.list.resizeColumnToContents(0)
        self.list.resizeColumnToContents(1)
        good = [i for i, b in enumerate(self.backups) if b.good]
        if good:
            self.list.setCurrentItem(items[good[0]])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton("恢复所选备份", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setEnabled(bool(good))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = "恢复前，当前的数据会先另存为一个备份（类型为“恢复前的数据”），可以再恢复回来。"
        layout.addWidget(QLabel(note if self.backups else "还没有备份。"))
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def chosen(self) -> Backup | None:
        item = self.list.currentItem()
        index = -1 if item is None else self.list.indexOfTopLevelItem(item)
        return self.backups[index] if 0 <= index < len(self.backups) else None


def _item(backup: Backup) -> QTreeWidgetItem:
    """A backup's line in the list; a damaged backup is shown but cannot be chosen."""
    item = QTreeWidgetItem(
        [
            f"{backup.made_at:%Y-%m-%d %H:%M:%S}",
            KINDS.get(backup.kind, "升级前的数据"),
            backup.description,
        ]
    )
    if not backup.good:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
    return item


def restore_from_backup(window: MainWindow) -> bool:
    """文件 → 从备份恢复: choose a backup, save the current data, put the backup in place."""
    session = window.session
    assert session is not None
    dialog = RestoreDialog(session.path, window)
    if dialog.exec() != QDialog.DialogCode.Accepted or (chosen := dialog.chosen()) is None:
        return False
    return restore_into(window, chosen)


def restore_into(window: MainWindow, chosen: Backup) -> bool:
    session = window.session
    assert session is not None
    if session.has_pending and not session.retry_pending():
        if not session.database_gone:
            window.show_refusal("还有未能保存的修改，暂时不能恢复备份。")
            return False
        answer = QMessageBox.question(  # the file is gone: the backup is all there is
            window,
            "从备份恢复",
            f"恢复备份后，窗口中{session.pending_count}处尚未保存的修改将不再保留"
            "（需要的话，请先用“导出数据文件”另存）。要恢复吗？",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
    from model.db import open_database

    path = session.path
    session.close()
    done = attempt(window, "无法恢复", lambda: _restore(chosen, path))
    if not succeeded(
        window, "无法打开数据库", lambda: session.replace_database(open_database(path))
    ):
        return False
    window.open_initial_report()
    if done is None:
        return False
    window.show_recovered(done)
    return True


def _restore(chosen: Backup, path: Path) -> str:
    """Put ``chosen`` in place; what was done, in words."""
    safety = backups.restore(chosen.path, path)
    saved = f"恢复前的数据已另存为“{safety.name}”。" if safety else ""
    return f"已从{chosen.made_at:%Y-%m-%d %H:%M:%S}的备份恢复。{saved}"
