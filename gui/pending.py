"""Edits the disk refused, kept in the window until they can be written.

An edit is checked before it is written; when the write itself fails (full disk, read-only
folder, a file another program has locked) the edit is not dropped: it is shown as typed, marked
unsaved, and written by a later retry.  Each kept edit remembers what the database held when it
was kept, and its retry states that as what it replaces, so that a retry never writes over a
value another program wrote meanwhile (:class:`model.changes.StaleWriteError`).

Qt-free: the session (:class:`gui.session.ReportSession`) owns one, runs the retry timer and
tells the clerk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from gui.store_loader import ops
from model.changes import Change, StaleWriteError, set_or_clear
from model.errors import DatabaseError, StoreError
from model.report import Report
from model.values import CellValue

if TYPE_CHECKING:
    from model.db import Database

#: The fields of a report kept unsaved besides cells, texts and units (see ``details``).
TITLE, SIGNATURE = "title", "signature"
Signature = tuple[str | None, dt.date | None]


@dataclass(frozen=True)
class Kept:
    """One edit to keep: the values as the clerk gave them (``None``: blank, no unit).
    ``details`` holds TITLE: str | None and SIGNATURE: (agency, date)."""

    cells: Mapping[str, CellValue | None] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str | None] = field(default_factory=dict)
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Retried:
    """What a retry wrote (``changes``), the messages of the edits it dropped as stale and the
    texts among them, and the error that stopped it, if one did."""

    changes: list[Change]
    stale: list[str]
    dropped_texts: list[str]
    error: StoreError | None = None


class PendingEdits:
    """The edits checked and shown but not yet in the database, never dropped silently."""

    def __init__(self) -> None:
        self.cells: dict[str, CellValue | None] = {}
        self.texts: dict[str, str] = {}
        self.units: dict[str, str | None] = {}
        self.details: dict[str, object] = {}  # TITLE: str | None, SIGNATURE: (agency, date)
        # What the database held when the first of those edits was kept: what their retry
        # states it replaces (a write never replaces a value it did not read).
        self._stored: dict[tuple[str, str], object] = {}
        #: Why the disk refused the last write tried.
        self.last_failure = ""

    @property
    def count(self) -> int:
        return len(self.cells) + len(self.texts) + len(self.units) + len(self.details)

    def clear(self) -> None:
        for pending in (self.cells, self.texts, self.units, self.details):
            pending.clear()
        self._stored.clear()

    def keep(self, report: Report, reason: str, edit: Kept) -> None:
        """Show ``edit`` in ``report`` as typed and keep it for a retry."""
        self.last_failure = reason
        for key, value in edit.cells.items():
            self._stored.setdefault(("cell", key), report.cells.get(key))
            self.cells[key] = value
        for key, text in edit.texts.items():
            self._stored.setdefault(("text", key), report.text(key))
            self.texts[key] = text
        for key, unit in edit.units.items():
            self._stored.setdefault(("unit", key), report.units.get(key))
            self.units[key] = unit
        for name, detail in edit.details.items():
            if name == TITLE:
                self._stored.setdefault(("detail", TITLE), report.title)
            else:
                now = (report.signature_agency, report.signature_date)
                self._stored.setdefault(("detail", SIGNATURE), now)
            self.details[name] = detail
        self._show(report, edit.cells, edit.texts, edit.units, edit.details)

    def overlay(self, fresh: Report, shown: Report) -> None:
        """Put the kept edits onto ``fresh``, a report read again in place of ``shown``."""
        self._show(fresh, self.cells, self.texts, self.units, {})
        if TITLE in self.details:
            fresh.title = shown.title
        if SIGNATURE in self.details:
            fresh.signature_agency = shown.signature_agency
            fresh.signature_date = shown.signature_date

    def believed_title(self, report: Report) -> str | None:
        """What the database holds, as far as the window knows: what a write replaces."""
        return cast("str | None", self._stored.get(("detail", TITLE), report.title))

    def believed_signature(self, report: Report) -> Signature:
        now = (report.signature_agency, report.signature_date)
        return cast(Signature, self._stored.get(("detail", SIGNATURE), now))

    def believed_unit(self, report: Report, key: str) -> str | None:
        return cast("str | None", self._stored.get(("unit", key), report.units.get(key)))

    def write(self, db: Callable[[], Database], report_id: int) -> Retried:
        """Write the kept edits, each stating what it replaces; those written (or dropped as
        stale) are off the list.  A refusal stops the retry: it is in ``error``."""
        changes: list[Change] = []
        stale: list[str] = []
        dropped_texts: list[str] = []  # the clerk's typing that a newer text keeps out
        stored = self._stored
        try:
            if self.cells:
                cells = dict(self.cells)
                base = {key: stored.get(("cell", key)) for key in cells}
                _attempt(changes, stale, ops.set_cells, db(), report_id, cells, base)
                self.cells.clear()
                for key in cells:
                    stored.pop(("cell", key), None)
            for key, text in list(self.texts.items()):
                was = str(stored.get(("text", key)) or "")
                refused_before = len(stale)
                _attempt(changes, stale, ops.set_text, db(), report_id, key, text, was)
                if len(stale) > refused_before:
                    dropped_texts.append(text)
                del self.texts[key]
                stored.pop(("text", key), None)
            for key, unit in list(self.units.items()):
                was_unit = stored.get(("unit", key))
                _attempt(changes, stale, ops.set_unit, db(), report_id, key, unit, was_unit)
                del self.units[key]
                stored.pop(("unit", key), None)
            if TITLE in self.details:
                title, was_title = self.details[TITLE], stored.get(("detail", TITLE))
                _attempt(changes, stale, ops.set_title, db(), report_id, title, was_title)
                del self.details[TITLE]
                stored.pop(("detail", TITLE), None)
            if SIGNATURE in self.details:
                agency, date = cast(Signature, self.details[SIGNATURE])
                was_signature = stored.get(("detail", SIGNATURE))
                _attempt(
                    changes, stale, ops.set_signature, db(), report_id, agency, date, was_signature
                )
                del self.details[SIGNATURE]
                stored.pop(("detail", SIGNATURE), None)
        except DatabaseError as error:  # still refused: what was written is off the list
            self.last_failure = str(error)
            return Retried(changes, stale, dropped_texts, error)
        except StoreError as error:  # e.g. the report was deleted meanwhile
            return Retried(changes, stale, dropped_texts, error)
        return Retried(changes, stale, dropped_texts)

    @staticmethod
    def _show(
        report: Report,
        cells: Mapping[str, CellValue | None],
        texts: Mapping[str, str],
        units: Mapping[str, str | None],
        details: Mapping[str, object],
    ) -> None:
        """Put edits into ``report`` as the clerk typed them."""
        for key, value in cells.items():
            set_or_clear(report.cells, key, value)
        report.texts.update(texts)
        for key, unit in units.items():
            set_or_clear(report.units, key, unit)
        for name, detail in details.items():
            if name == TITLE:
                report.title = (str(detail or "")).strip() or None
            else:
                agency, date = cast(Signature, detail)
                report.signature_agency, report.signature_date = (agency or None), date


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
