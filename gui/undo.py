"""The undo stack's commands: edits already written when they are pushed.

An edit is written to the database first (it may be refused) and only then put on the stack, so
the first ``redo`` Qt calls on a push does nothing.  Undoing writes the old values back through
the session (which refuses if another program changed them since); redoing writes the inverted
records back the same way (:func:`model.changes.inverted`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from model.changes import Change, TextChanged, inverted


class Writer(Protocol):
    """What a command needs of the session (:class:`gui.session.ReportSession`)."""

    def revert(self, changes: Sequence[Change]) -> list[Change] | None: ...

    def apply(self, changes: Iterable[Change], echo: bool = True) -> None: ...


class WrittenEdit(QUndoCommand):
    """An edit that was written before it was pushed: the first redo does nothing.  Edits with
    the same ``merge_key`` (typing in one text) merge into one step."""

    def __init__(self, session: Writer, text: str, changes: list[Change], merge_key: str) -> None:
        super().__init__(text)
        self._session, self._changes, self._merge_key = session, changes, merge_key
        self._first = True

    def id(self) -> int:
        return 1 if self._merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, WrittenEdit) or other._merge_key != self._merge_key:
            return False
        [mine], [theirs] = self._changes, other._changes
        assert isinstance(mine, TextChanged) and isinstance(theirs, TextChanged)
        self._changes = [TextChanged(mine.report_id, mine.key, mine.old, theirs.new)]
        return True

    def undo(self) -> None:
        self._write_back(self._changes)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        # Redo = revert the revert: write the new values again.
        self._write_back([inverted(c) for c in self._changes])

    def _write_back(self, changes: Sequence[Change]) -> None:
        done = self._session.revert(changes)
        if done is not None:
            self._session.apply(done)
