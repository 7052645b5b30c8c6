"""导入已发布的年报: read a report a unit published (a saved web page, Word, PDF, text copied
from a browser) and let the clerk review it before anything is stored.

The first page takes the input: a file, or a paste area that keeps a browser copy's HTML.  The
second shows the report as it will be saved: its unit, year and format (editable, since the
reader may have guessed them from the title), the reader's notes, every table drawn as the
official form draws it (:func:`model.formats.layout.part_grid`, read-only), each value with
its source, the cells the clerk must decide (:attr:`Imported.unread`) marked 待确认 with their
candidates, the checks' findings (a printed total that disagrees is one) and the texts as
split.  The dialog only says what to save (:meth:`ImportDialog.result_report`); the window
saves it in one undoable step (:meth:`gui.session.ReportSession.import_undoably`).
"""

from __future__ import annotations

import copy
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gui.dialogs import ask, show_error
from model.calc import all_values
from model.checks import Finding, check
from model.errors import UserError, os_reason
from model.formats import FIRST_YEAR, FORMATS, LAST_YEAR, ReportFormat
from model.formats.layout import Grid, GridCell, Role, part_grid
from model.report import Report
from model.values import CellValue, InvalidValue, parse, to_text
from published.result import Imported, Unread

FILE_FILTER = "网页、Word、PDF、文本 (*.html *.htm *.mhtml *.mht *.docx *.pdf *.txt)"
TITLE = "导入已发布的年报"
#: What the clerk is told on each page, in one place.
MESSAGES = {
    "intro": "选择本单位在网站上发布的年报（保存的网页、Word、PDF 或文本文件），"
    "或把网页上的年报全文复制后粘贴到下面。导入前会先显示读取的结果供核对。",
    "paste": "在此粘贴从网页复制的年报全文（Ctrl+V）……",
    "empty": "请先粘贴年报的内容，或选择一个文件。",
    "no_agency": "请填写单位名称。",
    "no_year": "请选择报告年度。",
    "left_blank": "还有{n}个单元格未确认，将留空导入（以后可以在表格中填写）。要继续吗？",
    "exists": "已有“{agency}”{year}年的报告。\n要用导入的内容替换它吗？",
    "dropped": "改为{format}格式后，{n}个单元格在该格式中没有对应位置，不会导入。",
    "pending": "需要确认的单元格（{n}）",
    "all_done": "需要确认的单元格（0）：全部已确认",
    "findings": "检查结果（{n}）",
    "choose": "请选择……",
    "blank": "留空（不填）",
}
_COLOURS = {
    "pending": QColor("#ffb74d"),  # the clerk must decide
    "decided": QColor("#c8e6c9"),  # decided by the clerk
    "error": QColor("#f7c6c6"),
    "warning": QColor("#fde9b4"),
    "derived": QColor("#e3ebf5"),
    "header": QColor("#eeeeee"),
    "label": QColor("#f8f8f8"),
}
_KEY = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
Reader = Callable[[], Imported]


