"""The open report, between the widgets and the model's operations.

Every edit goes through here: it is written to the database at once by a model operation, the
in-memory copy is updated from the change that operation returns, totals and findings are
recomputed, and the widgets are told what changed.  The same change records make the undo
stack: undoing writes the old values back through the same operations.

At start-up the session reads through a plain ``sqlite3`` reader (:class:`model.dbfile.FileReader`)
so that the first report is on screen before SQLAlchemy is imported; SQLAlchemy and
:mod:`model.ops` load in a background thread meanwhile (:meth:`ReportSession.load_store`), and the
first write, if it comes sooner, waits for them.  This is why :mod:`model.ops` is imported inside
the methods that write.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from model import reads
from model.calc import all_values
from model.changes import (
    CellChanged,
    Change,
    DeclaredChanged,
    ReportCreated,
    ReportRenamed,
    SignatureChanged,
    StaleWriteError,
    TextChanged,
    TitleChanged,
    UnitChanged,
)
from model.checks import Finding, check
from model.dblock import DatabaseGoneError, file_identity, gone_message
from model.errors import DatabaseError, StoreError, os_reason
from model.files import FileWriteError, write_atomically
from model.formats import CellDef, ReportFormat
from model.report import TEXT_KEYS, Report
from model.schema import text_problem
from model.values import CellValue

if TYPE_CHECKING:
    from model.db import Database
    from model.reads import Readable

log = logging.getLogger(__name__)

_T = TypeVar("_T")
#: How often edits the disk refused are tried again.
RETRY_MS = 3000
#: The fields of a report kept unsaved besides cells and texts (see ``pending_details``).
TITLE, SIGNATURE = "title", "signature"


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
        if db is None and (reader is None or opener is None):
            raise ValueError("a session needs a database, or a reader and an opener")
        self._db = db
        self._reader: Readable = db if db is not None else reader  # type: ignore[assignment]
        self._opener = opener
        self._loader: StoreLoader | None = None
        self._closed = False
        self.undo_stack = QUndoStack(self)
        self.report_id: int | None = None
        self.report: Report | None = None
        self.previous: Report | None = None
        self.values: dict[str, CellValue] = {}
        self.findings: list[Finding] = []
        self.last_saved: dt.datetime | None = None
        # Edits checked and shown but not yet in the database (full disk, read-only folder,
        # file locked by another program): written by the retry timer, never dropped silently.
        self.pending_cells: dict[str, CellValue | None] = {}
        self.pending_texts: dict[str, str] = {}
        self.pending_units: dict[str, str | None] = {}
        self.pending_details: dict[str, object] = {}  # TITLE: str | None, SIGNATURE: (agency, date)
        # What the database held when the first of those edits was kept: what their retry
        # states it replaces (a write never replaces a value it did not read).
        self._stored: dict[tuple[str, str], object] = {}
        # The database file as opened: a file deleted or replaced under the window is noticed
        # before the next write, instead of writing into a new empty one.
        self._identity = file_identity(self._reader.path)
        self._gone_said = False
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(RETRY_MS)
        self.retry_timer.timeout.connect(self.retry_pending)

    # ------------------------------------------------------------------ the store

    @property
    def db(self) -> Database:
        """The database, open for writing; at start-up the first caller waits for it.

        Raises :class:`DatabaseGoneError` (an edit is then kept, as for a full disk) if the
        file is no longer the one opened."""
        if self._db is None:
            self._finish_opening()
        assert self._db is not None
        self._check_file()
        return self._db

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
        return self._reader.path

    @property
    def read_only(self) -> str | None:
        """Why the database can only be read (it is on read-only media, say), or None.  Known
        once it is open for writing (``storeReady``)."""
        return None if self._db is None else self._db.read_only

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
        return self._db is not None

    def load_store(self) -> None:
        """Import SQLAlchemy and the write operations in the background, then open the
        database for writing (``storeReady``).  Until then reads use the start-up reader."""
        if self._db is not None or self._loader is not None:
            return
        self._loader = StoreLoader(self)
        self._loader.loaded.connect(self._loaded)
        self._loader.start()

    def _loaded(self) -> None:
        if self._db is None and not self._closed:
            self._guarded(self._finish_opening)

    def _finish_opening(self) -> None:
        """Open the database for writing; raises :class:`StoreError` if it cannot be."""
        if self._loader is not None:
            self._loader.wait()  # at most the rest of the import; usually already done
        assert self._opener is not None
        self._check_file()
        db = self._opener()
        reader, self._db, self._reader = self._reader, db, db
        reader.close()
        log.info("database open for writing")
        self.storeReady.emit()

    def close(self) -> None:
        """Close the database (or the start-up reader); nothing is written."""
        self._closed = True
        if self._loader is not None:
            self._loader.wait()
        self.retry_timer.stop()
        self._reader.close()  # the database itself once it is open

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

    def open(self, report_id: int | None) -> None:
        if self.has_pending and not self.retry_pending():
            self.refused.emit("还有未能保存的修改，暂时不能切换报告。请先解决磁盘问题。")
            return
        if report_id is None:
            self.report_id = self.report = self.previous = None
        else:
            report = self._read(lambda c: reads.load_report(c, report_id))
            if report is None:
                return
            self.report_id, self.report = report_id, report
            self.previous = self._read(lambda c: reads.previous_report(c, report))
        self.undo_stack.clear()
        self._recompute()
        self.reportOpened.emit()

    # ------------------------------------------------------------------ edits

    def set_cell(self, key: str, value: CellValue | None) -> bool:
        return self.set_cells({key: value}, "修改单元格")

    def set_cells(self, values: Mapping[str, CellValue | None], description: str) -> bool:
        """Write cells in one transaction and one undo step; False if refused.

        An edit the disk refuses is kept (see :meth:`retry_pending`) and counts as taken."""
        from model import ops

        report_id = self._open_id()
        assert self.report is not None
        format_id = self.report.format_id
        checked = self._guarded(lambda: ops.check_cells(format_id, values))
        if checked is None:
            return False
        if self.has_pending and not self.retry_pending():
            self._keep(str(self._last_failure), cells=checked)  # after the earlier ones
            return True
        expected = {key: self.report.cells.get(key) for key in checked}
        try:
            changes = ops.set_cells(self.db, report_id, checked, expected)
        except DatabaseError as error:
            if self._refused_read_only():
                return False
            self._keep(str(error), cells=checked)
            return True
        except StaleWriteError as error:
            self.reload_stale(str(error))
            return False
        except StoreError as error:
            self.refused.emit(str(error))
            return False
        real = [c for c in changes if repr(c.old) != repr(c.new)]  # 1.5 → 1.50 is an edit
        if real:
            self._record(description, real)
        return True

    def set_text(self, key: str, text: str) -> bool:
        from model import ops

        report_id = self._open_id()
        assert self.report is not None
        if problem := text_problem(text):  # never kept either: it could not be written later
            self.refused.emit(f"“{self.report.format.text(key).label}”{problem}，未保存。")
            return False
        if self.has_pending and not self.retry_pending():
            self._keep(str(self._last_failure), texts={key: text})
            return True
        expected = self.report.text(key)
        try:
            change = ops.set_text(self.db, report_id, key, text, expected=expected)
        except DatabaseError as error:
            if self._refused_read_only():
                return False
            self._keep(str(error), texts={key: text})
            return True
        except StaleWriteError as error:
            self.reload_stale(str(error))
            return False
        except StoreError as error:
            self.refused.emit(str(error))
            return False
        if change.old != change.new:
            self._record("修改文字", [change], merge_key=key, echo=False)
        return True

    def set_title(self, title: str | None) -> bool:
        """Like every edit of the report's own fields: written at once, or kept, shown and
        retried when the disk refuses it (``pending_details``)."""
        from model import ops

        return self._edit(
            "修改标题",
            lambda rid: ops.set_title(self.db, rid, title, expected=self._believed_title()),
            keep={"details": {TITLE: title}},
        )

    def set_signature(self, agency: str | None, date: dt.date | None) -> bool:
        from model import ops

        return self._edit(
            "修改落款",
            lambda rid: ops.set_signature(
                self.db, rid, agency, date, expected=self._believed_signature()
            ),
            keep={"details": {SIGNATURE: (agency, date)}},
        )

    def set_unit(self, key: str, unit: str | None) -> bool:
        from model import ops

        return self._edit(
            "修改单位",
            lambda rid: ops.set_unit(self.db, rid, key, unit, expected=self._believed_unit(key)),
            keep={"units": {key: unit}},
        )

    def accept_computed(self, key: str) -> bool:
        """Drop an imported report's own figure for the total ``key``: from now on the report
        shows, prints and checks the total added up from its items."""
        from model import ops

        assert self.report is not None
        shown = self.report.declared.get(key)
        return self._edit(
            "采用自动合计",
            lambda rid: ops.set_declared(self.db, rid, key, None, expected=shown),
        )

    def rename(self, agency: str) -> bool:
        from model import ops

        assert self.report is not None
        shown = self.report.agency
        ok = self._edit(
            "修改单位名称", lambda rid: ops.rename_report(self.db, rid, agency, expected=shown)
        )
        if ok:
            self.reportsChanged.emit()
        return ok

    def _believed_title(self) -> str | None:
        assert self.report is not None
        return self._stored.get(("detail", TITLE), self.report.title)  # type: ignore[return-value]

    def _believed_signature(self) -> tuple[str | None, dt.date | None]:
        assert self.report is not None
        now = (self.report.signature_agency, self.report.signature_date)
        return self._stored.get(("detail", SIGNATURE), now)  # type: ignore[return-value]

    def _believed_unit(self, key: str) -> str | None:
        assert self.report is not None
        return self._stored.get(("unit", key), self.report.units.get(key))  # type: ignore[return-value]

    # ------------------------------------------------------------------ reports

    def create_report(self, agency: str, year: int, format_id: str | None) -> int | None:
        from model import ops

        created = self._guarded(lambda: ops.create_report(self.db, agency, year, format_id))
        return self._opened(created)

    def create_next_year(self, report_id: int) -> int | None:
        from model import ops

        return self._opened(self._guarded(lambda: ops.create_next_year(self.db, report_id)))

    def delete_report(self, report_id: int) -> bool:
        from model import ops

        if self._guarded(lambda: ops.delete_report(self.db, report_id)) is None:
            return False
        if report_id == self.report_id:
            self.open(None)
        self.reportsChanged.emit()
        return True

    def read_file(self, path: Path) -> Report | None:
        """A data file's report, or None (and a message) when it cannot be read."""
        from model.datafile import DataFileError, read_datafile_path  # jsonschema: when used

        try:
            return read_datafile_path(path)
        except OSError as error:
            self.refused.emit(f"无法读取文件“{path}”：{os_reason(error)}")
        except DataFileError as error:
            self.refused.emit(str(error))
        return None

    def existing_id(self, report: Report) -> int | None:
        agency = report.agency.strip()
        return self._read(lambda c: reads.find_report(c, agency, report.year))

    def import_report(self, report: Report, replace: bool) -> int | None:
        from model import ops

        report_id = self._guarded(lambda: ops.save_report(self.db, report, replace=replace))
        if report_id is not None:
            self.reportsChanged.emit()
            self.open(report_id)
        return report_id

    def export_data(self) -> bytes:
        """The open report as a data file."""
        from model.datafile import write_datafile

        assert self.report is not None
        return write_datafile(self.report).encode("utf-8")

    def export_file(self, path: Path) -> bool:
        try:
            write_atomically(path, self.export_data())
        except FileWriteError as error:
            self.refused.emit(str(error))
            return False
        return True

    def replace_database(self, db: Database) -> None:
        """Work on ``db`` from now on (after a restore); the undo history does not carry over."""
        self._db = self._reader = db
        self._closed = False
        self._identity = file_identity(db.path)
        self._gone_said = False
        self._drop_pending()
        self.retry_timer.stop()
        self.undo_stack.clear()
        self.reportsChanged.emit()

    # ------------------------------------------------------------------ unsaved edits

    @property
    def has_pending(self) -> bool:
        return self.pending_count > 0

    @property
    def pending_count(self) -> int:
        return (
            len(self.pending_cells)
            + len(self.pending_texts)
            + len(self.pending_units)
            + len(self.pending_details)
        )

    def _drop_pending(self) -> None:
        for pending in (self.pending_cells, self.pending_texts, self.pending_units):
            pending.clear()
        self.pending_details.clear()
        self._stored.clear()

    def _keep(
        self,
        reason: str,
        cells: Mapping[str, CellValue | None] | None = None,
        texts: Mapping[str, str] | None = None,
        units: Mapping[str, str | None] | None = None,
        details: Mapping[str, object] | None = None,
    ) -> None:
        """Show an edit the disk refused as typed, mark it unsaved and retry it later."""
        report = self.report
        assert report is not None
        self._last_failure = reason
        for key, value in (cells or {}).items():
            self._stored.setdefault(("cell", key), report.cells.get(key))
            self.pending_cells[key] = value
            if value is None:
                report.cells.pop(key, None)
            else:
                report.cells[key] = value
        for key, text in (texts or {}).items():
            self._stored.setdefault(("text", key), report.text(key))
            self.pending_texts[key] = text
            report.texts[key] = text
        for key, unit in (units or {}).items():
            self._stored.setdefault(("unit", key), report.units.get(key))
            self.pending_units[key] = unit
            if unit is None:
                report.units.pop(key, None)
            else:
                report.units[key] = unit
        for field, value in (details or {}).items():
            if field == TITLE:
                self._stored.setdefault(("detail", TITLE), report.title)
                report.title = (str(value or "")).strip() or None
            else:
                self._stored.setdefault(
                    ("detail", SIGNATURE), (report.signature_agency, report.signature_date)
                )
                agency, date = value  # type: ignore[misc]
                report.signature_agency, report.signature_date = (agency or None), date
            self.pending_details[field] = value
        log.warning("kept %d unsaved edit(s): %s", self.pending_count, reason)
        self._recompute()
        if units or details:
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
        from model import ops

        if not self.has_pending:
            self.retry_timer.stop()
            return True
        report_id, count = self._open_id(), self.pending_count
        changes: list[Change] = []
        stale: list[str] = []
        dropped_texts: list[str] = []  # the clerk's typing that a newer text keeps out
        stored = self._stored
        try:
            if self.pending_cells:
                cells = dict(self.pending_cells)
                base = {key: stored.get(("cell", key)) for key in cells}
                _attempt(changes, stale, ops.set_cells, self.db, report_id, cells, base)
                self.pending_cells.clear()
                for key in cells:
                    stored.pop(("cell", key), None)
            for key, text in list(self.pending_texts.items()):
                was = str(stored.get(("text", key)) or "")
                refused_before = len(stale)
                _attempt(changes, stale, ops.set_text, self.db, report_id, key, text, was)
                if len(stale) > refused_before:
                    dropped_texts.append(text)
                del self.pending_texts[key]
                stored.pop(("text", key), None)
            for key, unit in list(self.pending_units.items()):
                was_unit = stored.get(("unit", key))
                _attempt(changes, stale, ops.set_unit, self.db, report_id, key, unit, was_unit)
                del self.pending_units[key]
                stored.pop(("unit", key), None)
            if TITLE in self.pending_details:
                title, was_title = self.pending_details[TITLE], stored.get(("detail", TITLE))
                _attempt(changes, stale, ops.set_title, self.db, report_id, title, was_title)
                del self.pending_details[TITLE]
                stored.pop(("detail", TITLE), None)
            if SIGNATURE in self.pending_details:
                agency, date = self.pending_details[SIGNATURE]  # type: ignore[misc]
                was_signature = stored.get(("detail", SIGNATURE))
                _attempt(
                    changes,
                    stale,
                    ops.set_signature,
                    self.db,
                    report_id,
                    agency,
                    date,
                    was_signature,
                )
                del self.pending_details[SIGNATURE]
                stored.pop(("detail", SIGNATURE), None)
        except DatabaseError as error:  # still refused: what was written is off the list
            self._last_failure = str(error)
            if changes:  # some were written ("saved" was said): the rest are still waiting
                self._record_written("修改（重试后保存）", changes)
                self.unsaved.emit(f"{error}\n还有{self.pending_count}处修改尚未保存（标为橙色）。")
            return False
        except StoreError as error:  # e.g. the report was deleted meanwhile: say so, drop
            self._drop_pending()
            self.retry_timer.stop()
            self._record_written("修改（重试后保存）", changes)
            self.refused.emit(f"未能保存的修改无法写入：{error}")
            return True
        self.retry_timer.stop()
        self._record_written("修改（重试后保存）", changes)
        if stale:
            if dropped_texts:  # not written, but not lost: the clerk can paste it back
                _to_clipboard("\n\n".join(dropped_texts))
                stale.append("未能写入的文字已复制到剪贴板，可以粘贴到需要的地方。")
            self.reload_stale("\n".join(stale), kept=False)
            return True
        self.recovered.emit(f"之前未能保存的{count}处修改现已全部保存。")
        return True

    def _record_written(self, description: str, changes: Sequence[Change]) -> None:
        real = [c for c in changes if _changes_something(c)]
        if real:
            self._record(description, real)
        else:
            self._recompute()

    def reload_stale(self, reason: str, kept: bool = True) -> None:
        """Another program changed what the window showed: read the report again from the
        database (keeping the edits still waiting for the disk) and tell the clerk."""
        report_id = self.report_id
        fresh = None
        if report_id is not None:
            fresh = self._read(lambda c: reads.load_report(c, report_id))
        if fresh is not None and self.report is not None:
            for key, value in self.pending_cells.items():
                if value is None:
                    fresh.cells.pop(key, None)
                else:
                    fresh.cells[key] = value
            fresh.texts.update(self.pending_texts)
            for key, unit in self.pending_units.items():
                if unit is None:
                    fresh.units.pop(key, None)
                else:
                    fresh.units[key] = unit
            if TITLE in self.pending_details:
                fresh.title = self.report.title
            if SIGNATURE in self.pending_details:
                fresh.signature_agency = self.report.signature_agency
                fresh.signature_date = self.report.signature_date
            self.report = fresh
            self.previous = self._read(lambda c: reads.previous_report(c, fresh))
        log.warning("stale write refused, report reloaded: %s", reason)
        # Every widget shows the fresh copy, without reportOpened: that would move the focus
        # (and the clerk's next keystrokes) to another field.
        self._recompute()
        for key in TEXT_KEYS:
            self.textChanged.emit(key)
        self.detailsChanged.emit()
        self.reportsChanged.emit()
        what = "这次修改" if kept else "这些修改"
        self.refused.emit(
            f"{reason}\n窗口已重新读取数据库中保存的内容，{what}未写入；请核对后再修改。"
        )

    _last_failure = ""

    @property
    def last_failure(self) -> str:
        return self._last_failure

    # ------------------------------------------------------------------ internals

    def _open_id(self) -> int:
        if self.report_id is None:
            raise RuntimeError("no report is open")
        return self.report_id

    def _edit(
        self,
        description: str,
        write: Callable[[int], Change],
        keep: Mapping[str, Mapping[str, object]] | None = None,
    ) -> bool:
        """Write one edit; with ``keep`` (what to keep, as :meth:`_keep` takes it), an edit
        the disk refuses is kept and retried, like a cell, instead of being refused."""
        report_id = self._open_id()
        if keep is not None:
            if self.has_pending and not self.retry_pending():
                self._keep(self._last_failure, **keep)  # type: ignore[arg-type]
                return True
            try:
                change = write(report_id)
            except DatabaseError as error:
                if self._refused_read_only():
                    self.detailsChanged.emit()  # the fields show what is stored again
                    return False
                self._keep(str(error), **keep)  # type: ignore[arg-type]
                return True
            except StaleWriteError as error:
                self.reload_stale(str(error))
                return False
            except StoreError as error:
                self.refused.emit(str(error))
                return False
        else:
            found = self._guarded(lambda: write(report_id))
            if found is None:
                return False
            change = found
        self._record(description, [change])
        return True

    def _opened(self, created: ReportCreated | None) -> int | None:
        if created is None:
            return None
        self.reportsChanged.emit()
        self.open(created.report_id)
        return created.report_id

    def _record(
        self, description: str, changes: Sequence[Change], merge_key: str = "", echo: bool = True
    ) -> None:
        """An edit already written: update the copy, notify, and put it on the undo stack."""
        self.apply(changes, echo=echo)
        self.undo_stack.push(_Done(self, description, list(changes), merge_key))

    def apply(self, changes: Iterable[Change], echo: bool = True) -> None:
        """Bring the in-memory report in line with changes written to the database."""
        assert self.report is not None
        report, texts = self.report, []
        for change in changes:
            match change:
                case CellChanged(key=key, new=new):
                    if new is None:
                        report.cells.pop(key, None)
                    else:
                        report.cells[key] = new
                case DeclaredChanged(key=key, new=new):
                    if new is None:
                        report.declared.pop(key, None)
                    else:
                        report.declared[key] = new
                case TextChanged(key=key, new=new):
                    report.texts[key] = new
                    texts.append(key)
                case UnitChanged(key=key, new=new):
                    if new is None:
                        report.units.pop(key, None)
                    else:
                        report.units[key] = new
                case TitleChanged(new=new):
                    report.title = new
                case SignatureChanged(new_agency=agency, new_date=date):
                    report.signature_agency, report.signature_date = agency, date
                case ReportRenamed(new=new):
                    report.agency = new
        self.last_saved = dt.datetime.now()
        self._recompute()
        self.saved.emit(self.last_saved)
        if echo:
            for key in texts:
                self.textChanged.emit(key)
        if any(not isinstance(c, CellChanged | TextChanged | DeclaredChanged) for c in changes):
            self.detailsChanged.emit()

    def revert(self, changes: Sequence[Change]) -> list[Change] | None:
        """Write back what ``changes`` replaced; the records of that write, or None."""
        from model import ops

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
        if self.report is None:
            self.values, self.findings = {}, []
        else:
            self.values = all_values(self.report.format, self.report.cells)
            self.findings = check(self.report, self.previous)
        self.cellsChanged.emit()

    def _read(self, query: Callable[[sqlite3.Connection], _T]) -> _T | None:
        """Run a query of :mod:`model.reads`; a refusal becomes a message, not a crash."""

        def run() -> _T:
            if self.database_gone:  # a new connection would make an empty file in its place
                raise DatabaseGoneError(gone_message(self.path))
            with self._reader.read() as connection:
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
        except StoreError as error:
            log.info("refused: %s", error)
            self.refused.emit(str(error))
            return None


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
            import model.ops  # noqa: F401  (SQLAlchemy, model.db, model.orm)
        except Exception:  # the main thread imports it again and reports the error there
            log.exception("importing the store in the background failed")
        try:
            self.loaded.emit()
        except RuntimeError:  # the window was closed and deleted meanwhile: nothing to tell
            log.info("store loaded after its session was deleted")


