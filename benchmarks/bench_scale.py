"""Scale: databases of 300, 1,000 and 3,000 reports (30, 100, 300 agencies × 10 years).

    python benchmarks/bench_scale.py [--sizes 30,100,300]

For each size: the cold start to a report ready for typing (a new process, as
bench_startup.py times it, against the bare QTableView window), the report list
(``model.ops.list_reports`` and the window's report switcher filled from it), switching
reports in the window (``open_report`` + repaint, 40 switches between random reports), and
checking every report (load, last year's report, ``model.checks.check``: what
``main.py check`` does for one).  The databases are generated once (benchmarks/_scale_db.py)
and kept in the benchmark cache.
Goals (issue 8): switching ≤ 50 ms; no step growing faster than linearly with the reports.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import ROOT, median, ms, percentile, table, verdict, write_section

sys.path.insert(0, str(ROOT))
SWITCHES = 40
STARTS = 3


def _cold_starts(db: Path, folder: Path) -> tuple[float, float]:
    """Median seconds to 'ready' for the program on ``db`` and to 'painted' for the bare window."""
    from bench_startup import _milestones

    env = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "NIANBAO_STARTUP_PROBE": "1",
        "XDG_CONFIG_HOME": str(folder),
        "XDG_DATA_HOME": str(folder),
    }
    bare_command = [sys.executable, str(ROOT / "benchmarks" / "_bare_window.py")]
    app_command = [sys.executable, str(ROOT / "main.py"), "--db", str(db)]
    bare, ready = [], []
    for _ in range(STARTS):
        bare.append(_milestones(bare_command, env)["painted"])
        ready.append(_milestones(app_command, env)["ready"])
    return statistics.median(ready), statistics.median(bare)


def _in_window(db: Path, folder: Path) -> dict[str, object]:
    """Run in a new process: the list, the switcher, switching and checking, on ``db``."""
    from _window import open_window, settle

    from model import ops
    from model.checks import check

    _app, window = open_window(db, folder / "settings.ini")
    session = window.session
    assert session is not None
    lists = []
    for _ in range(5):
        start = time.perf_counter()
        summaries = ops.list_reports(session.db)
        lists.append(time.perf_counter() - start)
    fills = []
    for _ in range(5):
        start = time.perf_counter()
        window._fill_switcher()
        settle()
        fills.append(time.perf_counter() - start)
    rng = random.Random(5)
    targets = [rng.choice(summaries).id for _ in range(SWITCHES)]
    switches = []
    for report_id in targets:
        start = time.perf_counter()
        window.open_report(report_id)
        settle()
        switches.append(time.perf_counter() - start)
        assert session.report_id == report_id
    start = time.perf_counter()
    errors = 0
    for summary in ops.list_reports(session.db):
        report = ops.load_report(session.db, summary.id)
        errors += sum(f.is_error for f in check(report, ops.previous_report(session.db, report)))
    checked = time.perf_counter() - start
    window.close()
    session.close()
    return {
        "reports": len(summaries),
        "list": median(lists),
        "switcher": median(fills),
        "switch": median(switches),
        "switch_max": max(switches),
        "switch_p90": percentile(switches, 0.9),
        "check_all": checked,
        "errors": errors,
    }


def _measure(agencies: int) -> dict[str, object]:
    from _scale_db import scale_database

    cached = scale_database(agencies)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        db = folder / "scale.sqlite3"
        shutil.copyfile(cached, db)  # the program backs up and writes beside its file
        ready, bare = _cold_starts(db, folder)
        command = [sys.executable, __file__, "--child", str(db), str(folder)]
        env = {**os.environ, "XDG_DATA_HOME": str(folder)}
        output = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
        result = json.loads(output.stdout.strip().splitlines()[-1])
    result.update(ready=ready, bare=bare, size_mb=cached.stat().st_size / 2**20)
    return result  # type: ignore[no-any-return]


def _growth(small: dict[str, float], large: dict[str, float], key: str) -> str:
    """The exponent k in time ∝ reportsᵏ between the smallest and the largest database."""
    factor = large["reports"] / small["reports"]
    k = math.log(max(large[key], 1e-9) / max(small[key], 1e-9)) / math.log(factor)
    return f"{k:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="30,100,300", help="agencies (× 10 years each)")
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_in_window(Path(args.child[0]), Path(args.child[1]))))
        return
    results = [_measure(int(n)) for n in args.sizes.split(",")]
    rows = []
    for r in results:
        rows.append(
            (
                f"{r['reports']:,}",
                f"{r['size_mb']:.0f} MB",
                f"{ms(r['ready'])} ({r['ready'] / r['bare']:.2f}×)",
                ms(r["list"]),
                ms(r["switcher"]),
                f"{ms(r['switch'])} (p90 {ms(r['switch_p90'])}, max {ms(r['switch_max'])})",
                f"{r['check_all']:.2f} s ({ms(r['check_all'] / r['reports'])}/report)",
            )
        )
    small, large = results[0], results[-1]
    steps = ("ready", "list", "switcher", "switch", "check_all")
    growth = [_growth(small, large, key) for key in steps]
    switch_ok = all(r["switch"] <= 0.05 and r["switch_p90"] <= 0.05 for r in results)
    linear_ok = all(float(g) <= 1.1 for g in growth)
    header = (
        "reports",
        "file",
        "start to ready (× bare window)",
        "report list (query)",
        "switcher filled",
        "switching (median)",
        "checking all",
    )
    body = "\n".join(
        [
            "Each database is 30, 100 or 300 agencies × 10 years (2016–2025, both formats) of"
            " random valid reports (benchmarks/_scale_db.py).  Start: median of"
            f" {STARTS} new processes.  Switching: {SWITCHES} switches to random reports in the"
            " window (`open_report` + repaint).  Checking all: load, last year's report and"
            " `check` for every report.",
            "",
            table(header, rows),
            "",
            f"Growth from {small['reports']:,} to {large['reports']:,} reports, as the exponent"
            " k in time ∝ reportsᵏ (0 = constant, 1 = linear): "
            + ", ".join(f"{s} {g}" for s, g in zip(steps, growth, strict=True))
            + ".",
            "",
            f"Goals: switching ≤ 50 ms: {verdict(switch_ok)}; no step worse than linear"
            f" (k ≤ 1.1, allowing for noise): {verdict(linear_ok)}.",
        ]
    )
    print(body)
    write_section("scale", "Scale (300 to 3,000 reports)", body)


if __name__ == "__main__":
    main()
