"""Printing the report: the very pages of the PDF, drawn onto the printer's paper.

The PDF is rendered page by page at the printer's resolution (capped, to keep memory sane on a
weak laptop) and scaled to the paper, so an A3 copy for the notice board is the A4 layout made
bigger — the same lines, not re-flowed — and stays sharp.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QWidget

#: Dots per inch the pages are rendered at for printing: sharp on paper, ~35 MB a page at A3.
MAX_PRINT_DPI = 300

#: The share of the screen's width and height the print preview takes.
PREVIEW_SHARE = 0.9


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


def preview_dialog(
    document: QPdfDocument, printer: QPrinter, parent: QWidget | None = None
) -> QPrintPreviewDialog:
    """The print preview dialog (printer, paper size A4/A3, copies), placed over most of the
    screen with the whole page fitted.  Its geometry is set outright: asking for a maximized
    window is ignored by some window managers, and Qt's own default is a small window whose
    preview is then fitted at about 5%."""
    dialog = QPrintPreviewDialog(printer, parent)  # the caller keeps ``printer`` alive
    dialog.setWindowTitle("打印预览")
    dialog.paintRequested.connect(lambda target: print_document(document, target))
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    size = QSize(int(area.width() * PREVIEW_SHARE), int(area.height() * PREVIEW_SHARE))
    dialog.resize(size)
    dialog.move(area.center() - QRect(QPoint(), size).center())
    preview = dialog.findChild(QPrintPreviewWidget)
    if preview is not None:
        preview.fitInView()  # the whole page, refitted as the dialog is resized
    return dialog


def preview_and_print(document: QPdfDocument, parent: QWidget | None = None) -> bool:
    """Show the print preview; True when printed."""
    printer = new_printer()  # high resolution: the pages print sharp
    dialog = preview_dialog(document, printer, parent)
    try:
        return dialog.exec() == QPrintPreviewDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
