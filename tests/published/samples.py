"""The 23 real published reports of tests/data/published/samples as regression fixtures.

Each sample has an expected outcome in tests/data/published/expected/<folder>.json, written by
reading the published text itself (not by copying what the program printed): the format, the
agency, the year, the 落款 date, every cell as printed (``null`` = printed blank), the printed
totals that disagree with the computed ones, the cells left for the clerk, and the error
findings the published faults must raise.

    python tests/published/samples.py 07-jinjing-2021     print the current outcome as JSON,
                                                          to compare with the expected file
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "data" / "published" / "samples"
EXPECTED = ROOT / "tests" / "data" / "published" / "expected"


def sample_file(folder: str) -> Path:
    """The published file of a sample folder (its one file besides SOURCE.txt)."""
    files = [p for p in (SAMPLES / folder).iterdir() if p.name != "SOURCE.txt"]
    assert len(files) == 1, files
    return files[0]


def folders() -> list[str]:
    return sorted(p.name for p in SAMPLES.iterdir() if p.is_dir())


def outcome(folder: str) -> dict[str, Any]:
    """What the program makes of a sample, in the expected files' shape."""
    from model.checks import check
    from model.values import to_json
    from published.pipeline import read_published

    imported = read_published(sample_file(folder))
    report = imported.report
    cells: dict[str, Any] = {}
    for key, cell in imported.cells.items():
        if report.format.cells[key].derived:
            continue
        cells[key] = None if cell.value is None else to_json(cell.value)
    return {
        "format": report.format_id,
        "agency": report.agency,
        "year": report.year,
        "signature_date": report.signature_date.isoformat() if report.signature_date else None,
        "cells": dict(sorted(cells.items())),
        "units": dict(sorted(report.units.items())),
        "declared_disagreeing": {k: to_json(v) for k, v in sorted(report.declared.items())},
        "unread": sorted({key for item in imported.unread for key in item.keys}),
        "errors": sorted({f.rule for f in check(report) if f.is_error}),
        "texts": sorted(report.texts),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for name in sys.argv[1:]:
        print(json.dumps(outcome(name), ensure_ascii=False, indent=1))
