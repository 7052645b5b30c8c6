"""Random strings typed or pasted into every kind of cell: never a crash, never an invalid
value stored, and a message whenever the text is not taken."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex

from gui.grid_model import GridModel
from gui.main_window import MainWindow
from model import ops
from model.datafile import read_datafile
from model.db import Database
from model.formats import CellKind
from model.values import parse

from .conftest import EXAMPLE, SAMPLE

pytestmark = pytest.mark.gui
EXAMPLES = int(os.environ.get("NIANBAO_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_typed = (
    st.text(max_size=30)
    | st.text(alphabet="0123456789０１２３４５６７８９.,-+ 　e万元¥", max_size=16)
    | st.sampled_from(
        [
            "1000000000",
            "1000000001",
            "-1000000001",
            "１０００００００００１",
            "9" * 400,
            "1e9",
            "NaN",
            "-0",
            "12.345",
            "٣",
            "1,234",
            "1,23",
            "0.00",
            "\u202e12",
            "\x00",
            "\n5",
        ]
    )
)


def _models(window: MainWindow) -> list[GridModel]:
    return [
        page.model
        for page in window.pages.values()
        if isinstance(getattr(page, "model", None), GridModel)
    ]  # type: ignore[attr-defined]


def _cells_by_kind(window: MainWindow) -> dict[CellKind, tuple[GridModel, str]]:
    assert window.session is not None
    found: dict[CellKind, tuple[GridModel, str]] = {}
    for model in _models(window):
        for row, col in model.input_positions():
            key = model.cell_at(model.index(row, col)).key  # type: ignore[union-attr]
            found.setdefault(window.session.cell(key).kind, (model, key))
    return found


def _messages(window: MainWindow) -> list[str]:
    said: list[str] = []
    assert window.session is not None
    window.session.refused.connect(said.append)
    for model in _models(window):
        model.refused.connect(lambda message, _index: said.append(message))
    return said


def _all_valid(window: MainWindow, reader: Database) -> None:
    assert window.session is not None and window.session.report_id is not None
    stored = ops.load_report(reader, window.session.report_id)
    ops.check_cells(stored.format_id, stored.cells)  # raises if any value does not fit
    assert stored.cells == window.session.report.cells  # type: ignore[union-attr]


@pytest.mark.parametrize("sample", [EXAMPLE, SAMPLE], ids=["2019", "2021"])
def test_random_text_typed_into_every_kind_of_cell(
    window: MainWindow, reader: Database, sample
) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    window.session.import_report(read_datafile(sample.read_bytes()), replace=False)
    cells = _cells_by_kind(window)
    assert set(cells) >= {CellKind.COUNT, CellKind.MONEY}
    said = _messages(window)

    @FUZZ
    @given(kind=st.sampled_from(sorted(cells, key=str)), text=_typed)
    def typing(kind: CellKind, text: str) -> None:
        model, key = cells[kind]
        said.clear()
        taken = model.setData(model.index_of(key), text)
        if taken:
            assert window.session.input_value(key) == parse(kind, text)  # type: ignore[union-attr]
        else:
            assert said and all(said)
        _all_valid(window, reader)

    typing()


def test_random_blocks_pasted_anywhere(window: MainWindow, reader: Database) -> None:
    assert window.session is not None
    window.session.import_report(read_datafile(EXAMPLE.read_bytes()), replace=False)
    said = _messages(window)
    pages = [p for p in window.pages.values() if isinstance(getattr(p, "model", None), GridModel)]

    @FUZZ
    @given(
        page=st.sampled_from(pages),
        start=st.integers(0, 10_000),
        block=st.lists(st.lists(_typed, min_size=1, max_size=4), min_size=1, max_size=3),
        separator=st.sampled_from(["\n", "\r\n", "\r"]),
    )
    def pasting(page, start: int, block: list[list[str]], separator: str) -> None:  # type: ignore[no-untyped-def]
        view, model = page.view, page.model
        positions = model.input_positions()
        view.setCurrentIndex(model.index(*positions[start % len(positions)]))
        said.clear()
        text = separator.join("\t".join(row) for row in block)
        if not view.paste(text) and text:
            assert said and all(said)
        _all_valid(window, reader)

    pasting()
    assert not QModelIndex().isValid()
