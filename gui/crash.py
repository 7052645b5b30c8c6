"""The crash handler: an unexpected exception is logged, shown with a copyable report, and the
program goes on where it can.

Installed by ``main.py`` before the QApplication exists, for the main thread
(``sys.excepthook``, which PySide6 also calls for an exception raised in a slot, after which
the event loop simply continues) and for other threads (``threading.excepthook``).  Nothing a
clerk typed is lost by a crash: every edit is in the database the moment it is made.
Importing this module does not import Qt; the dialog does, when there is one to show.  Nor
does it import :mod:`logging.handlers` (with socket, pickle and queue) or :mod:`platform`: the
window's first paint waits for this module, and most runs never write to the log.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

import model

log = logging.getLogger(__name__)

#: Set to 1 (or pass --no-crash-dialog) to log crashes without showing a dialog: for tests.
NO_DIALOG_ENV = "NIANBAO_NO_CRASH_DIALOG"
LOG_FILE_NAME = "nianbao.log"
LOG_BYTES, LOG_COPIES = 1_000_000, 5

_state: dict[str, Any] = {"dialogs": True, "showing": False, "bridge": None}


def install(log_folder: Path, dialogs: bool = True) -> Path:
    """Log to a rotating file in ``log_folder`` and take over uncaught exceptions; the log file."""
    log_file = log_folder / LOG_FILE_NAME
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(log_file) for h in root.handlers):
        handler = _RotatingLog(log_file)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        if root.level == logging.NOTSET or root.level > logging.INFO:
            root.setLevel(logging.INFO)
    _state["dialogs"] = dialogs and os.environ.get(NO_DIALOG_ENV) != "1"
    sys.excepthook = handle
    threading.excepthook = _handle_thread
    return log_file


class _RotatingLog(logging.Handler):
    """The rotating log file (``LOG_BYTES`` each, ``LOG_COPIES`` kept), whose
    ``RotatingFileHandler`` is made for the first record written: the file is not opened
    before then either (``delay``)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.baseFilename = os.path.abspath(path)  # as the file handler names it
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            from logging.handlers import RotatingFileHandler

            self._file = RotatingFileHandler(
                self.baseFilename,
                maxBytes=LOG_BYTES,
                backupCount=LOG_COPIES,
                encoding="utf-8",
                delay=True,
            )
        self._file.setFormatter(self.formatter)
        self._file.emit(record)  # under this handler's lock (``handle``)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def report_text(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None, thread: str = ""
) -> str:
    """The report a clerk copies to whoever maintains the program."""
    import datetime as dt
    import platform

    lines = [
        f"政务公开年报 {model.__version__} 程序错误报告",
        f"时间：{dt.datetime.now():%Y-%m-%d %H:%M:%S}",
        f"系统：{platform.platform()}；Python {platform.python_version()}",
    ]
    if thread:
        lines.append(f"线程：{thread}")
    lines.append("")
    lines.extend(line.rstrip("\n") for line in traceback.format_exception(kind, error, tb))
    return "\n".join(lines)


def handle(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None, thread: str = ""
) -> None:
    """Log the exception and, in the window, show it."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, tb)
        return
    text = report_text(kind, error, tb, thread)
    log.critical("unexpected error\n%s", text)
    if not _state["dialogs"] or not _show(text):
        print(text, file=sys.stderr)


def _handle_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None:
        return
    name = args.thread.name if args.thread is not None else ""
    handle(args.exc_type, args.exc_value, args.exc_traceback, name)


def _show(text: str) -> bool:
    """Show the dialog (from any thread); False when there is no window to show it in."""
    if "PySide6.QtWidgets" not in sys.modules:
        return False
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return False
    if threading.current_thread() is threading.main_thread():
        show_dialog(text)
    else:
        _bridge(app).report.emit(text)  # queued to the main thread
    return True


def _bridge(app: Any) -> Any:
    if _state["bridge"] is None:
        from PySide6.QtCore import QObject, Signal

        class Bridge(QObject):
            report = Signal(str)

        bridge = Bridge()
        bridge.moveToThread(app.thread())
        bridge.report.connect(show_dialog)
        _state["bridge"] = bridge
    return _state["bridge"]


def show_dialog(text: str) -> None:
    """A modal dialog with the report, a copy button and a hint; never two at once."""
    if _state["showing"]:
        return
    _state["showing"] = True
    try:
        CrashDialog(text).exec()
    finally:
        _state["showing"] = False


def CrashDialog(text: str) -> Any:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import (
        QDialog,
        QDialogButtonBox,
        QLabel,
        QPlainTextEdit,
        QPushButton,
        QVBoxLayout,
    )

    dialog = QDialog()
    dialog.setWindowTitle("程序出错")
    layout = QVBoxLayout(dialog)
    layout.addWidget(
        QLabel(
            "程序遇到了一个意外错误。已经填写的内容都已保存在数据库中，没有丢失；"
            "程序可以继续使用。\n如果错误反复出现，请把下面的报告复制给技术支持人员。"
        )
    )
    report = QPlainTextEdit(text)
    report.setReadOnly(True)
    report.setMinimumSize(640, 280)
    layout.addWidget(report)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    copy = QPushButton("复制报告")
    copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(text))
    buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.report = report  # type: ignore[attr-defined]
    return dialog
