"""A tab with one of the report's texts: 一、总体情况, 五、问题及改进, 六、其他事项 (one per text
part of the format)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from gui.session import ReportSession
from gui.tabs.page import Page
from model.checks import count_characters
from model.drafts import DRAFTS

if TYPE_CHECKING:
    from model.formats import Part, ReportFormat


class TextEditor(QPlainTextEdit):
    """Plain text, saved on every keystroke; Ctrl+Z/Y go to the window's undo stack, which
    also holds the table edits, so one undo history covers the whole report."""

    def __init__(self, session: ReportSession, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.key = session, key
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)
        self.textChanged.connect(self._save)
        session.reportOpened.connect(self.reload)
        session.textChanged.connect(self._changed_elsewhere)
        self.reload()

    def reload(self) -> None:
        report = self.session.report
        text = report.text(self.key) if report else ""
        if text != self.toPlainText():
            self.blockSignals(True)
            self.setPlainText(text)
            self.blockSignals(False)
        self.setReadOnly(report is None)

    def _changed_elsewhere(self, key: str) -> None:
        if key == self.key:
            self.reload()

    def _save(self) -> None:
        if self.session.report is None or self.session.set_text(self.key, self.toPlainText()):
            return
        # Refused (too long, a read-only database): show what is stored, not what was typed,
        # with the cursor about where it was; the refusal is in the status bar.
        position = self.textCursor().position()
        self.reload()
        cursor = self.textCursor()
        cursor.setPosition(min(position, self.document().characterCount() - 1))
        self.setTextCursor(cursor)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.session.undo_stack.undo()
        elif event.matches(QKeySequence.StandardKey.Redo) or (
            event.key() == Qt.Key.Key_Y and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        ):
            self.session.undo_stack.redo()
        else:
            super().keyPressEvent(event)

    def insert_draft(self, text: str) -> None:
        cursor = self.textCursor()
        if self.toPlainText() and not cursor.atBlockStart():
            text = "\n" + text
        cursor.insertText(text)


class TextTab(Page):
    """A part whose content is one text; ``key`` is the text's key."""

    def __init__(self, session: ReportSession, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.key = session, key
        self.heading = QLabel()
        self.heading.setObjectName("partHeading")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.editor = TextEditor(session, key)
        self.counter = QLabel()
        bottom = QHBoxLayout()
        bottom.addWidget(self.counter, 1)
        self.draft_button: QPushButton | None = None
        if key in DRAFTS:
            self.draft_button = QPushButton("根据表格生成段落")
            self.draft_button.setToolTip("在光标处插入一段根据第三、四部分表格写成的文字，供修改")
            self.draft_button.clicked.connect(self._insert_draft)
            bottom.addWidget(self.draft_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.editor, 1)
        layout.addLayout(bottom)
        self._count_timer = QTimer(self, singleShot=True, interval=0)
        self._count_timer.timeout.connect(self._count)
        self.editor.textChanged.connect(self._count_timer.start)
        session.reportOpened.connect(self._rebuild)
        session.textChanged.connect(self._text_changed)  # a method: gone with the page
        self._rebuild()

    def _rebuild(self) -> None:
        fmt = self.session.format
        if fmt is None or not _has_text(fmt, self.key):  # none, or a page about to go
            self.heading.setText("")
            return
        part = fmt.part_of_text(self.key)
        field = fmt.text(self.key)
        self.heading.setText(part.heading if part else field.label)
        self.hint.setText(field.hint)
        self.hint.setVisible(bool(field.hint))
        self._count()

    def _text_changed(self, key: str) -> None:
        self._count()

    def _count(self) -> None:
        fmt = self.session.format
        count = count_characters(self.editor.toPlainText())
        limit = fmt.text(self.key).soft_limit if fmt and _has_text(fmt, self.key) else None
        if limit:
            over = count > limit
            self.counter.setText(f"共{count}字（原则上不超过{limit}字）")
            self.counter.setStyleSheet("color: #b00020;" if over else "")
        else:
            self.counter.setText(f"共{count}字")

    def _insert_draft(self) -> None:
        if self.session.report is not None:
            self.editor.insert_draft(DRAFTS[self.key](self.session.report))
            self.editor.setFocus()

    def shows(self, part: Part) -> bool:
        return part.text == self.key

    def focus_first(self) -> None:
        self.editor.setFocus()


def _has_text(fmt: ReportFormat, key: str) -> bool:
    return any(field.key == key for field in fmt.texts)
