"""Export to PDF and to Word: the example and two long reports, against a bare one-page document.

    python benchmarks/bench_export.py [--runs N]

Each renderer is measured in a fresh process of its own: "first" is the imports, the fonts and
the first export together (what the clerk waits for on the first click), "warm" the median of
the exports after it.  The baselines are a bare one-page ReportLab document in the same
registered font (仿宋), and a bare python-docx document of one paragraph set in the same East
Asian font name, measured the same way.  The long reports are the example (2019 format) and the
sample (2021 format) with texts long enough for about ten pages of text each.
Goal (issue 8): the example ≤ 0.5 s each, first export included.

Long texts (issue 12): one paragraph of 10,000 to 200,000 characters as the overview of the
example, and the largest report the data file allows (every text at ``MAX_TEXT``) in two
shapes: one paragraph a text, and a one-character paragraph a line (the most printed lines the
limit allows).  Time must grow in proportion to the text (it grew with its square), and the
largest report must export in seconds.  ``--long`` measures only these.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import EXAMPLE, ROOT, SAMPLE, ms, ratio, table, verdict, write_section

sys.path.insert(0, str(ROOT))
BARE_TEXT = "政府信息公开工作年度报告。"
#: One paragraph of a long report's text (about 150 characters), numbered so none repeats.
PARAGRAPH = (
    "第{n}项：本机关坚持以公开为常态、不公开为例外，围绕重点领域信息公开，全年主动公开政府信息"
    "{n}条，其中规范性文件{m}件，政策解读{m}篇；依申请公开工作严格按照法定时限答复，未发生因"
    "答复超期引起的行政复议和行政诉讼。下一步将进一步完善政府信息公开工作机制，加强工作人员培训，"
    "提高公开质量和实效。"
)


def long_report(path: Path):  # type: ignore[no-untyped-def]
    """``path``'s report with its four texts long enough for about ten pages of text."""
    from model.datafile import read_datafile

    report = read_datafile(path.read_bytes())
    counts = {"preamble": 3, "overview": 22, "problems": 12, "other_matters": 6}
    texts = {
        key: "\n".join(PARAGRAPH.format(n=n, m=n % 17 + 1) for n in range(1, count + 1))
        for key, count in counts.items()
    }
    return dataclasses.replace(report, texts=texts)


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


def _child(kind: str, runs: int) -> dict[str, list[float]]:
    """Run in a fresh process: every measurement of one renderer (imports counted in 'first')."""
    start = time.perf_counter()
    if kind.startswith("bare-"):
        bare = _bare_pdf() if kind == "bare-pdf" else _bare_docx()
        imports = time.perf_counter() - start
        first, warm = _timed(bare, runs)
        return {"bare": [imports + first, warm, 1]}
    from model.datafile import read_datafile

    render = _pdf() if kind == "pdf" else _docx()
    imports = time.perf_counter() - start
    reports = {
        "example": read_datafile(EXAMPLE.read_bytes()),
        "long (2019 format)": long_report(EXAMPLE),
        "long (2021 format)": long_report(SAMPLE),
    }
    results = {}
    for name, report in reports.items():
        first, warm = _timed(lambda r=report: render(r), runs)  # type: ignore[misc]
        results[name] = [first + (imports if name == "example" else 0), warm, render(report)]
    return results


def _bare_pdf() -> Callable[[], object]:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from export.fonts import Face, default_fonts

    def bare() -> None:
        font = default_fonts().font_name(Face.FANG)  # registered once, as the export does
        style = ParagraphStyle("p", fontName=font, fontSize=16, leading=29, wordWrap="CJK")
        doc = SimpleDocTemplate(io.BytesIO(), pagesize=A4, invariant=1)
        doc.build([Paragraph(BARE_TEXT, style)])

    return bare


def _bare_docx() -> Callable[[], object]:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def bare() -> None:
        document = docx.Document()
        run = document.add_paragraph().add_run(BARE_TEXT)
        run.font.name = "仿宋_GB2312"
        run.font.size = Pt(16)
        run._element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
        document.save(io.BytesIO())

    return bare


def _pdf() -> Callable[[object], int]:
    from export.pdf import render_pdf

    return lambda report: render_pdf(report).pages  # type: ignore[arg-type]


def _docx() -> Callable[[object], int]:
    from export.docx import render_docx

    def render(report: object) -> int:
        render_docx(report)  # type: ignore[arg-type]
        return 0  # Word lays out the pages itself when it opens the file

    return render


SENTENCE = "我乡严格按照《条例》要求，认真做好政府信息公开工作。"
LONG_SIZES = (10_000, 20_000, 40_000, 60_000, 200_000)
#: Largest-report goal: each export under this many seconds (issue 12: "a few seconds").
LARGEST_GOAL_S = 10.0


