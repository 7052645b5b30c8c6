"""收集报告: a folder or files → what each becomes (:func:`county.collect.plan`) → the clerk
ticks what to collect → :func:`county.collect.collect`, ONE step of the desk's undo stack
(undone by :func:`county.collect.undo_collect`).

A new report is ticked; a replacing one is not until the clerk has looked at its differences
(listed under it) and ticks it; a unit not in the register is registered with the kind chosen
(ticked by default); a published page with unread cells (需确认) is reviewed with the import
dialog first (逐个确认…), after which it is collected like the others.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.dialogs import show_error
from model.errors import UserError

if TYPE_CHECKING:
    from county.collect import Collected, Incoming
    from gui.desk.context import DeskContext
    from model.register import UnitKind

log = logging.getLogger(__name__)

TITLE = "收集报告"
COLUMNS = ("文件", "单位", "年度", "处理", "说明", "登记", "类别")
FILE, UNIT, YEAR, ACTION, PROBLEM, REGISTER, KIND = range(len(COLUMNS))
KINDS = ("本级", "部门", "乡镇街道", "其他")
FILE_FILTER = "年报文件 (*.json *.html *.htm *.mhtml *.mht *.docx *.pdf *.txt);;所有文件 (*)"
_GREY, _RED = QBrush(QColor("#777777")), QBrush(QColor("#b00020"))


class CollectDialog(QDialog):
    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.context = context
        self.items: list[Incoming] = []
        self.rows: list[QTreeWidgetItem] = []
        self.kind_boxes: dict[int, QComboBox] = {}
        self.collected: Collected | None = None
        self.folder_button = QPushButton("选择文件夹(&D)…")
        self.folder_button.clicked.connect(self.choose_folder)
        self.files_button = QPushButton("选择文件(&F)…")
        self.files_button.clicked.connect(self.choose_files)
        self.source = QLabel("选择单位报送的文件夹（U盘、邮件附件解压后的文件夹）或文件。")
        self.source.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setAccessibleName("收到的文件")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(False)
        self.tree.itemChanged.connect(lambda *_: self._show_summary())
        self.tree.itemDoubleClicked.connect(lambda item, _: self._double_clicked(item))
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((230, 200, 60, 70, 300, 50, 100)):
            self.tree.setColumnWidth(column, width)
        self.confirm_button = QPushButton("逐个确认所选(&C)…")
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.summary = QLabel()
        self.collect_button = QPushButton("收集(&S)")
        self.collect_button.clicked.connect(self.collect)
        self.collect_button.setEnabled(False)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.folder_button)
        top.addWidget(self.files_button)
        top.addWidget(self.source, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.confirm_button)
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.collect_button)
        bottom.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        hint = QLabel(
            "“替换”的文件与已保存的报告不同，请展开查看差异后再勾选；"
            "“需确认”的网页有未能确定的数字，请先逐个确认。收集后可以撤销（Ctrl+Z）。"
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        layout.addLayout(bottom)
        for button in (self.folder_button, self.files_button, self.confirm_button, cancel):
            button.setAutoDefault(False)
        self.resize(1100, 640)

    # ------------------------------------------------------------------ choosing

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择存放报告的文件夹")
        if folder:
            self.plan_paths([Path(folder)])

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "选择报告文件", "", FILE_FILTER)
        if paths:
            self.plan_paths([Path(p) for p in paths])

    def plan_paths(self, paths: Sequence[Path]) -> None:
        """Read every file (nothing is written) and show what collecting would do."""
        from county.collect import plan

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            items = plan(self.context.db, paths)
        except UserError as error:
            QApplication.restoreOverrideCursor()
            show_error(self, TITLE, str(error))
            return
        QApplication.restoreOverrideCursor()
        where = "、".join(str(p) for p in paths[:3]) + ("等" if len(paths) > 3 else "")
        self.source.setText(f"{where}：{len(items)}个文件")
        self.show_items(items)

    # ------------------------------------------------------------------ the table

    def show_items(self, items: Sequence[Incoming]) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        self.items, self.rows, self.kind_boxes = list(items), [], {}
        for at, item in enumerate(self.items):
            row = self._row(item)
            self.tree.addTopLevelItem(row)
            for at_child in range(row.childCount()):  # a difference: place and values, whole
                child = row.child(at_child)  # (spanned only once it is in the tree)
                if child is not None:
                    child.setFirstColumnSpanned(True)
            self.rows.append(row)
            self._add_kind_box(at, item, row)
            row.setExpanded(_is(item, "REPLACE"))
        self.tree.blockSignals(False)
        self._show_summary()
        if self.rows:
            self.tree.setCurrentItem(self.rows[0])
            self.tree.setFocus()

    def _row(self, item: Incoming) -> QTreeWidgetItem:
        year = str(item.year) if item.year else ""
        problem = item.problem
        if _is(item, "REPLACE") and not problem:
            problem = f"与已保存的报告有{len(item.differences)}处不同（展开查看）"
        row = QTreeWidgetItem([item.path.name, item.agency, year, str(item.action), problem])
        row.setToolTip(FILE, str(item.path))
        row.setToolTip(PROBLEM, problem)
        flags = row.flags() & ~Qt.ItemFlag.ItemIsUserCheckable
        if item.action in _WRITTEN:
            row.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable)
            checked = _is(item, "NEW")  # a replace waits for the clerk
            row.setCheckState(FILE, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        else:
            row.setFlags(flags)
            brush = _RED if item.action in _FAILED else _GREY
            for column in range(len(COLUMNS)):
                row.setForeground(column, brush)
        for difference in item.differences:
            text = f"{difference.place}：{difference.old} → {difference.new}"
            child = QTreeWidgetItem([text])
            child.setToolTip(
                FILE, f"{difference.place}\n原：{difference.old}\n新：{difference.new}"
            )
            child.setFlags(Qt.ItemFlag.ItemIsEnabled)
            row.addChild(child)
        return row

    def _add_kind_box(self, at: int, item: Incoming, row: QTreeWidgetItem) -> None:
        """A unit not in the register: ticked to register it, of the kind chosen."""
        if item.report is None or item.unit is not None or item.action not in _WRITTEN:
            return  # a 需确认 file's unit is offered once it is confirmed
        row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        row.setCheckState(REGISTER, Qt.CheckState.Checked)
        box = QComboBox()
        box.addItems(list(KINDS))
        if item.suggested_kind is not None:
            box.setCurrentText(str(item.suggested_kind))
        box.setAccessibleName(f"“{item.agency}”的类别")
        self.tree.setItemWidget(row, KIND, box)
        self.kind_boxes[at] = box

    def checked(self) -> list[Incoming]:
        """The items the clerk ticked to collect."""
        return [
            item
            for item, row in zip(self.items, self.rows, strict=True)
            if item.action in _WRITTEN and row.checkState(FILE) == Qt.CheckState.Checked
        ]

    def new_units(self) -> dict[str, UnitKind]:
        """The units to register: of the items collected, those not in the register, ticked."""
        from model.register import UnitKind

        chosen = {id(item) for item in self.checked()}
        units: dict[str, UnitKind] = {}
        for at, box in self.kind_boxes.items():
            item, row = self.items[at], self.rows[at]
            if id(item) in chosen and row.checkState(REGISTER) == Qt.CheckState.Checked:
                units.setdefault(item.agency, UnitKind(box.currentText()))
        return units

    def _show_summary(self) -> None:
        items = self.checked()
        new = sum(_is(i, "NEW") for i in items)
        units = len(self.new_units())
        register = f"，登记{units}个新单位" if units else ""
        waiting = sum(_is(i, "CONFIRM") for i in self.items)
        confirm = f"；{waiting}个文件需逐个确认" if waiting else ""
        self.summary.setText(
            f"将收取{len(items)}份报告（新报告{new}份，替换{len(items) - new}份）{register}{confirm}"
        )
        self.collect_button.setEnabled(bool(items))
        self.confirm_button.setEnabled(waiting > 0)

    # ------------------------------------------------------------------ confirming

    def _double_clicked(self, row: QTreeWidgetItem) -> None:
        if row in self.rows and _is(self.items[self.rows.index(row)], "CONFIRM"):
            self.confirm_row(self.rows.index(row))

    def confirm_selected(self) -> None:
        """逐个确认…: the selected 需确认 file (else the first) in the import review."""
        current = self.tree.currentItem()
        at = self.rows.index(current) if current in self.rows else -1
        if at < 0 or not _is(self.items[at], "CONFIRM"):
            at = next((i for i, item in enumerate(self.items) if _is(item, "CONFIRM")), -1)
        if at < 0:
            show_error(self, TITLE, "没有需要逐个确认的文件。")
            return
        self.confirm_row(at)

    def confirm_row(self, at: int) -> None:
        """The import review of one file; what the clerk confirms is then listed like any file
        read: a new report ticked, a replacing one waiting for the clerk, and a unit and year
        another listed file already gives a duplicate."""
        from county import collect
        from gui.import_dialog import ImportDialog
        from published import pipeline

        item = self.items[at]
        dialog = ImportDialog(lambda _: False, self, f"逐个确认：{item.path.name}")
        if not dialog.load(lambda: pipeline.read_published(item.path)):
            return
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        confirmed = dataclasses.replace(
            item, report=dialog.result_report(), action=collect.Action.NEW, problem="已逐个确认"
        )
        matched = collect.rematch(self.context.db, confirmed)
        twin = next(
            (
                other
                for i, other in enumerate(self.items)
                if i != at
                and other.action in _WRITTEN
                and (other.agency, other.year) == (matched.agency, matched.year)
            ),
            None,
        )
        if twin is not None:  # one report per unit and year: the file already listed wins
            matched = dataclasses.replace(
                matched,
                action=collect.Action.DUPLICATE,
                problem=f"与“{twin.path.name}”是同一单位同一年度的报告，收取那一份",
            )
        self.items[at] = matched
        items = list(self.items)
        checks = [r.checkState(FILE) for r in self.rows]
        self.show_items(items)
        for row, state in zip(self.rows, checks, strict=True):
            if row.flags() & Qt.ItemFlag.ItemIsUserCheckable and row is not self.rows[at]:
                row.setCheckState(FILE, state)
        if _is(matched, "NEW"):  # a replace waits for the clerk, as when first listed
            self.rows[at].setCheckState(FILE, Qt.CheckState.Checked)

    # ------------------------------------------------------------------ collecting

    def collect(self) -> None:
        """收集: the ticked files, and the ticked new units, in one step; undoable."""
        items, units = self.checked(), self.new_units()
        if not items:
            return
        step = CollectStep(self.context, items, units)
        if not step.run():
            return
        self.collected = step.collected
        self.context.push(step)
        self.accept()


class CollectStep(QUndoCommand):
    """A collect already done when pushed: undo takes it all back, redo collects again."""

    def __init__(
        self, context: DeskContext, items: Sequence[Incoming], units: Mapping[str, UnitKind]
    ) -> None:
        count = sum(1 for _ in items)
        super().__init__(f"收集{count}份报告")
        self.context, self.items, self.units = context, list(items), dict(units)
        self.collected: Collected | None = None
        self._first = True

    def run(self) -> bool:
        from county.collect import collect

        try:
            self.collected = collect(self.context.db, self.items, self.units)
        except UserError as error:  # StaleWriteError among them: nothing was written
            show_error(None, TITLE, str(error))
            return False
        self._written()
        return True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        if not self.run():
            self.setObsolete(True)

    def undo(self) -> None:
        from county.collect import undo_collect

        assert self.collected is not None
        try:
            undo_collect(self.context.db, self.collected)
        except UserError as error:
            self.context.refused.emit(f"不能撤销收集：{error}")
            self.setObsolete(True)
            return
        self._written()

    def _written(self) -> None:
        """Tell the main window (its report list, the report it shows) and the desk."""
        session = self.context.session
        session.reportsChanged.emit()
        shown = session.report
        collected = self.collected
        if shown is not None and collected is not None and shown.agency in collected.agencies:
            session.open(session.existing_id(shown))
        self.context.reload()


def _is(item: Incoming, action: str) -> bool:
    return item.action.name == action


_WRITTEN = ("新报告", "替换")
_FAILED = ("无法读取", "不是年报")
