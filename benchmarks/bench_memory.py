"""Peak resident memory with a report open, against the bare window, each in a new process.

    python benchmarks/bench_memory.py

Each child reads its own peak resident set (VmHWM in /proc/self/status): the bare PySide6
window holding one QTableView once painted; the program's window with the example report open
and ready for typing; and the same window after every tab has been shown once (the 预览 tab
renders the PDF, which brings in ReportLab, the fonts and Qt PDF).
Goal (issue 8): a report open ≤ bare + 60 MB.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import EXAMPLE, ROOT, table, verdict, write_section

GOAL_MB = 60


def vmhwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


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
    return {"ready": ready, "every tab": vmhwm_mb()}


def _run(kind: str, folder: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", kind, str(folder)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


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
    ready, every = app["ready"], app["every tab"]
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
    ]
    body = "\n".join(
        [
            "Peak resident memory (VmHWM) of a new process each.",
            "",
            table(("", "peak RSS", "over bare", "goal"), rows),
        ]
    )
    print(body)
    write_section("memory", "Memory", body)


if __name__ == "__main__":
    main()
