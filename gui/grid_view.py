"""A report table typed into like a spreadsheet.

Tab and Enter move through the cells that can be filled and skip totals and labels; Delete
clears; Ctrl+C copies a block and Ctrl+V pastes one copied from Excel or WPS, all or nothing.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from gui.grid_model import GridModel
from model.paste import PasteError, plan_paste, split_block

_Move = QAbstractItemView.CursorAction
#: Widths in multiples of the font's average Chinese character.
_VERTICAL_WIDTH, _LABEL_WIDTH, _VALUE_WIDTH = 1.8, 16, 5.2


class GridView(QTableView):
    def __init__(self, model: GridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid_model = model
        self.setModel(model)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setItemDelegate(_Delegate(model, self))
        self.setTabKeyNavigation(True)
        self._laid_out = False
        model.modelReset.connect(self._lay_out)
        self._lay_out()

    # ------------------------------------------------------------------ layout

    def _lay_out(self) -> None:
        """Spans, widths and heights for the current grid; done when the table is first shown,
        so the hidden tabs cost nothing at start-up."""
        if not self.isVisible():
            self._laid_out = False
            return
        self._laid_out = True
        self.clearSpans()
        grid = self.grid_model.grid
        for cell in grid.cells:
            if cell.rowspan > 1 or cell.colspan > 1:
                self.setSpan(cell.row, cell.col, cell.rowspan, cell.colspan)
        em = QFontMetrics(self.font()).horizontalAdvance("国")
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        for col in range(grid.columns):
            header.resizeSection(col, int(em * self._column_width(col)))
        rows = self.verticalHeader()
        rows.setMinimumSectionSize(int(em * 1.9))
        self.resizeRowsToContents()  # once: re-measuring on every edit would slow typing
        self._fit_vertical_labels()
        first = self._input_positions()
        if first and not self.currentIndex().isValid():
            self.setCurrentIndex(self.grid_model.index(*first[0]))

    def _fit_vertical_labels(self) -> None:
        """Make the rows under a vertical label tall enough for its characters."""
        line = QFontMetrics(self.font()).lineSpacing()
        for cell in self.grid_model.grid.cells:
            if not cell.vertical:
                continue
            rows = range(cell.row, cell.row + cell.rowspan)
            missing = len(cell.text) * line + 8 - sum(self.rowHeight(r) for r in rows)
            for r in rows:
                if missing > 0:
                    self.setRowHeight(r, self.rowHeight(r) + -(-missing // cell.rowspan))

    def showEvent(self, event: QShowEvent) -> None:
        if not self._laid_out:
            self._lay_out()
        super().showEvent(event)

    def _column_width(self, col: int) -> float:
        grid = self.grid_model.grid
        if col >= grid.label_columns:
            return _VALUE_WIDTH
        vertical = any(c.col == col and c.vertical for c in grid.cells)
        if vertical:
            return _VERTICAL_WIDTH
        return _LABEL_WIDTH if grid.label_columns < 3 else _LABEL_WIDTH + 6

    # ------------------------------------------------------------------ moving

    def _input_positions(self) -> list[tuple[int, int]]:
        return self.grid_model.input_positions()

    def moveCursor(self, cursorAction: _Move, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        current = self.currentIndex()
        positions = self._input_positions()
        if not positions or not current.isValid():
            return super().moveCursor(cursorAction, modifiers)
        here = (current.row(), current.column())
        target = _step(positions, here, cursorAction)
        if target is None:
            return super().moveCursor(cursorAction, modifiers)
        return self.grid_model.index(*target)

    def closeEditor(self, editor: QWidget, hint: QStyledItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint == QStyledItemDelegate.EndEditHint.SubmitModelCache:  # Enter: go down
            self.setCurrentIndex(self.moveCursor(_Move.MoveDown, Qt.KeyboardModifier.NoModifier))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste(QGuiApplication.clipboard().text())
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not self._editing():
            self.clear_selection()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self._editing():
            self.setCurrentIndex(self.moveCursor(_Move.MoveDown, event.modifiers()))
        else:
            super().keyPressEvent(event)

    def _editing(self) -> bool:
        return self.state() == QAbstractItemView.State.EditingState

    # ------------------------------------------------------------------ blocks

    def select_keys(self, keys: tuple[str, ...] | list[str]) -> None:
        indexes = [i for i in (self.grid_model.index_of(k) for k in keys) if i.isValid()]
        if not indexes:
            return
        selection = QItemSelection()
        for index in indexes:
            selection.select(index, index)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.selectionModel().select(selection, flags)
        self.selectionModel().setCurrentIndex(
            indexes[0], QItemSelectionModel.SelectionFlag.NoUpdate
        )
        self.scrollTo(indexes[0])

    def clear_selection(self) -> None:
        keys = [k for i in self.selectedIndexes() if (k := self.grid_model.input_key(i))]
        if keys:
            self.grid_model.session.set_cells(dict.fromkeys(keys), "清除单元格")

    def copy_selection(self) -> None:
        indexes = self.selectedIndexes()
        if not indexes:
            return
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}
        lines = []
        for row in rows:
            cells = []
            for col in cols:
                index = self.grid_model.index(row, col)
                cell = self.grid_model.cell_at(index)
                if (row, col) in chosen and cell is not None:
                    cells.append(str(self.grid_model.data(index) or "").replace("\n", ""))
            lines.append("\t".join(cells))
        QGuiApplication.clipboard().setText("\n".join(lines))

    def paste(self, text: str) -> bool:
        session = self.grid_model.session
        current = self.currentIndex()
        if session.report is None or not current.isValid() or not text:
            return False
        try:
            values = plan_paste(
                session.report,
                self.grid_model.grid,
                current.row(),
                current.column(),
                split_block(text),
            )
        except PasteError as error:
            self.grid_model.refused.emit(f"没有粘贴：{error}", current)
            return False
        return session.set_cells(values, "粘贴")


def _step(
    positions: list[tuple[int, int]], here: tuple[int, int], action: _Move
) -> tuple[int, int] | None:
    """The input cell a key press moves to, or None to let Qt decide."""
    row, col = here
    if action == _Move.MoveNext:
        later = [p for p in positions if p > here]
        return later[0] if later else positions[-1]
    if action == _Move.MovePrevious:
        earlier = [p for p in positions if p < here]
        return earlier[-1] if earlier else positions[0]
    if action == _Move.MoveDown:
        below = [p for p in positions if p[1] == col and p[0] > row]
        return below[0] if below else _step(positions, here, _Move.MoveNext)
    if action == _Move.MoveUp:
        above = [p for p in positions if p[1] == col and p[0] < row]
        return above[-1] if above else here
    if action == _Move.MoveRight:
        right = [p for p in positions if p[0] == row and p[1] > col]
        return right[0] if right else here
    if action == _Move.MoveLeft:
        left = [p for p in positions if p[0] == row and p[1] < col]
        return left[-1] if left else here
    return None


class _Delegate(QStyledItemDelegate):
    """Sizes the cells that span rows, and hands the typed text to the model unparsed.

    It does not override ``paint``: Qt draws every cell itself (the vertical labels come as one
    character a line), which keeps repainting in C++ and fast.
    """

    def __init__(self, model: GridModel, parent: QWidget) -> None:
        super().__init__(parent)
        self._model = model

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        # A cell spanning rows must not make its first row tall: its height comes from the
        # rows it spans.
        cell = self._model.cell_at(index)
        hint = super().sizeHint(option, index)
        if cell is not None and cell.rowspan > 1:
            hint.setHeight(0)
        return hint

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        # Only the text the clerk typed; the model parses and refuses with a message.
        model.setData(index, editor.property("text"), Qt.ItemDataRole.EditRole)
