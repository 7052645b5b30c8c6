"""The preview's render process (export/worker.py): the same pages as rendered in the caller's
process, from a process that steps aside for the window."""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
from pathlib import Path

import pdfplumber
import pytest

from export.document import build_document
from export.worker import RenderProcess, render_in_process
from model.datafile import read_datafile

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "examples"
    / "example-2019-township.nianbao.json"
)


def _text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


@pytest.fixture
def worker():  # type: ignore[no-untyped-def]
    process = RenderProcess()
    yield process
    process.close()


def test_the_worker_prints_the_same_pages(worker: RenderProcess) -> None:
    document = build_document(read_datafile(EXAMPLE.read_bytes()))
    future = worker.submit(document)
    assert future is not None
    rendered = future.result(timeout=120)
    here = render_in_process(document)
    assert rendered.pages == here.pages == 5
    assert _text(rendered.data) == _text(here.data)
    assert "古城回族乡" in _text(rendered.data)[0]
    assert not worker.failed


@pytest.mark.skipif(sys.platform == "win32", reason="os.getpriority: POSIX (Windows: a class)")
def test_the_worker_steps_aside_for_the_window(worker: RenderProcess) -> None:
    started = worker.start()
    assert started is not None
    started.result(timeout=120)
    before = set(multiprocessing.active_children())
    assert before
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert all(os.getpriority(os.PRIO_PROCESS, c.pid) > ours for c in before)  # type: ignore[arg-type]


def test_a_failed_render_is_reported_not_retried(worker: RenderProcess) -> None:
    """An error inside the worker (not its death) comes back with the future, as it would have
    from the caller's own render; the process stays."""
    future = worker.submit("not a document")  # type: ignore[arg-type]
    assert future is not None
    with pytest.raises(AttributeError):
        future.result(timeout=120)
    assert not worker.failed
    again = worker.submit(build_document(read_datafile(EXAMPLE.read_bytes())))
    assert again is not None and again.result(timeout=120).pages == 5


@pytest.mark.skipif(sys.platform == "win32", reason="killed by SIGKILL")
def test_a_worker_that_dies_twice_leaves_the_renders_here(worker: RenderProcess) -> None:
    """A process that dies is replaced once; a second death means every PDF is rendered in the
    caller's process from then on (render_pdf still returns the pages)."""
    import signal
    from concurrent.futures.process import BrokenProcessPool

    from export import worker as module

    report = read_datafile(EXAMPLE.read_bytes())
    document = build_document(report)
    for deaths in (1, 2):
        others = set(multiprocessing.active_children())
        started = worker.start()
        assert started is not None
        started.result(timeout=120)
        (child,) = set(multiprocessing.active_children()) - others
        future = worker.submit(document)
        assert future is not None
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]  # while it renders
        with pytest.raises(BrokenProcessPool):
            future.result(timeout=120)
        worker.lost(future)
        worker.lost(future)  # told twice of the same death: counted once
        assert worker.failed == (deaths == 2)
    assert worker.submit(document) is None
    original = module.WORKER
    module.WORKER = worker
    try:
        assert module.render_pdf(report).pages == 5  # rendered here
    finally:
        module.WORKER = original


def test_rendering_loads_no_network_modules() -> None:
    """What a render needs and no more: the render process's memory counts against the
    preview's (docs/PERFORMANCE.md).  ``xml.sax.saxutils`` alone would load urllib.request,
    ssl and email (some 3 MB)."""
    import subprocess

    code = (
        "import sys\n"
        "from export.worker import load_renderer\n"
        "load_renderer()\n"
        "print(sorted(m for m in ('urllib.request', 'ssl', 'email', 'http.client', 'PySide6')"
        " if m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


#: A program that starts the worker, gives it long renders, and ends in the way argv[1] says.
_PROGRAM = """
import os, signal, sys
from dataclasses import replace
from pathlib import Path
from export.document import build_document
from export.worker import WORKER
from model.datafile import read_datafile
from model.schema import MAX_TEXT

if __name__ == "__main__":
    report = read_datafile(Path(sys.argv[2]).read_bytes())
    text = ("我乡认真做好政府信息公开工作。\\n" * 2000)[:MAX_TEXT]
    document = build_document(replace(report, texts=dict.fromkeys(report.format.text_keys, text)))
    WORKER.start().result()
    import multiprocessing
    (child,) = multiprocessing.active_children()
    print(child.pid, flush=True)
    for _ in range(4):
        WORKER.submit(document)
    if sys.argv[1] == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    if sys.argv[1] == "closed":
        WORKER.close()
"""


def _program(tmp_path: Path, ending: str) -> tuple[int, float]:
    """The worker's process id, and how long the program took from its print to its end."""
    import subprocess
    import time

    script = tmp_path / "program.py"
    script.write_text(_PROGRAM, encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    with subprocess.Popen(
        [sys.executable, str(script), ending, str(EXAMPLE)],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    ) as program:
        assert program.stdout is not None
        pid = int(program.stdout.readline())
        printed = time.perf_counter()
        program.wait(120)
        return pid, time.perf_counter() - printed


def _gone(pid: int, within: float) -> bool:
    import time

    deadline = time.perf_counter() + within
    while time.perf_counter() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            if stat.read().split()[2] == "Z":  # ended, not yet reaped by its parent
                return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX process ids and signals")
def test_quitting_does_not_wait_for_the_renders(tmp_path: Path) -> None:
    """Four long renders queued when the program ends: it ends at once, and so does the worker
    (Python's exit would otherwise wait for every queued render)."""
    pid, took = _program(tmp_path, "closed")
    assert took < 1.0, f"the program took {took:.1f} s to end"
    assert _gone(pid, 5)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX process ids and signals")
def test_the_worker_ends_with_a_killed_window(tmp_path: Path) -> None:
    """The window's process killed (Task Manager, a crash): its worker does not live on."""
    pid, _ = _program(tmp_path, "killed")
    assert _gone(pid, 10)
