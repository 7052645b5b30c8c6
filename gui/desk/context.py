"""What every page of the county desk shares: the database, the year, the loaded
:class:`county.desk.Desk`, the desk's undo stack, and the one way to write the register.

The API (stable; the 汇总 and 指标 pages are built on it):

``context.db``          the session's :class:`model.db.Database` (the same file as the reports)
``context.session``     the main window's :class:`gui.session.ReportSession`
``context.year``        the year on the desk (``set_year`` changes it)
``context.desk``        :class:`county.desk.Desk` for that year, kept current
``context.undo_stack``  the desk window's :class:`QUndoStack` (the main window has its own)
``refreshed(list)``     emitted after the desk was refreshed: the agencies whose rows changed,
                        ``[]`` meaning all of them (a new year, a reload, a collect)
``written(list)``       the :mod:`model.register` change records just written, undone or redone
                        (a page showing an aggregate re-reads it on an ``Aggregate*`` record)
``refused(str)``        a write or an undo that was not made, and why (Chinese)
``yearChanged(int)``    ``set_year`` moved the desk to another year (``refreshed([])`` follows)

``write(label, op, merge_key="")``  run ``op`` (a :mod:`model.register` operation returning a
                        change record or a list of them) as ONE undo step named ``label``; the
                        records, or None when it was refused (the reason went out through
                        ``refused``); steps setting one aggregate text with the same
                        ``merge_key`` merge into one (typing)
``push(command)``       put an already-done :class:`QUndoCommand` on the stack (a collect)
``refresh(agencies)``   those units' reports or register entries changed: refresh and emit
``reload()``            read everything again and emit ``refreshed([])``
``open_report(id)``     show that report in the main window and raise it
``set_year(year)``      load another year

The session's edits reach the desk by its signals: an edit of the open report refreshes that
unit only (``saved``), a change of the report list reloads the year (``reportsChanged``); both
are gathered for a moment so that typing does not refresh once per keystroke.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from model.errors import UserError

if TYPE_CHECKING:
    from county.desk import Desk
    from gui.session import ReportSession
    from model.db import Database

log = logging.getLogger(__name__)

#: How long the session's edits are gathered before the desk refreshes (ms).
REFRESH_DELAY_MS = 150

Op = Callable[[], Any]  # a model.register operation: a change record or a list of them


class DeskContext(QObject):
    """The desk's shared state; see the module docstring for the API."""

    refreshed = Signal(list)
    written = Signal(list)
    refused = Signal(str)
    yearChanged = Signal(int)

    def __init__(
        self,
        session: ReportSession,
        year: int,
        parent: QObject | None = None,
        main_window: QWidget | None = None,
    ) -> None:
        """A desk on ``session``'s database for ``year``; ``open_report`` shows reports in
        ``main_window`` (through the session when there is none)."""
        from county.desk import Desk

        super().__init__(parent)
        self.session = session
        self.year = year
        self.main_window = main_window
        self.undo_stack = QUndoStack(self)
        started = time.perf_counter()
        self.desk: Desk = Desk(session.db, year)
        #: How long the last load or refresh of the desk took, in seconds (the status bar).
        self.last_refresh = time.perf_counter() - started
        self._pending: set[str] = set()
        self._pending_all = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        session.saved.connect(self._session_edited)
        session.reportsChanged.connect(self._session_listed)

    @property
    def db(self) -> Database:
        return self.session.db

    # ------------------------------------------------------------------ writing

    def write(self, label: str, op: Op, merge_key: str = "") -> list[Any] | None:
        """Run a register operation as one undo step; its records, or None if refused.

        Steps with the same non-empty ``merge_key`` that each set one text
        (:class:`model.register.AggregateTextSet`) merge into one step: typing in a text is
        undone as a whole, as in the report window."""
        try:
            done = op()
        except UserError as error:
            log.info("register write refused: %s", error)
            self.refused.emit(str(error))
            return None
        changes = list(done) if isinstance(done, list | tuple) else [done]
        if not changes:
            return changes
        self.undo_stack.push(RegisterStep(self, label, changes, merge_key))
        self._written(changes)
        return changes

    def push(self, command: QUndoCommand) -> None:
        """An undoable step already done (its first ``redo`` must do nothing)."""
        self.undo_stack.push(command)

    def _written(self, changes: Sequence[Any]) -> None:
        from model import register

        aggregate_only = (
            register.AggregateCreated,
            register.AggregateDeleted,
            register.AggregateTextSet,
            register.AggregateFieldsSet,
            register.AggregateMemberSet,
        )
        # A 汇总's own records change no unit's row: reading the whole desk again on every
        # keystroke in its texts would make typing lag with 150 units.
        if not all(isinstance(change, aggregate_only) for change in changes):
            self.refresh(self._agencies(changes))
        self.written.emit(list(changes))

    def _agencies(self, changes: Sequence[Any]) -> list[str]:
        """The units a list of register records touches (none for an aggregate's)."""
        from model import register

        names: list[str] = []
        by_id = {r.unit.id: r.agency for r in self.desk.rows() if r.unit is not None}
        for change in changes:
            if isinstance(change, register.UnitAdded | register.UnitRemoved):
                names.append(change.unit.name)
            elif isinstance(change, register.UnitUpdated):
                names.extend({change.old.name, change.new.name})
            elif isinstance(change, register.UnitYearSet):
                name = by_id.get(change.unit_id)
                if name is None:  # added in this very step: read the register again
                    return []
                names.append(name)
        return names

    # ------------------------------------------------------------------ refreshing

    def refresh(self, agencies: Iterable[str]) -> None:
        """Those units changed: refresh them (all of them for an empty list) and say so."""
        names = list(dict.fromkeys(agencies))
        started = time.perf_counter()
        if names:
            self.desk.refresh(names)
        else:  # everything is read again: what the session changed meanwhile is in it
            self._pending.clear()
            self._pending_all = False
            self.desk.reload()
        self.last_refresh = time.perf_counter() - started
        log.debug("desk refresh of %s took %.1f ms", names or "all", self.last_refresh * 1000)
        self.refreshed.emit(names)

    def reload(self) -> None:
        self.refresh([])

    def set_year(self, year: int) -> None:
        from county.desk import Desk

        if year == self.year:
            return
        self.year = year
        started = time.perf_counter()
        self.desk = Desk(self.db, year)
        self.last_refresh = time.perf_counter() - started
        self._pending.clear()
        self._pending_all = False
        self.yearChanged.emit(year)
        self.refreshed.emit([])

    def _session_edited(self, *_: object) -> None:
        report = self.session.report
        if report is not None and report.year == self.year:
            self._pending.add(report.agency)
            self._timer.start()

    def _session_listed(self) -> None:
        self._pending_all = True
        self._timer.start()

    def flush(self) -> None:
        """Refresh now for what the session changed meanwhile (tests call it directly)."""
        self._timer.stop()
        if self._pending_all:
            self._pending_all = False
            self._pending.clear()
            self.refresh([])
        elif self._pending:
            names, self._pending = sorted(self._pending), set()
            self.refresh(names)

    # ------------------------------------------------------------------ the main window

    def open_report(self, report_id: int) -> None:
        """Show ``report_id`` in the main window, in front."""
        self.session.open(report_id)
        main = self.main_window
        if main is not None:
            main.show()
            main.raise_()
            main.activateWindow()


