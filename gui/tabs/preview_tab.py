"""预览: the pages as they will print, with a button for each kind of document (导出PDF,
导出Word) and 打印.

The pages are rendered in a process of their own (export/worker.py), never in the window's: a
long report takes a second or more to lay out, and the window must keep answering meanwhile,
also on one core (a thread of the window's process would make every Python call of the window
wait for the interpreter lock).  The worker gets the report's printed content as an immutable
:class:`~export.document.Document` (built here, in the UI thread, from the report as it is at
that moment) and returns the PDF's bytes.  The UI thread looks for the result on a timer and
shows it.  An edit made while a render runs makes that render's result outdated: it is dropped
and the pages are rendered again from the report as it is then, so the tab never shows pages
older than the report while saying they are current.  When no worker process can be had, a
thread of the window's process renders instead.

Qt PDF (PDFium) is loaded when the tab is first shown, not at start: it is not needed to show
a report, and it costs start-up time and memory (docs/PERFORMANCE.md)."""

from __future__ import annotations

import gc
import sys
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from export import renderers
from gui.session import ReportSession
from gui.tabs.page import Page

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    from export.document import Document
    from export.renderers import Rendered

#: Edits come in bursts while the clerk types: re-render once they pause.
REFRESH_DELAY_MS = 600
#: How often the UI thread looks whether the worker has finished.
POLL_MS = 40
#: The longest the UI thread waits for the interpreter lock while a render runs in a thread
#: of its process.  Python's default (5 ms) would make each of the many Python calls of a
#: repaint (item models, event filters) wait that long behind the rendering thread.
SWITCH_INTERVAL_S = 0.0005
RENDERING = "正在生成预览……"


class _Render:
    """One render of the pages: in the worker process, or (when none can be had, or it died)
    in a thread that only computes and touches no Qt object."""

    def __init__(self, document: Document, generation: int) -> None:
        from export.worker import WORKER

        self.generation = generation
        self.result: Rendered | None = None
        self.error: BaseException | None = None
        self._document = document
        self._done = threading.Event()
        self._future = WORKER.submit(document)
        if self._future is None:
            self._in_thread()

    def finished(self) -> bool:
        """Whether the render is over (:attr:`result` or :attr:`error` set).  UI thread."""
        future = self._future
        if future is None:
            return self._done.is_set()
        if not future.done():
            return False
        if future.cancelled():  # the program is ending (export.worker.RenderProcess.close)
            return False
        error = future.exception()
        if error is None:
            self.result = future.result()
            return True
        from concurrent.futures.process import BrokenProcessPool

        from export.worker import WORKER

        if isinstance(error, BrokenProcessPool):  # the process died: render here instead
            WORKER.lost(future)
            self._future = None
            self._in_thread()
            return False
        self.error = error
        return True

    def _in_thread(self) -> None:
        if sys.getswitchinterval() > SWITCH_INTERVAL_S:
            sys.setswitchinterval(SWITCH_INTERVAL_S)
        threading.Thread(target=self._run, name="preview-render", daemon=True).start()

    def _run(self) -> None:
        from export.worker import render_in_process  # ReportLab only when the pages are wanted

        try:
            _load_fonts()
            self.result = render_in_process(self._document)
        except Exception as error:  # handed to the UI thread, which reports it
            self.error = error
        finally:
            self._done.set()


_fonts_lock = threading.Lock()
_fonts_kept = False


def _load_fonts() -> None:
    """Parse every font a page may print in, once per process, and keep them out of the
    garbage collector's full passes (when the pages are rendered in this process).  The fonts'
    tables, left in the oldest generation, would be walked by every full collection a render
    sets off, each holding the interpreter lock throughout.  They live as long as the program,
    so they are frozen (:func:`gc.freeze`), as start-up freezes what it built (gui/app.py)."""
    global _fonts_kept
    with _fonts_lock:
        if _fonts_kept:
            return
        from export.fonts import Face, default_fonts

        fonts = default_fonts()
        # Parsing makes those lists and no garbage: collecting meanwhile would only walk them.
        automatic = gc.isenabled()
        gc.disable()
        try:
            for face in Face:
                fonts.font_name(face)  # the face's font and its fallbacks, parsed, registered
        finally:
            gc.freeze()  # moves every object to the permanent generation: no walk, no pause
            if automatic:
                gc.enable()
        _fonts_kept = True


