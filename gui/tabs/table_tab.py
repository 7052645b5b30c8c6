"""A tab holding a part's table(s): 二、主动公开, 三、依申请公开, 四、复议诉讼 (one per table part
of the format).

The grid (its model and view) is built when the tab is first shown, or first asked for it: at
start-up only the tab in front is built before the report is ready for typing, and a grid
nobody has looked at is not refreshed on every edit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolTip, QVBoxLayout, QWidget

from gui.tabs.page import Page

if TYPE_CHECKING:
    from gui.grid_model import GridModel
    from gui.grid_view import GridView
    from gui.session import ReportSession
    from model.formats import Part, ReportFormat


class TableTab(Page):
    """A part whose content is tables, drawn as one grid."""

    def __init__(
        self, session: ReportSession, part_key: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session, self.part_key = session, part_key
        self.heading = QLabel()
        self.heading.setObjectName("partHeading")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("partNote")
        self._grid: tuple[GridModel, GridView] | None = None  # built when first wanted
        self.units = QHBoxLayout()
        self._layout = layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addLayout(self.units)
        session.reportOpened.connect(self._rebuild)
        session.detailsChanged.connect(self._show_units)
        session.cellsChanged.connect(self._show_units)  # also when kept edits are saved
        self._unit_boxes: dict[str, QComboBox] = {}
        self._rebuild()

    @property
    def model(self) -> GridModel:
        return self._built()[0]

    @property
    def view(self) -> GridView:
        return self._built()[1]

    def _built(self) -> tuple[GridModel, GridView]:
        if self._grid is None:
            from gui.grid_model import GridModel
            from gui.grid_view import GridView

            model = GridModel(self.session, self.part_key)
            model.setParent(self)  # goes with the page when a format without the part opens
            model.refused.connect(self._refused)
            view = GridView(model)
            self._layout.addWidget(view, 1)
            view.show()  # added to a page that may be showing already: Qt would leave it hidden
            self._grid = model, view
        return self._grid

    def showEvent(self, event: QShowEvent) -> None:
        self._built()
        super().showEvent(event)

    def _rebuild(self) -> None:
        fmt = self.session.format
        if fmt is None or (part := _part(fmt, self.part_key)) is None:  # a page about to go
            return
        self.heading.setText(part.heading)
        notes = [fmt.table(t).help for t in part.tables if fmt.table(t).help]
        self.note.setText("".join(notes) + _KEYS_HINT)
        self._build_unit_choices(fmt, part)

    def _build_unit_choices(self, fmt: ReportFormat, part: Part) -> None:
        while (item := self.units.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self._unit_boxes.clear()
        for table_key in part.tables:
            for key, cell in fmt.cells.items():
                if cell.table.key == table_key and cell.column.unit_choices:
                    box = QComboBox()
                    box.addItems(list(cell.column.unit_choices))
                    box.currentTextChanged.connect(lambda unit, k=key: self._set_unit(k, unit))
                    self.units.addWidget(QLabel(f"“{cell.column.label}”的单位："))
                    self.units.addWidget(box)
                    self._unit_boxes[key] = box
        self.units.addStretch(1)
        self._show_units()

    def _show_units(self) -> None:
        from gui.tabs.basic_tab import UNSAVED_STYLE, UNSAVED_TIP

        report = self.session.report
        for key, box in self._unit_boxes.items():
            if report is None or key not in report.format.cells:  # another format: rebuilt next
                continue
            if box.currentText() != report.unit(key):
                box.blockSignals(True)
                box.setCurrentText(report.unit(key) or "")
                box.blockSignals(False)
            unsaved = key in self.session.pending_units  # the disk refused it: in orange
            box.setStyleSheet(UNSAVED_STYLE if unsaved else "")
            box.setToolTip(UNSAVED_TIP if unsaved else "")

    def _set_unit(self, key: str, unit: str) -> None:
        report = self.session.report
        if report is not None and report.unit(key) != unit:
            self.session.set_unit(key, unit)

    def _refused(self, message: str, index: QModelIndex) -> None:
        """Said in the status bar, and next to the cell that refused it."""
        self.refused.emit(message)
        if index.isValid() and self.view.isVisible():
            rect = self.view.visualRect(index)
            QToolTip.showText(
                self.view.viewport().mapToGlobal(rect.bottomLeft()), message, self.view
            )

    def shows(self, part: Part) -> bool:
        return part.key == self.part_key and bool(part.tables)

    def select_keys(self, keys: tuple[str, ...]) -> None:
        self.view.select_keys(keys)
        self.view.setFocus()

    def focus_first(self) -> None:
        self.view.setFocus()


def _part(fmt: ReportFormat, key: str) -> Part | None:
    return next((part for part in fmt.parts if part.key == key), None)


_KEYS_HINT = "　Tab/回车：下一格　Delete：清除　Ctrl+V：粘贴从Excel/WPS复制的数据"
