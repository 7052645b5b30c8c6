"""Start-up: this program's first painted window and its report ready for typing, against a
bare PySide6 window holding one QTableView, each started cold as a new process.

    python benchmarks/bench_startup.py [--runs N]

Goals (issue 20, on one core): painted ≤ 1.3 × bare, ready ≤ 2 × bare (issue 3's were 1.5 ×
and 4 ×).  Both are timed from outside, from launching the process to the line it prints at the
milestone: the same clock for both.

Both programs run from compiled bytecode, as the installed program does (PyInstaller ships it):
with PYTHONDONTWRITEBYTECODE set, or a checkout whose ``__pycache__`` is older than its sources,
every start would compile the changed modules again (tens of ms) and time the compiler rather
than the start.  So the children write and read their bytecode in a cache folder of their own
(PYTHONPYCACHEPREFIX), filled by one unmeasured start of each before the measured ones.

"Ready" is the report painted and taking typing: it was read with plain sqlite3, while
SQLAlchemy loads in a background thread.  So that is measured too: when the database is open
for writing ("loaded"; an edit committed before then waits for it), and the longest the window
stopped responding meanwhile (the program's 1 ms timer, late by that much at worst).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import EXAMPLE, ROOT, table, verdict, write_section


def _milestones(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from launching ``command`` to each milestone line it prints; a line that
    carries its own figure ("longest-pause 12.5", in ms) gives that figure in seconds."""
    found = {}
    start = time.perf_counter()
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        for line in child.stdout:
            name, _, figure = line.strip().partition(" ")
            found[name] = float(figure) / 1000 if figure else time.perf_counter() - start
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "NIANBAO_STARTUP_PROBE": "1",
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as folder:
        env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "bytecode")
        db = Path(folder) / "bench.sqlite3"
        subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "--db", str(db), "import", str(EXAMPLE)],
            check=True,
            capture_output=True,
            env=env,
        )
        env["XDG_CONFIG_HOME"] = folder  # a settings file of its own
        bare_window = [sys.executable, str(ROOT / "benchmarks" / "_bare_window.py")]
        program = [sys.executable, str(ROOT / "main.py"), "--db", str(db)]
        for warm_up in (bare_window, program):  # the bytecode cache filled, not measured
            _milestones(warm_up, env)
        bare, painted, ready, loaded, pause = [], [], [], [], []
        for _ in range(args.runs):
            bare.append(_milestones(bare_window, env)["painted"])
            app = _milestones(program, env)
            painted.append(app["painted"])
            ready.append(app["ready"])
            loaded.append(app["loaded"])
            pause.append(app["longest-pause"])
    b, p, r, done = (statistics.median(x) for x in (bare, painted, ready, loaded))
    rows = [
        ("bare QTableView window, painted", f"{b * 1000:.1f} ms", "1.00×", "—"),
        (
            "程序 window painted",
            f"{p * 1000:.1f} ms",
            f"{p / b:.2f}×",
            f"≤ 1.3×: {verdict(p / b <= 1.3)}",
        ),
        (
            "example report ready for typing",
            f"{r * 1000:.1f} ms",
            f"{r / b:.2f}×",
            f"≤ 2×: {verdict(r / b <= 2)}",
        ),
        (
            "… database open for writing (loaded behind it)",
            f"{done * 1000:.1f} ms",
            f"{done / b:.2f}×",
            "—",
        ),
    ]
    body = "\n".join(
        [
            f"Each a new process, timed from launch to the milestone it prints; medians of"
            f" {args.runs} runs.",
            "",
            table(("", "time", "ratio", "goal"), rows),
            "",
            f"While SQLAlchemy loaded behind the report, the window's longest pause was"
            f" {statistics.median(pause) * 1000:.0f} ms (median of the runs; worst"
            f" {max(pause) * 1000:.0f} ms).",
        ]
    )
    print(body)
    write_section("startup", "Cold start", body)


if __name__ == "__main__":
    main()
