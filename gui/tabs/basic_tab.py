"""基本信息: the agency, year, format, title, preamble and the signature block."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from gui.session import SIGNATURE, TITLE, ReportSession
from gui.tabs.page import Page
from gui.tabs.text_tab import TextEditor
from model.checks import Finding
from model.formats.rules import (
    FormatYearRule,
    Rule,
    SignatureAgencyRule,
    SignatureDateRule,
    TitleRule,
)
from model.report import default_title
from model.values import InvalidValue, date_text, parse_date

UNSAVED_STYLE = "background: #ffb74d;"
UNSAVED_TIP = "尚未保存：磁盘暂时无法写入，程序正在自动重试"


class TitleEdit(QPlainTextEdit):
    """The title field: two lines high, Enter starts a new line, which the printed title
    keeps as its line break (export/titles.py); ``text``, ``setText`` and
    ``editingFinished`` as a QLineEdit has them."""

    editingFinished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        lines = self.fontMetrics().lineSpacing() * 2
        margins = self.contentsMargins()
        self.setFixedHeight(lines + margins.top() + margins.bottom() + 12)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # Qt's name
        self.setPlainText(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # Qt's name
        super().focusOutEvent(event)
        self.editingFinished.emit()


class BasicTab(Page):
    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.agency = QLineEdit()
        self.agency.setToolTip("报告单位的全称，如“古城回族乡人民政府”")
        self.year = QLabel()
        self.format = QLabel()
        self.format.setWordWrap(True)
        # Selectable, so that a finding about the format can put the focus here (click focus
        # only: the Tab key still goes from field to field).
        self.format.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title = TitleEdit()
        self.preamble = TextEditor(session, "preamble")
        self.preamble.setPlaceholderText(
            "（可选）第一部分之前的引言，如“根据《中华人民共和国政府信息公开条例》……”"
        )
        self.signature = QLineEdit()
        self.date = QLineEdit()
        self.date.setPlaceholderText("如 2027年1月20日")
        form = QFormLayout()
        form.addRow("单位名称：", self.agency)
        form.addRow("报告年度：", self.year)
        form.addRow("报告格式：", self.format)
        form.addRow("标题：", self.title)
        form.addRow("落款单位：", self.signature)
        form.addRow("成文日期：", self.date)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("前言："))
        layout.addWidget(self.preamble, 1)
        self.agency.editingFinished.connect(self._agency_edited)
        self.title.editingFinished.connect(self._title_edited)
        self.signature.editingFinished.connect(self._signature_edited)
        self.date.editingFinished.connect(self._signature_edited)
        session.reportOpened.connect(self.reload)
        session.detailsChanged.connect(self.reload)
        session.cellsChanged.connect(self._show_pending)  # also when kept edits are saved
        self.reload()

    def reload(self) -> None:
        report = self.session.report
        for field in (self.agency, self.title, self.signature, self.date):
            field.setEnabled(report is not None)
        if report is None:
            return
        fmt = report.format
        self.agency.setText(report.agency)
        self.year.setText(f"{report.year}年")
        self.format.setText(f"{fmt.id}格式：{fmt.document}{fmt.name}")
        self.title.setText(report.title or "")
        self.title.setPlaceholderText(
            f"默认：{default_title(report.agency, report.year)}"
            "（打印时按词意自动转行；要在某处转行，就在那里按回车）"
        )
        self.signature.setText(report.signature_agency or "")
        self.signature.setPlaceholderText(f"默认：{report.agency}")
        self.date.setText(date_text(report.signature_date))
        self.date.setPlaceholderText(f"如 {report.year + 1}年1月20日")  # due by 31 January
        self._show_pending()

    def _show_pending(self) -> None:
        """A title or signature the disk refused is shown in orange until it is saved."""
        pending = self.session.pending_details
        for field, key in (
            (self.title, TITLE),
            (self.signature, SIGNATURE),
            (self.date, SIGNATURE),
        ):
            unsaved = key in pending
            field.setStyleSheet(UNSAVED_STYLE if unsaved else "")
            field.setToolTip(UNSAVED_TIP if unsaved else "")

    def _agency_edited(self) -> None:
        report = self.session.report
        name = self.agency.text().strip()
        if report is not None and name != report.agency and not self.session.rename(name):
            self.agency.setText(report.agency)

    def _title_edited(self) -> None:
        report = self.session.report
        lines = (line.strip(" \t\u3000") for line in self.title.text().splitlines())
        title = "\n".join(line for line in lines if line) or None
        if report is not None and title != report.title:
            self.session.set_title(title)

    def _signature_edited(self) -> None:
        report = self.session.report
        if report is None:
            return
        try:
            date = parse_date(self.date.text())
        except InvalidValue as error:
            self.session.refused.emit(f"成文日期：{error}")
            self.date.setText(date_text(report.signature_date))
            return
        agency = self.signature.text().strip() or None
        if (agency, date) != (report.signature_agency, report.signature_date):
            self.session.set_signature(agency, date)

    def focus_first(self) -> None:
        self.agency.setFocus()

    def field_for(self, finding: Finding) -> QWidget | None:
        """The field on this page a finding is about (the title, 落款, 成文日期 or the format),
        known from the type of the format's rule that made it; None for any other finding."""
        report = self.session.report
        if report is None:
            return None
        rule = next((r for r in report.format.rules if r.id == finding.rule), None)
        fields: tuple[tuple[type[Rule], QWidget], ...] = (
            (TitleRule, self.title),
            (SignatureAgencyRule, self.signature),
            (SignatureDateRule, self.date),
            (FormatYearRule, self.format),
        )
        return next((field for kind, field in fields if isinstance(rule, kind)), None)
