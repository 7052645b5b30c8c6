"""A short power-cut run for CI; the long run's figures are in docs/RELIABILITY.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from model import ops
from model.db import open_database
from tests.reliability import powercut

pytestmark = pytest.mark.slow


def test_killed_edits_leave_an_intact_database_with_every_acknowledged_edit(
    tmp_path: Path,
) -> None:
    figures = powercut.run(tmp_path, kills=30, seed=20240601, max_delay=0.3)
    assert figures.problems == []
    assert figures.survived == figures.kills == 30
    assert figures.lost == figures.half_written == 0
    assert figures.acknowledged > 100  # the children really did edit between the kills


def test_the_harness_notices_a_lost_edit(tmp_path: Path) -> None:
    """Guard the guard: an edit acknowledged but absent from the database is counted."""
    db_path = tmp_path / "powercut.sqlite3"
    with open_database(db_path) as db:
        ops.create_report(db, powercut.AGENCY, powercut.YEAR)
    payload = {"cells": {"art20_1.rules.issued": 7}}
    lines = ["READY", f"BEGIN {json.dumps(payload)}", "ACK"]
    figures = powercut.Figures()
    powercut._check(db_path, lines, powercut._State(), figures, "synthetic")
    assert figures.lost == 1
    assert figures.problems
