"""The desk's 汇总 page: the county's own report, its tables the sums of the units' reports.

Choose or create the 汇总 of the year, tick the units it sums, read its tables (read-only:
every figure is a sum), see each unit's figure behind a cell, the 汇总's own findings naming
the units that break them, its carry-over against last year's 汇总, whom it covers; write its
texts; export it with the appendix naming the units covered and missing.

Every figure comes from :mod:`model.aggregate` through the desk (``context.desk.sums``); every
write is a :mod:`model.register` operation through ``context.write`` (one undo step each).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from county.desk import last_year
from gui.desk.sums_grid import (
    ContributionsModel,
    LastProxy,
    ShownReport,
    SumsGridModel,
    sums_view,
)
from gui.grid_model import KEY_ROLE
from gui.grid_view import GridView
from model import register
from model.aggregate import (
    MixedFormatsError,
    breakers,
    carry_over,
    draft_paragraph,
    region_of,
)
from model.checks import check
from model.formats import format_for_year
from model.report import default_title
from model.values import InvalidValue, date_text, parse_date, to_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from county.desk import LastYear, UnitRow
    from export.renderers import Renderer
    from gui.desk.context import DeskContext
    from model.aggregate import CarryOver, Coverage, Sums
    from model.checks import Finding
    from model.formats import ReportFormat
    from model.report import Report

_Index = QModelIndex | QPersistentModelIndex
_GREY = QBrush(QColor("#888888"))
NO_AGGREGATE = "还没有这个名称的汇总：点“新建汇总”建立后，才能选择单位、填写文字。"


class UnitsModel(QAbstractTableModel):
    """计入汇总 | 单位 | 状态: the year's units; a unit with a report can be ticked."""

    HEADERS = ("计入汇总", "单位", "状态")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[UnitRow] = []
        self.excluded: frozenset[str] = frozenset()
        self.enabled = False
        self.toggled: Any = None  # callable(agency, included), set by the page

    def set_rows(self, rows: Sequence[UnitRow], excluded: frozenset[str], enabled: bool) -> None:
        self.beginResetModel()
        self.rows, self.excluded, self.enabled = list(rows), excluded, enabled
        self.endResetModel()

    def included(self) -> list[str]:
        return [r.agency for r in self.rows if r.report_id is not None and self.is_in(r)]

    def is_in(self, row: UnitRow) -> bool:
        return row.report_id is not None and row.agency not in self.excluded

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row = self.rows[index.row()]
        if index.column() == 0 and self.enabled and row.report_id is not None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 0 and row.report_id is not None:
            return Qt.CheckState.Checked if self.is_in(row) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 1:
                return row.agency
            if column == 2:
                return str(row.status)
        if role == Qt.ItemDataRole.ForegroundRole and row.report_id is None:
            return _GREY
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.report_id is None:
                return f"{row.agency}本年度没有报告，不能汇总"
            return f"{row.agency}：{'计入' if self.is_in(row) else '不计入'}汇总"
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0 or not self.enabled:
            return False
        row = self.rows[index.row()]
        wanted = Qt.CheckState(value) == Qt.CheckState.Checked
        if row.report_id is None or wanted == self.is_in(row) or self.toggled is None:
            return False
        self.toggled(row.agency, wanted)
        return True


