"""The preview's pages rendered in a process of their own, so that typing never waits for them.

A render is some tens of thousands of Python calls.  Run in a thread of the window's process it
holds the interpreter lock, and every Python call the window makes meanwhile (each cell a table
paints, each key) first waits for the lock: with the lock handed over every half millisecond,
the hundreds of calls of one repaint added up to 0.1-0.6 s of a window standing still while
the clerk typed (tests/gui/test_preview_render.py).  A second process has a lock of its own.

One process, started once (in idle time after a report is ready, by gui/prewarm.py, or on the
first render), stays for the program's life with ReportLab and the fonts loaded; each render
sends it the immutable :class:`export.document.Document` (some 25 KB pickled) and gets the PDF
bytes back.  It runs at a lower priority than the window, so on one core the window comes first.

The installed program is started again as that process (``multiprocessing`` ``spawn``: the same
executable, then ``freeze_support`` in main.py runs the worker).  When a process cannot be
started or dies (an antivirus, memory), :func:`render_in_process` renders in the caller's
process instead: the pages still come, only the window is less quick meanwhile.

No Qt: the caller polls :meth:`concurrent.futures.Future.done`.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, Literal

from export.document import Document
from export.renderers import Rendered

if TYPE_CHECKING:
    from export.document import Appendix
    from export.renderers import Renderer
    from model.report import Report

#: The pages a render is laid out on, by name (a name, not the geometry itself, crosses to the
#: worker: the renderer knows its A4 by identity).
Paper = Literal["A4", "A3"]

log = logging.getLogger(__name__)

#: Windows' BELOW_NORMAL_PRIORITY_CLASS (SetPriorityClass).
_BELOW_NORMAL = 0x4000
#: How much nicer than the window the worker is elsewhere (os.nice).
_NICER = 10


def load_renderer() -> None:
    """Load everything a PDF render needs: the renderer's modules, every font, and one render
    of a blank report (ReportLab's own first-use costs).  Any process, any thread."""
    from export.fonts import default_fonts
    from export.pdf import render
    from model.formats import FORMATS
    from model.report import Report

    default_fonts().load_all()
    fmt = max(FORMATS.values(), key=lambda f: f.first_year)
    render(Report(format_id=fmt.id, agency="某某", year=fmt.first_year))


def _start_worker() -> None:
    """In the worker process, once: end with the window, step aside for it, then load the
    renderer."""
    _end_with_parent()
    for name in ("stdout", "stderr"):  # the windowed program has none: warnings must not fail
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    try:
        if sys.platform == "win32":
            _kernel32().SetPriorityClass(_kernel32().GetCurrentProcess(), _BELOW_NORMAL)
        else:
            os.nice(_NICER)
    except OSError:  # not allowed: the same priority as the window
        pass
    load_renderer()


def _end_with_parent() -> None:
    """End this process when the window's process ends, however it ends (killed from the Task
    Manager, a crash): the worker waits on a queue whose other end it holds itself, so it
    would never notice, and would keep its memory and the installed program's files locked."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _kernel32() -> Any:
    """Windows' kernel32 with the types of the calls made here (a process handle is a
    pointer: passed as a C int it would be cut to 32 bits)."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    kernel32.SetPriorityClass.argtypes = (wintypes.HANDLE, wintypes.DWORD)
    kernel32.SetPriorityClass.restype = wintypes.BOOL
    kernel32.GetPriorityClass.argtypes = (wintypes.HANDLE,)
    kernel32.GetPriorityClass.restype = wintypes.DWORD
    return kernel32


def below_normal() -> bool:
    """Whether this process runs below the normal priority (asked of the worker by the
    self-test, to prove the window comes first)."""
    if sys.platform == "win32":
        kernel32 = _kernel32()
        return int(kernel32.GetPriorityClass(kernel32.GetCurrentProcess())) == _BELOW_NORMAL
    return os.getpriority(os.PRIO_PROCESS, 0) > 0


def render_in_process(document: Document, paper: Paper = "A4") -> Rendered:
    """``document`` as PDF pages on ``paper`` (A4 official, A3 for the notice board), rendered
    by the caller: in the worker, or where no worker process can be had."""
    from export.geometry import NOTICE_BOARD, OFFICIAL
    from export.pdf import render_document

    return render_document(document, page=OFFICIAL if paper == "A4" else NOTICE_BOARD)


