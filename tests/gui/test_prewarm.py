"""The first 导出PDF after start-up: ReportLab and the fonts are loaded in the background once the
report is ready (gui/prewarm.py), once, in the render process (export/worker.py) or, without
one, in the window's; and a click meanwhile gets the same document."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pdfplumber

import gui.prewarm
from gui.main_window import MainWindow
from gui.prewarm import Prewarm, warm_up

ROOT = Path(__file__).resolve().parents[2]


def test_the_warm_up_runs_once_however_often_it_is_started() -> None:
    release = threading.Event()
    runs: list[int] = []

    def work() -> None:
        runs.append(1)
        release.wait(10)

    prewarm = Prewarm(work)
    futures = []
    starters = [threading.Thread(target=lambda: futures.append(prewarm.start())) for _ in range(8)]
    for thread in starters:
        thread.start()
    for thread in starters:
        thread.join()
    assert not prewarm.wait(0.05)  # still running: a caller can wait with a limit
    release.set()
    assert prewarm.wait(10)
    prewarm.start()
    assert runs == [1]
    assert len({id(f) for f in futures}) == 1


def test_a_failed_warm_up_does_not_break_waiting() -> None:
    def work() -> None:
        raise FileNotFoundError("找不到可用的中文字体")

    prewarm = Prewarm(work)
    assert prewarm.wait(10)  # the export itself reports the missing font to the clerk
    assert prewarm.done()


def test_the_window_warms_up_once_the_report_is_ready(
    filled: MainWindow, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    runs: list[int] = []
    monkeypatch.setattr(gui.prewarm, "PREWARM", Prewarm(lambda: runs.append(1)))
    assert filled.session is not None
    filled.session.open(filled.session.report_id)  # the report is ready (again)
    qtbot.waitUntil(lambda: runs == [1], timeout=5000)
    filled.session.open(filled.session.report_id)
    qtbot.wait(gui.prewarm.DELAY_MS + 200)
    assert runs == [1]


def test_the_warm_up_leaves_the_garbage_collector_as_it_was() -> None:
    if gui.prewarm.PREWARM.started:  # an earlier test's window warmed up: let it finish
        gui.prewarm.PREWARM.wait(60)
    before = gc.get_threshold()
    warm_up()
    assert gc.get_threshold() == before
    assert gc.isenabled()


#: In a new process (nothing loaded yet): start the warm-up, click 导出PDF at once, then again;
#: with the render process, or (argument "refused") when none can be started.
CLICK_DURING_WARM_UP = textwrap.dedent(
    """
    import collections, json, sys
    from pathlib import Path
    import export.worker
    from export.renderers import RENDERERS
    from export.worker import render_with
    from gui.prewarm import PREWARM
    from model.datafile import read_datafile

    parsed = collections.Counter()
    if sys.argv[3] == "refused":  # no render process: count the fonts parsed here
        import export.fonts

        def refused(*args, **kwargs):
            raise OSError("拒绝访问")
        export.worker.ProcessPoolExecutor = refused

        class Counting(export.fonts._Font):
            def __init__(self, name, path, subfont):
                parsed[Path(path).name] += 1
                super().__init__(name, path, subfont)
        export.fonts._Font = Counting

    report = read_datafile(Path(sys.argv[1]).read_bytes())
    pdf = next(r for r in RENDERERS if r.name == "pdf")
    PREWARM.start()
    during = not PREWARM.done()
    first = render_with(pdf, report).data
    PREWARM.wait(60)
    second = render_with(pdf, report).data
    Path(sys.argv[2]).write_bytes(first)
    print(json.dumps({
        "during": during,
        "same": first == second,
        "parsed": parsed,
        "reportlab": "reportlab" in sys.modules,
    }))
    """
)


def _click_during_warm_up(tmp_path: Path, mode: str) -> dict[str, Any]:
    import json

    example = ROOT / "resources" / "examples" / "example-2019-township.nianbao.json"
    out = tmp_path / "first.pdf"
    result = subprocess.run(
        [sys.executable, "-c", CLICK_DURING_WARM_UP, str(example), str(out), mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["during"]  # the click came before the warm-up had finished
    assert found["same"]  # and its document is the one a later click makes
    with pdfplumber.open(out) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "政府信息公开" in text
    return found


def test_a_click_during_the_warm_up_waits_for_the_render_process(tmp_path: Path) -> None:
    found = _click_during_warm_up(tmp_path, "worker")
    assert not found["parsed"]  # the window's process parsed no font
    assert not found["reportlab"]  # nor loaded ReportLab: the render process did


def test_without_a_render_process_the_click_and_warm_up_share_the_work(tmp_path: Path) -> None:
    found = _click_during_warm_up(tmp_path, "refused")
    assert found["parsed"] and set(found["parsed"].values()) == {1}  # each font parsed once
