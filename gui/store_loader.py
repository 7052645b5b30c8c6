"""The database behind a session, and the write operations, loaded behind the window.

At start-up the session reads through a plain ``sqlite3`` reader (:class:`model.dbfile.FileReader`)
so that the first report is on screen before SQLAlchemy is imported; SQLAlchemy and
:mod:`model.ops` load in a background thread meanwhile (:class:`StoreLoader`), and then
:class:`Store` swaps the reader for the database open for writing.  The first write, if it comes
sooner, waits for them.  This is also why the session reaches :mod:`model.ops` through :data:`ops`,
which imports it on first use, and never imports it at module level
(``benchmarks/bench_startup.py`` and tests/gui/test_startup.py hold that line).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from model import ops as ops  # re-exported: the session and pending edits use it
    from model.db import Database
    from model.reads import Readable

log = logging.getLogger(__name__)


class _OnFirstUse:
    """A module imported when one of its names is first looked up."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> object:
        if self._module is None:
            self._module = import_module(self._name)
        return getattr(self._module, attribute)


if not TYPE_CHECKING:
    #: :mod:`model.ops`, imported (with SQLAlchemy) by the first write that comes before the
    #: background import has finished; type checkers see the module itself.
    ops = _OnFirstUse("model.ops")


class StoreLoader(QObject):
    """Imports SQLAlchemy and :mod:`model.ops` in a background thread (``loaded`` arrives in
    the main thread).  Importing is all it does: the database is opened by the main thread.

    The window stays responsive meanwhile: the import gives up the interpreter lock every few
    milliseconds (``benchmarks/bench_startup.py`` measures the longest pause it causes)."""

    loaded = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = threading.Thread(target=self._run, name="store-import", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wait(self) -> None:
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        try:
            import model.ops  # noqa: F401  (SQLAlchemy, model.db, model.tables)
        except Exception:  # the main thread imports it again and reports the error there
            log.exception("importing the store in the background failed")
        try:
            self.loaded.emit()
        except RuntimeError:  # the window was closed and deleted meanwhile: nothing to tell
            log.info("store loaded after its session was deleted")


class Store:
    """Where a session reads and writes: the database, once it is open for writing; until then
    (at start-up) a plain reader, and an ``opener`` that opens the database when the write
    operations have loaded."""

    def __init__(
        self,
        db: Database | None,
        reader: Readable | None = None,
        opener: Callable[[], Database] | None = None,
    ) -> None:
        if db is not None:
            reader = db
        elif reader is None or opener is None:
            raise ValueError("a session needs a database, or a reader and an opener")
        self.db, self.reader = db, reader
        self._opener = opener
        self._loader: StoreLoader | None = None

    def load(self, parent: QObject, loaded: Callable[[], None]) -> None:
        """Import the write operations in the background; ``loaded`` is called when done."""
        if self.db is not None or self._loader is not None:
            return
        self._loader = StoreLoader(parent)
        self._loader.loaded.connect(loaded)
        self._loader.start()

    def wait(self) -> None:
        """Until the background import is done: at most its rest, usually nothing."""
        if self._loader is not None:
            self._loader.wait()

    def open(self) -> Database:
        """Open the database for writing and read through it from now on (the start-up reader
        is closed); raises :class:`model.errors.StoreError` if it cannot be opened."""
        assert self._opener is not None
        db = self._opener()
        reader, self.db, self.reader = self.reader, db, db
        reader.close()
        log.info("database open for writing")
        return db

    def replace(self, db: Database) -> None:
        """Work on ``db`` from now on (after a restore)."""
        self.db = self.reader = db

    def close(self) -> None:
        """Close the database (or the start-up reader); nothing is written."""
        self.wait()
        self.reader.close()
