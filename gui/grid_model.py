"""One item model for every report table, built from the printed grid of the format.

The official tables have headers that span rows and columns, so the header is part of the
grid (the view hides Qt's own headers and applies the spans).  A value cell reads from the
session; editing one goes to the session, which writes it through a model operation.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from gui.session import ReportSession
from model.checks import Finding
from model.formats import CellKind
from model.formats.layout import Grid, GridCell, Role, part_grid
from model.values import InvalidValue, describe, parse, to_text

#: The cell key of a value cell, e.g. "requests.new.natural" (a string: Python objects are
#: never passed through Qt's item data, whose conversions have mishandled their references).
KEY_ROLE = Qt.ItemDataRole.UserRole + 1

_EMPTY = Grid(0, 0, 0, 0, ())
_BACKGROUNDS = {
    "unsaved": QColor("#ffb74d"),  # typed but not yet in the database (disk refused it)
    "error": QColor("#f7c6c6"),
    "warning": QColor("#fde9b4"),
    "derived": QColor("#e3ebf5"),
    "header": QColor("#eeeeee"),
    "label": QColor("#f8f8f8"),
}
_ALIGN_CENTER = Qt.AlignmentFlag.AlignCenter
_ALIGN_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ALIGN_LABEL = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_Index = QModelIndex | QPersistentModelIndex


class GridModel(QAbstractTableModel):
    refused = Signal(str, QModelIndex)  # why an edit was not taken, and where

    def __init__(self, session: ReportSession, part_key: str) -> None:
        super().__init__(session)
        self.session, self.part_key = session, part_key
        self.grid = _EMPTY
        self._anchors: dict[tuple[int, int], GridCell] = {}
        self._positions: dict[str, tuple[int, int]] = {}
        self._states: dict[str, tuple[object, ...]] = {}
        self._format_id: str | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        session.reportOpened.connect(self.rebuild)
        session.cellsChanged.connect(self.refresh)
        self.rebuild()

    # ------------------------------------------------------------------ structure

    def rebuild(self) -> None:
        fmt = self.session.format
        self._format_id = fmt.id if fmt else None
        has_part = fmt is not None and any(p.key == self.part_key for p in fmt.parts)
        grid = part_grid(fmt, self.part_key) if fmt and has_part else _EMPTY  # else: going
        if grid == self.grid:  # part 四 is the same in both formats
            self.refresh()
            return
        self.beginResetModel()
        self.grid = grid
        self._anchors = {(c.row, c.col): c for c in grid.cells}
        self._positions = {c.key: (c.row, c.col) for c in grid.cells if c.key}
        self._states = self._cell_states()
        self.endResetModel()

    def refresh(self) -> None:
        """Tell the view which cells look different now: only those are repainted, so an edit
        costs a few cells' painting, not the whole table's."""
        fmt = self.session.format
        if (fmt.id if fmt else None) != self._format_id:
            self.rebuild()  # another report, of the other format: a new grid, not a repaint
            return
        states = self._cell_states()
        changed = [key for key, state in states.items() if self._states.get(key) != state]
        self._states = states
        for key in changed:
            index = self.index_of(key)
            self.dataChanged.emit(index, index)

    def _cell_states(self) -> dict[str, tuple[object, ...]]:
        """What each value cell shows: its text, its colour and its tooltip's findings."""
        flagged: dict[str, list[str]] = {}
        for finding in self.session.findings:
            for key in finding.cells:
                flagged.setdefault(key, []).append(finding.message)
        pending = getattr(self.session, "pending_cells", {})
        report = self.session.report
        if report is None:
            return {key: ("", key in pending, *flagged.get(key, ())) for key in self._positions}
        # What session.shown_value gives, read straight from its dictionaries: this runs for
        # every cell of every table on every edit.
        totals, typed, cells = self.session.values.get, report.cells.get, report.format.cells
        return {
            key: (
                to_text(totals(key, 0) if cells[key].derived else typed(key)),
                key in pending,
                *flagged.get(key, ()),
            )
            for key in self._positions
        }

    def cell_at(self, index: _Index) -> GridCell | None:
        return self._anchors.get((index.row(), index.column())) if index.isValid() else None

    def index_of(self, key: str) -> QModelIndex:
        row, col = self._positions.get(key, (-1, -1))
        return self.index(row, col) if row >= 0 else QModelIndex()

    def input_key(self, index: _Index) -> str | None:
        """The key of the input cell at ``index``; None for a label, a total or nothing."""
        cell = self.cell_at(index)
        return cell.key if cell and cell.key and self._input_key(cell.key) else None

    def is_input(self, index: _Index) -> bool:
        return self.input_key(index) is not None

    def input_positions(self) -> list[tuple[int, int]]:
        """Every input cell, in reading order: the order Tab moves through."""
        return sorted(p for p, c in self._anchors.items() if c.key and self._input_key(c.key))

    def _input_key(self, key: str) -> bool:
        return not self.session.cell(key).derived

    # ------------------------------------------------------------------ Qt's interface

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.grid.rows

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.grid.columns

    def flags(self, index: _Index) -> Qt.ItemFlag:
        cell = self.cell_at(index)
        if cell is None:
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_input(index):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell_at(index)
        if cell is None:
            return None
        if role == KEY_ROLE:
            return cell.key
        if cell.key:
            return self._value_data(cell, cell.key, role)
        return self._label_data(cell, role)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        key = self.input_key(index)
        if role != Qt.ItemDataRole.EditRole or key is None:
            return False
        try:
            parsed = parse(self.session.cell(key).kind, str(value))
        except InvalidValue as error:
            self.refused.emit(
                f"{self.place(key)}：{error}", self.index(index.row(), index.column())
            )
            return False
        return self.session.set_cell(key, parsed)

    def place(self, key: str) -> str:
        cell, fmt = self.session.cell(key), self.session.format
        assert fmt is not None  # a cell exists only while a report is open
        return fmt.part_of_table(cell.table.key).ordinal + cell.place

    # ------------------------------------------------------------------ roles

    def _value_data(self, cell: GridCell, key: str, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = self.session.shown_value(key)
            return to_text(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN_NUMBER
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._value_background(key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(cell, key)
        return None

    def _value_background(self, key: str) -> QBrush | None:
        if key in self.session.pending_cells:
            return QBrush(_BACKGROUNDS["unsaved"])
        findings = self.session.findings_for(key)
        if any(f.is_error for f in findings):
            return QBrush(_BACKGROUNDS["error"])
        if findings:
            return QBrush(_BACKGROUNDS["warning"])
        if self.session.cell(key).derived:
            return QBrush(_BACKGROUNDS["derived"])
        return None

    def _tooltip(self, cell: GridCell, key: str) -> str:
        definition = self.session.cell(key)
        lines = [self.place(key)]
        if key in self.session.pending_cells:
            lines.append("尚未保存：磁盘暂时无法写入，程序正在自动重试")
        if definition.derived:
            lines.append("自动合计，不能填写")
        else:
            lines.append(f"填写{describe(definition.kind)}")
            if definition.kind is CellKind.MONEY and self.session.report is not None:
                lines.append(f"单位：{self.session.report.unit(key)}")
        if cell.help:
            lines.append(cell.help)
        lines.extend(_finding_line(f) for f in self.session.findings_for(key))
        return "\n".join(lines)

    def _label_data(self, cell: GridCell, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(cell.text) if cell.vertical else cell.text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN_LABEL if cell.role is Role.LABEL else _ALIGN_CENTER
        if role == Qt.ItemDataRole.BackgroundRole:
            kind = "label" if cell.role is Role.LABEL else "header"
            return QBrush(_BACKGROUNDS[kind])
        if role == Qt.ItemDataRole.FontRole and cell.role is Role.CAPTION:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(t for t in (cell.text, cell.help) if t)
        return None


def _finding_line(finding: Finding) -> str:
    return f"【{finding.severity.label}】{finding.message}"
