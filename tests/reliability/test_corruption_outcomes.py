"""The corruption harness counts a file from a newer program as refused at open: it is refused
(``NewerDatabaseError``, a ``DatabaseError`` but not a ``BrokenDatabaseError``, since the file
is not damaged), and must not be reported as some other refusal."""

from __future__ import annotations

import random
from pathlib import Path

from model import ops
from model.db import open_database
from tests.reliability import corruptions


def _source(folder: Path) -> tuple[Path, list[object]]:
    source = folder / "source.sqlite3"
    with open_database(source) as db:
        created = ops.create_report(db, "古城回族乡人民政府", 2020)
        ops.set_cell(db, created.report_id, "art20_1.rules.made", 3)
        expected = corruptions._contents(db)
    return source, expected


def test_a_newer_file_counts_as_refused_at_open(tmp_path: Path) -> None:
    source, expected = _source(tmp_path)
    outcome = corruptions.trial(source, expected, "newer-version", random.Random(1), tmp_path)
    assert outcome == "refused at open"


def test_an_undamaged_file_counts_as_harmless(tmp_path: Path) -> None:
    """Guard the guard: the harness does not call everything refused ("none" is no damage)."""
    source, expected = _source(tmp_path)
    assert corruptions.trial(source, expected, "none", random.Random(1), tmp_path) == "harmless"
