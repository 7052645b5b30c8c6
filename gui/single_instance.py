"""One window per database: a second copy of the program on the same file is refused.

A ``QLockFile`` beside the database says that a window has it open.  It is never considered
stale by age (a clerk may keep the window open for days) but only when the process that holds
it is gone, which Qt checks by its process id: a lock left by a crash or a power cut does not
block the next start.  The first window also listens on a local socket (a named pipe on
Windows, a Unix socket elsewhere: not a network connection) named after the database, so that
a second copy can ask it to come to the front before quitting.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer

log = logging.getLogger(__name__)

_WAKE = b"show\n"
_WAIT_MS = 500


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def server_name(db_path: Path) -> str:
    """A name that is the same for every spelling of the same database path."""
    key = str(db_path.resolve()).casefold().encode("utf-8")
    return f"nianbao-{hashlib.sha256(key).hexdigest()[:20]}"


class InstanceGuard(QObject):
    """Holds the lock for one database while the window is open."""

    activated = Signal()  # a second copy asked this window to come forward
    openRequested = Signal(str)  # ... and to import this data file

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self._lock = QLockFile(str(lock_path(db_path)))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True if this is the only window on the database (and now holds the lock)."""
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        if self._lock.tryLock(0):
            return True
        if self._lock.error() == QLockFile.LockError.LockFailedError:
            return False
        # The folder refuses the lock file (read-only, say): do not refuse to start for that;
        # the database itself will say whether it can be written.
        log.warning("cannot create lock file %s: %s", lock_path(self.db_path), self._lock.error())
        return True

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def wake_first(self, open_file: Path | None = None) -> bool:
        """Ask the window that holds the database to come forward (and to import
        ``open_file``, a data file double-clicked in Explorer); True if it answered."""
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(server_name(self.db_path))
        if not socket.waitForConnected(_WAIT_MS):
            return False
        socket.write(_WAKE + (str(open_file.resolve()).encode("utf-8") if open_file else b""))
        written = socket.waitForBytesWritten(_WAIT_MS)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(_WAIT_MS)
        return written

    def listen(self) -> None:
        """Answer a second copy's knock; started once the window has painted (QtNetwork is
        not needed before)."""
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
            socket.abort()
            socket.deleteLater()
            if request.startswith(_WAKE):
                self.activated.emit()
                path = request[len(_WAKE) :].decode("utf-8", errors="replace").strip()
                if path:
                    self.openRequested.emit(path)


def refusal_message(db_path: Path, woke: bool, open_file: Path | None = None) -> str:
    if woke and open_file is not None:
        return f"政务公开年报已经打开，已请那个窗口导入“{open_file.name}”。"
    where = "已切换到那个窗口。" if woke else "请切换到那个窗口继续工作。"
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