class TextEditor(QPlainTextEdit):
    """One of the 汇总's texts, saved on every keystroke; Ctrl+Z/Y go to the desk's undo stack."""

    def __init__(self, page: AggregatePage, key: str) -> None:
        super().__init__()
        self.page, self.key = page, key
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)
        self.textChanged.connect(lambda: page.save_text(self.key, self.toPlainText()))

    def show_text(self, text: str) -> None:
        if text != self.toPlainText():
            self.blockSignals(True)
            self.setPlainText(text)
            self.blockSignals(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        stack = self.page.context.undo_stack
        if event.matches(QKeySequence.StandardKey.Undo):
            stack.undo()
        elif event.matches(QKeySequence.StandardKey.Redo) or (
            event.key() == Qt.Key.Key_Y and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        ):
            stack.redo()
        else:
            super().keyPressEvent(event)


class AggregatePage(QWidget):
    """汇总: see the module docstring."""

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.record: register.AggregateRecord | None = None
        self.sums: Sums | None = None
        self.coverage: Coverage | None = None
        self.findings: list[Finding] = []
        self._summed: list[Report] = []  # the reports summed
        self._breakers: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
        self.message = ""  # why nothing is summed (formats mixed)
        #: Last year's 汇总 (or reports), by (this year, the 汇总's name).
        self._last: tuple[tuple[int, str], LastYear] | None = None
        self._writing = False
        self._format: ReportFormat | None = None
        self.shown = ShownReport(self)
        self.grids: dict[str, GridView] = {}
        self.editors: dict[str, TextEditor] = {}
        self._build()
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.reload)
        self._stale = True  # summed when first shown: the desk opens without summing
        context.refreshed.connect(self._refreshed)
        context.written.connect(self._written)
        context.yearChanged.connect(self._year_changed)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.name_box = QComboBox()
        self.name_box.setEditable(True)
        self.name_box.setMinimumContentsLength(16)
        self.name_box.setToolTip("汇总是哪一级政府的年报，例如“某某县人民政府”")
        self.name_box.currentTextChanged.connect(self._name_chosen)
        self.create_button = QPushButton("新建汇总")
        self.create_button.clicked.connect(self.create_aggregate)
        top = QHBoxLayout()
        top.addWidget(QLabel("汇总名称："))
        top.addWidget(self.name_box)
        top.addWidget(self.create_button)
        top.addStretch(1)
        self.export_buttons: dict[str, QPushButton] = {}
        for name, label in (
            ("pdf", "PDF"),
            ("docx", "Word"),
            ("html", "网页"),
            ("data", "数据文件"),
        ):
            button = QPushButton(f"导出{label}")
            button.clicked.connect(lambda _=False, n=name: self.export(n))
            top.addWidget(button)
            self.export_buttons[name] = button
        self.status = QLabel()
        top.addWidget(self.status)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("color: #b00020; font-weight: bold;")
        self.coverage_label = QLabel()
        self.coverage_label.setWordWrap(True)
        self.coverage_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.units = UnitsModel(self)
        self.units.toggled = self.set_member
        self.units_view = QTableView()
        self.units_view.setModel(self.units)
        self.units_view.verticalHeader().hide()
        header = self.units_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.units_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)

        self.tabs = QTabWidget()
        self.findings_list = QListWidget()
        self.findings_list.itemActivated.connect(self._finding_chosen)
        self.findings_list.itemClicked.connect(self._finding_chosen)
        self.carry_label = QLabel()
        self.carry_label.setWordWrap(True)
        self.carry_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        checks = QWidget()
        checks_layout = QVBoxLayout(checks)
        checks_layout.addWidget(QLabel("汇总的检查结果（点击定位；括号内是造成问题的单位）："))
        checks_layout.addWidget(self.findings_list, 1)
        checks_layout.addWidget(QLabel("与上年汇总的结转对比："))
        checks_layout.addWidget(self.carry_label)
        self.checks_page = checks
        self.texts_page = QWidget()
        page_layout = QVBoxLayout(self.texts_page)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for field, label, tip in _FIELDS:
            line = QLineEdit()
            line.setToolTip(tip)
            line.editingFinished.connect(lambda f=field: self.save_field(f))
            form.addRow(label, line)
            self.fields[field] = line
        page_layout.addLayout(form)
        self.texts_layout = QVBoxLayout()
        page_layout.addLayout(self.texts_layout)
        self.texts_scroll = QScrollArea()
        self.texts_scroll.setWidgetResizable(True)
        self.texts_scroll.setWidget(self.texts_page)
        self.draft_button = QPushButton("插入汇总数字")
        self.draft_button.setToolTip("在“总体情况”的光标处插入一段根据汇总表格写成的文字，供修改")
        self.draft_button.clicked.connect(self.insert_draft)

        self.cell_label = QLabel("选中表格中的一格，这里列出各单位的数字")
        self.cell_label.setWordWrap(True)
        self.contributions = ContributionsModel(self)
        self.contributions_proxy = LastProxy(self, zeros_last=True)
        self.contributions_proxy.setSourceModel(self.contributions)
        self.contributions_view = QTableView()
        self.contributions_view.setModel(self.contributions_proxy)
        self.contributions_view.setSortingEnabled(True)
        self.contributions_view.verticalHeader().hide()
        self.contributions_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.cell_label)
        side_layout.addWidget(self.contributions_view, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.units_view)
        splitter.addWidget(self.tabs)
        splitter.addWidget(side)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 760, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.coverage_label)
        layout.addWidget(splitter, 1)

    def _build_parts(self, fmt: ReportFormat) -> None:
        """One read-only grid per table part of ``fmt``, the texts, the checks."""
        if self._format is not None and self._format.id == fmt.id:
            return
        self._format = fmt
        self.tabs.clear()
        for grid in self.grids.values():
            grid.deleteLater()
        self.grids.clear()
        for part in fmt.parts:
            if not part.tables:
                continue
            view = sums_view(SumsGridModel(self.shown, part.key))
            view.grid_model.setParent(view)
            view.selectionModel().currentChanged.connect(self._cell_chosen)
            self.grids[part.key] = view
            self.tabs.addTab(view, part.heading)
        self._build_texts(fmt)
        self.tabs.addTab(self.texts_scroll, "文字")
        self.tabs.addTab(self.checks_page, "检查与结转")

    def _build_texts(self, fmt: ReportFormat) -> None:
        while (item := self.texts_layout.takeAt(0)) is not None:
            if (widget := item.widget()) is not None and widget is not self.draft_button:
                widget.deleteLater()
        self.editors.clear()
        for field in fmt.texts:
            part = fmt.part_of_text(field.key)
            self.texts_layout.addWidget(QLabel(part.heading if part else field.label))
            editor = TextEditor(self, field.key)
            editor.setAccessibleName(field.label)
            editor.setMinimumHeight(110)
            self.editors[field.key] = editor
            self.texts_layout.addWidget(editor)
            if part is not None and part.number == "一":
                self.texts_layout.addWidget(self.draft_button)

    # ------------------------------------------------------------------ reading

    def reload(self) -> None:
        """The year's aggregates again, the one named in the box, and the sums."""
        names = [a.name for a in register.list_aggregates(self.context.db, self.context.year)]
        current = self.name_box.currentText().strip()  # a name being typed stays
        if not current:
            current = names[0] if names else self._default_name()
        self.name_box.blockSignals(True)
        self.name_box.clear()
        self.name_box.addItems(names)
        self.name_box.setCurrentText(current)
        self.name_box.blockSignals(False)
        self._choose(current, force=True)

    def _default_name(self) -> str:
        own = [u for u in register.list_units(self.context.db) if u.kind is register.UnitKind.OWN]
        return own[0].name if own else ""

    def _name_chosen(self, name: str) -> None:
        self._choose(name, force=False)

    def _choose(self, name: str, force: bool) -> None:
        """The aggregate called ``name``, if any; summed again unless it is none again (a
        new name being typed)."""
        found = register.find_aggregate(self.context.db, name.strip(), self.context.year)
        before = self.record
        self.record = register.load_aggregate(self.context.db, found) if found else None
        self.create_button.setEnabled(found is None and bool(name.strip()))
        if before is None and self.record is None and not force:
            self._show_state()
        else:
            self.resum()

    def resum(self) -> None:
        """Sum the ticked units' reports; show the tables, the findings, coverage and texts."""
        self._timer.stop()
        self._stale = False
        desk = self.context.desk
        rows = [r for r in desk.rows() if r.expected]
        excluded = self.record.excluded if self.record else frozenset()
        self.units.set_rows(rows, excluded, self.record is not None)
        agencies = self.units.included()
        self.message = ""
        try:
            self.sums = desk.sums(agencies)
        except MixedFormatsError as error:
            self.sums, self.message = None, str(error)
        self.coverage = desk.coverage(agencies)
        report = self.summed_report()
        fmt = report.format if report else format_for_year(self.context.year)
        self._build_parts(fmt)
        reports = [r for a in agencies if (r := desk.report(a)) is not None]
        self._summed, self._breakers = reports, {}
        self.recheck()
        self._show_carry_over(reports)
        self._show_texts()
        self._show_state()
        self._cell_chosen(self._current_view_index())

    def summed_report(self) -> Report | None:
        """The 汇总 as a report: the sums with the record's name, title, texts and signature."""
        if self.sums is None:
            return None
        record = self.record
        name = record.name if record else self.name_box.currentText().strip() or "汇总"
        if record is None:
            return self.sums.report(name)
        return self.sums.report(
            name,
            title=record.title,
            texts=dict(record.texts),
            signature_agency=record.signature_agency,
            signature_date=record.signature_date,
        )

    def _show_state(self) -> None:
        notes = [self.message + "。取消勾选这些单位，即可汇总其余单位。"] if self.message else []
        if self.record is None and self.name_box.currentText().strip():
            notes.append(NO_AGGREGATE)
        self.banner.setText("\n".join(notes))
        self.banner.setVisible(bool(notes))
        lines = self.coverage.lines() if self.coverage and self.sums else ()
        # The counts and the first few names on one line; every name in the tooltip and in
        # the exported appendix (150 names would push the tables off the page).
        self.coverage_label.setText("；".join(f"{h}：{_first_names(t)}" for h, t in lines))
        self.coverage_label.setToolTip("\n".join(f"{h}：{t or '无'}" for h, t in lines))
        for button in self.export_buttons.values():
            button.setEnabled(self.sums is not None)
        for editor in self.editors.values():
            editor.setReadOnly(self.record is None)
        self.draft_button.setEnabled(self.record is not None and self.sums is not None)

    def recheck(self) -> None:
        """The 汇总's own findings again (its texts changed: its sums did not)."""
        report = self.summed_report()
        self.findings = check(report) if report else []
        self.shown.show(report, self.findings)
        self.findings_list.clear()
        if self.sums is None:
            self.findings_list.addItem("没有汇总，没有检查结果")
            return
        for finding in self.findings:
            names = self._breakers_of(finding)
            who = f"（{'、'.join(names)}）" if names else ""
            item = QListWidgetItem(f"【{finding.severity.label}】{finding.message}{who}")
            item.setData(Qt.ItemDataRole.UserRole, list(finding.cells))
            item.setData(Qt.ItemDataRole.UserRole + 1, finding.part)
            self.findings_list.addItem(item)
        if not self.findings:
            self.findings_list.addItem("汇总的表格通过全部检查")

    def _breakers_of(self, finding: Finding) -> tuple[str, ...]:
        """The units that break ``finding`` (each unit's checks run once per summing)."""
        key = (finding.rule, finding.cells)
        if key not in self._breakers:
            findings = self.context.desk.findings()
            self._breakers[key] = breakers(finding, self._summed, findings)
        return self._breakers[key]

    def _show_carry_over(self, reports: Sequence[Report]) -> None:
        if self.sums is None:
            self.carry_label.setText("")
            return
        last = self._last_year()
        result = carry_over(self.sums, last.sums, reports, last.reports, last.stored)
        if last.sums is None:
            text = f"{self.context.year - 1}年没有可以对比的汇总。"
        else:
            text = result.message() or _agreeing(result)
        self.carry_label.setText(text)

    def _last_year(self) -> LastYear:
        """Last year's 汇总 of the same name (all of last year's reports without one), kept
        until the desk reloads or the name changes."""
        name = self.record.name if self.record else ""
        key = (self.context.year, name)
        if self._last is None or self._last[0] != key:
            self._last = (key, last_year(self.context.db, name, self.context.year))
        return self._last[1]

    def _show_texts(self) -> None:
        record = self.record
        texts = record.texts if record else {}
        for key, editor in self.editors.items():
            editor.show_text(texts.get(key, ""))
        shown = {
            "title": (record.title if record else None) or "",
            "signature_agency": (record.signature_agency if record else None) or "",
            "signature_date": date_text(record.signature_date if record else None),
        }
        for field, line in self.fields.items():
            line.setText(shown[field])
            line.setReadOnly(record is None)
        if record is not None:
            self.fields["title"].setPlaceholderText(default_title(record.name, record.year))
            self.fields["signature_agency"].setPlaceholderText(record.name)

    # ------------------------------------------------------------------ a cell, a finding

    def _current_view_index(self) -> QModelIndex:
        view = self.tabs.currentWidget()
        return view.currentIndex() if isinstance(view, GridView) else QModelIndex()

    def _cell_chosen(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        key = index.data(KEY_ROLE) if index.isValid() else None
        if not key or self.sums is None or key not in self.sums.contributions:
            self.contributions.set_rows(())
            self.cell_label.setText("选中表格中的一格，这里列出各单位的数字")
            return
        model = index.model()
        place = model.place(key) if isinstance(model, SumsGridModel) else key
        total = to_text(self.shown.shown_value(key))
        unit = self.sums.units.get(key) or self.sums.format.cells[key].column.unit or ""
        total = total + unit if total else "空白（各单位都没有填写）"
        self.cell_label.setText(f"{place}：汇总{total}，各单位的数字")
        self.contributions.set_rows(self.sums.contributions[key])
        self.contributions_view.sortByColumn(1, Qt.SortOrder.DescendingOrder)

    def contribution_rows(self) -> list[tuple[str, str]]:
        """The list as shown (sorted): (unit, figure)."""
        proxy = self.contributions_proxy
        return [
            (str(proxy.index(r, 0).data()), str(proxy.index(r, 1).data()))
            for r in range(proxy.rowCount())
        ]

    def _finding_chosen(self, item: QListWidgetItem) -> None:
        keys = item.data(Qt.ItemDataRole.UserRole) or []
        part = item.data(Qt.ItemDataRole.UserRole + 1)
        view = self.grids.get(part) if isinstance(part, str) else None
        if view is not None and keys:
            self.tabs.setCurrentWidget(view)
            view.select_keys(list(keys))

    # ------------------------------------------------------------------ writing

    def create_aggregate(self) -> None:
        name = self.name_box.currentText().strip()
        if name:
            db, year = self.context.db, self.context.year
            if self._write("新建汇总", lambda: register.create_aggregate(db, name, year)):
                self.reload()  # now, not soon: its units can be ticked at once

    def set_member(self, agency: str, included: bool) -> None:
        record = self.record
        if record is None:
            return
        label = f"{'计入' if included else '不计入'}汇总：{agency}"
        self._write(
            label,
            lambda: register.set_aggregate_member(self.context.db, record.id, agency, included),
        )

    def save_text(self, key: str, text: str) -> None:
        record = self.record
        if record is None or record.texts.get(key, "") == text:
            return
        done = self._write(
            "修改汇总文字",
            lambda: register.set_aggregate_text(self.context.db, record.id, key, text),
            merge_key=f"aggregate-text:{record.id}:{key}",  # typing is undone as a whole
        )
        if done is None:  # refused (too long…): show what is stored
            self._show_texts()

    def save_field(self, field: str) -> None:
        """标题, 落款单位 or 成文日期, when the clerk leaves the box."""
        record = self.record
        if record is None:
            return
        text = self.fields[field].text().strip()
        try:
            value: object = parse_date(text) if field == "signature_date" else (text or None)
        except InvalidValue as error:
            self.context.refused.emit(str(error))
            self._show_texts()
            return
        if value == getattr(record, field):
            return
        db = self.context.db
        label = {f: lab for f, lab, _ in _FIELDS}[field]
        done = self._write(
            f"修改{label}",
            lambda: register.set_aggregate_fields(db, record.id, **{field: value}),  # type: ignore[arg-type]
        )
        if done is None:
            self._show_texts()

    def _write(self, label: str, op: Any, merge_key: str = "") -> list[Any] | None:
        self._writing = True
        try:
            return self.context.write(label, op, merge_key)
        finally:
            self._writing = False

    def insert_draft(self) -> None:
        if self.sums is None or self.record is None:
            return
        key = next((k for k in self.editors if self._part_number(k) == "一"), None)
        if key is None:
            return
        editor = self.editors[key]
        text = draft_paragraph(self.sums, region_of(self.record.name))
        cursor = editor.textCursor()
        if editor.toPlainText() and not cursor.atBlockStart():
            text = "\n" + text
        cursor.insertText(text)
        editor.setFocus()

    def _part_number(self, key: str) -> str:
        part = self._format.part_of_text(key) if self._format else None
        return part.number if part else ""

    # ------------------------------------------------------------------ signals

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.reload()
        super().showEvent(event)

    def _schedule(self) -> None:
        """Sum again soon (once for a burst of changes), or when next shown."""
        if self.isVisible():
            self._timer.start()
        else:
            self._stale = True

    def _refreshed(self, agencies: list[str]) -> None:
        if self._writing:  # an aggregate's own write changes no unit: _written handles it
            return
        if not agencies:  # everything read again (a collect may bring last year's too)
            self._last = None
        self._schedule()

    def _written(self, changes: list[Any]) -> None:
        record = self.record
        if isinstance(record, register.AggregateRecord) and any(
            isinstance(c, register.AggregateFieldsSet) and c.aggregate_id == record.id
            for c in changes
        ):
            self.record = register.load_aggregate(self.context.db, record.id)  # exports: now
        whole = (register.AggregateCreated, register.AggregateDeleted, register.AggregateFieldsSet)
        if any(isinstance(c, whole) for c in changes):
            self._schedule()  # an aggregate came or went, or was renamed
            return
        parts = (register.AggregateTextSet, register.AggregateMemberSet)
        ours = [
            c
            for c in changes
            if isinstance(c, parts) and record is not None and c.aggregate_id == record.id
        ]
        if record is None or not ours:
            return
        self.record = register.load_aggregate(self.context.db, record.id)
        if any(isinstance(c, register.AggregateTextSet) for c in ours):
            self._show_texts()
            self.recheck()  # 总体情况尚未填写 …
        if any(isinstance(c, register.AggregateMemberSet) for c in ours):
            self._schedule()

    def _year_changed(self, year: int) -> None:
        self._last = None
        if (
            register.find_aggregate(self.context.db, self.name_box.currentText().strip(), year)
            is None
        ):
            self.name_box.blockSignals(True)
            self.name_box.setEditText("")  # that year's first 汇总, or the default name
            self.name_box.blockSignals(False)
        self._schedule()

    # ------------------------------------------------------------------ export

    def export(self, kind: str) -> None:
        """导出PDF/Word/网页/数据文件: the 汇总 with its appendix (whom it sums)."""
        from gui.saving import write_file
        from model.files import DATA_FILE, safe_file_name

        report = self.summed_report()
        if report is None or self.coverage is None:
            return
        if kind == "data":
            suffix, file_filter, file_kind = ".nianbao.json", DATA_FILTER, DATA_FILE
        else:
            renderer = _renderer(kind)
            suffix, file_filter, file_kind = (
                renderer.suffix,
                renderer.file_filter,
                renderer.file_kind,
            )
        name = f"{safe_file_name(report.display_title)}{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, "导出汇总", name, file_filter)
        if not path:
            return
        data = self.export_bytes(kind, report)
        from pathlib import Path

        written = write_file(self, Path(path), data, file_kind)
        if written is not None:
            self.status.setText(f"已导出：{written}")

    def export_bytes(self, kind: str, report: Report) -> bytes:
        from export.aggregate import appendix

        assert self.coverage is not None
        if kind == "data":
            return aggregate_datafile(report, self.coverage)
        from export.worker import render_with  # a PDF in the render process

        return render_with(_renderer(kind), report, appendix(self.coverage)).data


#: The 汇总's own fields besides its texts: (record field, label, tooltip).
_FIELDS = (
    ("title", "标题", "留空则为“名称+年度+政府信息公开工作年度报告”"),
    ("signature_agency", "落款单位", "留空则为汇总名称"),
    ("signature_date", "成文日期", "如 2024年1月20日"),
)
DATA_FILTER = "年报数据文件 (*.nianbao.json)"


def aggregate_datafile(report: Report, coverage: Coverage) -> bytes:
    """The 汇总 as a data file with its ``aggregate`` object (whom it sums)."""
    from model.datafile import AggregateMembers, write_datafile

    return write_datafile(report, aggregate=AggregateMembers.of(coverage)).encode("utf-8")


def _agreeing(result: CarryOver) -> str:
    """Carry-over that agrees still names the units that came and went (its message does
    only when it disagrees)."""
    last = "上年汇总" if result.last_is_stored else "上年全部报告合计"
    parts = [f"本年汇总的上年结转数与{last}的结转下年度数一致。"]
    if result.added:
        parts.append(f"本年新增汇总的单位：{'、'.join(result.added)}。")
    if result.gone:
        parts.append(f"{result.gone_label}：{'、'.join(result.gone)}。")
    return "".join(parts)


def _renderer(name: str) -> Renderer:
    from export.renderers import renderer

    return renderer(name)


#: How many names the coverage line shows of each group before “等”.
SHOWN_NAMES = 5


def _first_names(names: str) -> str:
    """``names`` (joined by 、) cut after :data:`SHOWN_NAMES`, the rest counted."""
    parts = [name for name in names.split("、") if name]
    if not parts:
        return "无"
    if len(parts) <= SHOWN_NAMES:
        return "、".join(parts)
    return "、".join(parts[:SHOWN_NAMES]) + f"等（另{len(parts) - SHOWN_NAMES}个，见附件）"
