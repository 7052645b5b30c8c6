"""The county desk (县级汇总台) on a county of 150 units × 10 years (benchmarks/_county_db.py).

    python benchmarks/bench_desk.py [--changes N] [--opens N]

Four figures, each against a baseline measured in the same run:

- the desk opens: ``county.desk.Desk(db, year)`` (the register, this year's and last year's
  reports, every report checked, the copied texts found), against loading one report
  (``model.ops.load_report``); and the window, in a new process with the program's main window
  already open on the database: from 汇总 → 县级汇总台… (``DeskWindow`` made, as
  ``gui.desk.window.open_desk`` makes it) to the desk's first paint, against a bare QTableView
  window started cold (as bench_startup.py) — goal < 1 s;
- the 汇总 computes: ``Desk.sums`` of every report of the year, the summed report checked
  (``model.checks.check``), its coverage and the carry-over against last year's sums (computed
  once, as the 汇总 page keeps them) — goal < 0.5 s; and the same through the window (the 汇总
  page's ``resum`` and a repaint);
- one unit's report changes: ``model.ops.set_cell`` on a random unit's input cell, then
  ``Desk.refresh([agency])`` and the sums again — goal < 50 ms, median and p95; against a bare
  SQLite commit (as bench_edit.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import ROOT, median, ms, percentile, ratio, table, verdict, write_section

sys.path.insert(0, str(ROOT))
#: The 汇总's name (the county's own report).
COUNTY = "某某县人民政府"


# ---------------------------------------------------------------------------- model parts


def _timed(action: Any, times: int) -> list[float]:
    found = []
    for _ in range(times):
        start = time.perf_counter()
        action()
        found.append(time.perf_counter() - start)
    return found


def summed(desk: Any, last: Any, last_reports: Any) -> tuple[Any, list[Any], Any, Any]:
    """What the 汇总 page computes: the sums, the summed report checked, coverage, carry-over."""
    from model.aggregate import carry_over
    from model.checks import check

    sums = desk.sums()
    findings = check(sums.report(COUNTY))
    coverage = desk.coverage()
    carried = carry_over(sums, last, list(desk.reports().values()), last_reports)
    return sums, findings, coverage, carried


def model_parts(db_path: Path, changes: int) -> dict[str, Any]:
    from _county_db import YEAR
    from bench_edit import bare_commits

    from county.desk import Desk
    from model import ops
    from model.aggregate import sum_reports
    from model.db import open_database
    from model.formats import CellKind

    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as name:
        result["commit"] = bare_commits(Path(name), 200)
    with open_database(db_path) as db:
        summaries = [s for s in ops.list_reports(db) if s.year == YEAR]
        rng = random.Random(19)
        ids = [rng.choice(summaries).id for _ in range(30)]
        result["load_one"] = [_timed(lambda i=i: ops.load_report(db, i), 1)[0] for i in ids]
        result["load_year"] = _timed(lambda: ops.load_year(db, YEAR), 3)
        result["desk"] = _timed(lambda: Desk(db, YEAR), 3)
        desk = Desk(db, YEAR)
        rows = desk.rows()
        last_reports = [r for _, r in ops.load_year(db, YEAR - 1)]
        last = sum_reports(last_reports, YEAR - 1)
        result["sums"] = _timed(lambda: summed(desk, last, last_reports), 10)
        result["sums_only"] = _timed(desk.sums, 10)
        sums, findings, coverage, carried = summed(desk, last, last_reports)
        result["units"] = len(rows)
        result["reports"] = len(desk.reports())
        result["summed"] = len(sums.agencies)
        result["statuses"] = dict(sorted(_count(r.status.value for r in rows).items()))
        result["copies"] = len(desk.copies())
        result["sum_findings"] = len(findings)
        result["missing"] = len(coverage.missing)
        result["carry"] = (len(carried.added), len(carried.gone))
        # one unit's report changes, thirty times
        fmt = next(iter(desk.reports().values())).format
        keys = [
            k
            for k in fmt.input_keys
            if k.startswith("requests.") and fmt.cells[k].kind is CellKind.COUNT
        ]
        reported = [r for r in rows if r.report_id is not None]
        writes, refreshes, resums, whole = [], [], [], []
        for _ in range(changes):
            row = rng.choice(reported)
            key = rng.choice(keys)
            value = rng.randrange(0, 50)
            report_id = row.report_id
            assert report_id is not None
            start = time.perf_counter()
            ops.set_cell(db, report_id, key, value)
            wrote = time.perf_counter()
            desk.refresh([row.agency])
            refreshed = time.perf_counter()
            sums = desk.sums()
            end = time.perf_counter()
            assert sums.contributions[key][sums.agencies.index(row.agency)].value == value
            writes.append(wrote - start)
            refreshes.append(refreshed - wrote)
            resums.append(end - refreshed)
            whole.append(end - start)
        result.update(write=writes, refresh=refreshes, resum=resums, change=whole)
    return result


def _count(values: Any) -> dict[str, int]:
    found: dict[str, int] = {}
    for value in values:
        found[value] = found.get(value, 0) + 1
    return found


# ---------------------------------------------------------------------------- the window


def _bare_cold(runs: int) -> list[float]:
    from bench_startup import _milestones

    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    command = [sys.executable, str(ROOT / "benchmarks" / "_bare_window.py")]
    return [_milestones(command, env)["painted"] for _ in range(runs)]


def _in_window(db: Path, folder: Path) -> dict[str, Any]:
    """Run in a new process: the main window open on ``db``, then the desk opened, its 汇总
    page shown and summed."""
    from _county_db import YEAR
    from _window import open_window, settle
    from PySide6.QtCore import QEvent, QObject

    from gui.desk.window import DeskWindow

    _app, window = open_window(db, folder / "settings.ini")
    session = window.session
    assert session is not None
    painted: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.perf_counter())
            return False

    probe = FirstPaint()
    start = time.perf_counter()
    desk = DeskWindow(session, YEAR, window)  # what open_desk does, for the bench's year
    built = time.perf_counter()
    desk.installEventFilter(probe)
    for child in desk.findChildren(QObject):
        child.installEventFilter(probe)
    desk.show()
    deadline = time.perf_counter() + 30
    while not painted and time.perf_counter() < deadline:
        settle()
    if not painted:
        raise SystemExit("the desk window never painted")
    result: dict[str, Any] = {"open": painted[0] - start, "build": built - start}
    result["rows"] = len(desk.context.desk.rows())
    page = desk.aggregate_page
    resums = []
    desk.tabs.setCurrentWidget(page)
    settle()
    for _ in range(5):
        start = time.perf_counter()
        page.resum()
        settle()
        resums.append(time.perf_counter() - start)
    result["page_resum"] = resums
    desk.grab().save(str(folder / "desk.png"))
    result["screenshot"] = str(folder / "desk.png")
    desk.close()
    window.close()
    session.close()
    return result


def window_parts(cached: Path, opens: int) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []
    for _ in range(opens):
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            db = folder / "county.sqlite3"
            shutil.copyfile(cached, db)  # the program backs up and writes beside its file
            env = {
                **os.environ,
                "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                "XDG_CONFIG_HOME": str(folder),
                "XDG_DATA_HOME": str(folder),
            }
            command = [sys.executable, __file__, "--child", str(db), str(folder)]
            output = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
            runs.append(json.loads(output.stdout.strip().splitlines()[-1]))
            shot = Path(runs[-1]["screenshot"])
            if shot.exists():
                keep = Path(tempfile.gettempdir()) / "bench-desk.png"
                shutil.copyfile(shot, keep)
                runs[-1]["screenshot"] = str(keep)
    return {
        "open": [r["open"] for r in runs],
        "build": [r["build"] for r in runs],
        "page_resum": [t for r in runs for t in r["page_resum"]],
        "rows": runs[0]["rows"],
        "screenshot": runs[-1]["screenshot"],
        "bare": _bare_cold(opens * 2 + 1),
    }


# ---------------------------------------------------------------------------- the document


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--opens", type=int, default=3, help="new processes opening the desk")
    parser.add_argument("--no-window", action="store_true", help="the model parts only")
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_in_window(Path(args.child[0]), Path(args.child[1]))))
        return
    from _county_db import UNITS, YEAR, county_database

    cached = county_database()
    with tempfile.TemporaryDirectory() as name:
        db = Path(name) / "county.sqlite3"
        shutil.copyfile(cached, db)
        m = model_parts(db, args.changes)
    w = None if args.no_window else window_parts(cached, args.opens)
    print(body := _body(m, w, UNITS, YEAR, args.changes))
    if w is not None:
        print(f"(the desk as painted: {w['screenshot']})")
    write_section("county", "County desk (150 units)", body)


def _body(m: dict[str, Any], w: dict[str, Any] | None, units: int, year: int, n: int) -> str:
    load = median(m["load_one"])
    commit = median(m["commit"])
    desk = median(m["desk"])
    sums = median(m["sums"])
    c50, c95 = median(m["change"]), percentile(m["change"], 0.95)
    rows: list[tuple[str, ...]] = [
        ("load one report (`ops.load_report`)", ms(load), "1.00×", "—"),
        ("bare SQLite commit of one row", ms(commit), "1.00×", "—"),
        (
            "`ops.load_year` (this year's reports)",
            ms(median(m["load_year"])),
            f"{ratio(median(m['load_year']), load)} load",
            "—",
        ),
        (
            "`Desk(db, year)`: load, check every report, find copies",
            ms(desk),
            f"{ratio(desk, load)} load",
            f"< 1 s: {verdict(desk < 1)}",
        ),
        (
            "汇总: `Desk.sums` + check + coverage + carry-over",
            ms(sums),
            f"{ratio(sums, load)} load",
            f"< 0.5 s: {verdict(sums < 0.5)}",
        ),
        ("… of which `Desk.sums` alone", ms(median(m["sums_only"])), "—", "—"),
        (
            f"one report changes: `set_cell` + `refresh` + sums (median of {n})",
            ms(c50),
            f"{ratio(c50, commit)} commit",
            f"< 50 ms: {verdict(c50 < 0.05)}",
        ),
        (
            "… p95",
            ms(c95),
            f"{ratio(c95, commit)} commit",
            f"< 50 ms: {verdict(c95 < 0.05)}",
        ),
        (
            "… of which write / refresh / re-sum (medians)",
            " / ".join(ms(median(m[k])) for k in ("write", "refresh", "resum")),
            "—",
            "—",
        ),
    ]
    if w is not None:
        bare = statistics.median(w["bare"])
        opened = median(w["open"])
        rows += [
            ("bare QTableView window, cold start to painted", ms(bare), "1.00×", "—"),
            (
                "县级汇总台… clicked → desk window painted (program already open)",
                ms(opened),
                f"{ratio(opened, bare)} bare",
                f"< 1 s: {verdict(opened < 1)}",
            ),
            ("… of which `DeskWindow` built", ms(median(w["build"])), "—", "—"),
        ]
        if w["page_resum"]:
            page = median(w["page_resum"])
            rows.append(
                (
                    "汇总 page: `resum` + repaint",
                    ms(page),
                    f"{ratio(page, load)} load",
                    f"< 0.5 s: {verdict(page < 0.5)}",
                )
            )
    statuses = "，".join(f"{k} {v}" for k, v in m["statuses"].items())
    added, gone = m["carry"]
    lines = [
        f"A county of {units} units × 10 years (benchmarks/_county_db.py), the desk on {year}:"
        f" {m['units']} rows ({statuses}), {m['reports']} reports of the year, {m['summed']}"
        f" summed, {m['copies']} copied texts found, {m['missing']} units missing; carry-over"
        f" names {added} units added and {gone} gone.  Model parts in one process (medians);"
        " the window in new processes with the main window already open on the database.",
        "",
        table(("", "time", "ratio", "goal"), rows),
    ]
    if w is None:
        lines += ["", "The window was not measured (`--no-window`)."]
    else:
        lines += [
            "",
            f"Desk window: medians of {len(w['open'])} new processes, the bare window of"
            f" {len(w['bare'])}.",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