def _long_reports():  # type: ignore[no-untyped-def]
    """(name, characters, report): the one-paragraph sizes, then the largest allowed reports
    (built directly: the longer ones are over the data file's limit)."""
    from model.datafile import read_datafile
    from model.schema import MAX_TEXT

    example = read_datafile(EXAMPLE.read_bytes())
    out = []
    for size in LONG_SIZES:
        text = (SENTENCE * (size // len(SENTENCE) + 1))[:size]
        texts = {**example.texts, "overview": text}
        out.append((f"one paragraph of {size:,}", size, dataclasses.replace(example, texts=texts)))
    paragraph = (SENTENCE * (MAX_TEXT // len(SENTENCE) + 1))[:MAX_TEXT]
    lines = ("一\n" * MAX_TEXT)[:MAX_TEXT]
    for shape, text in (("one paragraph a text", paragraph), ("one character a line", lines)):
        report = dataclasses.replace(example, texts=dict.fromkeys(example.format.text_keys, text))
        out.append((f"largest allowed: 4 × {MAX_TEXT:,}, {shape}", 4 * MAX_TEXT, report))
    return out


def _long_child(kind: str) -> dict[str, list[float]]:
    """In a fresh process, fonts loaded first: seconds and pages of each long report."""
    render = _pdf() if kind == "pdf" else _docx()
    render(read_example())  # imports and fonts out of the way
    results = {}
    for name, size, report in _long_reports():
        start = time.perf_counter()
        pages = render(report)
        results[name] = [size, time.perf_counter() - start, pages]
    return results


def read_example():  # type: ignore[no-untyped-def]
    from model.datafile import read_datafile

    return read_datafile(EXAMPLE.read_bytes())


def long_texts() -> str:
    rows = []
    for kind, label in (("pdf", "PDF"), ("docx", "Word")):
        for name, (size, seconds, pages) in _run_child(f"long-{kind}", 1).items():
            goal = "—"
            if name.startswith("largest"):
                goal = f"≤ {LARGEST_GOAL_S:.0f} s: {verdict(seconds <= LARGEST_GOAL_S)}"
            per = f"{seconds / size * 1e6:.0f} µs"
            pages_text = f"{int(pages)}" if pages else ""
            rows.append((f"{name}, {label}", pages_text, f"{seconds:.2f} s", per, goal))
    header = ("text", "pages", "time", "per character", "goal")
    return "\n".join(
        [
            "One export each in a fresh process, fonts already loaded.  Before issue 12 the PDF"
            " of one paragraph took 1.6 s at 10,000 characters, 5.0 s at 20,000, 12 s at 40,000,"
            " 24 s at 60,000 and 384 s at 200,000 (the same machine, the command line).",
            "",
            table(header, rows),
        ]
    )


#: The first export after start-up against a warm one (issue 20 §2), and the window's longest
#: pause while the warm-up runs (one frame).
FIRST_GOAL = 1.5
FRAME_S = 0.016
#: How long the window is left idle after the report is ready when nothing warms up.
IDLE_S = 3.0


def _window_child(mode: str, runs: int) -> dict[str, list[float]]:
    """In a new process with the real window on the example: report ready → the warm-up done
    (``prewarm``) or ``IDLE_S`` seconds idle (``cold``: no warm-up, as before issue 20) → the
    first 导出PDF (rendered only, no file dialog), then the median of ``runs`` more.  Meanwhile
    a 1 ms timer in the UI thread records the event loop's longest stall."""
    import tempfile

    from _window import idle, open_window, settle
    from PySide6.QtCore import QTimer

    import gui.prewarm
    from export.renderers import RENDERERS
    from gui.main_window import _rendered

    # The window schedules the warm-up when the report is ready; here it starts once the probe
    # runs (with the window's delay), or never (cold).
    schedule, calls = gui.prewarm.schedule, []
    gui.prewarm.schedule = lambda *args, **kwargs: calls.append((args, kwargs))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "app.sqlite3"
        main = [sys.executable, str(ROOT / "main.py"), "--db", str(db), "import", str(EXAMPLE)]
        subprocess.run(main, check=True, capture_output=True)
        _app, window = open_window(db, folder / "settings.ini")
        ready = time.perf_counter()
        ticks: list[float] = []
        probe = QTimer(interval=1)
        probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
        probe.start()
        if mode == "prewarm":
            assert calls, "the window did not schedule the warm-up"
            args, kwargs = calls[0]
            schedule(*args, **kwargs)
        prewarm = gui.prewarm.PREWARM
        while time.perf_counter() - ready < 30:
            idle(5)
            if prewarm.done() if mode == "prewarm" else time.perf_counter() - ready >= IDLE_S:
                break
        waited = time.perf_counter() - ready
        probe.stop()
        gaps = [b - a for a, b in pairwise(ticks)]
        stall, missed = max(gaps, default=0.0), sum(gap > FRAME_S for gap in gaps)
        settle()
        assert window.session is not None and window.session.report is not None
        report = window.session.report
        pdf = next(r for r in RENDERERS if r.name == "pdf")
        first, warm = _timed(lambda: _rendered(pdf, report), runs)
        window.close()
    return {mode: [first, warm, stall, waited, missed]}


def first_export(runs: int, rounds: int) -> str:
    """The first export in new windows, with the warm-up and without, alternated."""
    results: dict[str, list[list[float]]] = {"cold": [], "prewarm": []}
    for _ in range(rounds):
        for mode in results:
            results[mode].append(_run_child(f"window-{mode}", runs)[mode])
    rows = []
    for mode, label in (("cold", "no warm-up (before)"), ("prewarm", "warm-up after ready")):
        runs_ = results[mode]
        first = statistics.median(r[0] for r in runs_)
        warm = statistics.median(r[1] for r in runs_)
        stall = statistics.median(r[2] for r in runs_)
        missed = statistics.median(r[4] for r in runs_)
        waited = statistics.median(r[3] for r in runs_)
        ratios = sorted(r[0] / r[1] for r in runs_)
        goal = statistics.median(ratios) <= FIRST_GOAL and (mode == "cold" or stall <= FRAME_S)
        rows.append(
            (
                label,
                f"{waited:.2f} s",
                ms(first),
                ms(warm),
                f"{statistics.median(ratios):.2f}× ({ratios[0]:.2f}–{ratios[-1]:.2f})",
                f"{ms(stall)} (≤ {ms(max(r[2] for r in runs_))})",
                f"{missed:.0f}",
                f"≤ {FIRST_GOAL}×, stall ≤ 16 ms: {verdict(goal)}",
            )
        )
    header = (
        "window",
        "ready → export",
        "first 导出PDF",
        "warm (median)",
        "first / warm",
        "longest stall",
        "stalls > 16 ms",
        "goal",
    )
    return "\n".join(
        [
            f"The real window on the example, in a new process ({rounds} of each, alternated):"
            " the report ready, then the warm-up (gui/prewarm.py) done, or"
            f" {IDLE_S:.0f} s idle without it; then the first 导出PDF (rendered, no file dialog)"
            f" against the median of {runs} more in the same process.  *Longest stall* is the"
            " longest gap between ticks of a 1 ms timer in the window's event loop meanwhile"
            " (median of the runs, the worst in brackets), and *stalls > 16 ms* how many gaps"
            " were longer than a frame (median).  The row without the warm-up is the machine's"
            " own noise floor: the same probe over the same window left idle.",
            "",
            table(header, rows),
        ]
    )


def _run_child(kind: str, runs: int) -> dict[str, list[float]]:
    command = [sys.executable, __file__, "--child", kind, "--runs", str(runs)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--child")
    parser.add_argument("--long", action="store_true", help="only the long texts")
    parser.add_argument("--first", action="store_true", help="only the first export")
    parser.add_argument("--rounds", type=int, default=5, help="new windows for --first")
    args = parser.parse_args()
    if args.child:
        if args.child.startswith("window-"):
            print(json.dumps(_window_child(args.child.removeprefix("window-"), args.runs)))
        elif args.child.startswith("long-"):
            print(json.dumps(_long_child(args.child.removeprefix("long-"))))
        else:
            print(json.dumps(_child(args.child, args.runs)))
        return
    first_body = first_export(args.runs, args.rounds)
    print(first_body)
    write_section("export-first", "The first export after start-up", first_body)
    if args.first:
        return
    long_body = long_texts()
    print(long_body)
    write_section("export-long", "Export of long texts (PDF and Word)", long_body)
    if args.long:
        return
    rows = []
    goals_met = True
    for kind, label in (("pdf", "PDF (ReportLab)"), ("docx", "Word (python-docx)")):
        (bare_first, bare_warm, _) = _run_child(f"bare-{kind}", args.runs)["bare"]
        rows.append((f"bare one-page {label}", "", ms(bare_first), ms(bare_warm), "1.00×", "—"))
        for name, (first, warm, pages) in _run_child(kind, args.runs).items():
            goal = "—"
            if name == "example":
                goal = f"≤ 0.5 s: {verdict(first <= 0.5)}"
                goals_met &= first <= 0.5
            size = f"{int(pages)} pages" if pages else ""
            rows.append(
                (f"{name}, {label}", size, ms(first), ms(warm), ratio(warm, bare_warm), goal)
            )
    header = ("document", "size", "first (in a new process)", "warm (median)", "warm ratio", "goal")
    body = "\n".join(
        [
            "Each renderer in a fresh process: *first* counts its imports, the fonts and the first"
            " export; *warm* is the median of the exports after it.  The ratio is warm against the"
            " bare one-page document of the same library and font.",
            "",
            table(header, rows),
        ]
    )
    print(body)
    write_section("export", "Export (PDF and Word)", body)


if __name__ == "__main__":
    main()
