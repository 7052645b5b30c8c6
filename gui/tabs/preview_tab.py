"""预览: the pages as they will print, with 导出PDF, 导出Word and 打印.

Qt PDF (PDFium) is loaded when the tab is first shown, not at start: it is not needed to show
a report, and it costs start-up time and memory (docs/PERFORMANCE.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from gui.session import ReportSession

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

#: Edits come in bursts while the clerk types: re-render once they pause.
REFRESH_DELAY_MS = 600


class PreviewTab(QWidget):
    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.document: QPdfDocument | None = None
        self.pdf: bytes = b""
        self.view: QPdfView | None = None  # made on first refresh
        self.status = QLabel()
        self.export_button = QPushButton("导出PDF…")
        self.docx_button = QPushButton("导出Word…")
        self.print_button = QPushButton("打印…")
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        for button in (self.export_button, self.docx_button, self.print_button):
            bar.addWidget(button)
        self._layout = QVBoxLayout(self)
        self._layout.addLayout(bar)
        self._stale = True
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        session.reportOpened.connect(self._changed)
        session.cellsChanged.connect(self._changed)
        session.detailsChanged.connect(self._changed)

    def _changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Render the report and show its pages."""
        from export.pdf import render_pdf  # ReportLab only when the pages are wanted
        from gui.printing import load_pdf

        report = self.session.report
        self._stale = False
        view = self._view()
        if report is None:
            view.setDocument(None)
            self.status.setText("没有打开的报告")
            return
        rendered = render_pdf(report)
        self.pdf = rendered.data
        old, self.document = self.document, load_pdf(rendered.data, self)
        view.setDocument(self.document)
        if old is not None:
            old.deleteLater()
        notes = [f"共{rendered.pages}页（A4）", *rendered.warnings]
        self.status.setText("；".join(notes))

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

    def select_keys(self, keys: tuple[str, ...]) -> None:
        self.focus_first()
