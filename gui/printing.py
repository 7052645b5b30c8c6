"""Printing the report: the very pages of the PDF, drawn onto the printer's paper.

The PDF is rendered page by page at the printer's resolution (capped, to keep memory sane on a
weak laptop) and scaled to the paper, so an A3 copy for the notice board is the A4 layout made
bigger — the same lines, not re-flowed — and stays sharp.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

#: Dots per inch the pages are rendered at for printing: sharp on paper, ~35 MB a page at A3.
MAX_PRINT_DPI = 300


def load_pdf(data: bytes, parent: QWidget | None = None) -> QPdfDocument:
    """A QPdfDocument reading ``data`` from memory (the buffer lives as long as the document)."""
    document = QPdfDocument() if parent is None else QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def new_printer(paper: QPageSize.PageSizeId = QPageSize.PageSizeId.A4) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(paper))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)  # the PDF carries its own margins
    return printer


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Draw every page onto ``printer``; the number of pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            _draw_page(document, page, painter, printer)
    finally:
        painter.end()
    return document.pageCount()


def _draw_page(document: QPdfDocument, page: int, painter: QPainter, printer: QPrinter) -> None:
    target = printer.pageLayout().fullRectPixels(printer.resolution())
    points = document.pagePointSize(page)
    # Keep the page's proportions (a landscape page stays landscape, fitted to the paper).
    scale = min(target.width() / points.width(), target.height() / points.height())
    width, height = int(points.width() * scale), int(points.height() * scale)
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    factor = dpi / printer.resolution()
    image = document.render(page, QSize(int(width * factor), int(height * factor)))
    left = target.x() + (target.width() - width) // 2
    top = target.y() + (target.height() - height) // 2
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(QRect(left, top, width, height), image)


def preview_and_print(document: QPdfDocument, parent: QWidget | None = None) -> bool:
    """The print preview dialog (printer, paper size A4/A3, copies); True when printed."""
    printer = new_printer()
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("打印预览")
    dialog.setWindowState(Qt.WindowState.WindowMaximized)
    dialog.paintRequested.connect(lambda target: print_document(document, target))
    return dialog.exec() == QPrintPreviewDialog.DialogCode.Accepted
