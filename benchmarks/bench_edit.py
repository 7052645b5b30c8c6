"""Edit latency: a committed cell edit through the real window, against a bare SQLite commit.

    python benchmarks/bench_edit.py [--edits N]

Each edit is what a clerk's Enter does: ``GridModel.setData`` on an input cell of 三、依申请公开
(parse → ReportSession.set_cells → model.ops.set_cells, committed with synchronous=FULL →
totals and findings recomputed → the grid, the findings panel and the counts updated), then
``processEvents`` so the views repaint.  The baseline is one row committed by plain ``sqlite3``
with the same pragmas (WAL, synchronous=FULL), the least any committed edit can cost.
Goals (issue 20, on one core too: ``taskset -c 0``): median ≤ 10× the bare commit, 99th
percentile ≤ 16 ms (one frame at 60 Hz).  The bare commit is the floor of any edit (its fsync);
the table says how much of an edit's median it is.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import EXAMPLE, ROOT, median, ms, percentile, ratio, table, verdict, write_section

#: How many input cells the edits go round (reading order from the top of the table).
CELLS = int(os.environ.get("BENCH_EDIT_CELLS", "12"))


def bare_commits(folder: Path, count: int) -> list[float]:
    db = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE cell (key TEXT PRIMARY KEY, value INTEGER)")
    times = []
    for value in range(count):
        start = time.perf_counter()
        db.execute("BEGIN")
        db.execute("INSERT OR REPLACE INTO cell VALUES ('k', ?)", (value,))
        db.execute("COMMIT")
        times.append(time.perf_counter() - start)
    db.close()
    return times


def window_edits(folder: Path, count: int) -> tuple[list[float], int]:
    """Seconds per edit, and how many edits the database holds afterwards (a sanity check)."""
    from _window import open_window, settle

    db = folder / "app.sqlite3"
    main = [sys.executable, str(ROOT / "main.py"), "--db", str(db), "import", str(EXAMPLE)]
    subprocess.run(main, check=True, capture_output=True)
    _app, window = open_window(db, folder / "settings.ini")
    tab = window.pages["requests"]
    window.tabs.setCurrentWidget(tab)
    settle()
    model = tab.model  # type: ignore[attr-defined]
    inputs = [model.index(r, c) for r, c in model.input_positions()]
    rng = random.Random(8)
    times = []
    for number in range(count):
        index = inputs[number % CELLS]  # the first rows' cells, as a clerk fills them
        old = model.data(index)
        value = str(rng.randrange(0, 500))
        value = value if value != old else str(int(value) + 1)
        start = time.perf_counter()
        ok = model.setData(index, value)
        settle()
        times.append(time.perf_counter() - start)
        assert ok
    session = window.session
    assert session is not None
    stored = __import__("model.ops", fromlist=["load_report"]).load_report(
        session.db, session.report_id
    )
    assert stored.cells == session.report.cells  # every edit is in the database
    written = session.undo_stack.count()
    window.close()
    session.close()
    return times, written


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=1000)
    count = parser.parse_args().edits
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        bare = bare_commits(folder, count)
        edits, written = window_edits(folder, count)
    b50, b99 = median(bare), percentile(bare, 0.99)
    e50, e99 = median(edits), percentile(edits, 0.99)
    rows = [
        ("bare SQLite commit of one row", ms(b50), ms(b99), "1.00×", "—"),
        (
            "edit through the window",
            ms(e50),
            ms(e99),
            f"{ratio(e50, b50)} / {ratio(e99, b99)}",
            f"median ≤ 10× bare: {verdict(e50 <= 10 * b50)}; p99 ≤ 16 ms: {verdict(e99 <= 0.016)}",
        ),
    ]
    body = "\n".join(
        [
            f"{count} committed edits of input cells in 三、依申请公开 (`GridModel.setData` +"
            " `processEvents`), each written with synchronous=FULL, totals and findings"
            f" recomputed, views repainted; {written} undo steps recorded.",
            "",
            table(("", "median", "p99", "ratio (median / p99)", "goal"), rows),
            "",
            f"The bare commit (the fsync every edit must wait for) is {b50 / e50:.0%} of an"
            f" edit's median. Slowest edit {ms(max(edits))}; slowest bare commit {ms(max(bare))}.",
        ]
    )
    print(body)
    write_section("edit", "Edit latency", body)


if __name__ == "__main__":
    main()
