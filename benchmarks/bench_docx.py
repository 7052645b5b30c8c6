"""How long the Word export of the example report takes, in-process (run by hand):

    .venv/bin/python benchmarks/bench_docx.py

Measures, in one fresh process: the imports, the first export, the warm exports after it, and
for scale a bare python-docx document of one paragraph saved in the same run.  The goal
(issue 5) is well under half a second for the first export.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "tests" / "data" / "example-2019-township.nianbao.json"


def _bare() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("政府信息公开工作年度报告。")
    document.save(io.BytesIO())


def _time(action: Callable[[], object], runs: int = 1) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    start = time.perf_counter()
    from export.docx import render_docx
    from model.datafile import read_datafile

    imports = time.perf_counter() - start
    report = read_datafile(EXAMPLE.read_bytes())

    (first,) = _time(lambda: render_docx(report))
    warm = _time(lambda: render_docx(report), runs=20)
    bare = _time(_bare, runs=20)
    data = render_docx(report)

    print(f"imports (python-docx, model, export): {imports * 1000:6.0f} ms")
    print(f"example, first export:                {first * 1000:6.0f} ms")
    print(f"example, warm (median of 20):         {statistics.median(warm) * 1000:6.0f} ms")
    print(f"bare one-paragraph doc (median of 20): {statistics.median(bare) * 1000:5.0f} ms")
    print(
        f"ratio warm / bare:                    {statistics.median(warm) / statistics.median(bare):6.1f}"
    )
    print(f"{len(data) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
