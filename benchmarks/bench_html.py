"""The web page export (issue 17, item 4) as a ratio against the Word export of the same report.

    python benchmarks/bench_html.py [--runs N] [--print-only]

For the example (2019 format), the sample (2021 format), and both with about ten pages of
text (:func:`bench_export.long_report`): the median time of ``export.html.render`` and of
``export.docx.render`` in the same process, after one warm-up export of each (imports, fonts).
Goal: the web page costs at most half of the Word file (tests/export/test_html.py holds the
same bound on the long example).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import EXAMPLE, ROOT, SAMPLE, ms, ratio, table, verdict, write_section
from bench_export import long_report

sys.path.insert(0, str(ROOT))

GOAL = 0.5  # the web page's time / the Word file's time


def _median(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up: imports, fonts
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--print-only", action="store_true", help="leave docs/PERFORMANCE.md")
    args = parser.parse_args()
    from export import docx, html
    from model.datafile import read_datafile

    reports = {
        "example (2019)": read_datafile(EXAMPLE.read_bytes()),
        "sample (2021)": read_datafile(SAMPLE.read_bytes()),
        "example, ~10 pages of text": long_report(EXAMPLE),
        "sample, ~10 pages of text": long_report(SAMPLE),
    }
    rows = []
    met = True
    for name, report in reports.items():
        page = _median(lambda r=report: html.render(r), args.runs)  # type: ignore[misc]
        word = _median(lambda r=report: docx.render(r), args.runs)  # type: ignore[misc]
        size = len(html.render(report).data) // 1024
        met &= page <= GOAL * word
        rows.append(
            (
                name,
                f"{size} KB",
                ms(page),
                ms(word),
                ratio(page, word),
                verdict(page <= GOAL * word),
            )
        )
    header = ("report", "page size", "web page (median)", "Word (median)", "ratio", f"≤ {GOAL}×")
    body = "\n".join(
        [
            "The web page (export/html.py) and the Word file of the same report, rendered in one"
            f" process after a warm-up export of each; medians of {args.runs} runs.  Both lay out"
            " the same Document (export/document.py).",
            "",
            table(header, rows),
        ]
    )
    print(body)
    if not args.print_only:
        write_section("export-html", "Export as a web page (against Word)", body)
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