class PasteArea(QPlainTextEdit):
    """A plain text box that keeps the HTML of a rich paste (a browser copy keeps the tables
    as tables there), for as long as the text is the one pasted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._html: str | None = None
        self._pasted_text = ""

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return bool(source.hasHtml() or source.hasText())

    def insertFromMimeData(self, source: QMimeData) -> None:
        text = source.text() if source.hasText() else ""
        self.insertPlainText(text)
        if source.hasHtml():
            self._html, self._pasted_text = source.html(), self.toPlainText()
        else:
            self._html = None

    def contents(self) -> tuple[str | None, str]:
        """The pasted HTML (None once the text was edited or if there was none) and the text."""
        text = self.toPlainText()
        return (self._html if text == self._pasted_text else None), text


class _ValueEdit(QLineEdit):
    """The value typed for a cell: its Enter takes the value and never confirms the dialog."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class ReviewModel(QAbstractTableModel):
    """One part's tables of the report to be saved, as the official grid; read-only."""

    def __init__(self, dialog: ImportDialog, part_key: str) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.grid: Grid = part_grid(dialog.draft.format, part_key)
        self._anchors = {(c.row, c.col): c for c in self.grid.cells}

    def refresh(self) -> None:
        if self.grid.rows and self.grid.columns:
            last = self.index(self.grid.rows - 1, self.grid.columns - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def cell_at(self, index: _Index) -> GridCell | None:
        return self._anchors.get((index.row(), index.column())) if index.isValid() else None

    def index_of(self, key: str) -> QModelIndex:
        cell = next((c for c in self.grid.cells if c.key == key), None)
        return self.index(cell.row, cell.col) if cell else QModelIndex()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.grid.rows

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.grid.columns

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if self.cell_at(index) is None:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell_at(index)
        if cell is None:
            return None
        if role == _KEY:
            return cell.key
        if cell.key:
            return self._value(cell.key, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(cell.text) if cell.vertical else cell.text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            return left if cell.role is Role.LABEL else Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(_COLOURS["label" if cell.role is Role.LABEL else "header"])
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.text
        return None

    def _value(self, key: str, role: int) -> Any:
        d = self.dialog
        if role == Qt.ItemDataRole.DisplayRole:
            return "待确认" if key in d.undecided_keys() else to_text(d.shown_value(key))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = d.colour_of(key)
            return QBrush(_COLOURS[colour]) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return d.describe_cell(key)
        return None


class _SpanDelegate(QStyledItemDelegate):
    """A cell spanning rows takes its height from them, not its first row (as in the window)."""

    def __init__(self, model: ReviewModel, parent: QWidget) -> None:
        super().__init__(parent)
        self._model = model

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        hint = super().sizeHint(option, index)
        cell = self._model.cell_at(index)
        if cell is not None and cell.rowspan > 1:
            hint.setHeight(0)
        return hint


class ReviewView(QTableView):
    """The grid drawn like the window's tables (spans, vertical group labels), read-only."""

    def __init__(self, model: ReviewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)  # Tab leaves the table: the dialog's keys stay usable
        self.setItemDelegate(_SpanDelegate(model, self))
        grid = model.grid
        for cell in grid.cells:
            if cell.rowspan > 1 or cell.colspan > 1:
                self.setSpan(cell.row, cell.col, cell.rowspan, cell.colspan)
        metrics = QFontMetrics(self.font())
        em = metrics.horizontalAdvance("国")
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        for col in range(grid.columns):
            vertical = any(c.col == col and c.vertical for c in grid.cells)
            wide = 16 if grid.label_columns < 3 else 22
            width = 5.2 if col >= grid.label_columns else 1.8 if vertical else wide
            header.resizeSection(col, int(em * width))
        self.verticalHeader().setMinimumSectionSize(int(em * 1.9))
        self.resizeRowsToContents()
        for cell in grid.cells:  # rows under a vertical label: tall enough for its characters
            if cell.vertical:
                rows = range(cell.row, cell.row + cell.rowspan)
                missing = len(cell.text) * metrics.lineSpacing() + 8
                missing -= sum(self.rowHeight(r) for r in rows)
                for r in rows:
                    if missing > 0:
                        self.setRowHeight(r, self.rowHeight(r) + -(-missing // cell.rowspan))

    def review_model(self) -> ReviewModel:
        model = self.model()
        assert isinstance(model, ReviewModel)
        return model


class ImportDialog(QDialog):
    """The two pages: the input, then the review.  ``accept()`` only after 确认导入."""

    def __init__(
        self,
        exists: Callable[[Report], bool],
        parent: QWidget | None = None,
        title: str = TITLE,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._exists = exists
        self.imported: Imported | None = None
        self.draft = Report(format_id=next(iter(FORMATS)), agency="", year=FIRST_YEAR)
        self.decisions: dict[str, CellValue | None] = {}
        self.findings: list[Finding] = []
        self.replace = False
        self._values: dict[str, CellValue] = {}
        self._dropped = 0
        self._selected: str | None = None
        self.views: dict[str, ReviewView] = {}
        self.pages = QStackedWidget()
        self.pages.addWidget(self._source_page())
        self.pages.addWidget(self._review_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.resize(1200, 760)

    # ------------------------------------------------------------------ page 1: the input

    def _source_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(MESSAGES["intro"])
        intro.setWordWrap(True)
        self.file_button = QPushButton("选择文件(&F)…")
        self.file_button.clicked.connect(self.choose_file)
        self.paste = PasteArea()
        self.paste.setPlaceholderText(MESSAGES["paste"])
        self.clipboard_button = QPushButton("从剪贴板读取(&B)")
        self.clipboard_button.clicked.connect(self.read_clipboard)
        self.read_button = QPushButton("读取粘贴的内容(&R)")
        self.read_button.clicked.connect(self.read_pasted)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.clipboard_button, self.read_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.file_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(QLabel("或者粘贴年报的全文："))
        layout.addWidget(self.paste, 1)
        layout.addLayout(buttons)
        for button in (self.file_button, self.clipboard_button, self.read_button, cancel):
            button.setAutoDefault(False)
        return page

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择已发布的年报", "", FILE_FILTER)
        if path:
            from published import pipeline

            self.load(lambda: pipeline.read_published(Path(path)))

    def read_pasted(self) -> None:
        html_text, text = self.paste.contents()
        if not text.strip() and not html_text:
            show_error(self, TITLE, MESSAGES["empty"])
            return
        from published import pipeline

        self.load(lambda: pipeline.read_published_clipboard(html_text, text))

    def read_clipboard(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        html_text = mime.html() if mime is not None and mime.hasHtml() else None
        text = mime.text() if mime is not None and mime.hasText() else None
        if not (html_text or (text and text.strip())):
            show_error(self, TITLE, "剪贴板中没有文字。请先在网页上选中年报全文并复制。")
            return
        from published import pipeline

        self.load(lambda: pipeline.read_published_clipboard(html_text, text))

    def load(self, read: Reader) -> bool:
        """Read with a wait cursor; a file that is not a report is said, and the page stays."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            imported = read()
        except OSError as error:
            QApplication.restoreOverrideCursor()
            show_error(self, TITLE, f"无法读取文件：{os_reason(error)}")
            return False
        except UserError as error:  # NotAReport among them
            QApplication.restoreOverrideCursor()
            show_error(self, TITLE, str(error))
            return False
        QApplication.restoreOverrideCursor()
        self.show_imported(imported)
        return True

    # ------------------------------------------------------------------ page 2: the review

    def _review_page(self) -> QWidget:
        page = QWidget()
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.agency = QLineEdit()
        self.agency.setMinimumWidth(self.agency.fontMetrics().horizontalAdvance("某" * 20))
        self.year = QSpinBox()
        self.year.setRange(FIRST_YEAR - 1, LAST_YEAR)
        self.year.setSpecialValueText("（未读出）")
        self.year.setSuffix("年")
        self.format = QComboBox()
        for format_id, fmt in FORMATS.items():
            self.format.addItem(f"{format_id}格式（{fmt.document}）", format_id)
        form = QFormLayout()
        form.addRow("单位名称(&A)：", self.agency)
        form.addRow("报告年度(&Y)：", self.year)
        form.addRow("报告格式(&G)：", self.format)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.tabs = QTabWidget()
        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(self._side_panel())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        em = self.fontMetrics().horizontalAdvance("国")
        splitter.setSizes([em * 60, em * 26])
        self.back_button = QPushButton("返回")
        self.back_button.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.confirm_button = QPushButton("确认导入")
        self.confirm_button.clicked.connect(self.confirm)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        for button in (self.back_button, self.confirm_button, cancel):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(cancel)
        top = QHBoxLayout()
        top.addLayout(form)
        top.addWidget(self.notes, 1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.source_label)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.agency.textEdited.connect(lambda _: self._rebuild(tables=False))
        self.year.valueChanged.connect(lambda _: self._rebuild(tables=False))
        self.format.activated.connect(lambda _: self._rebuild(tables=True))
        return page

    def _side_panel(self) -> QWidget:
        panel = QWidget()
        # As wide as a sentence, however long the reasons and findings: they wrap.
        panel.setMaximumWidth(self.fontMetrics().horizontalAdvance("国") * 34)
        self.pending_box = QGroupBox()
        self.pending_list = _wrapping_list()
        self.pending_list.currentRowChanged.connect(self._pending_selected)
        self.pending_list.itemClicked.connect(
            lambda i: self._pending_selected(self.pending_list.row(i))
        )
        QVBoxLayout(self.pending_box).addWidget(self.pending_list)
        source_box = QGroupBox("所选单元格的来源")
        self.cell_info = QLabel("点击表格中的数字，查看它从原文的哪里读出。")
        self.cell_info.setWordWrap(True)
        self.cell_info.setTextFormat(Qt.TextFormat.PlainText)
        self.cell_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.candidates = QComboBox()
        self.candidates.activated.connect(self._candidate_chosen)
        self.typed = _ValueEdit()
        self.typed.setPlaceholderText("或填写这一格的数值，回车确认")
        self.typed.returnPressed.connect(self._value_typed)
        self.typed_error = QLabel()
        self.typed_error.setStyleSheet("color: #b00020;")
        self.typed_error.setWordWrap(True)
        source_layout = QVBoxLayout(source_box)
        source_layout.addWidget(self.cell_info)
        source_layout.addWidget(self.candidates)
        source_layout.addWidget(self.typed)
        source_layout.addWidget(self.typed_error)
        self.findings_box = QGroupBox()
        self.findings_list = _wrapping_list()
        self.findings_list.itemActivated.connect(self._finding_activated)
        QVBoxLayout(self.findings_box).addWidget(self.findings_list)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pending_box, 2)
        layout.addWidget(source_box)
        layout.addWidget(self.findings_box, 2)
        return panel

    def show_imported(self, imported: Imported) -> None:
        """Show ``imported`` for review (the second page)."""
        self.imported, self.decisions, self._selected = imported, {}, None
        report = imported.report
        self.agency.setText(report.agency)
        year_known = FIRST_YEAR <= report.year <= LAST_YEAR
        self.year.blockSignals(True)  # one rebuild below, not one per field
        self.year.setValue(report.year if year_known else self.year.minimum())
        self.year.blockSignals(False)
        self.format.setCurrentIndex(max(0, self.format.findData(report.format_id)))
        self.source_label.setText(
            f"来源：{imported.source_kind}“{imported.source_name}”。"
            "请核对下面读出的内容；橙色“待确认”的单元格需要您选择。"
        )
        self._rebuild(tables=True)
        self.pages.setCurrentIndex(1)
        self._focus_first_pending()

    # ------------------------------------------------------------------ the report to save

    def _rebuild(self, tables: bool) -> None:
        """Make the draft from what was read, the fields above and the decisions; redraw."""
        imported = self.imported
        if imported is None:
            return
        fmt = FORMATS[self.format.currentData()]
        self.draft, self._dropped = _draft(imported, fmt, self.decisions)
        self.draft.agency = self.agency.text().strip()
        self.draft.year = self.year.value()
        self._values = all_values(fmt, self.draft.cells)
        self.findings = check(self.draft) if self.draft.year >= FIRST_YEAR else []
        if tables:
            self._fill_tabs()
        else:
            self._refresh_tables()
        self._fill_pending()
        self._fill_findings()
        self._fill_notes()
        self.confirm_button.setDefault(not self.undecided_keys())

    def _fill_tabs(self) -> None:
        current = self.tabs.currentIndex()
        self.tabs.clear()
        self.views = {}
        fmt = self.draft.format
        for part in fmt.parts:
            if part.tables:
                view = ReviewView(ReviewModel(self, part.key))
                view.selectionModel().currentChanged.connect(self._cell_selected)
                self.views[part.key] = view
                self.tabs.addTab(view, f"{part.number}、{part.short}")
        self.texts_view = QTextBrowser()
        self.tabs.addTab(self.texts_view, "文字部分")
        self._fill_texts()
        self.tabs.setCurrentIndex(max(0, current))

    def _refresh_tables(self) -> None:
        for view in self.views.values():
            view.review_model().refresh()

    def _fill_texts(self) -> None:
        assert self.imported is not None
        fmt = self.draft.format
        parts = []
        for key in fmt.text_keys:
            text = self.draft.text(key)
            origin = self.imported.texts.get(key)
            where = f"（{origin.where}）" if origin and origin.where else ""
            body = html.escape(text).replace("\n", "<br>") if text else "<i>（未读出）</i>"
            parts.append(
                f"<h3>{html.escape(fmt.text(key).label)}"
                f" <small style='color:#666'>{html.escape(where)}</small></h3><p>{body}</p>"
            )
        self.texts_view.setHtml("".join(parts))

    def _fill_pending(self) -> None:
        assert self.imported is not None
        undecided = self.undecided_keys()
        self.pending_list.blockSignals(True)
        self.pending_list.clear()
        for number, item in enumerate(self._unread()):
            places = "、".join(self.place(k) for k in item.keys)
            state = "待确认" if set(item.keys) & undecided else "已确认"
            line = QListWidgetItem(f"【{state}】{places}：{item.reason}")
            line.setData(_KEY, number)
            line.setToolTip(f"{places}\n{item.reason}\n{_origin_text(item)}")
            if state == "待确认":
                line.setBackground(QBrush(_COLOURS["pending"]))
            self.pending_list.addItem(line)
        self.pending_list.blockSignals(False)
        n = len(undecided)
        self.pending_box.setTitle(MESSAGES["pending"].format(n=n) if n else MESSAGES["all_done"])

    def _fill_findings(self) -> None:
        self.findings_list.clear()
        for finding in self.findings:
            line = QListWidgetItem(f"【{finding.severity.label}】{finding.message}")
            if finding.is_error:
                line.setForeground(QBrush(QColor("#b00020")))
            self.findings_list.addItem(line)
        self.findings_box.setTitle(MESSAGES["findings"].format(n=len(self.findings)))

    def _fill_notes(self) -> None:
        assert self.imported is not None
        notes = list(self.imported.notes)
        if self._dropped:
            fmt_id = self.draft.format_id
            notes.append(MESSAGES["dropped"].format(format=fmt_id, n=self._dropped))
        read = len(self.imported.cells)
        notes.insert(0, f"读出{read}个数字，{self.imported.needing_review}个单元格需要确认。")
        self.notes.setText("\n".join(f"· {note}" for note in notes))

    # ------------------------------------------------------------------ cells

    def _unread(self) -> tuple[Unread, ...]:
        """The items to decide that concern cells of the chosen format."""
        assert self.imported is not None
        cells = self.draft.format.cells
        return tuple(u for u in self.imported.unread if all(k in cells for k in u.keys))

    def undecided_keys(self) -> set[str]:
        return {k for u in self._unread() for k in u.keys if k not in self.decisions}

    def _unread_of(self, key: str) -> Unread | None:
        return next((u for u in self._unread() if key in u.keys), None)

    def shown_value(self, key: str) -> CellValue | None:
        """What the report will hold: the value read or decided, a total as printed (or, not
        printed, as computed)."""
        if self.draft.format.cells[key].derived:
            return self.draft.declared.get(key, self._values.get(key))
        return self.draft.cells.get(key)

    def colour_of(self, key: str) -> str | None:
        if key in self.undecided_keys():
            return "pending"
        if key in self.decisions:
            return "decided"
        findings = [f for f in self.findings if key in f.cells]
        if findings:
            return "error" if any(f.is_error for f in findings) else "warning"
        return "derived" if self.draft.format.cells[key].derived else None

    def place(self, key: str) -> str:
        fmt = self.draft.format
        cell = fmt.cells[key]
        return fmt.part_of_table(cell.table.key).ordinal + cell.place

    def describe_cell(self, key: str) -> str:
        """Where ``key``'s value came from, in words: the side panel's text and the tooltip."""
        assert self.imported is not None
        lines = [self.place(key)]
        read = self.imported.cells.get(key)
        unread = self._unread_of(key)
        if key in self.undecided_keys():
            lines.append("待确认：请在右侧选择一个读法、填写数值或留空。")
        elif key in self.decisions:
            lines.append(f"已确认：{to_text(self.decisions[key]) or '留空'}")
        if read is not None:
            lines.append(f"原文：{read.printed or '（空白）'}（{read.how.label}）")
            if read.note:
                lines.append(f"说明：{read.note}")
            if read.unit:
                lines.append(f"单位：{read.unit}")
            lines.append(f"位置：{read.origin.where}")
            if read.origin.snippet:
                lines.append(f"原文片段：{read.origin.snippet}")
        elif unread is not None:
            lines.append(f"原因：{unread.reason}")
            lines.append(_origin_text(unread))
        elif self.draft.format.cells[key].derived:
            lines.append("原文未印出此合计；显示的是自动合计。")
        else:
            lines.append("原文中没有读出这一格，导入后为空白。")
        lines.extend(f"【{f.severity.label}】{f.message}" for f in self.findings if key in f.cells)
        return "\n".join(lines)

    def _cell_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = current.data(_KEY) if current.isValid() else None
        self.show_cell(key if isinstance(key, str) else None)

    def show_cell(self, key: str | None) -> None:
        """Show ``key``'s source; for a cell to decide, offer its candidates."""
        self._selected = key
        self.typed_error.clear()
        self.candidates.clear()
        unread = self._unread_of(key) if key else None
        self.cell_info.setText(self.describe_cell(key) if key else "")
        self.candidates.setEnabled(unread is not None)
        self.typed.setEnabled(unread is not None)
        if unread is None:
            return
        self.candidates.addItem(MESSAGES["choose"], None)
        for number, values in enumerate(unread.candidates):
            text = "、".join(to_text(v) for v in values)
            self.candidates.addItem(f"读作：{text}", number)
        self.candidates.addItem(MESSAGES["blank"], -1)

    def select_key(self, key: str) -> None:
        """Show the cell ``key`` in its table and select it."""
        part = self.draft.format.part_of_table(self.draft.format.cells[key].table.key)
        view = self.views.get(part.key)
        if view is None:
            return
        self.tabs.setCurrentWidget(view)
        index = view.review_model().index_of(key)
        view.setCurrentIndex(index)
        view.scrollTo(index)
        self.show_cell(key)

    def _pending_selected(self, row: int) -> None:
        item = self.pending_list.item(row)
        if item is not None:
            self.select_key(self._unread()[item.data(_KEY)].keys[0])

    def _finding_activated(self, item: QListWidgetItem) -> None:
        finding = self.findings[self.findings_list.row(item)]
        if finding.cells:
            self.select_key(finding.cells[0])

    def _focus_first_pending(self) -> None:
        if self.pending_list.count():
            self.pending_list.setCurrentRow(0)
            self.pending_list.setFocus()

    # ------------------------------------------------------------------ decisions

    def choose(self, key: str, candidate: int | None) -> None:
        """Decide the cells of ``key``'s item: its candidate number ``candidate``, or blank for
        None."""
        unread = self._unread_of(key)
        assert unread is not None
        for number, cell_key in enumerate(unread.keys):
            value = unread.candidates[candidate][number] if candidate is not None else None
            self.decisions[cell_key] = value
        self._decided(key)

    def set_value(self, key: str, text: str) -> bool:
        """Decide one cell by typing its value; False (and why, beside it) if not a value."""
        try:
            value = parse(self.draft.format.cells[key].kind, text)
        except InvalidValue as error:
            self.typed_error.setText(str(error))
            return False
        self.decisions[key] = value
        self._decided(key)
        return True

    def _candidate_chosen(self, index: int) -> None:
        number = self.candidates.itemData(index)
        if self._selected is not None and number is not None:
            self.choose(self._selected, None if number < 0 else number)

    def _value_typed(self) -> None:
        if self._selected is not None and self.set_value(self._selected, self.typed.text()):
            self.typed.clear()

    def _decided(self, key: str) -> None:
        self._rebuild(tables=False)
        self.show_cell(key)
        pending = sorted(self.undecided_keys(), key=list(self.draft.format.cells).index)
        if pending:
            self.select_key(pending[0])

    # ------------------------------------------------------------------ confirming

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter confirms only on the review page and only when nothing waits for a decision."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.pages.currentIndex() == 1 and not self.undecided_keys():
                self.confirm()
            return
        super().keyPressEvent(event)

    def confirm(self) -> None:
        """确认导入: check the unit and year, ask about blanks and an existing report, accept."""
        self._rebuild(tables=False)
        if not self.draft.agency:
            show_error(self, TITLE, MESSAGES["no_agency"])
            self.agency.setFocus()
            return
        if self.draft.year < FIRST_YEAR:
            show_error(self, TITLE, MESSAGES["no_year"])
            self.year.setFocus()
            return
        left = len(self.undecided_keys())
        if left and not ask(self, TITLE, MESSAGES["left_blank"].format(n=left)):
            return
        self.replace = self._exists(self.draft)
        if self.replace:
            question = MESSAGES["exists"].format(agency=self.draft.agency, year=self.draft.year)
            if not ask(self, TITLE, question):
                return
        self.accept()

    def result_report(self) -> Report:
        """The report to save, with the clerk's decisions."""
        return copy.deepcopy(self.draft)


def _draft(
    imported: Imported, fmt: ReportFormat, decisions: dict[str, CellValue | None]
) -> tuple[Report, int]:
    """The imported report in ``fmt`` with ``decisions`` applied, and how many of its cells
    have no place in ``fmt`` (only when the clerk chose another format)."""
    report = copy.deepcopy(imported.report)
    dropped = 0
    if fmt.id != report.format_id:
        old = report.format.cells
        for values in (report.cells, report.declared, report.units):
            for key in list(values):
                if key not in fmt.cells or fmt.cells[key].kind is not old[key].kind:
                    del values[key]
                    dropped += 1
        report.format_id = fmt.id
    for key, value in decisions.items():
        if key in fmt.cells:  # a total decided is a total as printed: declared, never input
            values = report.declared if fmt.cells[key].derived else report.cells
            if value is None:
                values.pop(key, None)
            else:
                values[key] = value
    return report, dropped


def _wrapping_list() -> QListWidget:
    """A list whose long lines wrap instead of widening the panel."""
    lines = QListWidget()
    lines.setWordWrap(True)
    lines.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    lines.setResizeMode(QListWidget.ResizeMode.Adjust)
    return lines


def _origin_text(item: Unread) -> str:
    snippet = f"\n原文片段：{item.origin.snippet}" if item.origin.snippet else ""
    return f"位置：{item.origin.where}{snippet}"
