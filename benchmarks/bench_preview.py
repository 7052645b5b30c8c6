"""Typing while the 预览 renders a long report: how long the window stands still.

    python benchmarks/bench_preview.py

Each run a new process: the real window on the example with its four texts at the longest
allowed (20,000 characters of short paragraphs, some 15 pages), the warm-up done; the 预览
shown, then at once back to 三、依申请公开, where 30 values are typed (keys through Qt's
event queue, Enter after each) while the pages render.  A 5 ms timer in the window's event
loop ticks throughout; the longest gap between its ticks is how long the window stood still.
The render in its own process (export/worker.py) against the same render in a thread of the
window's process (the worker refused: what the program did before, and does where no process
can be started), alternated, 5 runs each.  Goal (issue 20 §3): a re-render never blocks
typing: no pause longer than 100 ms (a key answered within a tenth of a second).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import EXAMPLE, ROOT, median, ms, ratio, run_child, table, verdict, write_section

RUNS = 5
VALUES = 30
TICK_MS = 5
GOAL_S = 0.100
MODES = {"process": "render process (now)", "thread": "thread of the window's process (before)"}


def _child(mode: str, folder: Path) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    if mode == "thread":
        import export.worker

        def refused(*args: object, **kwargs: object) -> None:
            raise OSError("refused for the benchmark")

        export.worker.ProcessPoolExecutor = refused  # type: ignore[assignment,misc]
    from dataclasses import replace

    from _window import idle, open_window, settle
    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from gui.prewarm import PREWARM
    from model.datafile import read_datafile
    from model.schema import MAX_TEXT

    _app, window = open_window(folder / "app.sqlite3", folder / "settings.ini")
    session = window.session
    assert session is not None
    sentence = "我乡严格按照《条例》要求，认真做好政府信息公开工作。\n"
    text = (sentence * (MAX_TEXT // len(sentence) + 1))[:MAX_TEXT]
    report = read_datafile(EXAMPLE.read_bytes())
    long_report = replace(report, texts=dict.fromkeys(report.format.text_keys, text))
    session.import_report(long_report, replace=False)
    PREWARM.start()
    PREWARM.wait(120)
    import PySide6.QtPdfWidgets  # noqa: F401  (the tab's one-time load, not the render's)

    page, preview = window.pages["requests"], window.pages["preview"]
    window.tabs.setCurrentWidget(page)
    settle()
    ticks: list[float] = []
    timer = QTimer(interval=TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    window.tabs.setCurrentWidget(preview)
    started = time.perf_counter()
    timer.start()
    window.tabs.setCurrentWidget(page)
    view = page.view
    view.setFocus()
    view.setCurrentIndex(page.model.index_of("requests.new.legal"))
    typed_while_rendering = 0
    for value in range(1000, 1000 + VALUES):
        for char in str(value):
            QTest.keyClick(QApplication.focusWidget(), char)  # type: ignore[call-overload]
            QCoreApplication.processEvents()
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        QCoreApplication.processEvents()
        typed_while_rendering += preview.rendering
        view.setCurrentIndex(page.model.index_of("requests.new.legal"))
    typed = time.perf_counter()
    deadline = time.perf_counter() + 120
    while preview.rendering and time.perf_counter() < deadline:
        idle(10)
    timer.stop()
    ended = time.perf_counter()
    gaps = [b - a for a, b in zip([started, *ticks], [*ticks, ended], strict=True)]
    assert session.report is not None
    assert session.report.cells["requests.new.legal"] == 1000 + VALUES - 1
    assert preview.document is None or not preview.rendering
    return {
        "longest": max(gaps),
        "over_frame": sum(g > 0.016 for g in gaps),
        "typed_while_rendering": typed_while_rendering,
        "seconds": ended - started,
        "typing": typed - started,
    }


def _run(mode: str, folder: Path) -> dict[str, float]:
    return run_child(__file__, mode, str(folder))  # type: ignore[no-any-return]


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], Path(sys.argv[3]))))
        return
    results: dict[str, list[dict[str, float]]] = {mode: [] for mode in MODES}
    with tempfile.TemporaryDirectory() as name:
        for _ in range(RUNS):
            for mode in MODES:
                folder = Path(name) / f"{mode}{len(results[mode])}"
                folder.mkdir()
                results[mode].append(_run(mode, folder))
    before = median([r["longest"] for r in results["thread"]])
    rows = []
    for mode, label in MODES.items():
        runs = results[mode]
        longest = median([r["longest"] for r in runs])
        worst = max(r["longest"] for r in runs)
        goal = f"≤ {ms(GOAL_S)}: {verdict(longest <= GOAL_S)}" if mode == "process" else "—"
        rows.append(
            (
                label,
                f"{ms(longest)} (≤ {ms(worst)})",
                ratio(longest, before),
                f"{median([r['over_frame'] for r in runs]):.0f}",
                f"{median([r['typed_while_rendering'] for r in runs]):.0f} of {VALUES}",
                f"{median([r['seconds'] for r in runs]):.2f} s",
                goal,
            )
        )
    body = "\n".join(
        [
            f"The real window; a long report (four texts of 20,000 characters) rendering while"
            f" {VALUES} values are typed into 三、依申请公开; medians of {RUNS} new processes each,"
            f" alternated.  *Longest stall* is the longest gap between ticks of a {TICK_MS} ms"
            " timer (the worst run in brackets); *values typed while rendering* counts the"
            " values whose Enter came before the pages were ready.",
            "",
            table(
                (
                    "the pages rendered in",
                    "longest stall",
                    "against before",
                    "stalls > 16 ms",
                    "values typed while rendering",
                    "typing and render",
                    "goal",
                ),
                rows,
            ),
        ]
    )
    print(body)
    write_section("preview-typing", "Typing while the preview renders", body)


if __name__ == "__main__":
    main()
