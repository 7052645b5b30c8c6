"""A third report format that exists only in the tests, to prove a format is purely additive.

It is the 2021 format with one more row in a part 二 table (行政检查 in 第二十条第（六）项) and a
seventh, text part (七、附件说明), in force from 2091.  Nothing in ``model/`` or ``export/``
knows it: :func:`registered` puts it in :data:`model.formats.FORMATS`, the one list of formats,
exactly as a real format module is listed there, and takes it out again.

The API, for any test that wants a third format:

- :data:`THIRD_FORMAT`: the format (id :data:`FORMAT_ID`, first year :data:`YEAR`);
- :data:`NEW_ROW_LABEL`, :data:`NEW_CELL`: the extra row's label and its input cell's key;
- :data:`NEW_TEXT`, :data:`NEW_HEADING`: the seventh part's text key and printed heading;
- :func:`registered`: a context manager during which the format is registered;
- :func:`third_format`: the same as a pytest fixture (import it into a test module).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from model.formats import FORMATS, Part, ReportFormat, Row, TextField, get_format
from model.formats.common import assemble

FORMAT_ID = "2091"
YEAR = 2091
NEW_ROW_LABEL = "行政检查"
NEW_CELL = "art20_6.inspection.decisions"
NEW_TEXT = "attachments"
NEW_HEADING = "七、附件说明"

_EXTENDED_TABLE = "art20_6"


def _build() -> ReportFormat:
    base = get_format("2021")
    tables = tuple(
        dataclasses.replace(t, rows=(*t.rows, Row("inspection", NEW_ROW_LABEL)))
        if t.key == _EXTENDED_TABLE
        else t
        for t in base.tables
    )
    seventh = Part(NEW_TEXT, "七", NEW_HEADING, "附件说明", text=NEW_TEXT)
    return assemble(
        dataclasses.replace(
            base,
            id=FORMAT_ID,
            document="测试用格式（并非国务院办公厅文件）",
            name="《测试用第三种年度报告格式》",
            first_year=YEAR,
            last_year=None,
            parts=(*base.parts, seventh),
            tables=tables,
            texts=(*base.texts, TextField(NEW_TEXT, "附件说明")),
            cells={},  # resolved again by ``assemble``, never shared with the 2021 format
        )
    )


THIRD_FORMAT = _build()


@contextmanager
def registered(fmt: ReportFormat = THIRD_FORMAT) -> Iterator[ReportFormat]:
    """``fmt`` is one of :data:`model.formats.FORMATS` inside the ``with`` block."""
    assert fmt.id not in FORMATS, f"format {fmt.id} is already registered"
    FORMATS[fmt.id] = fmt
    try:
        yield fmt
    finally:
        del FORMATS[fmt.id]


@pytest.fixture
def third_format() -> Iterator[ReportFormat]:
    """:data:`THIRD_FORMAT`, registered for the test."""
    with registered() as fmt:
        yield fmt
