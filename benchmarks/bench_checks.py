"""Recomputing every total and every finding of a report, as the window does on each edit,
against the bare SQLite commit (WAL, synchronous=FULL) that each edit costs anyway.

    python benchmarks/bench_checks.py
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import timeit
from pathlib import Path

from model.calc import all_values
from model.checks import check
from model.datafile import read_datafile
from model.report import Report

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import table, write_section

ROOT = Path(__file__).resolve().parents[1]
FILES = ("example-2019-township.nianbao.json", "sample-2021-county-bureau.nianbao.json")


def _median_ms(action, number: int = 200, repeat: int = 25) -> float:  # type: ignore[no-untyped-def]
    return statistics.median(timeit.repeat(action, number=number, repeat=repeat)) / number * 1000


def _bare_commit_ms() -> float:
    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(Path(folder) / "bare.sqlite3", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("CREATE TABLE cell (key TEXT PRIMARY KEY, value INTEGER)")
        counter = iter(range(10**9))

        def commit() -> None:
            db.execute("BEGIN")
            db.execute("INSERT OR REPLACE INTO cell VALUES ('k', ?)", (next(counter),))
            db.execute("COMMIT")

        result = _median_ms(commit, number=20, repeat=15)
        db.close()
        return result


def _recompute(report: Report, previous: Report) -> None:
    all_values(report.format, report.cells)
    check(report, previous)


def main() -> None:
    bare = _bare_commit_ms()
    rows = [("bare SQLite commit (WAL, synchronous=FULL)", f"{bare:.3f} ms", "1.00×")]
    for name in FILES:
        report = read_datafile((ROOT / "resources" / "examples" / name).read_bytes())
        previous = read_datafile((ROOT / "resources" / "examples" / name).read_bytes())
        previous.year -= 1

        took = _median_ms(lambda r=report, p=previous: _recompute(r, p))
        rows.append((f"{name}: totals + findings", f"{took:.3f} ms", f"{took / bare:.2f}×"))
    body = "\n".join(
        [
            "Recomputing every total and finding of a report, as each edit does (medians).",
            "",
            table(("", "time", "ratio"), rows),
        ]
    )
    print(body)
    write_section("checks", "Totals and findings", body)


if __name__ == "__main__":
    main()
