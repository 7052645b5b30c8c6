"""Start-up of the bundle against `python main.py`: each started as a new process, timed from
launch to the window's first paint and to the report being ready for typing.

    python installer/bench_bundle.py [--runs N]        (after `make bundle`)

The same milestones and clock as benchmarks/bench_startup.py (NIANBAO_STARTUP_PROBE=1). Runs
alternate, so both see the same file cache: this is a process's cold start, not a cold disk.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_startup import EXAMPLE, _milestones  # noqa: E402
from build import EXE  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "NIANBAO_STARTUP_PROBE": "1",
    }
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite3"
        subprocess.run([str(EXE), "--db", str(db), "import", str(EXAMPLE)], check=True)
        env["XDG_CONFIG_HOME"] = folder
        commands = {
            "python main.py": [sys.executable, str(ROOT / "main.py"), "--db", str(db)],
            "bundle": [str(EXE), "--db", str(db)],
        }
        found: dict[str, dict[str, list[float]]] = {
            k: {"painted": [], "ready": []} for k in commands
        }
        for _ in range(runs):
            for name, command in commands.items():
                times = _milestones(command, env)
                for milestone in ("painted", "ready"):
                    found[name][milestone].append(times[milestone])
    print(f"runs: {runs} (medians)")
    for name, times in found.items():
        painted, ready = (statistics.median(times[m]) * 1000 for m in ("painted", "ready"))
        print(f"{name:15} painted {painted:7.1f} ms   ready {ready:7.1f} ms")


if __name__ == "__main__":
    main()
