"""预览 renders in a worker thread: the window keeps answering while a long report is laid out,
an edit made meanwhile is in the pages shown, and printing waits for the current pages."""

from __future__ import annotations

import io
import subprocess
import time
from dataclasses import replace

import pdfplumber
import pytest
from PySide6.QtCore import QTimer

from export.pdf import render_pdf
from gui.main_window import MainWindow
from gui.tabs import preview_tab
from gui.tabs.preview_tab import RENDERING
from model.datafile import read_datafile
from model.schema import MAX_TEXT

from .conftest import EXAMPLE
from .test_entry import _type_cell

pytestmark = pytest.mark.gui

SENTENCE = "我乡严格按照《条例》要求，认真做好政府信息公开工作。\n"  # a paragraph of two lines


def _open_long_report(window: MainWindow) -> None:
    """The example with every text as long as allowed, in short paragraphs: seconds of
    layout."""
    assert window.session is not None
    text = (SENTENCE * (MAX_TEXT // len(SENTENCE) + 1))[:MAX_TEXT]
    report = read_datafile(EXAMPLE.read_bytes())
    report = replace(report, texts=dict.fromkeys(report.format.text_keys, text))
    window.session.import_report(report, replace=False)
    # The program loads ReportLab and the fonts in the background once a report is ready
    # (gui/prewarm.py; its pauses are measured by benchmarks/bench_export.py).  The clerk
    # opens 预览 after that; here it has to be waited for, or the first render's own
    # imports would race the warm-up's and be measured instead of the render.
    # Qt's PDF view loads its libraries when the tab first shows: a one-time cost of the
    # tab, not of rendering, loaded here so that what follows times the render alone.
    import PySide6.QtPdfWidgets  # noqa: F401

    from gui.prewarm import PREWARM

    PREWARM.start()
    assert PREWARM.wait(60)


def _printed_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages[:3])


def test_the_window_answers_while_the_pages_render(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _open_long_report(window)
    preview = window.pages["preview"]
    ticks: list[float] = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    start = time.perf_counter()
    window.tabs.setCurrentWidget(preview)
    shown = time.perf_counter()
    assert preview.status.text() == RENDERING
    assert preview.rendering
    with qtbot.waitSignal(preview.rendered, timeout=60_000):
        pass
    took = time.perf_counter() - start
    timer.stop()
    gaps = [b - a for a, b in zip([start, *ticks], [*ticks, time.perf_counter()], strict=True)]
    assert shown - start < 0.3  # the tab opened at once
    assert window.session is not None and window.session.report is not None
    begun = time.perf_counter()
    expected = render_pdf(window.session.report).pages
    alone = time.perf_counter() - begun  # what the UI thread would stand still for
    assert alone > 0.3  # long enough for a frozen window to show
    assert max(gaps) < alone / 2, f"the UI thread stood still {max(gaps):.2f} s of {took:.2f} s"
    assert len(ticks) > took / 0.05  # the timer kept firing throughout
    assert preview.document is not None and preview.document.pageCount() == expected
    assert preview.status.text().startswith(f"共{expected}页")


def test_an_edit_made_while_rendering_is_in_the_pages(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _open_long_report(window)
    preview = window.pages["preview"]
    window.tabs.setCurrentWidget(preview)
    assert preview.rendering
    session = window.session
    assert session is not None
    assert session.set_text("preamble", "这是渲染期间新写的前言。")
    qtbot.waitUntil(lambda: not preview.rendering and preview.document is not None, timeout=60_000)
    assert "这是渲染期间新写的前言" in _printed_text(preview.pdf)
    assert not preview.status.text().startswith(RENDERING)


def test_printing_waits_for_the_current_pages(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    session = window.session
    assert session is not None
    session.import_report(read_datafile(EXAMPLE.read_bytes()), replace=False)
    preview = window.pages["preview"]
    window.tabs.setCurrentWidget(preview)
    qtbot.waitUntil(lambda: preview.document is not None and not preview.rendering, timeout=30_000)
    assert session.set_text("preamble", "打印前刚改的前言。")
    preview.refresh()  # what 打印 calls: returns with the pages of the report as it is
    assert not preview.rendering
    assert "打印前刚改的前言" in _printed_text(preview.pdf)


def _pdf_text(data: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """Every page's text, as pdftotext reads it."""
    path = tmp_path / "preview.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode()


def test_typing_while_the_pages_render(qtbot, window: MainWindow, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The clerk opens 预览 of a long report, goes back to the table at once and types while
    the pages are laid out: every key is taken, the pages then shown hold the last value
    typed, and the edits cost one more render, not one each."""
    gaps = _type_while_rendering(qtbot, window, monkeypatch, tmp_path)
    assert gaps  # the window's clock ran throughout


def test_no_key_waits_for_the_render(qtbot, window: MainWindow, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    gaps = _type_while_rendering(qtbot, window, monkeypatch, tmp_path)
    assert max(gaps) < 0.25, f"the window stood still {max(gaps):.2f} s while the clerk typed"


def _type_while_rendering(qtbot, window: MainWindow, monkeypatch, tmp_path) -> list[float]:  # type: ignore[no-untyped-def]
    """Type three values while the preview renders a long report; check what the clerk sees
    afterwards; return the gaps between the window's 10 ms ticks meanwhile."""
    _open_long_report(window)
    renders: list[int] = []

    class Counted(preview_tab._Render):
        def __init__(self, document, generation: int) -> None:  # type: ignore[no-untyped-def]
            renders.append(generation)
            super().__init__(document, generation)

    monkeypatch.setattr(preview_tab, "_Render", Counted)
    page = window.pages["requests"]
    window.tabs.setCurrentWidget(page)  # the table laid out once, as the clerk has seen it
    qtbot.wait(50)
    preview = window.pages["preview"]
    window.tabs.setCurrentWidget(preview)
    assert preview.rendering
    ticks: list[float] = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    start = time.perf_counter()
    timer.start()
    window.tabs.setCurrentWidget(page)
    for value in ("7531", "8642", "9753"):
        _type_cell(qtbot, page, "requests.new.legal", value)
    assert preview.rendering  # every key was typed while the render ran
    qtbot.waitUntil(lambda: not preview.rendering, timeout=60_000)
    timer.stop()
    gaps = [b - a for a, b in zip([start, *ticks], ticks, strict=False)]
    assert window.session is not None and window.session.report is not None
    assert window.session.report.cells["requests.new.legal"] == 9753
    assert len(renders) == 1  # the outdated render was not redone behind the clerk's back
    with qtbot.waitSignal(preview.rendered, timeout=60_000):
        window.tabs.setCurrentWidget(preview)
    assert len(renders) == 2  # shown again: one render of the report as it is now
    text = _pdf_text(preview.pdf, tmp_path)
    assert "9753" in text
    assert "8642" not in text and "7531" not in text
    return gaps


def _show_example(qtbot, window: MainWindow):  # type: ignore[no-untyped-def]
    """The example opened and its 预览 shown, once its pages are there."""
    session = window.session
    assert session is not None
    session.import_report(read_datafile(EXAMPLE.read_bytes()), replace=False)
    preview = window.pages["preview"]
    with qtbot.waitSignal(preview.rendered, timeout=60_000):
        window.tabs.setCurrentWidget(preview)
    return preview


def test_the_pages_come_from_another_process(qtbot, window: MainWindow, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The render runs in the worker process (export/worker.py), not in the window's."""
    import multiprocessing

    preview = _show_example(qtbot, window)
    assert multiprocessing.active_children()  # the worker is a child of the window's process
    assert "古城回族乡" in _pdf_text(preview.pdf, tmp_path)


def test_a_worker_that_dies_costs_no_pages(qtbot, window: MainWindow, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The render process killed while it renders (an antivirus, memory): the pages still come,
    rendered in the window's process, and the next render has a worker process again."""
    import multiprocessing
    import os
    import signal

    from export.worker import WORKER

    _open_long_report(window)
    session = window.session
    assert session is not None
    preview = window.pages["preview"]
    window.tabs.setCurrentWidget(preview)
    assert preview.rendering
    for child in multiprocessing.active_children():
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: not preview.rendering, timeout=60_000)
    assert preview.status.text().startswith("共"), preview.status.text()
    assert "我乡严格按照" in _pdf_text(preview.pdf, tmp_path)
    assert not WORKER.failed  # one death: the next render starts a new process
    assert session.set_text("preamble", "进程重启后的前言。")
    with qtbot.waitSignal(preview.rendered, timeout=60_000):
        preview.request_refresh()
    assert "进程重启后的前言" in _pdf_text(preview.pdf, tmp_path)
    assert multiprocessing.active_children()


def test_without_a_worker_process_the_window_renders(
    qtbot, window: MainWindow, monkeypatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """No process can be started (a locked-down computer): the pages are rendered in a thread of
    the window's process, and say so nowhere: the clerk sees the same pages."""
    from export import worker

    monkeypatch.setattr(worker, "WORKER", worker.RenderProcess())

    def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("拒绝访问")

    monkeypatch.setattr(worker, "ProcessPoolExecutor", refused)
    preview = _show_example(qtbot, window)
    assert worker.WORKER.failed
    assert preview.status.text().startswith("共5页"), preview.status.text()
    assert "古城回族乡" in _pdf_text(preview.pdf, tmp_path)
