"""The open report, between the widgets and the model's operations.

Every edit goes through here: it is written to the database at once by a model operation, the
in-memory copy is updated from the change that operation returns, totals and findings are
recomputed, and the widgets are told what changed.  The same change records make the undo
stack: undoing writes the old values back through the same operations.

The session holds reads, edits and applying their records; the rest is beside it, one concern
a module: the start-up reader and the background import of the write operations
(:mod:`gui.store_loader`, which is also why :mod:`model.ops` is reached through its lazy ``ops``),
edits kept while the disk refuses them (:mod:`gui.pending`), the undo commands (:mod:`gui.undo`)
and what a change record means (:mod:`model.changes`).
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from gui.pending import SIGNATURE, TITLE, Kept, PendingEdits
from gui.store_loader import Store, ops
from gui.undo import WrittenEdit
from model import reads
from model.calc import all_values
from model.changes import (
    CellChanged,
    Change,
    DeclaredChanged,
    ReportCreated,
    StaleWriteError,
    TextChanged,
    apply_change,
    is_edit,
)
from model.checks import Finding, check
from model.dblock import DatabaseGoneError, file_identity, gone_message
from model.errors import DatabaseError, StoreError, UserError, os_reason
from model.files import DATA_FILE, FileWriteError, write_atomically
from model.formats import CellDef, ReportFormat
from model.report import Report
from model.schema import text_problem
from model.values import CellValue

if TYPE_CHECKING:
    from model.db import Database
    from model.reads import Readable

log = logging.getLogger(__name__)

_T = TypeVar("_T")
#: How often edits the disk refused are tried again.
RETRY_MS = 3000
__all__ = ["RETRY_MS", "SIGNATURE", "TITLE", "ReportSession"]


class ReportSession(QObject):
    """One database and the report open in it."""

    reportOpened = Signal()  # a different report (or none) is open: rebuild
    cellsChanged = Signal()  # values, totals or findings changed: repaint
    textChanged = Signal(str)  # a text changed other than by typing in it (undo, draft)
    detailsChanged = Signal()  # agency, title, signature or a unit changed
    reportsChanged = Signal()  # the list of reports changed
    saved = Signal(object)  # datetime of the last successful write
    refused = Signal(str)  # an edit that was not made, and why
    unsaved = Signal(str)  # edits kept in memory because the disk refused them, and why
    recovered = Signal(str)  # those edits have now been written
    storeReady = Signal()  # the database is open for writing (see load_store)
    databaseGone = Signal(str)  # the file was deleted or replaced under the window

    def __init__(
        self,
        db: Database | None,
        parent: QObject | None = None,
        *,
        reader: Readable | None = None,
        opener: Callable[[], Database] | None = None,
    ) -> None:
        """A session on ``db``; or, at start-up, one that reads through ``reader`` until
        ``opener`` has opened the database for writing (:meth:`load_store`)."""
        super().__init__(parent)
        self._store = Store(db, reader, opener)
        self._closed = False
        self.undo_stack = QUndoStack(self)
        self.report_id: int | None = None
        self.report: Report | None = None
        self.previous: Report | None = None
        # Other units' reports of the open report's year, as far as the checks comparing
        # units read them: read when a report is opened or the reports change, never per edit.
        self.others: tuple[Report, ...] = ()
        self.values: dict[str, CellValue] = {}
        self.findings: list[Finding] = []
        # False while the findings of the report just opened wait for their turn (the first
        # report of a start-up is shown before it is checked; see ``_check_soon``).
        self.checked = True
        self._check_pending = False
        self.last_saved: dt.datetime | None = None
        # Edits checked and shown but not yet in the database (full disk, read-only folder,
        # file locked by another program): written by the retry timer, never dropped silently.
        self.pending = PendingEdits()
        # The database file as opened: a file deleted or replaced under the window is noticed
        # before the next write, instead of writing into a new empty one.
        self._identity = file_identity(self.path)
        self._gone_said = False
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(RETRY_MS)
        self.retry_timer.timeout.connect(self.retry_pending)
        # First, so that every other receiver already sees the findings against the new list.
        self.reportsChanged.connect(self._reports_changed)

    # ------------------------------------------------------------------ the store

    @property
    def db(self) -> Database:
        """The database, open for writing; at start-up the first caller waits for it.

        Raises :class:`DatabaseGoneError` (an edit is then kept, as for a full disk) if the
        file is no longer the one opened."""
        if self._store.db is None:
            self._finish_opening()
        assert self._store.db is not None
        self._check_file()
        return self._store.db

    @property
    def database_gone(self) -> bool:
        """The file at the database's path is not (or no longer) the one this window opened."""
        return self._identity is not None and file_identity(self.path) != self._identity

    def _check_file(self) -> None:
        if self._identity is None:  # no file when the session began: the one made since
            self._identity = file_identity(self.path)
        if not self.database_gone:
            self._gone_said = False
            return
        message = gone_message(self.path)
        if not self._gone_said:
            self._gone_said = True
            log.warning("database file %s was deleted or replaced", self.path)
            QTimer.singleShot(0, lambda: self.databaseGone.emit(message))
        raise DatabaseGoneError(message)

    @property
    def path(self) -> Path:
        return self._store.reader.path

    @property
    def read_only(self) -> str | None:
        """Why the database can only be read (it is on read-only media, say), or None.  Known
        once it is open for writing (``storeReady``)."""
        return None if self._store.db is None else self._store.db.read_only

    def _refused_read_only(self) -> bool:
        """An edit the database refused because it can only be read: said, and not kept for
        a retry (that would fail every few seconds for as long as the window is open)."""
        reason = self.read_only
        if reason is None:
            return False
        self.refused.emit(f"这次修改没有保存：{reason}")
        return True

    @property
    def has_store(self) -> bool:
        """The database is open for writing (always, except just after start-up)."""
        return self._store.db is not None

    def load_store(self) -> None:
        """Import SQLAlchemy and the write operations in the background, then open the
        database for writing (``storeReady``).  Until then reads use the start-up reader."""
        self._store.load(self, self._loaded)

    def _loaded(self) -> None:
        if self._store.db is None and not self._closed:
            self._guarded(self._finish_opening)

    def _finish_opening(self) -> None:
        """Open the database for writing; raises :class:`StoreError` if it cannot be."""
        self._store.wait()  # at most the rest of the import; usually already done
        self._check_file()
        self._store.open()
        self.storeReady.emit()

    def close(self) -> None:
        """Close the database (or the start-up reader); nothing is written."""
        self._closed = True
        self._store.wait()
        self.retry_timer.stop()
        self._store.close()  # the database itself once it is open

    # ------------------------------------------------------------------ reading

    @property
    def format(self) -> ReportFormat | None:
        return self.report.format if self.report else None

    def cell(self, key: str) -> CellDef:
        assert self.report is not None
        return self.report.format.cells[key]

    def input_value(self, key: str) -> CellValue | None:
        """A typed value, or None when the cell is blank."""
        return self.report.cells.get(key) if self.report else None

    def shown_value(self, key: str) -> CellValue | None:
        """What a cell shows: the typed value (blank stays blank) or the computed total."""
        if self.report is None:
            return None
        if self.cell(key).derived:
            return self.values.get(key, 0)
        return self.report.cells.get(key)

    def findings_for(self, key: str) -> list[Finding]:
        return [f for f in self.findings if key in f.cells]

    def reports(self) -> list[reads.ReportSummary]:
        return self._read(reads.list_reports) or []

    def summaries(self, report_ids: Sequence[int]) -> dict[int, reads.ReportSummary]:
        """The list lines of these reports only: a few rows, however many reports there are."""
        return self._read(lambda c: reads.report_summaries(c, report_ids)) or {}

    def latest_report(self) -> int | None:
        return self._read(reads.latest_report)

    # ------------------------------------------------------------------ opening

    def open(self, report_id: int | None, keep_history: bool = False) -> None:
        """Show ``report_id`` (None: none); the undo history goes, unless ``keep_history``
        (undoing or redoing an import, whose step stays on the stack)."""
        if self.has_pending and not self.retry_pending():
            self.refused.emit("还有未能保存的修改，暂时不能切换报告。请先解决磁盘问题。")
            return
        if report_id is None:
            self.report_id = self.report = self.previous = None
            self.others = ()
        else:
            opened = self._read(lambda c: _opening(c, report_id))
            if opened is None:
                return
            report, self.previous, self.others, problems = opened
            self.report_id, self.report = report_id, report
            for problem in problems:  # last year's or another unit's report is damaged
                self.refused.emit(problem)
        if not keep_history:
            self.undo_stack.clear()
        if self._store.db is None and self.report is not None:
            self._check_soon()  # start-up: the report is ready for typing before it is checked
        else:
            self._recompute()
        self.reportOpened.emit()

    def _other_units(self, report: Report) -> tuple[Report, ...]:
        return tuple(self._read(lambda c: reads.other_units(c, report)) or ())

    def _reports_changed(self) -> None:
        """A report was added, deleted, renamed or replaced: compare with the units now there."""
        if self.report is None:
            return
        others = self._other_units(self.report)
        if others != self.others:
            self.others = others
            self._recompute()

    # ------------------------------------------------------------------ edits
    # An edit the disk refuses is kept (see retry_pending) and counts as taken; one the
    # database refuses for any other reason is said and not made (False).

    def set_cell(self, key: str, value: CellValue | None) -> bool:
        return self.set_cells({key: value}, "修改单元格")

    def set_cells(self, values: Mapping[str, CellValue | None], description: str) -> bool:
        """Write cells in one transaction and one undo step; False if refused."""
        report_id = self._open_id()
        report = self._shown()
        format_id = report.format_id
        checked = self._guarded(lambda: ops.check_cells(format_id, values))
        if checked is None:
            return False

        def write() -> tuple[CellChanged, ...]:
            expected = {key: self._shown().cells.get(key) for key in checked}
            return ops.set_cells(self.db, report_id, checked, expected)

        return self._write(
            write, Kept(cells=checked), lambda changes: self._record_edits(description, changes)
        )

    def set_text(self, key: str, text: str) -> bool:
        report_id = self._open_id()
        report = self._shown()
        if problem := text_problem(text):  # never kept either: it could not be written later
            self.refused.emit(f"“{report.format.text(key).label}”{problem}，未保存。")
            return False

        def write() -> TextChanged:
            expected = self._shown().text(key)
            return ops.set_text(self.db, report_id, key, text, expected=expected)

        def written(change: TextChanged) -> None:
            if is_edit(change):
                self._record("修改文字", [change], merge_key=key, echo=False)

        return self._write(write, Kept(texts={key: text}), written)

    def set_title(self, title: str | None) -> bool:
        """Like every edit of the report's own fields: written at once, or kept, shown and
        retried when the disk refuses it (``pending_details``)."""
        return self._edit(
            "修改标题",
            lambda rid: ops.set_title(self.db, rid, title, expected=self._believed_title()),
            keep=Kept(details={TITLE: title}),
        )

    def set_signature(self, agency: str | None, date: dt.date | None) -> bool:
        return self._edit(
            "修改落款",
            lambda rid: ops.set_signature(
                self.db, rid, agency, date, expected=self._believed_signature()
            ),
            keep=Kept(details={SIGNATURE: (agency, date)}),
        )

    def set_unit(self, key: str, unit: str | None) -> bool:
        return self._edit(
            "修改单位",
            lambda rid: ops.set_unit(self.db, rid, key, unit, expected=self._believed_unit(key)),
            keep=Kept(units={key: unit}),
        )

    def accept_computed(self, key: str) -> bool:
        """Drop an imported report's own figure for the total ``key``: from now on the report
        shows, prints and checks the total added up from its items."""
        shown = self._shown().declared.get(key)
        return self._edit(
            "采用自动合计",
            lambda rid: ops.set_declared(self.db, rid, key, None, expected=shown),
        )

    def rename(self, agency: str) -> bool:
        shown = self._shown().agency
        ok = self._edit(
            "修改单位名称", lambda rid: ops.rename_report(self.db, rid, agency, expected=shown)
        )
        if ok:
            self.reportsChanged.emit()
        return ok

    def _believed_title(self) -> str | None:
        return self.pending.believed_title(self._shown())

    def _believed_signature(self) -> tuple[str | None, dt.date | None]:
        return self.pending.believed_signature(self._shown())

    def _believed_unit(self, key: str) -> str | None:
        return self.pending.believed_unit(self._shown(), key)

    # ------------------------------------------------------------------ reports

    def create_report(self, agency: str, year: int, format_id: str | None) -> int | None:
        created = self._guarded(lambda: ops.create_report(self.db, agency, year, format_id))
        return self._opened(created)

    def create_next_year(self, report_id: int) -> int | None:
        return self._opened(self._guarded(lambda: ops.create_next_year(self.db, report_id)))

    def delete_report(self, report_id: int) -> bool:
        if self._guarded(lambda: ops.delete_report(self.db, report_id)) is None:
            return False
        if report_id == self.report_id:
            self.open(None)
        self.reportsChanged.emit()
        return True

    def read_file(self, path: Path) -> Report | None:
        """A data file's report, or None (and a message) when it cannot be read."""
        from model.datafile import read_datafile_path  # jsonschema: when used

        try:
            return read_datafile_path(path)
        except OSError as error:
            self.refused.emit(f"无法读取文件“{path}”：{os_reason(error)}")
        except UserError as error:  # the file is not a report this program can read
            self.refused.emit(str(error))
        return None

    def existing_id(self, report: Report) -> int | None:
        agency = report.agency.strip()
        return self._read(lambda c: reads.find_report(c, agency, report.year))

    def import_report(self, report: Report, replace: bool) -> int | None:
        report_id = self._guarded(lambda: ops.save_report(self.db, report, replace=replace))
        if report_id is not None:
            self.reportsChanged.emit()
            self.open(report_id)
        return report_id

    def import_undoably(self, report: Report, replace: bool) -> int | None:
        """:meth:`import_report` as one step of the undo stack: undoing it deletes the report
        again, or writes back the one it replaced, and shows the report open before."""
        shown_before = self.report_id
        existing = self.existing_id(report) if replace else None
        before = None
        if existing is not None:
            before = self._read(lambda c: reads.load_report(c, existing))
            if before is None:
                return None
        report_id = self.import_report(report, replace)
        if report_id is not None and self.report is not None:
            saved = copy.deepcopy(self.report)  # as stored: what undo expects to find
            self.undo_stack.push(ImportedReport(self, saved, before, shown_before))
        return report_id

    def swap_report(self, new: Report | None, old: Report | None, show: int | None) -> int | None:
        """Put ``new`` where ``old`` (a unit's report of a year, as last written) is, delete
        ``old`` for ``new`` None, or add ``new`` for ``old`` None; then show the result, or the
        report ``show`` after a delete.  Refused if the stored report is no longer ``old``."""

        def write() -> int | None:
            unit = old or new
            assert unit is not None
            found = ops.find_report(self.db, unit.agency, unit.year)
            if old is not None and (found is None or ops.load_report(self.db, found) != old):
                raise UserError("该报告在导入后已被修改（可能在另一个窗口中），不能撤销导入。")
            if new is None:
                assert found is not None
                ops.delete_report(self.db, found)
                return None
            return ops.save_report(self.db, new, replace=old is not None)

        done = self._guarded(lambda: (write(),))
        if done is None:
            return None
        self.reportsChanged.emit()
        [report_id] = done
        if report_id is None and show is not None and show not in self.summaries([show]):
            show = None
        self.open(report_id if report_id is not None else show, keep_history=True)
        return report_id

    def export_data(self) -> bytes:
        """The open report as a data file."""
        from model.datafile import write_datafile

        return write_datafile(self._shown()).encode("utf-8")

    def export_file(self, path: Path) -> bool:
        try:
            write_atomically(path, self.export_data(), DATA_FILE)
        except FileWriteError as error:
            self.refused.emit(str(error))
            return False
        return True

    def replace_database(self, db: Database) -> None:
        """Work on ``db`` from now on (after a restore); the undo history does not carry over."""
        self._store.replace(db)
        self._closed = False
        self._identity = file_identity(db.path)
        self._gone_said = False
        self.pending.clear()
        self.retry_timer.stop()
        self.undo_stack.clear()
        self.reportsChanged.emit()

    # ------------------------------------------------------------------ unsaved edits

    @property
    def pending_cells(self) -> dict[str, CellValue | None]:
        return self.pending.cells

    @property
    def pending_texts(self) -> dict[str, str]:
        return self.pending.texts

    @property
    def pending_units(self) -> dict[str, str | None]:
        return self.pending.units

    @property
    def pending_details(self) -> dict[str, object]:
        """TITLE: str | None, SIGNATURE: (agency, date)."""
        return self.pending.details

    @property
    def has_pending(self) -> bool:
        return self.pending_count > 0

    @property
    def pending_count(self) -> int:
        return self.pending.count

    @property
    def last_failure(self) -> str:
        return self.pending.last_failure

    def _keep(self, reason: str, edit: Kept) -> None:
        """Show an edit the disk refused as typed, mark it unsaved and retry it later."""
        self.pending.keep(self._shown(), reason, edit)
        log.warning("kept %d unsaved edit(s): %s", self.pending_count, reason)
        self._recompute()
        if edit.units or edit.details:
            self.detailsChanged.emit()
        self.unsaved.emit(
            f"{reason}\n有{self.pending_count}处修改尚未保存（标为橙色），"
            f"程序每{RETRY_MS // 1000}秒自动重试，成功后会告诉您。"
        )
        if not self.retry_timer.isActive():
            self.retry_timer.start()

    def retry_pending(self) -> bool:
        """Write the kept edits; True when nothing is left unsaved.

        Each states what it replaces (what the database held when it was kept): one that
        another program has changed meanwhile is not written over it, and the clerk is told."""
        if not self.has_pending:
            self.retry_timer.stop()
            return True
        report_id, count = self._open_id(), self.pending_count
        done = self.pending.write(lambda: self.db, report_id)
        if isinstance(done.error, DatabaseError):  # still refused: the rest are still waiting
            if done.changes:  # some were written ("saved" was said)
                self._record_written(done.changes)
                self.unsaved.emit(
                    f"{done.error}\n还有{self.pending_count}处修改尚未保存（标为橙色）。"
                )
            return False
        if done.error is not None:  # e.g. the report was deleted meanwhile: say so, drop
            self.pending.clear()
            self.retry_timer.stop()
            self._record_written(done.changes)
            self.refused.emit(f"未能保存的修改无法写入：{done.error}")
            return True
        self.retry_timer.stop()
        self._record_written(done.changes)
        if done.stale:
            stale = list(done.stale)
            if done.dropped_texts:  # not written, but not lost: the clerk can paste it back
                _to_clipboard("\n\n".join(done.dropped_texts))
                stale.append("未能写入的文字已复制到剪贴板，可以粘贴到需要的地方。")
            self.reload_stale("\n".join(stale), kept=False)
            return True
        self.recovered.emit(f"之前未能保存的{count}处修改现已全部保存。")
        return True

    def _record_written(self, changes: Sequence[Change]) -> None:
        if not self._record_edits("修改（重试后保存）", changes):
            self._recompute()

    def reload_stale(self, reason: str, kept: bool = True) -> None:
        """Another program changed what the window showed: read the report again from the
        database (keeping the edits still waiting for the disk) and tell the clerk."""
        report_id = self.report_id
        fresh = None
        if report_id is not None:
            fresh = self._read(lambda c: reads.load_report(c, report_id))
        if fresh is not None and self.report is not None:
            self.pending.overlay(fresh, self.report)
            self.report = fresh
            self.previous = self._read(lambda c: reads.previous_report(c, fresh))
        log.warning("stale write refused, report reloaded: %s", reason)
        # Every widget shows the fresh copy, without reportOpened: that would move the focus
        # (and the clerk's next keystrokes) to another field.
        self._recompute()
        for key in self.report.format.text_keys if self.report else ():
            self.textChanged.emit(key)
        self.detailsChanged.emit()
        self.reportsChanged.emit()
        what = "这次修改" if kept else "这些修改"
        self.refused.emit(
            f"{reason}\n窗口已重新读取数据库中保存的内容，{what}未写入；请核对后再修改。"
        )

    # ------------------------------------------------------------------ internals

    def _open_id(self) -> int:
        if self.report_id is None:
            raise RuntimeError("no report is open")
        return self.report_id

    def _shown(self) -> Report:
        """The open report, as the window shows it."""
        assert self.report is not None
        return self.report

    def _write(self, write: Callable[[], _T], kept: Kept, written: Callable[[_T], object]) -> bool:
        """Run an edit's write (``written`` then gets its records); one the disk refuses is
        kept as ``kept`` and retried; False if it was refused and not kept."""
        if self.has_pending and not self.retry_pending():
            self._keep(self.last_failure, kept)  # after the earlier ones
            return True
        try:
            done = write()
        except DatabaseError as error:
            if self._refused_read_only():
                if kept.units or kept.details:
                    self.detailsChanged.emit()  # the fields show what is stored again
                return False
            self._keep(str(error), kept)
            return True
        except StaleWriteError as error:
            self.reload_stale(str(error))
            return False
        except StoreError as error:
            self.refused.emit(str(error))
            return False
        written(done)
        return True

    def _edit(
        self, description: str, write: Callable[[int], Change], keep: Kept | None = None
    ) -> bool:
        """Write one edit; with ``keep``, an edit the disk refuses is kept and retried, like a
        cell, instead of being refused."""
        report_id = self._open_id()
        if keep is not None:
            return self._write(
                lambda: write(report_id), keep, lambda c: self._record(description, [c])
            )
        change = self._guarded(lambda: write(report_id))
        if change is None:
            return False
        self._record(description, [change])
        return True

    def _opened(self, created: ReportCreated | None) -> int | None:
        if created is None:
            return None
        self.reportsChanged.emit()
        self.open(created.report_id)
        return created.report_id

    def _record_edits(self, description: str, changes: Sequence[Change]) -> bool:
        """Record those of ``changes`` that wrote something (1.5 → 1.50 is an edit); whether
        there were any."""
        real = [c for c in changes if is_edit(c)]
        if real:
            self._record(description, real)
        return bool(real)

    def _record(
        self, description: str, changes: Sequence[Change], merge_key: str = "", echo: bool = True
    ) -> None:
        """An edit already written: update the copy, notify, and put it on the undo stack."""
        self.apply(changes, echo=echo)
        self.undo_stack.push(WrittenEdit(self, description, list(changes), merge_key))

    def apply(self, changes: Iterable[Change], echo: bool = True) -> None:
        """Bring the in-memory report in line with changes written to the database."""
        report, changes = self._shown(), list(changes)
        for change in changes:
            apply_change(report, change)
        self.last_saved = dt.datetime.now()
        self._recompute()
        self.saved.emit(self.last_saved)
        if echo:
            for change in changes:
                if isinstance(change, TextChanged):
                    self.textChanged.emit(change.key)
        if any(not isinstance(c, CellChanged | TextChanged | DeclaredChanged) for c in changes):
            self.detailsChanged.emit()

    def revert(self, changes: Sequence[Change]) -> list[Change] | None:
        """Write back what ``changes`` replaced; the records of that write, or None."""
        report_id = self._open_id()
        cells = [c for c in changes if isinstance(c, CellChanged)]
        others = [c for c in changes if not isinstance(c, CellChanged)]

        def write() -> list[Change]:
            done: list[Change] = []
            if cells:
                old = {c.key: c.old for c in cells}
                now = {c.key: c.new for c in cells}  # what it must still hold: see apply_inverse
                done.extend(ops.set_cells(self.db, report_id, old, now))
            done.extend(ops.apply_inverse(self.db, c) for c in reversed(others))
            return done

        return self._guarded(write)

    def _recompute(self) -> None:
        self._check_pending, self.checked = False, True
        if self.report is None:
            self.values, self.findings = {}, []
        else:
            self.values = all_values(self.report.format, self.report.cells)
            self.findings = check(self.report, self.previous, self.others)
        self.cellsChanged.emit()

    def _check_soon(self) -> None:
        """The totals now, the findings two turns of the event loop later (``checked`` is
        False meanwhile).  At start-up the first check (~6 ms on one core, most of it compiling
        the patterns of the restated figures) would delay the report's first paint and the
        first keystroke; run after the paint, and after the background import of the write
        operations has started (``load_store``, queued once the report is open), it fills the
        findings a moment after the report shows.  An edit meanwhile checks at once, as
        always, and the waiting check is then dropped."""
        assert self.report is not None
        self.values = all_values(self.report.format, self.report.cells)
        self.findings, self.checked, self._check_pending = [], False, True
        QTimer.singleShot(0, self, lambda: QTimer.singleShot(0, self, self._check_now))
        self.cellsChanged.emit()

    def _check_now(self) -> None:
        if self._check_pending and not self._closed:
            self._recompute()

    def _read(self, query: Callable[[sqlite3.Connection], _T]) -> _T | None:
        """Run a query of :mod:`model.reads`; a refusal becomes a message, not a crash."""

        def run() -> _T:
            if self.database_gone:  # a new connection would make an empty file in its place
                raise DatabaseGoneError(gone_message(self.path))
            with self._store.reader.read() as connection:
                return query(connection)

        return self._guarded(run)

    def _guarded(self, action: Callable[[], _T]) -> _T | None:
        """Run a read or write; an expected refusal becomes a message, not a crash (and a
        write refused as stale reloads the report)."""
        try:
            return action()
        except StaleWriteError as error:
            log.info("stale: %s", error)
            self.reload_stale(str(error))
            return None
        except UserError as error:
            log.info("refused: %s", error)
            self.refused.emit(str(error))
            return None


