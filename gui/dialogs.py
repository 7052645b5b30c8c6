"""Small dialogs: a new report, and questions whose text is always plain text.

Qt's static ``QMessageBox`` functions guess whether a text is rich text (HTML); an agency name
from a data file such as ``乡<b>…</b>`` would then change what a question shows.  :func:`ask` and
:func:`plain_box` show their text exactly as written.

:func:`succeeded` is the window's one place that turns an expected failure
(:class:`model.errors.UserError`, whose ``str()`` is the clerk's message) into a message box;
any other exception is a defect and goes on to the crash report (:mod:`gui.crash`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from model.errors import UserError
from model.formats import FIRST_YEAR, FORMATS, LAST_YEAR, format_for_year

T = TypeVar("T")


def literal(text: str) -> str:
    """``text`` as rich text that shows exactly ``text``: what Qt's static message boxes
    (which guess the format) must be given when the text holds a name from a data file."""
    return '<p style="white-space: pre-wrap">' + html.escape(text).replace("\n", "<br>") + "</p>"


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question showing ``text`` literally; True for 是."""
    answer = QMessageBox.question(parent, title, literal(text))
    return answer == QMessageBox.StandardButton.Yes


def plain_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    """A message box that shows ``text`` literally (never as HTML)."""
    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    return box


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """A failure the clerk must acknowledge, shown literally."""
    plain_box(parent, QMessageBox.Icon.Critical, title, message).exec()


def succeeded(parent: QWidget | None, title: str, action: Callable[[], object]) -> bool:
    """Whether ``action()`` ran through; if it raised a :class:`UserError`, its message was
    shown in a box titled ``title``."""
    try:
        action()
    except UserError as error:
        show_error(parent, title, str(error))
        return False
    return True


def attempt(parent: QWidget | None, title: str, action: Callable[[], T]) -> T | None:
    """``action()``'s result, or None after :func:`succeeded` showed why there is none (for
    actions whose result is never None)."""
    results: list[T] = []
    return results[0] if succeeded(parent, title, lambda: results.append(action())) else None


@dataclass(frozen=True)
class NewReport:
    agency: str
    year: int
    format_id: str | None  # None: the format of the year
    from_last_year: bool


def default_year(today: dt.date | None = None) -> int:
    """The year a clerk is most likely writing about: the year just ended until the end of
    June (reports are due by 31 January and corrected through the spring), the current year
    from July on (offices start drafting in the second half of the year they cover)."""
    today = today or dt.date.today()
    return today.year if today.month > 6 else today.year - 1


class NewReportDialog(QDialog):
    def __init__(
        self,
        agency: str,
        has_report: Callable[[str, int], int | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建报告")
        self._has_report = has_report
        self.agency = QLineEdit(agency)
        self.agency.setPlaceholderText("如：古城回族乡人民政府")
        # Room for a long unit name (某某自治县某某镇人民政府办公室) at any scaling.
        self.agency.setMinimumWidth(self.agency.fontMetrics().horizontalAdvance("某" * 18))
        self.year = QSpinBox()
        self.year.setRange(FIRST_YEAR, LAST_YEAR)
        self.year.setValue(default_year())
        self.year.setSuffix("年")
        self.format = QComboBox()
        self.format.addItem("", None)
        for format_id, fmt in FORMATS.items():
            self.format.addItem(f"{format_id}格式（{fmt.document}）", format_id)
        self.from_last = QCheckBox("以上一年度的报告为基础（带入文字、结转数等）")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("单位名称：", self.agency)
        form.addRow("报告年度：", self.year)
        form.addRow("报告格式：", self.format)
        form.addRow("", self.from_last)
        form.addRow(buttons)
        self.year.valueChanged.connect(self._update)
        self.agency.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        year = self.year.value()
        self.format.setItemText(0, f"按年度自动（{format_for_year(year).id}格式）")
        has_last = bool(self._has_report(self.agency.text().strip(), year - 1))
        self.from_last.setEnabled(has_last)
        self.from_last.setChecked(has_last)

    def result_value(self) -> NewReport:
        return NewReport(
            self.agency.text().strip(),
            self.year.value(),
            self.format.currentData(),
            self.from_last.isEnabled() and self.from_last.isChecked(),
        )
