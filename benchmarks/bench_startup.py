"""Start-up: this program's first painted window and its report ready for typing, against a
bare PySide6 window holding one QTableView, each started cold as a new process.

    python benchmarks/bench_startup.py [--runs N]

Goals (issue 3): painted ≤ 1.5 × bare, ready ≤ 4 × bare.  Both are timed from outside, from
launching the process to the line it prints at the milestone: the same clock for both.
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

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "data" / "example-2019-township.nianbao.json"


def _milestones(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from launching ``command`` to each milestone line it prints."""
    found = {}
    start = time.perf_counter()
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        for line in child.stdout:
            found[line.strip()] = time.perf_counter() - start
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
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite3"
        subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "--db", str(db), "import", str(EXAMPLE)],
            check=True,
            capture_output=True,
        )
        env["XDG_CONFIG_HOME"] = folder  # a settings file of its own
        bare, painted, ready = [], [], []
        for _ in range(args.runs):
            bare.append(
                _milestones([sys.executable, str(ROOT / "benchmarks" / "_bare_window.py")], env)[
                    "painted"
                ]
            )
            app = _milestones([sys.executable, str(ROOT / "main.py"), "--db", str(db)], env)
            painted.append(app["painted"])
            ready.append(app["ready"])
    b, p, r = (statistics.median(x) for x in (bare, painted, ready))
    print(f"runs: {args.runs} (medians)")
    print(f"bare QTableView window painted: {b * 1000:7.1f} ms  (1.00×)")
    print(f"程序 window painted:            {p * 1000:7.1f} ms  ({p / b:.2f}×, goal ≤ 1.5×)")
    print(f"report ready for typing:        {r * 1000:7.1f} ms  ({r / b:.2f}×, goal ≤ 4×)")


if __name__ == "__main__":
    main()