class ImportedReport(QUndoCommand):
    """An imported report, already saved when pushed (the first redo does nothing): undo
    removes it (or writes back the report it replaced), redo saves it again."""

    def __init__(
        self, session: ReportSession, saved: Report, before: Report | None, shown: int | None
    ) -> None:
        super().__init__(f"导入“{saved.agency}”{saved.year}年的报告")
        self._session, self._saved, self._before, self._shown = session, saved, before, shown
        self._first = True

    def undo(self) -> None:
        self._session.swap_report(self._before, self._saved, self._shown)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._session.swap_report(self._saved, self._before, None)


def _opening(
    connection: sqlite3.Connection, report_id: int
) -> tuple[Report, Report | None, tuple[Report, ...], list[str]]:
    """A report and what its checks compare it with, in one read: last year's report, the
    other units' of its year, and why either could not be read (the report opens all the same)."""
    report = reads.load_report(connection, report_id)
    problems: list[str] = []
    previous: Report | None = None
    others: tuple[Report, ...] = ()
    try:
        previous = reads.previous_report(connection, report)
    except UserError as error:
        problems.append(str(error))
    try:
        others = tuple(reads.other_units(connection, report))
    except UserError as error:
        problems.append(str(error))
    return report, previous, others, problems


def _to_clipboard(text: str) -> None:
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().setText(text)
