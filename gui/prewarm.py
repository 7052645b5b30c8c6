"""The first 导出PDF / 打印 / 预览 as fast as the second: the render process started in idle time.

Importing ReportLab and parsing the four CJK fonts (some 15 MB each) costs several times a
whole export of the report (docs/PERFORMANCE.md).  Done on the clerk's first click, that made
the first export the slow one.  Every PDF the window makes is rendered in a process of its own
(export/worker.py); once a report is open and the window has settled, a background thread
starts that process, which imports the PDF renderer, parses and registers every font a
document may print in, and renders a blank report so ReportLab's own first-use costs are paid
too, at a lower priority than the window.  The thread touches no Qt object and waits.

When no process can be started, the thread loads the renderer in the window's process
instead.  A click during that warm-up waits only for what it needs and repeats nothing: the
modules are imported under Python's import lock and each font is parsed under the font book's
lock (:func:`export.fonts._load`), so the click and the thread share every piece of work and
each font is parsed exactly once.  While the thread runs, the interpreter hands the lock back
to the window every half millisecond, so the window keeps painting.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

if TYPE_CHECKING:
    from export.document import Document
    from model.report import Report

log = logging.getLogger(__name__)

#: After the report is ready, let the window finish painting and laying out before starting.
DELAY_MS = 300
#: The longest the window waits for the interpreter lock while the warm-up runs (Python's
#: default, 5 ms, would make each Python call of a repaint wait that long).
SWITCH_INTERVAL_S = 0.0005
#: The collector's third threshold while the warm-up runs: never reached.
NO_FULL_COLLECTION = 1 << 30


def warm_up() -> None:
    """Have everything the first PDF export needs loaded: in the render process, or else here
    (the renderer's modules, every font, and one render of a blank report).  No Qt: runs in
    any thread.

    Loaded here, importing ReportLab and reading the fonts make many objects (a font of the computer, read
    by ReportLab, some hundred thousand; the shipped ones, read into arrays, few), and each
    time they pile up Python's garbage collector would walk every object of the process (the
    window's, SQLAlchemy's) while holding the interpreter lock: 50–180 ms at a time, measured
    in the window's process.  So the full collections wait until the warm-up is done, and what is
    loaded by then (modules, fonts, the window) is moved out of the collector's sight
    (:func:`gc.freeze`): it lives as long as the program, and later full collections, while the
    clerk types, walk only what is made after it."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, NO_FULL_COLLECTION)
    try:
        _load()
    finally:
        gc.set_threshold(young, middle, old)
        gc.collect(1)  # the young garbage, not frozen: a few milliseconds
        gc.freeze()


#: The document of the report open when the warm-up started (built in the UI thread): rendered
#: once more, so that the first export of that report finds its font subsets made and
#: compressed (export/pdf.py keeps them), as a warm export does.
_first: Document | None = None


def _load() -> None:
    from export.worker import WORKER, load_renderer, render_in_process

    # The render process (export/worker.py), which renders every PDF the window makes: it
    # loads ReportLab and the fonts in a process of its own, at a lower priority than the
    # window, and the window's process never loads them.
    started = WORKER.start()
    if started is not None:
        try:
            started.result()
        except Exception as error:  # its loading failed (fonts?): rendering here says what
            log.warning("the render process did not start: %s", error)
            WORKER.give_up(error)
        else:
            primed = WORKER.submit(_first) if _first is not None else None
            try:
                if primed is not None:
                    primed.result()
            except Exception as error:  # the export will say what is wrong
                log.warning("the open report did not render: %s", error)
            return
    load_renderer()  # no render process: the PDFs will be rendered here
    if _first is not None:
        render_in_process(_first)


class Prewarm:
    """Runs ``work`` once in a background thread; :meth:`start` may be called any number of
    times, from any thread, and always returns the one future."""

    def __init__(self, work: Callable[[], None] = warm_up) -> None:
        self._work = work
        self._lock = threading.Lock()
        self._future: Future[None] | None = None

    def start(self) -> Future[None]:
        with self._lock:
            if self._future is None:
                self._future = Future()
                if sys.getswitchinterval() > SWITCH_INTERVAL_S:
                    sys.setswitchinterval(SWITCH_INTERVAL_S)
                thread = threading.Thread(target=self._run, name="prewarm", daemon=True)
                thread.start()
            return self._future

    @property
    def started(self) -> bool:
        return self._future is not None

    def done(self) -> bool:
        return self._future is not None and self._future.done()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the warm-up has finished (started if need be); whether it has."""
        try:
            self.start().result(timeout)
        except TimeoutError:
            return False
        except Exception:  # logged by the thread; the export will say what is wrong
            return True
        return True

    def _run(self) -> None:
        assert self._future is not None
        try:
            self._work()
        except Exception as error:  # a missing font: the export itself reports it to the clerk
            log.warning("warm-up for the first export failed: %s", error)
            self._future.set_exception(error)
        else:
            self._future.set_result(None)


#: The process's one warm-up.
PREWARM = Prewarm()


def schedule(report: Callable[[], Report | None] = lambda: None, delay_ms: int = DELAY_MS) -> None:
    """Start the warm-up once the window has been idle for ``delay_ms`` (once per process),
    with the pages of ``report()`` (the report open then) among what it renders."""
    if PREWARM.started:
        return

    def start() -> None:
        global _first
        if not PREWARM.started:
            opened = report()
            if opened is not None:
                from export.document import build_document

                _first = build_document(opened)  # here: the report changes in place
            PREWARM.start()

    QTimer.singleShot(delay_ms, start)
