"""单位名册: the units that report to the county, and this year's decision on each.

Every change — adding, removing, an edit in the table — is one :mod:`model.register` operation
written through :meth:`DeskContext.write`, so one step of the desk's undo stack.  The 状态 column
shows the derived status (:func:`county.desk.status_of`); editing it sets the year's decision
(退回 / 已通过 / 已发布, or none: the status then follows the report).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from model.errors import OperationError

if TYPE_CHECKING:
    from county.desk import UnitRow
    from gui.desk.context import DeskContext

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    "名称",
    "类别",
    "须报送",
    "备注",
    "起始年度",
    "终止年度",
    "状态",
    "发布地址",
    "发布日期",
    "本年说明",
)
NAME, KIND, MUST, NOTE, FROM, TO, STATUS, URL, DATE, YEAR_NOTE = range(len(COLUMNS))
#: The unit's years, by column: the field of update_unit and the words of the undo step.
YEARS = {FROM: ("from_year", "起始年度"), TO: ("to_year", "终止年度")}
KINDS = ("本级", "部门", "乡镇街道", "其他")
#: The choices of the 状态 column: no decision (the report decides), then the decisions.
NO_DECISION = "（按报告）"
DECISIONS = (NO_DECISION, "退回", "已通过", "已发布")
_DATE = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(text: str) -> dt.date | None:
    """2022-01-31, 2022/1/31, 2022.1.31 or 2022年1月31日; "" is no date."""
    if not text.strip():
        return None
    match = _DATE.match(text)
    try:
        if match is None:
            raise ValueError(text)
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise OperationError(f"“{text.strip()}”不是日期，请写成2022-01-31。") from None


class RegisterModel(QAbstractTableModel):
    """The registered units of the desk's year, one row each; edits write through the context."""

    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.rows: list[UnitRow] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = [r for r in self.context.desk.rows() if r.unit is not None]
        self.endResetModel()

    def refresh(self, agencies: list[str]) -> None:
        """Only those rows changed, when the list of units is the same; else read it again."""
        fresh = [r for r in self.context.desk.rows() if r.unit is not None]
        if not agencies or [r.agency for r in fresh] != [r.agency for r in self.rows]:
            self.reload()
            return
        self.rows = fresh
        for at, row in enumerate(fresh):
            if row.agency in agencies:
                self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))

    def row_of(self, agency: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.agency == agency), -1)

    # ------------------------------------------------------------------ reading

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == MUST:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        unit, entry = row.unit, row.entry
        assert unit is not None
        if role == Qt.ItemDataRole.CheckStateRole and column == MUST:
            return Qt.CheckState.Checked if unit.must_report else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.EditRole and column == STATUS:
            return entry.decision.value if entry and entry.decision else NO_DECISION
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == STATUS:
            return "按回车或F2设定本年的审核结论：退回、已通过、已发布，或按报告情况。"
        if role == Qt.ItemDataRole.ToolTipRole and column in YEARS:
            return "单位设立或撤并的年度；在此之外的年度不要求报送。留空表示不限。"
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QBrush(QColor("gray"))  # not a reporting unit in this year
        return None

    @staticmethod
    def _text(row: UnitRow, column: int) -> str:
        unit, entry = row.unit, row.entry
        assert unit is not None
        texts = {
            NAME: unit.name,
            KIND: str(unit.kind),
            MUST: "",
            NOTE: unit.note,
            FROM: "" if unit.from_year is None else str(unit.from_year),
            TO: "" if unit.to_year is None else str(unit.to_year),
            STATUS: str(row.status),
            URL: entry.url if entry else "",
            DATE: entry.published_on.isoformat() if entry and entry.published_on else "",
            YEAR_NOTE: entry.note if entry else "",
        }
        return texts[column]

    # ------------------------------------------------------------------ editing

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == MUST:
            must = Qt.CheckState(value) == Qt.CheckState.Checked
            return self._update(row, "须报送" if must else "不须报送", must_report=must)
        if role != Qt.ItemDataRole.EditRole:
            return False
        text = str(value).strip() if value is not None else ""
        if text == self.data(index, Qt.ItemDataRole.EditRole):
            return False
        if column == NAME:
            return self._update(row, f"改名为“{text}”", name=text)
        if column == KIND:
            from model.register import UnitKind

            return self._update(row, f"类别改为{text}", kind=UnitKind(text))
        if column == NOTE:
            return self._update(row, "修改备注", note=text)
        if column in YEARS:
            field, words = YEARS[column]
            if text and not (text.isascii() and text.isdigit()):
                self.context.refused.emit(f"{words}“{text}”不是年份，请写成2021，或留空表示不限。")
                return False
            year = int(text) if text else None
            what = f"{words}改为{year}年" if year else f"{words}不限"
            return self._update(row, what, **{field: year})
        return self._set_year(row, column, text)

    def _update(self, row: UnitRow, what: str, **fields: Any) -> bool:
        from model.register import update_unit

        unit = row.unit
        assert unit is not None
        db = self.context.db
        label = f"“{unit.name}”{what}"
        return self.context.write(label, lambda: update_unit(db, unit.id, **fields)) is not None

    def _set_year(self, row: UnitRow, column: int, text: str) -> bool:
        """A change of this year's decision, address, date or note (the rest kept)."""
        from model.register import Decision, set_unit_year

        unit, entry = row.unit, row.entry
        assert unit is not None
        fields: dict[str, Any] = {
            "decision": entry.decision if entry else None,
            "url": entry.url if entry else "",
            "published_on": entry.published_on if entry else None,
            "note": entry.note if entry else "",
        }
        labels = {STATUS: "审核结论", URL: "发布地址", DATE: "发布日期", YEAR_NOTE: "本年说明"}
        if column == STATUS:
            fields["decision"] = None if text in ("", NO_DECISION) else Decision(text)
            label = f"“{unit.name}”设为{text if fields['decision'] else '按报告'}"
        else:
            if column == DATE:
                try:
                    fields["published_on"] = parse_date(text)
                except OperationError as error:
                    self.context.refused.emit(str(error))
                    return False
            else:
                fields["url" if column == URL else "note"] = text
            label = f"修改“{unit.name}”的{labels[column]}"
        db, year = self.context.db, self.context.year
        done = self.context.write(label, lambda: set_unit_year(db, unit.id, year, **fields))
        return done is not None


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box over fixed choices for one column (类别, 状态)."""

    def __init__(self, choices: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        box = QComboBox(parent)
        box.addItems(list(self.choices))
        return box

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class RegisterPage(QWidget):
    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.model = RegisterModel(context)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("单位名册")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setItemDelegateForColumn(KIND, ChoiceDelegate(KINDS, self.table))
        self.table.setItemDelegateForColumn(STATUS, ChoiceDelegate(DECISIONS, self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("新单位的名称，回车添加")
        self.name_edit.setAccessibleName("新单位名称")
        self.name_edit.textEdited.connect(self._guess_kind)
        self.name_edit.returnPressed.connect(self.add_typed)
        self.kind_box = QComboBox()
        self.kind_box.addItems(list(KINDS))
        self.kind_box.setAccessibleName("新单位类别")
        self.kind_box.activated.connect(self._kind_chosen)
        self._kind_chosen_by_hand = False
        add = QPushButton("添加(&A)")
        add.clicked.connect(self.add_typed)
        many = QPushButton("批量添加(&B)…")
        many.clicked.connect(self.add_many)
        self.remove_button = QPushButton("删除所选单位(&R)")
        self.remove_button.clicked.connect(self.remove_selected)
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.table,
            self.remove_selected,
            Qt.ShortcutContext.WidgetShortcut,
        )
        bar = QHBoxLayout()
        label = QLabel("新单位(&N)：")
        label.setBuddy(self.name_edit)
        bar.addWidget(label)
        bar.addWidget(self.name_edit, 2)
        bar.addWidget(self.kind_box)
        bar.addWidget(add)
        bar.addWidget(many)
        bar.addStretch(1)
        bar.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        hint = QLabel(
            "在表格中直接修改：回车或F2编辑，空格切换“须报送”；删除单位不会删除它的报告。"
            "每一处修改都可以撤销（Ctrl+Z）。"
        )
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        self._fit_columns()
        context.refreshed.connect(self._refreshed)

    def _fit_columns(self) -> None:
        widths = (220, 80, 60, 140, 70, 70, 80, 220, 100)
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)

    def _refreshed(self, agencies: list[str]) -> None:
        if self.table.state() == QAbstractItemView.State.EditingState:
            # Written from the cell's editor: a row that moves (a new kind sorts elsewhere)
            # must not reset the table under it before it has closed.
            QTimer.singleShot(0, lambda: self._refreshed(agencies))
            return
        current = self._current_agency()
        self.model.refresh(agencies)
        if current is not None:
            self.select(current)

    def _current_agency(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()].agency if index.isValid() else None

    def select(self, agency: str, column: int | None = None) -> None:
        at = self.model.row_of(agency)
        if at >= 0:
            current = self.table.currentIndex()
            column = column if column is not None else max(current.column(), 0)
            self.table.setCurrentIndex(self.model.index(at, column))

    # ------------------------------------------------------------------ adding, removing

    def _guess_kind(self, text: str) -> None:
        from model.register import guess_kind

        if not self._kind_chosen_by_hand and text.strip():
            self.kind_box.setCurrentText(str(guess_kind(text)))

    def _kind_chosen(self, *_: object) -> None:
        self._kind_chosen_by_hand = True

    def add_typed(self) -> None:
        """添加: the typed name, of the kind shown (guessed from the name unless chosen)."""
        from model.register import UnitKind, add_unit

        name = self.name_edit.text().strip()
        if not name:
            self.context.refused.emit("请先输入单位名称。")
            return
        kind, db = UnitKind(self.kind_box.currentText()), self.context.db
        done = self.context.write(f"添加单位“{name}”", lambda: add_unit(db, name, kind))
        if done:
            self.name_edit.clear()
            self._kind_chosen_by_hand = False
            self.select(done[0].unit.name, NAME)

    def add_many(self) -> None:
        """批量添加: one name a line (pasted from a list), kinds guessed; one undo step."""
        from model.register import add_units, guess_kind

        dialog = _ManyDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        names = dialog.names()
        if not names:
            return
        units = [(name, guess_kind(name)) for name in names]
        db = self.context.db
        self.context.write(f"批量添加{len(units)}个单位", lambda: add_units(db, units))

    def remove_selected(self) -> None:
        """删除所选单位: from the register only (their reports stay); one undo step."""
        from model.register import apply_register_inverse, remove_unit

        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        units = [self.model.rows[r].unit for r in rows]
        ids = [u.id for u in units if u is not None]
        if not ids:
            return
        db = self.context.db
        names = "、".join(u.name for u in units if u is not None)

        def remove_all() -> list[Any]:
            done: list[Any] = []
            try:
                for unit_id in ids:
                    done.append(remove_unit(db, unit_id))
            except OperationError:  # all or none: put back those already removed
                for change in reversed(done):
                    apply_register_inverse(db, change)
                raise
            return done

        self.context.write(f"删除单位{names}", remove_all)


class _ManyDialog(QDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("批量添加单位")
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText("每行一个单位名称，例如从表格中复制粘贴")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("单位名称（每行一个，类别按名称推断，添加后可在表格中修改）："))
        layout.addWidget(self.edit)
        layout.addWidget(buttons)

    def names(self) -> list[str]:
        lines = (line.strip() for line in self.edit.toPlainText().splitlines())
        return list(dict.fromkeys(line for line in lines if line))
