"""Writing an exported file from the window: atomically, and with another name offered when
the old file cannot be replaced (on Windows, a PDF open in a viewer is locked)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from model.files import FileKind, FileWriteError, free_name, write_atomically

if TYPE_CHECKING:
    from gui.session import ReportSession


def write_file(parent: QWidget | None, path: Path, data: bytes, kind: FileKind) -> Path | None:
    """Where ``data`` was written (``path`` or a name the clerk accepted), or None.  It
    replaces only an earlier export of ``kind``."""
    try:
        write_atomically(path, data, kind)
        return path
    except FileWriteError as error:
        if not error.replace_failed:
            QMessageBox.warning(parent, "无法保存文件", str(error))
            return None
        other = free_name(path)
        answer = QMessageBox.question(
            parent,
            "无法替换文件",
            f"{error}\n\n原来的文件没有改动。要改存为“{other.name}”吗？",
        )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        write_atomically(other, data, kind)
    except FileWriteError as again:
        QMessageBox.warning(parent, "无法保存文件", str(again))
        return None
    return other


def may_close(parent: QWidget, session: ReportSession) -> bool:
    """Closing with edits the disk has refused: try once more, then let the clerk decide."""
    while session.has_pending and not session.retry_pending():
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("有修改尚未保存")
        box.setText(
            f"有{session.pending_count}处修改还没能写入数据库（{session.last_failure}）。\n"
            "现在退出，这些修改将会丢失。"
        )
        retry = box.addButton("重试", QMessageBox.ButtonRole.AcceptRole)
        leave = box.addButton("仍然退出", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is leave:
            return True
        if box.clickedButton() is not retry:
            return False
    return True