class _Done(QUndoCommand):
    """An edit that was written before it was pushed: the first redo does nothing."""

    def __init__(
        self, session: ReportSession, text: str, changes: list[Change], merge_key: str
    ) -> None:
        super().__init__(text)
        self._session, self._changes, self._merge_key = session, changes, merge_key
        self._first = True

    def id(self) -> int:
        return 1 if self._merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _Done) or other._merge_key != self._merge_key:
            return False
        [mine], [theirs] = self._changes, other._changes
        assert isinstance(mine, TextChanged) and isinstance(theirs, TextChanged)
        self._changes = [TextChanged(mine.report_id, mine.key, mine.old, theirs.new)]
        return True

    def undo(self) -> None:
        done = self._session.revert(self._changes)
        if done is not None:
            self._session.apply(done)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        # Redo = revert the revert: write the new values again.
        again = [_forward(c) for c in self._changes]
        done = self._session.revert(again)
        if done is not None:
            self._session.apply(done)


def _attempt(
    changes: list[Change], stale: list[str], write: Callable[..., object], *args: object
) -> None:
    """Retry one kept edit: its records go to ``changes``; a stale refusal's message to
    ``stale`` (the edit is then dropped: the database holds something newer)."""
    try:
        done = write(*args)
    except StaleWriteError as error:
        stale.append(str(error))
        return
    changes.extend(done if isinstance(done, tuple) else [done])  # type: ignore[list-item]


