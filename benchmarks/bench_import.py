"""Reading a published report back (issue 18, item 6), against reading the same report otherwise.

    python benchmarks/bench_import.py [--runs N] [--print-only]

Inputs: the program's own PDF, Word file and web page of the sample (2021 format), a page of a
real website as copied from the browser (tests/data/published/samples/12-pingtan-zone-2025,
page.txt) and a real published PDF (samples/01-hongze-district-2023-pdf, 5 pages, WPS).

Each is read in a fresh process of its own: *first* counts the imports and the first
``published.pipeline.read_published`` (what the clerk waits for on the first file), *warm* is
the median of the reads after it.  The baselines are measured the same way in the same run:
``model.datafile.read_datafile`` of the sample's data file (the report read from our own
format), and a bare pdfplumber open that extracts the text of every page of the same PDF (what
any PDF reader pays before it looks at a table).

A folder of 100: the 23 samples and the 6 exports of the example and the sample (PDF, Word,
web page), repeated under their own names to 100 files, read in one process, and given to the
command line (``main.py import-published FILE... --out DIR``: a new process, the checks, the
data files written); the baseline is 100 reads of the sample's data file.
Goals (issue 18): one report under 1 s, PDF and first read included; 100 in under a minute.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import EXAMPLE, ROOT, SAMPLE, ms, ratio, table, verdict, write_section

sys.path.insert(0, str(ROOT))

SAMPLES = ROOT / "tests" / "data" / "published" / "samples"
COPIED_PAGE = SAMPLES / "12-pingtan-zone-2025" / "page.txt"
REAL_PDF = SAMPLES / "01-hongze-district-2023-pdf" / "hzq2023_working.pdf"
ONE_GOAL_S = 1.0  # one report, first read in a new process included
FOLDER_SIZE = 100
FOLDER_GOAL_S = 60.0


def _timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """(seconds of the first call, median seconds of ``runs`` calls after it)."""
    start = time.perf_counter()
    action()
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return first, statistics.median(times)


def _child(kind: str, path: Path, runs: int) -> dict[str, object]:
    """In a fresh process: [first (imports included), warm median] of one way to read ``path``."""
    start = time.perf_counter()
    action: Callable[[], object]
    if kind == "datafile":
        from model.datafile import read_datafile

        def action() -> object:
            return read_datafile(path.read_bytes())

    elif kind == "pdfplumber":
        import pdfplumber

        def action() -> object:
            with pdfplumber.open(path) as pdf:
                return [page.extract_text() for page in pdf.pages]

    else:
        from published.pipeline import read_published

        def action() -> object:
            return read_published(path)

    imports = time.perf_counter() - start
    first, warm = _timed(action, runs)
    out: dict[str, object] = {"first": imports + first, "warm": warm}
    if kind == "read":
        from published.pipeline import read_published

        imported = read_published(path)
        out["cells"] = len(imported.cells)
        out["unread"] = imported.needing_review
        out["format"] = imported.report.format_id
    return out


def _run_child(kind: str, path: Path, runs: int) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", kind, str(path), "--runs", str(runs)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _exports(folder: Path) -> dict[str, Path]:
    """The example's and the sample's PDF, Word file and web page, written into ``folder``."""
    from export.renderers import RENDERERS
    from model.datafile import read_datafile

    out = {}
    for source, name in ((SAMPLE, "sample"), (EXAMPLE, "example")):
        report = read_datafile(source.read_bytes())
        for kind in RENDERERS:
            path = folder / f"{name}{kind.suffix}"
            path.write_bytes(kind.render(report).data)
            out[f"{name} {kind.name}"] = path
    return out


def _folder_of_100(folder: Path, exports: list[Path]) -> list[Path]:
    """The samples and ``exports`` repeated, each copy under a name of its own."""
    inputs = sorted(p for p in SAMPLES.glob("*/*") if p.name != "SOURCE.txt") + exports
    files = []
    for n in range(FOLDER_SIZE):
        source = inputs[n % len(inputs)]
        target = folder / f"{n:03d}-{source.parent.name}-{source.name}"
        shutil.copyfile(source, target)
        files.append(target)
    return files


def _read_all(files: list[Path]) -> tuple[float, int, int]:
    """Seconds to read every file in this process (after one warm-up read); how many were
    read as reports and how many refused as not a readable report."""
    from published.pipeline import read_published
    from published.result import NotAReport

    read_published(files[0])  # imports, as a clerk's first file
    read = refused = 0
    start = time.perf_counter()
    for path in files:
        try:
            read_published(path)
            read += 1
        except NotAReport:
            refused += 1
    return time.perf_counter() - start, read, refused


def _command_line(files: list[Path], out: Path) -> tuple[float, int]:
    """Wall-clock seconds of ``main.py import-published FILE... --out DIR``; its exit status."""
    command = [sys.executable, str(ROOT / "main.py"), "import-published", *map(str, files)]
    start = time.perf_counter()
    done = subprocess.run([*command, "--out", str(out)], capture_output=True, check=False)
    return time.perf_counter() - start, done.returncode


def _batch_baseline(runs: int) -> float:
    from model.datafile import read_datafile

    data = SAMPLE.read_bytes()
    read_datafile(data)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(FOLDER_SIZE):
            read_datafile(SAMPLE.read_bytes())
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _one_report(folder: Path, runs: int) -> tuple[str, bool]:
    exports = _exports(folder)
    data = _run_child("datafile", SAMPLE, runs)
    own_pdf = exports["sample pdf"]
    plumber = {pdf: _run_child("pdfplumber", pdf, runs) for pdf in (own_pdf, REAL_PDF)}
    inputs = [
        ("own PDF (sample, 2021)", own_pdf, own_pdf),
        ("own Word file (sample)", exports["sample docx"], None),
        ("own web page (sample)", exports["sample html"], None),
        ("copied page text (12-pingtan-zone-2025)", COPIED_PAGE, None),
        ("real PDF, 5 pages (01-hongze-district-2023)", REAL_PDF, REAL_PDF),
    ]
    rows: list[tuple[object, ...]] = [
        ("baseline: read_datafile of the sample's data file", "", ms(_f(data, "first")),
         ms(_f(data, "warm")), "1.00×", "", ""),
    ]  # fmt: skip
    for pdf, name in ((own_pdf, "own PDF"), (REAL_PDF, "real PDF")):
        bare = plumber[pdf]
        rows.append(
            (f"baseline: bare pdfplumber, text of every page ({name})", "",
             ms(_f(bare, "first")), ms(_f(bare, "warm")), ratio(_f(bare, "warm"), _f(data, "warm")),
             "1.00×", "")
        )  # fmt: skip
    met = True
    for name, path, pdf in inputs:
        got = _run_child("read", path, runs)
        first, warm = _f(got, "first"), _f(got, "warm")
        met &= first <= ONE_GOAL_S
        read = f"{got['format']}, {got['cells']} cells, {got['unread']} to review"
        against_pdf = ratio(warm, _f(plumber[pdf], "warm")) if pdf is not None else "—"
        rows.append(
            (name, read, ms(first), ms(warm), ratio(warm, _f(data, "warm")), against_pdf,
             f"≤ {ONE_GOAL_S:.0f} s: {verdict(first <= ONE_GOAL_S)}")
        )  # fmt: skip
    header = (
        "input",
        "read as",
        "first (new process)",
        "warm (median)",
        "× data file",
        "× bare pdfplumber",
        "goal (first)",
    )
    return table(header, rows), met


def _f(values: dict[str, object], key: str) -> float:
    value = values[key]
    assert isinstance(value, float)
    return value


def _folder(folder: Path, runs: int) -> tuple[str, bool]:
    exports = list(_exports(folder).values())
    inputs = folder / "in"
    inputs.mkdir()
    files = _folder_of_100(inputs, exports)
    seconds, read, refused = _read_all(files)
    cli, status = _command_line(files, folder / "out")
    written = len(list((folder / "out").glob("*.nianbao.json")))
    base = _batch_baseline(runs)
    rows = [
        (f"baseline: {FOLDER_SIZE} × read_datafile (sample)", "", ms(base), "1.00×", ""),
        (
            f"{FOLDER_SIZE} files read in one process (read_published)",
            f"{read} reports, {refused} refused",
            f"{seconds:.2f} s",
            ratio(seconds, base),
            f"≤ {FOLDER_GOAL_S:.0f} s: {verdict(seconds <= FOLDER_GOAL_S)}",
        ),
        (
            "the same by the command line (import-published … --out DIR)",
            f"{written} data files written, exit {status}",
            f"{cli:.2f} s",
            ratio(cli, base),
            f"≤ {FOLDER_GOAL_S:.0f} s: {verdict(cli <= FOLDER_GOAL_S)}",
        ),
    ]
    header = ("folder", "outcome", "time", "× baseline", "goal")
    return table(header, rows), seconds <= FOLDER_GOAL_S and cli <= FOLDER_GOAL_S


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"))
    parser.add_argument("--print-only", action="store_true", help="leave docs/PERFORMANCE.md")
    args = parser.parse_args()
    if args.child:
        kind, path = args.child
        print(json.dumps(_child(kind, Path(path), args.runs)))
        return
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-import-") as temp:
        one, one_met = _one_report(Path(temp), args.runs)
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-import-") as temp:
        many, many_met = _folder(Path(temp), max(1, args.runs // 2))
    body = "\n".join(
        [
            "Each input read in a fresh process: *first* counts the imports and the first"
            " `read_published` (what the clerk waits for); *warm* is the median of"
            f" {args.runs} reads after it.  Ratios are warm against warm: the sample's data file"
            " read with `read_datafile`, and for a PDF a bare pdfplumber open that extracts the"
            " text of every page of the same file.",
            "",
            one,
            "",
            f"A folder of {FOLDER_SIZE}: the 23 published samples (19 copied pages, 2 real PDFs,"
            " 2 converted texts) and the PDF, Word file and web page of the example and the"
            " sample, repeated; read in one process after one warm-up read, and by the command"
            " line in a new process (its checks and the data files written included).  The"
            " example's own exports state no agency or year the reader can find (its title"
            " “古城回族乡政府信息公开年度报告” has no year, and it has no 落款): the command line"
            " refuses those without `--agency`/`--year` (exit 2) and writes no data file.",
            "",
            many,
        ]
    )
    print(body)
    if not args.print_only:
        write_section("import", "Reading a published report (import-published)", body)
    if not (one_met and many_met):
        sys.exit(1)


if __name__ == "__main__":
    main()