class RegisterStep(QUndoCommand):
    """Register writes already made when pushed (the first ``redo`` does nothing): undo writes
    their inverses (:func:`model.register.apply_register_inverse`), newest first; redo writes
    the inverses of those."""

    def __init__(
        self, context: DeskContext, label: str, changes: list[Any], merge_key: str = ""
    ) -> None:
        super().__init__(label)
        self._context, self._changes, self._merge_key = context, changes, merge_key
        self._first = True
        self._redo: list[Any] = []

    def id(self) -> int:
        return 2 if self._merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        from model.register import AggregateTextSet

        if not isinstance(other, RegisterStep) or other._merge_key != self._merge_key:
            return False
        if len(self._changes) != 1 or len(other._changes) != 1:
            return False
        [mine], [theirs] = self._changes, other._changes
        if not (isinstance(mine, AggregateTextSet) and isinstance(theirs, AggregateTextSet)):
            return False
        if (mine.aggregate_id, mine.key) != (theirs.aggregate_id, theirs.key):
            return False
        self._changes = [dataclasses.replace(mine, new=theirs.new)]
        return True

    def undo(self) -> None:
        self._redo = self._apply(self._changes)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        changes = self._apply(self._redo)
        if changes:
            self._changes = changes

    def _apply(self, changes: Sequence[Any]) -> list[Any]:
        from model.register import apply_register_inverse

        done: list[Any] = []
        try:
            for change in reversed(changes):
                done.append(apply_register_inverse(self._context.db, change))
        except UserError as error:  # StaleWriteError too: changed since, in another window
            self._context.refused.emit(f"不能撤销或重做“{self.text()}”：{error}")
            self.setObsolete(True)
        done.reverse()
        self._context._written(done)
        return done