def _to_clipboard(text: str) -> None:
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().setText(text)


def _changes_something(change: Change) -> bool:
    """Whether ``change`` wrote a value other than the one it found (compared by ``repr``, so
    that 1.0 and 1.00 yuan count as different, as they print differently)."""
    match change:
        case SignatureChanged(old_agency=agency, old_date=date, new_agency=new, new_date=on):
            return (agency, date) != (new, on)
        case (
            CellChanged(old=old, new=new)
            | TextChanged(old=old, new=new)
            | UnitChanged(old=old, new=new)
            | TitleChanged(old=old, new=new)
            | DeclaredChanged(old=old, new=new)
            | ReportRenamed(old=old, new=new)
        ):
            return repr(old) != repr(new)
    return True


def _forward(change: Change) -> Change:
    """A record whose reverting writes ``change``'s new value."""
    match change:
        case CellChanged(report_id=r, key=k, old=old, new=new):
            return CellChanged(r, k, new, old)
        case DeclaredChanged(report_id=r, key=k, old=old, new=new):
            return DeclaredChanged(r, k, new, old)
        case TextChanged(report_id=r, key=k, old=old, new=new):
            return TextChanged(r, k, new, old)
        case UnitChanged(report_id=r, key=k, old=old, new=new):
            return UnitChanged(r, k, new, old)
        case TitleChanged(report_id=r, old=old, new=new):
            return TitleChanged(r, new, old)
        case SignatureChanged(report_id=r, old_agency=oa, old_date=od, new_agency=na, new_date=nd):
            return SignatureChanged(r, na, nd, oa, od)
        case ReportRenamed(report_id=r, old=old, new=new):
            return ReportRenamed(r, new, old)
    raise TypeError(change)
