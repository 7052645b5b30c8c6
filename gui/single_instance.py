"""One window per database: a second copy of the program on the same file is refused.

The lock is :class:`model.dblock.DatabaseLock`: an operating-system lock, which dies with the
process that holds it (a crash, a power cut or a reused process id never blocks the next
start), taken on the file's real identity (a symbolic or hard link, another spelling or an 8.3
name of the same file is the same database).  The command line takes the same lock before it
writes, so it never writes under an open window.  The first window also listens on a local
socket (a named pipe on Windows, a Unix socket elsewhere: not a network connection) named after
the database, so that a second copy can ask it to come to the front before quitting; it says it
did only when the first window answers.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from model.dblock import DatabaseLock, lock_path, real_path

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer

__all__ = ["InstanceGuard", "bring_forward", "lock_path", "refusal_message", "server_name"]

log = logging.getLogger(__name__)

_WAKE = b"show\n"
_ANSWER = b"ok\n"
_WAIT_MS = 500
#: How long a second copy keeps knocking while the first may still be starting: it listens
#: once its database is open for writing (gui/app.py), some 0.5-2 s after launch.
STARTING_MS = 5000
#: How long a second copy waits for the first window's answer: a window busy for longer is
#: said not to have answered.
REPLY_MS = 2000


def server_name(db_path: Path) -> str:
    """A name that is the same for every spelling of the same database path."""
    from hashlib import sha256  # after the first paint (model.dblock loads it before, though)

    key = str(real_path(db_path)).casefold().encode("utf-8")
    return f"nianbao-{sha256(key).hexdigest()[:20]}"


class InstanceGuard(QObject):
    """Holds the lock for one database while the window is open."""

    activated = Signal()  # a second copy asked this window to come forward
    openRequested = Signal(str)  # ... and to import this data file

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self._lock = DatabaseLock(db_path)
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True if this is the only window on the database (and now holds the lock).  A folder
        that refuses the lock file (read-only, say) does not stop the start: the database
        itself will say whether it can be written."""
        return self._lock.acquire()

    def lock_identity(self) -> bool:
        """Once the database file exists (a new one is made after :meth:`acquire`), lock its
        identity too, so that a hard link to it is refused; False if one was already open."""
        return self._lock.lock_identity()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.release()

    def wake_first(self, open_file: Path | None = None, reply_ms: int = REPLY_MS) -> bool:
        """Ask the window that holds the database to come forward (and to import
        ``open_file``, a data file double-clicked in Explorer); True only if it answered
        within ``reply_ms`` (bytes written to a frozen window's socket are not an answer)."""
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        deadline = time.monotonic() + STARTING_MS / 1000
        while True:  # a clerk who double-clicked twice: the first copy is not listening yet
            socket.connectToServer(server_name(self.db_path))
            if socket.waitForConnected(_WAIT_MS):
                break
            socket.abort()
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)
        socket.write(_WAKE + (str(open_file.resolve()).encode("utf-8") if open_file else b""))
        answer = b""
        if socket.waitForBytesWritten(_WAIT_MS):
            while len(answer) < len(_ANSWER) and socket.waitForReadyRead(reply_ms):
                answer += bytes(socket.readAll().data())
        socket.abort()
        return answer.startswith(_ANSWER)

    def listen(self) -> None:
        """Answer a second copy's knock; started once the database is open for writing
        (QtNetwork is not needed before; a second copy knocks for :data:`STARTING_MS`)."""
        from PySide6.QtNetwork import QLocalServer

        name = server_name(self.db_path)
        QLocalServer.removeServer(name)  # a socket file left by a crash; we hold the lock
        server = QLocalServer(self)
        if not server.listen(name):
            log.warning("cannot listen on %s: %s", name, server.errorString())
            return
        server.newConnection.connect(self._connected)
        self._server = server

    def _connected(self) -> None:
        """Read the request at once (it is a few bytes, already on its way) and close."""
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            request = b""
            if socket.bytesAvailable() or socket.waitForReadyRead(_WAIT_MS):
                request = bytes(socket.readAll().data())
            if request.startswith(_WAKE):  # answered before acting: that may open a dialog
                socket.write(_ANSWER)
                socket.waitForBytesWritten(_WAIT_MS)
            socket.disconnectFromServer()
            socket.deleteLater()
            if request.startswith(_WAKE):
                self.activated.emit()
                path = request[len(_WAKE) :].decode("utf-8", errors="replace").strip()
                if path:
                    self.openRequested.emit(path)


def refusal_message(db_path: Path, woke: bool, open_file: Path | None = None) -> str:
    if woke and open_file is not None:
        return f"政务公开年报已经打开，已请那个窗口导入“{open_file.name}”。"
    if woke:
        where = "已切换到那个窗口。"
    else:
        where = (
            "那个窗口没有应答（可能正忙，或正在由命令行导入）。请稍候再切换到那个窗口继续工作；"
            "如果它一直没有反应，请关闭它后重新打开。"
        )
        if open_file is not None:
            where += f"\n文件“{open_file.name}”没有导入。"
    return f"数据库“{db_path}”已经在另一个政务公开年报窗口中打开，不能同时打开两次。\n{where}"


def bring_forward(window: QWidget) -> None:
    """Show a window above the others, un-minimised but still maximised if it was (Windows
    may only flash its taskbar button)."""
    from PySide6.QtCore import Qt  # not before the first paint (see gui.main_window._centred)

    state = window.windowState() & ~Qt.WindowState.WindowMinimized
    window.setWindowState(state | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()
