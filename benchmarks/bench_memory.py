"""Peak resident memory with a report open, against the bare window, each in a new process.

    python benchmarks/bench_memory.py

Each child reads its own peak resident set (VmHWM in /proc/self/status): the bare PySide6
window holding one QTableView once painted; the program's window with the example report open
and ready for typing; and the same window after every tab has been shown once (the 预览 tab
renders the PDF, which brings in ReportLab, the fonts and Qt PDF).
Goal (issue 8): a report open ≤ bare + 60 MB.  Goal (issue 20): the 预览 shown, its pages
rendered and scrolled through from the first to the last ≤ bare + 100 MB.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import EXAMPLE, ROOT, run_child, table, verdict, write_section

GOAL_MB = 60
#: Issue 20: the 预览 shown, every page rendered and scrolled through.
PREVIEW_GOAL_MB = 100


def vmhwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def worker_mb() -> tuple[float, float]:
    """The preview's render process (export/worker.py), a child of this one: its peak resident
    set and its private memory now (what it adds to the computer's: the shared libraries'
    pages are shared with other processes)."""
    import multiprocessing

    peak = private = 0.0
    for child in multiprocessing.active_children():
        proc = Path(f"/proc/{child.pid}")
        for line in (proc / "status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak += int(line.split()[1]) / 1024
        for line in (proc / "smaps_rollup").read_text().splitlines():
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                private += int(line.split()[1]) / 1024
    return peak, private


def _child(kind: str, folder: Path) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    if kind == "bare":
        from _window import settle
        from PySide6.QtWidgets import QApplication, QTableView

        _app = QApplication([])
        view = QTableView()
        view.resize(1280, 720)
        view.show()
        settle()
        return {"painted": vmhwm_mb()}
    from _window import open_window, settle

    _app, window = open_window(folder / "app.sqlite3", folder / "settings.ini")
    assert window.session is not None and window.session.report is not None
    ready = vmhwm_mb()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        settle()
    every = vmhwm_mb()
    preview = window.pages["preview"]
    window.tabs.setCurrentWidget(preview)
    _scroll_through(preview)
    worker_peak, worker_private = worker_mb()
    return {
        "ready": ready,
        "every tab": every,
        "preview": vmhwm_mb(),
        "worker peak": worker_peak,
        "worker private": worker_private,
    }


def _scroll_through(preview: Any) -> None:
    """Wait for the pages, then scroll the 预览 from the first page to the last, each step
    painted, as a clerk reading the pages would."""
    import time

    from _window import idle, settle

    deadline = time.perf_counter() + 60
    while (preview.rendering or preview.document is None) and time.perf_counter() < deadline:
        idle(50)
    if preview.document is None:
        raise SystemExit("the 预览 did not render within 60 s")
    bar = preview.view.verticalScrollBar()
    step = max(1, bar.pageStep() // 2)
    for value in [*range(bar.minimum(), bar.maximum(), step), bar.maximum()]:
        bar.setValue(value)
        preview.view.viewport().repaint()
        idle(50)  # pages are drawn by Qt's renderer thread
        settle()


def _run(kind: str, folder: Path) -> dict[str, float]:
    return run_child(__file__, kind, str(folder))  # type: ignore[no-any-return]


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], Path(sys.argv[3]))))
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        db = folder / "app.sqlite3"
        main_py = [sys.executable, str(ROOT / "main.py"), "--db", str(db)]
        subprocess.run([*main_py, "import", str(EXAMPLE)], check=True, capture_output=True)
        bare = _run("bare", folder)["painted"]
        app = _run("app", folder)
    ready, every, preview = app["ready"], app["every tab"], app["preview"]
    worker_peak, worker_private = app["worker peak"], app["worker private"]
    both = preview - bare + worker_private
    rows = [
        ("bare QTableView window, painted", f"{bare:.0f} MB", "—", "—"),
        (
            "example report open, ready for typing",
            f"{ready:.0f} MB",
            f"+{ready - bare:.0f} MB",
            f"≤ bare + {GOAL_MB} MB: {verdict(ready - bare <= GOAL_MB)}",
        ),
        (
            "… after showing every tab (预览 rendered)",
            f"{every:.0f} MB",
            f"+{every - bare:.0f} MB",
            "—",
        ),
        (
            "预览 shown and scrolled through (the window's process)",
            f"{preview:.0f} MB",
            f"+{preview - bare:.0f} MB",
            "—",
        ),
        (
            "… the preview's render process (its own memory)",
            f"{worker_peak:.0f} MB",
            f"+{worker_private:.0f} MB",
            "—",
        ),
        (
            "… both together",
            "",
            f"+{both:.0f} MB",
            f"≤ bare + {PREVIEW_GOAL_MB} MB: {verdict(both <= PREVIEW_GOAL_MB)}",
        ),
    ]
    body = "\n".join(
        [
            "Peak resident memory (VmHWM) of a new process each.  The 预览's pages are rendered"
            " in a process of their own (export/worker.py): its peak is given, and what it adds"
            " is its private memory (the libraries' pages it shares are not counted twice).",
            "",
            table(("", "peak RSS", "over bare", "goal"), rows),
        ]
    )
    print(body)
    write_section("memory", "Memory", body)


if __name__ == "__main__":
    main()
