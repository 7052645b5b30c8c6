"""The copy of the report the window shows never drifts from what is stored.

The session keeps its copy in step from the records the writes return
(:func:`model.changes.apply_change`) instead of reading the report again after every keystroke.
A state machine of what a clerk does through the session (cells typed, blocks pasted, texts,
title, signature and units edited, reports made, opened and carried over, undo and redo) reads
the report from the database after every step and compares it with the session's copy, money
by ``repr`` as well (1.5 and 1.50 yuan print differently).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from gui.session import ReportSession
from model import reads
from model.db import open_database
from model.formats import CellKind
from model.report import Report
from model.values import CellValue

pytestmark = pytest.mark.gui

AGENCIES = ["某某镇人民政府", "某某县自然资源局"]
WORDS = st.text("政府信息公开年度报告甲乙 \n1", max_size=12)
NAMES = st.none() | st.text("某县局镇人民政府", min_size=1, max_size=8)
ALIKE = st.sampled_from([Decimal("1.5"), Decimal("1.50"), Decimal("2"), Decimal("2.0")])


def _value(kind: CellKind) -> st.SearchStrategy[CellValue | None]:
    """A value a clerk may type in a cell of ``kind``, or a blank."""
    if kind is CellKind.MONEY:
        return st.none() | ALIKE | st.decimals(0, 1000, places=2)
    low = -50 if kind is CellKind.SIGNED_COUNT else 0
    return st.none() | st.integers(low, 50)


def _as_stored(report: Report) -> tuple[object, ...]:
    """Everything stored of a report, money by ``repr`` (Decimal("1.5") == Decimal("1.50"))."""
    return (
        report.format_id,
        report.agency,
        report.year,
        report.title,
        {k: repr(v) for k, v in report.cells.items()},
        {k: repr(v) for k, v in report.declared.items()},
        report.units,
        {k: v for k, v in report.texts.items() if v},  # an empty text is stored as none
        report.signature_agency,
        report.signature_date,
    )


class ClerkAtTheWindow(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._folder = tempfile.TemporaryDirectory()
        self.db = open_database(Path(self._folder.name) / "session.sqlite3")
        self.session = ReportSession(self.db)
        self.session.create_report(AGENCIES[0], 2019, None)

    def teardown(self) -> None:
        self.session.close()
        self.session.deleteLater()
        self._folder.cleanup()

    def _cells(self, data: st.DataObject, most: int) -> dict[str, CellValue | None]:
        report = self.session.report
        assert report is not None
        fmt = report.format
        money = [key for key in fmt.input_keys if fmt.cells[key].kind is CellKind.MONEY]
        # A few cells again and again (1.5 then 1.50 in one cell), any cell now and then.
        hot = st.sampled_from([*money, *fmt.input_keys[:3]])
        any_cell = st.sampled_from(fmt.input_keys)
        keys = data.draw(st.lists(hot | any_cell, min_size=1, max_size=most))
        return {key: data.draw(_value(report.format.cells[key].kind)) for key in keys}

    @rule(data=st.data())
    def type_a_cell(self, data: st.DataObject) -> None:
        [(key, value)] = self._cells(data, 1).items()
        assert self.session.set_cell(key, value)

    @rule(data=st.data(), amount=ALIKE)
    def type_an_amount(self, data: st.DataObject, amount: Decimal) -> None:
        """The same sum written differently (1.5, then 1.50) is an edit: it prints differently."""
        assert self.session.format is not None
        cells = self.session.format.cells
        money = [key for key, cell in cells.items() if cell.kind is CellKind.MONEY]
        assert self.session.set_cell(data.draw(st.sampled_from(money)), amount)

    @rule(data=st.data())
    def paste_a_block(self, data: st.DataObject) -> None:
        assert self.session.set_cells(self._cells(data, 6), "粘贴")

    @rule(data=st.data(), text=WORDS)
    def edit_a_text(self, data: st.DataObject, text: str) -> None:
        assert self.session.format is not None
        key = data.draw(st.sampled_from(self.session.format.text_keys))
        assert self.session.set_text(key, text)

    @rule(title=NAMES)
    def edit_the_title(self, title: str | None) -> None:
        assert self.session.set_title(title)

    @rule(agency=NAMES, date=st.none() | st.dates(dt.date(2019, 1, 1), dt.date(2030, 12, 31)))
    def sign(self, agency: str | None, date: dt.date | None) -> None:
        assert self.session.set_signature(agency, date)

    @rule(data=st.data())
    def choose_a_unit(self, data: st.DataObject) -> None:
        assert self.session.format is not None
        cells = self.session.format.cells
        choosable = [key for key, cell in cells.items() if cell.column.unit_choices]
        if choosable:
            key = data.draw(st.sampled_from(choosable))
            unit = data.draw(st.none() | st.sampled_from(cells[key].column.unit_choices))
            assert self.session.set_unit(key, unit)

    @rule(agency=st.sampled_from(AGENCIES), year=st.integers(2019, 2023))
    def make_a_report(self, agency: str, year: int) -> None:
        self.session.create_report(agency, year, None)  # refused if it exists: nothing changes

    @rule(data=st.data())
    def open_a_report(self, data: st.DataObject) -> None:
        reports = self.session.reports()
        self.session.open(data.draw(st.sampled_from([r.id for r in reports])))

    @rule()
    def carry_over(self) -> None:
        if self.session.report_id is not None:
            self.session.create_next_year(self.session.report_id)

    @rule()
    def undo(self) -> None:
        if self.session.undo_stack.canUndo():
            self.session.undo_stack.undo()

    @rule()
    def redo(self) -> None:
        if self.session.undo_stack.canRedo():
            self.session.undo_stack.redo()

    @invariant()
    def the_copy_is_what_is_stored(self) -> None:
        assert not self.session.has_pending
        if self.session.report_id is None:
            return
        assert self.session.report is not None
        with self.db.read() as connection:
            stored = reads.load_report(connection, self.session.report_id)
        assert _as_stored(self.session.report) == _as_stored(stored)


def test_the_session_copy_matches_the_database(qapp) -> None:  # type: ignore[no-untyped-def]
    run_state_machine_as_test(
        ClerkAtTheWindow,
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
