"""Getting a clerk back to work when the database file is damaged, and 文件 → 从备份恢复.

A damaged file (truncated, overwritten, not a database, made by a newer program) is never
repaired, overwritten or deleted: it is renamed aside, and the clerk chooses between the newest
good backup and a new, empty file.  The backup logic itself is Qt-free (:mod:`model.backups`).
"""

from __future__ import annotations

import logging
import sqlite3
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from model import backups
from model.backups import Backup, BackupError
from model.errors import StoreError

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
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("数据库文件已损坏")
    box.setText(f"{error}\n\n损坏的文件不会被修改或删除，它会被改名保存在原来的文件夹中。")
    buttons = {}
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
    try:
        aside = backups.set_aside(path)
        if choice is Choice.RESTORE and newest is not None:
            backups.restore(newest.path, path)
            done = f"已从{newest.made_at:%Y-%m-%d %H:%M}的备份恢复"
        else:
            done = "已新建空白数据库"
        return open_database(path), f"{done}；损坏的文件已改名保存为“{aside.name}”。"
    except (BackupError, StoreError) as failure:
        QMessageBox.critical(parent, "无法恢复", str(failure))
        return None, ""


# ---------------------------------------------------------------------------- automatic backups


def back_up_quietly(path: Path) -> str:
    """A backup if the data changed since the last one; a message only if it failed."""
    try:
        backups.backup_if_changed(path)
    except (BackupError, OSError, sqlite3.Error) as error:  # e.g. a damaged row, a lock
        log.warning("automatic backup failed: %s", error)
        return f"自动备份失败：{error}"
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
        for backup in self.backups:
            item = QTreeWidgetItem(
                [
                    f"{backup.made_at:%Y-%m-%d %H:%M:%S}",
                    KINDS.get(backup.kind, "升级前的数据"),
                    backup.description,
                ]
            )
            if not backup.good:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.list.addTopLevelItem(item)
        self.list.resizeColumnToContents(0)
        self.list.resizeColumnToContents(1)
        good = [i for i, b in enumerate(self.backups) if b.good]
        if good:
            self.list.setCurrentItem(self.list.topLevelItem(good[0]))
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
        index = self.list.indexOfTopLevelItem(self.list.currentItem())
        return self.backups[index] if 0 <= index < len(self.backups) else None


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
        window.show_refusal("还有未能保存的修改，暂时不能恢复备份。")
        return False
    from model.db import open_database

    path = session.path
    session.close()
    try:
        safety = backups.restore(chosen.path, path)
    except BackupError as error:
        QMessageBox.critical(window, "无法恢复", str(error))
        safety = None
        chosen = None  # type: ignore[assignment]
    try:
        session.replace_database(open_database(path))
    except StoreError as error:
        QMessageBox.critical(window, "无法打开数据库", str(error))
        return False
    window.open_initial_report()
    if chosen is None:
        return False
    saved = f"恢复前的数据已另存为“{safety.name}”。" if safety else ""
    window.show_recovered(f"已从{chosen.made_at:%Y-%m-%d %H:%M:%S}的备份恢复。{saved}")
    return True
