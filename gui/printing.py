"""Printing the report: the very pages of the PDF, drawn onto the printer's paper.

The PDF is rendered page by page at the printer's resolution (capped, to keep memory sane on a
weak laptop) and scaled to the paper, so an A3 copy is the A4 layout made bigger — the same
lines, not re-flowed — and stays sharp.  For the notice board the report's own print preview
also offers 公告栏A3: the report laid out anew on A3 (export.geometry.NOTICE_BOARD), body and
tables in larger type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QMessageBox, QToolBar, QWidget

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
    return _placed(dialog, lambda target: print_document(document, target), parent)


def _placed(
    dialog: QPrintPreviewDialog, paint: Callable[[QPrinter], int], parent: QWidget | None
) -> QPrintPreviewDialog:
    dialog.setWindowTitle("打印预览")
    dialog.paintRequested.connect(paint)
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    size = QSize(int(area.width() * PREVIEW_SHARE), int(area.height() * PREVIEW_SHARE))
    dialog.resize(size)
    dialog.move(area.center() - QRect(QPoint(), size).center())
    preview = dialog.findChild(QPrintPreviewWidget)
    if preview is not None:
        preview.fitInView()  # the whole page, refitted as the dialog is resized
    return dialog


@dataclass(frozen=True)
class PrintLayout:
    """One way to print the report: its name in the dialog, the paper, and whether the pages
    are the A3 notice-board layout rather than the A4 pages."""

    label: str
    paper: QPageSize.PageSizeId
    notice_board: bool = False


LAYOUTS = (
    PrintLayout("A4（公文原样）", QPageSize.PageSizeId.A4),
    PrintLayout("A3（A4等比放大）", QPageSize.PageSizeId.A3),
    PrintLayout("公告栏A3（放大字号重排）", QPageSize.PageSizeId.A3, notice_board=True),
)

#: Renders the report's A3 notice-board pages (PDF bytes), when asked for.
NoticeBoard = Callable[[], bytes]


class LayoutChooser(QObject):
    """The 版式 box added to the print preview's tool bar: A4, A3 enlarged, or the A3
    notice-board layout (rendered the first time it is chosen).  Choosing one sets the
    printer's paper and the pages the preview shows and the printer prints."""

    def __init__(
        self,
        dialog: QPrintPreviewDialog,
        printer: QPrinter,
        document: QPdfDocument,
        notice_board: NoticeBoard,
    ) -> None:
        super().__init__(dialog)
        self.dialog, self.printer = dialog, printer
        self.official = document
        self.notice_board = notice_board
        self.notice_document: QPdfDocument | None = None
        self.box = QComboBox()
        self.box.setObjectName("print_layout")
        self.box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.box.setToolTip("公告栏A3：按A3纸重新排版，正文和表格字号放大，便于张贴后远看")
        for layout in LAYOUTS:
            self.box.addItem(layout.label)
        self.box.currentIndexChanged.connect(self._chosen)
        bar = dialog.findChild(QToolBar)
        if bar is not None and bar.actions():  # first: never folded away on a narrow screen
            first = bar.actions()[0]
            bar.insertWidget(first, QLabel(" 版式："))
            bar.insertWidget(first, self.box)
            bar.insertSeparator(first)
        elif bar is not None:
            bar.addWidget(QLabel(" 版式："))
            bar.addWidget(self.box)

    @property
    def layout(self) -> PrintLayout:
        return LAYOUTS[max(0, self.box.currentIndex())]

    def document(self) -> QPdfDocument:
        """The pages of the chosen layout."""
        if self.layout.notice_board and self.notice_document is not None:
            return self.notice_document
        return self.official

    def _chosen(self) -> None:
        if self.layout.notice_board and self.notice_document is None:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.notice_document = load_pdf(self.notice_board(), self.dialog)
            except OSError as error:  # a font that cannot be read, the report closed
                QApplication.restoreOverrideCursor()
                QMessageBox.warning(
                    self.dialog, "打印", f"无法生成公告栏A3版式：{error}\n仍可按A4或A3放大打印。"
                )
                self.box.setCurrentIndex(0)
                return
            QApplication.restoreOverrideCursor()
        self.printer.setPageSize(QPageSize(self.layout.paper))
        self.printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        preview = self.dialog.findChild(QPrintPreviewWidget)
        if preview is not None:
            preview.updatePreview()
            preview.fitInView()


def print_dialog(
    document: QPdfDocument,
    printer: QPrinter,
    parent: QWidget | None = None,
    notice_board: NoticeBoard | None = None,
) -> QPrintPreviewDialog:
    """:func:`preview_dialog`, and with ``notice_board`` the 版式 box (:class:`LayoutChooser`,
    a child of the dialog) choosing what is printed."""
    if notice_board is None:
        return preview_dialog(document, printer, parent)
    dialog = QPrintPreviewDialog(printer, parent)
    chooser = LayoutChooser(dialog, printer, document, notice_board)  # the dialog's child
    return _placed(dialog, lambda target: print_document(chooser.document(), target), parent)


def preview_and_print(
    document: QPdfDocument, parent: QWidget | None = None, notice_board: NoticeBoard | None = None
) -> bool:
    """Show the print preview; True when printed.  ``notice_board`` renders the report's A3
    notice-board pages; by default ``document``'s owner is asked for them (the preview tab's
    ``notice_board_pdf``), so the report's print offers 公告栏A3 and a one-page sheet does not."""
    if notice_board is None:
        notice_board = getattr(document.parent(), "notice_board_pdf", None)
    printer = new_printer()  # high resolution: the pages print sharp
    dialog = print_dialog(document, printer, parent, notice_board)
    try:
        return dialog.exec() == QPrintPreviewDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