class PreviewTab(Page):
    #: The pages shown are now those of the report as it is (or rendering them failed).
    rendered = Signal()

    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.document: QPdfDocument | None = None
        self.pdf: bytes = b""
        self.view: QPdfView | None = None  # made on first refresh
        self.status = QLabel()
        #: One button per kind of document (:data:`export.renderers.RENDERERS`), by its name;
        #: the window connects them.
        self.export_buttons = {r.name: QPushButton(f"导出{r.label}…") for r in renderers.RENDERERS}
        self.print_button = QPushButton("打印…")
        #: 复制网页版: the web page on the clipboard, to paste into the website's editor.
        self.copy_html_button = QPushButton("复制网页版")
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        for button in (*self.export_buttons.values(), self.copy_html_button, self.print_button):
            bar.addWidget(button)
        self._layout = QVBoxLayout(self)
        self._layout.addLayout(bar)
        self._stale = True
        #: Counts the report's changes; a render of an older count is outdated.
        self._generation = 0
        self._job: _Render | None = None
        self._waiting = 0  # callers of refresh() waiting for the pages
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.request_refresh)
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._collect)
        session.reportOpened.connect(self._changed)
        session.cellsChanged.connect(self._changed)
        session.detailsChanged.connect(self._changed)

    @property
    def rendering(self) -> bool:
        """A render is running (the pages shown, if any, may be outdated)."""
        return self._job is not None

    def _changed(self) -> None:
        self._stale = True
        self._generation += 1
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.request_refresh()

    def request_refresh(self) -> None:
        """Start rendering the report as it is now; the pages appear when they are ready.  A
        render already running is let finish and then done again if the report changed."""
        self._timer.stop()
        view = self._view()
        report = self.session.report
        self._stale = False
        if report is None:
            self._generation += 1  # a render still running is of a report no longer open
            view.setDocument(None)  # type: ignore[arg-type]  # Qt takes nullptr: no document
            self.status.setText("没有打开的报告")
            self.rendered.emit()
            return
        if self._job is None:
            self._start()
        self.status.setText(RENDERING)

    def refresh(self) -> None:
        """Bring the pages up to date, returning when they are (for printing).  The window
        keeps handling events while it waits."""
        self.request_refresh()
        if self._job is not None and self.session.report is not None:
            loop = QEventLoop()
            self.rendered.connect(loop.quit)
            self._waiting += 1
            try:
                loop.exec()
            finally:
                self._waiting -= 1
                self.rendered.disconnect(loop.quit)

    def _start(self) -> None:
        from export.document import build_document

        report = self.session.report
        assert report is not None
        # The document is built here, from the report as it is now: the worker never sees the
        # session's report, which edits change in place.
        document = build_document(report)
        self._job = _Render(document, self._generation)
        self._poll.start()

    def _collect(self) -> None:
        """In the UI thread: show a finished render, or start again if it is outdated."""
        job = self._job
        if job is None or not job.finished():
            return
        self._job = None
        self._poll.stop()
        if job.generation != self._generation:
            if self.session.report is not None and (self.isVisible() or self._waiting):
                self._start()  # the report changed meanwhile: render it as it is now
                return
            self._stale = True  # rendered when next shown
            if self.session.report is None:
                self.rendered.emit()  # nothing to wait for (the view was cleared)
            return
        if job.error is not None:
            self.status.setText(f"无法生成预览：{job.error}")
            self.rendered.emit()
            if not isinstance(job.error, OSError):
                raise job.error  # a defect: the crash dialog reports it
            return
        assert job.result is not None
        self._show(job.result)
        self.rendered.emit()

    def _show(self, rendered: Rendered) -> None:
        from gui.printing import load_pdf

        self.pdf = rendered.data
        old, self.document = self.document, load_pdf(rendered.data, self)
        self._view().setDocument(self.document)
        if old is not None:
            old.deleteLater()
        notes = [f"共{rendered.pages}页（A4）", *rendered.warnings]
        self.status.setText("；".join(notes))

    def notice_board_pdf(self) -> bytes:
        """The report as it is now, laid out on A3 for the notice board (公告栏A3): what the
        print preview prints when the clerk chooses that layout."""
        from export.worker import render_pdf  # in the render process

        report = self.session.report
        if report is None:
            raise OSError("没有打开的报告")
        return render_pdf(report, paper="A3").data

    def _view(self) -> QPdfView:
        if self.view is None:
            from PySide6.QtPdfWidgets import QPdfView

            self.view = QPdfView()
            self.view.setPageMode(QPdfView.PageMode.MultiPage)
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
            self._layout.addWidget(self.view, 1)
        return self.view

    def focus_first(self) -> None:
        (self.view or self).setFocus()