def render_pdf(report: Report, appendix: Appendix | None = None, paper: Paper = "A4") -> Rendered:
    """``report`` as PDF pages, rendered by the worker process when there is one (the window's
    process then never loads ReportLab), else here.  Waits for the pages."""
    from export.document import build_document

    document = build_document(report, appendix)
    future = WORKER.submit(document, paper)
    if future is not None:
        try:
            return future.result()
        except BrokenProcessPool:  # the process died: render here
            WORKER.lost(future)
    return render_in_process(document, paper)


def render_with(renderer: Renderer, report: Report, appendix: Appendix | None = None) -> Rendered:
    """``report`` rendered by ``renderer``: a PDF in the worker process (:func:`render_pdf`),
    the other kinds (Word, web page: no ReportLab) here."""
    if renderer.name == "pdf":
        return render_pdf(report, appendix)
    return renderer.render(report, appendix)


class RenderProcess:
    """The one worker process of the program, made on first use.  Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._started: Future[None] | None = None
        self.failed = False  # no worker process could be had: callers render themselves
        self._deaths = 0
        #: Each render's future, to the process it was sent to.
        self._sent_to: weakref.WeakKeyDictionary[Future[Rendered], ProcessPoolExecutor] = (
            weakref.WeakKeyDictionary()
        )

    def start(self) -> Future[None] | None:
        """Start the process and load the renderer in it, if not done yet; the future of that
        loading (None when no process can be had)."""
        with self._lock:
            return self._start()

    def _start(self) -> Future[None] | None:
        if self.failed:
            return None
        if self._pool is None:
            try:
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                )
                self._started = self._pool.submit(_noop)
            except (OSError, RuntimeError) as error:
                self._give_up(error)
                return None
        return self._started

    def submit(self, document: Document, paper: Paper = "A4") -> Future[Rendered] | None:
        """Render ``document`` in the worker; None when no worker process can be had."""
        with self._lock:
            for _ in range(2):  # a process found dead is replaced once
                if self._start() is None or self._pool is None:
                    return None
                pool = self._pool
                try:
                    future = pool.submit(render_in_process, document, paper)
                except BrokenProcessPool:
                    self._died(pool)
                    continue
                except (RuntimeError, OSError) as error:
                    self._give_up(error)
                    return None
                self._sent_to[future] = pool
                return future
            return None

    def ask(self, question: Callable[[], bool]) -> bool | None:
        """``question()`` answered by the worker process (None when there is none)."""
        with self._lock:
            if self._start() is None or self._pool is None:
                return None
            try:
                future = self._pool.submit(question)
            except BrokenProcessPool:
                return None
        try:
            return future.result()
        except BrokenProcessPool:
            return None

    def lost(self, future: Future[Rendered]) -> None:
        """``future`` failed because its process died (:class:`BrokenProcessPool`): the next
        render starts a new process; a second death means renders stay in the caller's
        process.  Told of the same death by several renders, it counts one."""
        with self._lock:
            pool = self._sent_to.pop(future, None)
            if pool is not None and pool is self._pool:
                self._died(pool)

    def _died(self, pool: ProcessPoolExecutor) -> None:
        """(Lock held.)  The process of ``pool`` has died."""
        self._pool, self._started = None, None
        pool.shutdown(wait=False, cancel_futures=True)
        self._deaths += 1
        log.warning("the render process died (%d so far)", self._deaths)
        if self._deaths > 1:
            self._give_up(RuntimeError("the render process died twice"))

    def _give_up(self, error: BaseException) -> None:
        log.warning("no render process, PDFs are rendered in this process: %s", error)
        self.failed = True
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        """End the process now (at the program's end): what it renders or has queued is
        dropped, so that quitting never waits for a render (Python's exit would otherwise
        wait for every queued one)."""
        with self._lock:
            pool, self._pool, self._started = self._pool, None, None
            self.failed = True  # nothing more is sent
        if pool is None:
            return
        pool.shutdown(wait=False, cancel_futures=True)
        terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
        if terminate is not None:
            terminate()
            return
        processes: dict[int, multiprocessing.Process] = getattr(pool, "_processes", None) or {}
        for process in list(processes.values()):
            process.terminate()

    def give_up(self, error: BaseException) -> None:
        """No worker process for this program: its first one failed while loading (it could
        not render), so every PDF is rendered in the caller's process."""
        with self._lock:
            self._give_up(error)


def _noop() -> None:
    """The first task: done once the worker has loaded the renderer (its initializer)."""


#: The program's worker process.
WORKER = RenderProcess()
