"""The published JSON Schema: generated from the formats, committed, and never stale."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from model.formats import FORMATS, CellKind
from model.schema import DATE_PATTERN, MONEY_PATTERN, SCHEMA_PATH, build_schema, render_schema
from model.values import InvalidValue, from_json

DATA = Path(__file__).resolve().parents[2] / "resources" / "examples"
FIXTURES = sorted(DATA.glob("*.nianbao.json"))
VALIDATOR = Draft202012Validator(build_schema())


def test_committed_schema_is_the_generated_one() -> None:
    """Regenerate with ``python -m model.schema`` when this fails."""
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema()


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(build_schema())


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixtures_are_valid(path: Path) -> None:
    assert list(VALIDATOR.iter_errors(json.loads(path.read_text(encoding="utf-8")))) == []


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=lambda f: f.id)
def test_every_cell_of_a_format_is_in_its_cells_schema(fmt) -> None:
    defs = build_schema()["$defs"]
    assert list(defs[f"cells_{fmt.id}"]["properties"]) == list(fmt.cells)
    units = defs[f"units_{fmt.id}"]["properties"]
    assert all(fmt.cells[key].column.unit_choices for key in units)


def test_a_cell_of_the_other_format_is_refused() -> None:
    doc = json.loads(FIXTURES[0].read_text(encoding="utf-8"))
    other = next(f for f in FORMATS.values() if f.id != doc["format"])
    stray = next(k for k in other.input_keys if k not in FORMATS[doc["format"]].cells)
    doc["cells"][stray] = 0
    assert not VALIDATOR.is_valid(doc)


def test_a_count_written_with_a_decimal_point_is_not_an_integer() -> None:
    """The reader parses fractions as Decimal, which the validator never takes for an int."""
    doc = json.loads(FIXTURES[0].read_text(encoding="utf-8"), parse_float=Decimal)
    doc["year"] = Decimal("2019.0")
    assert not VALIDATOR.is_valid(doc)


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2999, 12, 31)))
@settings(max_examples=100, deadline=None)
def test_date_pattern_accepts_real_dates(date: dt.date) -> None:
    assert re.match(DATE_PATTERN, date.isoformat())


@given(st.integers(1000, 2999), st.integers(0, 13), st.integers(0, 32))
@settings(max_examples=200, deadline=None)
def test_date_pattern_refuses_impossible_dates(year: int, month: int, day: int) -> None:
    try:
        dt.date(year, month, day)
        real = True
    except ValueError:
        real = False
    assert bool(re.match(DATE_PATTERN, f"{year:04d}-{month:02d}-{day:02d}")) is real


@pytest.mark.parametrize("text", ["2000-02-29", "2024-02-29", "1900-02-28", "2100-02-28"])
def test_leap_years(text: str) -> None:
    assert re.match(DATE_PATTERN, text)


@pytest.mark.parametrize("text", ["1900-02-29", "2100-02-29", "2023-02-29", "0999-01-01"])
def test_not_leap_years(text: str) -> None:
    assert not re.match(DATE_PATTERN, text)


@given(st.from_regex(r"\A[0-9.e+-]{0,22}\Z"))
@settings(max_examples=200, deadline=None)
def test_money_pattern_agrees_with_the_values_module(text: str) -> None:
    try:
        from_json(CellKind.MONEY, text)
        accepted = True
    except InvalidValue:
        accepted = False
    assert bool(re.match(MONEY_PATTERN, text)) is accepted
